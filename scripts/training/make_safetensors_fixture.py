"""Writes Tests/FoveaTensorTests/Fixtures/safetensors/python.safetensors with the Python
`safetensors` package: tensors whose values are known by construction (aranges)."""
import pathlib
import numpy as np
from safetensors.numpy import save_file

out = pathlib.Path(__file__).resolve().parents[2] / "Tests/FoveaTensorTests/Fixtures/safetensors"
out.mkdir(parents=True, exist_ok=True)
tensors = {
    "conv1.weight": (np.arange(24, dtype=np.float32) / 8 - 1).reshape(2, 3, 2, 2),
    "conv1.bias": np.array([0.5, -0.25], dtype=np.float32),
    "fc.weight": (np.arange(6, dtype=np.float64) * 0.1).reshape(3, 2),
    "scalar": np.array(3.0, dtype=np.float32),
}
save_file(tensors, str(out / "python.safetensors"), metadata={"format": "pt", "note": "fovea fixture"})
