"""Aggregation: level by level, each aggregate a weighted mean of the children present.

This is COINr's ``a_amean`` / ``a_gmean`` applied as ``Aggregate()`` does: the children of an
aggregate that are missing are left out and the weights renormalised over those present. On top
of COINr, ``min_coverage`` makes an aggregate missing when the children present carry less than
that share of the siblings' total weight, and ``missing="strict"`` makes any missing child fatal.

The work is a few matrix products per level (:class:`Tree` precomputes the structure), and the
weights may carry a leading batch axis, so that thousands of Monte Carlo weight sets are
aggregated in one call (see :mod:`.sensitivity`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..input.framework import Framework

AGGREGATIONS = ("arithmetic", "geometric")
#: Units aggregated at once by :class:`WeightSampleAggregator` (its working arrays stay in cache);
#: a multiple of 16 (see :func:`unit_blocks`).
UNIT_BLOCK = 2048
MISSING_RULES = ("available", "strict")


@dataclass(frozen=True)
class Tree:
    """The instrument as index arrays: ``codes`` in framework order, indicators first by position.

    ``steps`` lists, from the deepest aggregates up, ``(parents, children, parent_of_child)``:
    positions into ``codes`` of the aggregates computed at that step, of their children, and for
    each child the index of its parent within ``parents``.
    """

    codes: tuple[str, ...]
    indicator_positions: np.ndarray
    weights: np.ndarray
    steps: tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]

    @classmethod
    def from_framework(cls, framework: Framework) -> Tree:
        table = framework.table
        codes = tuple(table.index)
        position = {c: i for i, c in enumerate(codes)}
        height = _heights(framework)
        steps = []
        for h in sorted({height[c] for c in framework.aggregates}):
            parents = np.array([position[c] for c in framework.aggregates if height[c] == h])
            parent_index = {p: k for k, p in enumerate(parents)}
            children = np.array([position[c] for c in codes
                                 if isinstance(table.at[c, "parent"], str)
                                 and position[table.at[c, "parent"]] in parent_index])
            parent_of = np.array([parent_index[position[table.at[codes[c], "parent"]]] for c in children])
            steps.append((parents, children, parent_of))
        return cls(
            codes,
            np.array([position[c] for c in framework.indicators]),
            table["weight"].to_numpy(dtype=float),
            tuple(steps),
        )

    def position(self, code: str) -> int:
        return self.codes.index(code)


def _heights(framework: Framework) -> dict[str, int]:
    """Height above the leaves: indicators 0, an aggregate 1 + its highest child."""
    table = framework.table
    height = {c: 0 for c in framework.indicators}
    order = table.sort_values("depth", ascending=False).index
    for code in order:
        parent = table.at[code, "parent"]
        if isinstance(parent, str):
            height[parent] = max(height.get(parent, 0), height[code] + 1)
    return height


def aggregate_tree(
    indicator_scores: np.ndarray,
    tree: Tree,
    *,
    weights: np.ndarray | None = None,
    method: str = "arithmetic",
    missing: str = "available",
    min_coverage: float = 0.0,
    keep: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Scores and coverage of every code.

    Parameters
    ----------
    indicator_scores
        ``(units, indicators)`` in the order of ``tree.indicator_positions``; NaN for missing.
    weights
        ``(codes,)`` or ``(samples, codes)``; default the framework's weights.
    method, missing, min_coverage
        See the module docstring.
    keep
        Positions of the codes to return (all by default); the rest are computed but dropped,
        which keeps Monte Carlo memory small.

    Returns
    -------
    scores, coverage
        ``(units, codes)``, or ``(samples, units, codes)`` with batched weights; coverage is the
        share of the children's weight that was present (1 or 0 for indicators).
    """
    w = tree.weights if weights is None else np.asarray(weights, dtype=float)
    batched = w.ndim == 2
    w3 = w if batched else w[None, :]
    n_samples, n_units, n_codes = w3.shape[0], indicator_scores.shape[0], len(tree.codes)
    scores = np.full((n_samples, n_units, n_codes), np.nan)
    coverage = np.zeros((n_samples, n_units, n_codes))
    x = np.asarray(indicator_scores, dtype=float)
    scores[:, :, tree.indicator_positions] = x[None]
    coverage[:, :, tree.indicator_positions] = (~np.isnan(x))[None].astype(float)
    if method == "geometric" and np.nanmin(x, initial=np.inf) < 0:
        raise ValueError("geometric aggregation needs scores >= 0")
    for parents, children, parent_of in tree.steps:
        child = scores[:, :, children]  # (S, U, C)
        present = ~np.isnan(child)
        # Weight matrix per sample: (S, C, P), the child's weight in its parent's column.
        wmat = np.zeros((n_samples, len(children), len(parents)))
        wmat[:, np.arange(len(children)), parent_of] = w3[:, children]
        den = np.matmul(present.astype(float), wmat)
        total = wmat.sum(axis=1)[:, None, :]
        if method == "arithmetic":
            num = np.matmul(np.where(present, child, 0.0), wmat)
            with np.errstate(invalid="ignore", divide="ignore"):
                value = num / den
        elif method == "geometric":
            with np.errstate(divide="ignore", invalid="ignore"):
                logs = np.where(present, np.log(np.where(present, child, 1.0)), 0.0)
                zero = np.matmul((present & (child == 0)).astype(float), (wmat > 0).astype(float)) > 0
                value = np.exp(np.matmul(np.where(np.isinf(logs), 0.0, logs), wmat) / den)
            value = np.where(zero, 0.0, value)
        else:
            raise ValueError(f"unknown aggregation {method!r}")
        with np.errstate(invalid="ignore", divide="ignore"):
            cov = den / total
        value = np.where(den > 0, value, np.nan)
        if missing == "strict":
            value = np.where(np.isclose(cov, 1.0), value, np.nan)
        if min_coverage > 0:
            value = np.where(cov + 1e-12 >= min_coverage, value, np.nan)
        scores[:, :, parents] = value
        coverage[:, :, parents] = cov
    if keep is not None:
        scores, coverage = scores[:, :, keep], coverage[:, :, keep]
    if not batched:
        return scores[0], coverage[0]
    return scores, coverage


