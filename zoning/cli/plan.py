"""``zoning plan``: the main job on a park (default: the bundled Beichuan park).

It validates the park, checks its project pipeline, makes the phase plan of land supply,
places the fitting projects phase by phase, draws the web map and writes the GeoJSON set
beside it. Everything is read and computed before anything is written, so bad input leaves
no files behind; the map and the GeoJSON set are then put in place together under the
output folder's lock, and a failure while writing them restores the previous files
(:mod:`zoning.io.plan_outputs`).

When the park folder has an enterprise table (``enterprises.csv``) it also evaluates the
yearly ledger (as of today, or ``--as-of``), draws the per-mu grades and the idle and
inefficient land on the map and gives the gap to the park's targets; a table that cannot be
read is a warning, and the plan goes on without the ledger.

By default it prints a summary that fits one screen of 80 columns: the land budget, one line
per project with the reason that decides its verdict, the phase plan and the files written.
``--detail`` prints every table in full; ``--quiet`` only errors and the files written.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Final

import geopandas as gpd
import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from zoning import schema as s
from zoning.batch import project_verdicts
from zoning.cli._common import (
    ParkOption,
    TilesAttributionOption,
    TilesOption,
    console,
    counted,
    err_console,
    labelled,
    list_words,
    name_in_lang,
    notice_line,
    progress_steps,
    report_user_errors,
    some_ids,
    styled,
)
from zoning.cli.check import (
    VERDICT_STYLE,
    _not_provided,
    check_file,
    finding_message,
    no_pipeline_line,
    pipeline_path,
    pipeline_title,
    print_check_results,
    verdict_cell,
)
from zoning.cli.ledger import parse_day
from zoning.cli.park_commands import park_heading, print_land_budget, print_park_summary
from zoning.cli.park_commands import print_warnings as print_park_warnings
from zoning.cli.redevelopment import (
    RedevelopmentOption,
    plan_with,
    redevelopment_line,
    supply_from,
)
from zoning.cli.sequence import closed_line, method_words, print_phase_plan, unplaced_lines
from zoning.errors import Problem, ZoningError
from zoning.i18n import _, get_lang, translate
from zoning.io import read_park
from zoning.io.enterprises import enterprises_path, read_enterprises
from zoning.io.export import ExportReport, to_export_bundle
from zoning.io.maps import render_map
from zoning.io.plan_outputs import write_plan_outputs
from zoning.ledger import evaluate
from zoning.ledger.run import LedgerResult
from zoning.maps import make_map
from zoning.maps.idle_land import STATUS_WORDS
from zoning.park import Park, check_phases
from zoning.planning import PhasePlan
from zoning.schema import FindingStatus, Verdict
from zoning.summary import summarize_phases

#: the indent of a project's deciding reason under its line in the summary
REASON_INDENT: Final = 5
#: the space between two columns of the summary
COLUMN_GAP: Final = 2
#: the most rows the summary's project list takes (beyond, those that do not simply fit first)
MAX_PROJECT_ROWS: Final = 32
#: the most project ids listed on one line of the phase plan (then "+N more")
MAX_IDS_PER_LINE: Final = 13
#: the most characters of an enterprise-table problem the plan's warning quotes
MAX_WARNING_CHARS: Final = 56
#: the most lines the summary gives the park's targets
MAX_TARGET_LINES: Final = 2


@dataclass(frozen=True)
class PlanRun:
    """What one run of ``zoning plan`` computed and wrote."""

    park: Park
    #: the projects file checked, or the park's pipeline looked for (results None: missing)
    pipeline: Path
    results: gpd.GeoDataFrame | None
    sites: gpd.GeoDataFrame | None
    phase_plan: PhasePlan
    placement: PhasePlan | None
    html: Path
    report: ExportReport
    #: the yearly ledger, when the park has an enterprise table that could be read
    ledger: LedgerResult | None = None
    #: why the ledger was left out or is incomplete (printed as warnings)
    ledger_warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class MapBackground:
    """What the plan map draws under the park: a basemap, or an intranet tile service."""

    basemap: s.Basemap
    tiles_url: str | None = None
    tiles_attribution: str | None = None


def ledger_if_any(
    park: Park, park_dir: Path | None, as_of: dt.date
) -> tuple[LedgerResult | None, tuple[str, ...]]:
    """Evaluate the park's ledger when it has an enterprise table; a broken one is a warning.

    Return the ledger (None without a table, or with one that cannot be read) and the
    warnings to print: the problems of an unreadable table, or the count of error rows.
    """
    path = enterprises_path(park_dir)
    if not path.is_file():
        return None, ()
    try:
        result = evaluate(park, read_enterprises(path), as_of=as_of)
    except ZoningError as error:
        problems = getattr(error, "problems", None) or [error]
        what = [
            (p.what if p.where == path.name else f"[{p.where}] {p.what}")
            if isinstance(p, Problem)
            else str(p)
            for p in problems
        ]
        warning = _(
            "{file} not read, no ledger in this plan: {problem}; `zoning ledger` says how to fix it"
        )
        shown = textwrap.shorten(what[0], width=MAX_WARNING_CHARS, placeholder=" …")
        if len(what) > 1:
            shown += " " + _("(+{count} more)").format(count=len(what) - 1)
        return None, (warning.format(file=path.name, problem=shown),)
    if result.errors.empty:
        return result, ()
    warning = _("{file}: {count} bad row(s) left out; `zoning ledger` lists them")
    return result, (warning.format(file=path.name, count=len(result.errors)),)


def _run(
    park_dir: Path | None,
    projects: Path | None,
    *,
    quota_mu: float | None,
    phases: int | None,
    background: MapBackground,
    out_dir: Path,
    as_of: dt.date,
    redevelopment: bool | None = None,
) -> PlanRun:
    """Read, compute, then write: the whole job, with progress shown on a terminal."""
    with progress_steps() as step:
        step(_("reading the park"))
        park = read_park(park_dir)
        check_phases(park, phases)
        path = pipeline_path(park_dir) if projects is None else projects
        given = projects is not None or path.is_file()
        step(_("checking the projects"))
        results, sites = check_file(park, path) if given else (None, None)
        if enterprises_path(park_dir).is_file():
            step(_("evaluating the ledger"))
        ledger, ledger_warnings = ledger_if_any(park, park_dir, as_of)
        supply = supply_from(park, ledger, asked=redevelopment)
        step(_("making the phase plan"))
        phase_plan = plan_with(park, supply, quota_mu=quota_mu, phases=phases)
        placement = None
        if results is not None:
            step(_("placing the projects"))
            placement = plan_with(park, supply, quota_mu=quota_mu, phases=phases, projects=results)
        # one plan for the map, the export and the summary: the projects placed in the tracts
        # their phases open, reserve land filling the rest of each quota
        the_plan = phase_plan if placement is None else placement
        step(_("drawing the map"))
        page = render_map(
            make_map(
                park,
                results=results,
                plan=the_plan,
                sites=sites,
                basemap=background.basemap,
                tiles_url=background.tiles_url,
                tiles_attribution=background.tiles_attribution,
                ledger=ledger,
            )
        )
        bundle = to_export_bundle(
            park, results=results, plan=the_plan, sites=sites, ledger=ledger
        )
        # everything computed: the map and the GeoJSON set are written together, or neither
        step(_("writing the map and the GeoJSON set"))
        html, report = write_plan_outputs(out_dir, page_html=page, bundle=bundle)
    return PlanRun(
        park=park,
        pipeline=path,
        results=results,
        sites=sites,
        phase_plan=phase_plan,
        placement=placement,
        html=html,
        report=report,
        ledger=ledger,
        ledger_warnings=ledger_warnings,
    )


def _print_files(run: PlanRun, background: MapBackground) -> None:
    """Print the files written and how to open them (a long path is never broken)."""
    html = escape(str(run.html))
    if background.basemap is s.Basemap.NONE and background.tiles_url is None:
        how = _("open {path} in a browser; it needs no network").format(path=html)
    else:
        how = _(
            "open {path} in a browser; it needs no network (background tiles load when online)"
        ).format(path=html)
    console.print(labelled("green", _("map:"), how), soft_wrap=True)
    for name in run.report.written:
        path = escape(str(Path(run.report.target) / name))
        console.print(
            labelled(
                "green",
                _("GeoJSON:"),
                _("{path} (open the layers in QGIS or any GIS)").format(path=path),
            ),
            soft_wrap=True,
        )
    for warning in run.report.warnings:
        console.print(labelled("yellow", _("warning:"), escape(str(warning))), soft_wrap=True)


def _print_detail(run: PlanRun) -> None:
    """Print every table in full (the output of ``zoning plan`` before the summary)."""
    print_park_summary(run.park)
    if run.results is None:
        console.print(no_pipeline_line(run.pipeline))
    else:
        print_check_results(run.results, sites=run.sites, title=_detail_check_title(run.pipeline))
    print_phase_plan(
        run.phase_plan,
        title=_(
            "Land supply phase plan: {phases} phase(s), quota {quota} mu per phase ({method})"
        ).format(
            phases=run.phase_plan.phases,
            quota=f"{run.phase_plan.quota_mu:,.0f}",
            method=method_words(run.phase_plan.method),
        ),
    )
    if run.placement is not None:
        print_phase_plan(
            run.placement,
            title=_(
                "Project placement phase plan: which fitting project opens which land, quota "
                "{quota} mu per phase"
            ).format(quota=f"{run.placement.quota_mu:,.0f}"),
        )
    if run.ledger is not None:
        _print_ledger_detail(run.ledger)


def _print_ledger_warnings(run: PlanRun) -> None:
    for warning in run.ledger_warnings:
        err_console.print(labelled("yellow", _("warning:"), escape(warning)), soft_wrap=True)


def _number(value: float, unit: str) -> str:
    digits = 0 if abs(value) >= 100 or float(value).is_integer() else 1
    text = f"{value:,.{digits}f}"
    return f"{text}%" if unit == "%" else text


def target_items(ledger: LedgerResult) -> list[str]:
    """Return each target the ledger measures, in words: "name value of target unit"."""
    name = s.NAME_ZH if get_lang() == "zh" else s.NAME_EN
    items = []
    for _i, row in ledger.targets.iterrows():
        if pd.isna(row[s.VALUE]) or pd.isna(row[s.TARGET]):
            continue
        unit = str(row[s.UNIT])
        items.append(
            _("{name} {value} of {target}").format(
                name=str(row[name] or row[s.NAME_EN]),
                value=_number(float(row[s.VALUE]), unit),
                target=_number(float(row[s.TARGET]), unit) + ("" if unit == "%" else " " + unit),
            )
        )
    return items


def target_lines(ledger: LedgerResult, width: int) -> list[Text]:
    """Return the targets' lines of the summary: one per target, :data:`MAX_TARGET_LINES` at most.

    The targets the ledger measures come in rulebook order; a line too long for the screen
    ends in "…" (``--detail`` lists every target in full).
    """
    years = "/".join(sorted({str(y) for y in ledger.targets["year"]}))
    head = _("Targets {year}:").format(year=years)
    lines: list[Text] = []
    for i, item in enumerate(target_items(ledger)[:MAX_TARGET_LINES]):
        space = "" if head.endswith("：") else " "
        line = Text.assemble((head, "bold"), space) if i == 0 else Text(" " * 2)
        line.append(item)
        line.truncate(width, overflow="ellipsis")
        lines.append(line)
    return lines


def _print_ledger_detail(ledger: LedgerResult) -> None:
    """Print the targets table and the land clock's counts."""
    lang = get_lang()
    name = s.NAME_ZH if lang == "zh" else s.NAME_EN
    table = Table(title=_("Targets (ledger as of {day})").format(day=ledger.as_of.isoformat()))
    for column in (_("target"), _("target value"), _("reached"), _("gap"), _("unit"), _("year")):
        table.add_column(column)
    for _i, row in ledger.targets.iterrows():
        table.add_row(
            escape(str(row[name])),
            _detail_number(row[s.TARGET]),
            _detail_number(row[s.VALUE]),
            _detail_number(row[s.GAP]),
            escape(str(row[s.UNIT])),
            str(row["year"]),
        )
    console.print(table)
    clock = Table(title=_("Land clock (as of {day})").format(day=ledger.as_of.isoformat()))
    clock.add_column(_("land status"))
    clock.add_column(_("parcels"), justify="right")
    clock.add_column(_("area mu"), justify="right")
    land = ledger.land
    for status in s.LandStatus:
        held = land[land[s.LAND_STATUS].eq(status)]
        clock.add_row(
            escape(translate(STATUS_WORDS.get(status, _("normal")), lang)),
            str(len(held)),
            f"{held[s.AREA_MU].astype(float).sum():,.1f}",
        )
    console.print(clock)


