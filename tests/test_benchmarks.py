"""The benchmark script's own logic (benchmarks/run_benchmarks.py): judging, workbook facts,
causes, the results and README tables, and the process harness's timeout. Nothing here is timed:
the benchmarks themselves run with ``make bench``."""

from __future__ import annotations

import importlib.util
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("run_benchmarks", ROOT / "benchmarks" / "run_benchmarks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_benchmarks"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def result(status="done", **values):
    return {"status": status, "values": values, "timeout": 240}


def target(bench, key):
    return next(t for t in bench.targets(bench.FULL) if t.key == key)


def test_time_and_memory_targets_are_judged_against_their_limits(bench):
    time_target, memory_target = target(bench, "national_time"), target(bench, "national_memory")
    assert bench.judge(time_target, {"national_run": result(wall_s=29.9, peak_mb=900)}) == "PASS"
    assert bench.judge(time_target, {"national_run": result(wall_s=30.0, peak_mb=900)}) == "MISS"  # "< 30 s"
    assert bench.judge(memory_target, {"national_run": result(wall_s=10, peak_mb=1100)}) == "MISS"
    assert bench.judge(time_target, {}) == "NOT RUN"


def test_ratio_targets_need_their_anchor_and_are_inclusive(bench):
    t = target(bench, "table_time")
    anchor = result(wall_s=2.0)
    assert bench.judge(t, {"table_load": result(wall_s=6.0), "table_read_csv": anchor}) == "PASS"  # 3x exactly
    assert bench.judge(t, {"table_load": result(wall_s=6.2), "table_read_csv": anchor}) == "MISS"
    assert bench.judge(t, {"table_load": result(wall_s=6.0)}).startswith("NO ANCHOR")
    stopped = bench.judge(t, {"table_load": result(wall_s=6.0), "table_read_csv": result("ERROR")})
    assert stopped == "NO ANCHOR (ERROR)"


def test_stopped_runs_miss_what_they_already_passed(bench):
    time_target, memory_target = target(bench, "desa_time"), target(bench, "desa_memory")
    timed_out = {"desa_run": {**result("TIMEOUT", wall_s=300, peak_mb=1500), "timeout": 300}}
    assert bench.judge(time_target, timed_out) == "MISS (TIMEOUT)"
    assert bench.judge(memory_target, timed_out) == "TIMEOUT"  # below 2 GB so far: not known
    killed = {"desa_run": result("KILLED", wall_s=40, peak_mb=6001)}
    assert bench.judge(memory_target, killed) == "MISS (KILLED)"
    assert bench.judge(time_target, killed) == "KILLED"
    refused = {"desa_run": result("ERROR", wall_s=84, peak_mb=4096)}  # e.g. SC406 after using 4 GB
    assert bench.judge(memory_target, refused) == "MISS (ERROR)" and bench.judge(time_target, refused) == "ERROR"
    assert bench.is_miss("MISS (KILLED)") and bench.is_miss("TIMEOUT") and not bench.is_miss("ERROR")


def test_boolean_and_row_targets(bench):
    exact = target(bench, "forms_exact")
    assert bench.judge(exact, {"forms_load": result(exact=True, values_compared=10)}) == "PASS"
    assert bench.judge(exact, {"forms_load": result(exact=False, values_compared=10)}) == "MISS"
    rows = target(bench, "desa_rows")
    assert bench.judge(rows, {"desa_run": result(max_rows=1_048_576, split_sheets=2, split_noted=True)}) == "PASS"
    assert bench.judge(rows, {"desa_run": result(max_rows=1_048_576, split_sheets=2, split_noted=False)}) == "MISS"
    assert bench.judge(rows, {"desa_run": result(max_rows=1_048_577, split_sheets=0)}) == "MISS"


def test_sheet_sizes_read_from_the_xlsx_without_loading_cells(bench, tmp_path):
    import xlsxwriter

    path = tmp_path / "book.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    a = wb.add_worksheet("Skor & nilai")
    for row in range(12):
        a.write_row(row, 0, [row, row * 2, "x"])
    wb.add_worksheet("Skor (2)").write(99, 4, 1.5)
    wb.close()
    assert bench.sheet_sizes(path) == {"Skor & nilai": (12, 3), "Skor (2)": (100, 5)}


@pytest.mark.parametrize("noted", [True, False])
def test_workbook_facts_find_split_sheets_and_their_note(bench, tmp_path, noted):
    import xlsxwriter

    from smartcity_analysis.i18n import term

    path = tmp_path / "book.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Skor (1)").write(5, 0, 1)
    wb.add_worksheet("Skor (2)").write(2, 0, 1)
    about = wb.add_worksheet(term("sheet:about", "id")[:31])
    about.write_row(1, 0, ["Skor", term("workbook:split", "id").format(rows="2.000.000", sheets=2) if noted else "-"])
    wb.close()
    assert bench.workbook_facts(path, "id") == {"max_rows": 6, "sheets": 3, "split_sheets": 2, "split_noted": noted}


