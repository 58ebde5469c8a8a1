"""The draw axis: numbers that may be one value or one value per draw.

Every engine input may be a float or an array of shape ``(n_draws,)``
(:data:`Draws`); these helpers lay such inputs out along the leading draw axis.
"""

from __future__ import annotations

from typing import Union

import numpy as np

#: A number, or one number per draw (shape ``(n_draws,)``).
Draws = Union[float, np.ndarray]


def draw_count(*values: object) -> int:
    """Length of the draw axis implied by the inputs (1 if all are scalars)."""
    n = 1
    for v in values:
        if isinstance(v, np.ndarray) and v.ndim > 0:
            if v.ndim != 1:
                raise ValueError(f"draw arrays must be 1-D, got shape {v.shape}")
            if n not in (1, v.shape[0]) and v.shape[0] != 1:
                raise ValueError(f"draw arrays disagree in length: {n} and {v.shape[0]}")
            n = max(n, v.shape[0])
    return n


def col(x: Draws, n: int) -> np.ndarray:
    """``x`` as a float column of shape ``(n, 1)``."""
    a = np.asarray(x, dtype=float)
    return np.broadcast_to(a.reshape(-1, 1), (n, 1)) if a.ndim else np.full((n, 1), float(a))
