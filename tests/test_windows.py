"""The analyst's Windows laptop: file names, open workbooks, refusing folders, Excel's CSVs.

Windows is simulated on Linux: a file or folder held open by Excel is one whose rename fails
(``os.replace`` monkeypatched to raise ``PermissionError``, or a real immutable folder where
``chattr +i`` works); Windows paths are checked with ``PureWindowsPath``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import warnings
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartcity_analysis import files
from smartcity_analysis.errors import FileError, Location, Problem, RunError
from smartcity_analysis.files import (
    atomic_write,
    check_readable,
    ensure_writable_folder,
    files_open_in,
    pending_original,
    pending_path,
    safe_filename,
    unique_filenames,
)
from smartcity_analysis.input.framework import default_framework
from smartcity_analysis.input.loading import load_answers
from smartcity_analysis.pipeline import staging
from smartcity_analysis.pipeline.staging import (
    finish,
    new_staging,
    recover_interrupted_swap,
    swap_in,
)

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
FW = default_framework()
I1, I2, I3 = FW.indicators[:3]
ONEDRIVE = PureWindowsPath(
    r"C:\Users\Siti Rahayu\OneDrive - Pemerintah Kabupaten Gunungkidul\Dokumen Bersama (Bappeda)"
    r"\Asesmen Kesiapan Smart City\Tahun Anggaran 2024 — Tahap Ⅱ\hasil")
WINDOWS_FORBIDDEN = set('<>:"/\\|?*')


def assert_valid_everywhere(name: str) -> None:
    """``name`` is one valid, non-reserved path component on Windows and on POSIX."""
    assert name and name not in (".", "..")
    assert not WINDOWS_FORBIDDEN & set(name)
    assert all(ord(ch) >= 32 and unicodedata.category(ch) != "Cs" for ch in name)
    assert name[-1] not in " ." and name[0] != " "
    windows = PureWindowsPath(name)
    assert windows.name == name and not windows.drive and not windows.root
    with warnings.catch_warnings():  # deprecated in Python 3.13, still the rule it states
        warnings.simplefilter("ignore", DeprecationWarning)
        assert not windows.is_reserved()
    assert name.partition(".")[0].rstrip(" ").upper() not in files.WINDOWS_RESERVED
    assert PurePosixPath(name).name == name
    assert len(name) <= 80 and len(name.encode("utf-8")) <= 200


# --- file names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Kabupaten Flores Timur", "Kabupaten Flores Timur"),
    ("Kota Pare/Pare", "Kota Pare-Pare"),
    ("Kota Parepare / Ümbrella: 2024?", "Kota Parepare - Ümbrella 2024"),
    ('Kab. "Bangli" <baru>*|x', "Kab. Bangli baru -x"),
    ("Kabupaten Sleman.", "Kabupaten Sleman"),
    ("  Kota\tBatu \n", "Kota Batu"),
    ("CON", "CON_"),
    ("nul.txt", "nul_.txt"),
    ("com1", "com1_"),
    ("LPT9 .xlsx", "LPT9_.xlsx"),
    ("COM¹", "COM¹_"),
    ("CONTOH", "CONTOH"),
    ("~$skor.xlsx", "$skor.xlsx"),
    ("...", "tanpa-nama"),
    ("", "tanpa-nama"),
    ("كوتا باندونغ", "كوتا باندونغ"),
    ("Kota\u202eexe.gpj", "Kotaexe.gpj"),  # a right-to-left override cannot disguise a name
])
def test_safe_filename_examples(text, expected):
    assert safe_filename(text) == expected
    assert_valid_everywhere(safe_filename(text))


def test_safe_filename_is_the_same_for_decomposed_accents_and_bounded():
    assert safe_filename("Kota Ba\u0301ndung") == safe_filename("Kota Bándung") == "Kota Bándung"
    long = safe_filename("Kabupaten " + "Kepulauan Siau Tagulandang Biaro " * 5)
    assert len(long) <= 80 and not long.endswith(" ")
    assert len(safe_filename("日本" * 200).encode("utf-8")) <= 200
    with pytest.raises(ValueError):
        safe_filename("x", max_length=3)


region_like = st.lists(
    st.one_of(st.sampled_from(["Kabupaten", "Kota", "Kab.", "Pare", "Ümbrella", "Sleman", "CON", "nul",
                               "com1", "/", "\\", ":", "?", "*", " ", ".", "-", "~", "\t", "\u0301",
                               "\u200b", "日本", "\x00", '"']),
              st.text(max_size=5)),
    max_size=12).map("".join)
any_text = st.one_of(st.text(), st.text(st.characters(exclude_categories=())), region_like)


@settings(max_examples=600, deadline=None)
@given(any_text)
def test_safe_filename_property(text):
    name = safe_filename(text)
    assert_valid_everywhere(name)
    assert safe_filename(name) == name  # idempotent
    assert safe_filename(text) == name  # deterministic
    if not any(unicodedata.category(ch) == "Cs" for ch in text):
        assert safe_filename(unicodedata.normalize("NFD", text)) == name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(any_text, min_size=1, max_size=8))
def test_safe_names_can_be_created_on_disk(tmp_path, texts):
    for name in unique_filenames(texts).values():
        path = tmp_path / name
        path.mkdir(exist_ok=True)
        assert path.is_dir() and path.name == name
        (path / f"{name}-05-radar.png").write_bytes(b"x")  # room left for the callers' suffixes


@settings(max_examples=300, deadline=None)
@given(st.lists(region_like, max_size=10), st.lists(region_like, max_size=5))
def test_unique_filenames_property(names, extra):
    mapping = unique_filenames(names)
    assert set(mapping) == set(names)
    assert len({v.casefold() for v in mapping.values()}) == len(mapping)  # distinct, ignoring case
    for name in mapping.values():
        assert_valid_everywhere(name)
    assert unique_filenames(list(reversed(names))) == mapping  # order does not matter
    # a name keeps its file name when the cohort grows by names that do not collide with it
    keys = {safe_filename(n).casefold() for n in names}
    unrelated = [n for n in extra if safe_filename(n).casefold() not in keys]
    grown = unique_filenames(names + unrelated)
    assert all(grown[n] == mapping[n] for n in names)


def test_unique_filenames_disambiguates_colliding_regions():
    names = unique_filenames(["Kota Pare/Pare", "Kota Pare-Pare", "Kota Solok", "KOTA SOLOK", "Kota Batu"])
    assert names["Kota Pare-Pare"] == "Kota Pare-Pare"  # needed no change: keeps its name
    assert names["Kota Pare/Pare"].startswith("Kota Pare-Pare-") and len(names["Kota Pare/Pare"]) == 21
    assert names["Kota Batu"] == "Kota Batu"
    assert names["KOTA SOLOK"].casefold() != names["Kota Solok"].casefold()
    # the same names in another cycle, with another cohort, give the same file names
    assert unique_filenames(["Kota Pare-Pare", "Kota Pare/Pare"]) == {
        k: names[k] for k in ("Kota Pare-Pare", "Kota Pare/Pare")}


def test_unique_filenames_accepts_another_naming_rule():
    from smartcity_analysis.presentation.charts.export import slug

    names = unique_filenames(["Kota Pare/Pare", "Kota Pare-Pare", "Kota Batu"], make=slug)
    assert names["Kota Batu"] == "kota-batu"
    assert len(set(names.values())) == 3


def test_file_names_are_stable_across_processes():
    texts = ["Kota Pare/Pare", "Kota Pare-Pare", "Kabupaten Sleman", "CON", "Ümbrella: 2024?"]
    code = ("import json, sys; from smartcity_analysis.files import unique_filenames; "
            f"print(json.dumps(unique_filenames({texts!r})))")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env=dict(os.environ, PYTHONHASHSEED=seed)).stdout for seed in ("1", "2")}
    assert len(outputs) == 1
    assert json.loads(outputs.pop()) == unique_filenames(texts)


# --- Windows paths -------------------------------------------------------------------------------


def test_pending_names_on_windows_paths():
    final = ONEDRIVE / "2024"
    assert pending_path(final) == ONEDRIVE / "2024 (baru)"
    assert pending_path(final, 2) == ONEDRIVE / "2024 (baru 2)"
    workbook = ONEDRIVE / "2024" / "smartcity_2024.xlsx"
    assert pending_path(workbook).name == "smartcity_2024 (baru).xlsx"
    assert pending_path(workbook).suffix == ".xlsx"  # Excel still opens it
    assert pending_path(workbook).drive == "C:"
    for path in (final, workbook):
        for number in (1, 2, 9):
            assert pending_original(pending_path(path, number)) == path
    assert pending_original(final) is None
    assert pending_original(ONEDRIVE / "Laporan (baru) final.xlsx") is None


def test_every_name_the_package_makes_is_valid_on_windows():
    for name in (".staging-12345-1717171717171", ".previous-2024", ".discard-2024-171717", "2024 (baru)",
                 "2024 (baru 9)", "smartcity_2024 (baru).xlsx", safe_filename("Kota Pare/Pare"),
                 f"{safe_filename('Kabupaten Kepulauan Siau Tagulandang Biaro')}-05-radar.png"):
        assert_valid_everywhere(name)
        path = ONEDRIVE / "2024" / name
        assert path.parent == ONEDRIVE / "2024" and path.name == name


def test_region_files_under_a_long_onedrive_folder():
    region = "Kabupaten Kepulauan Siau Tagulandang Biaro"
    path = ONEDRIVE / "2024" / "charts" / safe_filename(region) / f"{safe_filename(region)}-05-radar.png"
    assert path.parts[:2] == ("C:\\", "Users")
    assert path.parent.name == region
    assert path.is_relative_to(ONEDRIVE)
    assert str(path).startswith(str(ONEDRIVE) + "\\2024\\charts\\Kabupaten Kepulauan")


def test_messages_keep_windows_paths_as_the_user_typed_them():
    final = ONEDRIVE / "2024"
    problem = Problem.make("SC504", Location(str(final)), locked="'2024/smartcity_2024.xlsx'",
                           kept="2024 (baru)")
    line = problem.format("id")
    assert line.startswith(str(final) + ": ") and "\n" not in line
    assert "smartcity run --finish" in line and line.endswith("[SC504]")


def test_real_paths_with_spaces_non_ascii_and_long_onedrive_names(tmp_path):
    base = tmp_path.joinpath(*ONEDRIVE.parts[1:])  # the OneDrive folders, below tmp_path
    raw = ensure_writable_folder(base / "masukan ñ é 日本")
    (raw / "jawaban_2024.csv").write_text(f"region,indicator,value\nKota Solok,{I1},3\n", encoding="utf-8")
    assert load_answers(check_readable(raw)).table["value"].tolist() == [3.0]
    out = base / "hasil analisis"
    work = new_staging(out)
    with atomic_write(work / "tables" / "skor.csv", "w") as handle:
        handle.write("a\n")
    final = swap_in(work, out / "2024")
    assert (final / "tables" / "skor.csv").read_text(encoding="utf-8") == "a\n"


# --- single files --------------------------------------------------------------------------------


def refuse_replacing(monkeypatch, *locked: Path, only=None) -> None:
    """Make ``os.replace`` fail as Windows does while a program holds ``locked`` open: it can be
    neither moved nor replaced. ``only(src, dst)`` narrows the refusal further."""
    real = os.replace
    held = {Path(p) for p in locked}

    def replace(src, dst, *args, **kwargs):
        if (Path(src) in held or Path(dst) in held) and (only is None or only(Path(src), Path(dst))):
            raise PermissionError(13, "The process cannot access the file because it is being used "
                                      "by another process", str(src), None, str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_atomic_write_replaces_and_shares(tmp_path):
    target = tmp_path / "sub folder" / "skor.xlsx"
    with atomic_write(target) as handle:
        handle.write(b"one")
    with atomic_write(target, "w") as handle:
        handle.write("dua\r\n")
    assert target.read_bytes() == b"dua\r\n"  # text mode keeps the newlines given
    assert leftovers(target.parent) == []


def test_open_workbook_keeps_the_new_file_beside_it(tmp_path, monkeypatch):
    target = tmp_path / "skor.xlsx"
    target.write_bytes(b"old")
    refuse_replacing(monkeypatch, target)
    with pytest.raises(RunError) as info, atomic_write(target) as handle:
        handle.write(b"new")
    assert info.value.codes == ["SC503"]
    problem = info.value.problems[0]
    assert problem.location.file == str(target)
    assert "'skor (baru).xlsx'" in problem.message("id") and "Tutup" in problem.message("id")
    assert "is open in another program" in problem.message("en")
    assert target.read_bytes() == b"old"
    assert (tmp_path / "skor (baru).xlsx").read_bytes() == b"new"
    assert leftovers(tmp_path) == []  # no temporary file left behind
    monkeypatch.undo()  # Excel closed: the next write replaces the file and drops the copy
    with atomic_write(target) as handle:
        handle.write(b"newer")
    assert target.read_bytes() == b"newer"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["skor.xlsx"]


def test_open_kept_copy_too_goes_to_the_next_number(tmp_path, monkeypatch):
    target = tmp_path / "skor.xlsx"
    target.write_bytes(b"old")
    (tmp_path / "skor (baru).xlsx").write_bytes(b"first try")
    refuse_replacing(monkeypatch, target, tmp_path / "skor (baru).xlsx")
    with pytest.raises(RunError) as info, atomic_write(target) as handle:
        handle.write(b"new")
    assert "'skor (baru 2).xlsx'" in info.value.format("id")
    assert (tmp_path / "skor (baru 2).xlsx").read_bytes() == b"new"
    assert (tmp_path / "skor (baru).xlsx").read_bytes() == b"first try"


def test_writers_report_an_open_file_not_a_traceback(tmp_path, monkeypatch):
    import pandas as pd

    from smartcity_analysis.presentation.workbook import write_csv, write_workbook

    frame = pd.DataFrame({"region": ["Kota Solok"], "score": [3.5]})
    write_workbook({"sheet:scores": frame}, tmp_path / "skor.xlsx")
    refuse_replacing(monkeypatch, tmp_path / "skor.xlsx", tmp_path / "skor.csv")
    (tmp_path / "skor.csv").write_text("old\n", encoding="utf-8")
    for write, name in ((lambda p: write_workbook({"sheet:scores": frame}, p), "skor.xlsx"),
                        (lambda p: write_csv(frame, p), "skor.csv")):
        with pytest.raises(RunError) as info:
            write(tmp_path / name)
        assert info.value.codes == ["SC503"]
        assert pending_path(tmp_path / name).exists()


def test_score_command_with_its_workbook_open(tmp_path, monkeypatch, capsys):
    from smartcity_analysis.cli.main import main

    source = str(RAW / "consolidated" / "smartcity_readiness_sample.csv")
    assert main(["score", source, "-o", str(tmp_path)]) == 0
    before = (tmp_path / "scores.xlsx").read_bytes()
    capsys.readouterr()
    refuse_replacing(monkeypatch, tmp_path / "scores.xlsx")
    assert main(["--lang", "en", "score", source, "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(str(tmp_path / "scores.xlsx") + ": ")
    assert "'scores (baru).xlsx'" in err[0] and err[0].endswith("[SC503]")
    assert "Traceback" not in err[0]
    assert (tmp_path / "scores.xlsx").read_bytes() == before
    assert (tmp_path / "scores (baru).xlsx").stat().st_size > 0


def test_brief_refusals_are_retried(tmp_path, monkeypatch):
    """OneDrive and antivirus hold a new file for a moment: the rename is tried again."""
    monkeypatch.setattr(files, "RETRY_DELAYS", (0, 0))
    real, calls = os.replace, []

    def flaky(src, dst):
        calls.append(src)
        if len(calls) <= 2:
            raise PermissionError(13, "Access is denied")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with atomic_write(tmp_path / "x.csv", "w") as handle:
        handle.write("ok")
    assert (tmp_path / "x.csv").read_text() == "ok" and len(calls) == 3


# --- folders that refuse -------------------------------------------------------------------------


def test_unwritable_folder_is_a_located_problem(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(FileError) as info:
        ensure_writable_folder(tmp_path / "hasil")
    assert info.value.codes == ["SC114"]
    assert info.value.problems[0].location.file == str(tmp_path / "hasil")
    assert "Permission denied" in info.value.format("en")
    with pytest.raises(FileError) as info, atomic_write(tmp_path / "hasil" / "x.csv", "w") as handle:
        handle.write("x")
    assert info.value.codes == ["SC114"]


def test_folder_that_cannot_be_created(tmp_path, monkeypatch):
    (tmp_path / "hasil").write_text("a file, not a folder")
    with pytest.raises(FileError) as info:
        ensure_writable_folder(tmp_path / "hasil")
    assert info.value.codes == ["SC114"] and "a file already has this name" in info.value.format("en")
    with pytest.raises(FileError) as info:
        ensure_writable_folder(tmp_path / "hasil" / "2024")
    assert info.value.codes == ["SC114"]

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Access is denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(FileError) as info:
        new_staging(tmp_path / "baru")
    assert info.value.codes == ["SC114"] and "Access is denied" in info.value.format("en")


def test_read_only_output_folder_stops_before_any_work(tmp_path, monkeypatch):
    out = tmp_path / "hasil"
    out.mkdir()
    real = tempfile.mkstemp

    def read_only(*args, dir=None, **kwargs):
        if dir is not None and Path(dir) == out:
            raise PermissionError(13, "Permission denied")
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(FileError) as info:
        new_staging(out)
    assert info.value.codes == ["SC114"] and info.value.problems[0].location.file == str(out)
    assert list(out.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions that bind the user (root ignores them)")
def test_read_only_output_folder_by_permissions(tmp_path):  # pragma: no cover - root in CI
    out = tmp_path / "hasil"
    out.mkdir()
    out.chmod(0o555)
    try:
        with pytest.raises(FileError) as info:
            new_staging(out)
        assert info.value.codes == ["SC114"]
    finally:
        out.chmod(0o755)


def test_unreadable_input_is_a_located_problem(tmp_path, monkeypatch):
    with pytest.raises(FileError) as info:
        check_readable(tmp_path / "tidak ada")
    assert info.value.codes == ["SC101"]
    folder = tmp_path / "masukan"
    folder.mkdir()
    answers = folder / "jawaban.csv"
    answers.write_text("x")
    assert check_readable(folder) == folder and check_readable(answers) == answers

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "scandir", refuse)
    with pytest.raises(FileError) as info:
        check_readable(folder)
    assert info.value.codes == ["SC115"] and info.value.problems[0].location.file == str(folder)
    monkeypatch.undo()
    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(FileError) as info:
        check_readable(answers)
    assert info.value.codes == ["SC112"]


# --- the results folder --------------------------------------------------------------------------


def results(folder: Path, label: str) -> Path:
    """A finished run's folder: a workbook, a table and the manifest written last."""
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    (folder / "smartcity_2024.xlsx").write_bytes(f"workbook {label}".encode())
    (folder / "tables" / "scores.csv").write_text(f"scores {label}\n", encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps({"label": label}), encoding="utf-8")
    return folder


