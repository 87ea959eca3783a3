"""One assessment: loaded and scored once, every output made from the same numbers.

In the spirit of COINr's *coin*, an :class:`Assessment` holds the instrument, the answers, the
scores of every stage and the recipe that made them; the analyses (comparison, gaps,
uncertainty, the statistical audit) are computed on first use and kept. It answers the two
questions every output asks, "which cycle" (:meth:`Assessment.resolve_cycle`) and "which region"
(:meth:`Assessment.resolve_region`), in one way.

:func:`open_assessment` builds one from raw files, or opens one saved by
:meth:`Assessment.save` without loading or scoring anything. ``smartcity run`` saves the
assessment once and every notebook and later command reads it, so the workbook, the charts and
the report cannot disagree.

The saved format (a folder; documented in ``docs/assessment-format.md``) is plain files, no
pickle of live objects:

- ``assessment.json``: format name and version, package version, recipe, analysed cycle,
  targets, seed, source and the SHA-256 of every other file;
- ``framework.csv``: the instrument as its user-facing table;
- ``scores.npz``: the (cycle, region) index and each stage (raw, n_respondents, normalised,
  values, coverage) as float arrays with their column codes;
- ``units.npz``: the grouping columns per (cycle, region) (region type, province, code, ...),
  stored as the answers are;
- ``answers.npz``: the answers at respondent level, each text column as category codes plus
  its categories, numbers as arrays;
- ``analyses/``: the analyses computed before saving (uncertainty, bootstrap, audit, Sobol), each
  a set of plain tables and arrays, so a reader gets the run's very numbers without recomputing.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ._version import __version__
from .errors import Bilingual, FileError, Location
from .files import file_sha256
from .input.framework import Framework, framework_from_table, load_framework
from .input.loading import Answers, load_answers
from .input.regions import load_region_aliases
from .model.maturity import SPBE_LADDER, MaturityLadder
from .model.scoring import KEY, Scores, ScoringOptions, score
from .model.selection import UNKNOWN_CYCLE, resolve_cycle, resolve_region, resolve_regions
from .paths import answers_source, looks_synthetic

__all__ = ["FORMAT", "FORMAT_VERSION", "Assessment", "open_assessment"]

#: Name and version of the saved format; a reader refuses a newer version than it knows.
FORMAT = "smartcity_analysis.assessment"
FORMAT_VERSION = 2
MANIFEST = "assessment.json"
_STAGES = ("raw", "n_respondents", "normalised", "values", "coverage")


@dataclass(eq=False)
class Assessment:
    """An assessment cycle's data, scores and analyses, with the recipe that made them.

    Build one with :func:`open_assessment`. Attributes set at construction are the inputs; the
    analyses are properties computed once on first use.

    Attributes
    ----------
    scores : Scores
        Every scoring stage, indexed by (cycle, region).
    answers : Answers or None
        The answers at respondent level (OPD, evidence, source cells).
    cycle : int or None
        The analysed cycle (default: the latest in the data; ``None`` when the data carry none).
    targets : str or None
        The target rule or table of the gap analysis (``None``: the next maturity level).
    seed : int
        Seed of every random analysis (uncertainty, bootstrap, Sobol).
    source : str
        Where the answers came from (a folder or files), for the recipe and the footnotes.
    synthetic : bool
        Whether the inputs are marked as synthetic sample data.
    """

    scores: Scores
    #: The answers, or a callable that loads them (a saved assessment reads them on first use)
    answer_source: Answers | Callable[[], Answers] | None = None
    cycle: int | None = None
    targets: str | None = None
    seed: int = 20241
    source: str = ""
    synthetic: bool = False
    aliases_path: str | None = None
    changes_path: str | None = None
    ladder: MaturityLadder = SPBE_LADDER
    log: list[str] = field(default_factory=list)

    # -- what it is ---------------------------------------------------------------------------
    @property
    def answers(self) -> Answers | None:
        """The answers at respondent level; a saved assessment reads them on first use only
        (most of its readers, the charts and most notebooks, never need them)."""
        if callable(self.answer_source) and not isinstance(self.answer_source, Answers):
            self.answer_source = self.answer_source()
        return self.answer_source

    @property
    def framework(self) -> Framework:
        return self.scores.framework

    @property
    def options(self) -> ScoringOptions:
        return self.scores.options

    @property
    def cycles(self) -> list[int]:
        return self.scores.cycles

    @property
    def regions(self) -> list[str]:
        """Regions with a score in the analysed cycle, in name order."""
        if self.cycle is None:
            index = self.scores.values.index
        else:
            index = self.scores.values.xs(self.cycle, level="cycle", drop_level=False).index
        return sorted(str(r) for r in pd.unique(index.get_level_values("region")))

    def recipe(self) -> dict:
        """Everything needed to make this assessment again, JSON-serialisable."""
        return {
            "package": f"smartcity_analysis {__version__}",
            "source": self.source,
            "cycle": self.cycle,
            "targets": self.targets or "default",
            "seed": self.seed,
            "region_aliases": self.aliases_path,
            "instrument_changes": self.changes_path,
            **self.scores.recipe(),
        }

    # -- the one way to ask "which" ----------------------------------------------------------
    def resolve_cycle(self, cycle: int | None = None) -> int | None:
        """``cycle`` if the data hold it (SC402 otherwise); ``None``: the analysed cycle."""
        return self.cycle if cycle is None else resolve_cycle(self.cycles, cycle)

    def resolve_region(self, region: str | None = None) -> str:
        """``region`` as the data spell it (SC403 otherwise); ``None``: the best-scored region."""
        if region is None:
            return str(self.index_scores().idxmax())
        return resolve_region(region, self.regions, self._aliases)

    def resolve_regions(self, regions: str | Iterable[str] | None) -> list[str]:
        """Several regions, every unknown one reported at once; ``None``: all of them."""
        return resolve_regions(regions, self.regions, self._aliases)

    @cached_property
    def _aliases(self) -> dict[str, str]:
        return load_region_aliases(self.aliases_path)

    def index_scores(self, cycle: int | None = None) -> pd.Series:
        """The index per region in a cycle (default the analysed one)."""
        cycle = self.resolve_cycle(cycle)
        if cycle is None:
            return self.scores.index().droplevel("cycle")
        return self.scores.index(cycle)

    # -- analyses, computed once -------------------------------------------------------------
    def score_table(self, lang: str = "id") -> pd.DataFrame:
        """Long scores of every cycle with maturity levels and names (``scores.csv``)."""
        from .model.maturity import maturity_table

        def build() -> pd.DataFrame:
            table = maturity_table(self.scores, ladder=self.ladder, lang=lang)
            table["name"] = table["code"].map(self.framework.names(lang))
            return table

        return self._cached(("score_table", lang), build)

    @cached_property
    def comparison(self) -> pd.DataFrame:
        """Ranks, cohort position and change since the previous cycle, every cycle."""
        from .analysis.compare import comparison_table

        return comparison_table(self.scores)

    @cached_property
    def cohort(self) -> pd.DataFrame:
        """Cohort statistics (median, quartiles, best) per cycle and code."""
        from .analysis.compare import cohort_statistics

        return cohort_statistics(self.scores)

    def cohort_by(self, column: str) -> pd.DataFrame:
        from .analysis.compare import cohort_statistics

        return cohort_statistics(self.scores, by=column)

    @cached_property
    def peer_groups(self) -> list[str]:
        from .analysis.compare import peer_groups

        return list(peer_groups(self.scores))

    @cached_property
    def gaps(self):
        """The gap analysis of the analysed cycle against :attr:`targets` (:class:`GapAnalysis`)."""
        from .analysis.gaps import gap_analysis

        return gap_analysis(self.scores, self.targets, cycle=self.cycle, ladder=self.ladder)

    @cached_property
    def readiness(self) -> pd.DataFrame:
        """The readiness matrix (dimension x aspect) of the analysed cycle, every region."""
        from .analysis.gaps import readiness_matrix

        return readiness_matrix(self.scores, cycle=self.cycle)

    def weight_uncertainty(self, n_samples: int = 1000, **options):
        """Rank intervals over perturbed weights (cached per set of arguments)."""
        from .analysis.sensitivity import weight_uncertainty

        return self._cached(("weights", n_samples, tuple(sorted(options.items()))),
                            lambda: weight_uncertainty(self.scores, n_samples=n_samples, seed=self.seed,
                                                       cycle=self.cycle, **options))

    def method_uncertainty(self, n_samples: int = 100, **options):
        """Rank intervals over normalisation x aggregation x weights (cached per arguments)."""
        from .analysis.sensitivity import method_uncertainty

        return self._cached(("methods", n_samples, tuple(sorted(options.items()))),
                            lambda: method_uncertainty(self.scores, n_samples=n_samples, seed=self.seed,
                                                       cycle=self.cycle, **options))

    def bootstrap(self, n_boot: int = 200, **options):
        """Score intervals from resampling each region's respondents (cached per arguments)."""
        from .analysis.sensitivity import bootstrap_respondents

        def compute():
            if self.answers is None:
                raise FileError.single("SC102", Location(self.source), kind="assessment",
                                       detail=Bilingual("disimpan tanpa jawaban; bootstrap memerlukannya",
                                                        "saved without answers; the bootstrap needs them"))
            return bootstrap_respondents(self.answers, self.framework, self.options, n_boot=n_boot,
                                         seed=self.seed, cycle=self.cycle, **options)

        # a saved assessment that holds this bootstrap does not read its answers for it
        return self._cached(("bootstrap", n_boot, tuple(sorted(options.items()))), compute)

    @property
    def audit(self):
        """The JRC/COINr statistical audit of the analysed cycle (:class:`~.analysis.audit.Audit`)."""
        from .analysis.audit import run_audit

        return self._cached(("audit",), lambda: run_audit(self.scores, cycle=self.cycle))

    def sobol(self, n_samples: int = 1000, **options):
        """Variance-based sensitivity (Sobol Si, STi) of the uncertain choices (cached per arguments)."""
        from .analysis.variance import choice_sensitivity

        return self._cached(("sobol", n_samples, tuple(sorted(options.items()))),
                            lambda: choice_sensitivity(self.scores, n_samples=n_samples, seed=self.seed,
                                                       cycle=self.cycle, **options))

    def _cached(self, key, compute):
        cache = self.__dict__.setdefault("_results", {})
        if key not in cache:
            saved = self.__dict__.get("_saved_results", {}).pop(key, None)
            cache[key] = saved() if saved is not None else compute()
        return cache[key]

    # -- variants ----------------------------------------------------------------------------
    def rescore(self, **changes) -> Assessment:
        """The same answers scored with some options changed: a new assessment to compare."""
        return Assessment(self.scores.rescore(**changes), self.answer_source, self.cycle, self.targets,
                          self.seed, self.source, self.synthetic, self.aliases_path,
                          self.changes_path, self.ladder, [*self.log, f"rescore: {changes}"])

    def at_cycle(self, cycle: int | None) -> Assessment:
        """This assessment analysing another cycle it holds (itself for ``None`` or its own)."""
        resolved = self.resolve_cycle(cycle)
        if resolved == self.cycle:
            return self
        return Assessment(self.scores, self.answer_source, resolved, self.targets, self.seed, self.source,
                          self.synthetic, self.aliases_path, self.changes_path, self.ladder,
                          [*self.log, f"cycle: {resolved}"])

    def with_targets(self, targets: str | None) -> Assessment:
        return Assessment(self.scores, self.answer_source, self.cycle, targets, self.seed, self.source,
                          self.synthetic, self.aliases_path, self.changes_path, self.ladder,
                          [*self.log, f"targets: {targets}"])

    # -- saving ------------------------------------------------------------------------------
    def release_answers(self, saved: str | Path) -> None:
        """Let the answers go from memory, to be read again from the copy saved at ``saved``
        (:meth:`save`) on first use: after saving, a run's later steps need only the scores and
        the analyses, and the notebooks' kernels need the memory."""
        path = Path(saved) / "answers.npz"
        if not isinstance(self.answer_source, Answers) or not path.is_file():
            return
        framework, files = self.answer_source.framework, self.answer_source.files
        self.answer_source = lambda: Answers(_load_frame(path), framework, files)

    def save(self, folder: str | Path) -> Path:
        """Write the assessment to ``folder`` (created) in the documented format; return it."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.framework.to_frame().to_csv(folder / "framework.csv", index=False)
        _save_scores(self.scores, folder / "scores.npz")
        _save_frame(self.scores.regions.reset_index(drop=True), folder / "units.npz")
        files = ["framework.csv", "scores.npz", "units.npz"]
        if self.answers is not None:
            _save_frame(self.answers.table, folder / "answers.npz")
            files.append("answers.npz")
        analyses = _save_analyses(self, folder, files)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "recipe": self.recipe(),
            "cycle": self.cycle,
            "targets": self.targets,
            "seed": self.seed,
            "source": self.source,
            "synthetic": self.synthetic,
            "region_aliases": self.aliases_path,
            "instrument_changes": self.changes_path,
            "framework": {"version": self.framework.version, "source": self.framework.source,
                          "metadata": self.framework.metadata},
            "options": self.scores.recipe()["options"],
            "answer_files": self.answers.files if self.answers is not None else [],
            "log": [*self.scores.log, *self.log],
            "analyses": analyses,
            "files": {name: file_sha256(folder / name) for name in files},
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, default=str), encoding="utf-8")
        return folder


# --- opening --------------------------------------------------------------------------------


def open_assessment(
    source: str | Path | Iterable[str | Path] | Answers,
    *,
    framework: Framework | str | Path | None = None,
    changes: str | Path | None = None,
    aliases: str | Path | None = None,
    options: ScoringOptions | None = None,
    cycle: int | None = None,
    targets: str | None = None,
    seed: int = 20241,
) -> Assessment:
    """Load and score answers once, or open an assessment saved by :meth:`Assessment.save`.

    Parameters
    ----------
    source
        A saved assessment folder (holding ``assessment.json``); or a raw folder, files or
        folders of answers (a raw folder's ``templates/`` subfolder is used when present, and its
        ``instrument_changes.csv`` and ``targets.csv`` when present); or loaded :class:`Answers`.
    framework
        The instrument (a :class:`Framework` or a CSV/xlsx path); the built-in one by default.
    changes
        Declared instrument changes (renamed or dropped indicators) between cycles.
    aliases
        An extra region alias table (``alias, region``).
    options
        Scoring options (normalisation, aggregation, missing data, respondents).
    cycle
        The cycle to analyse; inputs that carry no cycle are taken to be of it. Default: the
        latest cycle in the data.
    targets
        Target rule or table for the gap analysis.
    seed
        Seed of the random analyses.

    Examples
    --------
    >>> from smartcity_analysis import open_assessment
    >>> a = open_assessment("data/raw")                      # doctest: +SKIP
    >>> a.gaps.top(5, "Kabupaten Pekalongan")                # doctest: +SKIP
    """
    if isinstance(source, (str, Path)) and (Path(source) / MANIFEST).is_file():
        return _open_saved_once(Path(source))
    fw = framework if isinstance(framework, Framework) else load_framework(framework)
    if isinstance(source, Answers):
        answers, paths = source, [f.get("path", "") for f in source.files]
        raw_folder = None
    else:
        paths = [source] if isinstance(source, (str, Path)) else list(source)
        raw_folder = Path(paths[0]) if len(paths) == 1 and Path(paths[0]).is_dir() else None
        if raw_folder is not None and changes is None and (raw_folder / "instrument_changes.csv").is_file():
            changes = raw_folder / "instrument_changes.csv"
        code_changes = None
        if changes is not None:
            from .input.instrument_changes import load_changes

            code_changes = load_changes(changes, fw)
        inputs = [answers_source(raw_folder)] if raw_folder is not None else paths
        answers = load_answers(inputs, fw, cycle=cycle, region_aliases=aliases, code_changes=code_changes)
    answers = with_known_cycle(answers)
    if targets is None and raw_folder is not None and (raw_folder / "targets.csv").is_file():
        targets = str(raw_folder / "targets.csv")
    scores = score(answers, fw, options or ScoringOptions())
    analysed = resolve_cycle(scores.cycles, cycle)
    return Assessment(
        scores, answers, analysed, targets, seed,
        source=", ".join(str(p) for p in paths), synthetic=looks_synthetic(*paths) if paths else False,
        aliases_path=str(aliases) if aliases else None, changes_path=str(changes) if changes else None,
    )


def with_known_cycle(answers: Answers) -> Answers:
    """Answers that carry no cycle at all are one assessment of :data:`UNKNOWN_CYCLE`."""
    cycles = answers.table["cycle"]
    if len(cycles) and cycles.isna().all():
        from dataclasses import replace

        table = answers.table.assign(cycle=pd.array([UNKNOWN_CYCLE] * len(cycles), dtype="Int64"))
        return replace(answers, table=table)
    return answers


#: Saved assessments opened in this process, by folder and the state of its files (most recent last).
_OPENED: dict[tuple, Assessment] = {}
_OPENED_KEEP = 2


def _open_saved_once(folder: Path) -> Assessment:
    """The saved assessment at ``folder``, read once per process while its files are unchanged.

    Notebooks run one after another in one kernel (``smartcity run``) all open the run's folder:
    the second gets the first's object, with the analyses it has already computed. A folder whose
    files changed (size or modification time) is read and checked again.
    """
    folder = folder.resolve()
    try:
        state = tuple(sorted((entry.name, entry.stat().st_size, entry.stat().st_mtime_ns)
                             for entry in folder.iterdir() if entry.is_file()))
    except OSError:
        return _open_saved(folder)
    key = (str(folder), state)
    if key not in _OPENED:
        opened = _open_saved(folder)
        _OPENED.pop(next((k for k in _OPENED if k[0] == key[0]), None), None)  # a changed folder's old copy
        while len(_OPENED) >= _OPENED_KEEP:
            _OPENED.pop(next(iter(_OPENED)))
        _OPENED[key] = opened
    return _OPENED[key]


def _open_saved(folder: Path) -> Assessment:
    manifest_path = folder / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FileError.single("SC102", Location(str(manifest_path)), kind="assessment", detail=str(exc)) from None
    if manifest.get("format") != FORMAT or int(manifest.get("format_version", 0)) > FORMAT_VERSION:
        raise FileError.single(
            "SC102", Location(str(manifest_path)), kind="assessment",
            detail=f"format {manifest.get('format')!r} version {manifest.get('format_version')}; "
                   f"this package reads {FORMAT} up to version {FORMAT_VERSION}")
    for name, digest in manifest.get("files", {}).items():
        if not (folder / name).is_file() or file_sha256(folder / name) != digest:
            raise FileError.single("SC102", Location(str(folder / name)), kind="assessment",
                                   detail=Bilingual("hilang atau berubah sejak disimpan",
                                                    "missing or changed since it was saved"))
    fw_meta = manifest["framework"]
    framework = framework_from_table(pd.read_csv(folder / "framework.csv", dtype=str, keep_default_na=False),
                                     source=fw_meta.get("source", "<saved>"), version=fw_meta.get("version"),
                                     metadata=fw_meta.get("metadata") or {})
    options = ScoringOptions(**manifest["options"])
    units = _load_frame(folder / "units.npz")
    scores = _load_scores(folder / "scores.npz", framework, options, units, manifest.get("log", []))
    answers = None
    if (folder / "answers.npz").is_file():
        def answers() -> Answers:
            return Answers(_load_frame(folder / "answers.npz"), framework, manifest.get("answer_files", []))
    opened = Assessment(
        scores, answers, manifest.get("cycle"), manifest.get("targets"), int(manifest.get("seed", 20241)),
        source=manifest.get("source", ""), synthetic=bool(manifest.get("synthetic")),
        aliases_path=manifest.get("region_aliases"), changes_path=manifest.get("instrument_changes"),
        log=[f"opened from {folder}"],
    )
    opened.__dict__["_saved_results"] = {
        _tupled(entry["key"]): _analysis_loader(entry, folder, framework) for entry in manifest.get("analyses", [])}
    return opened


# --- saved analyses -----------------------------------------------------------------------


def _result_classes() -> dict[str, type]:
    """The analysis results a saved assessment may hold (nothing else is ever rebuilt)."""
    from .analysis.audit import Audit
    from .analysis.sensitivity import UncertaintyResult
    from .analysis.variance import ChoiceSensitivity

    return {cls.__name__: cls for cls in (UncertaintyResult, Audit, ChoiceSensitivity)}


def _tupled(value):
    """JSON lists back to the tuples of a cache key."""
    return tuple(_tupled(v) for v in value) if isinstance(value, list) else value


class _NotStorable(Exception):
    """A value the saved format has no plain form for; its analysis is not saved."""


def _save_analyses(a: Assessment, folder: Path, files: list[str]) -> list[dict]:
    """Write every analysis ``a`` has computed to ``folder/analyses``; their manifest entries.

    An analysis holding something without a plain form (or with a key JSON cannot carry) is
    left out: a reader then computes it again, with the same seed and the same numbers.
    """
    entries = []
    results = a.__dict__.get("_results", {})
    for number, (key, result) in enumerate(results.items()):
        encoded = json.loads(json.dumps(key, default=str))
        if _tupled(encoded) != key:
            continue
        written: list[str] = []
        try:
            value = _store_value(result, folder, f"analyses/{number:02d}_{key[0]}", written)
        except _NotStorable:
            for name in written:
                (folder / name).unlink(missing_ok=True)
            continue
        files.extend(written)
        entries.append({"key": encoded, "value": value})
    return entries


def _store_value(value, folder: Path, stem: str, written: list[str]) -> dict:
    from .analysis.audit import Audit  # noqa: F401 - the classes below are the allowed ones

    if isinstance(value, pd.DataFrame):
        index = value.index
        plain = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1 and index.name is None
        frame = value if plain else value.reset_index()
        name = f"{stem}.npz"
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        _save_frame(frame, folder / name, strict=True)
        written.append(name)
        if plain:
            return {"frame": name, "index": None}
        return {"frame": name, "index": [str(c) for c in frame.columns[: index.nlevels]],
                "index_names": list(index.names)}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            raise _NotStorable(stem)
        name = f"{stem}.npy"
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        np.save(folder / name, value, allow_pickle=False)
        written.append(name)
        return {"array": name}
    if isinstance(value, Framework):
        return {"framework": True}
    if dataclasses.is_dataclass(value) and type(value).__name__ in _result_classes():
        return {"result": type(value).__name__,
                "fields": {f.name: _store_value(getattr(value, f.name), folder, f"{stem}.{f.name}", written)
                           for f in dataclasses.fields(value)}}
    try:
        encoded = json.loads(json.dumps(value))
    except (TypeError, ValueError):
        raise _NotStorable(stem) from None
    if encoded != value:  # tuples, numpy scalars, non-text keys: not carried exactly
        raise _NotStorable(stem)
    return {"json": encoded}


def _analysis_loader(entry: dict, folder: Path, framework: Framework) -> Callable[[], object]:
    return lambda: _load_value(entry["value"], folder, framework)


def _load_value(stored: dict, folder: Path, framework: Framework):
    if "frame" in stored:
        frame = _load_frame(folder / stored["frame"])
        if not stored.get("index"):
            return frame
        return frame.set_index(stored["index"]).rename_axis(stored["index_names"])
    if "array" in stored:
        return np.load(folder / stored["array"], allow_pickle=False)
    if "framework" in stored:
        return framework
    if "result" in stored:
        cls = _result_classes()[stored["result"]]
        return cls(**{name: _load_value(value, folder, framework) for name, value in stored["fields"].items()})
    return stored["json"]


# --- plain-array storage --------------------------------------------------------------------


def _save_scores(scores: Scores, path: Path) -> None:
    index = scores.values.index
    cycles = index.get_level_values("cycle")
    arrays = {
        "cycle": np.asarray(cycles.astype("Float64").to_numpy(dtype=float, na_value=np.nan)),
        "region": np.asarray(index.get_level_values("region").astype(str), dtype=str),
    }
    for stage in _STAGES:
        frame = getattr(scores, stage)
        arrays[f"{stage}__columns"] = np.asarray(frame.columns.astype(str), dtype=str)
        arrays[stage] = frame.to_numpy(dtype=float)
    np.savez(path, **arrays)


def _load_scores(path: Path, framework: Framework, options: ScoringOptions, units: pd.DataFrame,
                 log: list[str]) -> Scores:
    with np.load(path, allow_pickle=False) as data:
        cycle = pd.array(np.where(np.isnan(data["cycle"]), 0, data["cycle"]).astype(np.int64), dtype="Int64")
        cycle[np.isnan(data["cycle"])] = pd.NA
        index = pd.MultiIndex.from_arrays([cycle, pd.Index(data["region"].astype(object), dtype=object)], names=KEY)
        frames = {}
        for stage in _STAGES:
            columns = pd.Index(data[f"{stage}__columns"].tolist(), name="code")
            frames[stage] = pd.DataFrame(data[stage], index=index, columns=columns)
    frames["n_respondents"] = frames["n_respondents"].astype(np.int64)
    groups = units
    groups.index = index
    return Scores(framework, options, frames["raw"], frames["n_respondents"], frames["normalised"],
                  frames["values"], frames["coverage"], groups, log=list(log))


def _text_list(texts: list[str]) -> np.ndarray:
    """Texts as one JSON string in a 0-d array: NumPy's fixed-width text arrays drop trailing NUL
    characters, JSON keeps every character exactly."""
    return np.asarray(json.dumps(texts, ensure_ascii=False))


def _save_frame(frame: pd.DataFrame, path: Path, strict: bool = False) -> None:
    """Each column as plain arrays: numbers as they are, anything else as codes + categories.

    ``strict`` (the analyses): a column read back must equal the one written, dtype included,
    else :class:`_NotStorable`; the answers and units store other objects as their text.
    """
    try:
        with _NpzStream(path) as arrays:
            _write_columns(frame, arrays, path, strict)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _write_columns(frame: pd.DataFrame, arrays: _NpzStream, path: Path, strict: bool) -> None:
    kinds = {}
    for name, column in frame.items():
        if strict and column.dtype == bool:
            arrays[f"{name}__values"] = column.to_numpy(dtype=bool)
            kinds[name] = "bool"
        elif strict and column.dtype == object and len(column) and all(isinstance(v, bool) for v in column):
            arrays[f"{name}__values"] = column.to_numpy(dtype=bool)
            kinds[name] = "object:bool"
        elif strict and column.dtype == object:
            present = column.dropna()
            if not all(isinstance(v, str) for v in present):
                raise _NotStorable(f"{path.name}: {name}")
            codes, categories = pd.factorize(column, use_na_sentinel=True)
            arrays[f"{name}__codes"] = codes.astype(np.int32)
            arrays[f"{name}__categories"] = _text_list(list(categories))
            kinds[name] = "object"
        elif strict and not (pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_string_dtype(column.dtype)
                             or isinstance(column.dtype, pd.CategoricalDtype)):
            raise _NotStorable(f"{path.name}: {name} ({column.dtype})")
        elif pd.api.types.is_bool_dtype(column.dtype) or pd.api.types.is_float_dtype(column.dtype):
            arrays[f"{name}__values"] = column.to_numpy(dtype=float, na_value=np.nan)
            kinds[name] = "float" if not strict or column.dtype == np.float64 else str(column.dtype)
        elif pd.api.types.is_integer_dtype(column.dtype):
            arrays[f"{name}__values"] = column.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            kinds[name] = "Int64" if isinstance(column.dtype, pd.api.extensions.ExtensionDtype) else str(column.dtype)
        elif isinstance(column.dtype, pd.CategoricalDtype):
            arrays[f"{name}__codes"] = column.cat.codes.to_numpy().astype(np.int32)
            arrays[f"{name}__categories"] = _text_list([str(c) for c in column.cat.categories])
            kinds[name] = f"category:{'object' if column.cat.categories.dtype == object else 'str'}"
        else:
            codes, categories = pd.factorize(column.astype(object), use_na_sentinel=True)
            arrays[f"{name}__codes"] = codes.astype(np.int32)
            arrays[f"{name}__categories"] = _text_list([str(c) for c in categories])
            kinds[name] = "str"
    arrays["__columns__"] = np.asarray(list(frame.columns), dtype=str)
    arrays["__kinds__"] = np.asarray([kinds[c] for c in frame.columns], dtype=str)


class _NpzStream:
    """An ``.npz`` written as :func:`numpy.savez` writes it (stored zip entries ``name.npy``),
    each array as soon as it is set: a long frame's columns are not all held as arrays at once
    (the answers of 10x Indonesia, 28 M rows, took 1.9 GB more to save that way)."""

    def __init__(self, path: Path) -> None:
        import zipfile

        self._zip = zipfile.ZipFile(path, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True)

    def __setitem__(self, name: str, array: np.ndarray) -> None:
        with self._zip.open(f"{name}.npy", "w", force_zip64=True) as out:
            np.lib.format.write_array(out, np.asanyarray(array), allow_pickle=False)

    def __enter__(self) -> _NpzStream:
        return self

    def __exit__(self, *exc) -> None:
        self._zip.close()




def _load_frame(path: Path) -> pd.DataFrame:
    with np.load(path, allow_pickle=False) as data:
        columns = {}
        for name, kind in zip(data["__columns__"], data["__kinds__"], strict=True):
            name = str(name)
            if kind == "bool":
                columns[name] = data[f"{name}__values"].astype(bool)
            elif kind == "object:bool":
                columns[name] = pd.Series(data[f"{name}__values"].astype(bool).astype(object), dtype=object)
            elif kind == "object":
                codes = data[f"{name}__codes"]
                categories = np.asarray(json.loads(str(data[f"{name}__categories"])), dtype=object)
                picked = categories[np.maximum(codes, 0)] if len(categories) else np.full(len(codes), None)
                columns[name] = pd.Series(np.where(codes >= 0, picked, None), dtype=object)
            elif kind.startswith("category") or kind == "str":
                codes = data[f"{name}__codes"]
                categories = np.asarray(json.loads(str(data[f"{name}__categories"])), dtype=object)
                if kind.startswith("category"):
                    dtype = object if kind == "category:object" else "str"
                    columns[name] = pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=dtype))
                else:  # the texts once, then taken by code (-1: missing)
                    columns[name] = pd.array(categories, dtype="str").take(codes, allow_fill=True)
            elif kind == "float":
                columns[name] = data[f"{name}__values"]
            elif kind == "Int64":
                columns[name] = pd.array(data[f"{name}__values"], dtype="Float64").astype("Int64")
            else:
                columns[name] = data[f"{name}__values"].astype(kind, copy=False)
    return pd.DataFrame(columns, copy=False)