def _detail_number(value: object) -> str:
    if not isinstance(value, int | float) or pd.isna(value):
        return "—"
    return f"{float(value):,.1f}"


def _detail_check_title(path: Path) -> str:
    if path.name == "projects.csv":
        return pipeline_title(path)
    return _("Project fit check ({file})").format(file=path.name)


def deciding_finding(rows: pd.DataFrame) -> tuple[str, dict[str, Any] | None, int]:
    """Return what decides a project's verdict: its status, the finding, values not given.

    The rows are the project's rows of the fit results. For a project with a recommended
    zone, its first warning (a value not provided counts only when nothing else warns);
    otherwise the first failing finding of the zones considered, in their order.
    """
    best = rows[rows[s.BEST]]
    considered = best if len(best) else rows
    missing = 0
    for findings in considered[s.FINDINGS]:
        for f in findings:
            if f[s.STATUS] == FindingStatus.FAIL:
                return str(FindingStatus.FAIL), f, 0
    for findings in considered[s.FINDINGS]:
        for f in findings:
            if f[s.STATUS] == FindingStatus.WARN and not _not_provided(f):
                return str(FindingStatus.WARN), f, 0
        missing = max(missing, sum(1 for f in findings if _not_provided(f)))
    return str(FindingStatus.PASS), None, missing


