"""The old module paths of the planner re-export the new homes' objects (one release), and
the planner loads OR-Tools only for its exact method.

The package's layout gates (module and function sizes, the import layers, no cycle) are in
``tests/test_architecture.py``.
"""

from __future__ import annotations

import pytest

OLD_PATHS = {
    "zoning.sequencing": (
        "zoning.planning",
        "zoning.planning.problem",
        "zoning.planning.metrics",
        "zoning.planning.heuristic",
        "zoning.planning.placement",
        "zoning.planning.plan",
        "zoning.planning.sequencer",
        "zoning.planning.types",
    ),
    "zoning.sequencing_exact": ("zoning.planning.exact",),
    "zoning.adjacency": ("zoning.planning.adjacency",),
    "zoning.siting": ("zoning.planning.siting",),
}


@pytest.mark.parametrize("old", sorted(OLD_PATHS))
def test_old_paths_re_export_the_same_objects(old: str) -> None:
    import importlib

    shim = importlib.import_module(old)
    homes = [importlib.import_module(m) for m in OLD_PATHS[old]]
    assert shim.__all__
    for name in shim.__all__:
        assert any(getattr(h, name, None) is getattr(shim, name) for h in homes), name


def test_old_paths_keep_the_names_imported_elsewhere() -> None:
    import zoning.adjacency
    import zoning.sequencing
    import zoning.sequencing_exact
    import zoning.siting

    used = {
        zoning.sequencing: {
            "FIT_TOLERANCE",
            "ObjectiveWeights",
            "PhasePlan",
            "SequencingProblem",
            "build_sequencing_problem",
            "evaluate_plan",
            "make_phase_plan",
            "sequence",
            "solve_heuristic",
        },
        zoning.sequencing_exact: {"MAX_EXACT_PARCELS", "ExactSolution", "solve_exact"},
        zoning.adjacency: {
            "CORNER_GUARD_M",
            "FRONTAGE_TOLERANCE_M",
            "ParcelAdjacency",
            "build_parcel_adjacency",
            "build_parcel_graph",
            "find_serviced_parcels",
        },
        zoning.siting: {"SITE_COLUMNS", "land_use_serves", "propose_sites"},
    }
    for module, names in used.items():
        assert names <= set(module.__all__), module.__name__


def test_the_planner_loads_or_tools_only_for_the_exact_method() -> None:
    import subprocess
    import sys

    code = (
        "import sys, zoning, zoning.planning, zoning.sequencing\n"
        "before = 'ortools' in sys.modules\n"
        "from zoning.planning.exact import solve_exact\n"
        "print(before, 'ortools' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]
