"""The findings of a check as one long table, and the per-row dict view over it.

A check stores its findings in long, columnar form (:class:`FindingsStore`): one entry per
finding, in the order of the (project, zone) pairs and, within a pair, of the registry; each
entry points into the findings pool of its rule's outcome (:class:`~zoning.rules.base.Pool`:
findings shared by many pairs, or the per-row columns of :class:`~zoning.rules.base.Rows`,
whose messages are rendered only when read).

Two views of it:

- :class:`FindingsView`, the ``findings`` cell of a result row: a read-only sequence of
  finding dicts (rule, status, reason, message, message_zh, measured, required, unit,
  source), made when the row is read. It compares equal to the list of the same dicts and
  pickles as one.
- :func:`findings_table`: one row per finding of a whole result, with the repeated texts as
  pandas categoricals, keyed by ``project_id`` and ``zone_id`` to join to the verdicts.

>>> import pandas as pd
>>> from zoning.rules import check
>>> from zoning.rules.examples import two_zone_park
>>> projects = pd.DataFrame({"project_id": ["P1"], "industry_code": ["3252"],
...     "area_mu": [50.0], "wastewater_tpd": [5.0]})
>>> result = check(two_zone_park(), projects)
>>> table = findings_table(result)
>>> table[table["status"] == "fail"][["zone_id", "rule", "reason"]].values.tolist()
[['b', 'industry', 'prohibited_industry'], ['b', 'land_use_class', 'class_above_zone']]
>>> result.loc[1, "findings"][0]["reason"]
'prohibited_industry'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Final, cast, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from zoning import schema as s
from zoning._types import Codes, IntArray
from zoning.rules.base import CODE_OF_STATUS, STATUS_NAMES, WARN, Finding, Outcome, Pool, Rows

#: the columns of :func:`findings_table`, in order (``message`` and ``message_zh`` on request)
TABLE_COLUMNS: Final = (
    s.PROJECT_ID,
    s.ZONE_ID,
    s.RULE,
    s.STATUS,
    s.REASON,
    s.MEASURED,
    s.REQUIRED,
    s.UNIT,
    s.SOURCE,
)
#: the text columns of the table kept as categoricals (few distinct values, many rows)
CATEGORICAL: Final = (s.RULE, s.STATUS, s.REASON, s.UNIT, s.SOURCE)
_KEYS: Final = (s.RULE, s.STATUS, s.REASON, s.MEASURED, s.REQUIRED, s.UNIT, s.SOURCE)


class FindingsStore:
    """Every finding of a batch, one entry each, grouped by pair.

    Attributes
    ----------
    pools
        The findings pool of each outcome, in registry order.
    start
        Per pair ``k``, its findings are entries ``start[k]`` to ``start[k + 1]``.
    which
        Per entry: the outcome (position in ``pools``).
    ref
        Per entry: the position of its finding in its pool.
    """

    __slots__ = ("_getters", "_status", "pools", "ref", "start", "which")

    def __init__(
        self,
        pools: Sequence[Pool],
        start: IntArray,
        which: npt.NDArray[np.int16],
        ref: npt.NDArray[np.int32],
    ) -> None:
        self.pools = list(pools)
        self.start = start
        self.which = which
        self.ref = ref
        self._status: Codes | None = None
        # per pool: its finding at a position (entries of missing findings are never stored)
        self._getters: list[Callable[[int], Finding]] = [
            pool.finding if isinstance(pool, Rows) else cast(Sequence[Finding], pool).__getitem__
            for pool in self.pools
        ]

    @property
    def status(self) -> Codes:
        """Per entry: its status code (computed on first use)."""
        if self._status is None:
            status = np.empty(len(self.which), dtype=np.int8)
            for r, pool in enumerate(self.pools):
                sel = np.flatnonzero(self.which == r)
                if isinstance(pool, Rows):
                    status[sel] = pool.status[self.ref[sel]]
                    continue
                codes = np.array(
                    [-1 if f is None else CODE_OF_STATUS[f[s.STATUS]] for f in pool], dtype=np.int8
                )
                status[sel] = codes[self.ref[sel]]
            self._status = status
        return self._status

    def row_at_least(self, pair: int, code: int) -> list[Finding]:
        """Return the findings of one pair whose status code is at least ``code``."""
        lo, hi = self.start[pair], self.start[pair + 1]
        picked = np.flatnonzero(self.status[lo:hi] >= code) + lo
        return self._entries(self.which[picked].tolist(), self.ref[picked].tolist())

    @property
    def n_pairs(self) -> int:
        """Number of pairs."""
        return len(self.start) - 1

    def finding(self, entry: int) -> Finding:
        """Return the finding of one entry (a shared object, or a row rendered now)."""
        pool = self.pools[self.which[entry]]
        ref = int(self.ref[entry])
        if isinstance(pool, Rows):
            return pool.finding(ref)
        found: Finding | None = pool[ref]
        assert found is not None  # entries of missing findings are never stored
        return found

    def row(self, pair: int) -> list[Finding]:
        """Return the findings of one pair, in registry order."""
        lo, hi = self.start[pair], self.start[pair + 1]
        return self._entries(self.which[lo:hi].tolist(), self.ref[lo:hi].tolist())

    def _entries(self, which: list[int], refs: list[int]) -> list[Finding]:
        get = self._getters
        return [get[r](ref) for r, ref in zip(which, refs, strict=True)]

    def views(self) -> list[FindingsView]:
        """Return the dict view of every pair, in pair order."""
        return [FindingsView(self, k) for k in range(self.n_pairs)]


def _present(o: Outcome) -> npt.NDArray[np.bool_]:
    """Where the outcome has a finding: its status applies and its finding is not ``None``."""
    on = o.status >= 0
    if isinstance(o.findings, Rows) or not len(o.findings):
        return on
    missing = np.fromiter((f is None for f in o.findings), dtype=bool, count=len(o.findings))
    if not missing.any():
        return on
    kept: npt.NDArray[np.bool_] = on & ~missing[np.where(on, o.ref, 0)]
    return kept


def build_store(outcomes: Sequence[Outcome], n_pairs: int) -> FindingsStore:
    """Lay the outcomes of the rules out as one long table, pair by pair, in registry order.

    Linear in the number of findings: each outcome writes its entries to their places,
    found from the running count of findings of the outcomes before it in the same pair.
    """
    present = np.zeros((len(outcomes), n_pairs), dtype=bool)
    for r, o in enumerate(outcomes):
        present[r] = _present(o)
    counts = present.sum(axis=0, dtype=np.intp)
    start = np.zeros(n_pairs + 1, dtype=np.intp)
    np.cumsum(counts, out=start[1:])
    which = np.empty(int(start[-1]), dtype=np.int16)
    ref = np.empty(int(start[-1]), dtype=np.int32)
    filled = start[:-1].copy()  # next free entry of each pair
    for r, o in enumerate(outcomes):
        pairs = np.flatnonzero(present[r])
        dest = filled[pairs]
        which[dest] = r
        ref[dest] = o.ref[pairs]
        filled[pairs] += 1
    return FindingsStore([o.findings for o in outcomes], start, which, ref)


class FindingsView(Sequence[Finding]):
    """The findings of one result row: a read-only sequence of finding dicts.

    Made from the check's columnar store when read (a finding with a per-row message is
    rendered then). Equal to a list of the same findings; pickled and copied as that list.
    """

    __slots__ = ("_pair", "_store")

    def __init__(self, store: FindingsStore, pair: int) -> None:
        self._store = store
        self._pair = pair

    @property
    def store(self) -> FindingsStore:
        """The store the row's findings live in."""
        return self._store

    @property
    def pair(self) -> int:
        """The row's position in the store."""
        return self._pair

    def __len__(self) -> int:
        return int(self._store.start[self._pair + 1] - self._store.start[self._pair])

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        return self._store.row(self._pair)[index]

    def __iter__(self) -> Iterator[Finding]:
        return iter(self._store.row(self._pair))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FindingsView | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to lists, so unhashable like them

    def __repr__(self) -> str:
        return repr(list(self))

    def __reduce__(self) -> tuple[type[list[Finding]], tuple[list[Finding]]]:
        """Pickle and copy as the plain list of findings (not the whole store)."""
        return (list, (list(self),))


