#!/usr/bin/env python3
"""Makes Fovea's small graph-only ONNX fixtures and their expected results.

Writes Tests/FoveaModelsTests/Fixtures/onnx/extra/NAME.onnx and NAME.json. Two sources:

* PyTorch modules exported with torch.onnx.export (TorchScript exporter, several opsets).
  Expected output shapes come from the module's own forward pass. Receptive fields (r, S, P per
  axis, convention: unit i sees input [i*S - P, i*S - P + r - 1]) come from the gradient method
  on a linearised copy (positive weights, identity activations, max -> average pooling, SE gates
  -> 1), measured on a tall-thin input per axis, as in shared/fixtures/rf.
* Graphs written with onnx.helper for operator forms torch does not emit (Upsample-7,
  ConvTranspose output_shape, Pad/Slice/Resize at each opset, auto_pad). Expected shapes are
  computed by hand in this script and checked against onnx.reference.ReferenceEvaluator.

Weights larger than 16 elements are turned into references to an external file that is not
written, like the torchvision exports: the fixtures are graph-only.

Needs torch and onnx (pip). Run: python3 scripts/onnx/make_fixtures.py
"""
import io
import json
import math
import os
import warnings

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

warnings.filterwarnings("ignore")
torch.manual_seed(0)
np.random.seed(0)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "FoveaModelsTests", "Fixtures", "onnx", "extra")


def strip_weights(model, name):
    """Moves every initializer with more than 16 elements to an (absent) external file."""
    offset = 0
    for init in model.graph.initializer:
        count = int(np.prod(init.dims)) if len(init.dims) else 1
        if count <= 16:
            continue
        size = len(init.raw_data) if init.HasField("raw_data") else count * 4
        init.ClearField("raw_data")
        init.ClearField("float_data")
        init.data_location = TensorProto.EXTERNAL
        del init.external_data[:]
        for key, value in (("location", f"{name}.onnx.data"), ("offset", str(offset)), ("length", str(size))):
            entry = init.external_data.add()
            entry.key, entry.value = key, value
        offset += size


