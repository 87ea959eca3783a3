"""Answers in: tidy and wide tables, typing habits, and every problem located at once."""

import string
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartcity_analysis.errors import SmartCityError
from smartcity_analysis.input.framework import default_framework, framework_from_table
from smartcity_analysis.input.loading import load_answers
from smartcity_analysis.input.readers import parse_numbers

FW = default_framework()
I1, I2, I3 = FW.indicators[:3]
CORPUS = Path(__file__).resolve().parent / "corpus"


def write(path, text, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)
    return path


def test_tidy_csv_minimal_columns(tmp_path):
    f = write(tmp_path / "answers_2024.csv", f"region,indicator,value\nKota Solok,{I1},3\nKota Solok,{I2},4\n")
    answers = load_answers(f)
    t = answers.table
    assert list(t.columns[:6]) == ["cycle", "region", "respondent", "indicator", "value", "evidence"]
    assert t["cycle"].tolist() == [2024, 2024]  # from the file name
    assert t["respondent"].isna().all() and t["evidence"].isna().all()
    assert t["value"].tolist() == [3.0, 4.0]
    assert t["region_type"].tolist() == ["kota", "kota"]


def test_cycle_option_when_no_year_anywhere(tmp_path):
    f = write(tmp_path / "answers.csv", f"region,indicator,value\nKota Solok,{I1},3\n")
    assert load_answers(f, cycle=2030).table["cycle"].tolist() == [2030]
    assert load_answers(f).table["cycle"].isna().all()


def test_typing_habits(tmp_path):
    text = (
        "DAERAH;Indikator;NILAI;Responden;Bukti Dukung\n"
        f"Kab. Pekalongan;{I1.lower()};3,5;Bappeda;Perbup No. 1\n"
        f"KABUPATEN PEKALONGAN; {I2} ; 4 ;Bappeda;\n"
        f"Kabupaten Pekalongan;{I3};-;Bappeda;\n"
        f"Kabupaten Pekalongan;{FW.indicators[3]};N/A;Bappeda;\n"
        f"Kabupaten Pekalongan;{FW.indicators[4]};tidak ada;Bappeda;\n"
        f"Kabupaten Pekalongan;{FW.indicators[5]};;Bappeda;\n"
    )
    f = write(tmp_path / "pekalongan_2024.csv", text, encoding="cp1252")
    t = load_answers(f).table
    assert set(t["region"]) == {"Kabupaten Pekalongan"}
    assert t["indicator"].tolist()[:2] == [I1, I2]
    np.testing.assert_array_equal(t["value"].to_numpy()[:2], [3.5, 4.0])
    assert t["value"].isna().sum() == 4
    assert t["evidence"].iloc[0] == "Perbup No. 1"


def test_utf8_bom_and_header_rows_above(tmp_path):
    text = "\ufeffRekap penilaian kesiapan\n\nsiklus,region,indicator,value\n2023,Kota Banjar," + I1 + ",2\n"
    f = write(tmp_path / "x.csv", text)
    t = load_answers(f).table
    assert t["cycle"].tolist() == [2023] and t["value"].tolist() == [2.0]
    assert t["source_row"].tolist() == [4]


def test_wide_table_keeps_group_columns(tmp_path):
    text = f"cycle,region,respondent,Provinsi,{I1},{I2.lower()}\n2024,Kota Solok,A,Sumatera Barat,3,4\n2024,Kota Solok,B,Sumatera Barat,5,\n"
    t = load_answers(write(tmp_path / "wide.csv", text)).table
    assert len(t) == 4
    assert t["province"].unique().tolist() == ["Sumatera Barat"]
    assert t.loc[t["respondent"] == "B", "value"].tolist()[0] == 5.0


def test_tidy_xlsx(tmp_path):
    path = tmp_path / "tidy.xlsx"
    pd.DataFrame({"Region": ["Kota Solok"] * 2, "Indicator": [I1, I2], "Value": [3, "4,5"],
                  "Cycle": [2024, 2024]}).to_excel(path, index=False, sheet_name="Data")
    t = load_answers(path).table
    assert t["value"].tolist() == [3.0, 4.5]
    assert t["source_sheet"].astype(str).tolist() == ["Data", "Data"]


