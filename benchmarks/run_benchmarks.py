"""Issue 16's performance targets: ``make bench`` measures each of them and writes ``results.md``.

Each benchmark runs in a fresh process (its own process group) with a timeout: a benchmark still
running then is stopped (the group and every process it started are killed) and marked TIMEOUT,
one whose processes together pass the memory cap (``--memory-cap-mb``, 6 GB: the machine is
shared) is killed and marked KILLED. For every benchmark the parent records

- *wall s*: the median wall-clock seconds of the timed runs (a whole ``smartcity run`` is timed
  as its process; an operation inside a worker process is timed after its inputs are prepared);
- *CPU s*: user + system seconds of the same (the process and the children it waited for, so a
  run's process pool is counted): steadier than wall time on a busy machine;
- *peak MB*: the larger of the biggest single process's maximum resident set size (what
  ``/usr/bin/time -v`` reports) and the sampled peak of the proportional set size (PSS) summed
  over the benchmark's processes (pool workers, notebook kernels): the memory the benchmark held
  at once. Targets on memory are judged on it.

A ratio target's anchor (pandas' ``read_csv``, calamine's raw parse) is measured in the same
``make bench``, right beside it. Where a target is missed, the benchmark is run again under
cProfile and the top functions by cumulative time are written to ``profiles/<name>.txt``
(linked from the row), with a cause line taken from the ``## Causes`` list of ``notes.md``.

Data: ``scripts/make_national_cohort.py`` (``generate`` and ``generate_desa``), cached outside the
repository (``--cache``, default ``~/.cache/smartcity_analysis/bench``) in folders named by the
generator's keys, so only the first ``make bench`` generates them.

Usage::

    python benchmarks/run_benchmarks.py                    # everything: results.md, profiles/
    python benchmarks/run_benchmarks.py --only table_load,table_read_csv
    python benchmarks/run_benchmarks.py --quick            # small sizes, for development
    python benchmarks/run_benchmarks.py --list             # the benchmark names
    python benchmarks/run_benchmarks.py --render           # results.md again (after editing notes.md)
    python benchmarks/run_benchmarks.py --readme-table     # the README's performance table

``--only`` measures the named benchmarks and merges them into the stored results of earlier
runs (each row says when it was measured); a run without ``--only`` starts afresh.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

SAMPLE_RAW = ROOT / "data" / "raw"
SAMPLE_REGION = "Kabupaten Pekalongan"
EXCEL_MAX_ROWS = 1_048_576
DEFAULT_CACHE = Path.home() / ".cache" / "smartcity_analysis" / "bench"
MB = 1024 * 1024


# --- sizes -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    """The data of a suite: the issue's (``FULL``) or small ones for development (``QUICK``)."""

    national: tuple[int, int, int]  # regions, respondents, cycles
    x10: tuple[int, int, int]
    scaling: tuple[int, ...]  # the scaling table's cohorts besides national, 10x and desa
    desa_units: int | None  # None: every desa of the register; else the first n rows of its table
    weight_samples: int
    sobol_samples: int
    chart_regions: int | None  # None: every region of the national cohort
    quick: bool = False


FULL = Sizes(national=(514, 20, 5), x10=(5140, 20, 5), scaling=(50,), desa_units=None,
             weight_samples=10_000, sobol_samples=1000, chart_regions=None)
QUICK = Sizes(national=(40, 4, 2), x10=(200, 4, 2), scaling=(35,), desa_units=2000,
              weight_samples=1000, sobol_samples=100, chart_regions=6, quick=True)


# --- what is measured --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bench:
    """One benchmark: a ``smartcity run`` (``run_options`` set) or a worker function."""

    name: str
    title: str
    data: str  # national, national_forms, desa, x10, scale<n>, sample
    timeout: float
    runs: int = 1
    run_options: tuple[str, ...] | None = None  # smartcity run's options after --raw and --out
    workbook_check: bool = False  # check the run's workbook: sheet rows, the note of split tables
    #: for a stopped run: (glob under the scratch folder, what the folders of its matches are)
    progress: tuple[str, str] | None = None


def benches(sizes: Sizes) -> list[Bench]:
    q = sizes.quick
    out = [
        Bench("national_run", "`smartcity run --no-decks` (notebooks and report included)", "national",
              120 if q else 240, run_options=("--no-decks",)),
        Bench("table_load", "load and validate the consolidated table (`load_answers` on its folder)",
              "national", 120 if q else 240, runs=2),
        Bench("table_read_csv", "anchor: `pandas.read_csv` of the same file", "national", 120, runs=3),
        Bench("forms_load", "load and validate the filled forms (`load_answers` on their folder)",
              "national_forms", 120 if q else 240, runs=3),
        Bench("forms_calamine", "anchor: calamine's raw parse of the same forms (every sheet to Python)",
              "national_forms", 120 if q else 240, runs=3),
        Bench("workbook", "the run's workbook (`step_workbook`), time of `write_workbook` only",
              "national", 180 if q else 420, runs=2),
        Bench("desa_run", "every desa: `smartcity run --no-decks --no-notebooks`", "desa",
              120 if q else 300, run_options=("--no-decks", "--no-notebooks"), workbook_check=True),
        Bench("x10_run", "10x Indonesia: `smartcity run --no-decks --no-notebooks`", "x10",
              120 if q else 600, run_options=("--no-decks", "--no-notebooks"), workbook_check=True),
        Bench("chart_set_national", "one region's chart set (`region_outputs`, charts only, PNG)",
              "national", 120 if q else 240, runs=3),
        Bench("chart_set_sample", "one region's chart set on the sample data (data/raw)", "sample", 120, runs=3),
        Bench("chart_sets_all", "every region's chart set with the run's process pool (`step_charts`, "
              "decks off, every region asked for)", "national", 180 if q else 900,
              progress=("staging/charts/*/*.png", "chart sets")),
        Bench("sobol", "Sobol indices of the scoring choices (`choice_sensitivity`, as `a.sobol`)", "national",
              120 if q else 240, runs=2),
        Bench("weights", "weight uncertainty (`weight_uncertainty`, as the run's uncertainty step)", "national",
              120 if q else 240, runs=3),
    ]
    out += [Bench(f"scale{n}", f"scaling: {n} regions, `smartcity run --no-decks --no-notebooks`", f"scale{n}",
                  120 if q else 300, run_options=("--no-decks", "--no-notebooks")) for n in sizes.scaling]
    out.append(Bench("national_core", "scaling: national, `smartcity run --no-decks --no-notebooks`", "national",
                     120 if q else 300, run_options=("--no-decks", "--no-notebooks")))
    return out


