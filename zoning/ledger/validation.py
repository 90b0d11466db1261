"""Checks of the enterprise table: structural problems raise, bad rows become error rows.

:func:`validate_enterprise_columns` raises :class:`EnterpriseInputError` when the table as a
whole cannot be used (a missing column). :func:`parse_enterprises` turns the text cells of a
table (as read from ``enterprises.csv``) into typed columns and checks every row against the
park, collecting every problem of a row in its ``input_error`` list (each reason in Chinese and
English): an unknown parcel id, a parcel held by two enterprises, a date not written
YYYY-MM-DD, a negative number, a built share outside 0–1, an industry code not in the
rulebook's catalogue. A row with a problem is kept, as an error row: the rest of the batch is
evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import numpy as np
import pandas as pd

from zoning import schema as s
from zoning.errors import InputError, Problem
from zoning.i18n import Lang, bilingual

#: date cells are ISO 8601 calendar dates
DATE_FORMAT: Final = "%Y-%m-%d"
_DATE_RE: Final = r"^\d{4}-\d{2}-\d{2}$"
#: dates every row needs for the land clock
REQUIRED_DATES: Final = (s.SUPPLIED_ON, s.CONTRACT_START_BY, s.CONTRACT_COMPLETE_BY)
#: separator of the parcel ids an enterprise holds
PARCEL_SEPARATOR: Final = ";"
#: the reasons of each row, ``{"zh", "en"}`` each
_Reasons = list[list[dict[Lang, str]]]


class EnterpriseInputError(InputError):
    """The enterprise table cannot be read or used as a whole (a bad row is a result)."""


def validate_enterprise_columns(frame: pd.DataFrame, *, where: str = "enterprises") -> None:
    """Raise when a column of :data:`zoning.schema.ENTERPRISE_COLUMNS` is missing.

    Raises
    ------
    EnterpriseInputError
        Naming every missing column.

    Examples
    --------
    >>> validate_enterprise_columns(pd.DataFrame({"enterprise_id": ["E1"]}))
    Traceback (most recent call last):
    ...
    zoning.ledger.validation.EnterpriseInputError: cannot use the enterprise table (1 problem(s)):
      1. [enterprises] missing column(s): name_zh, ...
    """
    missing = [c for c in s.ENTERPRISE_COLUMNS if c not in frame.columns]
    if missing:
        raise EnterpriseInputError(
            "cannot use the enterprise table",
            [
                Problem(
                    where,
                    f"missing column(s): {', '.join(missing)}",
                    expected=f"the columns {', '.join(s.ENTERPRISE_COLUMNS)}",
                    fix="add the columns to the header (see docs/ledger.md); leave cells empty "
                    "where there is no value",
                )
            ],
        )


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].astype("string").fillna("").str.strip().astype(object)


def _add(reasons: _Reasons, mask: Iterable[bool], why: dict[Lang, str]) -> None:
    for i in np.flatnonzero(np.asarray(list(mask), dtype=bool)):
        reasons[int(i)].append(why)


def parse_enterprises(
    frame: pd.DataFrame,
    *,
    parcel_ids: Iterable[str],
    industry_codes: Iterable[str],
) -> pd.DataFrame:
    """Type and check the enterprise table; every row's problems go into ``input_error``.

    Parameters
    ----------
    frame
        The table, cells as text (or already typed values); columns of
        :data:`zoning.schema.ENTERPRISE_COLUMNS`.
    parcel_ids
        The park's parcel ids.
    industry_codes
        The rulebook's industry codes (GB/T 4754-2017).

    Returns
    -------
    pandas.DataFrame
        One row per input row, indexed 0..n-1: text columns stripped, ``parcel_ids`` a list of
        ids, numbers as floats (an empty cell is 0), dates as ``datetime64`` (an empty cell is
        NaT), and ``input_error``: a list of reasons, each ``{"zh": …, "en": …}`` (empty for a
        good row).

    Raises
    ------
    EnterpriseInputError
        If a column is missing.

    Examples
    --------
    >>> raw = pd.DataFrame([{c: "" for c in s.ENTERPRISE_COLUMNS}])
    >>> raw.loc[0, ["enterprise_id", "industry_code", "parcel_ids"]] = ["E1", "3252", "P1;P9"]
    >>> raw.loc[0, ["supplied_on", "contract_start_by", "contract_complete_by"]] = [
    ...     "2020-01-01", "2020-07-01", "2022/07/01"]
    >>> out = parse_enterprises(raw, parcel_ids=["P1"], industry_codes=["3252"])
    >>> [r["en"] for r in out.loc[0, "input_error"]]  # doctest: +NORMALIZE_WHITESPACE
    ['unknown parcel id(s) P9: not in the parcels layer',
     "contract_complete_by: '2022/07/01' is not a date written YYYY-MM-DD"]
    """
    validate_enterprise_columns(frame)
    raw = frame.reset_index(drop=True)
    n = len(raw)
    reasons: list[list[dict[Lang, str]]] = [[] for _ in range(n)]
    out = pd.DataFrame(index=pd.RangeIndex(n))

    for column in (s.ENTERPRISE_ID, s.NAME_ZH, s.NAME_EN, s.INDUSTRY_CODE):
        out[column] = _text(raw, column)
    out[s.NOTE] = _text(raw, s.NOTE) if s.NOTE in raw.columns else ""

    _check_ids(out, reasons)
    _check_industry_codes(out, reasons, frozenset(industry_codes))
    out[s.PARCEL_IDS] = _parse_parcels(raw, reasons, frozenset(parcel_ids), out[s.ENTERPRISE_ID])
    for column in s.ENTERPRISE_NUMBER_COLUMNS:
        out[column] = _parse_number(raw, column, reasons)
    _add(
        reasons,
        out[s.BUILT_SHARE].gt(1),
        bilingual("built_share: expected a share between 0 and 1 (0.5 for half built)"),
    )
    for column in s.ENTERPRISE_DATE_COLUMNS:
        out[column] = _parse_date(raw, column, reasons)
    _add(
        reasons,
        out[s.COMPLETED_ON].notna() & out[s.STARTED_ON].isna(),
        bilingual("completed_on is given but started_on is empty"),
    )
    _add(
        reasons,
        out[s.COMPLETED_ON] < out[s.STARTED_ON],
        bilingual("completed_on is before started_on"),
    )
    out[s.INPUT_ERROR] = pd.Series(reasons, index=out.index, dtype=object)
    return out


def _check_ids(out: pd.DataFrame, reasons: _Reasons) -> None:
    """Add a reason to each row whose enterprise id is empty or used twice."""
    ids = out[s.ENTERPRISE_ID]
    _add(reasons, ids.eq(""), bilingual("enterprise_id is empty: every row needs an id"))
    duplicated = ids.ne("") & ids.duplicated(keep=False)
    for value in sorted(set(ids[duplicated])):
        _add(reasons, ids.eq(value), bilingual("enterprise_id {id} is used twice", id=value))


def _check_industry_codes(
    out: pd.DataFrame, reasons: _Reasons, known_codes: frozenset[str]
) -> None:
    """Add a reason to each row whose industry code is not in the rulebook's catalogue."""
    codes = out[s.INDUSTRY_CODE]
    for value in sorted(set(codes[~codes.isin(known_codes)])):
        _add(
            reasons,
            codes.eq(value),
            bilingual(
                "industry_code {code!r} is not in the rulebook's industry catalogue "
                "(GB/T 4754-2017 four-digit code expected)",
                code=value,
            ),
        )


