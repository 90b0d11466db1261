"""``zoning sequence``: which land opens in which phase, contiguously and by priority."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Annotated, Any, Final

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from zoning import schema as s
from zoning.cli._common import (
    FormatOption,
    OutputFormat,
    OutputOption,
    ParkOption,
    console,
    counted,
    list_words,
    notice_line,
    progress_steps,
    report_user_errors,
    some_ids,
)
from zoning.cli.ledger import parse_day
from zoning.cli.redevelopment import (
    RedevelopmentOption,
    plan_with,
    print_redevelopment,
    supply_for_park,
)
from zoning.errors import InputError, Problem
from zoning.i18n import N_, _
from zoning.io import read_park
from zoning.io.geojson import plan_to_feature_collection
from zoning.io.projects import read_projects, write_text_atomic
from zoning.park import Park, check_phases
from zoning.planning import PhasePlan, SequencingOptions
from zoning.planning.scenarios import compare_scenarios

#: the words of each sequencing method
METHOD_WORDS: Final = {
    s.SequencingMethod.HEURISTIC: N_("heuristic"),
    s.SequencingMethod.EXACT: N_("exact"),
}
#: width used when a table is written to a file
FILE_WIDTH: Final = 140


def _share(value: float) -> str:
    return "—" if pd.isna(value) else f"{value:.0%}"


def _num(value: float, digits: int = 0) -> str:
    return "—" if pd.isna(value) else f"{value:,.{digits}f}"


def reason_words(reason: object, kind: type[s.UnscheduledReason | s.UnplacedReason]) -> str:
    """Return a coded reason in words of the current language (the code if it is unknown)."""
    try:
        return s.label(kind(str(reason)))
    except ValueError:
        return str(reason)


def method_words(method: str) -> str:
    """Return the sequencing method in words of the current language."""
    try:
        return _(METHOD_WORDS[s.SequencingMethod(method)])
    except ValueError:
        return method


def default_title(plan: PhasePlan) -> str:
    """Return the default title of a phase plan: the phases, quota and method."""
    return _("Phase plan: {phases} phase(s), quota {quota} mu per phase ({method})").format(
        phases=plan.phases, quota=f"{plan.quota_mu:,.0f}", method=method_words(plan.method)
    )


def print_phase_plan(plan: PhasePlan, *, out: Console | None = None, title: str = "") -> None:
    """Print a phase plan as tables a planner can read: per-phase metrics, what stays closed.

    Parameters
    ----------
    plan
        The plan (:func:`zoning.sequence`).
    out
        Console to print on (default: standard output).
    title
        Title of the metrics table (default: says the quota and method).
    """
    out = console if out is None else out
    metrics = plan.metrics
    table = Table(title=title or default_title(plan))
    for column in (
        _("phase"),
        _("opened mu"),
        _("cumulative mu"),
        _("parcels"),
        _("tracts"),
        _("largest tract"),
        _("tract compactness*"),
        _("road m"),
        _("water, power, gas m"),
        _("priority-zone share"),
    ):
        table.add_column(column, justify="right")
    for row in metrics.itertuples(index=False):
        kinds = ("water_main_m", "power_line_m", "gas_main_m")
        utilities = sum(float(getattr(row, c, 0.0) or 0.0) for c in kinds)
        table.add_row(
            str(getattr(row, s.PHASE)),
            _num(getattr(row, s.AREA_MU), 1),
            _num(getattr(row, s.CUMULATIVE_MU), 1),
            str(getattr(row, s.N_PARCELS)),
            str(getattr(row, "tracts", getattr(row, s.BLOCKS))),
            _share(getattr(row, "largest_tract_share", float("nan"))),
            _num(getattr(row, "tract_compactness", float("nan")), 2),
            _num(getattr(row, "road_m", float("nan")), 0),
            _num(utilities, 0),
            _share(getattr(row, s.PRIORITY_SHARE)),
        )
    out.print(table)
    out.print(
        _(
            "* each tract's area over the area of its convex hull, averaged over the phase's "
            "tracts (1 is a solid block; scattered land is near 0). Metres: planned roads and "
            "utility lines to build for the phase's tracts."
        )
    )
    objective = _(
        "objective {objective} = reward {reward} - blocks {blocks} - perimeter {perimeter} "
        "(mu-equivalents)"
    ).format(
        objective=f"{plan.objective:,.1f}",
        reward=f"{plan.reward:,.1f}",
        blocks=f"{plan.block_penalty:,.1f}",
        perimeter=f"{plan.perimeter_penalty:,.1f}",
    )
    if plan.optimal is not None:
        objective += "; " + (_("proved optimal: yes") if plan.optimal else _("proved optimal: no"))
    out.print(objective)
    if not plan.assignments.empty:
        projects = Table(title=_("Projects placed"))
        for column in (_("phase"), _("project"), _("zone"), _("mu"), _("parcels")):
            projects.add_column(column, overflow="fold")
        for row in plan.assignments.sort_values([s.PHASE, s.PROJECT_ID]).itertuples(index=False):
            projects.add_row(
                str(getattr(row, s.PHASE)),
                escape(str(getattr(row, s.PROJECT_ID))),
                escape(str(getattr(row, s.ZONE_ID))),
                _num(getattr(row, s.AREA_MU), 1),
                escape(", ".join(getattr(row, s.PARCEL_IDS))),
            )
        out.print(projects)
    for line in unplaced_lines(plan):
        out.print(line)
    if not plan.unscheduled.empty:
        out.print(closed_line(plan))
    print_redevelopment(plan, out=out)


def unplaced_lines(plan: PhasePlan, *, at_most: int | None = None) -> list[str]:
    """Return one line per reason why projects got no land, with their ids (markup escaped).

    ``at_most`` ids are listed per reason (default: all), then how many more.
    """
    if plan.unplaced.empty:
        return []
    reasons = plan.unplaced.groupby(s.REASON)[s.PROJECT_ID].apply(list)
    return [
        _("projects not placed ({reason}): {ids}").format(
            reason=escape(reason_words(reason, s.UnplacedReason)),
            ids=escape(some_ids([str(i) for i in ids], at_most=at_most)),
        )
        for reason, ids in reasons.items()
    ]


def closed_line(plan: PhasePlan) -> str:
    """Return 'N parcel(s) left closed: …', counted by reason, in words (markup escaped)."""
    counts = plan.unscheduled[s.REASON].value_counts().sort_index()
    parts = list_words(
        [
            escape(counted(int(n), reason_words(reason, s.UnscheduledReason)))
            for reason, n in counts.items()
        ]
    )
    return _("{count} parcel(s) left closed: {reasons}").format(
        count=len(plan.unscheduled), reasons=parts
    )


def plan_to_geojson(plan: PhasePlan, *, notice: str = "") -> dict[str, Any]:
    """Return the plan's parcels as an RFC 7946 FeatureCollection (WGS84 lon/lat).

    See :func:`zoning.io.geojson.plan_to_feature_collection`: each feature carries
    ``parcel_id``, ``zone_id``, ``status``, ``land_use_code``, ``area_mu``, ``phase`` (null
    when closed), ``reason`` (why a vacant or protected parcel stays closed) and
    ``project_id`` (the project that opens it, if any).
    """
    return plan_to_feature_collection(plan, notice=notice)


def render_phase_plan(plan: PhasePlan, *, park: Park, fmt: OutputFormat) -> str:
    """Render a phase plan as text: a plain table, the issue's JSON, or GeoJSON parcels."""
    if fmt is OutputFormat.JSON:
        doc = plan.to_dict()
        if park.notice:
            doc["notice"] = park.notice
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt is OutputFormat.GEOJSON:
        return json.dumps(plan_to_geojson(plan, notice=park.notice), ensure_ascii=False) + "\n"
    buffer = io.StringIO()
    plain = Console(file=buffer, width=FILE_WIDTH, color_system=None, highlight=False)
    if park.notice:
        plain.print(_("Note:") + f" {park.notice}", markup=False)
    print_phase_plan(plan, out=plain)
    return buffer.getvalue()