# --- targets: one row each in results.md ---------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One of the issue's targets: ``value(results)`` against ``limit`` (``value <= limit`` when
    ``inclusive``, else ``<``; a ``bool`` value passes when true)."""

    key: str  # the row's name, also its key in notes.md's causes
    title: str
    bench: str  # the benchmark measured (whose profile a miss links)
    value: Callable[[dict], float | bool | None]
    shown: Callable[[dict], str]  # the measured value as text
    limit: float | None
    limit_label: str
    inclusive: bool = False
    anchor: Callable[[dict], str] | None = None  # the anchor measured beside it, as text
    anchor_bench: str | None = None  # a missing anchor leaves the row without a status
    kind: str = "time"  # time, memory or rows: how a stopped run is judged
    cpu: Callable[[dict], float | None] | None = None  # the value from CPU seconds (time targets)


def _v(results: dict, bench: str, key: str):
    return (results.get(bench) or {}).get("values", {}).get(key)


def _ratio(results: dict, a: str, b: str, key: str = "wall_s") -> float | None:
    x, y = _v(results, a, key), _v(results, b, key)
    return x / y if x is not None and y else None


def _s(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:.3f}" if x < 1 else f"{x:.2f}" if x < 10 else f"{x:.1f}" if x < 100 else f"{x:.0f}"


def _mb(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f} MB"


def _time_text(results: dict, bench: str) -> str:
    wall, cpu = _v(results, bench, "wall_s"), _v(results, bench, "cpu_s")
    return "-" if wall is None else f"{_s(wall)} s (CPU {_s(cpu)} s)"


def _x(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}x"


#: Time targets judged on CPU seconds too: on the shared machine a wall-clock miss may be the
#: load (results.md then says "MISS (CPU: PASS)"; the target itself is judged on wall time).
CPU_VALUES: dict[str, Callable[[dict], float | None]] = {
    "national_time": lambda r: _v(r, "national_run", "cpu_s"),
    "table_time": lambda r: _ratio(r, "table_load", "table_read_csv", "cpu_s"),
    "forms_time": lambda r: _ratio(r, "forms_load", "forms_calamine", "cpu_s"),
    "workbook_time": lambda r: _v(r, "workbook", "cpu_s"),
    "desa_time": lambda r: _v(r, "desa_run", "cpu_s"),
    "chart_national": lambda r: _v(r, "chart_set_national", "cpu_s"),
    "chart_sample": lambda r: _v(r, "chart_set_sample", "cpu_s"),
    "chart_sets_all": lambda r: _v(r, "chart_sets_all", "cpu_s"),
    "sobol": lambda r: _v(r, "sobol", "cpu_s"),
    "weights": lambda r: _v(r, "weights", "cpu_ms_per_sample"),
}


def targets(sizes: Sizes) -> list[Target]:
    return [dataclasses.replace(t, cpu=CPU_VALUES.get(t.key)) for t in _targets(sizes)]


def _targets(sizes: Sizes) -> list[Target]:
    n_regions = sizes.national[0]
    desa = "83,762 desa" if sizes.desa_units is None else f"{sizes.desa_units:,} desa (quick)"
    x10 = "{:,} x {} x {}".format(*sizes.x10)
    charts = "514" if sizes.chart_regions is None else f"{sizes.chart_regions}"
    return [
        Target("national_time", f"national run, {n_regions} kab/kota: `smartcity run --no-decks`, wall time",
               "national_run", lambda r: _v(r, "national_run", "wall_s"), lambda r: _time_text(r, "national_run"),
               30, "< 30 s"),
        Target("national_memory", "national run: peak memory", "national_run",
               lambda r: _v(r, "national_run", "peak_mb"), lambda r: _mb(_v(r, "national_run", "peak_mb")),
               1024, "< 1 GB", kind="memory"),
        Target("table_time", "consolidated table: load + validate vs `pandas.read_csv` of the same file",
               "table_load", lambda r: _ratio(r, "table_load", "table_read_csv"),
               lambda r: f"{_x(_ratio(r, 'table_load', 'table_read_csv'))}: {_time_text(r, 'table_load')}",
               3, "<= 3x", inclusive=True, anchor=lambda r: f"read_csv {_time_text(r, 'table_read_csv')}",
               anchor_bench="table_read_csv"),
        Target("table_memory", "consolidated table: peak memory growth of the load vs the loaded answers' own "
               "size (`memory_usage(deep=True)`)", "table_load", lambda r: _v(r, "table_load", "memory_ratio"),
               lambda r: f"{_x(_v(r, 'table_load', 'memory_ratio'))}: {_mb(_v(r, 'table_load', 'growth_mb'))}",
               4, "<= 4x", inclusive=True, kind="memory",
               anchor=lambda r: f"own size {_mb(_v(r, 'table_load', 'own_mb'))}"),
        Target("forms_time", f"{n_regions} forms: load + validate vs calamine's raw parse", "forms_load",
               lambda r: _ratio(r, "forms_load", "forms_calamine"),
               lambda r: f"{_x(_ratio(r, 'forms_load', 'forms_calamine'))}: {_time_text(r, 'forms_load')}",
               2, "<= 2x", inclusive=True, anchor=lambda r: f"calamine {_time_text(r, 'forms_calamine')}",
               anchor_bench="forms_calamine"),
        Target("forms_exact", "forms: every loaded value, region, province and respondent == the generated one",
               "forms_load", lambda r: _v(r, "forms_load", "exact"),
               lambda r: "-" if _v(r, "forms_load", "exact") is None else
               f"{_v(r, 'forms_load', 'values_compared'):,} values", None, "exact"),
        Target("workbook_time", "national workbook: `write_workbook` of the run's sheets", "workbook",
               lambda r: _v(r, "workbook", "wall_s"), lambda r: _time_text(r, "workbook"), 5, "< 5 s",
               anchor=lambda r: f"whole step {_s(_v(r, 'workbook', 'step_s'))} s"),
        Target("workbook_rows", "national workbook: no sheet over Excel's 1,048,576 rows", "workbook",
               lambda r: _v(r, "workbook", "max_rows"), lambda r: _rows_text(r, "workbook"), EXCEL_MAX_ROWS,
               "<= 1,048,576 rows", inclusive=True, kind="rows"),
        Target("desa_time", f"every desa ({desa}, 1 respondent, 1 cycle): run without decks and notebooks, "
               "wall time", "desa_run", lambda r: _v(r, "desa_run", "wall_s"), lambda r: _time_text(r, "desa_run"),
               90, "< 90 s"),
        Target("desa_memory", "every desa: peak memory", "desa_run", lambda r: _v(r, "desa_run", "peak_mb"),
               lambda r: _mb(_v(r, "desa_run", "peak_mb")), 2048, "< 2 GB", kind="memory"),
        Target("desa_rows", "every desa: workbook sheets within 1,048,576 rows, split tables noted in it",
               "desa_run", lambda r: _rows_ok(r, "desa_run"), lambda r: _rows_text(r, "desa_run"), None,
               "split and noted", kind="rows"),
        Target("x10_memory", f"10x Indonesia ({x10}): run without decks and notebooks, peak memory", "x10_run",
               lambda r: _v(r, "x10_run", "peak_mb"), lambda r: _mb(_v(r, "x10_run", "peak_mb")), 3072, "< 3 GB",
               kind="memory", anchor=lambda r: f"time {_time_text(r, 'x10_run')}"),
        Target("chart_national", f"chart set for one region, {n_regions}-region cohort", "chart_set_national",
               lambda r: _v(r, "chart_set_national", "wall_s"), lambda r: _chart_text(r, "chart_set_national"),
               1, "< 1 s"),
        Target("chart_sample", "chart set for one region, sample data (data/raw)", "chart_set_sample",
               lambda r: _v(r, "chart_set_sample", "wall_s"), lambda r: _chart_text(r, "chart_set_sample"),
               1, "< 1 s"),
        Target("chart_sets_all", f"{charts} chart sets with the run's process pool", "chart_sets_all",
               lambda r: _v(r, "chart_sets_all", "wall_s"), lambda r: _pool_text(r), 180, "< 3 min"),
        Target("sobol", f"Sobol, {sizes.sobol_samples:,} base samples x 5 inputs, national cohort", "sobol",
               lambda r: _v(r, "sobol", "wall_s"), lambda r: _time_text(r, "sobol"), 30, "< 30 s"),
        Target("weights", f"weight uncertainty per sample, {n_regions} regions x "
               f"{_v_fallback_weights()} weights", "weights",
               lambda r: _v(r, "weights", "ms_per_sample"),
               lambda r: "-" if _v(r, "weights", "ms_per_sample") is None else
               f"{_v(r, 'weights', 'ms_per_sample'):.3f} ms (CPU {_v(r, 'weights', 'cpu_ms_per_sample'):.3f} ms)",
               0.20, "~0.18 ms (<= 0.20)", inclusive=True,
               anchor=lambda r: f"{_v(r, 'weights', 'samples') or 0:,} samples in {_time_text(r, 'weights')}"),
    ]


def _v_fallback_weights() -> str:
    """How many weights the built-in instrument perturbs (its nodes; the old issue said 90)."""
    try:
        from smartcity_analysis.input.framework import default_framework

        return f"{len(default_framework().table)}"
    except Exception:  # noqa: BLE001 - only a label
        return "?"


def _rows_text(results: dict, bench: str) -> str:
    rows = _v(results, bench, "max_rows")
    if rows is None:
        return "-"
    text = f"largest sheet {rows:,} rows"
    split = _v(results, bench, "split_sheets")
    if split:
        noted = "noted" if _v(results, bench, "split_noted") else "NOT noted"
        text += f"; {split} split sheets, {noted} in the about sheet"
    return text


def _rows_ok(results: dict, bench: str) -> bool | None:
    rows = _v(results, bench, "max_rows")
    if rows is None:
        return None
    split = _v(results, bench, "split_sheets") or 0
    return rows <= EXCEL_MAX_ROWS and (not split or bool(_v(results, bench, "split_noted")))


def _chart_text(results: dict, bench: str) -> str:
    n = _v(results, bench, "charts")
    return _time_text(results, bench) + (f", {n} charts" if n else "")


def _pool_text(results: dict) -> str:
    n, per = _v(results, "chart_sets_all", "regions"), _v(results, "chart_sets_all", "s_per_region")
    text = _time_text(results, "chart_sets_all")
    return text + (f", {n} regions, {per:.2f} s each" if n and per else "")


# --- judging ---------------------------------------------------------------------------------------------

STOPPED = ("TIMEOUT", "KILLED", "ERROR", "NO DATA", "NOT RUN")


def judge(target: Target, results: dict) -> str:
    """PASS, MISS, or why it could not be judged (the benchmark's TIMEOUT, KILLED, ERROR, ...).

    A stopped run still misses a time target (it ran past it) and a memory target it had passed
    before it was stopped."""
    bench = results.get(target.bench)
    if bench is None:
        return "NOT RUN"
    status = bench.get("status", "")
    anchor = results.get(target.anchor_bench) if target.anchor_bench else None
    if target.anchor_bench and (anchor is None or anchor.get("status") in STOPPED):
        return f"NO ANCHOR ({(anchor or {}).get('status', 'NOT RUN')})"
    if status in STOPPED:
        if status == "TIMEOUT" and target.kind == "time" and target.limit is not None \
                and bench.get("timeout", 0) >= target.limit and target.anchor_bench is None:
            return "MISS (TIMEOUT)"
        peak = bench.get("values", {}).get("peak_mb")
        if status in ("TIMEOUT", "KILLED", "ERROR") and target.kind == "memory" and peak is not None \
                and target.limit is not None and peak >= target.limit and target.key != "table_memory":
            return f"MISS ({status})"
        return status
    value = target.value(results)
    if value is None:
        return "NO VALUE"
    if isinstance(value, bool) or target.limit is None:
        return "PASS" if value else "MISS"
    ok = value <= target.limit if target.inclusive else value < target.limit
    return "PASS" if ok else "MISS"


def judge_on_cpu(target: Target, results: dict, status: str) -> str:
    """``status``, with the CPU-time judgment added where it differs (``MISS (CPU: PASS)``)."""
    if target.cpu is None or status not in ("PASS", "MISS") or target.limit is None:
        return status
    value = target.cpu(results)
    if value is None:
        return status
    on_cpu = "PASS" if (value <= target.limit if target.inclusive else value < target.limit) else "MISS"
    return status if on_cpu == status else f"{status} (CPU: {on_cpu})"


def is_miss(status: str) -> bool:
    return status.startswith("MISS") or status in ("TIMEOUT", "KILLED")


# --- workbooks: what a written xlsx holds ------------------------------------------------------------------

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_ROW = re.compile(rb'<(?:\w+:)?row [^>]*?r="(\d+)"')


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def sheet_sizes(path: str | Path) -> dict[str, tuple[int, int]]:
    """``{sheet name: (rows, columns)}`` of an xlsx, read from each sheet's ``<dimension>`` (or,
    without one, the last ``<row r=...>``; columns then 0) without loading the cells."""
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode("utf-8")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        targets_by_id = {m.group(1): m.group(2) for m in re.finditer(
            r'<Relationship [^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
        targets_by_id.update({m.group(2): m.group(1) for m in re.finditer(
            r'<Relationship [^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
        out = {}
        for m in re.finditer(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', workbook):
            name = _xml_unescape(m.group(1))
            target = targets_by_id[m.group(2)].lstrip("/")
            part = target if target.startswith("xl/") else f"xl/{target}"
            out[name] = _part_size(archive, part)
        return out


def _xml_unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


def _part_size(archive: zipfile.ZipFile, part: str) -> tuple[int, int]:
    with archive.open(part) as handle:
        head = handle.read(65536)
        found = _DIMENSION.search(head)
        if found:
            last_col, last_row = found.group(3) or found.group(1), found.group(4) or found.group(2)
            return int(last_row), _column_number(last_col.decode())
        rows, tail = 0, b""
        chunk = head
        while chunk:
            data = tail + chunk
            for m in _ROW.finditer(data):
                rows = max(rows, int(m.group(1)))
            tail = data[-256:]
            chunk = handle.read(1 << 20)
        return rows, 0


def workbook_facts(path: Path, lang: str = "id") -> dict:
    """Largest sheet, split sheets (``name (2)``...) and whether the about sheet notes the split."""
    sizes = sheet_sizes(path)
    split = [name for name in sizes if re.search(r" \(\d+\)$", name)]
    facts = {"max_rows": max((r for r, _ in sizes.values()), default=0), "sheets": len(sizes),
             "split_sheets": len(split)}
    if split:
        facts["split_noted"] = _split_noted(path, lang)
    return facts


def _split_noted(path: Path, lang: str) -> bool:
    from python_calamine import CalamineWorkbook

    from smartcity_analysis.i18n import term

    pattern = split_note_pattern(term("workbook:split", lang))
    about = term("sheet:about", lang)[:31]
    wb = CalamineWorkbook.from_path(str(path))
    try:
        if about not in wb.sheet_names:
            return False
        cells = [str(c) for row in wb.get_sheet_by_name(about).to_python() for c in row]
    finally:
        wb.close()
    return any(pattern.search(c) for c in cells)


def split_note_pattern(template: str) -> re.Pattern:
    """A regular expression matching ``template`` with any text in its ``{placeholders}``."""
    parts = re.split(r"\{[^{}]*\}", template)
    return re.compile(".+?".join(re.escape(p) for p in parts))


# --- workers: each benchmark's operation, in its own process ---------------------------------------------

_PROFILE: dict = {}


def _cpu_now() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def timed(fn: Callable[[], object], runs: int, before: Callable[[], None] | None = None) -> dict:
    """Wall and CPU seconds of ``runs`` calls (one, under cProfile, when profiling)."""
    walls, cpus = [], []
    profiler = _PROFILE.get("profiler")
    for _ in range(1 if profiler else runs):
        if before:
            before()
        c0, t0 = _cpu_now(), time.perf_counter()
        if profiler:
            profiler.enable()
        try:
            fn()
        finally:
            if profiler:
                profiler.disable()
        walls.append(time.perf_counter() - t0)
        cpus.append(_cpu_now() - c0)
    return {"times": walls, "cpu_times": cpus, "wall_s": statistics.median(walls),
            "cpu_s": statistics.median(cpus), "min_s": min(walls)}


def _generator():
    import make_national_cohort

    return make_national_cohort


def check_forms_exact(folder: Path, answers) -> dict:
    """Are the values loaded from the forms the generated ones (the consolidated table's rows for
    the latest cycle and the forms' respondent)? Region, province and respondent too."""
    import numpy as np
    import pandas as pd

    cohort_gen = _generator()
    params = json.loads((folder / "parameters.json").read_text())
    wide = pd.read_csv(folder / "table" / cohort_gen.TABLE_NAME, dtype={"region": str})
    wide = wide[(wide["cycle"] == params["cycles"][-1]) & (wide["respondent"] == params["form_respondent"])]
    codes = [c for c in wide.columns if c not in ("cycle", "region", "respondent", "region_type", "province")]
    expected = wide.melt(id_vars=["region", "province", "respondent"], value_vars=codes,
                         var_name="indicator", value_name="value").dropna(subset=["value"])
    got = answers.table.dropna(subset=["value"])
    got = pd.DataFrame({"region": got["region"].astype(str), "province": got["province"].astype(str),
                        "respondent": got["respondent"].astype(str),
                        "indicator": got["indicator"].astype(str), "value": got["value"].astype(float)})
    key = ["region", "indicator"]
    a = expected.sort_values(key).reset_index(drop=True)
    b = got.sort_values(key).reset_index(drop=True)
    labels = key + ["province", "respondent"]
    same = (len(a) == len(b) and (a[labels].to_numpy() == b[labels].to_numpy()).all()
            and np.array_equal(a["value"].to_numpy(dtype=float), b["value"].to_numpy(dtype=float)))
    cycles = sorted(int(c) for c in answers.table["cycle"].dropna().unique())
    evidence = int(answers.table["evidence"].notna().sum())
    return {"exact": bool(same and cycles == [params["cycles"][-1]] and evidence > 0),
            "values_compared": int(len(a)), "evidence_cells": evidence}


def _csv_path(folder: Path) -> Path:
    return next(p for p in sorted((folder / "table").glob("*.csv")))


def work_table_load(p: dict) -> dict:
    from smartcity_analysis.input.framework import default_framework
    from smartcity_analysis.input.loading import load_answers

    folder = Path(p["folder"])
    default_framework()  # the instrument is read once per process, before the baseline
    held: dict = {}
    baseline = _rss_mb()
    result = timed(lambda: held.__setitem__("answers", load_answers(folder / "table")), p["runs"],
                   before=lambda: held.clear())
    peak = _maxrss_mb()
    table = held["answers"].table
    own = float(table.memory_usage(deep=True).sum()) / MB
    path = _csv_path(folder)
    result.update(baseline_mb=baseline, growth_mb=peak - baseline, own_mb=own, memory_ratio=(peak - baseline) / own,
                  answers=int(len(table)), file_mb=path.stat().st_size / MB)
    return {"values": result, "size": f"{len(table):,} answers, {path.stat().st_size / MB:.0f} MB CSV"}


def work_table_read_csv(p: dict) -> dict:
    import pandas as pd

    path = _csv_path(Path(p["folder"]))
    held: dict = {}
    baseline = _rss_mb()
    result = timed(lambda: held.__setitem__("frame", pd.read_csv(path)), p["runs"], before=lambda: held.clear())
    frame = held["frame"]
    own = float(frame.memory_usage(deep=True).sum()) / MB
    result.update(baseline_mb=baseline, growth_mb=_maxrss_mb() - baseline, own_mb=own)
    return {"values": result, "size": f"{frame.shape[0]:,} rows x {frame.shape[1]} columns"}


def _forms(folder: Path) -> list[Path]:
    return sorted((folder / "forms" / "templates").rglob("*.xlsx"))


def work_forms_load(p: dict) -> dict:
    from smartcity_analysis.input.framework import default_framework
    from smartcity_analysis.input.loading import load_answers

    folder = Path(p["folder"])
    default_framework()
    held: dict = {}
    result = timed(lambda: held.__setitem__("answers", load_answers(folder / "forms" / "templates")), p["runs"],
                   before=lambda: held.clear())
    if not _PROFILE:
        result.update(check_forms_exact(folder, held["answers"]))
    return {"values": result, "size": f"{len(_forms(folder))} workbooks"}


def work_forms_calamine(p: dict) -> dict:
    from python_calamine import CalamineWorkbook

    files = [str(f) for f in _forms(Path(p["folder"]))]

    def parse() -> None:
        for f in files:
            wb = CalamineWorkbook.from_path(f)
            for sheet in wb.sheet_names:
                wb.get_sheet_by_name(sheet).to_python()
            wb.close()

    return {"values": timed(parse, p["runs"]), "size": f"{len(files)} workbooks"}


def _prepared_run(raw: Path, staging: Path, before: str, skip: Iterable[str] = (), **config):
    """A run context with the steps before ``before`` done (less ``skip``), as ``smartcity run``."""
    from smartcity_analysis.pipeline import runner

    cfg = runner.RunConfig(raw=raw, out=staging.parent / "out", **config)
    ctx = runner.RunContext(cfg, staging)
    for step in runner.STEPS[: runner.STEPS.index(before)]:
        if step not in skip:
            runner.STEP_FUNCTIONS[step](ctx, lambda message: None)
    return runner, ctx


def work_workbook(p: dict) -> dict:
    import smartcity_analysis.presentation.workbook as workbook_module

    staging = Path(p["scratch"]) / "staging"
    staging.mkdir(parents=True, exist_ok=True)
    runner, ctx = _prepared_run(Path(p["folder"]) / "table", staging, "workbook", skip=("charts",),
                                decks=False, notebooks=False)
    write = workbook_module.write_workbook
    seen: dict = {"walls": [], "cpus": []}

    def timed_write(sheets, path, **kwargs):
        seen["given"] = {str(k): len(getattr(v, "frame", v)) for k, v in sheets.items()}
        seen["path"] = Path(path)
        c0, t0 = _cpu_now(), time.perf_counter()
        try:
            return write(sheets, path, **kwargs)
        finally:
            seen["walls"].append(time.perf_counter() - t0)
            seen["cpus"].append(_cpu_now() - c0)

    workbook_module.write_workbook = timed_write
    try:
        step = timed(lambda: runner.step_workbook(ctx, lambda message: None), p["runs"])
    finally:
        workbook_module.write_workbook = write
    values = {"times": seen["walls"], "cpu_times": seen["cpus"], "wall_s": statistics.median(seen["walls"]),
              "cpu_s": statistics.median(seen["cpus"]), "min_s": min(seen["walls"]), "step_s": step["wall_s"],
              "largest_table_rows": max(seen["given"].values(), default=0)}
    values.update(workbook_facts(seen["path"], ctx.config.lang))
    return {"values": values, "size": f"{len(seen['given'])} tables, largest {values['largest_table_rows']:,} "
            f"rows; {values['sheets']} sheets, {seen['path'].stat().st_size / MB:.1f} MB"}


def _chart_job(runner, ctx):
    """What ``step_charts`` gives every region's outputs, for charts without decks."""
    from smartcity_analysis.i18n import term
    from smartcity_analysis.model.selection import cycle_label
    from smartcity_analysis.presentation.charts.theme import source_line

    cfg = ctx.config
    source = term("chart:default_source", cfg.lang).format(cycle=cycle_label(ctx.cycle, cfg.lang))
    return runner.RegionJob(lang=cfg.lang, footnote=source_line(source, ctx.assessment.synthetic, cfg.lang),
                            charts=True, decks=False, samples=cfg.uncertainty_samples, date=runner._run_date(ctx))


def _chart_set(p: dict, raw: Path) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    staging = Path(p["scratch"]) / "staging"
    staging.mkdir(parents=True, exist_ok=True)
    runner, ctx = _prepared_run(raw, staging, "charts", decks=False, notebooks=False)
    regions = sorted(ctx.assessment.index_scores().dropna().index)
    region = SAMPLE_REGION if SAMPLE_REGION in regions else regions[0]
    job = _chart_job(runner, ctx)
    out = staging / "charts" / "bench"
    result = timed(lambda: runner.region_outputs(ctx.assessment, region, "bench", staging, job), p["runs"],
                   before=lambda: shutil.rmtree(out, ignore_errors=True))
    result["charts"] = len(list(out.glob("*.png")))
    return {"values": result, "size": f"{result['charts']} PNG charts of {region}, {len(regions)}-region cohort"}


def work_chart_set_national(p: dict) -> dict:
    return _chart_set(p, Path(p["folder"]) / "table")


def work_chart_set_sample(p: dict) -> dict:
    return _chart_set(p, SAMPLE_RAW)


def work_chart_sets_all(p: dict) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    staging = Path(p["scratch"]) / "staging"
    staging.mkdir(parents=True, exist_ok=True)
    runner, ctx = _prepared_run(Path(p["folder"]) / "table", staging, "charts", decks=False, notebooks=False)
    regions = sorted(ctx.assessment.index_scores().dropna().index)
    if p.get("chart_regions"):
        regions = regions[: p["chart_regions"]]
    if _PROFILE:  # the pool's workers are not profiled: profile their work, three regions drawn here
        job = _chart_job(runner, ctx)
        result = timed(lambda: [runner.region_outputs(ctx.assessment, r, f"r{i}", staging, job)
                                for i, r in enumerate(regions[:3])], 1)
        return {"values": result, "size": "3 regions drawn serially (the profile of the pool's work)"}
    # the charts step of `smartcity run --no-decks --no-notebooks --deck-region <each region>`
    ctx.config = dataclasses.replace(ctx.config, deck_regions=tuple(regions))
    result = timed(lambda: runner.step_charts(ctx, lambda message: None), 1)
    sets = [d for d in (staging / "charts").iterdir() if d.is_dir() and d.name != "cohort"]
    result.update(regions=len(sets), s_per_region=result["wall_s"] / max(len(sets), 1),
                  workers=min(len(regions), os.cpu_count() or 1, runner.MAX_WORKERS))
    return {"values": result, "size": f"{len(sets)} chart sets ({len(list((staging / 'charts').rglob('*.png'))):,} "
            f"PNG) on {result['workers']} processes, plus the cohort charts"}


def _assessment(folder: Path):
    from smartcity_analysis.assessment import open_assessment
    from smartcity_analysis.input.loading import load_answers

    return open_assessment(load_answers(folder / "table"))


def work_sobol(p: dict) -> dict:
    from smartcity_analysis.analysis.variance import choice_sensitivity

    a = _assessment(Path(p["folder"]))
    n = p["sobol_samples"]
    held: dict = {}
    result = timed(lambda: held.__setitem__("s", choice_sensitivity(a.scores, n_samples=n, seed=a.seed,
                                                                     cycle=a.cycle)), p["runs"])
    s = held["s"]
    result.update(inputs=len(s.indices), variants=len(s.design))
    return {"values": result, "size": f"{n:,} base samples x {len(s.indices)} inputs = {len(s.design):,} variants, "
            f"{len(a.index_scores().dropna())} regions"}


def work_weights(p: dict) -> dict:
    from smartcity_analysis.analysis.sensitivity import weight_uncertainty

    a = _assessment(Path(p["folder"]))
    n = p["weight_samples"]
    result = timed(lambda: weight_uncertainty(a.scores, n_samples=n, seed=a.seed, cycle=a.cycle), p["runs"])
    regions = len(a.index_scores().dropna())
    result.update(samples=n, ms_per_sample=1000 * result["wall_s"] / n, cpu_ms_per_sample=1000 * result["cpu_s"] / n,
                  regions=regions, weights=len(a.framework.table))
    return {"values": result, "size": f"{regions} regions x {len(a.framework.table)} weights x {n:,} samples"}


WORKERS: dict[str, Callable[[dict], dict]] = {
    "table_load": work_table_load, "table_read_csv": work_table_read_csv,
    "forms_load": work_forms_load, "forms_calamine": work_forms_calamine,
    "workbook": work_workbook, "chart_set_national": work_chart_set_national,
    "chart_set_sample": work_chart_set_sample, "chart_sets_all": work_chart_sets_all,
    "sobol": work_sobol, "weights": work_weights,
}


def _write_profile(profiler, path: Path, header: str) -> None:
    import io
    import pstats

    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(45)
    text.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(25)
    body = re.sub(r"^\s*\d+ function calls.*?\n", "", text.getvalue(), count=1, flags=re.S)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header.rstrip() + "\n\n" + body.replace(
        f"{ROOT}/.venv/lib/python{sys.version_info.major}.{sys.version_info.minor}/", "").replace(str(ROOT) + "/", ""), encoding="utf-8")