def contents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def open_in_excel(folder: Path, name: str = "smartcity_2024.xlsx") -> Path:
    """The owner file Excel writes beside a workbook it has open."""
    lock = folder / f"~${name}"
    lock.write_bytes(b"Siti Rahayu")
    return lock


def test_swap_installs_new_results(tmp_path):
    old = results(tmp_path / "2024", "old")
    new = results(new_staging(tmp_path), "new")
    assert swap_in(new, old) == old
    assert contents(old)["manifest.json"] == b'{"label": "new"}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024"]


def test_open_workbook_keeps_new_results_beside_the_previous(tmp_path, monkeypatch):
    final = results(tmp_path / "2024", "old")
    lock = open_in_excel(final)
    before = contents(final)
    work = results(new_staging(tmp_path), "new")
    new = contents(work)
    refuse_replacing(monkeypatch, final)
    with pytest.raises(RunError) as info:
        swap_in(work, final)
    assert info.value.codes == ["SC504"]
    line_id, line_en = info.value.format("id"), info.value.format("en")
    assert "\n" not in line_id and line_id.startswith(f"{final}: ")
    assert "'2024/smartcity_2024.xlsx'" in line_id and "'2024 (baru)'" in line_id
    assert "smartcity run --finish" in line_id and "jalankan ulang" in line_id
    assert "is open" in line_en and "kept whole in '2024 (baru)'" in line_en
    assert contents(final) == before  # the previous results are whole
    kept = tmp_path / "2024 (baru)"
    assert contents(kept) == new  # and so are the new ones
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024", "2024 (baru)"]

    recover_interrupted_swap(tmp_path)  # the next run's start leaves the kept folder alone
    new_staging(tmp_path)
    assert contents(kept) == new

    with pytest.raises(RunError) as info:  # still open: finish says so again, loses nothing
        finish(tmp_path)
    assert info.value.codes == ["SC504"] and contents(kept) == new

    monkeypatch.undo()  # Excel closed
    lock.unlink()
    assert finish(tmp_path) == [final]
    assert contents(final) == new
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".staging-")) == ["2024"]
    with pytest.raises(RunError) as info:
        finish(tmp_path)
    assert info.value.codes == ["SC505"]


