"""``zoning check``: does each proposed project fit its zone, and exactly why not."""

from __future__ import annotations

import io
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Final, TextIO

import geopandas as gpd
import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from zoning import schema as s
from zoning.batch import project_verdicts
from zoning.cli._common import (
    OutputFormat,
    OutputOption,
    ParkOption,
    console,
    counted,
    err_console,
    labelled,
    list_words,
    notice_line,
    progress_steps,
    report_user_errors,
    styled,
)
from zoning.i18n import _, get_lang
from zoning.io import bundled_park_dir, read_park
from zoning.io.check_results import (
    ResultFormat,
    write_check_results,
    write_csv_rows,
    write_geojson_rows,
    write_json_rows,
)
from zoning.io.project_formats import project_read_warnings
from zoning.io.projects import read_projects, write_text_atomic
from zoning.park import Park
from zoning.planning.siting import propose_sites
from zoning.rules import build_park_facts
from zoning.rules import check as check_projects
from zoning.schema import FindingStatus, Verdict

#: the colour of each verdict (its words: :func:`zoning.schema.label`)
VERDICT_STYLE: Final = {
    Verdict.FITS: "green",
    Verdict.CONDITIONAL: "yellow",
    Verdict.DOES_NOT_FIT: "red",
    Verdict.ERROR: "magenta",
}


class CheckFormat(StrEnum):
    """Output formats of ``zoning check``."""

    TABLE = "table"
    JSON = "json"
    GEOJSON = "geojson"
    CSV = "csv"
    XLSX = "xlsx"
    PARQUET = "parquet"


CheckFormatOption = Annotated[
    CheckFormat,
    typer.Option(
        "--format",
        "-f",
        help="table (for people), json, geojson, csv or xlsx (one row per project and zone, "
        "reasons in words of the chosen language), parquet (GeoParquet of the verdicts and "
        "NAME.findings.parquet beside it; needs --output, as xlsx does).",
    ),
]
#: the formats written only to a file
FILE_ONLY: Final = (CheckFormat.XLSX, CheckFormat.PARQUET)

#: the key of a finding's Chinese message, beside ``message`` (added by the fit check)
MESSAGE_ZH: Final = "message_zh"
#: width used when a table is written to a file
FILE_WIDTH: Final = 160


def _not_provided(finding: dict[str, Any]) -> bool:
    return (
        finding[s.STATUS] == FindingStatus.WARN
        and finding[s.MEASURED] is None
        and finding.get(s.REASON) == "not_provided"
    )


def finding_message(finding: dict[str, Any]) -> str:
    """Return a finding's message in the current language (Chinese when the check gave one)."""
    if get_lang() == "zh" and finding.get(MESSAGE_ZH):
        return str(finding[MESSAGE_ZH])
    return str(finding[s.MESSAGE])


def _findings_text(findings: list[dict[str, Any]]) -> str:
    """Failing findings first, then warnings; 'not provided' warnings folded into one line."""
    lines = []
    for f in findings:
        if f[s.STATUS] == FindingStatus.FAIL:
            lines.append(f"[red]✗ {escape(f[s.RULE])}[/]: {escape(finding_message(f))}")
    missing = []
    for f in findings:
        if f[s.STATUS] != FindingStatus.WARN:
            continue
        if _not_provided(f):
            missing.append(str(f[s.RULE]).split(".")[-1])
        else:
            lines.append(f"[yellow]! {escape(f[s.RULE])}[/]: {escape(finding_message(f))}")
    if missing:
        lines.append(styled("yellow", "! " + _("not provided")) + f": {escape(', '.join(missing))}")
    if not lines:
        lines.append(styled("green", "✓ " + _("every rule passes")))
    return "\n".join(lines)


def verdict_cell(verdict: str) -> str:
    """Return a verdict in words of the current language, coloured."""
    member = Verdict(verdict)
    return f"[{VERDICT_STYLE[member]}]{escape(s.label(member))}[/]"