def _start_profile(path: Path, header: str):
    """cProfile for this process, written at the end or when the parent stops it (SIGTERM)."""
    import cProfile

    profiler = cProfile.Profile()
    _PROFILE.update(profiler=profiler, path=path, header=header)

    def stopped(signum, frame):
        profiler.disable()
        _write_profile(profiler, path, header + "\n(stopped by the timeout or the memory cap: a partial profile)")
        os._exit(124)

    signal.signal(signal.SIGTERM, stopped)
    return profiler


def worker_main(name: str, params: dict, result_file: Path, profile: Path | None) -> int:
    if profile:
        _start_profile(profile, params.get("profile_header", name))
    result = WORKERS[name](params)
    if profile:
        _write_profile(_PROFILE["profiler"], profile, params.get("profile_header", name))
    result_file.write_text(json.dumps(result, default=str))
    return 0


def profile_cli_main(profile: Path, header: str, argv: list[str]) -> int:
    """``smartcity`` under cProfile (the main process: pool workers and kernels are not in it)."""
    from smartcity_analysis.cli import main as smartcity_main

    profiler = _start_profile(profile, header)
    profiler.enable()
    try:
        return int(smartcity_main(argv) or 0)
    finally:
        profiler.disable()
        _write_profile(profiler, profile, header)


