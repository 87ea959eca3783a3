"""`make bench` works: the national cohort generator and the benchmark script, on a tiny cohort.

The real sizes (514 regions x 20 respondents x 5 cycles) take minutes; here 12 regions x 2
respondents x 2 cycles prove the machinery: generation, forms that load back exactly, one
process per benchmark, the results table.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

#: Not in `make test-fast`: it generates cohorts and runs the benchmark harness.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("make_national_cohort", ROOT / "scripts" / "make_national_cohort.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_national_cohort", module)
    spec.loader.exec_module(module)
    return module


def test_generator_makes_a_cohort_whose_forms_load_back_exactly(generator, tmp_path):
    from smartcity_analysis.input.loading import load_answers

    size = generator.CohortSize(regions=12, respondents=2, cycles=2)
    folder = generator.generate(size, tmp_path, forms=True, tidy=True, quiet=True)
    assert folder == tmp_path / size.key
    assert generator.generate(size, tmp_path, forms=True, tidy=True, quiet=True) == folder  # cached

    table = load_answers(folder / "table")
    summary = table.summary()
    assert summary["regions"] == 12 and summary["cycles"] == [2023, 2024]
    assert table.table.groupby("region", observed=True)["respondent"].nunique().eq(2).all()
    types = table.table.drop_duplicates("region").set_index("region")["region_type"]
    assert set(types) == {"kabupaten", "kota"}
    tidy = load_answers(folder / "table_tidy")
    assert int(tidy.table["value"].notna().sum()) == int(table.table["value"].notna().sum())

    forms = sorted((folder / "forms" / "templates" / "2024").glob("*.xlsx"))
    assert len(forms) == 12
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import run_benchmarks
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    check = run_benchmarks.check_forms_exact(folder, load_answers(folder / "forms" / "templates"))
    assert check["exact"], check
    assert check["values_compared"] > 600 and check["evidence_cells"] > 0


def test_generated_form_is_still_a_valid_workbook_for_openpyxl(generator, tmp_path):
    import openpyxl

    folder = generator.generate(generator.CohortSize(regions=3, respondents=1, cycles=1), tmp_path, quiet=True)
    path = next((folder / "forms" / "templates" / "2024").glob("kota-*.xlsx"))
    wb = openpyxl.load_workbook(path)
    assert wb["Petunjuk"]["B4"].value.startswith(("Kabupaten ", "Kota "))
    assert wb["_smartcity"].sheet_state == "hidden"
    sg = wb["SG"]
    assert sg["A4"].value == "SG-SV-01" and isinstance(sg["G4"].value, (int, float))
    assert sg["G4"].protection.locked is False  # the patched cells keep their style


def test_benchmark_script_writes_the_results_table(tmp_path):
    """``make bench``'s machinery on quick sizes: benchmarks in fresh processes, judged against
    their targets beside their anchors, an exactness check, the rest marked as not run."""
    results = tmp_path / "results.md"
    command = [
        sys.executable, str(ROOT / "benchmarks" / "run_benchmarks.py"), "--quick",
        "--only", "table_load,table_read_csv,forms_load,forms_calamine",
        "--cache", str(tmp_path / "cache"), "--results", str(results), "--profiles", str(tmp_path / "p"),
        "--no-profile",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    text = results.read_text()
    assert "| target | measured | anchor (same run) | target | status | profile, cause |" in text
    table = next(line for line in text.splitlines() if line.startswith("| consolidated table: load + validate"))
    assert "read_csv" in table and ("| PASS |" in table or "| MISS" in table)
    exact = next(line for line in text.splitlines() if line.startswith("| forms: every loaded value"))
    assert "| PASS |" in exact
    assert "ERROR" not in text and "TIMEOUT" not in text and "| NOT RUN |" in text