def test_every_problem_located(tmp_path):
    text = (
        "region,indicator,value,respondent\n"
        f"Kota Solok,{I1},3,A\n"          # row 2 fine
        f"Kota Solok,{I2},'3,5x',A\n"     # row 3 text
        f"Kota Solok,XX-99,3,A\n"          # row 4 unknown code
        f"Kota Solok,{I3},7,A\n"           # row 5 out of range
        f"Kota Solok,{I1},2,A\n"           # row 6 duplicate of row 2
        f",{I2},2,B\n"                     # row 7 blank region
    ).replace("'3,5x'", '"3,5x"')
    f = write(tmp_path / "bad.csv", text)
    with pytest.raises(SmartCityError) as info:
        load_answers(f)
    lines = info.value.format("en").splitlines()
    assert "bad.csv, cell C3: '3,5x' is not a number from 1 to 5 [SC303]" in lines
    assert "bad.csv, cell B4: indicator code 'XX-99' is unknown [SC302]" in lines
    assert "bad.csv, cell C5: 7 is outside the range 1 to 5 [SC304]" in lines
    assert any(line.startswith("bad.csv, cell C6: duplicate answer for Kota Solok") and "bad.csv!C2" in line
               for line in lines)
    assert "bad.csv, cell A7: region name is blank [SC307]" in lines
    assert len(lines) == 5
    # Indonesian by default.
    assert "sel C3: '3,5x' bukan angka dari 1 sampai 5" in info.value.format("id")


def test_missing_required_column_and_unreadable(tmp_path):
    f = write(tmp_path / "nohead.csv", "foo,bar\n1,2\n")
    with pytest.raises(SmartCityError) as info:
        load_answers(f)
    assert info.value.codes == ["SC310"]
    g = tmp_path / "broken.xlsx"
    g.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SmartCityError) as info:
        load_answers(g)
    assert info.value.codes == ["SC102"]
    assert "broken.xlsx" in info.value.format("en")


def test_folder_skips_stray_files_with_a_note(tmp_path):
    write(tmp_path / "a_2024.csv", f"region,indicator,value\nKota Solok,{I1},3\n")
    (tmp_path / "~$a_2024.xlsx").write_bytes(b"lock")
    (tmp_path / ".DS_Store").write_bytes(b"\x00")
    answers = load_answers(tmp_path)
    assert len(answers.table) == 1
    assert [n.code for n in answers.notes] == ["SC106", "SC106"]


def test_problems_from_several_files_together(tmp_path):
    write(tmp_path / "a_2024.csv", f"region,indicator,value\nKota Solok,{I1},9\n")
    write(tmp_path / "b_2024.csv", f"region,indicator,value\nKota Banjar,{I1},x\n")
    with pytest.raises(SmartCityError) as info:
        load_answers(tmp_path)
    assert {p.location.file for p in info.value.problems} == {"a_2024.csv", "b_2024.csv"}


def test_inputs_never_modified(tmp_path):
    f = write(tmp_path / "a_2024.csv", f"region,indicator,value\nKota Solok,{I1},3,5\n")
    before = f.read_bytes()
    try:
        load_answers(f)
    except SmartCityError:
        pass
    assert f.read_bytes() == before


def test_custom_framework_scale_and_summary(tmp_path):
    fw = framework_from_table(pd.DataFrame({
        "code": ["R", "pct", "days"], "parent": ["", "R", "R"],
        "min": ["", "0", "0"], "max": ["", "100", "30"], "direction": ["", "1", "-1"]}))
    f = write(tmp_path / "q_2024.csv", "region,indicator,value\nKota Solok,pct,\"85,5%\"\nKota Solok,days,12\n")
    answers = load_answers(f, fw)
    assert answers.table["value"].tolist() == [85.5, 12.0]
    assert answers.summary()["missing_share"] == 0.0
    assert answers.summary_line("en").startswith("OK: 1 regions, cycles 2024, 2 indicators")


@pytest.mark.parametrize(("typed", "expected"), [
    ("3,5", 3.5), (" 4 ", 4.0), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("80%", 80.0),
    ("-", np.nan), ("", np.nan), ("N/A", np.nan), ("tidak ada", np.nan), (3, 3.0),
])
def test_parse_numbers_habits(typed, expected):
    values, bad = parse_numbers(pd.Series([typed], dtype=object))
    assert not bad[0]
    np.testing.assert_equal(values[0], expected)


@pytest.mark.parametrize("typed", ["3,5x", "abc", "1..2", "inf", "nan?"])
def test_parse_numbers_rejects(typed):
    _, bad = parse_numbers(pd.Series([typed], dtype=object))
    assert bad[0]


cell_text = st.one_of(
    st.text(alphabet=string.printable + "àéíöü日本語ąč", max_size=12),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-10, 10).map(str),
    st.sampled_from(["3,5", "-", "N/A", "", " 4 ", "1.000,5", "tidak ada", "5%"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.tuples(cell_text, cell_text, cell_text), min_size=1, max_size=6))
def test_any_cell_content_loads_or_is_reported_cleanly(tmp_path, cells):
    import csv

    path = tmp_path / "fuzz_2024.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["region", "indicator", "value"])
        for region, _, value in cells:
            writer.writerow([region, I1, value])
    try:
        answers = load_answers(path)
    except SmartCityError as exc:
        for problem in exc.problems:
            assert problem.code.startswith("SC")
            assert problem.format("en")
    else:
        values = answers.table["value"].dropna()
        assert ((values >= 1) & (values <= 5)).all()


# --- folders: notes with problems, paths within the folder, copies, files that are not tables -------