# --- the parent: processes, their memory, their time -------------------------------------------------------


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, start time) of a process, None when gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return int(fields[1]), int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def _descendants(root: int) -> dict[int, int]:
    """``{pid: start time}`` of every process below ``root``."""
    children: dict[int, list[int]] = {}
    starts = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat:
                children.setdefault(stat[0], []).append(int(entry))
                starts[int(entry)] = stat[1]
    out, todo = {}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out[child] = starts[child]
                todo.append(child)
    return out


def _cpu_seconds(pid: int, last: float) -> float:
    """User + system CPU seconds of a running process (``last`` once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return last


def _pss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB
    except OSError:
        return 0.0


@dataclass
class Measured:
    returncode: int | None = None
    wall_s: float = 0.0
    cpu_s: float = 0.0
    maxrss_mb: float = 0.0  # the largest single process (wait4)
    tree_mb: float = 0.0  # the sampled peak PSS of all the benchmark's processes together
    stopped: str = ""  # TIMEOUT or KILLED
    output: str = ""


def measure_process(command: list[str], *, timeout: float, memory_cap_mb: float, cwd: Path, env: dict,
                    log: Path) -> Measured:
    """Run ``command`` in its own process group; stop it at ``timeout`` or ``memory_cap_mb``."""
    m = Measured()
    with log.open("w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        seen: dict[int, int] = {}
        cpu_seen: dict[int, float] = {}  # the last CPU seconds of every process seen (for a stopped run)
        own_start = (_stat(process.pid) or (0, 0))[1]
        status = None
        rusage = None
        while status is None:
            pid, status_code, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                status, rusage = status_code, usage
                break
            below = _descendants(process.pid)
            seen.update(below)
            for p in [process.pid, *below]:
                cpu_seen[p] = _cpu_seconds(p, cpu_seen.get(p, 0.0))
            total = _pss_mb(process.pid) + sum(_pss_mb(p) for p in below)
            m.tree_mb = max(m.tree_mb, total)
            elapsed = time.perf_counter() - started
            if elapsed > timeout or total > memory_cap_mb:
                m.stopped = "TIMEOUT" if elapsed > timeout else "KILLED"
                _stop(process.pid, own_start, seen)
                pid, status, rusage = os.wait4(process.pid, 0)
                break
            time.sleep(0.2)
        m.wall_s = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        m.returncode = process.returncode
        m.cpu_s = rusage.ru_utime + rusage.ru_stime
        if m.stopped:  # killed pool workers were never waited for: their sampled CPU counts
            m.cpu_s = max(m.cpu_s, sum(cpu_seen.values()))
        m.maxrss_mb = rusage.ru_maxrss / 1024
        _stop_leftovers(seen)
    m.output = log.read_text(errors="replace")
    return m


def _stop(pid: int, start: int, seen: dict[int, int]) -> None:
    """SIGTERM first (a profiled process writes its profile), then SIGKILL: the group, then every
    process seen below it (notebook kernels run in sessions of their own)."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    for _ in range(50):
        stat = _stat(pid)
        if stat is None or stat[1] != start or _is_zombie(pid):
            break
        time.sleep(0.1)
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    _stop_leftovers(seen)


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def _stop_leftovers(seen: dict[int, int]) -> None:
    for pid, start in seen.items():
        stat = _stat(pid)
        if stat and stat[1] == start:  # the same process, not a reused pid
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


