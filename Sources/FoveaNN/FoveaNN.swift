/// Layers, losses, models, optimizers, gradient checking and training.
public enum FoveaNN {}
