#!/usr/bin/env python3
"""Makes the ONNX fixture of the `fovea rf` CLI tests: Tests/FoveaCLITests/Fixtures/custom_op.onnx.

A graph written with onnx.helper whose input has symbolic dimensions [batch, 3, height, width]
and whose activations are an operator Fovea cannot know (domain com.example, op FancyAct), so
the CLI must ask for --input and --assume-pointwise:

    image -> Conv 3x3 stride 2 pad 1 -> FancyAct "act1" -> Conv 3x3 pad 1 -> FancyAct "act2"
          -> MaxPool 2x2 stride 2 -> "pool"

Graph outputs: act1, pool. Receptive fields by hand, convention unit i sees
[i*S - P, i*S - P + r - 1] (FancyAct element-wise):
    act1: r 3, S 2, P 1;   conv2: r 3 + 2*2 = 7, S 2, P 1 + 2*1 = 3;   pool: r 7 + 1*2 = 9, S 4, P 3.
At --input 32: act1 16x16, pool 8x8.

The conv weights reference an external file that is not written (graph-only, like the other
fixtures). Needs onnx (pip). Run: python3 scripts/onnx/make_cli_fixtures.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "FoveaCLITests", "Fixtures")


def move_weights_out(model):
    """Turns every initializer into a reference to an absent external file."""
    for tensor in model.graph.initializer:
        tensor.ClearField("raw_data")
        tensor.ClearField("float_data")
        tensor.data_location = TensorProto.EXTERNAL
        entry = tensor.external_data.add()
        entry.key, entry.value = "location", "custom_op.onnx.data"


def main():
    nodes = [
        helper.make_node("Conv", ["image", "w1"], ["c1"], name="conv1", strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("FancyAct", ["c1"], ["act1"], name="fancy1", domain="com.example"),
        helper.make_node("Conv", ["act1", "w2"], ["c2"], name="conv2", pads=[1, 1, 1, 1]),
        helper.make_node("FancyAct", ["c2"], ["act2"], name="fancy2", domain="com.example"),
        helper.make_node("MaxPool", ["act2"], ["pool"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
    ]
    graph = helper.make_graph(
        nodes, "custom_op",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["batch", 3, "height", "width"])],
        [helper.make_tensor_value_info("act1", TensorProto.FLOAT, ["batch", 8, None, None]),
         helper.make_tensor_value_info("pool", TensorProto.FLOAT, ["batch", 8, "pooled_h", "pooled_w"])],
        [numpy_helper.from_array(np.zeros((8, 3, 3, 3), np.float32), "w1"),
         numpy_helper.from_array(np.zeros((8, 8, 3, 3), np.float32), "w2")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.example", 1)],
                              producer_name="make_cli_fixtures.py")
    model.ir_version = 8
    onnx.checker.check_model(model)  # with the weights present
    move_weights_out(model)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "custom_op.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    print(f"custom_op.onnx: {len(nodes)} nodes")


if __name__ == "__main__":
    main()
