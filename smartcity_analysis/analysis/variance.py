"""Variance-based sensitivity of the ranks to the choices behind the index (Sobol indices).

Which methodological choice moves the ranks most? :func:`choice_sensitivity` answers it the way
COINr's ``get_sensitivity(SA_type = "SA")`` does, for five uncertain inputs:

- ``weights``: one of ``weight_sets`` Monte Carlo weight sets, each weight ``w`` times
  ``1 + U(-f, +f)`` with a noise factor ``f`` per level (:func:`~.sensitivity.noisy_weights`,
  COINr ``get_noisy_weights``);
- ``normalisation``: e.g. fixed instrument scale, min-max over the cohort, percentile ranks;
- ``aggregation``: arithmetic or geometric means;
- ``imputation``: none, indicator mean or median within the cycle, mean of the peer group;
- ``outliers``: COINr's default outlier treatment off or on.

Design (as COINr): a Saltelli design of ``n (d + 2)`` rows on the unit hypercube
(:func:`~.sobol.saltelli_design`, A, B, AB_1 .. AB_d); each column, a U(0, 1) sample, is mapped
onto its input's alternatives as COINr's ``sample_2_para`` does (R's ``cut(x, n_alt)``: equal
intervals over the sample's range). Every row is one variant of the index; the target is
COINr's, the mean absolute rank change against the nominal ranks (the ranks of the scoring run
as given), and, beyond COINr, each region's own rank. Indices: Saltelli (2010) first order and
Jansen (1999) total order with bootstrap intervals (:func:`~.sobol.sobol_indices`, COINr
``SA_estimate``); rank statistics over the ``2n`` random rows (A and B), as COINr's
``RankStats``.

Speed: COINr rebuilds the whole index for each of the ``n (d + 2)`` rows (about 0.2 s each, so
1,000 base samples x 5 inputs take over 20 minutes). Here the data side of a variant (imputation,
treatment, normalisation) takes only a few dozen distinct values, each computed once; the rows
sharing one are aggregated together under their weight sets by
:class:`~..model.aggregate.WeightSampleAggregator` (one batched matrix product per level), and
ranked in one ``argsort``. 1,000 base samples x 5 inputs (7,000 variants) on 514 regions x 56
indicators take a few seconds.

Ranks: 1 is the best, ties share the lowest rank (COINr's ``rank(ties.method = "min")``), a
region with no score is unranked (NaN) and left out of the mean absolute rank change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import Bilingual, Location, OptionError
from ..i18n import term
from ..input.framework import Framework
from ..model.aggregate import Tree, WeightSampleAggregator
from ..model.scoring import IMPUTATIONS, Scores, impute_values, normalise_values, treat_values
from .sensitivity import (
    DEFAULT_NOISE,
    INTERVAL,
    _check_choices,
    _cycle_rows,
    _nanmean,
    _noise_recipe,
    _quantiles,
    _resolve_cycle,
    noisy_weights,
    rank_regions,
)
from .sobol import saltelli_design, sobol_indices

__all__ = [
    "INPUTS",
    "TARGET",
    "ChoiceSensitivity",
    "choice_sensitivity",
    "discretise",
]

#: The uncertain inputs, in the order of the design's columns.
INPUTS = ("weights", "normalisation", "aggregation", "imputation", "outliers")
#: Output label of COINr's target in the long table.
TARGET = "mean_abs_rank_change"
INDEX_COLUMNS = ["input", "choices", "si", "sti", "si_low", "si_high", "sti_low", "sti_high"]
RANK_COLUMNS = ["region", "nominal_score", "nominal_rank", "mean_rank", "median_rank", "rank_q05",
                "rank_q95", "mean_abs_shift", "rank_moves"]
#: i18n key of the note when no rank moves in any variant.
NO_MOVES_NOTE = "audit:sobol_no_moves"
#: i18n key of the note when ranks move but the target is the same in every variant.
NO_VARIANCE_NOTE = "audit:sobol_no_variance"


@dataclass
class ChoiceSensitivity:
    """Sobol indices of the scoring choices on the ranks of one cycle.

    Attributes
    ----------
    indices : DataFrame
        One row per input, on COINr's target (mean absolute rank change against the nominal
        ranks): ``input, choices`` (what it ranged over), ``si`` (first order: the share of the
        target's variance this choice explains alone), ``sti`` (total order: with its
        interactions), and their bootstrap intervals ``si_low, si_high, sti_low, sti_high``.
        All NaN when no rank moves (see :attr:`note`).
    regions : DataFrame
        The same for each region's rank: ``region, input, si, sti, ...``; NaN for a region
        whose rank never moves (or that is unranked in some variant). First-order indices of
        ranks are estimated on centred ranks (``sobol_indices(centre=True)``; beyond COINr,
        which reports the target only).
    ranks : DataFrame
        Per region, over the ``2n`` random variants (A and B, as COINr's ``RankStats``):
        ``nominal_score, nominal_rank, mean_rank, median_rank, rank_q05, rank_q95``,
        ``mean_abs_shift`` (mean ``|rank - nominal rank|``) and ``rank_moves`` (whether the
        rank differs from the nominal one in any of the ``n (d + 2)`` variants).
    design : DataFrame
        One row per variant: ``block`` (``A``, ``B``, ``AB:<input>``), then the choice of each
        input (the weight set's number for ``weights``).
    target : ndarray
        The mean absolute rank change of each variant, in the design's order.
    rank_samples : ndarray
        ``(variants, regions)`` float32 ranks of every variant (regions in the order of
        ``regions``' first appearance), for plotting rank distributions.
    weights : ndarray
        ``(weight_sets, codes)`` the weight sets the ``weights`` input chooses from
        (``Tree.from_framework(framework).codes`` order).
    note : str or None
        :data:`NO_MOVES_NOTE` when no rank moved in any variant (or :data:`NO_VARIANCE_NOTE`
        when ranks moved but the target was the same in every variant): the shares are then not
        meaningful (0 / 0) and reported as NaN. :meth:`note_text` gives it in words.
    parameters : dict
        Everything needed to rerun it (the recipe), JSON-serialisable.
    framework : Framework
        The instrument.
    """

    indices: pd.DataFrame
    regions: pd.DataFrame
    ranks: pd.DataFrame
    design: pd.DataFrame = field(repr=False)
    target: np.ndarray = field(repr=False)
    rank_samples: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)
    note: str | None
    parameters: dict
    framework: Framework = field(repr=False)

    @property
    def meaningful(self) -> bool:
        """Whether any rank moved, so that the shares mean something."""
        return self.note is None

    @property
    def table(self) -> pd.DataFrame:
        """Long table (``audit_sobol.csv``): ``output`` is :data:`TARGET` or a region's name."""
        target = self.indices.drop(columns="choices").assign(output=TARGET)
        regions = self.regions.rename(columns={"region": "output"})
        columns = ["output", *[c for c in INDEX_COLUMNS if c != "choices"]]
        return pd.concat([target[columns], regions[columns]], ignore_index=True)

    def note_text(self, lang: str = "id") -> str:
        """The note in words (empty when the shares are meaningful)."""
        return term(self.note, lang) if self.note else ""


#: Memory the per-variant, per-region arrays of :func:`choice_sensitivity` may take (bytes).
MEMORY_BUDGET = 0.75 * 2**30
#: Bytes held per (base sample, region): scores and ranks of the ``d + 2`` variants (float64),
#: the float32 copy kept, and the two ``(d, n, regions)`` estimator terms of the region indices.
_BYTES_PER_SAMPLE_REGION = 8 * 7 + 8 * 7 + 4 * 7 + 2 * 8 * 5


def fitting_samples(n_samples: int, d: int, n_regions: int) -> int:
    """The base sample size whose variants fit :data:`MEMORY_BUDGET`: ``n_samples`` itself up to
    about 3,600 regions (1,000 samples), fewer beyond (5,140 regions: 712; every desa, 83,762 units: 43), at least 2.

    Each variant ranks every region, and the regions' own indices need every variant's rank of
    each, so memory grows with samples x regions; the sample is cut to fit rather than refused.
    """
    per_sample = _BYTES_PER_SAMPLE_REGION * (d + 2) / 7 * max(n_regions, 1)
    return int(max(2, min(int(n_samples), MEMORY_BUDGET // per_sample)))


def discretise(u: np.ndarray, n_choices: int) -> np.ndarray:
    """Positions ``0 .. n_choices - 1`` of U(0, 1) samples, as R's ``cut(u, n_choices)``.

    COINr's ``sample_2_para`` maps a discrete input's sample onto its alternatives with
    ``cut(x, n_alt, 1:n_alt)``: ``n_alt`` equal intervals over the *range of the sample*
    (``min(u)`` to ``max(u)``, the outer limits moved out by 0.1 % of the range), closed on the
    right. Reproduced exactly, so a design gives the same choices as in COINr.
    """
    u = np.asarray(u, dtype=float)
    if n_choices < 1:
        raise ValueError("n_choices must be positive")
    if n_choices == 1 or u.size == 0:
        return np.zeros(u.shape, dtype=int)
    lo, hi = float(u.min()), float(u.max())
    dx = hi - lo
    if dx == 0:
        dx = abs(lo)
        breaks = np.linspace(lo - dx / 1000, hi + dx / 1000, n_choices + 1)
    else:
        breaks = np.linspace(lo, hi, n_choices + 1)
        breaks[0], breaks[-1] = lo - dx / 1000, hi + dx / 1000
    position = np.searchsorted(breaks, u, side="left") - 1  # (b_k, b_k+1] -> k
    return np.clip(position, 0, n_choices - 1)


def _choices(scores: Scores, normalisations, aggregations, imputations, outliers, impute_group
             ) -> dict[str, tuple]:
    normalisations, aggregations = tuple(normalisations), tuple(aggregations)
    _check_choices(normalisations, aggregations)
    if imputations is None:
        imputations = tuple(m for m in IMPUTATIONS
                            if m != "group_mean" or impute_group in scores.regions.columns)
    imputations, outliers = tuple(imputations), tuple(bool(o) for o in outliers)
    bad = [m for m in imputations if m not in IMPUTATIONS]
    if bad or not imputations or not outliers:
        raise OptionError.single("SC401", Location(),
                                 detail=Bilingual(
                                     f"imputasi {', '.join(bad) or '(kosong)'}; pilih dari {', '.join(IMPUTATIONS)}; "
                                     "pencilan dari False, True",
                                     f"imputations {', '.join(bad) or '(none)'}; choose from "
                                     f"{', '.join(IMPUTATIONS)}; outliers from False, True"))
    return {"normalisation": normalisations, "aggregation": aggregations,
            "imputation": imputations, "outliers": outliers}


def choice_sensitivity(
    scores: Scores,
    n_samples: int = 1000,
    *,
    seed: int | None = 0,
    cycle: int | None = None,
    noise: dict[str | int, float] | float = DEFAULT_NOISE,
    weight_sets: int = 100,
    normalisations: Sequence[str] = ("scale", "minmax", "rank"),
    aggregations: Sequence[str] = ("arithmetic", "geometric"),
    imputations: Sequence[str] | None = None,
    outliers: Sequence[bool] = (False, True),
    impute_group: str | None = None,
    n_boot: int | None = 1000,
    confidence: float = 1 - 2 * INTERVAL[0],
) -> ChoiceSensitivity:
    """Sobol first-order and total indices of the scoring choices on the ranks (COINr's SA).

    Parameters
    ----------
    scores : Scores
        The nominal scoring run: its ranks are the reference, its answers (``raw``) are
        imputed, treated, normalised and aggregated again in every variant, with its
        ``missing`` rule and ``min_coverage``.
    n_samples : int, default 1000
        Base sample size ``n`` of the Saltelli design: ``n (d + 2)`` = 7,000 variants for the
        five inputs.
    seed : int, optional
        Seed of the design, the weight sets and the bootstrap.
    cycle : int, optional
        The cycle analysed (default the latest); ranks are within it, and imputation and
        relative normalisations use its regions only.
    noise : float or dict, default 0.25
        Weight noise factor, for every level or per level (:func:`~.sensitivity.noisy_weights`).
    weight_sets : int, default 100
        How many noisy weight sets the ``weights`` input chooses from (COINr's vignette draws
        100).
    normalisations, aggregations : sequences of str
        The alternatives of those inputs, each equally likely (geometric aggregation cannot
        take ``zscore``).
    imputations : sequence of str, optional
        Default: ``none, mean, median`` and ``group_mean`` when the regions carry the
        ``impute_group`` column.
    outliers : sequence of bool, default (False, True)
        Outlier treatment off / on (:func:`~..model.scoring.treat_values`).
    impute_group : str, optional
        Peer-group column of ``group_mean`` (default the scoring options' ``impute_group``).
    n_boot : int or None, default 1000
        Bootstrap resamples of the intervals (None: no intervals).
    confidence : float, default 0.9
        Coverage of the intervals (COINr's 5 %-95 %).

    Returns
    -------
    ChoiceSensitivity
        Indices on the target and on each region's rank, rank statistics, the design.

    Notes
    -----
    An input with a single alternative (``outliers=(False,)``) stays in the design and gets
    indices of 0; one whose alternatives give the same scores (imputation of complete data)
    gets exactly 0 too. When no rank moves at all the indices are NaN with a note.
    """
    framework = scores.framework
    cycle = _resolve_cycle(scores, cycle)
    n = int(n_samples)
    if n < 2:
        raise OptionError.single("SC401", Location(), detail=Bilingual(f"--samples {n_samples}: pakai 2 atau lebih", f"--samples {n_samples}: use 2 or more"))
    if int(weight_sets) < 1:
        raise OptionError.single("SC401", Location(), detail=Bilingual(f"weight_sets {weight_sets}: pakai 1 atau lebih",
                                                                       f"weight_sets {weight_sets}: use 1 or more"))
    group = impute_group or scores.options.impute_group
    choices = _choices(scores, normalisations, aggregations, imputations, outliers, group)
    d = len(INPUTS)
    requested = n
    n = fitting_samples(n, d, int(len(_cycle_rows(scores.values.index, cycle))))
    design_seed, weight_seed, boot_seed = np.random.SeedSequence(seed).spawn(3)

    tree = Tree.from_framework(framework)
    root = tree.position(framework.root)
    rows = _cycle_rows(scores.values.index, cycle)
    regions = scores.values.index[rows].get_level_values("region").astype(str)
    raw = scores.raw.iloc[rows][list(framework.indicators)]
    units = scores.regions.iloc[rows]
    nominal = scores.values.iloc[rows][framework.root].to_numpy(dtype=float)
    nominal_ranks = rank_regions(nominal)

    weights = noisy_weights(framework, noise, int(weight_sets), weight_seed)
    u = saltelli_design(n, d, np.random.default_rng(design_seed))
    alternatives = {"weights": int(weight_sets), **{k: len(v) for k, v in choices.items()}}
    picks = np.column_stack([discretise(u[:, j], alternatives[name]) for j, name in enumerate(INPUTS)])

    scores_runs = _variant_scores(scores, raw, units, picks, weights, choices, group, tree, root)
    rank_runs = rank_regions(scores_runs, axis=-1)
    with np.errstate(invalid="ignore"):
        target = _nanmean(np.abs(rank_runs - nominal_ranks[None, :]), axis=1)

    rank_moves = np.any(rank_runs != nominal_ranks[None, :], axis=0) & ~np.isnan(nominal_ranks)
    note = None
    if not rank_moves.any():
        note = NO_MOVES_NOTE
    elif not np.nanvar(target) > 0:
        note = NO_VARIANCE_NOTE
    indices = sobol_indices(target, n, d, n_boot, names=INPUTS, confidence=confidence,
                            seed=np.random.default_rng(boot_seed))
    # Ranks lie far from 0 (up to the cohort's size): centred, or Saltelli's first-order
    # estimator drowns in the mean (the target stays as COINr computes it)
    region_indices = sobol_indices(rank_runs, n, d, n_boot, names=INPUTS, confidence=confidence,
                                   seed=np.random.default_rng(boot_seed), outputs=list(regions), centre=True)
    region_indices = region_indices.rename(columns={"output": "region"})
    if note is not None:  # 0 / 0: the estimators' NaN, whatever round-off says
        indices.loc[:, indices.columns != "input"] = np.nan
    labels = {"weights": f"noise {_noise_recipe(noise)}, {int(weight_sets)} sets",
              **{k: ", ".join(map(_choice_label, v)) for k, v in choices.items()}}
    indices.insert(1, "choices", [labels[name] for name in INPUTS])
    indices = indices.reindex(columns=[c for c in INDEX_COLUMNS if c in indices.columns])

    random_ranks = rank_runs[:2 * n]
    quantiles = _quantiles(random_ranks, (INTERVAL[0], 0.5, INTERVAL[1]))
    ranks = pd.DataFrame({
        "region": list(regions),
        "nominal_score": nominal,
        "nominal_rank": nominal_ranks,
        "mean_rank": _nanmean(random_ranks, axis=0),
        "median_rank": quantiles[1],
        "rank_q05": quantiles[0],
        "rank_q95": quantiles[2],
        "mean_abs_shift": _nanmean(np.abs(random_ranks - nominal_ranks[None, :]), axis=0),
        "rank_moves": rank_moves,
    })[RANK_COLUMNS]
    ranks = ranks.sort_values(["nominal_rank", "region"], na_position="last", kind="stable")

    blocks = ["A"] * n + ["B"] * n + [f"AB:{name}" for name in INPUTS for _ in range(n)]
    design = pd.DataFrame({"block": blocks})
    for j, name in enumerate(INPUTS):
        design[name] = picks[:, j] if name == "weights" else np.asarray(choices[name], dtype=object)[picks[:, j]]
    parameters = {
        "analysis": "sobol", "cycle": cycle, "code": framework.root, "n_samples": n,
        "n_samples_requested": requested,
        "sample_budget": (f"{n} of {requested} base samples: every region's rank in every variant is held "
                          f"in memory, {MEMORY_BUDGET / 2**30:g} GiB at most") if n < requested else None,
        "n_variants": int(n * (d + 2)), "inputs": list(INPUTS),
        "choices": {name: labels[name] for name in INPUTS},
        "noise": _noise_recipe(noise), "weight_sets": int(weight_sets), "impute_group": group,
        "seed": seed, "n_boot": n_boot, "confidence": confidence,
        "design": "Saltelli A, B, AB_i (COINr SA_sample); discrete inputs by cut(x, n_alt)",
        "estimators": "Saltelli 2010 first order, Jansen total order (COINr SA_estimate)",
        "target": "mean |rank - nominal rank| over the regions (COINr get_sensitivity)",
        "rank_ties": "min", "meaningful": note is None, "scoring": scores.recipe(),
    }
    return ChoiceSensitivity(indices.reset_index(drop=True), region_indices, ranks.reset_index(drop=True),
                             design, target, rank_runs.astype(np.float32), weights, note, parameters, framework)


def _choice_label(choice: object) -> str:
    if isinstance(choice, (bool, np.bool_)):
        return "on" if choice else "off"
    return str(choice)


def _variant_scores(scores: Scores, raw: pd.DataFrame, units: pd.DataFrame, picks: np.ndarray,
                    weights: np.ndarray, choices: dict[str, tuple], group: str, tree: Tree,
                    root: int) -> np.ndarray:
    """The index of every variant, ``(variants, regions)``.

    The data side (imputation x treatment x normalisation x aggregation's target range) is
    computed once per combination that occurs; the variants sharing one are aggregated in
    batches under their weight sets, each distinct weight set once.
    """
    framework, options = scores.framework, scores.options
    out = np.full((picks.shape[0], len(raw)), np.nan)
    prepared: dict[tuple[int, int], pd.DataFrame] = {}
    cells = picks[:, 1:]  # normalisation, aggregation, imputation, outliers
    for cell in np.unique(cells, axis=0):
        norm_k, agg_k, imp_k, out_k = (int(v) for v in cell)
        members = np.flatnonzero((cells == cell).all(axis=1))
        if (imp_k, out_k) not in prepared:
            values, _ = impute_values(raw, units, choices["imputation"][imp_k], group)
            if choices["outliers"][out_k]:
                values, _ = treat_values(values)
            prepared[(imp_k, out_k)] = values
        method, aggregate = choices["normalisation"][norm_k], choices["aggregation"][agg_k]
        target = (1.0, 100.0) if aggregate == "geometric" else (0.0, 100.0)
        x = normalise_values(prepared[(imp_k, out_k)], framework, method, target).to_numpy(dtype=float)
        aggregator = WeightSampleAggregator(x, tree, method=aggregate, missing=options.missing,
                                            min_coverage=options.min_coverage)
        sets, position = np.unique(picks[members, 0], return_inverse=True)
        index = np.empty((len(sets), len(raw)))
        chunk = aggregator.chunk_size()
        for start in range(0, len(sets), chunk):
            batch = sets[start:start + chunk]
            index[start:start + len(batch)] = aggregator(weights[batch], [root])[0]
        out[members] = index[position]
    return out
