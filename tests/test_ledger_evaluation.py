"""Per-mu scores and grades against a small park computed by hand, ties, exemptions, properties."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zoning import schema as s
from zoning.ledger.evaluation import evaluate_enterprises, grade_enterprises, score_enterprises
from zoning.ledger.settings import (
    GradeCutoff,
    GradeSettings,
    IndicatorWeight,
    LedgerSettings,
    Method,
)
from zoning.ledger.validation import parse_enterprises

AS_OF = pd.Timestamp("2023-12-31")

#: two indicators, easy to compute by hand: tax per mu (weight 60, benchmark 10 万元/亩) and
#: value added per mu (weight 40, benchmark 50 万元/亩)
TWO = [
    IndicatorWeight(id="tax_per_mu", weight=60, benchmark=10.0),
    IndicatorWeight(id="value_added_per_mu", weight=40, benchmark=50.0),
]


def rulebook(**changes: Any) -> LedgerSettings:
    return LedgerSettings(indicators=TWO, small_output_wan=0.0, **changes)


def table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    cells = []
    for i, r in enumerate(rows):
        row = dict.fromkeys(s.ENTERPRISE_COLUMNS, "")
        row.update(
            enterprise_id=f"E{i + 1}",
            industry_code="3252",
            parcel_ids=f"P{i + 1}",
            supplied_on="2010-01-01",
            contract_start_by="2010-06-01",
            started_on="2010-05-01",
            contract_complete_by="2012-06-01",
            completed_on="2012-05-01",
            built_share="1",
            output_wan="5000",
        )
        row.update({k: str(v) for k, v in r.items()})
        cells.append(row)
    parsed = parse_enterprises(
        pd.DataFrame(cells),
        parcel_ids=[f"P{i + 1}" for i in range(len(rows))],
        industry_codes=["3252", "4411", "5211"],
    )
    assert parsed[s.INPUT_ERROR].map(len).eq(0).all()
    return parsed


def run(rows: list[dict[str, Any]], rules: LedgerSettings, mu: float = 10.0) -> pd.DataFrame:
    e = table(rows)
    return evaluate_enterprises(e, pd.Series(mu, index=e.index), as_of=AS_OF, settings=rules)


def test_benchmark_scores_by_hand() -> None:
    # 10 mu each: tax 50/100/300 -> 5/10/30 per mu; value added 500/250/400 -> 50/25/40 per mu
    got = run(
        [
            {"tax_wan": 50, "value_added_wan": 500},
            {"tax_wan": 100, "value_added_wan": 250},
            {"tax_wan": 300, "value_added_wan": 400},
        ],
        rulebook(benchmark_cap=2.0),
    )
    # E1: 60 × 0.5 + 40 × 1.0 = 70; E2: 60 × 1 + 40 × 0.5 = 80; E3: 60 × 2 (capped) + 40 × 0.8
    assert got[s.SCORE].tolist() == [70.0, 80.0, 152.0]
    # points lost: E1 loses 30 on tax, E2 20 on value added, E3 8 on value added
    assert got[s.PULLED_DOWN_BY].tolist() == [
        "tax_per_mu",
        "value_added_per_mu",
        "value_added_per_mu",
    ]
    # three graded: rank shares E3 1/3 (over 25%: B), E2 2/3 (B), E1 3/3 (D)
    assert got[s.GRADE].tolist() == ["D", "B", "B"]


def test_minmax_scores_by_hand() -> None:
    got = run(
        [
            {"tax_wan": 50, "value_added_wan": 500},
            {"tax_wan": 100, "value_added_wan": 250},
            {"tax_wan": 300, "value_added_wan": 400},
        ],
        rulebook(method=Method.MINMAX),
    )
    # tax per mu 5/10/30: n = 0, 0.2, 1; value added per mu 50/25/40: n = 1, 0, 0.6
    # score = 20 + 80 × (60 n_tax + 40 n_va) / 100
    expected = [20 + 80 * 0.4, 20 + 80 * 0.12, 20 + 80 * (0.6 + 0.24)]
    assert got[s.SCORE].tolist() == pytest.approx([round(x, 2) for x in expected])
    # points lost: E1 48 on tax (n 0); E2 48 on tax (n 0.2) against 40 on value added; E3 16
    assert got[s.PULLED_DOWN_BY].tolist() == ["tax_per_mu", "tax_per_mu", "value_added_per_mu"]


def test_ties_share_the_better_grade() -> None:
    scores = pd.Series([90.0, 80.0, 80.0, 70.0, 60.0, 50.0, 50.0, 40.0])
    grades = grade_enterprises(scores, graded=pd.Series([True] * 8), settings=LedgerSettings())
    # ranks 1, 2, 2, 4, 5, 6, 6, 8 of 8: shares .125 .25 .25 .5 .625 .75 .75 1
    assert grades.tolist() == ["A", "A", "A", "B", "B", "C", "C", "D"]


def test_grades_by_score_threshold() -> None:
    rules = LedgerSettings(
        grades=GradeSettings(
            by="score",
            cutoffs=[
                GradeCutoff(grade="A", min_score=90),
                GradeCutoff(grade="B", min_score=70),
                GradeCutoff(grade="C", min_score=50),
                GradeCutoff(grade="D", min_score=0),
            ],
        )
    )
    scores = pd.Series([95.0, 90.0, 89.99, 70.0, 10.0])
    got = grade_enterprises(scores, graded=pd.Series([True] * 5), settings=rules)
    assert got.tolist() == ["A", "A", "B", "B", "D"]


def test_grade_cutoffs_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="rank shares must rise"):
        GradeSettings(cutoffs=[GradeCutoff(grade="A", rank_share=0.7),
                               GradeCutoff(grade="B", rank_share=0.25)])  # fmt: skip


def test_exemptions_are_scored_not_graded() -> None:
    got = run(
        [
            {"tax_wan": 100, "value_added_wan": 500},  # graded
            {"tax_wan": 90, "value_added_wan": 500},  # graded
            {"industry_code": "4411", "tax_wan": 1, "value_added_wan": 1},  # utility
            {"completed_on": "2023-01-01", "tax_wan": 1, "value_added_wan": 1},  # start-up
            {"completed_on": "", "started_on": "2023-01-01", "output_wan": "0"},  # building
        ],
        rulebook(),
    )
    assert got[s.EXEMPTION].tolist() == ["", "", "utility", "start_up", "not_producing"]
    assert got[s.GRADE].tolist()[:4] == ["B", "D", "B", "B"]
    assert got[s.GRADE].iloc[4] is None
    assert got[s.SCORE].iloc[2] == pytest.approx(60 * 0.01 + 40 * 0.002)
    assert math.isnan(got[s.SCORE].iloc[4])


def test_start_up_ends_on_its_second_anniversary() -> None:
    rules = rulebook()
    young = run([{"completed_on": "2022-01-01"}], rules)
    assert young[s.EXEMPTION].tolist() == ["start_up"]
    grown = run([{"completed_on": "2021-12-31"}], rules)
    assert grown[s.EXEMPTION].tolist() == [""]


def test_small_enterprises_are_scored_on_tax_per_mu_alone() -> None:
    rules = LedgerSettings(indicators=TWO, small_output_wan=2000.0)
    got = run([{"output_wan": 1000, "tax_wan": 50, "value_added_wan": 0}], rules)
    assert got[s.SCORE].tolist() == [50.0]  # 100 × (60 × 0.5) / 60


def test_an_indicator_without_a_denominator_is_left_out() -> None:
    rules = LedgerSettings(
        indicators=[
            IndicatorWeight(id="tax_per_mu", weight=50, benchmark=10.0),
            IndicatorWeight(id="value_added_per_tce", weight=50, benchmark=1.0),
        ],
        small_output_wan=0.0,
    )
    got = run([{"tax_wan": 100, "value_added_wan": 10, "energy_tce": 0}], rules)
    assert got[s.SCORE].tolist() == [100.0]


values = st.floats(min_value=0.0, max_value=5000.0, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(
    taxes=st.lists(values, min_size=1, max_size=8),
    added=st.lists(values, min_size=8, max_size=8),
    who=st.integers(min_value=0, max_value=7),
    extra=st.floats(min_value=0.01, max_value=5000.0),
    method=st.sampled_from([Method.BENCHMARK, Method.MINMAX]),
)
def test_raising_tax_never_lowers_the_score(
    taxes: list[float], added: list[float], who: int, extra: float, method: Method
) -> None:
    n = len(taxes)
    who %= n
    ind = pd.DataFrame({"tax_per_mu": taxes, "value_added_per_mu": added[:n]})
    rules = rulebook(method=method)
    yes = pd.Series([True] * n)
    no = pd.Series([False] * n)
    before = score_enterprises(ind, settings=rules, evaluated=yes, graded=yes, small=no)
    ind.loc[who, "tax_per_mu"] += extra
    after = score_enterprises(ind, settings=rules, evaluated=yes, graded=yes, small=no)
    assert after[s.SCORE][who] >= before[s.SCORE][who]


@settings(max_examples=80, deadline=None)
@given(scores=st.lists(st.integers(0, 10_000), min_size=1, max_size=60, unique=True))
def test_grade_shares_follow_the_cut_offs(scores: list[int]) -> None:
    n = len(scores)
    grades = grade_enterprises(
        pd.Series(scores, dtype=float), graded=pd.Series([True] * n), settings=LedgerSettings()
    )
    counts = grades.value_counts()
    cumulative = 0
    for grade, share in (("A", 0.25), ("B", 0.70), ("C", 0.95), ("D", 1.0)):
        cumulative += int(counts.get(grade, 0))
        assert cumulative == math.floor(share * n + 1e-9)
    # and better scores never get worse grades
    order = pd.Series(scores).sort_values(ascending=False).index
    assert list(grades[order]) == sorted(grades[order])