def _reason_text(rows: pd.DataFrame) -> Text | None:
    """Return the deciding reason of a project in words; ``None`` when every rule passes."""
    status, finding, missing = deciding_finding(rows)
    if finding is not None:
        mark, style = ("✗", "red") if status == FindingStatus.FAIL else ("!", "yellow")
        return Text.assemble((mark + " ", style), finding_message(finding))
    if missing:
        return Text.assemble(
            ("! ", "yellow"), _("{count} value(s) not provided").format(count=missing)
        )
    return None


#: one project of the summary: its cells (id and name, best zone, verdict), deciding reason
_ProjectLine = tuple[Text, Text, Text, Text | None]
#: which projects a long summary keeps first: the worst verdicts
_SHOWN_FIRST: Final = {
    Verdict.ERROR: 0,
    Verdict.DOES_NOT_FIT: 0,
    Verdict.CONDITIONAL: 1,
    Verdict.FITS: 2,
}


def _project_lines(results: pd.DataFrame, verdicts: pd.Series) -> list[tuple[int, _ProjectLine]]:
    """Return each project's line, after the rank of its verdict (0: shown first)."""
    lines: list[tuple[int, _ProjectLine]] = []
    for project_id, rows in results.groupby(s.PROJECT_ID, sort=False):
        best = rows[rows[s.BEST]]
        verdict = str(verdicts[project_id])
        name = name_in_lang(str(rows[s.NAME].iloc[0]))
        cells = (
            Text.assemble((str(project_id), "bold"), " " + name),
            Text(", ".join(str(z) for z in best[s.ZONE_ID]) if len(best) else "—"),
            Text.from_markup(verdict_cell(verdict)),
            _reason_text(rows) if verdict != Verdict.FITS else None,
        )
        lines.append((_SHOWN_FIRST[Verdict(verdict)], cells))
    return lines


