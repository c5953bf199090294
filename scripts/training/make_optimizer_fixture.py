"""Writes Tests/FoveaNNTests/Fixtures/training/optimizers.json: three steps of torch.optim.SGD,
Adam and AdamW (float32, CPU, single-tensor code path) on one parameter with given gradients."""
import json
import pathlib
import torch

torch.manual_seed(7)
start = (torch.rand(2, 3) * 2 - 1).float()
grads = [(torch.rand(2, 3) * 2 - 1).float() for _ in range(3)]
cases = [
    ("sgd", torch.optim.SGD, dict(lr=0.1)),
    ("sgd", torch.optim.SGD, dict(lr=0.05, momentum=0.9)),
    ("sgd", torch.optim.SGD, dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    ("sgd", torch.optim.SGD, dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1)),
    ("adam", torch.optim.Adam, dict(lr=0.01)),
    ("adam", torch.optim.Adam, dict(lr=0.003, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.05)),
    ("adam", torch.optim.Adam, dict(lr=0.01, betas=(0.3, 0.9))),
    ("adamw", torch.optim.AdamW, dict(lr=0.01)),
    ("adamw", torch.optim.AdamW, dict(lr=0.02, weight_decay=0.3)),
]
records = []
for kind, cls, options in cases:
    p = torch.nn.Parameter(start.clone())
    opt = cls([p], foreach=False, **options)
    steps = []
    for g in grads:
        p.grad = g.clone()
        opt.step()
        steps.append(p.detach().flatten().tolist())
    betas = options.get("betas", (0.9, 0.999))
    records.append({
        "kind": kind, "lr": options["lr"], "momentum": options.get("momentum", 0.0),
        "dampening": options.get("dampening", 0.0), "nesterov": options.get("nesterov", False),
        "weight_decay": options.get("weight_decay", 0.01 if kind == "adamw" else 0.0),
        "beta1": betas[0], "beta2": betas[1], "eps": options.get("eps", 1e-8), "after_steps": steps,
    })
out = pathlib.Path(__file__).resolve().parents[2] / "Tests/FoveaNNTests/Fixtures/training/optimizers.json"
out.write_text(json.dumps({
    "torch": torch.__version__, "shape": [2, 3], "start": start.flatten().tolist(),
    "grads": [g.flatten().tolist() for g in grads], "cases": records}, indent=1) + "\n")
