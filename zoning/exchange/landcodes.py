"""Land-use codes of GB 50137-2011 (M2, W1, R2 …) converted to the 2023 classification.

The table is the package data file ``gb50137_2011_to_2023.csv`` (its source and the
ambiguous cases are described in ``gb50137_2011_to_2023.md`` beside it). A value is read as:

1. a 2023 code already (``100102``; a number that lost its leading zero, ``70102``, is
   padded back);
2. a code of the mapping file's ``[land_use_codes]`` table (the administration's own reading);
3. a GB 50137-2011 code, alone or followed by its name (``M2``, ``M2二类工业用地``);
4. a class name of either standard (``二类工业用地``).

Anything else is reported as not convertible and left as given (validation then names it).

Examples
--------
>>> import pandas as pd
>>> codes, report = convert_land_use_codes(pd.Series(["M2", "B3", "100101", "二类居住用地"]))
>>> codes.tolist()
['100102', '0903', '100101', '070102']
>>> [c.old_code for c in report.ambiguous]
['B3']
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Final

import pandas as pd

from zoning.landuse import LAND_USE_CLASSES

TABLE_FILE: Final = "gb50137_2011_to_2023.csv"
_OLD_CODE: Final = re.compile(r"^([A-Z]\d{0,2})(?![0-9])")


@dataclass(frozen=True)
class CodeConversion:
    """One row of the conversion table: an old class and the 2023 class it becomes."""

    old_code: str
    old_name_zh: str
    new_code: str
    ambiguous: bool
    note: str


@dataclass
class CodeReport:
    """What the conversion did: counts per (given value, 2023 code), and what it could not do."""

    converted: dict[tuple[str, str], int] = field(default_factory=dict)
    ambiguous: list[CodeConversion] = field(default_factory=list)
    unconvertible: dict[str, int] = field(default_factory=dict)
    already_2023: int = 0


@cache
def conversion_table() -> dict[str, CodeConversion]:
    """Return the GB 50137-2011 → 2023 table, by old code."""
    text = resources.files("zoning.exchange").joinpath(TABLE_FILE).read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    table = {
        row["old_code"]: CodeConversion(
            row["old_code"],
            row["old_name_zh"],
            row["new_code"],
            row["ambiguous"] == "yes",
            row["note"],
        )
        for row in rows
    }
    unknown = sorted({c.new_code for c in table.values()} - set(LAND_USE_CLASSES))
    if unknown:  # pragma: no cover - guarded by the tests of the table
        raise RuntimeError(f"{TABLE_FILE} names 2023 codes zoning does not know: {unknown}")
    return table


def _clean(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().upper()
    if text.isdigit() and len(text) % 2 == 1:  # a numeric field lost the leading zero
        text = "0" + text
    return text


def _by_name() -> dict[str, str]:
    names = {c.name_zh: code for code, c in LAND_USE_CLASSES.items()}
    for conversion in conversion_table().values():
        names.setdefault(conversion.old_name_zh, conversion.old_code)
    return names


def convert_code(
    value: object, overrides: Mapping[str, str] | None = None
) -> tuple[str, CodeConversion | None]:
    """Convert one land-use value; return the code and the table row used (``None`` if none).

    Examples
    --------
    >>> convert_code("M3")[0], convert_code("070102")[0], convert_code("  m1 ")[0]
    ('100103', '070102', '100101')
    """
    text = _clean(value)
    if overrides and text in overrides:
        return overrides[text], None
    if text in LAND_USE_CLASSES:
        return text, None
    table = conversion_table()
    match = _OLD_CODE.match(text)
    if match and match.group(1) in table:
        row = table[match.group(1)]
        return row.new_code, row
    named = _by_name().get(text)
    if named is not None:
        if named in LAND_USE_CLASSES:
            return named, None
        row = table[named]
        return row.new_code, row
    return str(value).strip(), None


def convert_land_use_codes(
    values: pd.Series, overrides: Mapping[str, str] | None = None
) -> tuple[pd.Series, CodeReport]:
    """Convert a column of land-use values to 2023 codes (see the module docstring).

    Parameters
    ----------
    values
        The delivered values (codes or names of either standard); missing values stay missing.
    overrides
        The mapping file's ``[land_use_codes]`` table, given value → 2023 code.

    Returns
    -------
    tuple
        The converted codes, indexed like ``values``, and a :class:`CodeReport`.
    """
    clean_overrides = {_clean(k): str(v) for k, v in (overrides or {}).items()}
    report = CodeReport()
    present = values.notna()
    uniques = pd.unique(values[present])
    lookup: dict[object, str] = {}
    counts = values[present].map(str).value_counts()
    for value in uniques:
        code, row = convert_code(value, clean_overrides)
        lookup[value] = code
        n = int(counts.get(str(value), 0))
        if code not in LAND_USE_CLASSES:
            report.unconvertible[str(value)] = n
        elif row is None and _clean(value) == code:
            report.already_2023 += n
        else:
            report.converted[(str(value), code)] = n
            if row is not None and row.ambiguous and row not in report.ambiguous:
                report.ambiguous.append(row)
    out = values.astype(object).copy()
    out[present] = values[present].map(lookup)
    return out, report