def test_rerun_after_closing_excel_removes_the_kept_folder(tmp_path, monkeypatch):
    final = results(tmp_path / "2024", "old")
    refuse_replacing(monkeypatch, final)
    with pytest.raises(RunError) as info:
        swap_in(results(new_staging(tmp_path), "first"), final)
    assert "a file in '2024'" in info.value.format("en")  # no lock file: the folder is named
    monkeypatch.undo()
    swap_in(results(new_staging(tmp_path), "second"), final)
    assert contents(final)["manifest.json"] == b'{"label": "second"}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024"]


def test_kept_folder_open_too_goes_to_the_next_number_and_finish_takes_the_newest(tmp_path, monkeypatch):
    final = results(tmp_path / "2024", "old")
    refuse_replacing(monkeypatch, final)
    with pytest.raises(RunError):
        swap_in(results(new_staging(tmp_path), "first"), final)
    first = tmp_path / "2024 (baru)"
    os.utime(first / "manifest.json", (1_700_000_000, 1_700_000_000))
    monkeypatch.undo()
    refuse_replacing(monkeypatch, final, first)  # the analyst opened the kept workbook too
    with pytest.raises(RunError) as info:
        swap_in(results(new_staging(tmp_path), "second"), final)
    assert "'2024 (baru 2)'" in info.value.format("id")
    assert contents(first)["manifest.json"] == b'{"label": "first"}'
    monkeypatch.undo()
    assert finish(tmp_path) == [final]
    assert contents(final)["manifest.json"] == b'{"label": "second"}'
    assert not first.exists()  # older kept results go once newer ones are installed


