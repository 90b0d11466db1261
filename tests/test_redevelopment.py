"""Idle and inefficient land as redevelopment supply of the phase plan."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_zoning
from tests.test_plan_summary import run80
from tests.test_sequencing import PARCEL_MU, Layout, check_plan, layouts, strip_park
from zoning import schema as s
from zoning.errors import InfeasiblePlanError
from zoning.ledger import evaluate
from zoning.ledger.settings import LedgerSettings
from zoning.park import Park
from zoning.planning import sequence
from zoning.planning.redevelopment import (
    REDEVELOPMENT_IDS,
    RedevelopmentSupply,
    find_redevelopment_supply,
    open_for_redevelopment,
    redevelopment_from_ledger,
    sequence_with_redevelopment,
)
from zoning.planning.tracts import TRACT_ID

AS_OF = dt.date(2023, 12, 31)
ONE_PARCEL = PARCEL_MU + 0.1  # a quota of one 15-mu parcel per phase


def enterprise(**cells: Any) -> dict[str, str]:
    """A valid enterprise row (supplied 2021, start by 2022-03-01) with changes."""
    row = dict.fromkeys(s.ENTERPRISE_COLUMNS, "")
    row.update(
        enterprise_id="E1",
        industry_code="3252",
        parcel_ids="p0",
        investment_contract_wan="1000",
        supplied_on="2021-09-01",
        contract_start_by="2022-03-01",
        contract_complete_by="2024-03-01",
    )
    row.update({k: str(v) for k, v in cells.items()})
    return row


def producing(enterprise_id: str, parcel_id: str) -> dict[str, str]:
    """An enterprise producing on its land since 2015, on time: normal on the land clock."""
    return enterprise(
        enterprise_id=enterprise_id,
        parcel_ids=parcel_id,
        output_wan="5000",
        value_added_wan="1200",
        tax_wan="300",
        energy_tce="100",
        employees="50",
        investment_actual_wan="1000",
        supplied_on="2012-01-01",
        contract_start_by="2012-06-01",
        started_on="2012-05-01",
        contract_complete_by="2014-06-01",
        completed_on="2014-05-01",
        built_share="1",
    )


def never_started(enterprise_id: str, parcel_id: str, start_by: str) -> dict[str, str]:
    """An enterprise that has not started its land by ``start_by`` and since."""
    return enterprise(
        enterprise_id=enterprise_id,
        parcel_ids=parcel_id,
        supplied_on="2019-06-01",
        contract_start_by=start_by,
        contract_complete_by="2023-01-01",
    )


def on_time(enterprise_id: str, parcel_id: str) -> dict[str, str]:
    """An enterprise building its land on time (started, 30% built): normal."""
    return enterprise(
        enterprise_id=enterprise_id,
        parcel_ids=parcel_id,
        supplied_on="2023-01-01",
        contract_start_by="2023-06-01",
        started_on="2023-05-01",
        contract_complete_by="2025-06-01",
        built_share="0.3",
        investment_actual_wan="300",
    )


def row_park(statuses: list[str], rows: list[dict[str, str]]) -> tuple[Park, pd.DataFrame]:
    """A row of 15-mu parcels p0, p1, ... and the enterprises holding some of them."""
    return strip_park(statuses), pd.DataFrame(rows)


def idle_at_the_end() -> tuple[Park, pd.DataFrame]:
    """p0 developed, p1 and p2 vacant, p3 committed to a holder that never started.

    The idle land was to start by 2020-01-01: two full years later (2022-01-01) it is to be
    recovered without compensation.
    """
    return row_park(
        ["developed", "vacant", "vacant", "committed"],
        [producing("E1", "p0"), never_started("E2", "p3", "2020-01-01")],
    )


def test_a_recovered_idle_parcel_opens_in_its_phase_with_its_reason() -> None:
    park, table = idle_at_the_end()
    ledger = evaluate(park, table, as_of=AS_OF)
    assert ledger.land.loc["p3", s.LAND_STATUS] == "idle_recovery"
    supply = redevelopment_from_ledger(ledger)
    plan = sequence_with_redevelopment(park, supply, quota_mu=ONE_PARCEL, phases=3)
    phase = plan.parcels.set_index(s.PARCEL_ID)[s.PHASE]
    # without its holder p3 is no longer a seed: one parcel a phase, the plan grows to it
    # from p0 without leap-frogging, so it opens third
    assert phase.dropna().astype(int).to_dict() == {"p1": 1, "p2": 2, "p3": 3}
    row = plan.redevelopment.set_index(s.PARCEL_ID).loc["p3"]
    assert int(row[s.PHASE]) == 3
    assert row[s.FORMER_STATUS] == "committed"
    assert row[s.LAND_STATUS] == "idle_recovery"
    assert row[s.AS_OF] == AS_OF
    assert str(row[s.DUE]) == "2022-01-01"
    assert row[s.REASON]["zh"].startswith("无偿收回闲置土地并重新供应：")
    assert "2022-01-01" in row[s.REASON]["en"]
    assert "not started 2 full years" in row[s.REASON]["en"]
    tract = plan.tracts.set_index(TRACT_ID).loc[row[TRACT_ID]]
    assert tract[REDEVELOPMENT_IDS] == ["p3"]
    assert plan.tracts[REDEVELOPMENT_IDS].map(len).sum() == 1
    doc = plan.to_dict()
    assert doc["redevelopment"][0][s.PARCEL_ID] == "p3"
    assert doc["redevelopment"][0][s.AS_OF] == "2023-12-31"
    json.dumps(doc, ensure_ascii=False)


def test_without_the_ledger_the_idle_parcel_stays_committed() -> None:
    park, _table = idle_at_the_end()
    plan = sequence(park, quota_mu=ONE_PARCEL, phases=3)
    phase = plan.parcels.set_index(s.PARCEL_ID)[s.PHASE]
    assert sorted(phase.dropna().index) == ["p1", "p2"]
    assert plan.redevelopment.empty
    assert plan.to_dict()["redevelopment"] == []


def test_land_in_normal_status_never_enters_the_plan() -> None:
    park, table = row_park(
        ["developed", "vacant", "committed", "committed", "vacant"],
        [producing("E1", "p0"), on_time("E3", "p2"), never_started("E2", "p3", "2020-01-01")],
    )
    ledger = evaluate(park, table, as_of=AS_OF)
    assert ledger.land[s.LAND_STATUS].to_dict() == {
        "p0": "normal",
        "p2": "normal",
        "p3": "idle_recovery",
    }
    every = ["idle_recovery", "idle_fee", "inefficient"]
    supply = redevelopment_from_ledger(ledger, statuses=every)
    assert supply.parcel_ids == ["p3"]
    plan = sequence_with_redevelopment(park, supply, quota_mu=ONE_PARCEL * 6, phases=2)
    by_id = plan.parcels.set_index(s.PARCEL_ID)
    for pid, status in (("p0", "developed"), ("p2", "committed")):
        assert pd.isna(by_id.loc[pid, s.PHASE])
        assert by_id.loc[pid, s.STATUS] == status
    assert by_id.loc["p3", s.PHASE] == 1
    assert set(plan.redevelopment[s.PARCEL_ID]) == {"p3"}


def test_the_fee_stage_enters_only_when_the_rulebook_asks() -> None:
    park, table = idle_at_the_end()
    table.loc[1, s.CONTRACT_START_BY] = "2022-10-01"  # one full year idle by 2023-12-31
    ledger = evaluate(park, table, as_of=AS_OF)
    assert ledger.land.loc["p3", s.LAND_STATUS] == "idle_fee"
    assert redevelopment_from_ledger(ledger).parcels.empty
    supply = redevelopment_from_ledger(ledger, statuses=["idle_fee"])
    reason = supply.parcels.loc["p3", s.REASON]
    assert reason["zh"].startswith("处于征缴闲置费阶段的闲置土地")
    assert "2023-10-01" in reason["en"]


@pytest.mark.parametrize("status", ["normal", "late_completion", "sold"])
def test_only_idle_and_inefficient_land_can_be_offered(status: str) -> None:
    land = pd.DataFrame(columns=[s.LAND_STATUS])
    with pytest.raises(ValueError, match=r"can be redeveloped|is not a valid LandStatus"):
        find_redevelopment_supply(land, as_of=AS_OF, statuses=[status])


def test_the_rulebook_switch_is_checked() -> None:
    settings_ = LedgerSettings(redevelopment={"enabled": True, "statuses": ["inefficient"]})
    assert settings_.redevelopment.enabled
    assert LedgerSettings().redevelopment.statuses == ["idle_recovery"]
    assert not LedgerSettings().redevelopment.enabled
    with pytest.raises(ValueError, match="only idle_recovery, idle_fee, inefficient land"):
        LedgerSettings(redevelopment={"statuses": ["late_completion"]})


# --------------------------------------------------------------------------- properties


@st.composite
def offered_layouts(draw: st.DrawFn) -> tuple[Layout, RedevelopmentSupply]:
    """A random layout and a random part of its developed and committed land offered."""
    layout = draw(layouts())
    parcels = layout.park.parcels
    held = parcels[parcels[s.STATUS].isin(["developed", "committed"])]
    picks = draw(st.lists(st.booleans(), min_size=len(held), max_size=len(held)))
    chosen = held[np.array(picks, dtype=bool)] if len(held) else held
    statuses = draw(
        st.lists(
            st.sampled_from(["idle_recovery", "idle_fee", "inefficient"]),
            min_size=len(chosen),
            max_size=len(chosen),
        )
    )
    land = pd.DataFrame(
        {
            s.ENTERPRISE_ID: [f"E{i}" for i in range(len(chosen))],
            s.ZONE_ID: chosen[s.ZONE_ID].astype(str).to_numpy(),
            s.STATUS: chosen[s.STATUS].astype(str).to_numpy(),
            s.AREA_MU: chosen[s.AREA_MU].to_numpy(dtype=float),
            s.LAND_STATUS: statuses,
            s.REASON: [{"zh": "闲置", "en": "idle"}] * len(chosen),
            s.DUE: [AS_OF] * len(chosen),
        },
        index=pd.Index(chosen[s.PARCEL_ID].astype(str).to_numpy(), name=s.PARCEL_ID),
    )
    supply = find_redevelopment_supply(
        land, as_of=AS_OF, statuses=["idle_recovery", "idle_fee", "inefficient"]
    )
    return layout, supply


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offered_layouts())
def test_plans_with_redevelopment_keep_every_invariant(
    case: tuple[Layout, RedevelopmentSupply],
) -> None:
    layout, supply = case
    opened_park = open_for_redevelopment(layout.park, supply)
    try:
        plan = sequence_with_redevelopment(
            layout.park, supply, quota_mu=layout.quota_mu, phases=layout.phases
        )
    except InfeasiblePlanError:
        with pytest.raises(InfeasiblePlanError):
            sequence(opened_park, quota_mu=layout.quota_mu, phases=layout.phases)
        return
    # the plan keeps every rule of a plan of the park with the offered land vacant
    check_plan(opened_park, plan, quota_mu=layout.quota_mu, phases=layout.phases)
    table = plan.redevelopment.set_index(s.PARCEL_ID)
    assert sorted(table.index) == supply.parcel_ids
    phase = plan.parcels.set_index(s.PARCEL_ID)[s.PHASE]
    status = layout.park.parcels.set_index(s.PARCEL_ID)[s.STATUS]
    for pid in status.index:
        if pid in table.index:
            assert table.loc[pid, s.FORMER_STATUS] == status[pid]
            assert pd.isna(table.loc[pid, s.PHASE]) == pd.isna(phase[pid])
        elif status[pid] in ("developed", "committed"):
            assert pd.isna(phase[pid]), "land not offered never opens"
    for ids, offered in zip(plan.tracts[s.PARCEL_IDS], plan.tracts[REDEVELOPMENT_IDS], strict=True):
        assert offered == sorted(i for i in ids if i in table.index)


# --------------------------------------------------------------------------- command line


def test_sequence_offers_the_bundled_idle_land_when_asked() -> None:
    result = run_zoning("sequence", "--redevelopment", "--as-of", "2026-12-06", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    rows = doc["redevelopment"]
    assert rows
    assert {r[s.LAND_STATUS] for r in rows} == {"idle_recovery"}
    assert all(r[s.AS_OF] == "2026-12-06" for r in rows)
    opened = [r for r in rows if r[s.PHASE] is not None]
    assert opened
    tract_ids = {t[TRACT_ID]: t for t in doc["tracts"]}
    for r in opened:
        assert r[s.PARCEL_ID] in tract_ids[r[TRACT_ID]][REDEVELOPMENT_IDS]
        assert r[s.REASON]["zh"].startswith("无偿收回闲置土地")
    plain = run_zoning("sequence", "--as-of", "2026-12-06", "--format", "json")
    assert json.loads(plain.stdout)["redevelopment"] == []


def test_sequence_table_shows_the_redevelopment_tracts() -> None:
    result = run80("sequence", "--redevelopment", "--as-of", "2026-12-06", lang="zh_CN.UTF-8")
    assert result.returncode == 0, result.stderr
    assert "纳入分期供地的再开发用地（台账日期 2026-12-06）" in result.stdout
    assert "闲置，应收回" in result.stdout


def test_plan_summary_says_what_redevelopment_land_opens(tmp_path: Path) -> None:
    result = run80(
        "plan", "--basemap", "none", "--redevelopment", "--as-of", "2026-12-06", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "Redevelopment: " in result.stdout
    assert "idle or inefficient parcel(s) open" in result.stdout


def test_redevelopment_without_enterprises_is_a_clear_error(tiny_park_dir: Path) -> None:
    result = run_zoning("sequence", "--park", tiny_park_dir, "--redevelopment")
    assert result.returncode == 2
    assert "no enterprise table" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_the_rulebook_switches_it_on_and_the_option_off(bundled_copy: Path) -> None:
    rulebook = bundled_copy / "rulebook.toml"
    text = rulebook.read_text(encoding="utf-8")
    assert "[ledger.redevelopment]\n" in text
    rulebook.write_text(text.replace("enabled = false", "enabled = true", 1), encoding="utf-8")
    args = ("sequence", "--park", bundled_copy, "--as-of", "2026-12-06", "--format", "json")
    on = run_zoning(*args)
    assert on.returncode == 0, on.stderr
    assert {r[s.LAND_STATUS] for r in json.loads(on.stdout)["redevelopment"]} == {"idle_recovery"}
    off = run_zoning(*args, "--no-redevelopment")
    assert off.returncode == 0, off.stderr
    assert json.loads(off.stdout)["redevelopment"] == []
