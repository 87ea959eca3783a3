"""The fast CSV writer writes pandas' bytes (presentation.csv_tables)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartcity_analysis.model.selection import UNKNOWN_CYCLE
from smartcity_analysis.presentation import csv_tables
from smartcity_analysis.presentation.workbook import _unknown_cycle_blank, write_csv


def pandas_bytes(frame: pd.DataFrame) -> bytes:
    text = io.StringIO(newline="")
    frame.to_csv(text, index=False, float_format="%.10g", lineterminator="\n")
    return text.getvalue().encode("utf-8")


def test_hand_case(tmp_path):
    frame = pd.DataFrame({
        "cycle": pd.array([2024, UNKNOWN_CYCLE, None], dtype="Int64"),
        "region": pd.array(['Kota "A", Jawa', "", None], dtype="str"),
        "score": [1 / 3, -0.0, np.nan],
        "big": [1e300, np.inf, -np.inf],
        "n": [1, 2, 3],
        "ok": [True, False, True],
        "note": ["a\nb", None, "x"],
        "on_track": pd.array([True, None, False], dtype="boolean"),
    })
    path = write_csv(frame, tmp_path / "t.csv")
    expected = (
        "cycle,region,score,big,n,ok,note,on_track\n"
        '2024,"Kota ""A"", Jawa",0.3333333333,1e+300,1,True,"a\nb",True\n'
        ",,-0,inf,2,False,,\n"
        ",,,-inf,3,True,x,False\n"
    )
    assert path.read_bytes() == expected.encode()
    assert path.read_bytes() == pandas_bytes(_unknown_cycle_blank(frame))


@pytest.mark.parametrize("frame", [
    pd.DataFrame({"a": [1.5, np.nan]}),  # one column: pandas writes it
    pd.DataFrame({"a": [], "b": []}),
    pd.DataFrame({"a": pd.to_datetime(["2024-01-01", None]), "b": [1, 2]}),
    pd.DataFrame({"a": [1, 1.0, True, "1", None], "b": np.arange(5)}),  # mixed objects, equal values
    pd.DataFrame({"a": pd.Categorical([0.5, -0.0, 0.0, None]), "b": ["x,", "y", "", "z"]}),
    pd.DataFrame({"a": np.array([0.1, -0.0, 1e-7], dtype=np.float32), "b": [np.int8(1), 2, 3]}),
    pd.DataFrame({"a": ["x\x00y", "x"], "b": ["\x1f\x1e", ",\x1f\x1e\n"]}),
    pd.DataFrame({"a": pd.array([0.5, None], dtype="Float64"), "b": pd.array(["p", "q"], dtype="category")}),
])
def test_awkward_tables(frame):
    assert csv_tables.csv_bytes(frame) == pandas_bytes(frame)


def test_shared_and_unshared_strings():
    names = ["nama", "lain, juga", None]
    shared = [names[i % 3] for i in range(3000)]
    unshared = ["".join(["na", "ma"]) if i % 2 else None for i in range(3000)]
    frame = pd.DataFrame({"a": pd.array(shared, dtype="str"), "b": np.array(unshared, dtype=object),
                          "c": [float("nan")] * 3000})
    assert csv_tables.csv_bytes(frame) == pandas_bytes(frame)


def test_chunks_and_joined_columns(monkeypatch):
    monkeypatch.setattr(csv_tables, "ROW_CHUNK", 7)
    rng = np.random.default_rng(3)
    n = 100
    frame = pd.DataFrame({"code": rng.choice(["SG", "SB,x", '"q"'], n), "level": rng.integers(0, 3, n),
                          "score": rng.choice([0.5, -0.0, np.nan, 1 / 7], n), "id": np.arange(n)})
    assert csv_tables.csv_bytes(frame) == pandas_bytes(frame)


floats = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, np.nan, np.inf, -np.inf, 1e-300, 5e-324, 1e22, 123456789.123456789]),
)
texts = st.one_of(st.none(), st.text(alphabet=st.sampled_from(list('ab ,"\n\r\t;é\'') + ["\u00a0", "日"]),
                                     max_size=6))


@st.composite
def frames(draw):
    n = draw(st.integers(0, 30))
    columns = {}
    for j in range(draw(st.integers(2, 6))):
        kind = draw(st.sampled_from(["float", "int", "bool", "str", "object", "category", "Int64", "boolean",
                                     "cycle"]))
        if kind == "float":
            values = np.array(draw(st.lists(floats, min_size=n, max_size=n)), dtype=float)
        elif kind == "int":
            values = np.array(draw(st.lists(st.integers(-2**63, 2**63 - 1), min_size=n, max_size=n)),
                              dtype=np.int64)
        elif kind == "bool":
            values = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
        elif kind == "str":
            values = pd.array(draw(st.lists(texts, min_size=n, max_size=n)), dtype="str")
        elif kind == "object":
            values = np.array(draw(st.lists(st.one_of(texts, st.booleans(), st.integers(-5, 5), floats),
                                            min_size=n, max_size=n)) + [None], dtype=object)[:n]
        elif kind == "category":
            values = pd.Categorical(draw(st.lists(texts, min_size=n, max_size=n)))
        elif kind == "Int64":
            values = pd.array(draw(st.lists(st.one_of(st.none(), st.integers(-10**6, 10**6)), min_size=n,
                                            max_size=n)), dtype="Int64")
        elif kind == "boolean":
            values = pd.array(draw(st.lists(st.one_of(st.none(), st.booleans()), min_size=n, max_size=n)),
                              dtype="boolean")
        else:
            values = pd.array(draw(st.lists(st.sampled_from([2024, 2025, UNKNOWN_CYCLE, None]), min_size=n,
                                            max_size=n)), dtype="Int64")
            kind = "cycle"
        columns[kind if kind == "cycle" and "cycle" not in columns else f"{kind}_{j}"] = values
    return pd.DataFrame(columns)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames(), st.integers(1, 9))
def test_same_bytes_as_pandas(frame, chunk):
    frame = _unknown_cycle_blank(frame)
    old = csv_tables.ROW_CHUNK
    csv_tables.ROW_CHUNK = chunk
    try:
        assert csv_tables.csv_bytes(frame) == pandas_bytes(frame)
    finally:
        csv_tables.ROW_CHUNK = old


@given(st.lists(st.sampled_from(["a", "b", None, "c,d"]), max_size=40), st.sampled_from([object, "str"]))
def test_factorized_is_pandas_factorize(values, dtype):
    series = pd.Series([None if v is None else "".join(list(v)) for v in values] * 3, dtype=dtype)
    codes, uniques = pd.factorize(series, sort=False)
    ours_codes, ours_uniques = csv_tables.factorized(series)
    assert ours_codes.tolist() == codes.tolist() and list(ours_uniques) == list(uniques)


def test_strings_are_factorized_alike_by_identity_or_by_value(monkeypatch):
    """The address shortcut (CPython) and the by-value path (any other Python) agree."""
    from smartcity_analysis.presentation import csv_tables

    shared = ["Kota Solok", "Kabupaten Bangli"]
    values = np.array([shared[i % 2] for i in range(40)] + ["Kota " + "Solok", None, np.nan] * 3, dtype=object)
    fast = csv_tables._object_codes(values)
    monkeypatch.setattr(csv_tables, "_POINTER_ARRAYS", False)
    slow = csv_tables._object_codes(values)
    assert [fast[1][c] for c in fast[0]] == [slow[1][c] for c in slow[0]]
    frame = pd.DataFrame({"region": values, "score": np.arange(len(values), dtype=float)})
    assert csv_tables.factorized(frame["region"])[1].tolist() == pd.factorize(frame["region"])[1].tolist()
