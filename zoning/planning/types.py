"""Array type aliases shared by the planning modules (one home, one integer width)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

#: node positions, phases, counts and codes
IntArray = npt.NDArray[np.int64]
#: areas, lengths, capacities
FloatArray = npt.NDArray[np.float64]
#: masks
BoolArray = npt.NDArray[np.bool_]

__all__ = ["BoolArray", "FloatArray", "IntArray"]
