"""Type aliases and number formatting shared by the computing modules (one home for each).

>>> fmt_num(1234.5, 1)
'1,234.5'
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

#: positions into another array (what numpy's indexing, ``argsort`` and ``flatnonzero`` give)
IntArray = npt.NDArray[np.intp]
#: status codes of the fit rules (-1 not applicable, 0 pass, 1 warn, 2 fail)
Codes = npt.NDArray[np.int8]
#: arrays of Python objects (geometries, ids, labels)
Objects = npt.NDArray[np.object_]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


def fmt_num(value: float, digits: int = 0) -> str:
    """Format a number with thousands separators and ``digits`` decimals (``1,234.5``)."""
    return f"{value:,.{digits}f}"
