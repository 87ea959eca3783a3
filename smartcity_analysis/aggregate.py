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

from dataclasses import dataclass

import numpy as np

from .framework import Framework

AGGREGATIONS = ("arithmetic", "geometric")
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
