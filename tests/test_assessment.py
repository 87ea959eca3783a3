"""The assessment object: loaded and scored once, analyses cached, saved and opened again exactly."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import pandas as hpd

from smartcity_analysis import ScoringOptions, open_assessment
from smartcity_analysis.assessment import _load_frame, _save_frame
from smartcity_analysis.cli import main
from smartcity_analysis.errors import FileError, OptionError

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="module")
def sample():
    return open_assessment(RAW)


@pytest.fixture(scope="module")
def saved(sample, tmp_path_factory):
    return sample.save(tmp_path_factory.mktemp("saved") / "assessment")


def test_analyses_are_computed_once(sample):
    assert sample.gaps is sample.gaps
    assert sample.comparison is sample.comparison
    assert sample.weight_uncertainty(50) is sample.weight_uncertainty(50)
    assert sample.weight_uncertainty(50) is not sample.weight_uncertainty(60)


def test_saved_assessment_opens_to_the_same_numbers(sample, saved):
    again = open_assessment(saved)
    for stage in ("raw", "n_respondents", "normalised", "values", "coverage", "regions"):
        pd.testing.assert_frame_equal(getattr(sample.scores, stage), getattr(again.scores, stage))
    pd.testing.assert_frame_equal(sample.answers.table, again.answers.table)
    assert again.framework.fingerprint() == sample.framework.fingerprint()
    assert again.recipe() == sample.recipe()
    pd.testing.assert_frame_equal(sample.gaps.gaps, again.gaps.gaps)
    np.testing.assert_array_equal(sample.weight_uncertainty(40).rank_samples,
                                  again.weight_uncertainty(40).rank_samples)
    manifest = json.loads((saved / "assessment.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "smartcity_analysis.assessment" and manifest["format_version"] == 2


def _same(expected, got, where: str) -> None:
    """Equal to the last bit and dtype: frames, arrays, result dataclasses, plain values."""
    import dataclasses

    if isinstance(expected, pd.DataFrame):
        pd.testing.assert_frame_equal(expected, got, obj=where)
    elif isinstance(expected, np.ndarray):
        assert expected.dtype == got.dtype and np.array_equal(expected, got, equal_nan=True), where
    elif type(expected).__name__ == "Framework":
        assert got.fingerprint() == expected.fingerprint(), where
    elif dataclasses.is_dataclass(expected):
        assert type(got) is type(expected), where
        for f in dataclasses.fields(expected):
            _same(getattr(expected, f.name), getattr(got, f.name), f"{where}.{f.name}")
    else:
        assert got == expected, where


def test_saved_analyses_are_read_not_computed(tmp_path, monkeypatch):
    """What the run computed before saving (uncertainty, bootstrap, audit, Sobol) is opened as
    it was, to the last bit, and never computed again: the notebooks show the run's numbers."""
    from smartcity_analysis.analysis import audit, sensitivity, variance

    a = open_assessment(RAW)
    computed = {"weights": a.weight_uncertainty(30), "methods": a.method_uncertainty(12),
                "bootstrap": a.bootstrap(20), "audit": a.audit, "sobol": a.sobol(16)}
    folder = a.save(tmp_path / "saved")
    keys = [entry["key"][0] for entry in json.loads((folder / "assessment.json").read_text())["analyses"]]
    assert {"weights", "methods", "bootstrap", "audit", "sobol"} <= set(keys)

    def refuse(*args, **kwargs):
        raise AssertionError("recomputed an analysis the folder holds")

    for module, name in [(sensitivity, "weight_uncertainty"), (sensitivity, "method_uncertainty"),
                         (sensitivity, "bootstrap_respondents"), (audit, "run_audit"),
                         (variance, "choice_sensitivity")]:
        monkeypatch.setattr(module, name, refuse)
    again = open_assessment(folder)
    opened = {"weights": again.weight_uncertainty(30), "methods": again.method_uncertainty(12),
              "bootstrap": again.bootstrap(20), "audit": again.audit, "sobol": again.sobol(16)}
    for name, result in computed.items():
        _same(result, opened[name], name)
    assert callable(again.answer_source)  # the saved bootstrap did not read the answers
    with pytest.raises(AssertionError, match="recomputed"):  # other arguments: computed, not guessed
        again.weight_uncertainty(31)


def test_a_changed_analysis_file_is_refused(tmp_path):
    a = open_assessment(RAW)
    a.weight_uncertainty(20)
    folder = a.save(tmp_path / "saved")
    table = next((folder / "analyses").glob("*weights.table.npz"))
    table.write_bytes(table.read_bytes() + b"x")
    with pytest.raises(FileError, match="changed"):
        open_assessment(folder)