def test_sheet_sizes_without_a_dimension_element_count_rows(bench, tmp_path):
    path = tmp_path / "plain.xlsx"
    sheet = b'<worksheet><sheetData>' + b"".join(b'<row r="%d"><c r="A%d"/></row>' % (i, i) for i in (1, 2, 7)) + \
        b"</sheetData></worksheet>"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", '<workbook><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships><Relationship Id="rId1" Type="t" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    assert bench.sheet_sizes(path) == {"A": (7, 0)}


def test_split_note_pattern_matches_the_formatted_note(bench):
    pattern = bench.split_note_pattern("{rows} baris: dibagi atas {sheets} lembar (batas Excel)")
    assert pattern.search("5.360.768 baris: dibagi atas 6 lembar (batas Excel)")
    assert not pattern.search("dibagi atas 6 lembar")


NOTES = """\
## Causes

- `national_time`: notebooks take 40 s
  of the 81 s.
- `desa_memory`: object columns.

## Other

Text kept.
"""


def test_causes_are_read_from_notes_and_shown_with_misses(bench, tmp_path):
    assert bench.parse_causes(NOTES) == {"national_time": "notebooks take 40 s of the 81 s.",
                                         "desa_memory": "object columns."}
    assert bench.notes_without_causes(NOTES) == "## Other\n\nText kept."
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "national_run.txt").write_text("profile")
    store = {"benches": {"national_run": {**result(wall_s=81.0, cpu_s=120.0, peak_mb=900, maxrss_mb=700,
                                                   times=[81.0]), "steps": {"validate": 12.5, "notebooks": 40.8},
                                          "data": {"units": 514, "answers": 2_791_757, "respondents": 20,
                                                   "cycles": 5}}},
             "invocations": [{"command": "make bench", "git": "abc", "seconds": 100, "finished": "today",
                              "load_start": "1", "load_end": "2"}]}
    text = bench.render_results(store, bench.FULL, NOTES, profiles, tmp_path / "results.md")
    miss = next(line for line in text.splitlines() if line.startswith("| national run, 514"))
    assert "| MISS |" in miss and "[profile](profiles/national_run.txt)" in miss
    assert "cause: notebooks take 40 s of the 81 s." in miss
    memory = next(line for line in text.splitlines() if line.startswith("| national run: peak memory"))
    assert "| PASS |" in memory and "profile" not in memory
    assert "| `national_run` | 12.5 | 40.8 | 81.0 |" in text  # the per-step table
    assert "Text kept." in text and "## Causes" not in text
    table = bench.readme_table(store, bench.FULL)
    assert table.startswith("| target | measured |") and "| MISS |" in table and "| PASS |" in table


def test_a_process_past_its_timeout_is_stopped_and_marked(bench, tmp_path):
    m = bench.measure_process([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5,
                              memory_cap_mb=6000, cwd=tmp_path, env={}, log=tmp_path / "log.txt")
    assert m.stopped == "TIMEOUT" and m.returncode != 0
    done = bench.measure_process([sys.executable, "-c", "print('ok')"], timeout=30, memory_cap_mb=6000,
                                 cwd=tmp_path, env={}, log=tmp_path / "log2.txt")
    assert done.stopped == "" and done.returncode == 0 and done.output.strip() == "ok" and done.maxrss_mb > 0
