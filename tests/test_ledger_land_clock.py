"""The idle-land clock of 《闲置土地处置办法》 at its edges; late completion; inefficient land."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from zoning import schema as s
from zoning.ledger.land_clock import anniversary, land_clock
from zoning.ledger.settings import IdleLandRules, InefficientLandRules
from zoning.ledger.validation import parse_enterprises

PARCELS = [f"P{i}" for i in range(1, 10)]
CODES = ["3252", "4411", "5211"]


def enterprise(**cells: Any) -> dict[str, str]:
    """A valid row (supplied 2021, start by 2022-03-01, complete by 2024-03-01) with changes."""
    row = dict.fromkeys(s.ENTERPRISE_COLUMNS, "")
    row.update(
        enterprise_id="E1",
        industry_code="3252",
        parcel_ids="P1",
        investment_contract_wan="1000",
        supplied_on="2021-09-01",
        contract_start_by="2022-03-01",
        contract_complete_by="2024-03-01",
    )
    row.update({k: str(v) for k, v in cells.items()})
    return row


def clock(rows: list[dict[str, str]], as_of: str, **kwargs: Any) -> pd.DataFrame:
    table = parse_enterprises(pd.DataFrame(rows), parcel_ids=PARCELS, industry_codes=CODES)
    assert table[s.INPUT_ERROR].map(len).eq(0).all(), table[s.INPUT_ERROR].tolist()
    n = len(table)
    return land_clock(
        table,
        as_of=pd.Timestamp(as_of),
        idle=IdleLandRules(),
        inefficient=InefficientLandRules(),
        output_standard_per_mu=kwargs.get("standard", pd.Series([198.0] * n)),
        area_mu=kwargs.get("area_mu", pd.Series([10.0] * n)),
        zone_prohibited=kwargs.get("prohibited", pd.Series([False] * n)),
    )


def status(row: dict[str, str], as_of: str) -> str:
    return str(clock([row], as_of).loc[0, s.LAND_STATUS])


@pytest.mark.parametrize(
    ("dates", "years", "expected"),
    [
        (["2020-02-29"], 1, ["2021-02-28"]),
        (["2020-02-29"], 4, ["2024-02-29"]),
        (["2019-02-28"], 1, ["2020-02-28"]),
        (["2022-12-31"], 2, ["2024-12-31"]),
        (["2024-02-29"], -1, ["2023-02-28"]),
    ],
)
def test_anniversaries_are_calendar_anniversaries(
    dates: list[str], years: int, expected: list[str]
) -> None:
    got = anniversary(pd.Series(pd.to_datetime(dates)), years)
    assert [d.date().isoformat() for d in got] == expected


def test_anniversary_keeps_missing_dates_missing() -> None:
    got = anniversary(pd.Series(pd.to_datetime(["2020-01-01", None])), 1)
    assert got.isna().tolist() == [False, True]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2023-02-28", "normal"),  # one day before the first anniversary
        ("2023-03-01", "idle_fee"),  # the anniversary: one full year without a start
        ("2023-03-02", "idle_fee"),
        ("2024-02-29", "idle_fee"),  # one day before the second anniversary
        ("2024-03-01", "idle_recovery"),
        ("2024-03-02", "idle_recovery"),
    ],
)
def test_land_not_started_is_idle_on_each_anniversary(as_of: str, expected: str) -> None:
    assert status(enterprise(), as_of) == expected


def test_fee_and_recovery_fall_due_on_the_anniversaries() -> None:
    fee = clock([enterprise()], "2023-06-01").iloc[0]
    assert (fee[s.DUE], fee[s.NEXT_DUE]) == ("2023-03-01", "2024-03-01")
    assert "Art. 2" in fee[s.ARTICLE]
    assert "20%" in fee[s.REASON]["en"]
    assert "闲置费" in fee[s.REASON]["zh"]
    before = clock([enterprise()], "2023-02-28").iloc[0]
    assert (before[s.DUE], before[s.NEXT_DUE]) == (None, "2023-03-01")
    recovery = clock([enterprise()], "2024-03-01").iloc[0]
    assert recovery[s.DUE] == "2024-03-01"


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2021-02-27", "normal"),
        ("2021-02-28", "idle_fee"),  # 29 February has its anniversary on 28 February
        ("2022-02-27", "idle_fee"),
        ("2022-02-28", "idle_recovery"),
    ],
)
def test_a_start_date_of_29_february(as_of: str, expected: str) -> None:
    row = enterprise(
        supplied_on="2019-09-01", contract_start_by="2020-02-29", contract_complete_by="2030-01-01"
    )
    assert status(row, as_of) == expected


def test_a_start_after_the_as_of_day_does_not_count() -> None:
    row = enterprise(started_on="2023-05-01", built_share="0.1")
    assert status(row, "2023-04-30") == "idle_fee"
    assert status(row, "2023-05-01") == "normal"


def stalled(**cells: Any) -> dict[str, str]:
    base = {
        "started_on": "2022-02-01",
        "stopped_since": "2022-06-01",
        "built_share": "0.2",
        "investment_actual_wan": "500",
    }
    return enterprise(**{**base, **cells})


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2023-05-31", "normal"),
        ("2023-06-01", "idle_fee"),
        ("2024-05-31", "idle_fee"),
        ("2024-06-01", "idle_recovery"),
    ],
)
def test_started_stopped_and_under_a_third_built_is_idle_a_year_after_the_stop(
    as_of: str, expected: str
) -> None:
    assert status(stalled(contract_complete_by="2030-01-01"), as_of) == expected


@pytest.mark.parametrize(
    ("built", "invested", "expected"),
    [
        (1.0 / 3.0, "250", "normal"),  # exactly a third built and a quarter invested
        (0.33, "500", "idle_fee"),  # under a third built
        (0.5, "249.9", "idle_fee"),  # under a quarter invested
        (0.5, "250", "normal"),
    ],
)
def test_the_third_built_and_quarter_invested_thresholds(
    built: float, invested: str, expected: str
) -> None:
    row = stalled(
        built_share=repr(built), investment_actual_wan=invested, contract_complete_by="2030-01-01"
    )
    assert status(row, "2023-07-01") == expected


def test_a_stop_that_resumed_is_not_idle() -> None:
    # stopped from 2022-06-01 to 2023-05-01, then resumed: the stop is cleared
    assert status(stalled(stopped_since="", contract_complete_by="2030-01-01"), "2024-07-01") == (
        "normal"
    )
    # stopped again on 2024-01-10: the clock starts again from the new stop
    again = stalled(stopped_since="2024-01-10", contract_complete_by="2030-01-01")
    assert status(again, "2024-07-01") == "normal"
    assert status(again, "2025-01-10") == "idle_fee"


def test_late_completion_from_the_day_after_the_contracted_date() -> None:
    row = enterprise(started_on="2022-02-01", built_share="0.8", investment_actual_wan="800")
    assert status(row, "2024-03-01") == "normal"
    late = clock([row], "2024-03-02").iloc[0]
    assert late[s.LAND_STATUS] == "late_completion"
    assert late[s.DUE] == "2024-03-01"
    # two years late is inefficient land (低效用地), the late finding stays in the findings
    long_late = clock([row], "2026-03-01").iloc[0]
    assert long_late[s.LAND_STATUS] == "inefficient"
    assert [f[s.LAND_STATUS] for f in long_late[s.FINDINGS]] == ["inefficient", "late_completion"]


def producing(**cells: Any) -> dict[str, str]:
    base = {
        "started_on": "2022-02-01",
        "completed_on": "2023-01-15",
        "built_share": "1",
        "investment_actual_wan": "1000",
        "output_wan": "2000",
    }
    return enterprise(**{**base, **cells})


def test_inefficient_land_by_the_rulebook_criteria() -> None:
    rows = [
        producing(enterprise_id="OK"),
        producing(enterprise_id="LOW", output_wan="900"),  # 90 万元/亩 < 50% of 198
        producing(enterprise_id="THIN", investment_actual_wan="400"),
        producing(enterprise_id="STOP", stopped_since="2024-02-01"),
        producing(enterprise_id="BAN"),
    ]
    for i, row in enumerate(rows):
        row["parcel_ids"] = f"P{i + 1}"
    got = clock(rows, "2025-02-01", prohibited=pd.Series([False] * 4 + [True]))
    assert got[s.LAND_STATUS].tolist() == ["normal"] + ["inefficient"] * 4
    assert "90 万元/亩" in got.loc[1, s.REASON]["en"]
    assert "40%" in got.loc[2, s.REASON]["en"]
    assert "2024-02-01" in got.loc[3, s.REASON]["en"]
    # completed under two years ago: not yet judged on output or investment
    early = clock(rows[:3], "2025-01-14")
    assert early[s.LAND_STATUS].tolist() == ["normal"] * 3
