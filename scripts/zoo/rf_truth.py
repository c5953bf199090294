"""Measure receptive fields of the zoo's torchvision models by the gradient method.

For each model and endpoint (the output of a module, named by its module path) this finds,
per axis, the receptive field size r, effective stride S and effective padding P with the
convention "output unit i sees input [i*S - P, i*S - P + r - 1]".

Method: a linearised float64 copy of the model -- every convolution and linear weight set to
1/fan_in (> 0), biases 0, batch/layer norms, activations (modules and F.relu), dropout,
stochastic depth and squeeze-and-excitation replaced by the identity, layer scale set to 1,
max pooling replaced by average pooling of identical geometry (modules and F.max_pool2d).
All path weights are then positive, so the input gradient of one output unit is non-zero
exactly on its receptive field. Axis h is measured on a tall, thin input (H x 96) and axis w
on a wide one (96 x W); the long side starts at 1024 and doubles until the fields of the
centre unit i_c and of i_c + 1 lie strictly inside. Then
    r = end - start + 1,  S = start(i_c + 1) - start(i_c),  P = i_c * S - start(i_c),
and the number of zero-gradient positions inside [start, end] is recorded as "holes".

Run:  PYTHONPATH=/path/to/torchvision python3 scripts/zoo/rf_truth.py OUT.json [MODEL ...]
"""
import copy
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

import tvimport
from tvimport import MODELS, build
from torchvision.ops.misc import SqueezeExcitation
from torchvision.ops.stochastic_depth import StochasticDepth

THIN = 96
START = 1024

IDENTITY = (nn.BatchNorm2d, nn.LayerNorm, nn.ReLU, nn.ReLU6, nn.Hardswish, nn.Hardsigmoid,
            nn.SiLU, nn.Sigmoid, nn.GELU, nn.Dropout, StochasticDepth, SqueezeExcitation)


def _range(prefix, numbers):
    return [f"{prefix}{n}" for n in numbers]


# Endpoints (module paths) measured per model: stems, container outputs and the final features.
ENDPOINTS = {
    "alexnet": _range("features.", [0, 2, 3, 5, 6, 8, 10, 12]),
    "vgg11": _range("features.", [2, 5, 10, 15, 18, 20]),
    "vgg13": _range("features.", [4, 9, 14, 19, 22, 24]),
    "vgg16": _range("features.", [4, 9, 16, 23, 26, 29, 30]),
    "vgg19": _range("features.", [4, 9, 18, 27, 32, 34, 36]),
    "resnet18": ["conv1", "maxpool", "layer1.0", "layer1", "layer2.0.conv1", "layer2", "layer3", "layer4.0", "layer4"],
    "resnet34": ["maxpool", "layer1", "layer2", "layer3.2", "layer3", "layer4"],
    "resnet50": ["maxpool", "layer1", "layer2.0.conv2", "layer2", "layer3.3", "layer3", "layer4.0", "layer4"],
    "resnet101": ["maxpool", "layer1", "layer2", "layer3.11", "layer3", "layer4"],
    "resnet152": ["maxpool", "layer1", "layer2", "layer3.20", "layer3", "layer4"],
    "googlenet": ["conv1", "maxpool1", "conv3", "maxpool2", "inception3a", "inception3b",
                  "maxpool3", "inception4a", "inception4b", "inception4c", "inception4d",
                  "inception4e", "maxpool4", "inception5a", "inception5b"],
    "inception_v3": ["Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "maxpool1", "Conv2d_3b_1x1",
                     "Conv2d_4a_3x3", "maxpool2", "Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a",
                     "Mixed_6b", "Mixed_6e", "Mixed_7a", "Mixed_7b", "Mixed_7c"],
    "mobilenet_v2": _range("features.", [0, 1, 2, 3, 4, 6, 7, 10, 13, 14, 16, 17, 18]),
    "mobilenet_v3_large": _range("features.", [0, 1, 2, 3, 4, 6, 7, 10, 12, 13, 15, 16]),
    "mobilenet_v3_small": _range("features.", [0, 1, 2, 3, 4, 6, 8, 9, 11, 12]),
    "densenet121": ["features.pool0", "features.denseblock1.denselayer1", "features.denseblock1",
                    "features.transition1", "features.denseblock2", "features.transition2",
                    "features.denseblock3", "features.transition3", "features.denseblock4",
                    "features.norm5"],
    "squeezenet1_0": _range("features.", [0, 2, 3, 5, 6, 7, 9, 10, 12]),
    "squeezenet1_1": _range("features.", [0, 2, 3, 5, 6, 8, 9, 11, 12]),
    "efficientnet_b0": _range("features.", [0, 1, 2, 3, 4, 5, 6, 7, 8]),
    "convnext_tiny": _range("features.", [0, 1, 2, 3, 4, 5, 6, 7]),
    "regnet_y_400mf": ["stem", "trunk_output.block1", "trunk_output.block2.block2-0",
                       "trunk_output.block2", "trunk_output.block3", "trunk_output.block4"],
}


