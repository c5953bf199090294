"""Writes the conv2d gradient cases of this directory with PyTorch (float64 autograd).

Same format and conventions as ../grad (see its manifest.json; one JSON file per case, and the manifest): loss = sum((out - target)^2) /
numel(out). The shapes are 3x3 stride-1 layers wide enough for Fovea's Winograd kernel (at least
32 channels; 64 channels and 12x12 outputs for its weight gradient). Run from this directory:
    python3 make_cases.py
"""
import json

import numpy as np
import torch

CASES = [
    # (x shape, out channels, padding [h, w], bias)
    ((2, 32, 9, 11), 40, [1, 1], True),
    ((2, 64, 13, 12), 64, [1, 1], True),
    ((1, 48, 7, 8), 36, [0, 2], False),
    ((1, 64, 16, 16), 64, [0, 0], True),
]


def main():
    torch.manual_seed(2026)
    manifest = {"generator": "make_cases.py", "torch": torch.__version__, "numpy": np.__version__,
                "count": len(CASES), "cases": []}
    for index, (shape, out_channels, padding, bias) in enumerate(CASES):
        case_id = f"conv2d_winograd_{index:04d}"
        x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
        w = torch.randn(out_channels, shape[1], 3, 3, dtype=torch.float64, requires_grad=True)
        b = torch.randn(out_channels, dtype=torch.float64, requires_grad=True) if bias else None
        out = torch.nn.functional.conv2d(x, w, b, stride=1, padding=padding)
        target = torch.randn(*out.shape, dtype=torch.float64)
        scale = 1.0 / out.numel()
        loss = scale * ((out - target) ** 2).sum()
        loss.backward()
        arrays = {"x": x, "w": w, "target": target, "out": out, "loss": loss, "dx": x.grad, "dw": w.grad}
        if bias:
            arrays["b"] = b
            arrays["db"] = b.grad
        files = {}
        for name, value in arrays.items():
            files[name] = f"{case_id}.{name}.npy"
            np.save(files[name], value.detach().numpy())
        entry = {
            "id": case_id, "kind": "conv2d",
            "params": {"stride": [1, 1], "padding": padding, "dilation": [1, 1], "groups": 1, "bias": bias},
            "shapes": {name: list(value.shape) for name, value in arrays.items()},
            "loss_fn": "loss = loss_scale * sum((out - target)^2)", "loss_scale": scale, "loss": loss.item(),
            "inputs": ["x", "w", "b", "target"] if bias else ["x", "w", "target"],
            "expected": ["out", "loss", "dx", "dw", "db"] if bias else ["out", "loss", "dx", "dw"],
            "files": files,
        }
        with open(f"{case_id}.json", "w") as f:
            json.dump(entry, f, indent=1)
        manifest["cases"].append(entry)
    with open("manifest.json", "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