def test_notes_travel_with_the_problems(tmp_path):
    write(tmp_path / "a_2024.csv", f"region,indicator,value\nKota Solok,{I1},9\n")
    (tmp_path / "~$a_2024.xlsx").write_bytes(b"lock")
    (tmp_path / "bukti.pdf").write_bytes(b"%PDF-1.4\n")
    with pytest.raises(SmartCityError) as info:
        load_answers(tmp_path)
    assert info.value.codes == ["SC304"]
    assert sorted(n.location.file for n in info.value.notes) == ["bukti.pdf", "~$a_2024.xlsx"]


def test_messages_name_the_path_within_the_folder(tmp_path):
    for folder, value in (("2023", "x"), ("2024", "y")):
        write(tmp_path / folder / "rekap.csv", f"region,indicator,value\nKota Solok,{I1},{value}\n")
    with pytest.raises(SmartCityError) as info:
        load_answers(tmp_path)
    assert sorted(p.location.file for p in info.value.problems) == ["2023/rekap.csv", "2024/rekap.csv"]
    assert info.value.format("en").startswith("2023/rekap.csv, cell C2: ")


def test_the_same_answers_in_two_files_are_one_problem(tmp_path):
    text = f"region,indicator,value\nKota Solok,{I1},3\nKota Solok,{I2},4\n"
    write(tmp_path / "a" / "jawaban_2024.csv", text)
    write(tmp_path / "b" / "jawaban_2024.csv", text)  # the same bytes
    write(tmp_path / "c" / "salinan_2024.csv", text.replace(",", ";"))  # the same answers, saved again
    with pytest.raises(SmartCityError) as info:
        load_answers(tmp_path)
    assert [(p.code, p.location.file, dict(p.params)["other"]) for p in info.value.problems] == [
        ("SC324", "b/jawaban_2024.csv", "a/jawaban_2024.csv"), ("SC324", "c/salinan_2024.csv", "a/jawaban_2024.csv")]
    assert "(2 jawaban)" in info.value.format("id")


def test_files_of_one_name_given_apart_are_told_apart(tmp_path):
    a = write(tmp_path / "x" / "rekap_2024.csv", f"region,indicator,value\nKota Solok,{I1},9\n")
    b = write(tmp_path / "y" / "rekap_2024.csv", f"region,indicator,value\nKota Banjar,{I1},9\n")
    with pytest.raises(SmartCityError) as info:
        load_answers([a, b])
    assert {p.location.file for p in info.value.problems} == {a.as_posix(), b.as_posix()}


def test_text_notes_in_a_folder_are_skipped_with_a_note(tmp_path):
    write(tmp_path / "jawaban_2024.csv", f"region,indicator,value\nKota Solok,{I1},3\n")
    write(tmp_path / "catatan.txt", "Jawaban Bappeda dikirim tanggal 3 Mei.\nBukti menyusul.\n")
    (tmp_path / "laporan.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    answers = load_answers(tmp_path)
    assert len(answers.table) == 1
    assert sorted(n.location.file for n in answers.notes) == ["catatan.txt", "laporan.docx"]
    with pytest.raises(SmartCityError) as info:  # a .csv is meant to be a table: no header is a problem
        write(tmp_path / "catatan.csv", "Jawaban Bappeda dikirim tanggal 3 Mei.\n")
        load_answers(tmp_path)
    assert info.value.codes == ["SC310"]


def test_oversized_files_are_refused_quickly(tmp_path, monkeypatch):
    import time

    from smartcity_analysis.input import readers

    monkeypatch.setattr(readers, "MAX_TEXT_BYTES", 1000)
    big = write(tmp_path / "besar_2024.csv", "region,indicator,value\n" + f"Kota Solok,{I1},3\n" * 200)
    with pytest.raises(SmartCityError) as info:
        load_answers(big)
    assert info.value.codes == ["SC113"] and "besar_2024.csv" in info.value.format("en")
    start = time.perf_counter()
    with pytest.raises(SmartCityError) as info:
        load_answers(CORPUS / "zip_bomb.xlsx")
    assert info.value.codes == ["SC113"]
    with pytest.raises(SmartCityError) as info:
        load_answers(CORPUS / "million_rows.xlsx")
    assert info.value.codes == ["SC113"]
    assert time.perf_counter() - start < 20


def test_answers_table_columns_from_the_register(tmp_path):
    f = write(tmp_path / "a_2024.csv", f"Daerah,Provinsi,Kode Indikator,Nilai\nKab. Gianyar,Bali,{I1},3\n")
    t = load_answers(f).table
    assert list(t.columns[:9]) == ["cycle", "region", "respondent", "indicator", "value", "evidence",
                                   "region_code", "region_type", "province"]
    assert t.loc[0, ["region", "region_code", "region_type", "province"]].tolist() == [
        "Kabupaten Gianyar", "51.04", "kabupaten", "Bali"]
