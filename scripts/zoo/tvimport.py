"""Import torchvision even when its compiled extension cannot load.

The fixture scripts only need the model definitions. A torchvision wheel built for another
CUDA/ABI fails at import time while registering fake kernels for its custom ops (nms, ...);
registration is skipped here while the package imports. Put the wheel on PYTHONPATH
(e.g. `pip install --no-deps --target /tmp/tvpkg torchvision-*.whl` plus pillow).
"""
import torch
import torch.library

_register_fake = torch.library.register_fake
torch.library.register_fake = lambda *args, **kwargs: (lambda fn: fn)
try:
    import torchvision  # noqa: F401
finally:
    torch.library.register_fake = _register_fake

# The zoo's torchvision models: name -> (constructor keyword arguments, input side).
MODELS = {
    "alexnet": ({}, 224),
    "vgg11": ({}, 224),
    "vgg13": ({}, 224),
    "vgg16": ({}, 224),
    "vgg19": ({}, 224),
    "resnet18": ({}, 224),
    "resnet34": ({}, 224),
    "resnet50": ({}, 224),
    "resnet101": ({}, 224),
    "resnet152": ({}, 224),
    "googlenet": ({"aux_logits": False, "init_weights": True}, 224),
    "inception_v3": ({"aux_logits": False, "init_weights": True}, 299),
    "mobilenet_v2": ({}, 224),
    "mobilenet_v3_large": ({}, 224),
    "mobilenet_v3_small": ({}, 224),
    "densenet121": ({}, 224),
    "squeezenet1_0": ({}, 224),
    "squeezenet1_1": ({}, 224),
    "efficientnet_b0": ({}, 224),
    "convnext_tiny": ({}, 224),
    "regnet_y_400mf": ({}, 224),
}


def build(name):
    """A fresh torchvision model in eval mode, random weights (nothing is downloaded)."""
    kwargs, _ = MODELS[name]
    model = getattr(torchvision.models, name)(weights=None, **kwargs)
    return model.eval()
