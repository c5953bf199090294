#!/usr/bin/env python3
"""Writes the example .npy files of Examples/README.md (float32, C order). Deterministic:
the values are the worked example of docs/backprop.md plus a 2x2 target."""
import os

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
arrays = {
    "x": [[[[1, 2, 0, 1], [0, 1, 3, 2], [2, 0, 1, 0], [1, 3, 2, 1]]]],  # input, N=1 C=1 4x4
    "w": [[[[1, -1], [2, 0]]]],                                      # weight, C_out=1 C_in=1 2x2
    "b": [0.5],                                                      # bias, C_out=1
    "target": [[[[0, 4], [4, 5]]]],                                  # target for a 2x2 output
}
for name, values in arrays.items():
    np.save(os.path.join(here, name + ".npy"), np.asarray(values, dtype=np.float32))
