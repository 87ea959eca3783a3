"""Uncertainty and sensitivity: Monte Carlo weights, method choices, respondent bootstrap."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity_analysis import cli
from smartcity_analysis.analysis.sensitivity import (
    _combine,
    _respondent_pool,
    bootstrap_respondents,
    method_uncertainty,
    noisy_weights,
    rank_regions,
    weight_uncertainty,
    write_sensitivity,
)
from smartcity_analysis.errors import OptionError
from smartcity_analysis.input.framework import framework_from_table
from smartcity_analysis.model.aggregate import Tree, WeightSampleAggregator, aggregate_tree
from smartcity_analysis.model.scoring import ScoringOptions, combine_respondents, score

LEVELS = {"levels": "index, dimension, indicator"}


def two_dimensions():
    """Index -> D1, D2 -> one indicator each (0-100): the dimension weights decide everything."""
    return framework_from_table(pd.DataFrame({
        "code": ["IDX", "D1", "D2", "I1", "I2"],
        "parent": ["", "IDX", "IDX", "D1", "D2"],
        "min": ["", "", "", 0, 0],
        "max": ["", "", "", 100, 100],
    }), metadata=LEVELS)


def two_by_two():
    """Index -> D1, D2 -> two indicators each (0-100)."""
    return framework_from_table(pd.DataFrame({
        "code": ["IDX", "D1", "D2", "I11", "I12", "I21", "I22"],
        "parent": ["", "IDX", "IDX", "D1", "D1", "D2", "D2"],
        "weight": [1, 2, 1, 1, 3, 1, 1],
        "min": ["", "", "", 0, 0, 0, 0],
        "max": ["", "", "", 100, 100, 100, 100],
    }), metadata=LEVELS)


def tidy(values: dict[str, dict[str, float]], cycle: int = 2024, respondent: str = "Diskominfo") -> pd.DataFrame:
    """``{region: {indicator: value}}`` as a tidy answers table."""
    rows = [(cycle, r, respondent, i, v) for r, answers in values.items() for i, v in answers.items()]
    return pd.DataFrame(rows, columns=["cycle", "region", "respondent", "indicator", "value"])


@pytest.fixture
def hand_case():
    """A = (70, 40) -> 55, B = (50, 58) -> 54, C = (10, 30) -> 20."""
    fw = two_dimensions()
    answers = tidy({"A": {"I1": 70, "I2": 40}, "B": {"I1": 50, "I2": 58}, "C": {"I1": 10, "I2": 30}})
    return score(answers, fw)


def random_answers(fw, n_regions=8, n_respondents=4, seed=0, cycles=(2024,), missing=0.0):
    rng = np.random.default_rng(seed)
    rows = []
    for cycle in cycles:
        for r in range(n_regions):
            level = rng.uniform(20, 80)
            for p in range(n_respondents):
                for i in fw.indicators:
                    v = float(np.clip(level + rng.normal(0, 15), 0, 100).round())
                    rows.append((cycle, f"Kota {r}", f"OPD {p}", i, np.nan if rng.random() < missing else v))
    return pd.DataFrame(rows, columns=["cycle", "region", "respondent", "indicator", "value"])


# --- noisy weights -----------------------------------------------------------------------------


def test_noisy_weights_stay_within_their_band_per_level():
    fw = two_by_two()
    w = fw.table["weight"].to_numpy()
    samples = noisy_weights(fw, {"indicator": 0.1, "dimension": 0.3}, n_samples=2000, seed=1)
    assert samples.shape == (2000, len(Tree.from_framework(fw).codes))
    factor = fw.table["level"].map({"indicator": 0.1, "dimension": 0.3, "index": 0.0}).to_numpy()
    assert (samples >= w * (1 - factor) - 1e-12).all()
    assert (samples <= w * (1 + factor) + 1e-12).all()
    assert (samples > 0).all()
    assert np.allclose(samples[:, 0], w[0])  # the index's level was not named: unchanged
    # The band is used: some draws come close to both edges.
    rel = samples[:, 1] / w[1] - 1
    assert rel.min() < -0.28 and rel.max() > 0.28


def test_noisy_weights_seeded_and_depth_keys():
    fw = two_by_two()
    a = noisy_weights(fw, 0.25, 50, seed=7)
    assert np.array_equal(a, noisy_weights(fw, 0.25, 50, seed=7))
    assert not np.array_equal(a, noisy_weights(fw, 0.25, 50, seed=8))
    by_depth = noisy_weights(fw, {1: 0.2, 2: 0.2}, 50, seed=7)
    by_name = noisy_weights(fw, {"dimension": 0.2, "indicator": 0.2}, 50, seed=7)
    assert np.array_equal(by_depth, by_name)


@pytest.mark.parametrize("noise", [1.0, -0.1, {"province": 0.2}, {9: 0.1}])
def test_noisy_weights_rejects_bad_noise(noise):
    with pytest.raises(OptionError):
        noisy_weights(two_by_two(), noise, 10)


# --- ranks -------------------------------------------------------------------------------------


def test_rank_ties_share_the_lowest_rank_and_nan_is_unranked():
    ranks = rank_regions(np.array([50.0, 70.0, 70.0, np.nan, 10.0]))
    np.testing.assert_array_equal(ranks, [3, 1, 1, np.nan, 4])
    batch = rank_regions(np.array([[1.0, 2.0, 3.0], [3.0, 3.0, 3.0], [5.0, 5.0 + 1e-13, 1.0]]))
    np.testing.assert_array_equal(batch, [[3, 2, 1], [1, 1, 1], [1, 1, 3]])
    assert np.isnan(rank_regions(np.full(3, np.nan))).all()


# --- the Monte Carlo kernel agrees with aggregate_tree -----------------------------------------


@pytest.mark.parametrize("method", ["arithmetic", "geometric"])
@pytest.mark.parametrize("missing,min_coverage", [("available", 0.0), ("available", 0.6), ("strict", 0.0)])
def test_sample_aggregator_equals_aggregate_tree(unbalanced_framework, method, missing, min_coverage):
    fw = unbalanced_framework
    tree = Tree.from_framework(fw)
    rng = np.random.default_rng(3)
    x = rng.uniform(1, 100, (40, len(fw.indicators)))
    x[rng.random(x.shape) < 0.2] = np.nan
    x[rng.random(x.shape) < 0.05] = 0.0
    weights = noisy_weights(fw, 0.4, 30, seed=2)
    expected, _ = aggregate_tree(x, tree, weights=weights, method=method, missing=missing,
                                 min_coverage=min_coverage)
    got = WeightSampleAggregator(x, tree, method=method, missing=missing, min_coverage=min_coverage)(
        weights, np.arange(len(tree.codes))).transpose(1, 2, 0)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-10)


# --- weight uncertainty ------------------------------------------------------------------------


def test_zero_noise_gives_the_nominal_ranks_in_every_sample(hand_case):
    result = weight_uncertainty(hand_case, n_samples=50, noise=0.0)
    t = result.table.set_index("region")
    assert t.loc[["A", "B", "C"], "nominal_rank"].tolist() == [1, 2, 3]
    np.testing.assert_allclose(t.loc[["A", "B", "C"], "nominal_score"], [55, 54, 20])
    for column in ("median_rank", "rank_q05", "rank_q95"):
        assert (t[column] == t["nominal_rank"]).all()
    np.testing.assert_allclose(t["score_q05"], t["nominal_score"], atol=1e-4)
    assert (t["mean_abs_shift"] == 0).all()
    assert (result.rank_samples == t.loc[result.regions, "nominal_rank"].to_numpy()).all()


def test_noise_spreads_the_close_pair_as_computed_by_hand(hand_case):
    # A beats B iff 20 w1 > 18 w2; with w = 1 + U(-0.25, 0.25) that happens with probability 11/16.
    result = weight_uncertainty(hand_case, n_samples=4000, noise=0.25, seed=5)
    t = result.table.set_index("region")
    assert (t["rank_q05"] <= t["nominal_rank"]).all() and (t["nominal_rank"] <= t["rank_q95"]).all()
    assert t.loc["A", "rank_q95"] == 2 and t.loc["B", "rank_q05"] == 1
    assert t.loc["C", "rank_q05"] == t.loc["C", "rank_q95"] == 3
    a = result.regions.index("A")
    share_first = (result.rank_samples[:, 0, a] == 1).mean()
    assert share_first == pytest.approx(11 / 16, abs=0.03)
    assert result.parameters["n_samples"] == 4000 and result.parameters["cycle"] == 2024


def test_a_dominant_region_is_first_in_every_sample():
    fw = two_by_two()
    answers = random_answers(fw, n_regions=7, n_respondents=1, seed=4)
    top = answers["region"] == "Kota 0"
    answers.loc[top, "value"] = answers.loc[~top, "value"].max() + 1  # best on every indicator
    answers["value"] = answers["value"].clip(upper=100)
    answers.loc[~top, "value"] = answers.loc[~top, "value"].clip(upper=99)
    scores = score(answers, fw)
    for result in (weight_uncertainty(scores, n_samples=300, noise=0.5, seed=1, level="dimension"),
                   method_uncertainty(scores, n_samples=50, noise=0.5, seed=1)):
        k = result.regions.index("Kota 0")
        assert (result.rank_samples[:, :, k] == 1).all()


@settings(max_examples=20, deadline=None)
@given(factor=st.floats(0.01, 100.0), seed=st.integers(0, 2**16))
def test_scaling_every_weight_leaves_the_rank_distribution_unchanged(factor, seed):
    fw = two_by_two()
    scores = score(random_answers(fw, n_regions=6, n_respondents=1, seed=11, missing=0.1), fw)
    scaled_fw = fw.with_weights(fw.table["weight"] * factor)
    scaled = score(random_answers(fw, n_regions=6, n_respondents=1, seed=11, missing=0.1), scaled_fw)
    a = weight_uncertainty(scores, n_samples=200, seed=seed, level="dimension")
    b = weight_uncertainty(scaled, n_samples=200, seed=seed, level="dimension")
    np.testing.assert_array_equal(a.rank_samples, b.rank_samples)
    ranks = ["nominal_rank", "median_rank", "rank_q05", "rank_q95", "ranked_share"]
    pd.testing.assert_frame_equal(a.table[ranks], b.table[ranks])


def test_weight_uncertainty_options_and_errors(hand_case):
    with pytest.raises(OptionError):
        weight_uncertainty(hand_case, n_samples=10, cycle=1999)
    with pytest.raises(OptionError):
        weight_uncertainty(hand_case, n_samples=10, level="province")
    by_depth = weight_uncertainty(hand_case, n_samples=20, level=1, chunk=3)
    by_name = weight_uncertainty(hand_case, n_samples=20, level="dimension")
    assert set(by_name.table["code"]) == {"D1", "D2"}
    pd.testing.assert_frame_equal(by_depth.table, by_name.table)  # chunking changes nothing


def test_unscored_region_is_unranked(hand_case):
    fw = two_dimensions()
    answers = tidy({"A": {"I1": 70, "I2": 40}, "B": {"I1": 50, "I2": 58}, "C": {"I1": 10, "I2": np.nan}})
    scores = score(answers, fw, min_coverage=0.9)
    t = weight_uncertainty(scores, n_samples=20).table.set_index("region")
    assert np.isnan(t.loc["C", "nominal_rank"]) and t.loc["C", "ranked_share"] == 0
    assert t.loc[["A", "B"], "ranked_share"].tolist() == [1.0, 1.0]


# --- method uncertainty ------------------------------------------------------------------------


def test_method_uncertainty_attributes_a_flip_to_the_aggregation():
    # A = (100, 0) beats B = (40, 40) when averaged (50 > 40) and loses under a geometric mean
    # (on 1-100: sqrt(100 x 1) = 10 < 40.6); C = (5, 5) is last either way (5.95).
    fw = two_dimensions()
    scores = score(tidy({"A": {"I1": 100, "I2": 0}, "B": {"I1": 40, "I2": 40}, "C": {"I1": 5, "I2": 5}}), fw)
    result = method_uncertainty(scores, include_weights=False, normalisations=("scale",),
                                aggregations=("arithmetic", "geometric"))
    t = result.table.set_index("region")
    assert t.loc[["A", "B", "C"], "nominal_rank"].tolist() == [1, 2, 3]
    # Two equally likely cells, ranks (1, 2) for A and (2, 1) for B; linear quantiles.
    assert t.loc[["A", "B", "C"], "median_rank"].tolist() == [1.5, 1.5, 3]
    assert t.loc["A", "rank_q95"] == pytest.approx(1.95) and t.loc["B", "rank_q05"] == pytest.approx(1.05)
    inputs = result.inputs.set_index("input")
    assert "weights" not in inputs.index
    assert inputs.loc["aggregation", "first_order"] == pytest.approx(1.0)
    assert inputs.loc["aggregation", "first_order_shift"] == pytest.approx(1.0)
    assert inputs.loc["aggregation", "mean_abs_shift"] == pytest.approx(1 / 3)
    assert inputs.loc["normalisation", "first_order"] == pytest.approx(0.0)
    assert inputs.loc["normalisation", "mean_abs_shift"] == 0


def test_method_uncertainty_with_weights_gives_shares_between_0_and_1():
    fw = two_by_two()
    scores = score(random_answers(fw, n_regions=12, n_respondents=2, seed=2), fw)
    result = method_uncertainty(scores, n_samples=100, seed=3)
    assert len(result.rank_samples) == 100 * 6
    inputs = result.inputs.set_index("input")
    assert list(inputs.index) == ["weights", "normalisation", "aggregation"]
    assert inputs["first_order"].between(0, 1).all()
    assert inputs["first_order_shift"].between(0, 1).all()
    assert (inputs["mean_abs_shift"] >= 0).all()
    t = result.table
    assert (t["rank_q05"] <= t["median_rank"]).all() and (t["median_rank"] <= t["rank_q95"]).all()
    assert result.parameters["normalisations"] == ["scale", "minmax", "rank"]


def test_method_uncertainty_rejects_zscore_with_geometric(hand_case):
    with pytest.raises(OptionError):
        method_uncertainty(hand_case, normalisations=("zscore",), aggregations=("geometric",))
    with pytest.raises(OptionError):
        method_uncertainty(hand_case, normalisations=("fancy",))


# --- respondent bootstrap ----------------------------------------------------------------------


def test_bootstrap_of_identical_respondents_has_zero_width():
    fw = two_by_two()
    one = random_answers(fw, n_regions=5, n_respondents=1, seed=6)
    answers = pd.concat([one.assign(respondent=name) for name in ("Bappeda", "Diskominfo", "Dinkes")])
    out = bootstrap_respondents(answers, fw, n_boot=50, level="dimension")
    assert set(out["code"]) == {"IDX", "D1", "D2"}
    np.testing.assert_allclose(out["ci_low"], out["score"])
    np.testing.assert_allclose(out["ci_high"], out["score"])
    assert (out["n_respondents"] == 3).all() and not out["single_respondent"].any()


def test_bootstrap_interval_contains_the_estimate_and_flags_single_respondents():
    fw = two_by_two()
    answers = random_answers(fw, n_regions=6, n_respondents=5, seed=8, cycles=(2023, 2024), missing=0.05)
    lonely = (answers["region"] == "Kota 5") & (answers["respondent"] != "OPD 0")
    answers = answers[~lonely]
    out = bootstrap_respondents(answers, fw, n_boot=300, seed=1)
    point = score(answers, fw).table()
    merged = out.merge(point, on=["cycle", "region", "code"], suffixes=("", "_scores"))
    np.testing.assert_allclose(merged["score"], merged["score_scores"])
    assert len(out) == 2 * 6 * 3
    assert ((out["ci_low"] <= out["score"] + 1e-9) & (out["score"] <= out["ci_high"] + 1e-9)).all()
    assert (out["ci_high"] > out["ci_low"]).sum() >= 30
    alone = out[out["region"] == "Kota 5"]
    assert alone["single_respondent"].all() and (alone["n_respondents"] == 1).all()
    np.testing.assert_allclose(alone["ci_low"], alone["ci_high"])
    only_2024 = bootstrap_respondents(answers, fw, n_boot=20, cycle=2024, level="index")
    assert set(only_2024["cycle"]) == {2024} and set(only_2024["code"]) == {"IDX"}
    assert only_2024.attrs["parameters"]["n_boot"] == 20


def test_bootstrap_resamples_only_units_with_several_respondents():
    fw = two_by_two()
    answers = random_answers(fw, n_regions=6, n_respondents=4, seed=11, missing=0.05)
    lonely = answers["region"].isin(["Kota 1", "Kota 4"]) & (answers["respondent"] != "OPD 0")
    mixed = answers[~lonely]
    out = bootstrap_respondents(mixed, fw, n_boot=60, seed=3)
    alone = out[out["single_respondent"]]
    assert set(alone["region"]) == {"Kota 1", "Kota 4"}
    # nothing to resample: the interval is the point score itself, its standard error 0
    assert (alone["ci_low"] == alone["score"]).all() and (alone["ci_high"] == alone["score"]).all()
    assert (alone["se"] == 0).all()
    parameters = out.attrs["parameters"]
    assert parameters["units_resampled"] == 4 and parameters["units_single_respondent"] == 2
    # the other units' intervals do not depend on which units are resampled
    full = bootstrap_respondents(answers, fw, n_boot=60, seed=3)
    others = ~out["region"].isin(["Kota 1", "Kota 4"])
    pd.testing.assert_frame_equal(out[others].reset_index(drop=True), full[others].reset_index(drop=True))
    # every unit answered by one respondent (every desa): no replicate is drawn at all
    single = bootstrap_respondents(answers[answers["respondent"] == "OPD 0"], fw, n_boot=1000)
    assert single.attrs["parameters"]["units_resampled"] == 0
    assert (single["ci_low"] == single["score"]).all() and (single["se"] == 0).all()


@pytest.mark.parametrize("how", ["mean", "median"])
def test_bootstrap_combines_respondents_as_scoring_does(how):
    fw = two_by_two()
    answers = random_answers(fw, n_regions=4, n_respondents=4, seed=9, missing=0.2)
    raw, _, _ = combine_respondents(answers, fw, how)
    pool, n_resp = _respondent_pool(answers, fw, raw.index)
    np.testing.assert_allclose(_combine(pool[None], how)[0], raw.to_numpy(), equal_nan=True)
    assert (n_resp == 4).all()


def test_bootstrap_with_relative_normalisation_and_median():
    fw = two_by_two()
    answers = random_answers(fw, n_regions=6, n_respondents=3, seed=10)
    options = ScoringOptions(normalise="minmax", respondents="median")
    out = bootstrap_respondents(answers, fw, options, n_boot=40)
    assert out[["ci_low", "ci_high"]].notna().all().all()
    assert ((out["ci_low"] >= -1e-9) & (out["ci_high"] <= 100 + 1e-9)).all()


# --- writing and the command line --------------------------------------------------------------


def test_write_sensitivity(tmp_path, hand_case):
    fw = two_dimensions()
    weights = weight_uncertainty(hand_case, n_samples=20)
    methods = method_uncertainty(hand_case, n_samples=10)
    boot = bootstrap_respondents(tidy({"A": {"I1": 70, "I2": 40}}), fw, n_boot=10)
    paths = write_sensitivity([weights, methods, boot], tmp_path, lang="en")
    assert [p.name for p in paths] == ["ranks_uncertainty.csv", "sensitivity_inputs.csv",
                                       "bootstrap_ci.csv", "sensitivity_recipe.json"]
    ranks = pd.read_csv(tmp_path / "ranks_uncertainty.csv")
    assert set(ranks["analysis"]) == {"weights", "methods"} and "name" in ranks.columns
    recipe = json.loads((tmp_path / "sensitivity_recipe.json").read_text())
    assert [r["analysis"] for r in recipe] == ["weights", "methods", "bootstrap"]


def test_cli_sensitivity(tmp_path, sample_raw, capsys):
    csv = sample_raw / "consolidated" / "smartcity_readiness_sample.csv"
    out = tmp_path / "out"
    code = cli.main(["--lang", "en", "sensitivity", str(csv), "--samples", "40", "--bootstrap", "20",
                     "--analyse-cycle", "2023", "-o", str(out)])
    assert code == 0
    printed = capsys.readouterr().out.split()
    assert {p.rsplit("/", 1)[-1] for p in printed} == {
        "ranks_uncertainty.csv", "sensitivity_inputs.csv", "bootstrap_ci.csv", "sensitivity_recipe.json"}
    ranks = pd.read_csv(out / "ranks_uncertainty.csv")
    assert set(ranks["cycle"]) == {2023} and ranks["region"].nunique() == 10
    boot = pd.read_csv(out / "bootstrap_ci.csv")
    assert set(boot["code"]) == {"SCI", "SG", "SB", "SE", "SL", "SS", "SV"}
    assert (boot["n_respondents"] >= 3).all()
    # Without --analyse-cycle: the latest cycle.
    assert cli.main(["sensitivity", str(csv), "--samples", "10", "-o", str(tmp_path / "latest")]) == 0
    assert set(pd.read_csv(tmp_path / "latest" / "ranks_uncertainty.csv")["cycle"]) == {2024}