def _parse_parcels(
    raw: pd.DataFrame, reasons: _Reasons, known_parcels: frozenset[str], ids: pd.Series
) -> pd.Series:
    """Split each row's parcel ids; every id must be known, no parcel held twice."""
    held = _text(raw, s.PARCEL_IDS).map(
        lambda cell: [p.strip() for p in str(cell).split(PARCEL_SEPARATOR) if p.strip()]
    )
    _add(reasons, held.map(len).eq(0), bilingual("parcel_ids is empty: list the parcels held"))
    exploded = held.explode().dropna()
    unknown = exploded[~exploded.isin(known_parcels)]
    for row, group in unknown.groupby(level=0):
        _add(
            reasons,
            raw.index == row,
            bilingual("unknown parcel id(s) {ids}: not in the parcels layer", ids=", ".join(group)),
        )
    pairs = exploded.reset_index().drop_duplicates()
    pairs.columns = pd.Index(["row", "parcel"])
    holders = pairs.groupby("parcel")["row"].agg(list)
    for parcel, rows in holders[holders.map(len) > 1].items():
        names = ", ".join(str(ids.iloc[r]) or f"row {r + 2}" for r in rows)
        _add(
            reasons,
            raw.index.isin(rows),
            bilingual("parcel {parcel} is held by more than one enterprise ({names})",
                      parcel=parcel, names=names),
        )  # fmt: skip
    return held


def _parse_number(raw: pd.DataFrame, column: str, reasons: _Reasons) -> pd.Series:
    """Read a number column: empty is 0, never negative."""
    text = _text(raw, column)
    values = pd.to_numeric(text.where(text.ne(""), "0"), errors="coerce")
    _add(reasons, values.isna(), bilingual("{column}: a number is expected", column=column))
    _add(
        reasons,
        values.lt(0),
        bilingual("{column}: negative value; expected 0 or more", column=column),
    )
    return values.astype(float)


def _parse_date(raw: pd.DataFrame, column: str, reasons: _Reasons) -> pd.Series:
    """Read a date column: YYYY-MM-DD, real calendar days; the land clock's dates required."""
    text = _text(raw, column)
    parsed = pd.to_datetime(text.where(text.ne(""), None), format=DATE_FORMAT, errors="coerce")
    wrong = text.ne("") & (~text.str.match(_DATE_RE) | parsed.isna())
    for value in sorted(set(text[wrong])):
        _add(
            reasons,
            wrong & text.eq(value),
            bilingual(
                "{column}: {value!r} is not a date written YYYY-MM-DD", column=column,
                value=value,
            ),
        )  # fmt: skip
    if column in REQUIRED_DATES:
        _add(
            reasons,
            text.eq(""),
            bilingual("{column} is empty: the land clock needs it", column=column),
        )
    return parsed.where(~wrong)