# --- data ---------------------------------------------------------------------------------------------------


def _generate(code: str, cache: Path) -> Path:
    """Run a generator call in a child process (its memory is not the suite's); the folder it prints."""
    script = ("import sys; sys.path.insert(0, {!r}); import make_national_cohort as g; "
              "from pathlib import Path; out = Path({!r}); print({})").format(str(ROOT / "scripts"), str(cache), code)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "generator failed")
    if done.stderr.strip():
        print("    " + done.stderr.strip().replace("\n", "\n    "), file=sys.stderr)
    return Path(done.stdout.strip().splitlines()[-1])


def data_folder(spec: str, sizes: Sizes, cache: Path) -> tuple[Path | None, str]:
    """The raw data of a benchmark: ``(folder, note)``; the folder holds ``table/`` (and
    ``forms/``), or is the sample's ``data/raw``. ``None`` and why when it cannot be made."""
    gen = _generator()
    if spec == "sample":
        return SAMPLE_RAW, ""
    if spec in ("national", "national_forms"):
        r, p, c = sizes.national
        return _generate(f"g.generate(g.CohortSize({r}, {p}, {c}), out, forms=True, quiet=False)", cache), ""
    if spec == "x10":
        r, p, c = sizes.x10
        return _generate(f"g.generate(g.CohortSize({r}, {p}, {c}), out, forms=False)", cache), ""
    if spec.startswith("scale"):
        r, p, c = int(spec[5:]), sizes.national[1], sizes.national[2]
        return _generate(f"g.generate(g.CohortSize({r}, {p}, {c}), out, forms=False)", cache), ""
    if spec == "desa":
        if not hasattr(gen, "generate_desa"):
            return None, "scripts/make_national_cohort.py has no generate_desa yet"
        table = _generate("g.generate_desa(out)", cache)  # the table folder itself
        if sizes.desa_units is None:
            return table.parent, ""
        return _desa_subset(table, sizes.desa_units, cache), ""
    raise ValueError(spec)


