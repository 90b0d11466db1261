"""Column values of the exported layers in their logical types, and records per feature."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from zoning import datadict as dd
from zoning.io.geojson import json_value


def is_missing(value: Any) -> bool:
    """Whether ``value`` is null (``None``, ``pd.NA``, ``NaT`` or NaN)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and bool(np.isnan(value))


def column_values(values: Iterable[Any], ftype: dd.ExportFieldType) -> list[Any]:
    """Python values of one column in its logical type (``None`` for null)."""
    out: list[Any] = []
    for value in values:
        if ftype in ("list[str]", "json"):
            if ftype == "list[str]":
                items = [] if is_missing(value) else json_value(value)
                out.append([str(v) for v in items] if isinstance(items, list) else [str(items)])
            else:
                out.append(json_value(value))
            continue
        if is_missing(value):
            out.append(None)
        elif ftype == "str":
            out.append(str(value))
        elif ftype == "int":
            out.append(int(value))
        elif ftype == "float":
            out.append(float(value))
        else:
            out.append(bool(value))
    return out


def layer_records(frame: pd.DataFrame, layer: dd.ExportLayer) -> list[dict[str, Any]]:
    """Return one dict per feature with the layer's fields, in order, as Python values."""
    columns = {f.name: column_values(frame[f.name], f.type) for f in layer.fields}
    return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]


__all__ = ["column_values", "is_missing", "layer_records"]