def save(name, model, record):
    strip_weights(model, name)
    with open(os.path.join(OUT, f"{name}.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump(record, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{name}: {len(model.graph.node)} nodes, outputs {list(record['outputs'])}")


# ----------------------------------------------------------------------------------------------
# PyTorch modules

class Act(nn.Module):
    """An activation that the linearised copy replaces by the identity."""

    def __init__(self, kind):
        super().__init__()
        self.kind, self.linear = kind, False

    def forward(self, x):
        if self.linear:
            return x
        return {"relu": F.relu, "relu6": F.relu6, "hswish": F.hardswish, "sigmoid": torch.sigmoid,
                "gelu": F.gelu}[self.kind](x)


class MaxPool(nn.MaxPool2d):
    """Max pooling that the linearised copy turns into average pooling of the same geometry."""

    linear = False

    def forward(self, x):
        if self.linear:
            return F.avg_pool2d(x, self.kernel_size, self.stride, self.padding, self.ceil_mode, count_include_pad=True) \
                if self.dilation == 1 else super().forward(x)
        return super().forward(x)


class Gate(nn.Module):
    """Squeeze-and-excitation: a global pooled branch multiplied back. 1 in the linearised copy."""

    def __init__(self, c, use_linear):
        super().__init__()
        self.use_linear, self.linear = use_linear, False
        if use_linear:
            self.fc1, self.fc2 = nn.Linear(c, c // 2), nn.Linear(c // 2, c)
        else:
            self.fc1, self.fc2 = nn.Conv2d(c, c // 2, 1), nn.Conv2d(c // 2, c, 1)

    def forward(self, x):
        if self.linear:
            return x
        if self.use_linear:
            s = x.mean((2, 3))
            s = torch.sigmoid(self.fc2(F.relu(self.fc1(s))))
            return x * s.view(s.shape[0], s.shape[1], 1, 1)
        s = F.adaptive_avg_pool2d(x, 1)
        return x * torch.sigmoid(self.fc2(F.relu(self.fc1(s))))


class SENet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.bn1, self.act1 = nn.Conv2d(3, 8, 3, 2, 1, bias=False), nn.BatchNorm2d(8), Act("relu")
        self.se1 = Gate(8, use_linear=False)
        self.conv2, self.act2 = nn.Conv2d(8, 16, 3, 2, 1), Act("relu")
        self.se2 = Gate(16, use_linear=True)
        self.conv3 = nn.Conv2d(16, 16, 3, 1, 1)

    def forward(self, x):
        a = self.se1(self.act1(self.bn1(self.conv1(x))))
        b = self.se2(self.act2(self.conv2(a)))
        c = self.conv3(b) + b
        return a, b, c

    outputs = ["se1", "se2", "out"]


class ConcatNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem, self.act = nn.Conv2d(3, 16, 3, 1, 1), Act("relu")
        self.b1 = nn.Conv2d(16, 8, 1)
        self.b2 = nn.Conv2d(16, 8, 3, 1, 1)
        self.b3 = nn.Conv2d(16, 8, 3, 1, 2, dilation=2)
        self.b4pool, self.b4 = MaxPool(3, 1, 1), nn.Conv2d(16, 8, 1)
        self.mix = nn.Conv2d(32, 16, 1)
        self.pool = nn.AvgPool2d(2, 2, ceil_mode=True, count_include_pad=False)
        self.tail = nn.Conv2d(16, 8, 5, 1, 2)

    def forward(self, x):
        s = self.act(self.stem(x))
        inception = torch.cat([self.b1(s), self.b2(s), self.b3(s), self.b4(self.b4pool(s))], 1)
        dense = torch.cat([s, self.mix(inception)], 1)
        pooled = self.pool(dense)
        left, right = torch.chunk(pooled, 2, dim=1)
        out = self.tail(left[:, :16] + right)
        return inception, dense, pooled, out

    outputs = ["inception", "dense", "pooled", "out"]


class DepthwiseNet(nn.Module):
    def __init__(self):
        super().__init__()
        layers, c = [nn.Conv2d(3, 8, 3, 2, 1), Act("relu6")], 8
        for stride, out in ((1, 16), (2, 32), (1, 32), (2, 64)):
            layers += [nn.Conv2d(c, c, 3, stride, 1, groups=c), nn.BatchNorm2d(c), Act("relu6"),
                       nn.Conv2d(c, out, 1), nn.BatchNorm2d(out), Act("hswish")]
            c = out
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        y = self.body[:14](x)
        return y, self.body[14:](y)

    outputs = ["block2", "out"]


class ConvNeXtBlock(nn.Module):
    """Channels-last MLP (permute, LayerNorm, Linear) plus InstanceNorm and GroupNorm."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 4, 4)
        self.dw = nn.Conv2d(16, 16, 7, 1, 3, groups=16)
        self.norm, self.fc1, self.act, self.fc2 = nn.LayerNorm(16), nn.Linear(16, 32), Act("gelu"), nn.Linear(32, 16)
        self.inorm, self.gnorm = nn.InstanceNorm2d(16, affine=True), nn.GroupNorm(4, 16)
        self.linear = False

    def forward(self, x):
        s = self.stem(x)
        y = self.dw(s).permute(0, 2, 3, 1)
        if not self.linear:
            y = self.norm(y)
        y = self.fc2(self.act(self.fc1(y))).permute(0, 3, 1, 2)
        block = s + y
        normed = block if self.linear else self.gnorm(self.inorm(block))
        return block, normed

    outputs = ["block", "normed"]


class ShuffleNet(nn.Module):
    """Channel shuffle (reshape, transpose, reshape) between grouped convolutions."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 12, 3, 2, 1)
        self.g1 = nn.Conv2d(12, 12, 1, groups=3)
        self.dw = nn.Conv2d(12, 12, 3, 2, 1, groups=12)
        self.g2 = nn.Conv2d(12, 12, 1, groups=3)

    def forward(self, x):
        y = self.g1(self.conv1(x))
        n, c, h, w = y.shape
        y = y.view(n, 3, c // 3, h, w).transpose(1, 2).reshape(n, c, h, w)
        y = self.g2(self.dw(y))
        tokens = y.flatten(2).transpose(1, 2)
        return y, tokens

    outputs = ["shuffled", "tokens"]


class Variants(nn.Module):
    """The same small net exported at several opsets (Pad, Slice, Upsample, Clip forms change)."""

    def __init__(self, upsample):
        super().__init__()
        self.upsample = upsample
        self.conv1, self.bn, self.act = nn.Conv2d(3, 8, 3, 2, 1), nn.BatchNorm2d(8), Act("relu6")
        self.pool = MaxPool(3, 2, 1)
        self.conv2 = nn.Conv2d(8, 8, 3, 1, 2, dilation=2)
        self.avg = nn.AvgPool2d(2, 2)
        self.conv3 = nn.Conv2d(8, 8, 3)

    def forward(self, x):
        a = self.pool(self.act(self.bn(self.conv1(x))))
        b = F.pad(self.conv2(a), (1, 2, 1, 2), mode="reflect")
        c = self.avg(b)[:, :, 1:, :-1]
        d = self.conv3(c)
        if self.upsample:
            d = F.interpolate(d, scale_factor=2.0, mode="nearest")
        return a, b, c, d

    outputs = ["pool", "padded", "sliced", "out"]


def linearised(model):
    """A float64 copy whose outputs are positive linear functions of the input."""
    import copy
    m = copy.deepcopy(model).double().eval()
    for mod in m.modules():
        if hasattr(mod, "linear"):
            mod.linear = True
        if isinstance(mod, (nn.Conv2d, nn.Linear)):
            fan_in = mod.weight[0].numel()
            nn.init.constant_(mod.weight, 1.0 / fan_in)
            if mod.bias is not None:
                nn.init.zeros_(mod.bias)
        if isinstance(mod, nn.BatchNorm2d):
            mod.weight.data.fill_(1), mod.bias.data.zero_(), mod.running_mean.zero_()
            mod.running_var.fill_(1 - mod.eps)
    return m


def receptive_field(model, index, channels, axis, big=512, thin=64):
    """r, S, P along `axis` (0 = h, 1 = w) for output `index`, by the gradient method."""
    shape = (1, channels, big, thin) if axis == 0 else (1, channels, thin, big)
    x = torch.ones(shape, dtype=torch.float64, requires_grad=True)
    out = model(x)[index]
    if out.dim() != 4:
        return None
    n = out.shape[2 + axis]
    spans = []
    for unit in (n // 2, n // 2 + 1):
        x.grad = None
        sel = [0, slice(None), out.shape[2] // 2, out.shape[3] // 2]
        sel[2 + axis] = unit
        out[tuple(sel)].sum().backward(retain_graph=True)
        g = x.grad[0].abs().sum(dim=(0, 2 if axis == 0 else 1))
        hit = torch.nonzero(g > 0).flatten()
        spans.append((int(hit[0]), int(hit[-1]), len(hit)))
    (s0, e0, count), (s1, _, _) = spans
    assert s0 > 0 and e0 < big - 1, "receptive field touches the border; use a bigger input"
    stride = s1 - s0
    return {"rf": e0 - s0 + 1, "stride": stride, "padding": (n // 2) * stride - s0, "holes": e0 - s0 + 1 - count}


def export_torch(name, model, input_shape, opset, rf=True, rf_outputs=None):
    model.eval()
    x = torch.randn(*input_shape)
    f = io.BytesIO()
    torch.onnx.export(model, (x,), f, opset_version=opset, dynamo=False, input_names=["input"],
                      output_names=model.outputs, do_constant_folding=False)
    onnx_model = onnx.load_from_string(f.getvalue())
    with torch.no_grad():
        shapes = [list(t.shape) for t in model(x)]
    record = {"source": "torch.onnx.export (TorchScript exporter), shapes from the forward pass",
              "opset": opset, "input": list(input_shape),
              "outputs": {n: s for n, s in zip(model.outputs, shapes)}}
    if rf:
        lin = linearised(model)
        fields = {}
        for i, n in enumerate(model.outputs):
            if rf_outputs is not None and n not in rf_outputs:
                continue
            per_axis = [receptive_field(lin, i, input_shape[1], a) for a in (0, 1)]
            if per_axis[0] is not None:
                fields[n] = {k: [per_axis[0][k], per_axis[1][k]] for k in ("rf", "stride", "padding", "holes")}
        record["receptive_fields"] = fields
        record["receptive_field_method"] = ("gradient method on a linearised float64 copy: weights 1/fan_in, "
                                            "identity activations and norms, max -> avg pooling, SE gates -> 1")
    save(name, onnx_model, record)


# ----------------------------------------------------------------------------------------------
# Hand-written graphs

def tensor(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def weights(name, shape):
    return tensor(name, np.random.randn(*shape).astype(np.float32) * 0.1)


def export_helper(name, opset, input_shape, nodes, initializers, expected, note, reference=True):
    """A graph of `nodes` over input 'input'; `expected` maps each output to its hand-computed shape.
    `reference=False` for operators onnx.reference does not implement (Upsample with linear mode)."""
    graph = helper.make_graph(
        nodes, name, [helper.make_tensor_value_info("input", TensorProto.FLOAT, input_shape)],
        [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in expected], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = min(model.ir_version, 10)
    if reference:
        x = np.random.randn(*input_shape).astype(np.float32)
        results = ReferenceEvaluator(model).run(None, {"input": x})
        for (out, shape), value in zip(expected.items(), results):
            assert list(value.shape) == shape, f"{name}/{out}: reference {list(value.shape)}, hand {shape}"
    checked = ", checked with onnx.reference.ReferenceEvaluator" if reference else ""
    save(name, model, {"source": "onnx.helper graph; shapes by hand" + checked,
                       "note": note, "opset": opset, "input": list(input_shape), "outputs": expected})


def conv_transpose_forms():
    n = 7
    w = weights("w", (4, 3, 3, 3))
    w4 = weights("w4", (4, 3, 4, 4))
    wg = weights("wg", (4, 2, 3, 3))
    nodes = [
        # (n-1)s - 2p + k + op = 12 - 2 + 3 + 1
        helper.make_node("ConvTranspose", ["input", "w"], ["op1"], strides=[2, 2], pads=[1, 1, 1, 1], output_padding=[1, 1]),
        # output_shape: total padding s(n-1) + d(k-1) + 1 - out = 16 - 15 on h, 0 on w
        helper.make_node("ConvTranspose", ["input", "w4"], ["shape15x16"], strides=[2, 2], output_shape=[15, 16],
                         auto_pad="SAME_UPPER"),
        helper.make_node("ConvTranspose", ["input", "w"], ["same_upper"], strides=[2, 2], auto_pad="SAME_UPPER"),
        helper.make_node("ConvTranspose", ["input", "w"], ["same_lower"], strides=[3, 3], auto_pad="SAME_LOWER"),
        # (n-1)s + d(k-1) + 1 - pb - pe = 6 + 4 + 1 - 0 - 1
        helper.make_node("ConvTranspose", ["input", "w"], ["dilated"], dilations=[2, 2], pads=[0, 0, 1, 1]),
    ]
    expected = {"op1": [1, 3, 14, 14], "shape15x16": [1, 3, 15, 16], "same_upper": [1, 3, 14, 14],
                "same_lower": [1, 3, 21, 21], "dilated": [1, 3, 10, 10]}
    export_helper("convtranspose_forms", 17, [1, 4, n, n], nodes, [w, w4], expected,
                  "ConvTranspose: output_padding, output_shape, SAME_UPPER/SAME_LOWER, dilation and group")
    # onnx.reference ignores output_shape without auto_pad (against the operator's specification)
    # and mishandles groups, so these are by hand only.
    export_helper("convtranspose_output_shape", 11, [1, 4, n, n], [
        helper.make_node("ConvTranspose", ["input", "w4"], ["shape15x16"], strides=[2, 2], output_shape=[1, 3, 15, 16]),
        helper.make_node("ConvTranspose", ["input", "wg"], ["dilated_grouped"], dilations=[2, 2], group=2, pads=[0, 0, 1, 1]),
    ], [w4, wg], {"shape15x16": [1, 3, 15, 16], "dilated_grouped": [1, 4, 10, 10]},
        "ConvTranspose output_shape with N and C and pads NOTSET; grouped and dilated", reference=False)


def resize_forms():
    base = [1, 2, 6, 8]
    # Upsample-7: scales attribute
    export_helper("resize_opset7", 7, base, [
        helper.make_node("Upsample", ["input"], ["nearest"], mode="nearest", scales=[1.0, 1.0, 2.0, 3.0]),
        helper.make_node("Upsample", ["input"], ["linear"], mode="linear", scales=[1.0, 1.0, 1.5, 2.0]),
    ], [], {"nearest": [1, 2, 12, 24], "linear": [1, 2, 9, 16]}, "Upsample-7, scales attribute", reference=False)
    # Upsample-9: scales input
    export_helper("resize_opset9", 9, base, [
        helper.make_node("Upsample", ["input", "s"], ["nearest"], mode="nearest"),
    ], [tensor("s", np.array([1, 1, 2, 2], np.float32))], {"nearest": [1, 2, 12, 16]}, "Upsample-9, scales input")
    # Resize-10: X, scales
    export_helper("resize_opset10", 10, base, [
        helper.make_node("Resize", ["input", "s"], ["linear"], mode="linear"),
    ], [tensor("s", np.array([1, 1, 0.5, 0.75], np.float32))], {"linear": [1, 2, 3, 6]}, "Resize-10",
        reference=False)
    # Resize-11: X, roi, scales, sizes (scales empty when sizes are given)
    export_helper("resize_opset11", 11, base, [
        helper.make_node("Resize", ["input", "roi", "s"], ["scaled"], mode="nearest",
                         coordinate_transformation_mode="asymmetric", nearest_mode="floor"),
        helper.make_node("Resize", ["input", "roi", "empty", "size"], ["sized"], mode="linear",
                         coordinate_transformation_mode="align_corners"),
    ], [tensor("roi", np.array([], np.float32)), tensor("s", np.array([1, 1, 2, 2], np.float32)),
        tensor("empty", np.array([], np.float32)), tensor("size", np.array([1, 2, 5, 11], np.int64))],
        {"scaled": [1, 2, 12, 16], "sized": [1, 2, 5, 11]}, "Resize-11: scales, or sizes with empty scales")
    # Resize-13: optional inputs left out by empty names
    export_helper("resize_opset13", 13, base, [
        helper.make_node("Resize", ["input", "", "", "size"], ["sized"], mode="nearest",
                         coordinate_transformation_mode="half_pixel", nearest_mode="round_prefer_ceil"),
        helper.make_node("Resize", ["input", "", "s"], ["scaled"], mode="linear",
                         coordinate_transformation_mode="pytorch_half_pixel"),
    ], [tensor("size", np.array([1, 2, 3, 20], np.int64)), tensor("s", np.array([1, 1, 1.5, 0.5], np.float32))],
        {"sized": [1, 2, 3, 20], "scaled": [1, 2, 9, 4]}, "Resize-13: empty input names")
    # Resize-18: axes attribute, keep_aspect_ratio_policy; 6x8 to fit 12x12 not larger -> scale 1.5
    export_helper("resize_opset18", 18, base, [
        helper.make_node("Resize", ["input", "", "", "size"], ["fit"], mode="linear", axes=[2, 3],
                         keep_aspect_ratio_policy="not_larger"),
        helper.make_node("Resize", ["input", "", "s"], ["axes"], mode="nearest", axes=[3, 2]),
    ], [tensor("size", np.array([12, 12], np.int64)), tensor("s", np.array([0.5, 2], np.float32))],
        {"fit": [1, 2, 9, 12], "axes": [1, 2, 12, 4]}, "Resize-18: axes and keep_aspect_ratio_policy")


def pad_forms():
    # onnx.reference rejects negative pads, so these shapes are by hand only.
    base = [1, 2, 7, 9]
    export_helper("pad_opset7", 7, base, [
        helper.make_node("Pad", ["input"], ["constant"], pads=[0, 0, 1, 2, 0, 0, 3, 4], mode="constant", value=0.0),
        helper.make_node("Pad", ["input"], ["crop"], pads=[0, 0, -1, 0, 0, 0, -2, -3], mode="constant"),
    ], [], {"constant": [1, 2, 11, 15], "crop": [1, 2, 4, 6]}, "Pad-2 attribute form, negative pads crop", reference=False)
    export_helper("pad_opset11", 11, base, [
        helper.make_node("Pad", ["input", "p"], ["reflect"], mode="reflect"),
        helper.make_node("Pad", ["input", "q", "v"], ["mixed"], mode="constant"),
        helper.make_node("Pad", ["input", "p"], ["edge"], mode="edge"),
    ], [tensor("p", np.array([0, 0, 2, 1, 0, 0, 1, 3], np.int64)),
        tensor("q", np.array([0, 1, -2, 2, 0, 0, 1, -1], np.int64)), tensor("v", np.array(0.5, np.float32))],
        {"reflect": [1, 2, 10, 13], "mixed": [1, 3, 6, 10], "edge": [1, 2, 10, 13]},
        "Pad-11 input form: reflect, edge, channel padding and a mixed pad/crop", reference=False)
    export_helper("pad_opset18", 18, base, [
        helper.make_node("Pad", ["input", "p", "", "axes"], ["padded"], mode="constant"),
    ], [tensor("p", np.array([1, -2, 0, 3], np.int64)), tensor("axes", np.array([-1, 2], np.int64))],
        {"padded": [1, 2, 8, 10]}, "Pad-18 axes input [-1, 2]: w +1/0, h -2/+3", reference=False)


def slice_forms():
    base = [1, 3, 10, 12]
    export_helper("slice_opset9", 9, base, [
        helper.make_node("Slice", ["input"], ["attr"], starts=[1, -4], ends=[9, 1000], axes=[2, 3]),
    ], [], {"attr": [1, 3, 8, 4]}, "Slice-1 attributes")
    big = np.iinfo(np.int64).max
    export_helper("slice_opset13", 13, base, [
        helper.make_node("Slice", ["input", "s", "e", "a", "st"], ["stepped"]),
        helper.make_node("Slice", ["input", "rs", "re", "ra", "rst"], ["reversed"]),
        helper.make_node("Slice", ["input", "cs", "ce", "ca"], ["channels"]),
        helper.make_node("Split", ["input", "split"], ["top", "bottom"], axis=2),
    ], [tensor("s", np.array([0, 1], np.int64)), tensor("e", np.array([big, -1], np.int64)),
        tensor("a", np.array([2, 3], np.int64)), tensor("st", np.array([2, 3], np.int64)),
        tensor("rs", np.array([-1], np.int64)), tensor("re", np.array([np.iinfo(np.int64).min], np.int64)),
        tensor("ra", np.array([3], np.int64)), tensor("rst", np.array([-2], np.int64)),
        tensor("cs", np.array([1], np.int64)), tensor("ce", np.array([3], np.int64)), tensor("ca", np.array([1], np.int64)),
        tensor("split", np.array([4, 6], np.int64))],
        {"stepped": [1, 3, 5, 4], "reversed": [1, 3, 10, 6], "channels": [1, 2, 10, 12], "top": [1, 3, 4, 12],
         "bottom": [1, 3, 6, 12]},
        "Slice-13 inputs with steps, INT64 bounds, negative step; Split along a spatial axis")
    export_helper("split_opset18", 18, base, [
        helper.make_node("Split", ["input"], ["left", "mid", "right"], axis=3, num_outputs=3),
        helper.make_node("Split", ["input"], ["c0", "c1", "c2"], axis=1, num_outputs=3),
    ], [], {"left": [1, 3, 10, 4], "mid": [1, 3, 10, 4], "right": [1, 3, 10, 4], "c0": [1, 1, 10, 12],
            "c1": [1, 1, 10, 12], "c2": [1, 1, 10, 12]}, "Split-18 num_outputs on a spatial and the channel axis")


def auto_pad_forms():
    base = [1, 2, 15, 16]
    w = weights("w", (4, 2, 3, 3))
    w4 = weights("w4", (4, 2, 4, 4))
    export_helper("auto_pad_forms", 11, base, [
        helper.make_node("Conv", ["input", "w"], ["same_upper"], strides=[2, 2], auto_pad="SAME_UPPER"),
        helper.make_node("Conv", ["input", "w4"], ["same_lower"], strides=[2, 3], auto_pad="SAME_LOWER"),
        helper.make_node("Conv", ["input", "w"], ["valid"], strides=[2, 2], dilations=[2, 1], auto_pad="VALID"),
        helper.make_node("Conv", ["input", "w4"], ["no_kernel_shape"], pads=[1, 2, 1, 2]),
        helper.make_node("MaxPool", ["input"], ["max_same"], kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER"),
        helper.make_node("MaxPool", ["input"], ["max_ceil"], kernel_shape=[2, 3], strides=[2, 2], pads=[0, 1, 0, 1],
                         ceil_mode=1, dilations=[1, 2]),
        helper.make_node("AveragePool", ["input"], ["avg_ceil"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                         ceil_mode=1, count_include_pad=1),
        helper.make_node("LpPool", ["input"], ["lp"], kernel_shape=[2, 2], strides=[2, 2], p=3),
        helper.make_node("GlobalMaxPool", ["input"], ["global"]),
    ], [w, w4], {"same_upper": [1, 4, 8, 8], "same_lower": [1, 4, 8, 6], "valid": [1, 4, 6, 7],
                 "no_kernel_shape": [1, 4, 14, 17], "max_same": [1, 2, 8, 8], "max_ceil": [1, 2, 8, 8],
                 "avg_ceil": [1, 2, 8, 9], "lp": [1, 2, 7, 8], "global": [1, 2, 1, 1]},
                  "auto_pad SAME_UPPER/SAME_LOWER/VALID, kernel from the weight, ceil_mode, dilated and Lp pooling")


def reduce_forms():
    base = [1, 4, 6, 10]
    for opset in (13, 18):
        axes_hw = dict(axes=[2, 3]) if opset < 18 else {}
        axes_w = dict(axes=[-1]) if opset < 18 else {}
        ins_hw = ["input"] if opset < 18 else ["input", "hw"]
        ins_w = ["input"] if opset < 18 else ["input", "w"]
        inits = [] if opset < 18 else [tensor("hw", np.array([2, 3], np.int64)), tensor("w", np.array([-1], np.int64))]
        sq = dict(axes=[2]) if opset < 13 else {}
        nodes = [
            helper.make_node("ReduceMean", ins_hw, ["mean_keep"], keepdims=1, **axes_hw),
            helper.make_node("ReduceMax", ins_hw, ["max_drop"], keepdims=0, **axes_hw),
            helper.make_node("ReduceMean", ins_w, ["mean_w"], keepdims=1, **axes_w),
            helper.make_node("Softmax", ["input"], ["softmax_w"], axis=-1),
            helper.make_node("Softmax", ["input"], ["softmax_c"], axis=1),
            helper.make_node("Squeeze", ["mean_keep", "sq"], ["squeezed"], **sq),
            helper.make_node("Unsqueeze", ["squeezed", "sq"], ["unsqueezed"]),
            helper.make_node("Mul", ["input", "unsqueezed"], ["gated"]),
        ]
        inits = inits + [tensor("sq", np.array([2, 3], np.int64))]
        export_helper(f"reduce_opset{opset}", opset, base, nodes, inits,
                      {"mean_keep": [1, 4, 1, 1], "max_drop": [1, 4], "mean_w": [1, 4, 6, 1], "softmax_w": base,
                       "softmax_c": base, "squeezed": [1, 4], "unsqueezed": [1, 4, 1, 1], "gated": base},
                      "ReduceMean/ReduceMax axes as attribute (13) or input (18); Softmax axes; Squeeze/Unsqueeze")


def main():
    os.makedirs(OUT, exist_ok=True)
    export_torch("se_net", SENet(), (1, 3, 32, 32), 17)
    export_torch("concat_net", ConcatNet(), (1, 3, 31, 32), 17)
    export_torch("depthwise_net", DepthwiseNet(), (1, 3, 64, 64), 17)
    export_torch("convnext_block", ConvNeXtBlock(), (1, 3, 32, 32), 17)
    export_torch("shuffle_net", ShuffleNet(), (1, 3, 32, 32), 13, rf=False)
    for opset in (7, 9, 11, 13, 17, 21):
        export_torch(f"variants_opset{opset}", Variants(upsample=opset >= 9), (1, 3, 45, 45), opset, rf=opset == 17,
                     rf_outputs=["pool", "padded", "sliced"])
    conv_transpose_forms()
    resize_forms()
    pad_forms()
    slice_forms()
    auto_pad_forms()
    reduce_forms()


if __name__ == "__main__":
    main()
