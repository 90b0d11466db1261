"""``zoning plan``: the main job on a park (default: the bundled Beichuan park)."""

from __future__ import annotations

from zoning.cli._common import ParkOption, report_user_errors
from zoning.cli.park_commands import print_park_summary
from zoning.io import read_park


@report_user_errors
def plan(park_dir: ParkOption = None) -> None:
    """Validate the park and print its land budget per zone.

    With no options it runs on the bundled Beichuan Industrial Park (illustrative layout).
    """
    park = read_park(park_dir)
    print_park_summary(park)
