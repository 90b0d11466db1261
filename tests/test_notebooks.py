"""The analyst notebooks: stored without outputs, and each runs from top to bottom.

Each notebook is executed with nbclient in a Python 3 kernel of this environment, with
``notebooks/`` as the working directory; any cell error fails the test.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
#: a notebook should run in well under 30 s; the bound leaves room for a slow CI machine
MAX_SECONDS = 90.0


def test_the_analyst_workflows_are_there() -> None:
    names = {path.stem for path in NOTEBOOKS}
    assert {
        "01_park_overview",
        "02_check_proposals",
        "03_compare_phase_plans",
        "04_export_for_municipal_gis",
    } <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_clean(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, "a notebook without code"
    for cell in code:
        assert cell.outputs == [], f"stored with outputs: {cell.source[:60]!r}"
        assert cell.execution_count is None
    prose = [cell for cell in notebook.cells if cell.cell_type == "markdown"]
    assert len(prose) >= 3, "each workflow explains itself in a short narrative"
    assert prose[0].source.startswith("# ")


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError naming the cell on any error
    elapsed = time.perf_counter() - start
    assert elapsed < MAX_SECONDS, f"{path.name} took {elapsed:.0f} s"
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        assert not [o for o in cell.outputs if o.output_type == "error"]
        stderr = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stderr")
        assert "Warning" not in stderr, f"{path.name}: {stderr[:500]}"
