"""Every error the library reports to a user, in one place.

A user's mistake is never a traceback. Each problem found in an input is a :class:`Problem`
with a stable code (``SC1xx`` for files, ``SC2xx`` for the instrument, ``SC3xx`` for answers,
``SC4xx`` for options, ``SC5xx`` for a run), a :class:`Location` (file, sheet, cell) and a
message in Indonesian and English. Problems are collected lazily, as pandera does, so a user
sees every problem of a file at once; they travel inside one exception type,
:class:`SmartCityError`, which the CLI prints one line per problem before exiting with 1.

The catalogue ``MESSAGES`` is the single source of the wording: the CLI, the notebooks, the
tests and the README's "common problems" section all read it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

__all__ = [
    "MESSAGES",
    "Location",
    "Problem",
    "ProblemCollector",
    "SmartCityError",
    "FileError",
    "FrameworkError",
    "DataError",
    "OptionError",
    "RunError",
    "column_letter",
    "default_language",
]

# code: (Indonesian template, English template). Templates use str.format fields.
MESSAGES: dict[str, tuple[str, str]] = {
    # --- files -------------------------------------------------------------------------
    "SC101": ("berkas tidak ditemukan", "file not found"),
    "SC102": (
        "berkas tidak dapat dibaca sebagai {kind}: {detail}",
        "file cannot be read as {kind}: {detail}",
    ),
    "SC103": (
        "buku kerja dilindungi kata sandi; buka di Excel, hapus kata sandi, lalu simpan ulang sebagai .xlsx",
        "workbook is password-protected; open it in Excel, remove the password and save it again as .xlsx",
    ),
    "SC104": (
        "format {suffix} tidak didukung; simpan ulang sebagai .xlsx atau .csv",
        "format {suffix} is not supported; save it again as .xlsx or .csv",
    ),
    "SC105": ("berkas kosong", "file is empty"),
    "SC106": ("berkas dilewati: {reason}", "file skipped: {reason}"),
    "SC107": ("tidak ada berkas masukan di folder ini", "no input files in this folder"),
    "SC108": (
        "sel berisi rumus tanpa nilai tersimpan ({formula}); buka dan simpan ulang di Excel atau LibreOffice agar nilainya dihitung",
        "cell holds a formula with no saved value ({formula}); open and save the file in Excel or LibreOffice so its value is computed",
    ),
    # --- instrument (framework) --------------------------------------------------------
    "SC201": ("kolom wajib '{column}' tidak ada", "required column '{column}' is missing"),
    "SC202": ("kode '{code}' muncul lebih dari sekali", "code '{code}' appears more than once"),
    "SC203": ("induk '{parent}' dari '{code}' tidak dikenal", "parent '{parent}' of '{code}' is unknown"),
    "SC204": ("siklus dalam hierarki: {path}", "cycle in the hierarchy: {path}"),
    "SC205": (
        "tidak ada akar (baris dengan induk kosong)",
        "no root (a row with a blank parent)",
    ),
    "SC206": (
        "lebih dari satu akar: {codes}",
        "more than one root: {codes}",
    ),
    "SC207": (
        "bobot '{value}' untuk '{code}' bukan bilangan positif",
        "weight '{value}' of '{code}' is not a positive number",
    ),
    "SC208": (
        "min ({lo}) harus lebih kecil dari max ({hi}) untuk '{code}'",
        "min ({lo}) must be smaller than max ({hi}) for '{code}'",
    ),
    "SC209": (
        "arah '{value}' untuk '{code}' harus 1 atau -1",
        "direction '{value}' of '{code}' must be 1 or -1",
    ),
    "SC210": (
        "aspek '{value}' untuk '{code}' harus Struktur, Infrastruktur atau Suprastruktur",
        "aspect '{value}' of '{code}' must be Struktur, Infrastruktur or Suprastruktur",
    ),
    "SC211": (
        "'{value}' pada kolom {column} untuk '{code}' bukan angka",
        "'{value}' in column {column} of '{code}' is not a number",
    ),
    "SC212": ("kode kosong", "blank code"),
    "SC213": (
        "upaya '{value}' untuk '{code}' harus 1, 2 atau 3",
        "effort '{value}' of '{code}' must be 1, 2 or 3",
    ),
    # --- answers -----------------------------------------------------------------------
    "SC301": ("kolom wajib '{column}' tidak ada", "required column '{column}' is missing"),
    "SC302": ("kode indikator '{code}' tidak dikenal", "indicator code '{code}' is unknown"),
    "SC303": (
        "'{value}' bukan angka dari {lo} sampai {hi}",
        "'{value}' is not a number from {lo} to {hi}",
    ),
    "SC304": (
        "{value} di luar rentang {lo} sampai {hi}",
        "{value} is outside the range {lo} to {hi}",
    ),
    "SC305": (
        "jawaban ganda untuk {region}, indikator {code}, responden {respondent} (juga di {other})",
        "duplicate answer for {region}, indicator {code}, respondent {respondent} (also at {other})",
    ),
    "SC306": (
        "templat belum diisi: tidak ada satu pun jawaban",
        "template not filled in: it holds no answer at all",
    ),
    "SC307": ("nama daerah kosong", "region name is blank"),
    "SC308": ("siklus '{value}' bukan tahun", "cycle '{value}' is not a year"),
    "SC309": (
        "lembar '{sheet}' tidak ditemukan; lembar yang ada: {sheets}",
        "sheet '{sheet}' not found; sheets present: {sheets}",
    ),
    "SC310": (
        "baris judul tidak ditemukan (dicari kolom {columns})",
        "header row not found (looked for columns {columns})",
    ),
    "SC311": (
        "daerah '{region}' menjawab untuk siklus {cycles}; satu berkas seharusnya satu siklus",
        "region '{region}' answers under cycles {cycles}; one file should hold one cycle",
    ),
    "SC312": (
        "kolom '{column}' muncul lebih dari sekali",
        "column '{column}' appears more than once",
    ),
    "SC313": ("tidak ada data yang dimuat", "no data was loaded"),
    # --- options -----------------------------------------------------------------------
    "SC401": ("pilihan tidak sah: {detail}", "invalid option: {detail}"),
    "SC402": ("siklus {cycle} tidak ada dalam data; tersedia: {cycles}", "cycle {cycle} is not in the data; available: {cycles}"),
    "SC403": ("daerah '{region}' tidak ada dalam data; tersedia: {regions}", "region '{region}' is not in the data; available: {regions}"),
    "SC404": ("tidak dapat dihitung: {detail}", "cannot be computed: {detail}"),
    # --- run ---------------------------------------------------------------------------
    "SC501": ("langkah '{step}' gagal: {detail}", "step '{step}' failed: {detail}"),
    "SC502": ("tidak dapat menulis {path}: {detail}", "cannot write {path}: {detail}"),
}

_LOCATION_WORDS = {"id": ("lembar", "sel", "baris", "kolom"), "en": ("sheet", "cell", "row", "column")}


def default_language() -> str:
    """Language of messages: ``SMARTCITY_LANG`` if set to ``id`` or ``en``, else Indonesian."""
    lang = os.environ.get("SMARTCITY_LANG", "id").strip().lower()
    return lang if lang in ("id", "en") else "id"


def column_letter(index: int) -> str:
    """Excel column letter of a 1-based column index (1 -> A, 27 -> AA)."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, and optionally a sheet, a cell, a row or a column."""

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None

    def format(self, lang: str | None = None) -> str:
        sheet_w, cell_w, row_w, col_w = _LOCATION_WORDS[lang or default_language()]
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"{sheet_w} {self.sheet}")
        if self.cell:
            parts.append(f"{cell_w} {self.cell}")
        else:
            if self.row is not None:
                parts.append(f"{row_w} {self.row}")
            if self.column:
                parts.append(f"{col_w} {self.column}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Problem:
    """One located problem; ``code`` is a key of :data:`MESSAGES`."""

    code: str
    location: Location = field(default_factory=Location)
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def make(cls, problem_code: str, location: Location | None = None, /, **params: object) -> Problem:
        if problem_code not in MESSAGES:
            raise KeyError(f"unknown problem code {problem_code}")
        return cls(problem_code, location or Location(), tuple(params.items()))

    def message(self, lang: str | None = None) -> str:
        id_text, en_text = MESSAGES[self.code]
        template = en_text if (lang or default_language()) == "en" else id_text
        return template.format(**dict(self.params))

    def format(self, lang: str | None = None) -> str:
        """One line: ``file, sheet S, cell C: message [SCnnn]``."""
        where = self.location.format(lang)
        text = self.message(lang)
        return f"{where}: {text} [{self.code}]" if where else f"{text} [{self.code}]"

    def __str__(self) -> str:
        return self.format()


class SmartCityError(Exception):
    """The library's one error type: carries every problem found, each located."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem] | Problem):
        self.problems: list[Problem] = (
            [problems] if isinstance(problems, Problem) else list(problems)
        )
        if not self.problems:
            raise ValueError("SmartCityError needs at least one problem")
        super().__init__(self.format())

    @classmethod
    def single(cls, problem_code: str, location: Location | None = None, /, **params: object):
        return cls(Problem.make(problem_code, location, **params))

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def format(self, lang: str | None = None) -> str:
        return "\n".join(p.format(lang) for p in self.problems)

    def table(self):
        """Problems as a DataFrame (code, file, sheet, cell, message_id, message_en)."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "code": p.code,
                    "file": p.location.file,
                    "sheet": p.location.sheet,
                    "cell": p.location.cell,
                    "message_id": p.message("id"),
                    "message_en": p.message("en"),
                }
                for p in self.problems
            ]
        )


class FileError(SmartCityError):
    """A file cannot be found, opened or parsed (SC1xx)."""


class FrameworkError(SmartCityError):
    """The instrument table is inconsistent (SC2xx)."""


class DataError(SmartCityError):
    """Answers do not fit the instrument (SC3xx)."""


class OptionError(SmartCityError):
    """A function or command option is not valid (SC4xx)."""


class RunError(SmartCityError):
    """A pipeline step failed (SC5xx); earlier results are left intact."""


class ProblemCollector:
    """Collects problems lazily, then raises them together."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []

    def add(self, problem_code: str, location: Location | None = None, /, **params: object) -> None:
        self.problems.append(Problem.make(problem_code, location, **params))

    def note(self, problem_code: str, location: Location | None = None, /, **params: object) -> None:
        """A remark that does not stop loading (e.g. a skipped lock file)."""
        self.notes.append(Problem.make(problem_code, location, **params))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def raise_if_any(self, error_type: type[SmartCityError] = DataError) -> None:
        if self.problems:
            raise error_type(self.problems)