def print_check_results(
    results: gpd.GeoDataFrame,
    *,
    sites: gpd.GeoDataFrame | None = None,
    out: Console | None = None,
    title: str = "",
) -> None:
    """Print check results as a table a planner can read, with candidate sites if given.

    One row per (project, zone) considered: the verdict, ★ on the recommended zone(s), and
    the failing then warning findings (values not provided are folded into one line).
    """
    out = console if out is None else out
    table = Table(title=title or _("Project fit check"), show_lines=True, expand=False)
    table.add_column(_("project"), overflow="fold", max_width=26)
    table.add_column(_("industry"), overflow="fold", max_width=8)
    table.add_column(_("zone"), overflow="fold")
    table.add_column(_("verdict"), overflow="fold")
    table.add_column("★", justify="center")
    table.add_column(_("mu"), justify="right")
    table.add_column(_("failing and warning findings"), overflow="fold", ratio=1)
    previous = None
    for row in results.itertuples(index=False):
        pid = getattr(row, s.PROJECT_ID)
        name = getattr(row, s.NAME)
        label = "" if pid == previous else f"[bold]{escape(str(pid))}[/] {escape(str(name))}"
        previous = pid
        area = getattr(row, s.AREA_MU)
        table.add_row(
            label,
            escape(str(getattr(row, s.INDUSTRY_CODE))),
            escape(str(getattr(row, s.ZONE_ID)) or "—"),
            verdict_cell(getattr(row, s.VERDICT)),
            "★" if getattr(row, s.BEST) else "",
            "" if pd.isna(area) else f"{area:,.1f}",
            _findings_text(getattr(row, s.FINDINGS)),
        )
    out.print(table)
    if sites is not None and len(sites):
        site_table = Table(
            title=_("Candidate sites for projects without one (rank 1 is best)"), show_lines=True
        )
        for column, kw in (
            (_("project"), {}),
            (_("rank"), {"justify": "right"}),
            (_("zone"), {}),
            (_("parcels"), {"overflow": "fold", "max_width": 30}),
            (_("mu"), {"justify": "right"}),
            (_("why"), {"overflow": "fold", "ratio": 1}),
        ):
            site_table.add_column(column, **kw)
        for cand in sites.itertuples(index=False):
            site_table.add_row(
                escape(str(getattr(cand, s.PROJECT_ID))),
                str(getattr(cand, s.RANK)),
                escape(str(getattr(cand, s.ZONE_ID))),
                escape(", ".join(getattr(cand, s.PARCEL_IDS))),
                f"{getattr(cand, s.CANDIDATE_MU):,.1f}",
                escape(str(getattr(cand, s.REASON))),
            )
        out.print(site_table)
    out.print(_summary_table(results))
    out.print(verdict_counts_line(results))


def verdict_counts_line(results: pd.DataFrame) -> str:
    """Return '22 project(s), by recommended zone: 13 fits, …' in the current language."""
    verdicts = project_verdicts(results)
    counts = Counter(verdicts)
    parts = [
        styled(VERDICT_STYLE[v], counted(counts[v.value], s.label(v)))
        for v in Verdict
        if counts[v.value]
    ]
    return labelled(
        "default",
        _("{count} project(s), by recommended zone:").format(count=len(verdicts)),
        list_words(parts),
    )


def _rules_text(findings: list[dict[str, Any]]) -> str:
    failed = [str(f[s.RULE]) for f in findings if f[s.STATUS] == FindingStatus.FAIL]
    warned = [
        str(f[s.RULE])
        for f in findings
        if f[s.STATUS] == FindingStatus.WARN and not _not_provided(f)
    ]
    parts = []
    if failed:
        parts.append("✗ " + ", ".join(failed))
    if warned:
        parts.append("! " + ", ".join(warned))
    missing = sum(1 for f in findings if _not_provided(f))
    if missing:
        parts.append(_("{count} value(s) not provided").format(count=missing))
    return "; ".join(parts) or _("every rule passes")