def parse_quotas(text: str) -> list[float]:
    """Read the quotas of ``--compare`` (``"800,1500"``); raise a user error listing the bad ones.

    >>> parse_quotas("800, 1500")
    [800.0, 1500.0]
    """
    parts = [p.strip() for p in text.split(",") if p.strip()]
    quotas: list[float] = []
    bad: list[str] = []
    for part in parts:
        try:
            value = float(part)
        except ValueError:
            bad.append(part)
            continue
        if not (value > 0 and value < float("inf")):
            bad.append(part)
        else:
            quotas.append(value)
    if bad or not quotas:
        raise InputError(
            _("cannot compare these plans"),
            [
                Problem(
                    "--compare",
                    _("not a list of quotas: {given}").format(given=repr(text)),
                    expected=_("positive numbers of mu, comma-separated, e.g. 800,1500,2000"),
                )
            ],
        )
    return quotas


def compare_quotas(
    park: Park,
    text: str,
    *,
    phases: int | None,
    max_tracts: int | None,
    fit: pd.DataFrame | None,
) -> pd.DataFrame:
    """Plan the park once per quota of ``--compare``; the phases side by side."""
    scenarios = {
        _("{quota} mu").format(quota=f"{q:,.0f}"): SequencingOptions(
            quota_mu=q, phases=phases, max_tracts_per_phase=max_tracts
        )
        for q in parse_quotas(text)
    }
    return compare_scenarios(park, scenarios, projects=fit)