def test_failed_second_rename_puts_the_previous_results_back(tmp_path, monkeypatch):
    final = results(tmp_path / "2024", "old")
    before = contents(final)
    work = results(new_staging(tmp_path), "new")
    refuse_replacing(monkeypatch, final, only=lambda src, dst: src == work)
    with pytest.raises(RunError) as info:
        swap_in(work, final)
    assert info.value.codes == ["SC504"]
    assert contents(final) == before
    assert contents(tmp_path / "2024 (baru)")["manifest.json"] == b'{"label": "new"}'
    assert not (tmp_path / ".previous-2024").exists()


def test_first_run_of_a_cycle_needs_no_previous_folder(tmp_path):
    final = swap_in(results(new_staging(tmp_path), "new"), tmp_path / "2025")
    assert contents(final)["manifest.json"] == b'{"label": "new"}'


def test_recover_restores_an_interrupted_swap_and_clears_dead_runs(tmp_path):
    backup = results(tmp_path / ".previous-2023", "2023")
    results(tmp_path / "2024", "2024")
    results(tmp_path / ".previous-2024", "stale")
    dead = tmp_path / ".staging-99999999-1"
    dead.mkdir()
    alive = tmp_path / f".staging-{os.getpid()}-1"
    alive.mkdir()
    kept = results(tmp_path / "2024 (baru)", "kept")
    (tmp_path / ".discard-2022-1").mkdir()
    recover_interrupted_swap(tmp_path)
    assert not backup.exists() and contents(tmp_path / "2023")["manifest.json"] == b'{"label": "2023"}'
    assert contents(tmp_path / "2024")["manifest.json"] == b'{"label": "2024"}'
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f".staging-{os.getpid()}-1", "2023", "2024", "2024 (baru)"]
    assert kept.exists()