def _desa_subset(table: Path, units: int, cache: Path) -> Path:
    """The first ``units`` rows of the desa table (``--quick``), in a folder of their own."""
    folder = cache / f"quick_{table.parent.name}_u{units}"
    target = folder / "table"
    if not (folder / "parameters.json").exists():
        target.mkdir(parents=True, exist_ok=True)
        for source in table.iterdir():
            if source.suffix == ".csv":
                with source.open(encoding="utf-8") as inp, (target / source.name).open("w", encoding="utf-8") as out:
                    for number, line in enumerate(inp):
                        if number > units:
                            break
                        out.write(line)
            elif source.is_file():
                shutil.copy(source, target / source.name)
        params = json.loads((table.parent / "parameters.json").read_text())
        params.update(units=units, answers=None, subset_of=table.parent.name)
        (folder / "parameters.json").write_text(json.dumps(params, indent=2))
    return folder


def data_facts(folder: Path) -> dict:
    """Units and answers of a generated folder (from its parameters.json)."""
    try:
        params = json.loads((folder / "parameters.json").read_text())
    except OSError:
        return {}
    units = params.get("units") or params.get("regions")
    answers = params.get("answers")
    if answers is None and units:
        answers = units * params.get("indicators", 56)  # a quick subset: every answer, blanks included
    cycles = params.get("cycles")
    return {"units": units, "answers": answers, "respondents": params.get("respondents"),
            "cycles": len(cycles) if isinstance(cycles, list) else cycles,
            "level": params.get("level", "kab/kota")}


# --- running one benchmark ------------------------------------------------------------------------------------


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    env["MPLBACKEND"] = "Agg"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "scripts"), env.get("PYTHONPATH")]))
    return env


def command_for(bench: Bench, folder: Path, scratch: Path, params: dict, profile: Path | None) -> list[str]:
    if bench.run_options is not None:
        argv = ["run", "--raw", str(folder / "table"), "--out", str(scratch / "out"), *bench.run_options]
        if profile:
            return [sys.executable, str(Path(__file__).resolve()), "--profile-cli", str(profile),
                    "--profile-header", params["profile_header"], "--", *argv]
        return [sys.executable, "-m", "smartcity_analysis", *argv]
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", bench.name, "--params",
               json.dumps(params), "--result", str(scratch / "result.json")]
    return command + (["--profile", str(profile)] if profile else [])


def shown_command(bench: Bench, folder: Path | None, quick: bool = False) -> str:
    where = "<data>" if folder is None else _home(folder)
    if bench.run_options is not None:
        return f"smartcity run --raw {where}/table --out <tmp> " + " ".join(bench.run_options)
    return "python benchmarks/run_benchmarks.py " + ("--quick " if quick else "") + f"--only {bench.name}"


def _home(path: Path) -> str:
    text = str(path)
    home = str(Path.home())
    return "~" + text[len(home):] if text.startswith(home) else text


def run_bench(bench: Bench, sizes: Sizes, cache: Path, args, profile: Path | None = None) -> dict:
    """Measure one benchmark in a fresh process; the stored result (``values``, ``status``...)."""
    stamp = {"name": bench.name, "title": bench.title, "measured": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
             "git": _git_describe(), "load_before": round(os.getloadavg()[0], 1), "timeout": bench.timeout}
    try:
        folder, why = data_folder(bench.data, sizes, cache)
    except Exception as exc:  # noqa: BLE001 - the row says what went wrong
        folder, why = None, f"data: {exc}"
    stamp["command"] = shown_command(bench, folder, sizes.quick)
    if folder is None:
        return {**stamp, "status": "NO DATA", "note": why, "values": {}}
    stamp["data"] = data_facts(folder)
    scratch = Path(tempfile.mkdtemp(prefix=f"{bench.name}-", dir=cache))
    params = {"folder": str(folder), "scratch": str(scratch), "runs": bench.runs,
              "weight_samples": sizes.weight_samples, "sobol_samples": sizes.sobol_samples,
              "chart_regions": sizes.chart_regions,
              "profile_header": f"cProfile of benchmark `{bench.name}` ({bench.title}), "
                                f"{stamp['measured']}, git {stamp['git']}.\nCommand: {stamp['command']}"}
    timeout = bench.timeout * args.timeout_scale
    try:
        m = measure_process(command_for(bench, folder, scratch, params, profile), timeout=timeout,
                            memory_cap_mb=args.memory_cap_mb, cwd=scratch, env=_env(), log=scratch / "log.txt")
        result = {**stamp, "timeout": timeout, "values": {"peak_mb": max(m.maxrss_mb, m.tree_mb),
                                                          "maxrss_mb": m.maxrss_mb, "tree_mb": m.tree_mb,
                                                          "process_wall_s": m.wall_s, "process_cpu_s": m.cpu_s}}
        result["load_after"] = round(os.getloadavg()[0], 1)
        if m.stopped:
            result["status"] = m.stopped
            result["note"] = (f"stopped after {timeout:.0f} s" if m.stopped == "TIMEOUT"
                              else f"killed at the {args.memory_cap_mb:,.0f} MB memory cap")
            result["values"].update(wall_s=m.wall_s, cpu_s=m.cpu_s)  # what it took before it was stopped
            if bench.progress:
                done = len({f.parent for f in scratch.glob(bench.progress[0]) if f.parent.name != "cohort"})
                result["values"]["done_when_stopped"] = done
                result["note"] += f", {done:,} {bench.progress[1]} done by then"
            return result
        if m.returncode != 0:
            lines = [line for line in m.output.strip().splitlines() if line.strip()]
            result.update(status="ERROR", note=(lines[-1] if lines else f"exit {m.returncode}")[:300],
                          log_tail=m.output[-4000:])
            result["values"].update(wall_s=m.wall_s, cpu_s=m.cpu_s)  # until it failed
            return result
        if bench.run_options is not None:
            result["values"].update(wall_s=m.wall_s, cpu_s=m.cpu_s, times=[m.wall_s], cpu_times=[m.cpu_s])
            outputs = _run_outputs(scratch / "out", bench)
            result["values"].update(outputs.pop("values_extra", {}))
            result.update(outputs)
        else:
            worker = json.loads((scratch / "result.json").read_text())
            result["values"].update(worker["values"])
            result["size"] = worker.get("size", "")
        result["status"] = "done"
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _run_outputs(out: Path, bench: Bench) -> dict:
    manifests = sorted(out.glob("*/manifest.json"))
    if not manifests:
        return {"note": "no manifest written"}
    manifest = json.loads(manifests[0].read_text())
    extra = {"steps": manifest.get("steps_seconds", {}), "outputs": len(manifest.get("outputs", []))}
    if bench.workbook_check:
        books = sorted(manifests[0].parent.glob("*.xlsx"))
        if books:
            extra["values_extra"] = workbook_facts(books[0], manifest.get("config", {}).get("lang", "id"))
    return extra


