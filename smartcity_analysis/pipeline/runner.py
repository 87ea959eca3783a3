"""``smartcity run``: one command per assessment cycle, from raw workbooks to every output.

Steps: validate -> score -> compare -> gaps -> uncertainty -> audit (the assessment saved) ->
notebooks (started: they run on the other cores while) charts and decks -> Excel workbook -> HTML
report of the notebooks -> manifest. Everything is written into a staging folder
next to ``data/processed/<cycle>/`` and swapped in only when every step succeeded, so a failed or
interrupted run leaves the previous results whole. ``data/raw`` is only ever read, and the run
checks that its files are byte-identical at the end.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .._version import __version__
from ..assessment import Assessment, open_assessment, with_known_cycle
from ..errors import Bilingual, Location, RunError
from ..files import check_readable, unique_filenames
from ..i18n import sentence, term
from ..input.framework import Framework, load_framework
from ..input.loading import Answers, load_answers
from ..input.regions import register_source
from ..model.scoring import ScoringOptions
from ..model.selection import UNKNOWN_CYCLE, cycle_label, resolve_cycle, resolve_regions
from ..paths import answers_source, looks_synthetic, notebooks_dir, project_root
from .manifest import file_sha256, output_entries
from .staging import new_staging, swap_in

STEPS = ("validate", "score", "compare", "gaps", "uncertainty", "audit", "notebooks", "charts", "workbook",
         "report", "manifest")


@dataclass
class RunConfig:
    """Everything a run depends on; recorded in the manifest.

    ``charts`` and ``decks`` switch the per-region outputs, both made in the charts step (a deck
    draws its picture charts as slide bodies, without the standalone charts' title band).
    """

    raw: Path
    out: Path
    cycle: int | None = None
    framework_path: Path | None = None
    changes_path: Path | None = None
    options: ScoringOptions = field(default_factory=ScoringOptions)
    lang: str = "id"
    targets: str | None = None
    uncertainty_samples: int = 1000
    seed: int = 20241
    decks: bool = True
    deck_regions: tuple[str, ...] | None = None  # None: every region
    notebooks: bool = True
    charts: bool = True
    deck_template: Path | None = None  # an office's .pptx/.potx; None: the shipped one
    documents: bool = True  # the masterplan Word documents, for the regions that get decks
    document_template: Path | None = None  # an office's .docx/.dotx; None: the shipped one
    fail_after: str | None = None  # testing hook: raise after this step

    def recipe(self) -> dict:
        return {
            "raw": str(self.raw), "cycle": self.cycle,
            "framework": str(self.framework_path) if self.framework_path else "built-in",
            "instrument_changes": str(self.changes_path) if self.changes_path else None,
            "options": self.options.__dict__, "lang": self.lang, "targets": self.targets or "default",
            "uncertainty_samples": self.uncertainty_samples, "seed": self.seed,
            "decks": self.decks, "notebooks": self.notebooks,
            "deck_template": str(self.deck_template) if self.deck_template else None,
            "documents": self.decks and self.documents,
            "document_template": str(self.document_template) if self.document_template else None,
        }


@dataclass
class RunContext:
    """What the steps hand each other."""

    config: RunConfig
    staging: Path
    framework: Framework | None = None
    answers: Answers | None = None
    assessment: Assessment | None = None
    cycle: int | None = None
    uncertainty: object = None
    bootstrap: object = None
    audit: object = None
    #: ``answers.summary()``, computed once (at 28 M answers each call is a pass over them all)
    summary: dict | None = None
    #: ``answers.files``: the manifest's inputs (the answers themselves go once saved)
    answer_files: list = field(default_factory=list)
    #: The notebook kernels' process pool (started with the run, so that they warm up while it
    #: validates); each notebook's target and parameters, the pool's futures, and when they started
    notebook_pool: object = None
    notebook_jobs: dict = field(default_factory=dict)
    notebook_futures: dict = field(default_factory=dict)
    notebooks_started: float = 0.0
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def cycle_folder(cycle: int | None) -> str:
    """The output folder of a cycle: its year, or ``siklus-tidak-diketahui`` for an unknown one."""
    return str(cycle) if cycle not in (None, UNKNOWN_CYCLE) else "siklus-tidak-diketahui"


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(config: RunConfig, progress: Callable[[str], None] = _progress) -> Path:
    """Run every step; return ``out/<cycle>`` once it holds the new results."""
    check_options(config)
    check_readable(config.raw)
    raw_hashes_before = _hash_tree(config.raw)
    staging = new_staging(config.out)  # SC114 for an output folder that cannot be written, before any work
    ctx = RunContext(config, staging)
    started = time.perf_counter()
    try:
        ctx.notebook_pool = _notebook_pool(config)
        for number, step in enumerate(STEPS, start=1):
            t0 = time.perf_counter()
            progress(f"[{number}/{len(STEPS)}] {step} ...")
            STEP_FUNCTIONS[step](ctx, progress)
            ctx.timings[step] = round(time.perf_counter() - t0, 3)
            if config.fail_after == step:
                raise RunError.single("SC501", Location(), step=step, detail="requested failure (test hook)")
            if os.environ.get("SMARTCITY_HOLD_AFTER") == step:  # test hook: wait here to be killed
                progress(f"HOLD {step}")
                time.sleep(600)
        if _hash_tree(config.raw) != raw_hashes_before:
            raise RunError.single("SC501", Location(str(config.raw)), step="raw-check",
                                  detail=Bilingual("berkas masukan berubah selama proses",
                                                   "input files changed during the run"))
    except BaseException:
        _close_notebook_pool(ctx, cancel=True)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    # outside the try: when the previous results are held open (Excel), the new ones are kept
    # whole beside them and SC504 says which file to close and how to finish
    final = swap_in(staging, config.out / cycle_folder(ctx.cycle))
    progress(f"selesai / done in {time.perf_counter() - started:.1f} s: {final}")
    return final


def _hash_tree(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): file_sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


# --- steps --------------------------------------------------------------------------------------


def step_validate(ctx: RunContext, progress) -> None:
    cfg = ctx.config
    ctx.framework = load_framework(cfg.framework_path)
    source = answers_source(cfg.raw)
    code_changes = None
    if cfg.changes_path:
        from ..input.instrument_changes import load_changes

        code_changes = load_changes(cfg.changes_path, ctx.framework)
        ctx.notes.extend(f"instrument: {line}" for line in code_changes.describe("en"))
    ctx.answers = with_known_cycle(load_answers(source, ctx.framework, code_changes=code_changes))
    for note in ctx.answers.notes:
        progress("  " + note.format(cfg.lang))
    ctx.summary, ctx.answer_files = ctx.answers.summary(), ctx.answers.files
    _return_freed_memory()  # the loader's records and masks, gone before scoring
    progress("  " + ctx.answers.summary_line(cfg.lang, ctx.summary))
    ctx.cycle = resolve_cycle(ctx.summary["cycles"], cfg.cycle)
    _check_options_against_data(ctx)
    if ctx.cycle == UNKNOWN_CYCLE:
        ctx.notes.append(term("run:no_cycle", cfg.lang))


def check_options(config: RunConfig) -> None:
    """Options that are wrong whatever the data: refused before any work."""
    from ..analysis.sensitivity import check_sample_budget

    check_sample_budget(config.uncertainty_samples, 1, 1)
    if config.decks and config.deck_template:
        from ..presentation.deck import open_template

        open_template(config.deck_template)  # SC101/SC102 before any work
    if config.decks and config.documents and config.document_template:
        from ..presentation.documents import open_template as open_document_template

        open_document_template(config.document_template)
    if config.targets and not Path(config.targets).suffix:
        from ..analysis.gaps import parse_target_rules

        parse_target_rules(config.targets)


def _check_options_against_data(ctx: RunContext) -> None:
    """Options that need the data (regions, sample memory): checked right after loading, before
    scoring, so a typo in --deck-region does not cost a whole run."""
    from ..analysis.sensitivity import check_sample_budget

    cfg = ctx.config
    table = ctx.answers.table
    regions = table.loc[table["cycle"] == ctx.cycle, "region"].astype(str).unique()
    if cfg.deck_regions and not wants_all_regions(cfg.deck_regions):
        resolve_regions(cfg.deck_regions, regions)
    check_sample_budget(cfg.uncertainty_samples, len(regions), 1)  # the run ranks the index


def step_score(ctx: RunContext, progress) -> None:
    """Score once into the assessment (saved after the analyses, :func:`step_audit`); scores as CSV."""
    from ..presentation.workbook import write_csv

    cfg = ctx.config
    targets = cfg.targets
    if targets is None and (cfg.raw / "targets.csv").exists():
        targets = str(cfg.raw / "targets.csv")
    a = open_assessment(ctx.answers, framework=ctx.framework, options=cfg.options, cycle=ctx.cycle,
                        targets=targets, seed=cfg.seed)
    a.source, a.synthetic = str(cfg.raw), looks_synthetic(cfg.raw)
    a.changes_path = str(cfg.changes_path) if cfg.changes_path else None
    ctx.assessment = a
    write_csv(a.score_table(cfg.lang), ctx.staging / "tables" / "scores.csv")
    write_csv(a.comparison, ctx.staging / "tables" / "comparison.csv")


def step_compare(ctx: RunContext, progress) -> None:
    from ..presentation.workbook import write_csv

    a = ctx.assessment
    write_csv(a.cohort, ctx.staging / "tables" / "cohort_statistics.csv")
    for column in a.peer_groups:
        write_csv(a.cohort_by(column), ctx.staging / "tables" / f"cohort_statistics_by_{column}.csv")


def step_gaps(ctx: RunContext, progress) -> None:
    from ..presentation.workbook import write_csv

    a = ctx.assessment
    # gaps.csv here; the people's sheet ("Analisis Kesenjangan") is in the run's one workbook
    write_csv(a.gaps.table(ctx.config.lang), ctx.staging / "tables" / "gaps.csv")
    write_csv(a.readiness, ctx.staging / "tables" / "readiness_matrix.csv")


def step_uncertainty(ctx: RunContext, progress) -> None:
    """Rank intervals over weights and methods; bootstrap intervals over respondents."""
    from ..analysis.sensitivity import write_sensitivity

    cfg = ctx.config
    n = cfg.uncertainty_samples
    a = ctx.assessment
    # the same calls as notebook 06 makes, so the report shows these very numbers
    ctx.uncertainty = a.weight_uncertainty(n)
    methods = a.method_uncertainty(max(n // 10, 50))
    boot = a.bootstrap(max(n // 5, 100))
    ctx.bootstrap = boot
    write_sensitivity([ctx.uncertainty, methods, boot], ctx.staging / "tables", lang=cfg.lang)


def step_audit(ctx: RunContext, progress) -> None:
    """The JRC/COINr statistical audit with the Sobol indices of the method choices; notebook 07
    asks the assessment for the same (seeded) numbers."""
    a = ctx.assessment
    ctx.audit = a.audit.with_sobol(a.sobol(ctx.config.uncertainty_samples))
    ctx.audit.write(ctx.staging / "tables")
    # saved once, with every analysis computed so far: the charts' workers, the notebooks and
    # later commands read these very numbers instead of computing them again
    a.save(ctx.staging / "assessment")
    # no later step reads the answers (the manifest keeps their files and summary): their memory
    # goes back to the system for the notebook kernels, read again from the copy if ever asked
    ctx.answers = None
    a.release_answers(ctx.staging / "assessment")
    _return_freed_memory()


def _return_freed_memory() -> None:
    """Hand the heap's freed pages back to the system (glibc keeps them for reuse otherwise, so
    the process stays at its peak while the notebook kernels start); nothing elsewhere."""
    import gc

    gc.collect()
    if sys.platform.startswith("linux"):
        import ctypes
        import ctypes.util

        with contextlib.suppress(OSError, AttributeError, TypeError):
            ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)


#: Above this many regions, per-region charts and decks are drawn only for the regions asked for
#: (``--deck-region``): a national run draws the cohort charts, not 514 chart sets.
PER_REGION_LIMIT = 30

#: ``--deck-region all`` (or ``semua``): every region's charts, deck and documents, however many.
ALL_REGIONS = ("all", "semua")


def wants_all_regions(regions) -> bool:
    """Whether ``--deck-region`` asked for every region (:data:`ALL_REGIONS`)."""
    return any(str(r).strip().casefold() in ALL_REGIONS for r in regions or ())


def _selected_regions(ctx: RunContext) -> list[str]:
    regions = sorted(ctx.assessment.index_scores().dropna().index)
    if wants_all_regions(ctx.config.deck_regions):
        return regions
    if ctx.config.deck_regions:
        from ..input.regions import canonical_region, load_region_aliases

        aliases = load_region_aliases()
        wanted = [canonical_region(r, aliases) for r in ctx.config.deck_regions]
        missing = [r for r in wanted if r not in regions]
        if missing:
            raise RunError.single("SC403", Location(), region=missing[0], regions=", ".join(regions[:20]))
        return wanted
    if len(regions) > PER_REGION_LIMIT:
        ctx.notes.append(f"{len(regions)} regions: per-region charts and decks only with --deck-region "
                         "(NAME, or all)")
        return []
    return regions


def step_charts(ctx: RunContext, progress) -> None:
    """Cohort charts, then each region's chart set and deck, on every core when there are several."""
    from ..presentation.charts.export import chart_set, save_figures
    from ..presentation.charts.theme import source_line

    cfg = ctx.config
    a = ctx.assessment
    source = term("chart:default_source", cfg.lang).format(cycle=cycle_label(ctx.cycle, cfg.lang))
    job = RegionJob(lang=cfg.lang, footnote=source_line(source, a.synthetic, cfg.lang), charts=cfg.charts,
                    decks=cfg.decks, samples=cfg.uncertainty_samples, date=_run_date(ctx),
                    deck_template=str(cfg.deck_template) if cfg.deck_template else None,
                    documents=cfg.decks and cfg.documents,
                    document_template=str(cfg.document_template) if cfg.document_template else None)
    regions = _selected_regions(ctx)
    if cfg.charts:  # above 30 regions chart_set draws the top regions (charts.export.cohort_view)
        figures = chart_set(a.scores, gaps=a.gaps, uncertainty=ctx.uncertainty, lang=cfg.lang,
                            footnote=job.footnote, cycle=ctx.cycle)
        save_figures(figures, ctx.staging / "charts" / "cohort", prefix="cohort", close=True)
    if not regions or not (cfg.charts or cfg.decks):  # documents come with the decks
        return
    from ..presentation.charts.export import slug

    names = unique_filenames(regions, make=slug)  # stable, Windows-safe, distinct even ignoring case
    workers = min(len(regions), os.cpu_count() or 1, MAX_WORKERS)
    if workers < 2:
        for number, region in enumerate(regions, start=1):
            progress(f"  {number}/{len(regions)} {region}")
            region_outputs(a, region, names[region], ctx.staging, job)
        return
    # each worker opens the saved assessment once (no pickling of live objects, no rescoring)
    import concurrent.futures

    saved = ctx.staging / "assessment"
    with concurrent.futures.ProcessPoolExecutor(workers, initializer=_open_in_worker,
                                                initargs=(str(saved),)) as pool:
        futures = {pool.submit(_region_outputs_in_worker, region, names[region], str(ctx.staging), job): region
                   for region in regions}
        for number, future in enumerate(concurrent.futures.as_completed(futures), start=1):
            if future.exception() is not None:  # stops the run like a serial one, at once:
                pool.shutdown(wait=False, cancel_futures=True)  # the regions not begun are dropped
                future.result()
            progress(f"  {number}/{len(regions)} {futures[future]}")


