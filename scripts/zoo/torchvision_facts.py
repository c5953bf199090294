"""Record facts about the zoo's torchvision models for Fovea's tests.

For every model at its default input size: the parameter count, the parameters that live
outside convolutions, linear layers and batch norms (Fovea treats their modules as pointwise
ops, so its own count leaves them out), the logits shape, and every traced operation: its
qualified name as torchvision's feature extraction names it (leaf = a module without children;
repeated uses get `_1`, `_2`, ...), what it is, and its output shape as [C, H, W] (or [F]).

Run:  PYTHONPATH=/path/to/torchvision python3 scripts/zoo/torchvision_facts.py OUT.json
"""
import json
import sys

import torch
import torch.fx
from torch.fx.passes.shape_prop import ShapeProp

import tvimport
from tvimport import MODELS, build
from torchvision.models.feature_extraction import NodePathTracer

COUNTED = (torch.nn.Conv2d, torch.nn.Linear, torch.nn.BatchNorm2d)


class ChildlessLeafTracer(NodePathTracer):
    """Traces through every container, stopping only at modules without children."""

    def is_leaf_module(self, module, qualname):
        return next(module.children(), None) is None


def other_parameters(model):
    """Parameters not owned by a Conv2d, Linear or BatchNorm2d module, by owner class."""
    owned = set()
    for module in model.modules():
        if isinstance(module, COUNTED):
            owned.update(id(p) for p in module.parameters(recurse=False))
    breakdown = {}
    for name, module in model.named_modules():
        for p in module.parameters(recurse=False):
            if id(p) not in owned:
                kind = type(module).__name__
                breakdown[kind] = breakdown.get(kind, 0) + p.numel()
    return breakdown


def trace(model, side):
    tracer = ChildlessLeafTracer()
    graph = tracer.trace(model)
    module = torch.fx.GraphModule(tracer.root, graph)
    ShapeProp(module).propagate(torch.zeros(1, 3, side, side))
    channels_last = set()
    nodes = []
    for node in graph.nodes:
        if node.op not in ("call_module", "call_function", "call_method"):
            continue
        meta = node.meta.get("tensor_meta")
        if meta is None or not hasattr(meta, "shape"):
            continue
        shape = list(meta.shape)[1:]
        first = node.args[0] if node.args else None
        layout_in = isinstance(first, torch.fx.Node) and first in channels_last
        if node.op == "call_module":
            target = tracer.root.get_submodule(node.target)
            what = type(target).__name__
            dims = list(getattr(target, "dims", []))
        else:
            what = getattr(node.target, "__name__", str(node.target))
            dims = []
        if dims == [0, 2, 3, 1]:
            channels_last.add(node)
        elif dims != [0, 3, 1, 2] and layout_in and len(shape) == 3:
            channels_last.add(node)
        if node in channels_last:
            shape = [shape[2], shape[0], shape[1]]
        nodes.append([tracer.node_to_qualname[node], what, shape])
    return nodes


def main(path):
    torch.manual_seed(0)
    out = {
        "meta": {
            "torch": torch.__version__,
            "torchvision": tvimport.torchvision.__version__,
            "made_by": "scripts/zoo/torchvision_facts.py",
            "nodes": "[name, op, shape] in execution order; shape [C, H, W] at the default input "
                     "(channels-last tensors reordered), [F] after flatten",
        },
        "models": {},
    }
    for name, (kwargs, side) in MODELS.items():
        model = build(name)
        with torch.no_grad():
            logits = model(torch.zeros(1, 3, side, side))
        out["models"][name] = {
            "ctor": f"torchvision.models.{name}(weights=None, **{kwargs!r})",
            "input_size": [side, side],
            "parameters": sum(p.numel() for p in model.parameters()),
            "other_parameters": other_parameters(model),
            "output_shape": list(logits.shape)[1:],
            "nodes": trace(model, side),
        }
        print(name, out["models"][name]["parameters"], file=sys.stderr)
    write(out, path)


def write(out, path):
    """JSON with one traced node per line, so that diffs stay readable."""
    models = out.pop("models")
    lines = ["{", f' "meta": {json.dumps(out["meta"])},', ' "models": {']
    for m, (name, model) in enumerate(models.items()):
        nodes = model.pop("nodes")
        head = json.dumps(model)[1:-1]
        lines.append(f'  "{name}": {{{head}, "nodes": [')
        lines += [f"   {json.dumps(n)}" + ("," if i < len(nodes) - 1 else "") for i, n in enumerate(nodes)]
        lines.append("  ]}" + ("," if m < len(models) - 1 else ""))
    lines += [" }", "}"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
