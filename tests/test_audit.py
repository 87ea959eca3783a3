"""Audit statistics (smartcity_analysis.analysis.audit) and Sobol indices (.sobol).

The reference tables are COINr 1.1.14 on its ASEM example (``shared/reference/coinr_asem``):
the normalisation and aggregation that feed the audit are recomputed here, checked against
COINr's aggregated data set first, then every audit table is compared to 1e-6.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from smartcity_analysis.analysis.audit import (
    cronbach_alpha,
    impute,
    indicator_pairs,
    indicator_statistics,
    kurtosis,
    parent_correlations,
    pc1_variance_share,
    reliability,
    screen_units,
    skewness,
    treat_outliers,
)
from smartcity_analysis.analysis.sobol import saltelli_design, sobol_indices

TOL = 1e-6


def _reference_dir() -> Path | None:
    here = Path(__file__).resolve()
    for base in (here.parents[2], here.parents[1].parent):
        candidate = base / "shared" / "reference" / "coinr_asem"
        if candidate.is_dir():
            return candidate
    return None


REFERENCE = _reference_dir()
needs_reference = pytest.mark.skipif(REFERENCE is None, reason="COINr ASEM reference absent")


# ---------------------------------------------------------------------------------------------
# The ASEM case, built the COINr way in the test itself
# ---------------------------------------------------------------------------------------------


def _minmax(raw: pd.DataFrame, direction: pd.Series) -> pd.DataFrame:
    """COINr ``n_minmax`` (0-100) after flipping direction -1 indicators."""
    x = raw * direction[raw.columns]
    return (x - x.min()) / (x.max() - x.min()) * 100


def _aggregate(norm: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """Weighted arithmetic means of the children present, level by level (COINr ``a_amean``)."""
    values = norm.copy()
    aggregates = meta[meta["Type"] == "Aggregate"]
    for level in sorted(aggregates["Level"].unique()):
        for code in aggregates.loc[aggregates["Level"] == level, "iCode"]:
            kids = meta[meta["Parent"] == code]
            x = values[kids["iCode"].tolist()].to_numpy()
            w = np.where(np.isnan(x), 0.0, kids["Weight"].to_numpy()[None, :])
            with np.errstate(invalid="ignore"):
                values[code] = np.nansum(x * w, axis=1) / w.sum(axis=1)
    return values


@pytest.fixture(scope="module")
def asem():
    if REFERENCE is None:
        pytest.skip("COINr ASEM reference absent")
    data = pd.read_csv(REFERENCE / "iData.csv").set_index("uCode")
    meta = pd.read_csv(REFERENCE / "iMeta.csv")
    meta = meta[meta["Type"].isin(["Indicator", "Aggregate"])].reset_index(drop=True)
    indicators = meta.loc[meta["Type"] == "Indicator", "iCode"].tolist()
    raw = data[indicators].astype(float)
    direction = meta.set_index("iCode")["Direction"]
    values = _aggregate(_minmax(raw, direction), meta)
    parents = {
        code: parent
        for code, parent in zip(meta["iCode"], meta["Parent"], strict=True)
        if isinstance(parent, str)
    }
    levels = dict(zip(meta["iCode"], meta["Level"].astype(int), strict=True))
    return {
        "raw": raw, "values": values, "meta": meta, "parents": parents,
        "indicators": indicators, "levels": levels,
    }


def _max_dev(ours: pd.Series, theirs: pd.Series) -> float:
    a, b = ours.to_numpy(dtype=float), theirs.to_numpy(dtype=float)
    assert np.array_equal(np.isnan(a), np.isnan(b))
    both = ~np.isnan(a)
    return float(np.max(np.abs(a[both] - b[both]), initial=0.0))


@needs_reference
def test_aggregates_match_coinr(asem):
    expected = pd.read_csv(REFERENCE / "expected_minmax_amean.csv").set_index("uCode")
    ours = asem["values"].loc[expected.index, expected.columns]
    dev = max(_max_dev(ours[c], expected[c]) for c in expected.columns)
    assert dev < TOL


@needs_reference
def test_indicator_statistics_match_coinr(asem):
    ref = pd.read_csv(REFERENCE / "audit" / "audit_stats.csv").set_index("iCode")
    ours = indicator_statistics(asem["raw"]).set_index("code").loc[ref.index]
    numeric = {
        "min": "Min", "max": "Max", "mean": "Mean", "median": "Median", "sd": "Std",
        "skew": "Skew", "kurtosis": "Kurt", "n_available": "N.Avail",
        "availability": "Frc.Avail", "share_nonzero": "Frc.NonZero",
        "share_unique": "Frc.Unique",
    }
    for ours_col, ref_col in numeric.items():
        # the reference is rounded to 12 significant figures: compare relative to the scale
        scale = np.maximum(1.0, ref[ref_col].abs().to_numpy())
        dev = np.abs(ours[ours_col].to_numpy(dtype=float) - ref[ref_col].to_numpy()) / scale
        assert dev.max() < TOL, ours_col
    flags = {
        "flag_availability": "Flag.Avail", "flag_nonzero": "Flag.NonZero",
        "flag_unique": "Flag.Unique", "flag_outlier": "Flag.SkewKurt",
    }
    for ours_col, ref_col in flags.items():
        assert ours[ours_col].dtype == bool
        assert (ours[ours_col] == (ref[ref_col] != "ok")).all(), ours_col


@needs_reference
def test_parent_correlations_match_coinr(asem):
    ref = pd.read_csv(REFERENCE / "audit" / "audit_corr_parent.csv")
    ours = parent_correlations(asem["values"], asem["parents"])
    merged = ref.merge(ours, on=["code", "parent"], suffixes=("_ref", ""), validate="1:1")
    assert len(merged) == len(ref) == len(ours)
    assert _max_dev(merged["pearson"], merged["pearson_ref"]) < TOL
    assert _max_dev(merged["spearman"], merged["spearman_ref"]) < TOL


@needs_reference
def test_reliability_matches_coinr(asem):
    alpha_ref = pd.read_csv(REFERENCE / "audit" / "audit_cronbach.csv")
    pca_ref = pd.read_csv(REFERENCE / "audit" / "audit_pca.csv")
    ours = reliability(asem["values"], asem["parents"], asem["indicators"])
    # the derived levels are COINr's, and passing them explicitly changes nothing
    given_levels = reliability(
        asem["values"], asem["parents"], asem["indicators"], levels=asem["levels"]
    )
    pd.testing.assert_frame_equal(ours, given_levels)
    merged = alpha_ref.merge(ours, on="code", suffixes=("_ref", ""), validate="1:1")
    assert len(merged) == len(alpha_ref) == len(ours)
    assert (merged["level"] == merged["level_ref"]).all()
    for col in ("alpha_indicators", "alpha_children"):
        assert _max_dev(merged[col], merged[f"{col}_ref"]) < TOL
    merged = pca_ref.merge(ours, on="code", suffixes=("_ref", ""), validate="1:1")
    assert _max_dev(merged["pc1_variance_share"], merged["pc1_variance_share_ref"]) < TOL
    assert (merged["n_complete"].astype(int) == merged["n_complete_rows"]).all()
    rest = ours[~ours["code"].isin(pca_ref["code"])]
    assert rest["pc1_variance_share"].isna().all() and rest["n_complete"].isna().all()


@needs_reference
def test_treat_outliers_on_asem(asem):
    treated, log = treat_outliers(asem["raw"])
    stats = indicator_statistics(asem["raw"]).set_index("code")
    log = log.set_index("code")
    # untouched exactly when COINr's check passes on the raw values
    passes_raw = (stats["skew"].abs() < 2) | (stats["kurtosis"] < 3.5)
    assert ((log["transform"] == "none") == passes_raw).all()
    # winsorised indicators pass, with at most 5 points moved, missing values kept
    win = log[log["transform"] == "winsorise"]
    assert len(win) and win["passes"].all()
    assert ((win["winsorised_low"] + win["winsorised_high"]).between(1, 5)).all()
    assert (treated.isna() == asem["raw"].isna()).all().all()
    for code in log.index[log["transform"] == "log_CT"]:
        x = asem["raw"][code]
        expected = np.log(x - x.min() + 0.01 * (x.max() - x.min()))
        assert np.allclose(treated[code], expected, equal_nan=True)


# ---------------------------------------------------------------------------------------------
# Hand-computed small cases
# ---------------------------------------------------------------------------------------------


def test_skew_and_kurtosis_by_hand():
    x = np.array([1.0, 2.0, 3.0, 10.0])
    # mean 4, deviations -3 -2 -1 6: sum d^2 = 50, sum d^3 = 180, sum d^4 = 1394
    g1 = math.sqrt(4) * 180 / 50**1.5
    assert skewness(x) == pytest.approx(g1 * math.sqrt(4 * 3) / 2, rel=1e-12)
    r = 4 * 1394 / 50**2
    assert kurtosis(x) == pytest.approx(((5) * (r - 3) + 6) * 3 / (2 * 1), rel=1e-12)
    # = 1.0182 * sqrt(12) / 2 and (5 * (2.2304 - 3) + 6) * 3 / 2 (Excel's SKEW and KURT)
    assert skewness(x) == pytest.approx(1.763633, abs=1e-6)
    assert kurtosis(x) == pytest.approx(3.228, abs=1e-12)
    assert math.isnan(skewness([1.0, 2.0])) and math.isnan(kurtosis([1.0, 2.0, 3.0]))
    assert math.isnan(skewness([5.0, 5.0, 5.0]))


def test_indicator_statistics_small_case():
    raw = pd.DataFrame({
        "a": [0.0, 0.0, 0.0, 1.0, np.nan],
        "b": [1.0, 2.0, 3.0, 10.0, np.nan],
    })
    out = indicator_statistics(raw).set_index("code")
    assert list(out.reset_index().columns) == [
        "code", "n_available", "availability", "min", "max", "mean", "median", "sd", "skew",
        "kurtosis", "share_nonzero", "share_unique", "flag_availability", "flag_nonzero",
        "flag_unique", "flag_outlier",
    ]
    a, b = out.loc["a"], out.loc["b"]
    assert a["n_available"] == 4 and a["availability"] == 0.8
    assert a["share_nonzero"] == 0.25 and a["share_unique"] == 0.5
    assert a["flag_nonzero"] and a["flag_unique"]  # 1 / 5 and 2 / 5 units
    assert b["mean"] == 4 and b["median"] == 2.5
    assert b["sd"] == pytest.approx(math.sqrt(50 / 3))
    assert not b["flag_outlier"]  # skew 1.78 < 2


def test_cronbach_alpha_by_hand():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [2.0, 1.0, 4.0, 3.0]})
    # var x = var y = 5/3, cov = 1: alpha = 4 * 1 / (5/3 + 5/3 + 2) = 0.75
    assert cronbach_alpha(frame) == pytest.approx(0.75, rel=1e-12)
    # the textbook form agrees
    k, cov = 2, frame.cov().to_numpy()
    assert cronbach_alpha(frame) == pytest.approx(k / (k - 1) * (1 - np.trace(cov) / cov.sum()))
    # pairwise complete: a missing value only drops that unit from the pairs it is in
    gappy = frame.copy()
    gappy.loc[0, "y"] = np.nan
    cov = gappy.cov().to_numpy()
    assert cronbach_alpha(gappy) == pytest.approx(4 * cov[0, 1] / cov.sum())
    assert math.isnan(cronbach_alpha(frame[["x"]]))


def test_pc1_share_by_hand():
    # two variables with correlation r: eigenvalues 1 + r, 1 - r, PC1 share (1 + r) / 2
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 7.0], "y": [2.0, 1.0, 4.0, 3.0, np.nan]})
    r = np.corrcoef(frame.dropna()["x"], frame.dropna()["y"])[0, 1]
    share, n = pc1_variance_share(frame)
    assert n == 4 and share == pytest.approx((1 + r) / 2, rel=1e-12)
    # three identical columns: one component carries everything
    same = pd.DataFrame({"a": [1.0, 3.0, 2.0], "b": [1.0, 3.0, 2.0], "c": [1.0, 3.0, 2.0]})
    assert pc1_variance_share(same)[0] == pytest.approx(1.0)


def test_reliability_small_tree():
    values = pd.DataFrame({
        "i1": [1.0, 2.0, 3.0, 4.0], "i2": [2.0, 1.0, 4.0, 3.0], "i3": [4.0, 3.0, 2.0, 1.0],
        "P": [1.5, 1.5, 3.5, 3.5], "Q": [4.0, 3.0, 2.0, 1.0], "Top": [2.75, 2.25, 2.75, 2.25],
    })
    parents = {"i1": "P", "i2": "P", "i3": "Q", "P": "Top", "Q": "Top"}
    out = reliability(values, parents, {"i1", "i2", "i3"}).set_index("code")
    assert out["level"].to_dict() == {"P": 2, "Q": 2, "Top": 3}
    assert out.loc["P", "alpha_children"] == pytest.approx(0.75)
    assert out.loc["P", "alpha_indicators"] == pytest.approx(0.75)
    assert math.isnan(out.loc["Q", "alpha_children"])  # a single child
    assert out.loc["Top", "alpha_indicators"] == pytest.approx(
        cronbach_alpha(values[["i1", "i2", "i3"]])
    )
    assert out.loc["Top", "alpha_children"] == pytest.approx(cronbach_alpha(values[["P", "Q"]]))
    assert out.loc["P", "n_complete"] == 4 and pd.isna(out.loc["Top", "n_complete"])
    assert math.isnan(out.loc["Top", "pc1_variance_share"])


def test_indicator_pairs_flags():
    values = pd.DataFrame({
        "a": [1.0, 2.0, 3.0, 4.0, 5.0],
        "b": [1.1, 2.0, 3.2, 3.9, 5.1],  # collinear with a
        "c": [5.0, 4.0, 3.0, 2.0, np.nan],  # negative with a and b
        "d": [1.0, 5.0, 2.0, 4.0, 3.0],
    })
    out = indicator_pairs(values, {"G": ["a", "b", "c"], "H": ["a", "d", "missing"]})
    assert list(out.columns) == ["group", "code_a", "code_b", "pearson", "spearman", "flag"]
    flags = {
        (g, a, b): None if pd.isna(f) else f
        for g, a, b, f in out[["group", "code_a", "code_b", "flag"]].itertuples(index=False)
    }
    assert flags == {
        ("G", "a", "b"): "collinear", ("G", "a", "c"): "negative",
        ("G", "b", "c"): "negative", ("H", "a", "d"): None,
    }
    row = out[(out["code_a"] == "a") & (out["code_b"] == "c")].iloc[0]
    assert row["pearson"] == pytest.approx(-1.0) and row["spearman"] == pytest.approx(-1.0)


def test_spearman_average_ranks_for_ties():
    values = pd.DataFrame({"x": [1.0, 2.0, 2.0, 3.0], "P": [1.0, 3.0, 2.0, 4.0]})
    out = parent_correlations(values, {"x": "P", "P": None, "absent": "P"})
    assert len(out) == 1
    # ranks x: 1, 2.5, 2.5, 4; ranks P: 1, 3, 2, 4
    expected = np.corrcoef([1, 2.5, 2.5, 4], [1, 3, 2, 4])[0, 1]
    assert out.loc[0, "spearman"] == pytest.approx(expected, rel=1e-12)


def test_treat_outliers_coinr_examples():
    # COINr's winsorise example: 1..10, 30, 100 -> 100 becomes 30, one point, then passes
    x = np.r_[np.arange(1.0, 11.0), 30.0, 100.0]
    treated, log = treat_outliers(pd.DataFrame({"x": x}))
    assert np.array_equal(treated["x"].to_numpy(), np.r_[np.arange(1.0, 11.0), 30.0, 30.0])
    assert log.to_dict("records") == [{
        "code": "x", "winsorised_low": 0, "winsorised_high": 1, "transform": "winsorise",
        "passes": True,
    }]
    # COINr's test: 1..20, 100, 200 with winmax 1 fails, so log_CT of the original values
    y = np.r_[np.arange(1.0, 21.0), 100.0, 200.0]
    treated, log = treat_outliers(pd.DataFrame({"y": y}), max_winsor=1)
    expected = np.log(y - y.min() + 0.01 * (y.max() - y.min()))
    assert np.allclose(treated["y"], expected)
    assert log.loc[0, "transform"] == "log_CT" and log.loc[0, "winsorised_high"] == 0
    # with the default winmax it is Winsorised instead (200 -> 100 -> 20 at both points)
    treated, log = treat_outliers(pd.DataFrame({"y": y}))
    assert log.loc[0, "transform"] == "winsorise" and log.loc[0, "winsorised_high"] == 2
    assert treated["y"].max() == 20.0
    # low outliers are Winsorised from the bottom; too few values -> untouched
    z = -x
    treated, log = treat_outliers(pd.DataFrame({"z": z, "few": [1.0, 100.0] + [np.nan] * 10}))
    assert treated["z"].min() == -30.0 and log.loc[0, "winsorised_low"] == 1
    assert log.loc[1, "transform"] == "none" and pd.isna(log.loc[1, "passes"])
    # Winsorising the one outlier leaves a constant (undefined skew): log_CT of the original
    spike = np.r_[np.ones(10), 100.0]
    treated, log = treat_outliers(pd.DataFrame({"s": spike}))
    assert log.loc[0, "transform"] == "log_CT"
    assert np.allclose(treated["s"], np.log(spike - 1 + 0.99))


def test_screen_units_and_impute():
    raw = pd.DataFrame(
        {"a": [1.0, np.nan, 3.0, 0.0], "b": [np.nan, np.nan, 1.0, 0.0], "c": [2.0, 5.0, 4.0, 1.0]},
        index=["u1", "u2", "u3", "u4"],
    )
    kept, table = screen_units(raw)
    assert list(kept.index) == ["u1", "u3", "u4"]  # u1: 2/3 >= 0.65, u2: 1/3
    assert table.loc["u2", "n_missing"] == 2 and table.loc["u2", "low_data"]
    assert table.loc["u4", "share_nonzero"] == pytest.approx(1 / 3)
    assert list(screen_units(raw, threshold=0.7)[0].index) == ["u3", "u4"]

    assert impute(raw, "none").equals(raw)
    assert impute(raw, "mean").loc["u2", "a"] == pytest.approx(4 / 3)
    assert impute(raw, "median").loc["u2", "a"] == 1.0
    groups = pd.Series({"u1": "g", "u2": "g", "u3": "h", "u4": "h"})
    filled = impute(raw, "group_mean", groups)
    assert filled.loc["u2", "a"] == 1.0  # mean of group g
    assert filled.loc["u1", "b"] == 0.5 and filled.loc["u2", "b"] == 0.5  # g has no b: overall
    assert not filled.isna().any().any() and raw.isna().sum().sum() == 3  # input untouched
    with pytest.raises(ValueError):
        impute(raw, "group_mean")


# ---------------------------------------------------------------------------------------------
# Sobol indices
# ---------------------------------------------------------------------------------------------


def _ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_saltelli_design_layout():
    n, d = 6, 3
    x = saltelli_design(n, d, np.random.default_rng(3))
    assert x.shape == (n * (d + 2), d) and ((x >= 0) & (x < 1)).all()
    a, b = x[:n], x[n:2 * n]
    for i in range(d):
        expected = a.copy()
        expected[:, i] = b[:, i]
        assert np.array_equal(x[(2 + i) * n:(3 + i) * n], expected)
    assert np.array_equal(saltelli_design(n, d, 5), saltelli_design(n, d, 5))


def test_sobol_point_estimates_are_coinr_formulas():
    n, d = 50, 3
    x = saltelli_design(n, d, 0)
    y = _ishigami(x * 2 * np.pi - np.pi)
    out = sobol_indices(y, n, d)
    assert list(out.columns) == ["input", "si", "sti"]
    assert list(out["input"]) == ["V1", "V2", "V3"]
    y_a, y_b = y[:n], y[n:2 * n]
    v = np.var(np.r_[y_a, y_b], ddof=1)
    for i in range(d):
        y_ab = y[(2 + i) * n:(3 + i) * n]
        assert out.loc[i, "si"] == pytest.approx(np.mean(y_b * (y_ab - y_a)) / v, rel=1e-12)
        assert out.loc[i, "sti"] == pytest.approx(np.sum((y_a - y_ab) ** 2) / (2 * n * v),
                                                  rel=1e-12)


@pytest.mark.slow
def test_sobol_ishigami():
    n, d = 20_000, 3
    x = saltelli_design(n, d, np.random.default_rng(2024)) * 2 * np.pi - np.pi
    out = sobol_indices(_ishigami(x), n, d, n_boot=500, names=["x1", "x2", "x3"], seed=7)
    out = out.set_index("input")
    analytic_si = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
    analytic_st = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}
    slack = 0.01
    for name in out.index:
        row = out.loc[name]
        assert row["si_low"] <= row["si"] <= row["si_high"]
        assert row["sti_low"] <= row["sti"] <= row["sti_high"]
        assert row["si_low"] - slack <= analytic_si[name] <= row["si_high"] + slack
        assert row["sti_low"] - slack <= analytic_st[name] <= row["sti_high"] + slack
        assert row["si"] == pytest.approx(analytic_si[name], abs=0.03)
        assert row["sti"] == pytest.approx(analytic_st[name], abs=0.03)


@pytest.mark.parametrize("low", [0.0, -0.5])
def test_sobol_linear_function(low):
    # y = sum(c_i x_i), x_i ~ U(low, low + 1): Si = STi = c_i^2 / sum(c^2)
    c = np.array([1.0, 2.0, 3.0, 0.5])
    n, d = 8_000, c.size
    x = saltelli_design(n, d, 11) + low
    out = sobol_indices(x @ c, n, d, n_boot=200, seed=1)
    share = c**2 / np.sum(c**2)
    slack = 0.01
    assert ((out["si_low"] - slack <= share) & (share <= out["si_high"] + slack)).all()
    assert ((out["sti_low"] - slack <= share) & (share <= out["sti_high"] + slack)).all()
    assert np.allclose(out["sti"], share, atol=0.01)
    # Saltelli's first-order estimator is noisier when the output's mean is far from 0
    assert np.allclose(out["si"], share, atol=0.03 if low else 0.05)


def test_sobol_many_outputs_match_single_calls():
    n, d, m = 200, 3, 7
    x = saltelli_design(n, d, 4)
    y = np.column_stack([x @ np.arange(1.0, d + 1) * k + np.sin(x[:, 0] * k) for k in range(m)])
    frame = pd.DataFrame(y, columns=[f"r{k}" for k in range(m)])
    long = sobol_indices(frame, n, d, n_boot=100, seed=9, confidence=0.9)
    assert list(long.columns) == [
        "output", "input", "si", "sti", "si_low", "si_high", "sti_low", "sti_high",
    ]
    assert list(long["output"].unique()) == list(frame.columns)
    for k in (1, 4, 6):
        single = sobol_indices(y[:, k], n, d, n_boot=100, seed=9, confidence=0.9)
        part = long[long["output"] == f"r{k}"].drop(columns="output").reset_index(drop=True)
        pd.testing.assert_frame_equal(part, single, rtol=1e-10)
    # output 0 is constant in x (k = 0 gives y = 0): no variance, NaN indices
    assert long[long["output"] == "r0"][["si", "sti", "si_low"]].isna().all().all()


def test_sobol_bootstrap_chunking_does_not_change_results(monkeypatch):
    import smartcity_analysis.analysis.sobol as sobol

    n, d, m = 300, 2, 9
    x = saltelli_design(n, d, 8)
    y = np.column_stack([x[:, 0] * (k + 1) + x[:, 1] ** 2 for k in range(m)])
    whole = sobol_indices(y, n, d, n_boot=50, seed=3)
    monkeypatch.setattr(sobol, "_CHUNK_ELEMENTS", 120)  # 2 outputs and 1 resample... per block
    chunked = sobol_indices(y, n, d, n_boot=50, seed=3)
    pd.testing.assert_frame_equal(whole, chunked, rtol=1e-10)


def test_sobol_speed_514_outputs():
    n, d, m = 1_000, 5, 514
    y = np.random.default_rng(0).random((n * (d + 2), m))
    sobol_indices(y[:, :2], n, d, n_boot=10, seed=0)  # warm up BLAS threads
    start = time.perf_counter()
    out = sobol_indices(y, n, d, n_boot=1_000, seed=1)
    elapsed = time.perf_counter() - start
    assert out.shape == (m * d, 8)
    assert elapsed < 5.0, f"{elapsed:.2f} s"  # about 0.5 s; generous for loaded CI


def test_sobol_rejects_bad_shapes():
    with pytest.raises(ValueError):
        sobol_indices(np.zeros(10), 3, 2)
    with pytest.raises(ValueError):
        sobol_indices(np.zeros(12), 3, 2, names=["only one"])


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(
    column=arrays(np.float64, st.integers(3, 30), elements=finite),
    k=st.integers(2, 6),
)
def test_alpha_of_identical_columns_is_one(column, k):
    if np.ptp(column) < 1e-3 * max(1.0, np.abs(column).max()):
        return  # no (numerically meaningful) variance: alpha undefined
    frame = pd.DataFrame({f"c{j}": column for j in range(k)})
    assert cronbach_alpha(frame) == pytest.approx(1.0, rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    coefs=st.lists(st.floats(-5, 5, allow_nan=False), min_size=2, max_size=5),
    data=st.data(),
)
def test_ignored_input_has_zero_indices(coefs, data):
    d = len(coefs)
    ignored = data.draw(st.integers(0, d - 1))
    c = np.array(coefs)
    c[ignored] = 0.0
    if np.all(c == 0):
        c[(ignored + 1) % d] = 1.0
    n = 64
    x = saltelli_design(n, d, data.draw(st.integers(0, 2**32 - 1)))
    y = x @ c + 0.5 * np.sin(3 * x[:, (ignored + 1) % d])
    out = sobol_indices(y, n, d, n_boot=20, seed=0)
    row = out.iloc[ignored]
    for col in ("si", "sti", "si_low", "si_high", "sti_low", "sti_high"):
        assert abs(row[col]) < 1e-12


@settings(max_examples=40, deadline=None)
@given(
    frame=arrays(
        np.float64, st.tuples(st.integers(1, 25), st.integers(1, 4)),
        elements=st.one_of(finite, st.just(0.0), st.just(np.nan)),
    ),
    data=st.data(),
)
def test_indicator_statistics_ignores_row_order(frame, data):
    raw = pd.DataFrame(frame, columns=[f"i{j}" for j in range(frame.shape[1])])
    order = data.draw(st.permutations(range(len(raw))))
    shuffled = raw.iloc[list(order)].reset_index(drop=True)
    pd.testing.assert_frame_equal(indicator_statistics(raw), indicator_statistics(shuffled))


def test_sobol_centred_first_order_is_tighter_far_from_zero():
    # y = sum(c_i x_i) + 1000: the offset leaves every index alone in theory; COINr's (uncentred)
    # first-order estimate then scatters widely, the centred one does not; STi is unchanged
    c = np.array([1.0, 2.0, 3.0])
    n, d = 2_000, c.size
    x = saltelli_design(n, d, 21)
    y = x @ c + 1000.0
    raw = sobol_indices(y, n, d, n_boot=200, seed=4)
    centred = sobol_indices(y, n, d, n_boot=200, seed=4, centre=True)
    share = c**2 / np.sum(c**2)
    assert np.allclose(centred["si"], share, atol=0.03)
    assert np.allclose(centred["sti"], raw["sti"], rtol=1e-12)
    widths = [(t["si_high"] - t["si_low"]).to_numpy() for t in (centred, raw)]
    assert (widths[0] * 20 < widths[1]).all()
    # centring a centred output changes nothing: the default stays COINr's numbers
    y0 = y - y[:2 * n].mean()
    pd.testing.assert_frame_equal(sobol_indices(y0, n, d), sobol_indices(y, n, d, centre=True))