def test_finish_ignores_folders_that_are_not_finished_results(tmp_path):
    (tmp_path / "2024 (baru)").mkdir()  # no manifest: not a finished run
    (tmp_path / "catatan (baru).txt").write_text("x")
    with pytest.raises(RunError) as info:
        finish(tmp_path)
    assert info.value.codes == ["SC505"] and info.value.problems[0].location.file == str(tmp_path)


def test_files_open_in_reads_office_and_libreoffice_lock_files(tmp_path):
    results(tmp_path, "x")
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "Kota Batu.pptx").write_bytes(b"deck")
    (tmp_path / "laporan.docx").write_bytes(b"doc")
    open_in_excel(tmp_path)
    (tmp_path / "decks" / "~$Kota Batu.pptx").write_bytes(b"x")
    (tmp_path / "~$poran.docx").write_bytes(b"x")  # Word drops the name's first two letters
    (tmp_path / "tables" / ".~lock.scores.csv#").write_bytes(b"x")
    assert [p.as_posix() for p in files_open_in(tmp_path)] == [
        "decks/Kota Batu.pptx", "laporan.docx", "smartcity_2024.xlsx", "tables/scores.csv"]


@pytest.fixture
def immutable():
    """Make a real folder impossible to rename (``chattr +i``), or skip where the machine cannot."""
    marked: list[Path] = []

    def mark(path: Path) -> Path:
        if shutil.which("chattr") is None:
            pytest.skip("chattr is not available")
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot make a folder immutable here: {done.stderr.decode().strip()}")
        marked.append(path)
        return path

    yield mark
    for path in marked:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def test_really_immutable_previous_folder(tmp_path, immutable):
    final = results(tmp_path / "2024", "old")
    before = contents(final)
    work = results(new_staging(tmp_path), "new")
    immutable(final)
    with pytest.raises(RunError) as info:
        swap_in(work, final)
    assert info.value.codes == ["SC504"]
    assert contents(final) == before
    assert contents(tmp_path / "2024 (baru)")["manifest.json"] == b'{"label": "new"}'
    subprocess.run(["chattr", "-i", str(final)], check=True)
    assert finish(tmp_path) == [final]
    assert contents(final)["manifest.json"] == b'{"label": "new"}'