#: Processes drawing region outputs at once (each holds the assessment and a matplotlib state).
MAX_WORKERS = 8


@dataclass(frozen=True)
class RegionJob:
    """What every region's outputs share; small and picklable, for the worker processes."""

    lang: str
    footnote: str
    charts: bool
    decks: bool
    samples: int
    date: object = None
    deck_template: str | None = None
    documents: bool = False
    document_template: str | None = None


def region_outputs(a: Assessment, region: str, name: str, staging: Path, job: RegionJob) -> None:
    """One region's chart set, deck (its picture charts drawn as slide bodies) and masterplan
    documents, in files called ``name``."""
    from ..presentation.charts.export import chart_set, save_figures

    uncertainty = a.weight_uncertainty(job.samples)
    if job.charts:
        figures = chart_set(a.scores, gaps=a.gaps, uncertainty=uncertainty, region=region, lang=job.lang,
                            footnote=job.footnote, cycle=a.cycle)
        save_figures(figures, staging / "charts" / name, prefix=name, close=True)
    if job.decks:
        from ..presentation.deck import build_deck, write_deck

        prs = build_deck(a.scores, a.gaps, region, uncertainty=uncertainty, lang=job.lang, date=job.date,
                         synthetic=a.synthetic, template=job.deck_template)
        write_deck(prs, staging / "decks" / f"{name}.pptx")
    if job.documents:
        from ..presentation.documents import write_documents

        write_documents(a, region, staging / "documents", template=job.document_template, lang=job.lang,
                        date=job.date, synthetic=a.synthetic, name=name)


