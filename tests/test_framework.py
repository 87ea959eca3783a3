"""The instrument as data: reading, structure, and every validation rule reported at once."""

import pandas as pd
import pytest

from smartcity_analysis.errors import FrameworkError
from smartcity_analysis.input.framework import (
    ASPECTS,
    default_framework,
    default_framework_path,
    framework_from_table,
    load_framework,
)


def table(rows, columns=("code", "parent", "weight", "direction", "min", "max", "aspect")):
    return pd.DataFrame([list(r) + [""] * (len(columns) - len(r)) for r in rows], columns=list(columns))


SMALL = [
    ("IDX", ""),
    ("D1", "IDX", "2"),
    ("D2", "IDX", "1"),
    ("i1", "D1", "1", "1", "1", "5", "Struktur"),
    ("i2", "D1", "1", "-1", "0", "100", "infrastruktur"),
    ("i3", "D2", "", "", "1", "5", "Suprastruktur"),
]


def test_small_tree_structure():
    fw = framework_from_table(table(SMALL))
    assert fw.root == "IDX"
    assert fw.indicators == ["i1", "i2", "i3"]
    assert fw.aggregates == ["IDX", "D1", "D2"]
    assert fw.children("D1") == ["i1", "i2"]
    assert fw.ancestors("i2") == ["D1", "IDX"]
    # Defaults: weight 1, direction 1; aspect spelled in any case.
    assert fw.table.at["i3", "weight"] == 1.0
    assert fw.table.at["i3", "direction"] == 1.0
    assert fw.table.at["i2", "aspect"] == "Infrastruktur"
    assert fw.table.at["i2", "direction"] == -1.0
    # Three levels: index, level 1, indicator.
    assert fw.table.at["D1", "level"] == "level 1"
    assert fw.table.at["i1", "level"] == "indicator"


def test_only_code_and_parent_required():
    fw = framework_from_table(pd.DataFrame({"code": ["R", "a", "b"], "parent": ["", "R", "R"]}))
    assert fw.indicators == ["a", "b"]
    assert fw.table["weight"].tolist() == [1.0, 1.0, 1.0]


def test_uneven_depth_is_allowed():
    fw = framework_from_table(table([("R", ""), ("A", "R"), ("a1", "A"), ("b", "R")]))
    assert set(fw.indicators) == {"a1", "b"}
    assert fw.table.at["b", "level"] == "indicator"


def test_every_problem_reported_at_once():
    rows = [
        ("R", ""),
        ("R2", ""),  # second root
        ("A", "R", "0"),  # weight not positive
        ("A", "R"),  # duplicate code
        ("x", "NOPE"),  # unknown parent
        ("y", "A", "abc"),  # weight not a number
        ("z", "A", "1", "2", "1", "5"),  # direction not 1/-1
        ("w", "A", "1", "1", "5", "5"),  # min >= max
        ("v", "A", "1", "1", "1", "5", "Budaya"),  # unknown aspect
    ]
    with pytest.raises(FrameworkError) as info:
        framework_from_table(table(rows), source="instrumen.csv")
    codes = info.value.codes
    for expected in ("SC206", "SC207", "SC202", "SC203", "SC209", "SC208", "SC210"):
        assert expected in codes, (expected, codes)
    assert codes.count("SC207") == 2
    text = info.value.format("en")
    assert "instrumen.csv, cell C4: weight '0' of 'A' is not a positive number" in text
    assert "instrumen.csv, cell C7: weight 'abc' of 'y' is not a positive number" in text
    assert "cell G10: aspect 'Budaya'" in text


def test_cycle_detected():
    rows = [("R", ""), ("A", "B"), ("B", "A"), ("c", "R")]
    with pytest.raises(FrameworkError) as info:
        framework_from_table(table(rows))
    assert "SC204" in info.value.codes
    assert "A -> B -> A" in info.value.format("en") or "B -> A -> B" in info.value.format("en")


def test_no_root():
    with pytest.raises(FrameworkError) as info:
        framework_from_table(table([("A", "B"), ("B", "A")]))
    assert "SC205" in info.value.codes


def test_missing_required_column():
    with pytest.raises(FrameworkError) as info:
        framework_from_table(pd.DataFrame({"code": ["a"]}))
    assert info.value.codes == ["SC201"]


def test_default_instrument_shape():
    fw = default_framework()
    assert fw.level_names == ("index", "dimension", "sub-dimension", "indicator")
    assert fw.dimensions == ["SG", "SB", "SE", "SL", "SS", "SV"]
    subs = fw.codes_at("sub-dimension")
    assert len(subs) == 18
    assert len(fw.indicators) >= 54
    lineage = fw.lineage
    for sub in subs:
        aspects = set(lineage.loc[lineage["sub_dimension"] == sub, "aspect"])
        assert aspects == set(ASPECTS), sub
    t = fw.table.loc[fw.indicators]
    assert (t["min"] == 1).all() and (t["max"] == 5).all()
    for column in ("name_id", "name_en", "question_id", "question_en"):
        assert t[column].notna().all(), column
    assert "illustrative" in fw.version
    assert "illustrative" in fw.metadata["note"].lower()


def test_csv_and_xlsx_read_the_same(tmp_path):
    fw = default_framework()
    xlsx = tmp_path / "instrumen.xlsx"
    with pd.ExcelWriter(xlsx) as writer:
        fw.to_frame().to_excel(writer, sheet_name="framework", index=False)
        pd.DataFrame({"key": ["version"], "value": ["my-2025"]}).to_excel(
            writer, sheet_name="about", index=False, header=False)
    from_xlsx = load_framework(xlsx)
    assert from_xlsx.version == "my-2025"
    assert from_xlsx.fingerprint() == fw.fingerprint()
    assert load_framework(default_framework_path()).fingerprint() == fw.fingerprint()


def test_semicolon_csv_with_decimal_comma_weights(tmp_path):
    path = tmp_path / "fw.csv"
    path.write_text("code;parent;weight\nR;;\nA;R;0,5\nB;R;1,5\n", encoding="cp1252")
    fw = load_framework(path)
    assert fw.table.loc[["A", "B"], "weight"].tolist() == [0.5, 1.5]
    assert fw.version.startswith("fw.csv#")


def test_codes_matched_forgivingly():
    fw = framework_from_table(table([("Root", ""), ("Dim-1", "root"), ("ind_1", "DIM-1")]))
    assert fw.table.at["ind_1", "parent"] == "Dim-1"
    assert fw.resolve_code(" ind-1 ") == "ind_1"