def _summary_table(results: pd.DataFrame) -> Table:
    """One line per project: the recommended zone(s) and what decides the verdict."""
    table = Table(title=_("Summary: one line per project"), show_lines=False)
    table.add_column(_("project"), overflow="fold")
    table.add_column(_("recommended"), overflow="fold")
    table.add_column(_("verdict"))
    table.add_column(
        _("deciding rules (✗ fail, ! warn), per zone when nothing fits"), overflow="fold"
    )
    for project_id, rows in results.groupby(s.PROJECT_ID, sort=False):
        best = rows[rows[s.BEST]]
        if len(best):
            zones = ", ".join(str(z) for z in best[s.ZONE_ID])
            verdict = str(best[s.VERDICT].iloc[0])
            why = _rules_text(best[s.FINDINGS].iloc[0])
        else:
            zones = "—"
            verdict = str(rows[s.VERDICT].iloc[0])
            if verdict != Verdict.ERROR:
                verdict = Verdict.DOES_NOT_FIT.value
            why = "; ".join(
                (z or _("input")) + f": {_rules_text(f)}"
                for z, f in zip(rows[s.ZONE_ID], rows[s.FINDINGS], strict=True)
            )
        name = str(rows[s.NAME].iloc[0])
        table.add_row(
            f"[bold]{escape(str(project_id))}[/] {escape(name)}",
            escape(zones),
            verdict_cell(verdict),
            escape(why),
        )
    return table


def _sites_by_key(sites: gpd.GeoDataFrame | None) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Return the candidate sites of each (project, zone), as JSON records."""
    by_key: dict[tuple[str, str], list[dict[str, Any]]] = {}
    if sites is None or not len(sites):
        return by_key
    for cand in _site_records(sites):
        by_key.setdefault((cand.pop(s.PROJECT_ID), cand.pop(s.ZONE_ID)), []).append(cand)
    return by_key


def _site_records(sites: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    frame = pd.DataFrame(sites.drop(columns=sites.geometry.name))
    records: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", force_ascii=False))
    return records


#: the project pipeline a park directory may carry beside its layers
PIPELINE_FILE: Final = "projects.csv"


def run_pipeline_check(
    park: Park, park_dir: Path | None = None, *, out: Console | None = None
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame] | None:
    """Check the park's own project pipeline, print the verdicts and candidate sites.

    For ``zoning plan``. The pipeline is ``projects.csv`` in the park directory
    (``park_dir``; default: the bundled Beichuan park). Returns the fit results and the
    candidate sites (:func:`zoning.siting.propose_sites`), computed once for both the
    printout and the map. A park without a pipeline prints a short note and returns ``None``.

    Raises
    ------
    ProjectInputError
        If the pipeline file exists but cannot be read as a table.
    """
    out = console if out is None else out
    path = pipeline_path(park_dir)
    checked = check_file(park, path) if path.is_file() else None
    if checked is None:
        out.print(no_pipeline_line(path))
        return None
    results, sites = checked
    print_check_results(results, sites=sites, out=out, title=pipeline_title(path))
    return checked


def pipeline_path(park_dir: Path | None) -> Path:
    """Return where the park's own project pipeline is (it may not exist)."""
    directory = bundled_park_dir() if park_dir is None else Path(park_dir)
    return directory / PIPELINE_FILE


def pipeline_title(path: Path) -> str:
    """Return the title of the pipeline's fit check table."""
    return _("Project pipeline fit check ({file})").format(file=path.name)


def no_pipeline_line(path: Path) -> str:
    """Return the note printed for a park without a project pipeline."""
    return _("no project pipeline ({path} not found): nothing to check").format(
        path=escape(str(path))
    )