def test_really_immutable_output_folder(tmp_path, immutable):
    out = tmp_path / "hasil"
    out.mkdir()
    immutable(out)
    with pytest.raises(FileError) as info:
        new_staging(out)
    assert info.value.codes == ["SC114"]


def test_staging_names_match_what_recover_expects(tmp_path):
    work = new_staging(tmp_path)
    assert work.name.startswith(staging.STAGING_PREFIX)
    assert work.name.removeprefix(staging.STAGING_PREFIX).split("-")[0] == str(os.getpid())
    recover_interrupted_swap(tmp_path)
    assert work.exists()  # this process is alive


# --- through the pipeline, once runner.py uses pipeline.staging ----------------------------------


def _runner_uses_staging() -> bool:
    from smartcity_analysis.pipeline import runner

    return getattr(runner, "swap_in", None) is swap_in


@pytest.mark.slow
@pytest.mark.skipif(not _runner_uses_staging(), reason="runner.py does not use pipeline.staging yet")
def test_run_with_last_cycles_workbook_open(tmp_path, monkeypatch, capsys):
    from smartcity_analysis.cli.main import main
    from smartcity_analysis.pipeline.runner import RunConfig, run

    def config() -> RunConfig:
        return RunConfig(raw=RAW, out=tmp_path, decks=False, notebooks=False, uncertainty_samples=200,
                         charts=False)

    final = run(config(), progress=lambda m: None)
    open_in_excel(final)
    before = contents(final)
    refuse_replacing(monkeypatch, final)
    with pytest.raises(RunError) as info:
        run(config(), progress=lambda m: None)
    assert info.value.codes == ["SC504"]
    assert contents(final) == before
    assert (tmp_path / "2024 (baru)" / "manifest.json").is_file()
    monkeypatch.undo()
    (final / "~$smartcity_2024.xlsx").unlink()
    capsys.readouterr()
    assert main(["run", "--out", str(tmp_path), "--finish"]) == 0
    assert not (tmp_path / "2024 (baru)").exists()
    assert (final / "manifest.json").is_file()


