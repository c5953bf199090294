"""Checks a `fovea train` checkpoint from Python: model.safetensors opens with
safetensors.numpy.load_file, loads strictly into the PyTorch module lenet_digits stands for,
and gives the probabilities `fovea predict` printed.

    fovea predict --checkpoint DIR --x X.npy --format json > predictions.json
    python3 scripts/training/check_checkpoint.py DIR X.npy predictions.json
"""
import json
import sys

import numpy as np
import torch
from safetensors.numpy import load_file


class LeNetDigits(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 16, 3, padding=1)
        self.relu1 = torch.nn.ReLU()
        self.pool1 = torch.nn.MaxPool2d(2)
        self.conv2 = torch.nn.Conv2d(16, 32, 3, padding=1)
        self.relu2 = torch.nn.ReLU()
        self.pool2 = torch.nn.MaxPool2d(2)
        self.flatten = torch.nn.Flatten()
        self.fc1 = torch.nn.Linear(128, 120)
        self.relu3 = torch.nn.ReLU()
        self.fc2 = torch.nn.Linear(120, 84)
        self.relu4 = torch.nn.ReLU()
        self.fc3 = torch.nn.Linear(84, 10)

    def forward(self, x):
        for module in self.children():
            x = module(x)
        return x


directory, x_path, predictions_path = sys.argv[1:4]
tensors = load_file(f"{directory}/model.safetensors")
for name, array in tensors.items():
    print(f"{name}: {array.dtype} {list(array.shape)}")
model = LeNetDigits()
expected = {name: list(t.shape) for name, t in model.state_dict().items()}
assert expected == {name: list(a.shape) for name, a in tensors.items()}, "names or shapes differ"
model.load_state_dict({name: torch.from_numpy(a) for name, a in tensors.items()}, strict=True)
x = torch.from_numpy(np.load(x_path).astype(np.float32))
if x.dim() == 3:
    x = x.unsqueeze(1)
with torch.no_grad():
    torch_probabilities = torch.softmax(model(x).double(), dim=1).numpy()
fovea = np.array([p["probabilities"] for p in json.load(open(predictions_path))["predictions"]])
difference = np.abs(torch_probabilities - fovea).max()
same_classes = (torch_probabilities.argmax(1) == fovea.argmax(1)).all()
print(f"strict load_state_dict: ok; {len(fovea)} images; max |p_torch - p_fovea| = {difference:.2e}; same classes: {same_classes}")