# --------------------------------------------------------------------------- the long table
def _pool_columns(pool: Pool, refs: IntArray, messages: bool) -> dict[str, Any]:
    """Return the table columns of the entries ``refs`` of one pool."""
    if isinstance(pool, Rows):
        measured = pool.measured[refs].astype(object)
        required = pool.required[refs].astype(object)
        measured[pd.isna(measured)] = None
        required[pd.isna(required)] = None
        out: dict[str, Any] = {
            s.RULE: np.full(len(refs), pool.rule, dtype=object),
            s.STATUS: np.array(STATUS_NAMES, dtype=object)[pool.status[refs]],
            s.REASON: np.array(pool.reasons, dtype=object)[pool.reason[refs]],
            s.MEASURED: measured,
            s.REQUIRED: required,
            s.UNIT: _texts(pool.unit, refs),
            s.SOURCE: _texts(pool.source, refs),
        }
        if messages:
            unique, back = np.unique(refs, return_inverse=True)
            texts = [pool.render(int(i)) for i in unique]
            out[s.MESSAGE] = np.array([t[0] for t in texts], dtype=object)[back]
            out[s.MESSAGE_ZH] = np.array([t[1] for t in texts], dtype=object)[back]
        return out
    unique, back = np.unique(refs, return_inverse=True)
    found = [pool[int(i)] for i in unique]
    keys = (*_KEYS, s.MESSAGE, s.MESSAGE_ZH) if messages else _KEYS
    column = np.empty(len(found), dtype=object)
    result = {}
    for key in keys:
        column[:] = [None if f is None else f.get(key) for f in found]
        result[key] = column[back]
    return result


