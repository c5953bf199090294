/// Spec files, the built-in model zoo and ONNX import.
public enum FoveaModels {}