def linearise(model):
    model = copy.deepcopy(model).double().eval()
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, IDENTITY):
                setattr(parent, name, nn.Identity())
            elif isinstance(child, nn.MaxPool2d):
                setattr(parent, name, nn.AvgPool2d(child.kernel_size, child.stride, child.padding,
                                                   ceil_mode=child.ceil_mode))
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                module.weight.fill_(1.0 / module.weight[0].numel())
                if module.bias is not None:
                    module.bias.zero_()
            if hasattr(module, "layer_scale"):
                module.layer_scale.fill_(1.0)
    return model


class FunctionalPatch:
    """Makes F.relu the identity and F.max_pool2d an average pool while active."""

    def __enter__(self):
        self.saved = (F.relu, F.max_pool2d)
        F.relu = lambda x, inplace=False: x

        def avg(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
            return F.avg_pool2d(x, kernel_size, stride, padding, ceil_mode=ceil_mode)

        F.max_pool2d = avg
        return self

    def __exit__(self, *exc):
        F.relu, F.max_pool2d = self.saved


def support(model, endpoints, shape, axis):
    """Input-gradient support along `axis` of output units (centre, centre + 1) per endpoint."""
    outputs = {}
    hooks = [model.get_submodule(e).register_forward_hook(
        lambda m, i, o, e=e: outputs.__setitem__(e, o)) for e in endpoints]
    x = torch.zeros(1, 3, *shape, dtype=torch.float64, requires_grad=True)
    with FunctionalPatch():
        model(x)
    for h in hooks:
        h.remove()
    result = {}
    for e in endpoints:
        out = outputs[e]
        n = out.shape[2 + axis]
        centre = n // 2
        other = out.shape[3 - axis] // 2
        intervals = []
        for unit in (centre, centre + 1):
            index = (0, slice(None), unit, other) if axis == 0 else (0, slice(None), other, unit)
            (grad,) = torch.autograd.grad(out[index].sum(), x, retain_graph=True)
            g = grad.sum(dim=(0, 1, 3 - axis))
            nz = torch.nonzero(g > 0).flatten().tolist()
            start, end = (nz[0], nz[-1]) if nz else (None, None)
            holes = (end - start + 1 - len(nz)) if nz else None
            intervals.append((start, end, holes))
        result[e] = (centre, n, intervals)
    return result


def measure(name, model, endpoints):
    lin = linearise(model)
    found = {e: {} for e in endpoints}
    for axis in (0, 1):
        pending = list(endpoints)
        size = START
        while pending:
            shape = (size, THIN) if axis == 0 else (THIN, size)
            res = support(lin, pending, shape, axis)
            still = []
            for e in pending:
                centre, n, ((s0, e0, h0), (s1, e1, h1)) = res[e]
                inside = s0 is not None and s1 is not None and s0 > 0 and e1 < size - 1 and e0 < size - 1 and s1 > 0
                if not inside:
                    still.append(e)
                    continue
                stride = s1 - s0
                found[e][axis] = {
                    "rf": e0 - s0 + 1, "stride": stride, "padding": centre * stride - s0,
                    "holes": h0, "next_unit_rf": e1 - s1 + 1, "measured_on": size,
                }
            pending = still
            size *= 2
            if size > 65536:
                raise RuntimeError(f"{name}: no interior field for {pending}")
    rows = []
    for e in endpoints:
        h, w = found[e][0], found[e][1]
        rows.append({
            "endpoint": e,
            "rf": [h["rf"], w["rf"]],
            "stride": [h["stride"], w["stride"]],
            "padding": [h["padding"], w["padding"]],
            "holes": [h["holes"], w["holes"]],
            "next_unit_rf_equal": h["next_unit_rf"] == h["rf"] and w["next_unit_rf"] == w["rf"],
            "measured_on": [h["measured_on"], w["measured_on"]],
        })
        print(f"  {e}: r={rows[-1]['rf']} S={rows[-1]['stride']} P={rows[-1]['padding']}", file=sys.stderr)
    return rows


def main(path, names):
    torch.manual_seed(0)
    out = {
        "meta": {
            "torch": torch.__version__,
            "torchvision": tvimport.torchvision.__version__,
            "made_by": "scripts/zoo/rf_truth.py",
            "convention": "unit i sees input [i*S-P, i*S-P+r-1], per axis [h, w]",
            "method": " ".join(__doc__.strip().split("\n\n")[1:3]).replace("\n", " "),
        },
        "models": {},
    }
    for name in names:
        print(name, file=sys.stderr)
        kwargs, _ = MODELS[name]
        out["models"][name] = {
            "ctor": f"torchvision.models.{name}(weights=None, **{kwargs!r})",
            "endpoints": measure(name, build(name), ENDPOINTS[name]),
        }
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:] or list(ENDPOINTS))