def effective_weights(framework: Framework, root: str | None = None) -> dict[str, float]:
    """Each indicator's share of ``root`` (default the index) when nothing is missing.

    The product, down the tree, of each node's weight over its siblings' total.
    """
    table = framework.table
    root = root or framework.root
    share = {root: 1.0}
    out = {}
    stack = [root]
    while stack:
        node = stack.pop()
        kids = framework.children(node)
        if not kids:
            out[node] = share[node]
            continue
        total = table.loc[kids, "weight"].sum()
        for k in kids:
            share[k] = share[node] * table.at[k, "weight"] / total
            stack.append(k)
    return out


# --- many weight sets at once (Monte Carlo)  --------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    """One level of aggregation, children padded to ``width`` per parent (pads have weight 0)."""

    parent_slots: np.ndarray  # rows of the store that receive this step's aggregates
    children: np.ndarray  # positions into tree.codes
    membership: np.ndarray  # (children, parents) one-hot
    indicator_weights: np.ndarray  # (parents, width) code positions of indicator children
    indicator_mask: np.ndarray  # (parents, width) 1 for a real child, 0 for a pad
    indicator_data: np.ndarray  # (parents, width, units): values, or logs (geometric), 0 if missing
    indicator_present: np.ndarray  # (parents, width, units): 1 where answered
    indicator_zero: np.ndarray  # (parents, units): some child is exactly 0 (geometric)
    aggregate_rows: np.ndarray  # (parents, width) store rows of aggregate children (pad: NaN row)
    aggregate_weights: np.ndarray  # (parents, width) their code positions
    aggregate_mask: np.ndarray  # (parents, width)