def _within_rows(lines: list[tuple[int, _ProjectLine]]) -> list[_ProjectLine]:
    """Return every project when they fit :data:`MAX_PROJECT_ROWS` rows of the screen.

    Otherwise the worst verdicts come first (does not fit, then fits with conditions), as
    many as fit in the rows, one row being kept for the count of the others.
    """
    rows = sum(1 if cells[3] is None else 2 for _rank, cells in lines)
    if rows <= MAX_PROJECT_ROWS:
        return [cells for _rank, cells in lines]
    shown: list[_ProjectLine] = []
    used = 1
    for _rank, cells in sorted(lines, key=lambda line: line[0]):  # stable: file order kept
        used += 1 if cells[3] is None else 2
        if used > MAX_PROJECT_ROWS:
            break
        shown.append(cells)
    return shown


def _print_projects(results: pd.DataFrame, pipeline: Path) -> None:
    """One line per project (id, name, zone, verdict), its deciding reason indented below.

    Laid out by hand rather than as a table, so that a reason may run under all the columns;
    a name too long for its column and a reason longer than one line end in "…". A long
    pipeline shows what fits in :data:`MAX_PROJECT_ROWS` rows and counts the rest.
    """
    verdicts = project_verdicts(results)
    console.print(
        labelled(
            "bold", _("Projects ({file}):").format(file=pipeline.name), _summary_counts(verdicts)
        ),
        soft_wrap=False,
    )
    lines = _project_lines(results, verdicts)
    shown = _within_rows(lines)
    header = (Text(_("project")), Text(_("best zone")), Text(_("verdict")))
    zone_w = max(c.cell_len for c in [header[1], *(line[1] for line in shown)])
    verdict_w = max(c.cell_len for c in [header[2], *(line[2] for line in shown)])
    name_w = max(c.cell_len for c in [header[0], *(line[0] for line in shown)])
    name_w = max(12, min(name_w, console.width - zone_w - verdict_w - 2 * COLUMN_GAP))
    reason_w = max(20, console.width - REASON_INDENT)
    gap = Text(" " * COLUMN_GAP)
    for i, (name_cell, zone_cell, verdict_cell_, reason) in enumerate([(*header, None), *shown]):
        name_cell.truncate(name_w, overflow="ellipsis", pad=True)
        zone_cell.truncate(zone_w, overflow="ellipsis", pad=True)
        row = Text.assemble(name_cell, gap, zone_cell, gap, verdict_cell_)
        if i == 0:
            row.stylize("bold")
        console.print(row, soft_wrap=False, crop=True)
        if reason is not None:
            reason.truncate(reason_w, overflow="ellipsis")
            console.print(Text(" " * REASON_INDENT) + reason, soft_wrap=False, crop=True)
    if len(shown) < len(lines):
        console.print(
            _("… and {count} more project(s); `--detail` lists every project").format(
                count=len(lines) - len(shown)
            ),
            soft_wrap=False,
        )


