"""Saved frames are streamed into their .npz entry by entry: the same entries as numpy.savez."""

from __future__ import annotations

import zipfile

import numpy as np
import pandas as pd
import pytest

from smartcity_analysis import assessment
from smartcity_analysis.assessment import _load_frame, _NotStorable, _save_frame


def test_streamed_npz_holds_what_savez_would(tmp_path):
    arrays = {"a__values": np.arange(5.0), "b__codes": np.array([0, -1, 1], dtype=np.int32),
              "b__categories": np.asarray('["x", "y\\u0000"]'), "__columns__": np.asarray(["a", "b"])}
    np.savez(tmp_path / "ref.npz", **arrays)
    with assessment._NpzStream(tmp_path / "new.npz") as out:
        for name, value in arrays.items():
            out[name] = value
    ref, new = zipfile.ZipFile(tmp_path / "ref.npz"), zipfile.ZipFile(tmp_path / "new.npz")
    assert [i.filename for i in ref.infolist()] == [i.filename for i in new.infolist()]
    assert [i.compress_type for i in ref.infolist()] == [i.compress_type for i in new.infolist()]
    for info in ref.infolist():
        assert ref.read(info.filename) == new.read(info.filename)


def test_frame_round_trip_and_a_refused_frame_leaves_no_file(tmp_path):
    frame = pd.DataFrame({"x": [1.5, np.nan], "n": pd.array([1, None], dtype="Int64"),
                          "t": ["a", None], "c": pd.Categorical(["u", "v"]), "f": [True, False]})
    _save_frame(frame, tmp_path / "f.npz", strict=True)
    pd.testing.assert_frame_equal(_load_frame(tmp_path / "f.npz"), frame)
    with pytest.raises(_NotStorable):
        _save_frame(pd.DataFrame({"ok": [1.0, 2.0], "bad": [object(), 1]}), tmp_path / "bad.npz", strict=True)
    assert not (tmp_path / "bad.npz").exists()
