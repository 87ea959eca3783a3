"""The synthetic sample data in data/raw: consistent, varied, labelled, and reproducible."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from smartcity_analysis.input.loading import load_answers
from smartcity_analysis.input.regions import COHORT_2024

ROOT = Path(__file__).resolve().parents[1]
KEY = ["cycle", "region", "respondent", "indicator"]


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("make_sample_data", ROOT / "scripts" / "make_sample_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_sample_data", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def from_templates():
    return load_answers(ROOT / "data" / "raw" / "templates")


@pytest.fixture(scope="module")
def from_consolidated():
    return load_answers(ROOT / "data" / "raw" / "consolidated")


def _tidy(answers) -> pd.DataFrame:
    t = answers.table[[*KEY, "value"]].astype({"region": str, "indicator": str, "cycle": int})
    return t.sort_values(KEY).reset_index(drop=True)


def test_templates_and_consolidated_table_hold_the_same_answers(from_templates, from_consolidated):
    pd.testing.assert_frame_equal(_tidy(from_templates), _tidy(from_consolidated))
    for answers in (from_templates, from_consolidated):
        groups = answers.table.drop_duplicates("region").set_index("region")
        assert groups.loc["Kota Solok", "province"] == "Sumatera Barat"
        assert groups.loc["Kota Solok", "region_type"] == "kota"
        assert groups.loc["Kabupaten Serang", "province"] == "Banten"


def test_sample_covers_the_cohort(from_templates, framework):
    t = from_templates.table
    assert sorted(t["region"].unique()) == sorted(COHORT_2024)
    assert sorted(t["cycle"].unique()) == [2023, 2024]
    respondents = t.groupby(["cycle", "region"], observed=True)["respondent"].nunique()
    assert respondents.between(3, 4).all()
    assert t.groupby(["cycle", "region", "respondent"], observed=True).size().eq(
        len(framework.indicators)).all()
    blank = t["value"].isna().mean()
    assert 0.01 < blank < 0.06
    values = t["value"].dropna()
    assert values.between(1, 5).all()
    halves = (values % 1 == 0.5).mean()
    assert 0.02 < halves < 0.2 and ((values % 1 == 0) | (values % 1 == 0.5)).all()
    evidence = t["evidence"].dropna()
    assert 0.1 < len(evidence) / t["value"].notna().sum() < 0.6
    assert evidence.str.contains(r"\.go\.id/").any() and evidence.str.contains("Tahun").any()


def test_regions_differ_and_mostly_improve(from_templates, framework):
    t = from_templates.table.copy()
    direction = t["indicator"].astype(str).map(framework.table["direction"])
    t["better"] = t["value"].where(direction > 0, 6 - t["value"])
    t["dimension"] = t["indicator"].astype(str).map(framework.ancestor_at(1))
    by_cycle = t.pivot_table(index="region", columns="cycle", values="better", aggfunc="mean", observed=True)
    assert (by_cycle[2024] > by_cycle[2023]).sum() >= 7
    per_indicator = t.pivot_table(index="indicator", columns="cycle", values="better", aggfunc="mean", observed=True)
    assert (per_indicator[2024] < per_indicator[2023]).any()  # not uniformly better
    profile = t[t["cycle"] == 2024].pivot_table(index="region", columns="dimension", values="better",
                                                aggfunc="mean", observed=True)
    assert profile.loc["Kabupaten Gianyar", "SB"] - profile.loc["Kabupaten Gianyar", "SV"] > 0.8
    assert profile.idxmax(axis=1).nunique() >= 3
    assert by_cycle[2024].max() - by_cycle[2024].min() > 0.5


def test_data_are_labelled_synthetic(sample_raw):
    readme = (sample_raw / "README.md").read_text(encoding="utf-8")
    assert "data sintetis" in readme.lower() and "make_sample_data.py" in readme
    form = next((sample_raw / "templates" / "2024").glob("*.xlsx"))
    notes = [c.value for row in openpyxl.load_workbook(form)["Petunjuk"].iter_rows() for c in row
             if isinstance(c.value, str)]
    assert any("data sintetis" in n.lower() for n in notes)


def test_sample_is_small_with_ascii_names(sample_raw):
    files = [p for p in sample_raw.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 3_000_000
    forms = list((sample_raw / "templates").rglob("*.xlsx"))
    assert all(p.name.isascii() and "__" in p.name for p in forms)
    assert (sample_raw / "templates" / "2024" / "kabupaten-pekalongan__diskominfo.xlsx").exists()


def test_generator_reproduces_the_committed_files(generator, framework, sample_raw, tmp_path):
    records = generator.simulate(framework, np.random.default_rng(generator.SEED))
    csv_path = tmp_path / generator.CSV_NAME
    generator.write_consolidated(csv_path, records, framework)
    assert csv_path.read_bytes() == (sample_raw / "consolidated" / generator.CSV_NAME).read_bytes()
    record = next(r for r in records if r["region"] == "Kota Parepare" and r["cycle"] == 2024)
    name = f"kota-parepare__{generator.slug(record['respondent'])}.xlsx"
    generator.write_filled_form(tmp_path / name, record, framework, generator.NOTE.format(seed=generator.SEED))
    assert (tmp_path / name).read_bytes() == (sample_raw / "templates" / "2024" / name).read_bytes()