_WORKER: dict[str, Assessment] = {}


def _open_in_worker(saved: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    _WORKER["assessment"] = open_assessment(saved)


def _region_outputs_in_worker(region: str, name: str, staging: str, job: RegionJob) -> None:
    region_outputs(_WORKER["assessment"], region, name, Path(staging), job)


def _run_date(ctx: RunContext):
    """The date on title slides: SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    import datetime as dt

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), UTC).date()
    return dt.date.today()


def step_workbook(ctx: RunContext, progress) -> None:
    """One formatted workbook for people: every table a sheet, the recipe in 'Tentang'."""
    from ..presentation.workbook import (
        comparison_sheet,
        dimension_sheet,
        gap_sheet,
        readiness_sheet,
        score_sheet,
        write_workbook,
    )

    lang = ctx.config.lang
    a = ctx.assessment
    score_table = a.score_table(lang)
    table = score_table[score_table["cycle"] == ctx.cycle].reset_index(drop=True)
    scores = score_sheet(table, lang)
    scores.full = "tables/scores.csv"  # tables longer than a sheet are laid out wide, complete in the CSVs
    sheets = {
        "sheet:dimensions": dimension_sheet(a.scores, ctx.cycle, lang),
        "sheet:scores": scores,
    }
    readiness = a.readiness.copy()
    readiness["dimension"] = readiness["dimension"].map(ctx.framework.names(lang))
    sheets["sheet:readiness"] = readiness_sheet(readiness, "tables/readiness_matrix.csv")
    sheets["sheet:gaps"] = gap_sheet(a.gaps, lang, "tables/gaps.csv")
    sheets["sheet:comparison"] = comparison_sheet(a.comparison[a.comparison["cycle"] == ctx.cycle],
                                                  "tables/comparison.csv")
    sheets["sheet:cohort"] = a.cohort[a.cohort["cycle"] == ctx.cycle]
    if ctx.uncertainty is not None:
        sheets["sheet:uncertainty"] = ctx.uncertainty.table
    from ..presentation.audit_tables import audit_sheets

    sheets.update(audit_sheets(ctx.audit, lang))
    write_workbook(sheets, ctx.staging / f"smartcity_{ctx.cycle}.xlsx", lang=lang, about=_about(ctx))


def _light_notebook_imports() -> None:
    """Skip the IRI grammars jsonschema builds on import when ``rfc3987_syntax`` is installed
    (JupyterLab brings it): 38 Lark grammars, about 2.5 s of CPU in every process importing
    nbformat (papermill, nbconvert). The notebook schema checks no IRI, so nothing is lost;
    a process that already imported it keeps it."""
    sys.modules.setdefault("rfc3987_syntax", None)


def _notebook_list() -> list[Path]:
    return sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb"))


def _notebook_pool(config: RunConfig):
    """One process per core, each keeping a kernel, started before any work so that the kernels
    start and import the package while the run validates the answers (an idle core otherwise);
    ``None`` on one core or without notebooks."""
    if not config.notebooks:
        return None
    workers = min(len(_notebook_list()), os.cpu_count() or 1, NOTEBOOK_WORKERS)
    if workers < 2:
        return None
    import concurrent.futures

    pool = concurrent.futures.ProcessPoolExecutor(workers, initializer=_notebook_worker)
    for _ in range(workers):
        pool.submit(_warm_kernel)
    return pool


def _close_notebook_pool(ctx: RunContext, cancel: bool = False) -> None:
    """Shut the notebook workers down (their kernels with them); ``cancel``: a failed run does not
    wait for notebooks still running (their kernels notice their parent is gone and exit)."""
    pool, ctx.notebook_pool = ctx.notebook_pool, None
    if pool is None:
        return
    if not cancel:
        pool.shutdown(wait=True)
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)


def step_notebooks(ctx: RunContext, progress) -> None:
    """Start the notebook suite on the saved assessment; the charts and the workbook are made
    while it runs, and :func:`step_report` collects it into one HTML report."""
    if not ctx.config.notebooks:
        return
    notebooks = _notebook_list()
    if not notebooks:
        ctx.notes.append("no notebooks found; report skipped")
        return
    out = ctx.staging / "notebooks"
    out.mkdir(parents=True, exist_ok=True)
    # Every notebook reads the assessment this run saved: no reloading, no rescoring, and the
    # run's instrument changes, scoring options and targets apply (n_samples as the run's).
    parameters = {
        "assessment": str((ctx.staging / "assessment").resolve()),
        "cycle": ctx.cycle, "region": _report_region(ctx), "lang": ctx.config.lang,
        "n_samples": ctx.config.uncertainty_samples,
        "seed": ctx.config.seed,
    }
    ctx.notebooks_started = time.perf_counter()
    ctx.notebook_jobs = {notebook: (out / notebook.name, parameters) for notebook in notebooks}
    if ctx.notebook_pool is not None:  # on one core they run in order in the report step
        # Each kernel runs notebook after notebook with a clean namespace: the imports and the
        # opened assessment (with the analyses it holds) are paid once per kernel, not per notebook.
        ctx.notebook_futures = {ctx.notebook_pool.submit(execute_notebook, notebook, *job, True): notebook
                                for notebook, job in ctx.notebook_jobs.items()}


def step_report(ctx: RunContext, progress) -> None:
    """Wait for the notebooks (a failed one fails the run, SC501); one HTML report of them all."""
    if not ctx.notebook_jobs:
        return
    notebooks = list(ctx.notebook_jobs)
    if ctx.notebook_pool is None:
        try:
            for number, notebook in enumerate(notebooks, start=1):
                progress(f"  notebook {number}/{len(notebooks)}: {notebook.name}")
                execute_notebook(notebook, *ctx.notebook_jobs[notebook], reuse_kernel=True)
        finally:
            _stop_kernel()
    else:
        import concurrent.futures

        futures = ctx.notebook_futures
        for number, future in enumerate(concurrent.futures.as_completed(futures), start=1):
            future.result()  # a failed notebook fails the run (SC501)
            progress(f"  notebook {number}/{len(notebooks)}: {futures[future].name}")
        _close_notebook_pool(ctx)
    ctx.timings["notebooks"] = round(time.perf_counter() - ctx.notebooks_started, 3)
    region = _report_region(ctx)
    write_report([target for target, _ in ctx.notebook_jobs.values()],
                 ctx.staging / "report.html", title=_report_title(ctx, region), lang=ctx.config.lang)


#: Seconds one notebook cell may take before the run fails (a hung kernel must not hang the run).
NOTEBOOK_CELL_TIMEOUT = 600
#: Notebooks executed at once (each in its own process and kernel).
NOTEBOOK_WORKERS = 4


#: The kernel a notebook worker keeps between notebooks (see :func:`execute_notebook`).
_KERNEL = None


def _notebook_worker() -> None:
    """Initializer of a notebook worker process: its kernel is shut down when the worker ends."""
    import multiprocessing.util

    multiprocessing.util.Finalize(None, _stop_kernel, exitpriority=10)


#: What a kept kernel imports before its first notebook (while the run validates).
_WARM_UP = ("import pandas, matplotlib.pyplot, IPython.display\n"
            "import smartcity_analysis.assessment, smartcity_analysis.presentation.display, "
            "smartcity_analysis.presentation.charts, smartcity_analysis.presentation.audit_tables, "
            "smartcity_analysis.analysis.compare\n")


def _warm_kernel() -> None:
    """Start this worker's kernel and import the package in it (and papermill here); the
    notebooks then start at once."""
    _light_notebook_imports()
    import papermill  # noqa: F401 - imported while the run validates, not when the notebooks wait

    sys.stderr.flush()
    saved_stderr = os.dup(2)
    with open(os.devnull, "wb") as quiet:  # the kernel's start-up chatter stays out of the progress
        os.dup2(quiet.fileno(), 2)
        try:
            _run_in_kernel(_kernel(), _WARM_UP)
        finally:
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)


def _kernel():
    """This process's kept kernel, started on first use (cwd the project, SMARTCITY_ROOT set)."""
    global _KERNEL
    if _KERNEL is None or not _KERNEL.has_kernel:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        manager = AsyncKernelManager(kernel_name="python3")
        run_sync(manager.start_kernel)(cwd=str(project_root()),
                                       env={**os.environ, "SMARTCITY_ROOT": str(project_root())})
        _KERNEL = manager
    return _KERNEL


def _stop_kernel() -> None:
    global _KERNEL
    if _KERNEL is not None:
        from jupyter_core.utils import run_sync

        try:
            run_sync(_KERNEL.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - a kernel already gone is the goal
            pass
        _KERNEL = None


#: Run in a kept kernel before each notebook: the notebook starts with an empty namespace and no
#: open figures, as in a fresh kernel, while the imported modules stay.
_RESET = "get_ipython().run_line_magic('reset', '-f')\nimport matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt\n"


def _run_in_kernel(manager, code: str) -> None:
    from jupyter_core.utils import run_sync

    client = manager.client()
    client.start_channels()
    try:
        run_sync(client.wait_for_ready)(timeout=60)
        reply = run_sync(client.execute_interactive)(code, timeout=NOTEBOOK_CELL_TIMEOUT, store_history=False,
                                                     output_hook=lambda message: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel set-up failed: {reply['content'].get('evalue')}")
    finally:
        client.stop_channels()


def execute_notebook(source: Path, target: Path, parameters: dict, reuse_kernel: bool = False) -> Path:
    """Run one notebook with papermill (parameters injected after the ``parameters`` cell).

    With ``reuse_kernel`` the notebook runs in this process's kept kernel, its namespace emptied
    first; else in a kernel of its own.
    """
    import tempfile

    _light_notebook_imports()
    import papermill

    from ..presentation.workbook import atomic_write

    accepted = _declared_parameters(source)
    env_root = os.environ.get("SMARTCITY_ROOT")
    os.environ["SMARTCITY_ROOT"] = str(project_root())
    # The kernel writes start-up and shutdown chatter to the inherited stderr; keep it out of the
    # run's progress and show it only when the notebook fails.
    sys.stderr.flush()
    saved_stderr = os.dup(2)
    kernel_log = tempfile.TemporaryFile()
    os.dup2(kernel_log.fileno(), 2)
    try:
        kept = {}
        if reuse_kernel:
            kept["km"] = _kernel()
            _run_in_kernel(kept["km"], _RESET)
        node = papermill.execute_notebook(
            str(source), None, parameters={k: v for k, v in parameters.items() if k in accepted},
            kernel_name="python3", cwd=str(project_root()), progress_bar=False, log_output=False,
            execution_timeout=NOTEBOOK_CELL_TIMEOUT, **kept,
        )
    except papermill.PapermillExecutionError as exc:
        raise RunError.single("SC501", Location(source.name), step=f"notebook {source.name}",
                              detail=f"{exc.ename}: {exc.evalue}") from None
    finally:
        os.dup2(saved_stderr, 2)
        os.close(saved_stderr)
        kernel_log.close()
        if env_root is None:
            os.environ.pop("SMARTCITY_ROOT", None)
        else:
            os.environ["SMARTCITY_ROOT"] = env_root
    import nbformat

    with atomic_write(target, "w") as handle:
        nbformat.write(node, handle)
    return target


def _declared_parameters(notebook: Path) -> set[str]:
    """Names assigned in the notebook's ``parameters`` cell (papermill warns about the others)."""
    import ast

    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse("".join(cell["source"]))
            return {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                    if isinstance(t, ast.Name)}
    return set()


def write_report(notebooks: list[Path], target: Path, title: str, lang: str = "id") -> Path:
    """One HTML page from executed notebooks, code hidden: the report for non-coders.

    It opens with ``title`` and its contents (each notebook's title, linked to it) in ``lang``,
    the language the page declares (``<html lang>``: screen readers, browsers' translators).
    """
    _light_notebook_imports()
    import nbformat
    from nbconvert import HTMLExporter

    from ..presentation.workbook import atomic_write

    merged = nbformat.v4.new_notebook()
    merged.metadata = nbformat.read(notebooks[0], as_version=4).metadata
    merged.metadata["title"] = title
    parts = [nbformat.read(path, as_version=4) for path in notebooks]
    contents = "\n".join(_contents_line(i, _first_heading(nb) or path.stem) for i, (path, nb) in
                         enumerate(zip(notebooks, parts, strict=True), start=1))
    merged.cells.append(nbformat.v4.new_markdown_cell(
        f"# {title}\n\n## {term('report:contents', lang)}\n\n{contents}"))
    for nb in parts:
        merged.cells.extend(nb.cells)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            language_code=lang)
    body, _ = exporter.from_notebook_node(merged)
    with atomic_write(target, "w") as handle:
        handle.write(body)
    return target


def _contents_line(number: int, heading: str) -> str:
    """``1. [heading](#id)``: nbconvert gives a heading the id of its text with hyphens for
    spaces (``nbconvert.filters.strings.add_anchor``)."""
    from urllib.parse import quote

    anchor = quote(heading.replace(" ", "-"), safe="?/:@!$&'()*+,;=")
    return f"{number}. [{heading}](#{anchor})"


def _first_heading(notebook) -> str | None:
    """A notebook's ``#`` title: in a markdown cell, or shown as Markdown by a prose cell
    (``display.prose``, the notebooks' way)."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            texts = [cell.source]
        else:
            texts = [output.get("data", {}).get("text/markdown", "") for output in cell.get("outputs", [])]
        for text in texts:
            for line in text.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return None


def _report_region(ctx: RunContext) -> str:
    regions = ctx.assessment.index_scores().dropna().index.tolist()
    if ctx.config.deck_regions and not wants_all_regions(ctx.config.deck_regions):
        return ctx.assessment.resolve_regions(ctx.config.deck_regions)[0]
    return "Kabupaten Pekalongan" if "Kabupaten Pekalongan" in regions else regions[0]


def _report_title(ctx: RunContext, region: str) -> str:
    lang = ctx.config.lang
    return sentence("report:title", lang, cycle=cycle_label(ctx.cycle, lang), region=region)


def _about(ctx: RunContext) -> dict:
    synthetic = ctx.assessment.synthetic  # marked once, when the assessment was made
    about = {
        "package": f"smartcity_analysis {__version__}",
        "cycle": ctx.cycle,
        "instrument": ctx.framework.version,
        "instrument_fingerprint": ctx.framework.fingerprint(),
        **{f"option_{k}": v for k, v in ctx.config.options.__dict__.items()},
        "targets": ctx.config.targets or term("about:targets_default", ctx.config.lang),
        "uncertainty_samples": ctx.config.uncertainty_samples,
        "seed": ctx.config.seed,
        "inputs": len(ctx.answer_files),
    }
    if synthetic:
        about["data"] = term("about:synthetic", ctx.config.lang)
    n_regions = len(ctx.assessment.regions)
    if 1 < n_regions < 5:  # the comparison and cohort sheets of a few regions
        about["comparison"] = term("sentence:small_cohort", ctx.config.lang)
    return about


def step_manifest(ctx: RunContext, progress) -> None:
    cfg = ctx.config
    manifest = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "package_version": __version__,
        "cycle": ctx.cycle,
        "instrument": {"version": ctx.framework.version, "fingerprint": ctx.framework.fingerprint(),
                       "source": ctx.framework.source},
        "recipe": cfg.recipe(),
        "scoring": ctx.assessment.scores.recipe(),
        "region_register": {k: v for k, v in register_source().items() if k != "data_licence"},
        "inputs": [{"path": _relative(Path(f["path"]), cfg.raw), "sha256": f["sha256"], "rows": f["rows"]}
                   for f in ctx.answer_files],
        "summary": ctx.summary,
        "notes": ctx.notes,
        "steps_seconds": ctx.timings,
        "outputs": output_entries(ctx.staging),
    }
    from ..presentation.workbook import atomic_write

    with atomic_write(ctx.staging / "manifest.json", "w") as handle:
        json.dump(manifest, handle, indent=2, ensure_ascii=False, default=str)
        handle.write("\n")


def _relative(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


STEP_FUNCTIONS: dict[str, Callable[[RunContext, Callable], None]] = {
    "validate": step_validate,
    "score": step_score,
    "compare": step_compare,
    "gaps": step_gaps,
    "uncertainty": step_uncertainty,
    "audit": step_audit,
    "charts": step_charts,
    "workbook": step_workbook,
    "notebooks": step_notebooks,
    "report": step_report,
    "manifest": step_manifest,
}
