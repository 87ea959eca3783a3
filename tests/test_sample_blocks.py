"""The Monte Carlo kernels' speed layouts change no number: unit blocks, sort kinds."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity_analysis.analysis import sensitivity
from smartcity_analysis.analysis.sensitivity import noisy_weights, rank_regions
from smartcity_analysis.model import aggregate
from smartcity_analysis.model.aggregate import Tree, WeightSampleAggregator


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31), n_units=st.integers(1, 90), block=st.sampled_from([16, 32, 48]),
       method=st.sampled_from(["arithmetic", "geometric"]),
       rule=st.sampled_from([("available", 0.0), ("available", 0.6), ("strict", 0.0)]))
def test_unit_blocks_change_no_bit(unbalanced_framework, seed, n_units, block, method, rule):
    fw = unbalanced_framework
    tree = Tree.from_framework(fw)
    rng = np.random.default_rng(seed)
    x = rng.uniform(1, 100, (n_units, len(fw.indicators)))
    x[rng.random(x.shape) < 0.2] = np.nan
    x[rng.random(x.shape) < 0.05] = 0.0
    weights = noisy_weights(fw, 0.4, 9, seed=seed % 1000)
    keep = np.arange(len(tree.codes))
    agg = WeightSampleAggregator(x, tree, method=method, missing=rule[0], min_coverage=rule[1])
    whole = agg(weights, keep)
    saved = aggregate.UNIT_BLOCK
    try:
        aggregate.UNIT_BLOCK = block
        blocked = agg(weights, keep)
    finally:
        aggregate.UNIT_BLOCK = saved
    assert whole.tobytes() == blocked.tobytes()


def test_unit_blocks_cover_every_unit_once_without_a_single_unit_block():
    for n in range(1, 80):
        blocks = aggregate.unit_blocks(n, 16)
        assert np.array_equal(np.concatenate([np.arange(n)[b] for b in blocks]), np.arange(n))
        assert all(b.start % 16 == 0 for b in blocks)
        assert len(blocks) == 1 or all(b.stop - b.start > 1 for b in blocks)


def _stable_ranks(scores, tolerance=sensitivity.RANK_TOLERANCE):
    """rank_regions as it was, with a stable sort."""
    x = np.asarray(scores, dtype=float)
    missing = np.isnan(x)
    key = np.where(missing, np.inf, -x)
    order = np.argsort(key, axis=-1, kind="stable")
    ordered = np.take_along_axis(key, order, axis=-1)
    n = ordered.shape[-1]
    starts = np.ones(ordered.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        starts[..., 1:] = np.diff(ordered, axis=-1) > tolerance
    first = np.maximum.accumulate(np.where(starts, np.arange(n), 0), axis=-1)
    ranks = np.empty(ordered.shape)
    np.put_along_axis(ranks, order, first + 1.0, axis=-1)
    ranks[missing] = np.nan
    return ranks


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31), shape=st.tuples(st.integers(1, 5), st.integers(1, 300)),
       levels=st.integers(1, 6))
def test_ranks_do_not_depend_on_the_sort(seed, shape, levels):
    rng = np.random.default_rng(seed)
    # few distinct values, near-ties within the tolerance, NaN and signed zeros: many ties
    x = rng.integers(0, levels, shape).astype(float) * 10.0
    x += rng.choice([0.0, 1e-12, 5e-10, -0.0], shape)
    x[rng.random(shape) < 0.1] = np.nan
    got = rank_regions(x)
    assert got.tobytes() == _stable_ranks(x).tobytes()


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31), n_regions=st.integers(2, 40), block=st.integers(2, 7),
       missing=st.sampled_from([0.0, 0.3]))
def test_rank_tables_summarised_by_region_blocks_are_the_same(unbalanced_framework, seed, n_regions, block,
                                                              missing):
    from smartcity_analysis.analysis.sensitivity import method_uncertainty, weight_uncertainty
    from smartcity_analysis.model.scoring import ScoringOptions, score

    fw = unbalanced_framework
    rng = np.random.default_rng(seed)
    rows = [(2024, f"R{r:02d}", "OPD", i, float(rng.integers(0, 101)))
            for r in range(n_regions) for i in fw.indicators if rng.random() >= missing]
    answers = pd.DataFrame(rows, columns=["cycle", "region", "respondent", "indicator", "value"])
    scores = score(answers, fw, ScoringOptions(min_coverage=0.5))

    def tables():
        w = weight_uncertainty(scores, n_samples=30, seed=seed % 97, level="dimension")
        m = method_uncertainty(scores, n_samples=5, seed=seed % 97)
        return w.table, m.table, m.inputs

    whole = tables()
    saved = sensitivity.REGION_BLOCK
    try:
        sensitivity.REGION_BLOCK = block
        blocked = tables()
    finally:
        sensitivity.REGION_BLOCK = saved
    for a, b in zip(whole, blocked, strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
