"""The ``zoning`` command: one entry point with a subcommand per job.

The CLI only parses arguments, calls the API and prints; every computation lives in the
library modules.
"""

from __future__ import annotations

import typer

from zoning.cli._common import CONTEXT_SETTINGS, main_callback
from zoning.cli.batch import app as batch_app
from zoning.cli.check import check
from zoning.cli.export import export
from zoning.cli.import_ import import_command
from zoning.cli.ledger import ledger_command
from zoning.cli.map import map_command
from zoning.cli.park_commands import validate
from zoning.cli.plan import plan
from zoning.cli.rules import rules_command
from zoning.cli.sequence import sequence_command

app = typer.Typer(
    name="zoning",
    callback=main_callback,
    context_settings=CONTEXT_SETTINGS,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(plan)
app.command()(validate)
app.command()(check)
app.command()(export)
app.command("map")(map_command)
app.command("sequence")(sequence_command)
app.command("ledger")(ledger_command)
app.command("rules")(rules_command)
app.command("import")(import_command)
app.add_typer(batch_app, name="batch")


def main() -> None:
    """Run the ``zoning`` command."""
    app()