def check_file(park: Park, path: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Read and check a projects file; the fit results and the candidate sites."""
    facts = build_park_facts(park)
    results = check_projects(park, read_projects(path), facts=facts)
    return results, propose_sites(park, results, facts=facts)


@report_user_errors
def check(
    projects: Annotated[
        Path,
        typer.Argument(
            help="Projects file: CSV (UTF-8; sites as WKT in WGS84 in a site_wkt column), "
            "Excel .xlsx, GeoJSON, Shapefile, GeoPackage, KML or DXF (sites as geometry). "
            "Chinese headers (项目编号, 行业代码, 用地面积 …) are understood.",
            show_default=False,
        ),
    ],
    park_dir: ParkOption = None,
    fmt: CheckFormatOption = CheckFormat.TABLE,
    output: OutputOption = None,
    sites: Annotated[
        bool,
        typer.Option(
            "--sites/--no-sites",
            help="Propose candidate vacant parcels for projects without a site.",
        ),
    ] = True,
) -> None:
    """Check whether proposed projects fit the park's zones, and say exactly why not.

    Every verdict (fits / conditional / does_not_fit) comes with its findings: the rule,
    the measured and required values and the rule's source. "Does not fit" is a result (exit
    0); a projects file that cannot be read exits 2 with every problem listed; a single bad
    row is reported as an error row while the rest is checked.
    """
    if fmt in FILE_ONLY and output is None:
        raise typer.BadParameter(
            _("--format {format} writes a file: give it with --output FILE").format(format=fmt),
            param_hint="--output",
        )
    with progress_steps() as step:
        step(_("reading the park"))
        park = read_park(park_dir)
        table = read_projects(projects)
        for warning in project_read_warnings(table):
            err_console.print(labelled("yellow", _("warning:"), escape(str(warning))))
        step(_("checking the projects"))
        facts = build_park_facts(park)
        results = check_projects(park, table, facts=facts)
        step(_("proposing candidate sites"))
        candidates = propose_sites(park, results, facts=facts) if sites else None
    if fmt is CheckFormat.TABLE:
        if output is None:
            if park.notice:
                console.print(notice_line())
            print_check_results(results, sites=candidates)
            return
        write_text_atomic(output, render_check_results(results, park=park, sites=candidates))
    elif output is None:
        _stream(results, ResultFormat(fmt.value), park=park, sites=candidates, out=sys.stdout)
        return
    else:
        with _row_progress(len(results)) as advance:
            write_check_results(
                results,
                output,
                ResultFormat(fmt.value),
                notice=park.notice or "",
                sites=_sites_by_key(candidates),
                progress=advance,
            )
    console.print(
        _("wrote {count} result row(s) to {path} ({format})").format(
            count=len(results), path=escape(str(output)), format=fmt
        )
    )


@contextmanager
def _row_progress(total: int) -> Iterator[Callable[[int], None]]:
    """Show the rows written so far, on a terminal only; yields ``advance(rows_done)``."""
    if not err_console.is_terminal:
        yield lambda _done: None
        return
    with Progress(
        TextColumn(_("writing")),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=total)
        yield lambda done: bar.update(task, completed=done)


def _stream(
    results: gpd.GeoDataFrame,
    fmt: ResultFormat,
    *,
    park: Park | None,
    sites: gpd.GeoDataFrame | None,
    out: TextIO,
) -> None:
    """Write a text format to ``out`` as it is made."""
    if fmt is ResultFormat.JSON:
        write_json_rows(out, results, sites=_sites_by_key(sites))
    elif fmt is ResultFormat.GEOJSON:
        notice = park.notice if park is not None and park.notice else ""
        write_geojson_rows(out, results, notice=notice)
    else:
        write_csv_rows(out, results)


def render_check_results(
    results: gpd.GeoDataFrame,
    *,
    park: Park | None = None,
    sites: gpd.GeoDataFrame | None = None,
    fmt: OutputFormat | CheckFormat = OutputFormat.TABLE,
) -> str:
    """Render check results as text: a plain table, JSON, GeoJSON or CSV."""
    if str(fmt) in (CheckFormat.JSON, CheckFormat.GEOJSON, CheckFormat.CSV):
        buffer = io.StringIO()
        _stream(results, ResultFormat(str(fmt)), park=park, sites=sites, out=buffer)
        return buffer.getvalue()
    buffer = io.StringIO()
    plain = Console(file=buffer, width=FILE_WIDTH, color_system=None, highlight=False)
    if park is not None and park.notice:
        plain.print(_("Note:") + f" {park.notice}", markup=False)
    print_check_results(results, sites=sites, out=plain)
    return buffer.getvalue()