# --- Windows text files --------------------------------------------------------------------------


def excel_csv(path: Path, text: str, encoding: str, bom: bytes = b"") -> Path:
    """``text`` as Excel on Windows saves it: CRLF line ends, the given encoding and BOM."""
    path.write_bytes(bom + text.replace("\n", "\r\n").encode(encoding))
    return path


def test_excel_csv_cp1252_semicolons_decimal_commas(tmp_path):
    text = (
        "Daerah;Indikator;Nilai;Responden;Bukti Dukung\n"
        f"Kabupaten Sleman;{I1};3,5;Bappeda;Perbup No. 1 – 2023 (é)\n"
        f"Kabupaten Sleman;{I2};4;Bappeda;\n"
        f"Kabupaten Sleman;{I3};2,25;Diskominfo;“SK Bupati”\n"
    )
    path = excel_csv(tmp_path / "sleman_2024.csv", text, "cp1252")
    assert b"\x96" in path.read_bytes() and b"\r\n" in path.read_bytes()  # really Windows-1252
    table = load_answers(path).table
    assert table["value"].tolist() == [3.5, 4.0, 2.25]
    assert table["evidence"].iloc[0] == "Perbup No. 1 – 2023 (é)"
    assert table["evidence"].iloc[2] == "“SK Bupati”"
    assert set(table["region"]) == {"Kabupaten Sleman"} and set(table["cycle"]) == {2024}


