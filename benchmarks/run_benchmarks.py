"""Benchmarks at national scale (issue 7): ``make bench`` runs this and writes ``results.md``.

Every benchmark runs in a fresh Python process, so that its peak memory (the process's maximum
resident set size, ``resource.getrusage``, children included) is its own and no cache of an
earlier benchmark helps it. The process prepares its inputs, then times the operation ``runs``
times; the table reports the median and the minimum. The data come from
``scripts/make_national_cohort.py`` and are cached in ``benchmarks/.cache/national`` (one folder
per size), so only the first ``make bench`` generates them.

Usage::

    python benchmarks/run_benchmarks.py                  # everything, writes benchmarks/results.md
    python benchmarks/run_benchmarks.py --only score,uncertainty
    python benchmarks/run_benchmarks.py --list           # the benchmark names

Sizes can be changed (``--regions``, ``--respondents``, ``--cycles``, ``--scaling``) for a quick
check of the machinery (``tests/test_benchmarks_smoke.py``); the targets are those of the issue
and are only judged at the national size.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

import make_national_cohort as cohort_gen  # noqa: E402

NATIONAL_REGIONS = 514
DECK_REGIONS = 5
UNCERTAINTY_SAMPLES = 10_000
CHART_DPI = 200
SAMPLE_RAW = ROOT / "data" / "raw"
SAMPLE_REGION = "Kabupaten Pekalongan"


# --- what is measured ------------------------------------------------------------------------------


@dataclass
class Benchmark:
    name: str
    title: str
    runs: int
    target: str = ""
    limit: float | None = None  # seconds; the target when it is a time
    timeout: float = 600.0
    data: str = "national"  # which cohort: national, small (the smallest scaling size), scaling:<n>, sample
    memory_limit_mb: float | None = None
    optional: bool = False  # run only when named in --only


@dataclass
class Outcome:
    name: str
    title: str
    size: str
    times: list[float] = field(default_factory=list)
    peak_mb: float | None = None
    target: str = ""
    status: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def best(self) -> float | None:
        return min(self.times) if self.times else None


def benchmarks(args) -> list[Benchmark]:
    national = args.regions == NATIONAL_REGIONS
    r = args.runs_scale
    out = [
        Benchmark("forms_load", "load workbooks with validation (load_answers on the folder)", 3 * r,
                  "within 3x of calamine's raw parse"),
        Benchmark("forms_raw_parse", "calamine raw parse of the same workbooks", 3 * r),
        Benchmark("one_openpyxl", "one form: pandas read_excel, openpyxl engine", 20 * r),
        Benchmark("one_calamine_pandas", "one form: pandas read_excel, calamine engine", 20 * r),
        Benchmark("one_calamine_raw", "one form: calamine raw parse", 20 * r),
        Benchmark("one_load_answers", "one form: load_answers (validation included)", 20 * r),
        Benchmark("table_load", "load the consolidated table (wide CSV, validated)", 2 * r),
        Benchmark("table_load_tidy_small", "small cohort: the consolidated table as a tidy CSV", 1 * r,
                  data="small"),
        Benchmark("table_load_wide_small", "small cohort: the consolidated table as a wide CSV", 3 * r,
                  data="small"),
        Benchmark("score", "score all cycles", 5 * r, "< 2 s", 2.0),
        Benchmark("uncertainty", f"uncertainty, {UNCERTAINTY_SAMPLES:,} weight samples, latest cycle",
                  3 * r, "< 5 s", 5.0),
        Benchmark("gaps", "gap analysis, every region, latest cycle", 3 * r),
        Benchmark("charts_region", f"chart set for one region: chart_set + export_charts PNG {CHART_DPI} dpi",
                  1 * r, "< 2 s", 2.0, timeout=args.chart_timeout),
        Benchmark("charts_region_sample", "the same on the 10-region sample data (data/raw)", 3 * r,
                  "< 2 s", 2.0, data="sample"),
        Benchmark("run_core", "smartcity run without charts, decks and notebooks (the analysis and its tables)",
                  1 * r, timeout=args.core_timeout),
        Benchmark("run_no_decks", "smartcity run --no-decks (charts and notebooks included)", 1 * r,
                  "< 60 s, < 2 GB", 60.0, timeout=args.run_timeout, memory_limit_mb=2048),
        Benchmark("run_decks", f"smartcity run with decks for {DECK_REGIONS} regions", 1 * r, "< 2 GB",
                  timeout=args.run_timeout, memory_limit_mb=2048),
    ]
    for n in args.scaling:
        out.append(Benchmark(f"scale_{n}", "load + score + gaps (consolidated table)", 1 * r,
                             data=f"scaling:{n}", timeout=args.scaling_timeout))
    if not national:  # targets are for the national cohort only
        for b in out:
            if b.data != "sample":
                b.limit = b.memory_limit_mb = None
    return out


# --- workers: each runs in its own process -------------------------------------------------------


#: CPU seconds of each timed run (this process and the children it waited for), next to the
#: wall-clock times ``_timed`` returns: on a busy machine, CPU time shows what the code costs.
CPU_TIMES: list[float] = []


def _cpu_now() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _timed(fn: Callable[[], object], runs: int, before: Callable[[], None] | None = None) -> list[float]:
    times = []
    for _ in range(runs):
        if before:
            before()
        c0, t0 = _cpu_now(), time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        CPU_TIMES.append(_cpu_now() - c0)
    return times


def _forms(folder: Path) -> list[Path]:
    return sorted((folder / "forms" / "templates").rglob("*.xlsx"))


def _answers(shared: Path, folder: Path):
    """The loaded consolidated table: from the pickle the ``table_load`` worker left, else loaded."""
    import pandas as pd

    from smartcity_analysis.input.framework import default_framework
    from smartcity_analysis.input.loading import Answers, load_answers

    cached = shared / f"answers-{folder.name}.pkl"
    if cached.exists():
        return Answers(pd.read_pickle(cached), default_framework())
    answers = load_answers(folder / "table")
    answers.table.to_pickle(cached)
    return answers


def work_forms_load(folder: Path, runs: int, shared: Path) -> dict:
    from smartcity_analysis.input.loading import load_answers

    source = folder / "forms" / "templates"
    result: dict = {}
    times = _timed(lambda: result.__setitem__("answers", load_answers(source)), runs)
    return {"times": times, "size": f"{len(_forms(folder))} workbooks",
            "extra": check_forms_exact(folder, result["answers"])}


def check_forms_exact(folder: Path, answers) -> dict:
    """Are the values loaded from the forms the generated ones (the consolidated table's rows for
    the latest cycle and the forms' respondent)? Region, province and respondent too."""
    import numpy as np
    import pandas as pd

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
    same = (len(a) == len(b) and (a[key + ["province", "respondent"]].to_numpy() == b[key + ["province", "respondent"]].to_numpy()).all()
            and np.array_equal(a["value"].to_numpy(dtype=float), b["value"].to_numpy(dtype=float)))
    cycles = sorted(int(c) for c in answers.table["cycle"].dropna().unique())
    evidence = int(answers.table["evidence"].notna().sum())
    return {"exact": bool(same and cycles == [params["cycles"][-1]] and evidence > 0),
            "values_compared": int(len(a)), "evidence_cells": evidence}


def work_forms_raw_parse(folder: Path, runs: int, shared: Path) -> dict:
    from python_calamine import CalamineWorkbook

    files = [str(p) for p in _forms(folder)]

    def parse() -> None:
        for f in files:
            wb = CalamineWorkbook.from_path(f)
            for sheet in wb.sheet_names:
                wb.get_sheet_by_name(sheet).to_python()
            wb.close()

    return {"times": _timed(parse, runs), "size": f"{len(files)} workbooks"}


def _one_form(folder: Path) -> Path:
    return _forms(folder)[0]


def work_one_openpyxl(folder: Path, runs: int, shared: Path) -> dict:
    import pandas as pd

    path = _one_form(folder)
    frames = {}
    times = _timed(lambda: frames.update(pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")), runs)
    calamine = pd.read_excel(path, sheet_name=None, header=None, engine="calamine")
    same = frames.keys() == calamine.keys() and all(
        _same_cells(frames[s], calamine[s]) for s in frames)
    return {"times": times, "size": "1 workbook (8 sheets)", "extra": {"calamine_equals_openpyxl": bool(same)}}


def _same_cells(a, b) -> bool:
    """The same cells: equal shape and values (numbers compared as numbers)."""
    import pandas as pd

    if a.shape != b.shape:
        return False
    left = a.astype(object).where(a.notna(), None).to_numpy()
    right = b.astype(object).where(b.notna(), None).to_numpy()
    for x, y in zip(left.ravel(), right.ravel(), strict=True):
        if x == y:
            continue
        try:
            if float(x) == float(y):
                continue
        except (TypeError, ValueError):
            pass
        if pd.isna(x) and pd.isna(y):
            continue
        return False
    return True


def work_one_calamine_pandas(folder: Path, runs: int, shared: Path) -> dict:
    import pandas as pd

    path = _one_form(folder)
    return {"times": _timed(lambda: pd.read_excel(path, sheet_name=None, header=None, engine="calamine"), runs),
            "size": "1 workbook (8 sheets)"}


def work_one_calamine_raw(folder: Path, runs: int, shared: Path) -> dict:
    from python_calamine import CalamineWorkbook

    path = str(_one_form(folder))

    def parse() -> None:
        wb = CalamineWorkbook.from_path(path)
        for sheet in wb.sheet_names:
            wb.get_sheet_by_name(sheet).to_python()
        wb.close()

    return {"times": _timed(parse, runs), "size": "1 workbook (8 sheets)"}


def work_one_load_answers(folder: Path, runs: int, shared: Path) -> dict:
    from smartcity_analysis.input.loading import load_answers

    path = _one_form(folder)
    load_answers(path)  # the instrument and alias tables are cached after the first call
    return {"times": _timed(lambda: load_answers(path), runs), "size": "1 workbook (8 sheets)"}


def work_table_load(folder: Path, runs: int, shared: Path) -> dict:
    from smartcity_analysis.input.loading import load_answers

    result: dict = {}
    times = _timed(lambda: result.__setitem__("answers", load_answers(folder / "table")), runs)
    answers = result["answers"]
    answers.table.to_pickle(shared / f"answers-{folder.name}.pkl")
    size_mb = (folder / "table" / cohort_gen.TABLE_NAME).stat().st_size / 1e6
    return {"times": times, "size": f"{len(answers.table):,} answers, {size_mb:.0f} MB",
            "extra": {"rows": len(answers.table)}}


def work_table_load_tidy_small(folder: Path, runs: int, shared: Path) -> dict:
    from smartcity_analysis.input.loading import load_answers

    path = folder / "table_tidy"
    result: dict = {}
    times = _timed(lambda: result.__setitem__("answers", load_answers(path)), runs)
    size_mb = (path / cohort_gen.TIDY_NAME).stat().st_size / 1e6
    return {"times": times, "size": f"{len(result['answers'].table):,} answers, {size_mb:.0f} MB"}


def work_table_load_wide_small(folder: Path, runs: int, shared: Path) -> dict:
    from smartcity_analysis.input.loading import load_answers

    result: dict = {}
    times = _timed(lambda: result.__setitem__("answers", load_answers(folder / "table")), runs)
    size_mb = (folder / "table" / cohort_gen.TABLE_NAME).stat().st_size / 1e6
    return {"times": times, "size": f"{len(result['answers'].table):,} answers, {size_mb:.1f} MB"}


def work_score(folder: Path, runs: int, shared: Path) -> dict:
    from smartcity_analysis.model.scoring import score

    answers = _answers(shared, folder)
    n = int(answers.table["value"].notna().sum())
    cycles = answers.table["cycle"].nunique()
    return {"times": _timed(lambda: score(answers), runs), "size": f"{n:,} answers, {cycles} cycles"}


def work_uncertainty(folder: Path, runs: int, shared: Path) -> dict:
    from smartcity_analysis.analysis.sensitivity import weight_uncertainty
    from smartcity_analysis.model.scoring import score

    scores = score(_answers(shared, folder))
    n_regions = scores.index(scores.latest_cycle).notna().sum()
    times = _timed(lambda: weight_uncertainty(scores, n_samples=UNCERTAINTY_SAMPLES, seed=1), runs)
    return {"times": times, "size": f"{n_regions} regions x {UNCERTAINTY_SAMPLES:,} samples"}


def work_gaps(folder: Path, runs: int, shared: Path) -> dict:
    from smartcity_analysis.analysis.gaps import gap_analysis
    from smartcity_analysis.model.scoring import score

    scores = score(_answers(shared, folder))
    n_regions = scores.index(scores.latest_cycle).notna().sum()
    return {"times": _timed(lambda: gap_analysis(scores), runs), "size": f"{n_regions} regions"}


def _chart_set_timing(answers, region: str, runs: int, out: Path) -> tuple[list[float], int]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from smartcity_analysis.analysis.gaps import gap_analysis
    from smartcity_analysis.analysis.sensitivity import weight_uncertainty
    from smartcity_analysis.model.scoring import score
    from smartcity_analysis.presentation.charts.export import chart_set, export_charts

    scores = score(answers)
    gaps = gap_analysis(scores)
    uncertainty = weight_uncertainty(scores, n_samples=1000, seed=1)
    written: list = []

    def draw_and_save() -> None:
        figures = chart_set(scores, gaps, uncertainty, region=region)
        written[:] = export_charts(figures, out, formats=("png",), dpi=CHART_DPI)
        plt.close("all")

    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # layout warnings of crowded cohort charts
        return _timed(draw_and_save, runs, before=lambda: shutil.rmtree(out, ignore_errors=True)), len(written)


def work_charts_region(folder: Path, runs: int, shared: Path) -> dict:
    answers = _answers(shared, folder)
    region = sorted(str(r) for r in answers.table["region"].unique())[0]
    times, n = _chart_set_timing(answers, region, runs, shared / "charts_region")
    return {"times": times, "size": f"{n} charts, {answers.table['region'].nunique()}-region cohort"}


def work_charts_region_sample(folder: Path, runs: int, shared: Path) -> dict:
    from smartcity_analysis.input.loading import load_answers

    answers = load_answers(SAMPLE_RAW / "templates")
    times, n = _chart_set_timing(answers, SAMPLE_REGION, runs, shared / "charts_sample")
    return {"times": times, "size": f"{n} charts, {answers.table['region'].nunique()}-region cohort"}


def _run(folder: Path, runs: int, shared: Path, **options) -> dict:
    from smartcity_analysis.pipeline.runner import RunConfig, run

    raw = folder / "table"
    out = shared / "run"
    timings: dict = {}

    def once() -> None:
        shutil.rmtree(out, ignore_errors=True)
        final = run(RunConfig(raw=raw, out=out, **options), progress=lambda message: None)
        manifest = json.loads((final / "manifest.json").read_text())
        timings.update(manifest.get("steps_seconds", {}))
        timings["_outputs"] = len(manifest.get("outputs", []))

    times = _timed(once, runs)
    outputs = timings.pop("_outputs", 0)
    regions = json.loads((folder / "parameters.json").read_text())["regions"]
    return {"times": times, "size": f"{regions} regions, all cycles", "extra": {"steps": timings, "outputs": outputs}}


def _region_names(folder: Path) -> list[str]:
    import pandas as pd

    return pd.read_csv(folder / "table" / cohort_gen.TABLE_NAME, usecols=["region"])["region"].unique().tolist()


def work_run_core(folder: Path, runs: int, shared: Path) -> dict:
    return _run(folder, runs, shared, decks=False, notebooks=False, charts=False)


def work_run_no_decks(folder: Path, runs: int, shared: Path) -> dict:
    return _run(folder, runs, shared, decks=False, notebooks=True)


def work_run_decks(folder: Path, runs: int, shared: Path) -> dict:
    regions = tuple(_region_names(folder)[:DECK_REGIONS])
    return _run(folder, runs, shared, decks=True, notebooks=True, deck_regions=regions)


def work_scale(folder: Path, runs: int, shared: Path) -> dict:
    from smartcity_analysis.analysis.gaps import gap_analysis
    from smartcity_analysis.input.loading import load_answers
    from smartcity_analysis.model.scoring import score

    parts: dict[str, list[float]] = {"load": [], "score": [], "gaps": []}
    answers = None

    def once() -> None:
        nonlocal answers
        t0 = time.perf_counter()
        answers = load_answers(folder / "table")
        t1 = time.perf_counter()
        scores = score(answers)
        t2 = time.perf_counter()
        gap_analysis(scores)
        t3 = time.perf_counter()
        parts["load"].append(t1 - t0)
        parts["score"].append(t2 - t1)
        parts["gaps"].append(t3 - t2)

    times = _timed(once, runs)
    regions = answers.table["region"].nunique()
    n = int(answers.table["value"].notna().sum())
    return {"times": times, "size": f"{regions} regions, {n:,} answers",
            "extra": {"regions": int(regions), "answers": n,
                      **{k: statistics.median(v) for k, v in parts.items()}}}


WORKERS: dict[str, Callable[[Path, int, Path], dict]] = {
    "forms_load": work_forms_load,
    "forms_raw_parse": work_forms_raw_parse,
    "one_openpyxl": work_one_openpyxl,
    "one_calamine_pandas": work_one_calamine_pandas,
    "one_calamine_raw": work_one_calamine_raw,
    "one_load_answers": work_one_load_answers,
    "table_load": work_table_load,
    "table_load_tidy_small": work_table_load_tidy_small,
    "table_load_wide_small": work_table_load_wide_small,
    "score": work_score,
    "uncertainty": work_uncertainty,
    "gaps": work_gaps,
    "charts_region": work_charts_region,
    "charts_region_sample": work_charts_region_sample,
    "run_core": work_run_core,
    "run_no_decks": work_run_no_decks,
    "run_decks": work_run_decks,
}


def worker_main(name: str, folder: Path, runs: int, shared: Path, result_file: Path) -> int:
    fn = work_scale if name.startswith("scale_") else WORKERS[name]
    result = fn(folder, runs, shared)
    peak_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    result["peak_mb"] = peak_kb / 1024  # Linux reports kilobytes
    result["cpu"] = CPU_TIMES
    result_file.write_text(json.dumps(result, default=str))
    return 0


# --- the parent: data, processes, table -----------------------------------------------------------


def _cohort(args, spec: str) -> Path:
    """The cached cohort folder for a benchmark's ``data`` field (generated when missing)."""
    if spec == "sample":
        return SAMPLE_RAW
    if spec == "small":
        spec = f"scaling:{min(args.scaling, default=50)}"
    if spec.startswith("scaling:"):
        n = int(spec.split(":")[1])
        size = cohort_gen.CohortSize(n, args.respondents, args.cycles)
        small = n <= 100
        return cohort_gen.generate(size, args.cache, forms=False, tidy=small)
    size = cohort_gen.CohortSize(args.regions, args.respondents, args.cycles)
    return cohort_gen.generate(size, args.cache, forms=True)


def run_one(bench: Benchmark, folder: Path, shared: Path, env: dict) -> Outcome:
    result_file = shared / f"{bench.name}.json"
    result_file.unlink(missing_ok=True)
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", bench.name, "--folder", str(folder),
               "--worker-runs", str(bench.runs), "--shared", str(shared), "--result", str(result_file)]
    outcome = Outcome(bench.name, bench.title, _size_hint(bench, folder), target=bench.target)
    # Its own process group, so that a timeout also ends what it started (notebook kernels).
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=bench.timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        outcome.status = "TIMEOUT"
        outcome.note = f"stopped after {bench.timeout:.0f} s"
        outcome.times = []
        return outcome
    if process.returncode != 0 or not result_file.exists():
        outcome.status = "ERROR"
        last = [line for line in output.strip().splitlines() if line.strip()][-1:] or ["(no output)"]
        outcome.note = last[0][:200]
        (shared / f"{bench.name}.log").write_text(output)
        return outcome
    result = json.loads(result_file.read_text())
    outcome.times = result["times"]
    outcome.size = result.get("size", "")
    outcome.peak_mb = result.get("peak_mb")
    outcome.cpu = result.get("cpu", [])
    outcome.extra = result.get("extra", {})
    return outcome


def _size_hint(bench: Benchmark, folder: Path) -> str:
    """What a benchmark ran on, for rows without a result (stopped, failed)."""
    if bench.data == "sample":
        return "10-region sample"
    try:
        params = json.loads((folder / "parameters.json").read_text())
    except OSError:
        return ""
    return f"{params['regions']} regions, {params['answers']:,} answers"


def judge(bench: Benchmark, outcome: Outcome) -> None:
    if outcome.status:
        return
    if bench.limit is None and bench.memory_limit_mb is None:
        outcome.status = "-"
        return
    ok = outcome.median is not None
    if bench.limit is not None:
        ok = ok and outcome.median < bench.limit
    if bench.memory_limit_mb is not None:
        ok = ok and outcome.peak_mb is not None and outcome.peak_mb < bench.memory_limit_mb
    outcome.status = "PASS" if ok else "MISS"


def _fmt_s(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def derived_rows(outcomes: dict[str, Outcome], args) -> list[Outcome]:
    """Ratios and checks computed from several benchmarks."""
    rows = []
    load, raw = outcomes.get("forms_load"), outcomes.get("forms_raw_parse")
    if load and raw and load.median and raw.median:
        ratio = load.median / raw.median
        row = Outcome("forms_ratio", "load with validation / calamine raw parse", load.size,
                      target="<= 3x")
        row.note = f"{ratio:.2f}x"
        row.status = ("PASS" if ratio <= 3 else "MISS") if args.regions == NATIONAL_REGIONS else "-"
        rows.append(row)
    if load and "exact" in load.extra:
        row = Outcome("forms_exact", "values loaded from the forms == generated values", load.size,
                      target="exact")
        row.note = f"{load.extra['values_compared']:,} values, {load.extra['evidence_cells']:,} evidence cells"
        row.status = "PASS" if load.extra["exact"] else "MISS"
        rows.append(row)
    one = outcomes.get("one_openpyxl")
    if one and "calamine_equals_openpyxl" in one.extra:
        row = Outcome("one_same", "one form: calamine cells == openpyxl cells", one.size, target="exact")
        row.status = "PASS" if one.extra["calamine_equals_openpyxl"] else "MISS"
        rows.append(row)
    return rows


def render_saved(args) -> int:
    """Write the results file from the saved raw results and the current notes."""
    saved = json.loads(args.saved.read_text())
    for key in ("command_line", "regions", "respondents", "cycles"):
        setattr(args, key, saved[key])
    rows = [Outcome(**row) for row in saved["rows"]]
    scaling = [Outcome(**row) for row in saved["scaling"]]
    print(write_results(args.results, rows, scaling, args, time.perf_counter() - saved["seconds"],
                        saved["environment"]))
    return 0


def write_results(path: Path, outcomes: list[Outcome], scaling: list[Outcome], args, started: float,
                  environment: dict) -> str:
    lines = [
        "# Benchmarks at national scale",
        "",
        f"Written by `{args.command_line}` on {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}, "
        f"in {time.perf_counter() - started:.0f} s. Data: `scripts/make_national_cohort.py` "
        f"(synthetic, seeded): {args.regions} regions x {args.respondents} respondents x {args.cycles} "
        f"cycles x 56 indicators, and {args.regions} filled forms (one respondent, latest cycle).",
        "",
        "Each benchmark runs in a fresh process; *median* and *min* are wall-clock seconds over *runs* "
        "timed runs after the inputs are prepared (targets are judged on the median); *CPU s* is the "
        "median CPU time of a run (what the code costs when other work shares the 2 cores); *peak MB* "
        "is that process's maximum resident set size (inputs included). Status: PASS/MISS against the "
        "issue's target, `-` where the issue sets none.",
        "",
        "| benchmark | size | runs | median s | min s | CPU s | peak MB | target | status |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        median = o.note if o.name in ("forms_ratio",) else _fmt_s(o.median)
        note = "" if o.name == "forms_ratio" else (f" ({o.note})" if o.note else "")
        peak = f"{o.peak_mb:,.0f}" if o.peak_mb is not None else "-"
        cpu = _fmt_s(statistics.median(o.cpu)) if o.cpu else "-"
        lines.append(f"| {o.title}{note} | {o.size} | {len(o.times) or '-'} | {median} | {_fmt_s(o.best)} | "
                     f"{cpu} | {peak} | {o.target or '-'} | {o.status} |")
    if scaling:
        base = next((s for s in scaling if s.extra.get("regions")), None)
        lines += [
            "",
            "## Scaling: load + score + gaps on the consolidated table",
            "",
            f"{args.respondents} respondents x {args.cycles} cycles per region; the largest cohort is "
            "synthetic (10 times Indonesia). *per region* is the total over the regions; *vs smallest* "
            "compares it with the smallest cohort's (1.0 = linear).",
            "",
            "| regions | answers | load s | score s | gaps s | total s | ms per region | vs smallest | peak MB | status |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for s in scaling:
            if not s.extra.get("regions"):
                lines.append(f"| {s.name.removeprefix('scale_')} | - | - | - | - | - | - | - | - | {s.status} {s.note} |")
                continue
            per_region = s.median / s.extra["regions"] * 1000
            base_per = base.median / base.extra["regions"] * 1000
            peak = f"{s.peak_mb:,.0f}" if s.peak_mb is not None else "-"
            lines.append(
                f"| {s.extra['regions']:,} | {s.extra['answers']:,} | {_fmt_s(s.extra['load'])} | "
                f"{_fmt_s(s.extra['score'])} | {_fmt_s(s.extra['gaps'])} | {_fmt_s(s.median)} | "
                f"{per_region:.1f} | {per_region / base_per:.2f} | {peak} | {s.status or '-'} |")
    steps = [o for o in outcomes if o.extra.get("steps")]
    if steps:
        lines += ["", "## Whole runs: seconds per step (from the run's manifest)", "",
                  "| run | " + " | ".join(steps[0].extra["steps"]) + " |",
                  "|---|" + "---|" * len(steps[0].extra["steps"])]
        for o in steps:
            lines.append(f"| {o.title} | " + " | ".join(_fmt_s(o.extra["steps"].get(k)) for k in steps[0].extra["steps"]) + " |")
    lines += ["", "## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in environment.items()]
    if args.notes and Path(args.notes).exists():
        lines += ["", Path(args.notes).read_text(encoding="utf-8").rstrip()]
    text = "\n".join(lines) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return text


def describe_environment() -> dict:
    import importlib.metadata as md

    out = {
        "cpu": _cpu_name(), "cores": os.cpu_count(),
        "memory": f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB",
        "python": platform.python_version(),
    }
    versions = []
    for package in ("numpy", "pandas", "python-calamine", "openpyxl", "matplotlib"):
        try:
            versions.append(f"{package} {md.version(package)}")
        except md.PackageNotFoundError:
            pass
    out["packages"] = ", ".join(versions)
    try:
        from threadpoolctl import threadpool_info

        blas = [f"{i.get('internal_api')} {i.get('version')} ({i.get('architecture')}, {i.get('num_threads')} threads)"
                for i in threadpool_info() if i.get("user_api") == "blas"]
        out["BLAS"] = "; ".join(blas) or "-"
    except ImportError:
        out["BLAS"] = "threadpoolctl not installed (kernel not reported)"
    out["OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE"] = " / ".join(
        os.environ.get(k, "unset") for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"))
    out["git"] = _git_describe()
    out["load average at the end (1, 5, 15 min)"] = ", ".join(f"{x:.1f}" for x in os.getloadavg())
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
        return sha + (" (with uncommitted changes in the work tree)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated benchmark names (see --list)")
    parser.add_argument("--skip", default="", help="comma-separated benchmark names to leave out")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--regions", type=int, default=NATIONAL_REGIONS)
    parser.add_argument("--respondents", type=int, default=20)
    parser.add_argument("--cycles", type=int, default=5)
    parser.add_argument("--scaling", default="50,514,5140", help="cohort sizes of the scaling rows ('' for none)")
    parser.add_argument("--runs-scale", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, default=cohort_gen.DEFAULT_OUT)
    parser.add_argument("--results", type=Path, default=HERE / "results.md")
    parser.add_argument("--notes", type=Path, default=HERE / "notes.md",
                        help="markdown appended to the results (analysis of misses)")
    parser.add_argument("--saved", type=Path, default=cohort_gen.DEFAULT_OUT.parent / "last_results.json",
                        help="where the raw results are kept (default %(default)s)")
    parser.add_argument("--render", action="store_true",
                        help="only write the results file again from --saved (e.g. after editing the notes)")
    parser.add_argument("--chart-timeout", type=float, default=60.0,
                        help="seconds before the national chart set is stopped (default %(default)s)")
    parser.add_argument("--run-timeout", type=float, default=120.0,
                        help="seconds before a whole run is stopped (default %(default)s)")
    parser.add_argument("--core-timeout", type=float, default=300.0,
                        help="seconds before the run without charts is stopped (default %(default)s)")
    parser.add_argument("--scaling-timeout", type=float, default=420.0,
                        help="seconds before a scaling row is stopped (default %(default)s)")
    # worker mode (internal)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--worker-runs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--shared", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker_main(args.worker, args.folder, args.worker_runs, args.shared, args.result)
    if args.render:
        return render_saved(args)

    args.scaling = [int(x) for x in args.scaling.split(",") if x.strip()]
    args.command_line = "make bench" if argv is None and len(sys.argv) == 1 else \
        "python benchmarks/run_benchmarks.py " + " ".join(sys.argv[1:] if argv is None else argv)
    selected = benchmarks(args)
    if args.list:
        for b in selected:
            print(f"{b.name:24s} {b.title}" + ("  (only with --only)" if b.optional else ""))
        return 0
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    skip = {x.strip() for x in args.skip.split(",") if x.strip()}
    unknown = (only | skip) - {b.name for b in selected}
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    selected = [b for b in selected
                if (b.name in only if only else not b.optional) and b.name not in skip]

    started = time.perf_counter()
    load_at_start = os.getloadavg()
    git_at_start = _git_describe()
    env = dict(os.environ, MPLBACKEND="Agg")
    shared = Path(tempfile.mkdtemp(prefix="bench-", dir=args.cache.parent if args.cache.parent.exists() else None))
    outcomes: dict[str, Outcome] = {}
    try:
        for bench in selected:
            folder = _cohort(args, bench.data)
            print(f"... {bench.name}: {bench.title}", file=sys.stderr, flush=True)
            outcome = run_one(bench, folder, shared, env)
            judge(bench, outcome)
            outcomes[bench.name] = outcome
            print(f"    {_fmt_s(outcome.median)} s (min {_fmt_s(outcome.best)}), peak "
                  f"{outcome.peak_mb or 0:,.0f} MB {outcome.status} {outcome.note}", file=sys.stderr, flush=True)
    finally:
        logs = sorted(shared.glob("*.log"))
        for log in logs:
            print(f"--- {log.name}\n{log.read_text()[-3000:]}", file=sys.stderr)
        shutil.rmtree(shared, ignore_errors=True)
    main_rows = [o for name, o in outcomes.items() if not name.startswith("scale_")]
    order = [o.name for o in main_rows]
    derived = derived_rows(outcomes, args)
    for row in derived:  # each derived row right after the benchmark it comes from
        anchor = {"forms_ratio": "forms_raw_parse", "forms_exact": "forms_load", "one_same": "one_openpyxl"}[row.name]
        position = order.index(anchor) + 1 if anchor in order else len(order)
        order.insert(position, row.name)
        main_rows.insert(position, row)
    scaling = [o for name, o in outcomes.items() if name.startswith("scale_")]
    environment = describe_environment()
    environment["load average at the start (1, 5, 15 min)"] = ", ".join(f"{x:.1f}" for x in load_at_start)
    environment["git"] = git_at_start  # the code measured: the work tree when the run began
    saved = {"command_line": args.command_line, "regions": args.regions, "respondents": args.respondents,
             "cycles": args.cycles, "seconds": time.perf_counter() - started, "environment": environment,
             "rows": [asdict(o) for o in main_rows], "scaling": [asdict(o) for o in scaling]}
    args.saved.parent.mkdir(parents=True, exist_ok=True)
    args.saved.write_text(json.dumps(saved, indent=1, default=str))
    text = write_results(args.results, main_rows, scaling, args, started, environment)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