# --- results.md -------------------------------------------------------------------------------------------------


def parse_causes(notes: str) -> dict[str, str]:
    """The ``## Causes`` list of notes.md: lines ``- `key`: cause`` (continued on indented lines)."""
    causes: dict[str, str] = {}
    inside, key = False, None
    for line in notes.splitlines():
        if line.startswith("## "):
            inside, key = line.strip() == "## Causes", None
            continue
        if not inside:
            continue
        found = re.match(r"^- `([^`]+)`:\s*(.*)$", line)
        if found:
            key = found.group(1)
            causes[key] = found.group(2).strip()
        elif key and line.startswith("  ") and line.strip():
            causes[key] += " " + line.strip()
        elif not line.strip():
            key = None
    return causes


def notes_without_causes(notes: str) -> str:
    """notes.md less its ``## Causes`` section (shown row by row instead)."""
    return re.sub(r"^## Causes\n.*?(?=^## |\Z)", "", notes, flags=re.S | re.M).strip()


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_results(store: dict, sizes: Sizes, notes: str, profiles_dir: Path, results_path: Path) -> str:
    known = {b.name for b in benches(sizes)}
    results = {name: r for name, r in store["benches"].items() if name in known}  # not a renamed one's
    causes = parse_causes(notes)
    rows = targets(sizes)
    lines = ["# Benchmarks: issue 16's targets", ""]
    inv = store.get("invocations", [])
    if inv:
        last = inv[-1]
        lines.append(f"Written by `{last['command']}` ({last['finished']}, {last['seconds']:.0f} s, git "
                     f"{last['git']}, load average {last['load_start']} at the start, {last['load_end']} at the end)."
                     + (f" Rows of {len(inv)} invocations merged (`--only`); each benchmark's *measured* "
                        "column says when." if len(inv) > 1 else ""))
    if sizes.quick:
        lines += ["", "**QUICK SIZES** (`--quick`): a check of the machinery on small data, not the issue's "
                  "targets."]
    lines += ["", "Each benchmark ran in a fresh process; *wall* and *CPU* are medians of its timed runs (CPU = "
              "user + system, pool workers included: the machine is shared, CPU time is the steadier); *peak* is "
              "the larger of the biggest process's maximum RSS and the sampled PSS of all its processes together. "
              "Time targets are judged on wall time; where CPU time would judge otherwise the status says so "
              "(`MISS (CPU: PASS)`: the wall time was the shared machine's load). A miss links the benchmark's cProfile (top cumulative functions) and its cause from "
              "`benchmarks/notes.md`.", "",
              "## Targets", "",
              "| target | measured | anchor (same run) | target | status | profile, cause |",
              "|---|---|---|---|---|---|"]
    for t in rows:
        status = judge_on_cpu(t, results, judge(t, results))
        anchor = t.anchor(results) if t.anchor and t.bench in results else "-"
        extra = []
        if is_miss(status) or status in ("ERROR", "NO DATA", "NO VALUE") or status.startswith("NO ANCHOR"):
            profile = profiles_dir / f"{t.bench}.txt"
            if profile.exists():
                extra.append(f"[profile]({os.path.relpath(profile, results_path.parent)})")
            note = (results.get(t.bench) or {}).get("note")
            if note:
                extra.append(_cell(note))
            cause = causes.get(t.key) or causes.get(t.bench)
            if is_miss(status) or (cause and status == "ERROR"):
                extra.append("cause: " + (_cell(cause) if cause else f"not written yet (add `{t.key}` to "
                                          "notes.md's Causes)"))
        lines.append(f"| {_cell(t.title)} | {_cell(t.shown(results)) if t.bench in results else '-'} | "
                     f"{_cell(anchor)} | {_cell(t.limit_label)} | {status} | {'; '.join(extra) or '-'} |")
    lines += _scaling_table(results, sizes)
    lines += _steps_table(results)
    lines += ["", "## Every benchmark", "",
              "| benchmark | what | data | runs | wall s | min s | CPU s | peak MB | largest process MB | "
              "load before | measured | status |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for b in benches(sizes):
        r = results.get(b.name)
        if r is None:
            continue
        v = r.get("values", {})
        status = r.get("status", "")
        status = "ok" if status == "done" else status + (f": {_cell(r['note'])}" if r.get("note") else "")
        lines.append(f"| `{b.name}` | {_cell(b.title)} | {_cell(r.get('size') or _data_text(r))} | "
                     f"{len(v.get('times', [])) or '-'} | {_s(v.get('wall_s'))} | {_s(v.get('min_s'))} | "
                     f"{_s(v.get('cpu_s'))} | {_mb(v.get('peak_mb')).removesuffix(' MB')} | "
                     f"{_mb(v.get('maxrss_mb')).removesuffix(' MB')} | {r.get('load_before', '-')} | "
                     f"{r.get('measured', '-')} | {status} |")
    lines += ["", "Commands: a `smartcity run` benchmark is the command shown; the others are "
              "`python benchmarks/run_benchmarks.py --only <name>`.", ""]
    for b in benches(sizes):
        r = results.get(b.name)
        if r and b.run_options is not None:
            lines.append(f"- `{b.name}`: `{r.get('command', '')}`")
    env = store.get("environment")
    if env:
        lines += ["", "## Machine", ""] + [f"- {k}: {v}" for k, v in env.items()]
    rest = notes_without_causes(notes)
    if rest:
        lines += ["", rest]
    return "\n".join(lines) + "\n"


def _data_text(r: dict) -> str:
    d = r.get("data") or {}
    if not d.get("units"):
        return ""
    text = f"{d['units']:,} {d.get('level', 'units')}"
    if d.get("respondents"):
        text += f" x {d['respondents']} x {d.get('cycles')}"
    if d.get("answers"):
        text += f", {d['answers']:,} answers"
    return text


def scaling_rows(results: dict, sizes: Sizes) -> list[tuple[str, dict]]:
    names = [f"scale{n}" for n in sizes.scaling] + ["national_core", "x10_run", "desa_run"]
    return [(n, results[n]) for n in names if n in results]


def _scaling_table(results: dict, sizes: Sizes) -> list[str]:
    rows = scaling_rows(results, sizes)
    if not rows:
        return []
    lines = ["", "## Scaling: `smartcity run --no-decks --no-notebooks`", "",
             "The same run at every size; *per unit* divides by the kab/kota or desa, *per answer* by the "
             "answers (units x respondents x cycles x 56 indicators, blanks left out), so growth shows as "
             "rising per-answer costs. *vs national* compares the seconds per answer with the national row's.",
             "", "| data | units | answers | wall s | CPU s | peak MB | ms per unit | us per answer | "
             "KB per answer | vs national | status |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    base = results.get("national_core", {})
    base_per = None
    if base.get("status") == "done" and (base.get("data") or {}).get("answers"):
        base_per = base["values"]["wall_s"] / base["data"]["answers"]
    for name, r in rows:
        d, v = r.get("data") or {}, r.get("values", {})
        units, answers = d.get("units"), d.get("answers")
        done = r.get("status") == "done"
        wall = v.get("wall_s") if done else None
        per_unit = _s(1000 * wall / units) if wall and units else "-"
        per_answer = _s(1e6 * wall / answers) if wall and answers else "-"
        kb = _s(1024 * v["peak_mb"] / answers) if v.get("peak_mb") and answers and done else "-"
        vs = f"{wall / answers / base_per:.2f}" if wall and answers and base_per else "-"
        status = "ok" if done else f"{r.get('status')}: {r.get('note', '')}"
        label = "desa" if d.get("level") == "desa" else f"{units:,} kab/kota x {d.get('respondents')} x {d.get('cycles')}" \
            if units else name
        lines.append(f"| {label} | {units or 0:,} | {answers or 0:,} | {_s(v.get('wall_s'))} | {_s(v.get('cpu_s'))} | "
                     f"{_mb(v.get('peak_mb')).removesuffix(' MB')} | {per_unit} | {per_answer} | {kb} | {vs} | "
                     f"{_cell(status)} |")
    return lines


def _steps_table(results: dict) -> list[str]:
    runs = [(n, r) for n, r in results.items() if r.get("steps")]
    if not runs:
        return []
    steps: list[str] = []
    for _, r in runs:
        steps += [s for s in r["steps"] if s not in steps]
    lines = ["", "## Whole runs: seconds per step (the run's manifest, `steps_seconds`)", "",
             "Steps the runner runs side by side (the notebooks beside the charts and the workbook) can add "
             "up to more than the total, the process's wall time.", "",
             "| run | " + " | ".join(steps) + " | total |", "|---|" + "---|" * (len(steps) + 1)]
    for name, r in runs:
        cells = [_s(r["steps"].get(s)) for s in steps]
        lines.append(f"| `{name}` | " + " | ".join(cells) + f" | {_s(r['values'].get('wall_s'))} |")
    return lines


def readme_table(store: dict, sizes: Sizes) -> str:
    """The README's performance table: one row per target, from the stored results."""
    results = store["benches"]
    lines = ["| target | measured | anchor | target | status |", "|---|---|---|---|---|"]
    for t in targets(sizes):
        if t.bench not in results:
            continue
        anchor = t.anchor(results) if t.anchor else "-"
        lines.append(f"| {_cell(t.title)} | {_cell(t.shown(results))} | {_cell(anchor)} | {_cell(t.limit_label)} | "
                     f"{judge_on_cpu(t, results, judge(t, results))} |")
    inv = store.get("invocations", [])
    if inv:
        lines += ["", f"Measured by `{inv[-1]['command']}` on {inv[-1]['finished']} (git {inv[-1]['git']}); "
                  "details in [`benchmarks/results.md`](benchmarks/results.md)."]
    return "\n".join(lines) + "\n"


# --- machine ---------------------------------------------------------------------------------------------------


def describe_environment() -> dict:
    import importlib.metadata as md

    out = {"cpu": _cpu_name(), "cores": os.cpu_count(),
           "memory": f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB",
           "python": platform.python_version()}
    versions = []
    for package in ("numpy", "pandas", "python-calamine", "xlsxwriter", "openpyxl", "matplotlib", "papermill"):
        try:
            versions.append(f"{package} {md.version(package)}")
        except md.PackageNotFoundError:
            pass
    out["packages"] = ", ".join(versions)
    return out


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "-"


def _git_describe() -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        return sha + (" + uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "-"


# --- main --------------------------------------------------------------------------------------------------------


def _paths(args) -> tuple[Path, Path, Path]:
    """(results file, profiles folder, stored results) of this mode."""
    mode = "quick" if args.quick else "full"
    quick_dir = args.cache / "quick"
    results = args.results or (quick_dir / "results.md" if args.quick else HERE / "results.md")
    profiles = args.profiles or (quick_dir / "profiles" if args.quick else HERE / "profiles")
    return results, profiles, args.cache / f"results-{mode}.json"


def _load_store(path: Path) -> dict:
    if path.exists():
        return json.loads(path.read_text())
    return {"benches": {}, "invocations": []}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated benchmark names (see --list); merged into "
                        "the stored results")
    parser.add_argument("--skip", default="", help="comma-separated benchmark names to leave out")
    parser.add_argument("--list", action="store_true", help="the benchmark names")
    parser.add_argument("--quick", action="store_true", help="small sizes, for development (results in --cache)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="generated data and stored results "
                        "(default %(default)s)")
    parser.add_argument("--results", type=Path, help="results file (default benchmarks/results.md; --quick: in the cache)")
    parser.add_argument("--profiles", type=Path, help="profiles folder (default benchmarks/profiles)")
    parser.add_argument("--notes", type=Path, default=HERE / "notes.md", help="causes and notes (default %(default)s)")
    parser.add_argument("--no-profile", action="store_true", help="do not profile the misses again")
    parser.add_argument("--timeout-scale", type=float, default=1.0, help="multiply every timeout")
    parser.add_argument("--memory-cap-mb", type=float, default=6000.0,
                        help="kill a benchmark whose processes hold more (default %(default)s)")
    parser.add_argument("--render", action="store_true", help="only write results.md again from the stored results")
    parser.add_argument("--readme-table", action="store_true", help="print the README's table from the stored results")
    # internal: worker processes
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-cli", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-header", default="", help=argparse.SUPPRESS)
    parser.add_argument("smartcity_argv", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker_main(args.worker, json.loads(args.params), args.result, args.profile)
    if args.profile_cli:
        return profile_cli_main(args.profile_cli, args.profile_header, args.smartcity_argv)

    sizes = QUICK if args.quick else FULL
    all_benches = benches(sizes)
    if args.list:
        for b in all_benches:
            print(f"{b.name:20s} {b.title}")
        return 0
    results_path, profiles_dir, store_path = _paths(args)
    notes = args.notes.read_text(encoding="utf-8") if args.notes.exists() else ""
    if args.render or args.readme_table:
        store = _load_store(store_path)
        if args.readme_table:
            print(readme_table(store, sizes), end="")
        else:
            results_path.write_text(render_results(store, sizes, notes, profiles_dir, results_path), encoding="utf-8")
            print(results_path)
        return 0

    only = {x.strip() for x in args.only.split(",") if x.strip()}
    skip = {x.strip() for x in args.skip.split(",") if x.strip()}
    unknown = (only | skip) - {b.name for b in all_benches}
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))} (see --list)")
    selected = [b for b in all_benches if (b.name in only if only else True) and b.name not in skip]
    args.cache.mkdir(parents=True, exist_ok=True)
    store = _load_store(store_path) if only else {"benches": {}, "invocations": []}
    command = ("make bench" if argv is None and len(sys.argv) == 1 else
               "python benchmarks/run_benchmarks.py " + " ".join(sys.argv[1:] if argv is None else argv))
    started, load_start, git = time.perf_counter(), os.getloadavg(), _git_describe()

    def save() -> None:
        store_path.write_text(json.dumps(store, indent=1, default=str))
        results_path.parent.mkdir(parents=True, exist_ok=True)
        results_path.write_text(render_results(store, sizes, notes, profiles_dir, results_path), encoding="utf-8")

    for bench in selected:
        print(f"... {bench.name}: {bench.title}", file=sys.stderr, flush=True)
        result = run_bench(bench, sizes, args.cache, args)
        store["benches"][bench.name] = result
        v = result.get("values", {})
        print(f"    {result['status']} {result.get('note', '')} wall {_s(v.get('wall_s'))} s, CPU "
              f"{_s(v.get('cpu_s'))} s, peak {_mb(v.get('peak_mb'))}", file=sys.stderr, flush=True)
        if result.get("log_tail"):
            print(result["log_tail"][-2000:], file=sys.stderr)
        save()
    # profiles of the misses: each benchmark missing a target is run again under cProfile
    misses = sorted({t.bench for t in targets(sizes)
                     if t.bench in {b.name for b in selected} and is_miss(judge(t, store["benches"]))})
    for bench in selected:
        profile = profiles_dir / f"{bench.name}.txt"
        if bench.name in misses and not args.no_profile:
            print(f"... profile of {bench.name}", file=sys.stderr, flush=True)
            again = run_bench(bench, sizes, args.cache, args, profile=profile)
            if not profile.exists():
                print(f"    no profile written ({again['status']} {again.get('note', '')})", file=sys.stderr)
            elif again["status"] == "ERROR":  # a profile of a failed run says so at its top
                profile.write_text(f"THE PROFILED RUN FAILED: {again.get('note', '')}\n\n" + profile.read_text())
        elif bench.name not in misses:
            profile.unlink(missing_ok=True)  # a profile of an earlier miss, now met
    store["environment"] = describe_environment()
    store["invocations"].append({
        "command": command, "git": git, "seconds": time.perf_counter() - started,
        "finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_start": ", ".join(f"{x:.1f}" for x in load_start),
        "load_end": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
        "benches": [b.name for b in selected]})
    save()
    text = results_path.read_text()
    print(text[text.find("## Targets"): text.find("\n## ", text.find("## Targets") + 3)].rstrip())
    print(f"\n{results_path} (profiles of the misses in {profiles_dir})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