def test_excel_csv_utf8_with_bom_and_crlf(tmp_path):
    text = f"Siklus,Daerah,Indikator,Nilai\n2024,Kota Yogyakarta,{I1},3\n2024,Kota Yogyakarta,{I2},5\n"
    path = excel_csv(tmp_path / "jogja.csv", text, "utf-8", bom=b"\xef\xbb\xbf")
    table = load_answers(path).table
    assert table["cycle"].tolist() == [2024, 2024]  # the BOM did not spoil the first header
    assert table["value"].tolist() == [3.0, 5.0]
    assert not any(str(c).endswith("\r") for c in table["region"])


def test_excel_csv_utf8_bom_with_semicolons_and_decimal_commas(tmp_path):
    text = (f"daerah;indikator;nilai;bukti dukung\nKabupaten Bandung Barat;{I1};1,5;Perbup – 2023 (é)\n"
            f"Kabupaten Bandung Barat;{I2};4,75;\n")
    table = load_answers(excel_csv(tmp_path / "x_2024.csv", text, "utf-8", bom=b"\xef\xbb\xbf")).table
    assert table["value"].tolist() == [1.5, 4.75]
    assert table["evidence"].iloc[0] == "Perbup – 2023 (é)"


def test_excel_wide_csv_cp1252_semicolons(tmp_path):
    text = (f"Siklus;Daerah;Responden;{I1};{I2};{I3}\n"
            "2024;Kabupaten Gunungkidul;Bappeda;3,5;4;\n"
            "2024;Kabupaten Gunungkidul;Diskominfo;2;4,5;1\n")
    table = load_answers(excel_csv(tmp_path / "wide.csv", text, "cp1252")).table
    values = table.dropna(subset=["value"]).sort_values(["respondent", "indicator"])["value"].tolist()
    assert sorted(values) == sorted([3.5, 4.0, 2.0, 4.5, 1.0])


def test_excel_unicode_text_utf16_tabs(tmp_path):
    text = f"Daerah\tIndikator\tNilai\nKota Batu\t{I1}\t3,5\nKota Batu\t{I2}\t2\n"
    path = excel_csv(tmp_path / "batu_2024.txt", text, "utf-16-le", bom=b"\xff\xfe")
    assert load_answers(path).table["value"].tolist() == [3.5, 2.0]


# --- python -m smartcity_analysis ----------------------------------------------------------------


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"]])
def test_python_dash_m_works_like_smartcity(args):
    done = subprocess.run([sys.executable, "-m", "smartcity_analysis", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "usage: smartcity" in done.stdout
    if args == ["--help"]:
        assert "run" in done.stdout and "score" in done.stdout
