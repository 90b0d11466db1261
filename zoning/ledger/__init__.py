"""The park's yearly ledger: per-mu grades, the idle-land clock, intensive-use indicators.

One module per concern, none of which reads a file or draws a map:

- :mod:`zoning.ledger.settings`: the ``[ledger]`` section of the rulebook;
- :mod:`zoning.ledger.validation`: checks of the enterprise table (bad rows become error rows);
- :mod:`zoning.ledger.evaluation`: per-mu indicators, scores and grades of enterprises;
- :mod:`zoning.ledger.land_clock`: idle, late and inefficient land as of a date;
- :mod:`zoning.ledger.indicators`: the park's intensive-use indicators and targets;
- :mod:`zoning.ledger.run`: :func:`evaluate`, all of the above in one call;
- :mod:`zoning.ledger.records`: the result as JSON records and tables.

``evaluate`` and ``LedgerResult`` are imported lazily, so that :mod:`zoning.rulebook` can use
the settings without importing the park.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zoning.ledger.settings import LedgerSettings

if TYPE_CHECKING:
    from zoning.ledger.run import LedgerResult, evaluate

__all__ = ["LedgerResult", "LedgerSettings", "evaluate"]


def __getattr__(name: str) -> Any:
    if name in ("LedgerResult", "evaluate"):
        from zoning.ledger import run

        return getattr(run, name)
    raise AttributeError(f"module 'zoning.ledger' has no attribute {name!r}")
