"""``zoning rules``: list the fit-check rules, or print one rule's documentation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from zoning.cli._common import EXIT_USER_ERROR, ParkOption, console, err_console, report_user_errors
from zoning.i18n import translate
from zoning.io.park import RULEBOOK_FILE, bundled_park_dir, read_rulebook
from zoning.rulebook import Rulebook
from zoning.rules import RULES, Rule, Threshold
from zoning.rules.registry import rule_for


def _threshold_text(t: Threshold) -> str:
    force = "binding 约束性" if t.binding else "advisory 建议性"
    return f"{t.key} = {t.value:g} {t.unit} ({force})"


def _title(rule: Rule) -> str:
    return f"{rule.title} / {translate(rule.title, 'zh')}"


def _list_rules(rulebook: Rulebook) -> None:
    table = Table(title=f"Fit-check rules 项目准入核验规则 (rulebook {rulebook.version})")
    table.add_column("rule 规则")
    table.add_column("title 名称")
    table.add_column("thresholds from the rulebook 规则库阈值")
    for rule in RULES:
        found = rule.thresholds(rulebook)
        thresholds = "\n".join(_threshold_text(t) for t in found) or "—"
        table.add_row(rule.id, escape(_title(rule)), escape(thresholds))
    console.print(table)
    console.print("`zoning rules ID` prints the documentation of one rule.")


def _show_rule(rule: Rule, rulebook: Rulebook) -> None:
    console.print(f"[bold]{escape(rule.id)}[/]: {escape(_title(rule))}")
    console.print(f"reads 读取: {escape(', '.join(rule.reads) or '—')}")
    found = rule.thresholds(rulebook)
    if found:
        console.print(f"thresholds in rulebook {escape(rulebook.version)} 规则库阈值:")
        for t in found:
            console.print(f"  {escape(_threshold_text(t))}")
            if t.source:
                console.print(f"    source 依据: {escape(t.source)}")
    console.print()
    console.print(escape(rule.doc))


@report_user_errors
def rules_command(
    rule_id: Annotated[
        str | None,
        typer.Argument(
            help="A rule id (e.g. health_distance) to print its documentation. Default: list "
            "every rule.",
            show_default=False,
        ),
    ] = None,
    park_dir: ParkOption = None,
) -> None:
    """List the fit-check rules (id, title, thresholds), or document one rule.

    Exits 2 with the known ids when the rule id is unknown.
    """
    if rule_id is not None and rule_for(rule_id) is None:
        known = ", ".join(r.id for r in RULES)
        err_console.print(
            f"[bold red]error:[/] unknown rule {escape(repr(rule_id))}: expected one of "
            f"{escape(known)}"
        )
        raise typer.Exit(EXIT_USER_ERROR)
    directory = bundled_park_dir() if park_dir is None else Path(park_dir)
    rulebook = read_rulebook(directory / RULEBOOK_FILE)
    if rule_id is None:
        _list_rules(rulebook)
        return
    rule = rule_for(rule_id)
    assert rule is not None
    _show_rule(rule, rulebook)