def _texts(value: object, refs: IntArray) -> npt.NDArray[np.object_]:
    if isinstance(value, str):
        return np.full(len(refs), value, dtype=object)
    return np.asarray(value, dtype=object)[refs]


def _store_entries(views: Sequence[FindingsView]) -> tuple[IntArray, IntArray]:
    """Return the store entries of the views, in order, and the view each belongs to."""
    store = views[0].store
    pairs = np.fromiter((v.pair for v in views), dtype=np.intp, count=len(views))
    lengths = store.start[pairs + 1] - store.start[pairs]
    owner = np.repeat(np.arange(len(views)), lengths)
    first = np.repeat(store.start[pairs] - np.cumsum(lengths) + lengths, lengths)
    return first + np.arange(len(owner)), owner


def _view_frame(views: Sequence[FindingsView], messages: bool) -> tuple[pd.DataFrame, IntArray]:
    """Return the findings of views of one store, and the view of each finding."""
    entries, owner = _store_entries(views)
    store = views[0].store
    which = store.which[entries]
    columns: dict[str, npt.NDArray[np.object_]] = {}
    keys = (*_KEYS, s.MESSAGE, s.MESSAGE_ZH) if messages else _KEYS
    for key in keys:
        columns[key] = np.empty(len(entries), dtype=object)
    for r in np.unique(which).tolist():
        sel = np.flatnonzero(which == r)
        part = _pool_columns(store.pools[r], store.ref[entries[sel]].astype(np.intp), messages)
        for key in keys:
            columns[key][sel] = part[key]
    return pd.DataFrame(columns), owner


def _list_frame(rows: Sequence[Sequence[Mapping[str, Any]]], messages: bool) -> pd.DataFrame:
    keys = (*_KEYS, s.MESSAGE, s.MESSAGE_ZH) if messages else _KEYS
    return pd.DataFrame([[f.get(k) for k in keys] for fs in rows for f in fs], columns=list(keys))


