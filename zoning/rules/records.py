"""Check results in other forms: failed rules per row, JSON records, a GeoJSON collection.

>>> import pandas as pd
>>> rows = pd.DataFrame({"findings": [[{"rule": "industry", "status": "fail"},
...                                    {"rule": "chain", "status": "warn"}]]})
>>> rules_with_status(rows, "fail").tolist()
[['industry']]
"""

from __future__ import annotations

from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zoning import schema as s
from zoning.rules.driver import RESULT_COLUMNS
from zoning.rules.table import FindingsView
from zoning.schema import FindingStatus

#: the keys of one row in the JSON form of a check result
RECORD_KEYS: Final = tuple(c for c in RESULT_COLUMNS if c != s.GEOMETRY)


def rules_with_status(results: pd.DataFrame, status: FindingStatus | str) -> pd.Series:
    """Return, per result row, the rules whose finding has ``status`` (e.g. the failed rules).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"findings": [[{"rule": "industry", "status": "fail"},
    ...                                    {"rule": "chain", "status": "warn"}]]})
    >>> rules_with_status(rows, "fail").tolist()
    [['industry']]
    """
    wanted = str(status)
    return pd.Series(
        [[f[s.RULE] for f in fs if f[s.STATUS] == wanted] for fs in results[s.FINDINGS]],
        index=results.index,
        name=f"{wanted}_rules",
        dtype=object,
    )


def plain(value: object) -> object:
    """Return ``value`` as a JSON-ready Python object (NaN becomes ``None``)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray | FindingsView):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def to_records(results: pd.DataFrame) -> list[dict[str, Any]]:
    """Convert check results to JSON-ready dicts, one per row (no geometry).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"project_id": ["P1"], "name": [""], "industry_code": ["3831"],
    ...     "zone_id": ["almg"], "verdict": ["fits"], "best": [True],
    ...     "area_mu": [float("nan")], "findings": [[]]})
    >>> to_records(rows)[0]["area_mu"] is None
    True
    """
    keys = [k for k in RECORD_KEYS if k in results.columns]
    columns = [results[k].tolist() for k in keys]
    out: list[dict[str, Any]] = []
    for row in zip(*columns, strict=True):
        record = {k: plain(v) for k, v in zip(keys, row, strict=True)}
        out.append(record)
    return out


def to_feature_collection(results: gpd.GeoDataFrame) -> dict[str, Any]:
    """Convert check results to a GeoJSON FeatureCollection in WGS84 (RFC 7946).

    The geometry of a feature is the project's site (``null`` without one); its properties
    are the JSON form of the row (:func:`to_records`), findings as an array.
    """
    records = to_records(results)
    if isinstance(results, gpd.GeoDataFrame) and results.crs is not None:
        geoms = results.geometry.to_crs("EPSG:4326").to_numpy()
    else:
        geoms = np.full(len(results), None, dtype=object)
    features = [
        {
            "type": "Feature",
            "properties": record,
            "geometry": None if shapely.is_missing(g) else shapely.geometry.mapping(g),
        }
        for record, g in zip(records, geoms, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}