def _write_comparison(table: pd.DataFrame, *, fmt: OutputFormat, output: Path | None) -> None:
    """Print or write the comparison: a table for people, JSON records, GeoJSON refused."""
    if fmt is OutputFormat.GEOJSON:
        raise InputError(
            _("cannot compare these plans"),
            [Problem("--format", _("a comparison has no geometry"), expected="table or json")],
        )
    if fmt is OutputFormat.JSON:
        text = table.to_json(orient="records", force_ascii=False, indent=2) + "\n"
    else:
        shown = table.copy()
        for column in shown.columns:
            if pd.api.types.is_float_dtype(shown[column]):
                share = column.endswith(("_share", "compactness"))
                shown[column] = shown[column].map(lambda v, d=2 if share else 0: f"{v:,.{d}f}")
        text = shown.to_string(index=False) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    write_text_atomic(output, text)
    console.print(
        _("wrote the comparison of {count} plan(s) to {path}").format(
            count=table.iloc[:, 0].nunique(), path=escape(str(output))
        )
    )


@report_user_errors
def sequence_command(
    park_dir: ParkOption = None,
    quota_mu: Annotated[
        float | None,
        typer.Option(
            "--quota-mu",
            help="Land each phase may open, mu (亩). Default: the rulebook's "
            "sequencing.default_quota_mu.",
            show_default=False,
        ),
    ] = None,
    phases: Annotated[
        int | None,
        typer.Option(
            "--phases",
            help="Number of phases. Default: the rulebook's sequencing.default_phases.",
            show_default=False,
        ),
    ] = None,
    projects: Annotated[
        Path | None,
        typer.Option(
            "--projects",
            help="Projects file (CSV or GeoJSON): each project that fits a zone gets land "
            "there, phase by phase; land opens only for projects.",
            show_default=False,
        ),
    ] = None,
    method: Annotated[
        s.SequencingMethod,
        typer.Option("--method", help="heuristic (any size) or exact (CP-SAT, small parks)."),
    ] = s.SequencingMethod.HEURISTIC,
    max_tracts: Annotated[
        int | None,
        typer.Option(
            "--max-tracts",
            min=1,
            help="Most tracts (连片地块) a phase may open. Default: the rulebook's "
            "sequencing.max_tracts_per_phase.",
            show_default=False,
        ),
    ] = None,
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare",
            help="Compare plans side by side, one per quota in mu, comma-separated "
            "(e.g. 800,1500,2000): land opened, tracts, infrastructure metres and projects "
            "placed per phase.",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    redevelopment: RedevelopmentOption = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Day of the land clock for --redevelopment, YYYY-MM-DD (default: today).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Plan which vacant land opens in which phase: contiguous, by zone priority, under quota.

    Every phase's new land forms blocks that touch existing development or a built road
    (no leap-frogging); zones in maintain_current mode wait for the phase the rulebook
    names; every vacant parcel left closed is listed with its reason. An infeasible request
    (a quota smaller than every parcel, nothing to grow from) exits 2 with the cause. With
    --redevelopment, idle and inefficient land of the yearly ledger is offered too.
    """
    day = parse_day(as_of)
    with progress_steps() as step:
        step(_("reading the park"))
        park = read_park(park_dir)
        check_phases(park, phases)
        supply = supply_for_park(park, park_dir, asked=redevelopment, as_of=day)
        fit = None
        if projects is not None:
            from zoning.rules import check

            step(_("checking the projects"))
            fit = check(park, read_projects(projects))
        if compare is not None:
            step(_("comparing the plans"))
            table = compare_quotas(park, compare, phases=phases, max_tracts=max_tracts, fit=fit)
            _write_comparison(table, fmt=fmt, output=output)
            return
        step(_("making the phase plan"))
        plan = plan_with(
            park,
            supply,
            quota_mu=quota_mu,
            phases=phases,
            projects=fit,
            method=method,
            max_tracts_per_phase=max_tracts,
        )
    if output is None and fmt is OutputFormat.TABLE:
        if park.notice:
            console.print(notice_line())
        print_phase_plan(plan)
        return
    text = render_phase_plan(plan, park=park, fmt=fmt)
    if output is None:
        sys.stdout.write(text)
        return
    write_text_atomic(output, text)
    opened = int(plan.parcels[s.PHASE].notna().sum())
    console.print(
        _(
            "wrote the phase plan ({opened} parcel(s) opened in {phases} phase(s)) to {path} "
            "({format})"
        ).format(opened=opened, phases=plan.phases, path=escape(str(output)), format=fmt)
    )