def findings_table(results: pd.DataFrame, *, messages: bool = False) -> pd.DataFrame:
    """Return the findings of check results as a long table: one row per finding.

    Parameters
    ----------
    results
        Rows of :func:`zoning.rules.check` (any subset or order, several checks concatenated).
    messages
        Also render the ``message`` and ``message_zh`` columns.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TABLE_COLUMNS` (then the messages): ``project_id`` and ``zone_id`` are
        the key of the result row (join them to the verdicts), the rows follow the results
        and, within a row, its findings; the texts of :data:`CATEGORICAL` are categoricals;
        ``measured`` and ``required`` are numbers or texts (``None`` where a finding has none).
    """
    cells = results[s.FINDINGS].tolist()
    groups: dict[int, list[int]] = {}
    plain: list[int] = []
    for i, cell in enumerate(cells):
        if isinstance(cell, FindingsView):
            groups.setdefault(id(cell.store), []).append(i)
        else:
            plain.append(i)
    frames, owners = [], []
    for rows in groups.values():
        frame, owner = _view_frame([cells[i] for i in rows], messages)
        frames.append(frame)
        owners.append(np.asarray(rows, dtype=np.intp)[owner])
    if plain:
        listed = [list(cells[i]) if isinstance(cells[i], Sequence) else [] for i in plain]
        frames.append(_list_frame(listed, messages))
        owners.append(np.repeat(np.asarray(plain, dtype=np.intp), [len(x) for x in listed]))
    keys = (*_KEYS, s.MESSAGE, s.MESSAGE_ZH) if messages else _KEYS
    if not frames:
        frames, owners = [pd.DataFrame(columns=list(keys))], [np.zeros(0, dtype=np.intp)]
    table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    owner = np.concatenate(owners)
    order = np.argsort(owner, kind="stable")
    table = table.iloc[order].reset_index(drop=True)
    owner = owner[order]
    table.insert(0, s.ZONE_ID, results[s.ZONE_ID].to_numpy(dtype=object)[owner])
    table.insert(0, s.PROJECT_ID, results[s.PROJECT_ID].to_numpy(dtype=object)[owner])
    for key in CATEGORICAL:
        table[key] = pd.Categorical(table[key])
    return table


def findings_at_least(cell: object, code: int = WARN) -> list[Mapping[str, Any]]:
    """Return the findings of one result cell whose status code is at least ``code``.

    For a :class:`FindingsView`, only those findings are made (and their messages rendered);
    a plain list (an error row, a result read back from JSON) is filtered.
    """
    if isinstance(cell, FindingsView):
        return list(cell.store.row_at_least(cell.pair, code))
    if not isinstance(cell, Sequence) or isinstance(cell, str):
        return []
    return [
        f
        for f in cell
        if isinstance(f, Mapping) and CODE_OF_STATUS.get(str(f.get(s.STATUS)), -1) >= code
    ]


def rows_at_least(cells: Sequence[object], code: int = WARN) -> list[list[Mapping[str, Any]]]:
    """Return, for many result cells at once, the findings whose status is at least ``code``.

    :func:`findings_at_least` over a chunk of rows, with the entries of the rows' views
    selected together (one numpy pass per store instead of one per row).
    """
    out: list[list[Mapping[str, Any]]] = [[] for _ in cells]
    groups: dict[int, list[int]] = {}
    for i, cell in enumerate(cells):
        if isinstance(cell, FindingsView):
            groups.setdefault(id(cell.store), []).append(i)
        else:
            out[i] = findings_at_least(cell, code)
    for rows in groups.values():
        views = [cast(FindingsView, cells[i]) for i in rows]
        store = views[0].store
        entries, owner = _store_entries(views)
        keep = store.status[entries] >= code
        picked = entries[keep]
        found = store._entries(store.which[picked].tolist(), store.ref[picked].tolist())
        ends = np.cumsum(np.bincount(owner[keep], minlength=len(views))).tolist()
        begin = 0
        for i, end in zip(rows, ends, strict=True):
            out[i] = list(found[begin:end])
            begin = end
    return out


def worst_of(outcomes: Sequence[Outcome], n_pairs: int) -> tuple[Codes, IntArray]:
    """Return the worst status and the number of warnings of each pair."""
    if not outcomes:
        return np.zeros(n_pairs, dtype=np.int8), np.zeros(n_pairs, dtype=np.intp)
    worst = np.zeros(n_pairs, dtype=np.int8)
    n_warn = np.zeros(n_pairs, dtype=np.intp)
    for o in outcomes:
        np.maximum(worst, o.status, out=worst)
        n_warn += o.status == WARN
    return worst, n_warn


__all__ = [
    "CATEGORICAL",
    "TABLE_COLUMNS",
    "FindingsStore",
    "FindingsView",
    "build_store",
    "findings_at_least",
    "findings_table",
    "rows_at_least",
    "worst_of",
]