class WeightSampleAggregator:
    """:func:`~.aggregate.aggregate_tree` for one indicator matrix under many weight sets.

    Same rules as ``aggregate_tree`` (children missing are left out and the weights
    renormalised; ``missing="strict"`` and ``min_coverage`` as there), laid out for speed:
    arrays are ``(codes, samples, units)``, the children of each parent are padded to a common
    width so that indicators, whose values do not change between samples, are aggregated by
    one batched matrix product ``(parents, samples, width) @ (parents, width, units)``, and
    only the aggregates are kept per sample. Weights must be positive.
    """

    def __init__(self, indicator_scores: np.ndarray, tree: Tree, *, method: str = "arithmetic",
                 missing: str = "available", min_coverage: float = 0.0) -> None:
        if method not in AGGREGATIONS:
            raise ValueError(f"unknown aggregation {method!r}")
        x = np.asarray(indicator_scores, dtype=float)
        if method == "geometric" and np.nanmin(x, initial=np.inf) < 0:
            raise ValueError("geometric aggregation needs scores >= 0")
        self.x, self.tree, self.method = x, tree, method
        self.missing, self.min_coverage = missing, float(min_coverage)
        n_units, n_codes = x.shape[0], len(tree.codes)
        present = ~np.isnan(x)
        data = _log_or_zero(x, present) if method == "geometric" else np.where(present, x, 0.0)
        zero = present & (x == 0)
        column = np.full(n_codes, -1)
        column[tree.indicator_positions] = np.arange(len(tree.indicator_positions))
        parents_all = np.concatenate([p for p, _, _ in tree.steps]) if tree.steps else np.array([], int)
        self.slot = np.full(n_codes, -1)
        self.slot[parents_all] = np.arange(len(parents_all))
        self.n_units, self.n_aggregates = n_units, len(parents_all)
        self.steps = []
        for parents, children, parent_of in tree.steps:
            membership = np.zeros((len(children), len(parents)))
            membership[np.arange(len(children)), parent_of] = 1.0
            is_indicator = column[children] >= 0
            ind_pos, ind_mask = _pad_groups(children[is_indicator], parent_of[is_indicator], len(parents))
            agg_pos, agg_mask = _pad_groups(children[~is_indicator], parent_of[~is_indicator], len(parents))
            cols = column[ind_pos] * ind_mask  # pads read column 0 and are masked out
            mask3 = ind_mask[:, :, None].astype(bool)
            self.steps.append(_Step(
                parent_slots=self.slot[parents],
                children=children,
                membership=membership,
                indicator_weights=ind_pos,
                indicator_mask=ind_mask.astype(float),
                indicator_data=np.where(mask3, data.T[cols], 0.0),
                indicator_present=np.where(mask3, present.T[cols], False).astype(float),
                indicator_zero=np.where(mask3, zero.T[cols], False).any(axis=1),
                aggregate_rows=np.where(agg_mask, self.slot[agg_pos], self.n_aggregates),
                aggregate_weights=agg_pos,
                aggregate_mask=agg_mask.astype(float),
            ))

    def __call__(self, weights: np.ndarray, keep: Sequence[int]) -> np.ndarray:
        """Scores ``(len(keep), samples, units)`` of the codes at positions ``keep``."""
        w = np.atleast_2d(np.asarray(weights, dtype=float))
        if not (w > 0).all():
            raise ValueError("Monte Carlo weights must be positive")
        keep = np.asarray(keep, dtype=int)
        n_samples, n_units = w.shape[0], self.n_units
        kept_slots = self.slot[keep]
        needed = self._steps_needed(kept_slots)
        out = np.empty((len(keep), n_samples, n_units))
        # Every unit is aggregated on its own, so units are taken a block at a time: the working
        # arrays of a block stay in cache however many units there are (at 83,762 units one
        # sample's arrays are several MB, and the passes over them were bound by memory).
        for units in unit_blocks(n_units):
            store = self._aggregate_block(w, needed, units)
            for k, (pos, slot) in enumerate(zip(keep, kept_slots, strict=True)):
                if slot >= 0:
                    out[k, :, units] = store[slot]
                else:
                    out[k, :, units] = self.x[None, units, int(np.flatnonzero(self.tree.indicator_positions == pos)[0])]
        return out

    def _aggregate_block(self, w: np.ndarray, needed: int, units: slice) -> np.ndarray:
        """The aggregates ``(aggregates + 1, samples, block units)`` of the first ``needed`` steps."""
        n_samples = w.shape[0]
        n_units = len(range(self.n_units)[units])
        # One extra all-NaN row: the padded children read it.
        store = np.full((self.n_aggregates + 1, n_samples, n_units), np.nan)
        geometric = self.method == "geometric"
        for step in self.steps[:needed]:
            n_parents = len(step.parent_slots)
            shape = (n_parents, n_samples, n_units)
            num, den = np.zeros(shape), np.zeros(shape)
            zero = np.zeros(shape, dtype=bool)
            if step.indicator_weights.shape[1]:
                wi = w[:, step.indicator_weights] * step.indicator_mask  # (S, P, width)
                wi = wi.transpose(1, 0, 2)
                np.matmul(wi, step.indicator_data[:, :, units], out=num)
                np.matmul(wi, step.indicator_present[:, :, units], out=den)
                if geometric:
                    zero |= step.indicator_zero[:, None, units]
            if step.aggregate_rows.shape[1]:
                v = store[step.aggregate_rows]  # (P, width, S, U)
                present = ~np.isnan(v)
                wa = (w[:, step.aggregate_weights] * step.aggregate_mask).transpose(1, 2, 0)[..., None]
                data = _log_or_zero(v, present) if geometric else np.where(present, v, 0.0)
                num += np.einsum("pgsu,pgsu->psu", data, np.broadcast_to(wa, data.shape))
                den += np.einsum("pgsu,pgsu->psu", present, np.broadcast_to(wa, data.shape))
                if geometric:
                    zero |= (present & (v == 0)).any(axis=1)
            total = (w[:, step.children] @ step.membership).T[:, :, None]  # (P, S, 1)
            # coverage = den / total; aggregate_tree's tests on coverage, as tests on den
            threshold = np.maximum(self.min_coverage - 1e-12, 0.0) * total
            if self.missing == "strict":
                threshold = np.maximum(threshold, (1.0 - 1.001e-5) * total)  # np.isclose(cov, 1)
            invalid = (den <= 0) | (den < threshold)
            with np.errstate(invalid="ignore", divide="ignore"):
                np.divide(num, den, out=num)
            if geometric:
                np.exp(num, out=num)
                num[zero] = 0.0
            num[invalid] = np.nan
            store[step.parent_slots] = num
        return store

    def _steps_needed(self, kept_slots: np.ndarray) -> int:
        needed = 0
        for i, step in enumerate(self.steps):
            if np.isin(step.parent_slots, kept_slots).any():
                needed = i + 1
        return needed

    def chunk_size(self) -> int:
        """Samples per call that keep the working arrays near 4 MB (in cache: several times faster)."""
        widest = max((len(s.parent_slots) * max(1, s.aggregate_rows.shape[1]) for s in self.steps), default=1)
        return int(np.clip(4e6 / (8 * min(self.n_units, UNIT_BLOCK) * widest), 8, 2000))