def _summary_counts(verdicts: pd.Series) -> str:
    counts = verdicts.value_counts()
    return list_words(
        [
            styled(VERDICT_STYLE[v], counted(int(counts[v.value]), s.label(v)))
            for v in Verdict
            if counts.get(v.value, 0)
        ]
    )


def _print_phases(run: PlanRun) -> None:
    """Print the phase plan: mu, parcels, tracts, zones and the projects placed per phase."""
    plan = run.phase_plan if run.placement is None else run.placement
    console.print(
        "[bold]"
        + escape(
            _("Phase plan: {phases} phase(s) of up to {quota} mu").format(
                phases=plan.phases, quota=f"{plan.quota_mu:,.0f}"
            )
        )
        + "[/]",
        soft_wrap=False,
    )
    rows = summarize_phases(plan, placement=run.placement)
    table = Table(box=None, header_style="bold", pad_edge=False, show_edge=False)
    table.add_column(_("phase"), justify="right", no_wrap=True)
    table.add_column(_("opened mu"), justify="right", no_wrap=True)
    table.add_column(_("parcels"), justify="right", no_wrap=True)
    table.add_column(_("tracts"), justify="right", no_wrap=True)
    table.add_column(_("where (zones)"), overflow="fold")
    if run.placement is not None:
        table.add_column(_("projects placed"), overflow="fold", ratio=1)
    for phase, row in rows.iterrows():
        cells = [
            str(phase),
            f"{row[s.AREA_MU]:,.0f}",
            str(row[s.N_PARCELS]),
            str(row[s.BLOCKS]),
            escape(", ".join(row["zone_ids"])) or "—",
        ]
        if run.placement is not None:
            ids = some_ids(row["project_ids"], at_most=MAX_IDS_PER_LINE, sep=" ")
            cells.append(escape(ids) or "—")
        table.add_row(*cells)
    console.print(table)
    if run.placement is not None:
        for line in unplaced_lines(run.placement, at_most=MAX_IDS_PER_LINE):
            console.print(line, soft_wrap=False)
    if not plan.unscheduled.empty:
        console.print(closed_line(plan), soft_wrap=False)
    redevelopment = redevelopment_line(plan)
    if redevelopment is not None:
        console.print(escape(redevelopment), soft_wrap=True)


