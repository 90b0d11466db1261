"""Array type aliases shared by the planning modules (one home, one integer width)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from zoning import _types

#: node positions, phases, counts and codes (the same alias as the fit rules', one home)
IntArray = _types.IntArray
#: areas, lengths, capacities
FloatArray = npt.NDArray[np.float64]
#: masks
BoolArray = npt.NDArray[np.bool_]

__all__ = ["BoolArray", "FloatArray", "IntArray"]
