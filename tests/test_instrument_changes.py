"""Instrument changes between cycles: renamed codes keep trends, dropped ones are set aside."""

import pytest

from smartcity_analysis.errors import SmartCityError
from smartcity_analysis.input.framework import default_framework
from smartcity_analysis.input.instrument_changes import load_changes
from smartcity_analysis.input.loading import load_answers

FW = default_framework()
NEW = "SL-MO-01"


def test_renamed_and_dropped_codes(tmp_path):
    changes = tmp_path / "instrument_changes.csv"
    changes.write_text(
        "cycle,change,old_code,new_code,note\n"
        f"2024,renamed,SL-BD-01,{NEW},Building -> Mobility\n"
        "2024,dropped,SG-XX-09,,\n"
        "2024,added,,SV-EN-03,\n"
    )
    table = tmp_path / "answers_2023.csv"
    table.write_text("region,indicator,value\nKota Solok,sl-bd-01,3\nKota Solok,SG-XX-09,4\n")
    resolved = load_changes(changes, FW)
    assert resolved.describe("en") == [f"2024: SL-BD-01 renamed -> {NEW}", "2024: SG-XX-09 dropped", "2024: SV-EN-03 added"]
    answers = load_answers(tmp_path / "answers_2023.csv", FW, code_changes=resolved)
    assert answers.table["indicator"].tolist() == [NEW]
    assert answers.table["value"].tolist() == [3.0]
    assert any("SG-XX-09" in n.format("en") for n in answers.notes)
    # Without the mapping the old codes are unknown.
    with pytest.raises(SmartCityError) as info:
        load_answers(tmp_path / "answers_2023.csv", FW)
    assert info.value.codes.count("SC302") == 2


def test_wide_header_with_old_code(tmp_path):
    changes = tmp_path / "c.csv"
    changes.write_text(f"cycle,change,old_code,new_code\n2024,renamed,SL-BD-01,{NEW}\n2024,dropped,SG-XX-09,\n")
    table = tmp_path / "wide_2023.csv"
    table.write_text("region,SL-BD-01,SG-XX-09\nKota Solok,4,2\n")
    answers = load_answers(table, FW, code_changes=load_changes(changes, FW))
    assert answers.table["indicator"].tolist() == [NEW]
    assert answers.table["value"].tolist() == [4.0]


def test_bad_change_rows_are_located(tmp_path):
    changes = tmp_path / "c.csv"
    changes.write_text("cycle,change,old_code,new_code\n2024,moved,A,B\n2024,renamed,A,NOT-A-CODE\n")
    with pytest.raises(SmartCityError) as info:
        load_changes(changes, FW)
    assert info.value.codes == ["SC401", "SC302"]
    assert "c.csv, row 3" in info.value.format("en")