def _print_summary(run: PlanRun, background: MapBackground) -> None:
    """Print the one-screen summary a planner reads at a glance."""
    console.print(park_heading(run.park, name=name_in_lang(run.park.name)), soft_wrap=False)
    if run.park.notice:
        console.print(notice_line(), soft_wrap=False)
    print_park_warnings(run.park)
    print_land_budget(run.park)
    if run.results is None:
        console.print(no_pipeline_line(run.pipeline), soft_wrap=True)
    else:
        _print_projects(run.results, run.pipeline)
    _print_phases(run)
    if run.ledger is not None:
        for line in target_lines(run.ledger, console.width):
            console.print(line, soft_wrap=False, crop=True)
    _print_files(run, background)
    console.print(
        _("Next: `zoning check FILE` for your own projects; `--detail` for every table."),
        soft_wrap=False,
    )


@report_user_errors
def plan(
    park_dir: ParkOption = None,
    projects: Annotated[
        Path | None,
        typer.Option(
            "--projects",
            help="Projects file (CSV or GeoJSON) to check and place. Default: the park's own "
            "pipeline, projects.csv in the park directory.",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    quota_mu: Annotated[
        float | None,
        typer.Option(
            "--quota-mu",
            min=0.0,
            help="Land opened per phase, in mu. Default: the rulebook's default_quota_mu.",
            show_default=False,
        ),
    ] = None,
    phases: Annotated[
        int | None,
        typer.Option(
            "--phases",
            min=1,
            help="Number of phases. Default: the rulebook's default_phases.",
            show_default=False,
        ),
    ] = None,
    basemap: Annotated[
        s.Basemap,
        typer.Option("--basemap", help="Basemap of the web map (none works offline)."),
    ] = s.Basemap.OSM,
    tiles: TilesOption = None,
    tiles_attribution: TilesAttributionOption = None,
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            file_okay=False,
            help="Folder for the map (<park>_plan.html) and the GeoJSON set (<park>-geojson/).",
        ),
    ] = Path("maps"),
    detail: Annotated[
        bool,
        typer.Option(
            "--detail",
            help="Print every table in full: each project against each zone with all its "
            "findings, candidate sites, both phase plans with their metrics.",
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Print only errors and the files written."),
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Day of the yearly ledger, YYYY-MM-DD (default: today), when the park has "
            "enterprises.csv.",
            show_default=False,
        ),
    ] = None,
    redevelopment: RedevelopmentOption = None,
) -> None:
    """Run the whole job: validate, check the project pipeline, phase the land, map, export.

    With no options it runs on the bundled Beichuan Industrial Park (illustrative layout),
    prints a one-screen summary and writes maps/beichuan_plan.html and maps/beichuan-geojson/.
    """
    background = MapBackground(basemap, tiles, tiles_attribution)
    day = parse_day(as_of)
    run = _run(
        park_dir,
        projects,
        quota_mu=quota_mu,
        phases=phases,
        background=background,
        out_dir=out_dir,
        as_of=day,
        redevelopment=redevelopment,
    )
    _print_ledger_warnings(run)
    if quiet:
        _print_files(run, background)
    elif detail:
        _print_detail(run)
        _print_files(run, background)
    else:
        _print_summary(run, background)