def unit_blocks(n_units: int, block: int | None = None) -> list[slice]:
    """Consecutive blocks of ``block`` units (default :data:`UNIT_BLOCK`), a last single unit joined
    to the block before it.

    Each unit's products are then those of one product over all units, bit for bit: blocks start
    at multiples of the BLAS kernels' widths (``UNIT_BLOCK`` is a multiple of 16), so every column
    is computed by the same kernel as in one product, and a block is never a single column (a
    matrix-vector product, which rounds differently). One product over all units at 83,762 units
    was split between BLAS threads, whose results vary in the last bit with the thread count;
    blocks are small enough to run on one thread, so the result no longer depends on it.
    """
    block = UNIT_BLOCK if block is None else int(block)
    starts = list(range(0, n_units, block))
    if len(starts) > 1 and n_units - starts[-1] == 1:
        starts.pop()
    return [slice(a, b) for a, b in zip(starts, [*starts[1:], n_units], strict=True)]


def _pad_groups(children: np.ndarray, parent_of: np.ndarray, n_parents: int) -> tuple[np.ndarray, np.ndarray]:
    """Children grouped by parent, ``(parents, widest group)``, padded with 0 and a 0/1 mask."""
    counts = np.bincount(parent_of, minlength=n_parents) if len(children) else np.zeros(n_parents, int)
    width = int(counts.max(initial=0))
    positions = np.zeros((n_parents, width), dtype=int)
    mask = np.zeros((n_parents, width), dtype=bool)
    order = np.argsort(parent_of, kind="stable")
    rank_in_group = np.arange(len(children)) - np.repeat(np.cumsum(counts) - counts, counts)
    positions[parent_of[order], rank_in_group] = children[order]
    mask[parent_of[order], rank_in_group] = True
    return positions, mask


def _log_or_zero(values: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Logs of the present values, 0 elsewhere and for exact zeros (as aggregate_tree)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(present, np.log(np.where(present, values, 1.0)), 0.0)
    return np.where(np.isinf(logs), 0.0, logs)