def test_an_unchanged_folder_is_read_once_per_process(saved):
    first = open_assessment(saved)
    assert open_assessment(saved) is first  # notebooks in one kernel share it, with its analyses
    assert open_assessment(str(saved)) is first


def test_a_changed_or_newer_folder_is_refused(sample, tmp_path):
    folder = sample.save(tmp_path / "a")
    (folder / "framework.csv").write_text("code,parent\n", encoding="utf-8")
    with pytest.raises(FileError, match="changed"):
        open_assessment(folder)
    folder = sample.save(tmp_path / "b")
    manifest = json.loads((folder / "assessment.json").read_text(encoding="utf-8"))
    manifest["format_version"] = 99
    (folder / "assessment.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(FileError, match="version 99"):
        open_assessment(folder)


def test_one_message_for_which_cycle_and_which_region(sample):
    assert sample.resolve_region("Kab. Pekalongan") == "Kabupaten Pekalongan"
    assert sample.resolve_cycle(2023) == 2023 and sample.resolve_cycle() == sample.cycle == 2024
    with pytest.raises(OptionError) as region:
        sample.resolve_region("Nowhere")
    with pytest.raises(OptionError) as cycle:
        sample.resolve_cycle(1999)
    assert region.value.codes == ["SC403"] and cycle.value.codes == ["SC402"]
    assert sample.at_cycle(2023).gaps.cycle == 2023


def test_a_variant_is_one_call(sample):
    minmax = sample.rescore(normalise="minmax")
    assert minmax.options.normalise == "minmax"
    assert not np.allclose(minmax.scores.values.to_numpy(dtype=float), sample.scores.values.to_numpy(dtype=float),
                           equal_nan=True)


def test_commands_read_a_saved_assessment(saved, tmp_path, capsys):
    assert main(["gaps", str(saved), "--region", "Kota Solok", "-o", str(tmp_path / "g")]) == 0
    assert "Kota Solok" in capsys.readouterr().out
    assert (tmp_path / "g" / "gaps.csv").is_file()


def test_scoring_options_travel_with_the_assessment(tmp_path):
    a = open_assessment(RAW, options=ScoringOptions(normalise="rank"))
    assert open_assessment(a.save(tmp_path / "r")).options.normalise == "rank"


@settings(max_examples=40, deadline=None)
@given(hpd.data_frames([
    hpd.column("number", dtype=float),
    hpd.column("count", elements=st.integers(-5, 5)),
    hpd.column("text", elements=st.one_of(st.none(), st.text(max_size=6))),
]))
def test_any_table_round_trips(frame):
    """Numbers, integers and text with blanks come back exactly (the answers' storage)."""
    import tempfile

    frame = frame.assign(text=frame["text"].astype("str").where(frame["text"].notna()),
                         category=pd.Categorical(frame["text"].fillna("-")))
    path = Path(tempfile.mkdtemp()) / "f.npz"
    _save_frame(frame, path)
    back = _load_frame(path)
    pd.testing.assert_frame_equal(back, frame.reset_index(drop=True), check_dtype=False)


def test_a_new_normaliser_is_one_registration():
    """Registered once, a method is accepted by the options and used by scoring and gaps."""
    from smartcity_analysis.model.normalise import NORMALISERS, Normaliser, n_minmax, register

    register(Normaliser("minmax_sqrt", lambda v, lo, hi, d, t: t[0] + np.sqrt(n_minmax(v, d, (0.0, 1.0))) * (t[1] - t[0]),
                        relative=True))
    try:
        a = open_assessment(RAW, options=ScoringOptions(normalise="minmax_sqrt"))
        values = a.scores.normalised.to_numpy(dtype=float)
        assert np.nanmin(values) >= 0 and np.nanmax(values) <= 100
        assert a.gaps.top(3, "Kota Solok")["index_points"].notna().all()
        gaps = a.with_targets("SG=80").gaps.gaps  # a 0-100 target reads on its scores
        assert (gaps.loc[gaps["code"] == "SG", "target"] == 80).all()
    finally:
        del NORMALISERS["minmax_sqrt"]


def test_released_answers_are_read_again_from_the_saved_copy(tmp_path):
    """After saving, the run lets the answers go (their memory is the notebook kernels'); a
    later reader gets the same table from the saved copy."""
    a = open_assessment(RAW)
    folder = a.save(tmp_path / "assessment")
    table, files = a.answers.table, a.answers.files
    a.release_answers(folder)
    assert callable(a.answer_source)  # nothing held: read on first use
    again = a.answers
    assert again.files == files
    pd.testing.assert_frame_equal(again.table.reset_index(drop=True), table.reset_index(drop=True),
                                  check_dtype=False, check_categorical=False)
    b = open_assessment(RAW)
    b.release_answers(tmp_path / "nowhere")  # no saved copy: the answers stay
    assert b.answers is b.answer_source
