"""Files on the analyst's own laptop: names Windows accepts, writes that survive an open Excel,
folders that say why they refuse.

Windows, OneDrive and Excel refuse what POSIX allows: names with ``: ? * < > | " \\ /``, a
trailing dot or a device name (``CON``, ``NUL``), and replacing a file that Excel holds open.
Every output goes through :func:`atomic_write`: a reader never meets a half-written file, and
when the old file cannot be replaced the new content is kept beside it as its *pending* copy
(:func:`pending_path`: ``skor.xlsx`` -> ``skor (baru).xlsx``) and the analyst is told which file
to close (SC503). The pipeline keeps a whole results folder the same way
(:mod:`smartcity_analysis.pipeline.staging`).

This module sits in the bottom layer: it imports only :mod:`~smartcity_analysis.errors`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePath
from typing import TypeVar

from .errors import Bilingual, FileError, Location, RunError

__all__ = [
    "PENDING_WORD",
    "atomic_write",
    "check_readable",
    "ensure_writable_folder",
    "files_open_in",
    "pending_original",
    "pending_path",
    "pending_paths",
    "replace_path",
    "safe_filename",
    "unique_filenames",
]

_P = TypeVar("_P", bound=PurePath)

# --- file names ---------------------------------------------------------------------------------

#: Device names Windows reserves in any case and with any extension (``nul.txt`` too).
WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{device}{n}" for device in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")}
)
#: Separators between two names (``Kota Pare/Pare``): kept visible as a hyphen.
_SEPARATORS = re.compile(r"[/\\|]+")
#: Characters Windows refuses in a name; read as a space.
_FORBIDDEN = re.compile(r'[<>:"?*]+')
#: Unicode categories dropped: control, format (bidi overrides, zero-width) and surrogates.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
#: Stripped from both ends: blanks and dots (Windows drops trailing ones; leading ones hide a
#: file on POSIX), hyphens left by separators, and ``~`` (``~$x`` is an Office lock file).
_EDGES = " .-~"
#: UTF-8 bytes a name may take. ext4 allows 255 bytes and NTFS 255 UTF-16 units (never more
#: than the UTF-8 bytes); the rest is room for what callers add (``-05-radar.png``, `` (baru)``).
_MAX_BYTES = 200


def safe_filename(text: object, *, max_length: int = 80, fallback: str = "tanpa-nama") -> str:
    """A file or folder name for ``text`` that Windows, macOS and Linux all accept.

    Letters of every script, case and spaces are kept, so the name reads as the region does:
    ``"Kota Pare/Pare"`` -> ``"Kota Pare-Pare"``, ``"Kab. Bangli: 2024?"`` -> ``"Kab. Bangli 2024"``.
    Separators (``/ \\ |``) become a hyphen, the other characters Windows refuses a space; control
    and invisible format characters are dropped; blanks are collapsed; dots, blanks, hyphens and
    ``~`` are stripped from both ends; a device name (``CON``, ``nul.txt``) gets ``_`` after its
    stem; the result is at most ``max_length`` characters and 200 UTF-8 bytes, and
    ``fallback`` when nothing is left. The same text always gives the same name (text is
    NFC-normalised first, so macOS's decomposed accents give the same name too), and a safe name
    is its own safe name.

    Two texts can give one name (``Kota Pare/Pare`` and ``Kota Pare-Pare``): name a cohort's
    files with :func:`unique_filenames`.
    """
    if max_length < 8:
        raise ValueError("max_length must be at least 8")
    name = "".join(" " if ch.isspace() else ch for ch in unicodedata.normalize("NFC", str(text))
                   if unicodedata.category(ch) not in _DROPPED_CATEGORIES or ch.isspace())
    name = unicodedata.normalize("NFC", name)  # again: a dropped character may have kept two apart
    name = _SEPARATORS.sub("-", name)
    name = _FORBIDDEN.sub(" ", name)
    name = " ".join(name.split())
    name = _bounded(name.strip(_EDGES), max_length)
    if not name:
        name = _bounded(fallback, max_length) or "_"
    stem, dot, rest = name.partition(".")
    if stem.rstrip(" ").upper() in WINDOWS_RESERVED:
        name = _bounded(f"{stem.rstrip(' ')}_{dot}{rest}", max_length)
    return name


def _bounded(name: str, max_length: int) -> str:
    """``name`` cut to ``max_length`` characters and :data:`_MAX_BYTES` bytes, ends stripped."""
    name = name[:max_length]
    while len(name.encode("utf-8")) > _MAX_BYTES:
        name = name[:-1]
    # NFC again: a cut can split a sequence that composes differently on its own
    stripped = unicodedata.normalize("NFC", name).strip(_EDGES)
    return stripped if stripped == name else _bounded(stripped, max_length)


def unique_filenames(names: Iterable[str],
                     make: Callable[[str], str] = safe_filename) -> dict[str, str]:
    """``{name: file name}`` for a cohort, no two file names alike, even ignoring case.

    ``make`` names one text (:func:`safe_filename`, or e.g. ``charts.export.slug`` to keep the
    names of earlier cycles). When several names give one file name (``Kota Pare/Pare`` and
    ``Kota Pare-Pare``; ``Kota Solok`` and ``KOTA SOLOK`` on Windows, whose names ignore case),
    the name that needed no change keeps it (else the first in sorted order) and each other one
    gets ``-`` and six letters of its text's hash (at most 80 characters in all): stable across
    runs and whatever else the cohort holds.
    """
    names = sorted(set(names), key=lambda n: (unicodedata.normalize("NFC", n), n))
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(make(name).casefold(), []).append(name)
    result: dict[str, str] = {}
    taken = set(groups)
    for group in groups.values():
        plain = next((n for n in group if make(n) == unicodedata.normalize("NFC", n)), group[0])
        result[plain] = make(plain)
        for name in group:
            if name == plain:
                continue
            digest = hashlib.sha256(unicodedata.normalize("NFC", name).encode("utf-8")).hexdigest()
            base = make(name)
            for width in range(6, len(digest) + 1):
                candidate = f"{_bounded(base, 80 - width - 1)}-{digest[:width]}"
                if candidate.casefold() not in taken:
                    break
            taken.add(candidate.casefold())
            result[name] = candidate
    return result


# --- pending copies ------------------------------------------------------------------------------

#: The word that marks a new result kept beside the file or folder it could not replace.
PENDING_WORD = "baru"
_PENDING = re.compile(rf"^(?P<stem>.+) \({PENDING_WORD}(?: (?P<number>[2-9]))?\)$")


def pending_path(path: _P, number: int = 1) -> _P:
    """Where the new version of ``path`` waits when ``path`` cannot be replaced.

    ``hasil/2024`` -> ``hasil/2024 (baru)``; ``skor.xlsx`` -> ``skor (baru).xlsx`` (the suffix
    stays, so Excel still opens it); ``number`` 2 to 9 -> ``skor (baru 2).xlsx`` when the first
    one is itself held open. A :class:`~pathlib.PureWindowsPath` stays one.
    """
    path = _as_path(path)
    mark = PENDING_WORD if number == 1 else f"{PENDING_WORD} {number}"
    return path.with_name(f"{path.stem} ({mark}){path.suffix}")


def pending_original(path: _P) -> _P | None:
    """The file or folder a pending copy stands for (``2024 (baru 2)`` -> ``2024``), else None."""
    path = _as_path(path)
    match = _PENDING.match(path.stem)
    return path.with_name(match["stem"] + path.suffix) if match else None


def _as_path(path: _P) -> _P:
    return path if isinstance(path, PurePath) else Path(path)  # a str as a Path


def pending_paths(path: str | Path) -> list[Path]:
    """The pending copies of ``path`` that exist, in number order."""
    path = Path(path)
    try:
        with os.scandir(path.parent) as entries:
            found = [Path(e.path) for e in entries if pending_original(e.path) == path]
    except OSError:
        return []
    return sorted(found, key=lambda p: (len(p.name), p.name))


# --- writing -------------------------------------------------------------------------------------

#: Waits before retrying a rename Windows refused: OneDrive, antivirus and the search indexer
#: hold a file for a moment after it is written. A file open in Excel stays refused.
RETRY_DELAYS: tuple[float, ...] = (0.1, 0.5) if os.name == "nt" else ()


def replace_path(source: str | Path, target: str | Path) -> None:
    """:func:`os.replace`, retried over :data:`RETRY_DELAYS` when Windows refuses it."""
    for delay in RETRY_DELAYS:
        try:
            os.replace(source, target)
            return
        except PermissionError:
            time.sleep(delay)
    os.replace(source, target)


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "wb") -> Iterator:
    """Open a temporary sibling of ``path``; on success it replaces ``path`` in one step.

    Text modes write UTF-8 with the newlines given. A missing folder is created; one that
    cannot be written is SC114. When ``path`` cannot be replaced (Windows: the file is open in
    Excel or PowerPoint) the new content is kept as :func:`pending_path` beside it and SC503
    says which file to close; once ``path`` is replaced, pending copies left by earlier
    attempts are removed.
    """
    path = Path(path)
    folder = ensure_writable_folder(path.parent, probe=False)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _unwritable(folder, exc) from None
    kept = False
    try:
        with os.fdopen(fd, mode, **({"encoding": "utf-8", "newline": ""} if "b" not in mode else {})) as handle:
            yield handle
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are for sharing
        try:
            replace_path(tmp, path)
        except PermissionError:
            aside = _keep_aside(Path(tmp), path)
            kept = True
            raise RunError.single("SC503", Location(str(path)), pending=aside.name) from None
        for stale in pending_paths(path):
            with contextlib.suppress(OSError):
                stale.unlink()
    except BaseException:
        if not kept:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise


def _keep_aside(tmp: Path, path: Path) -> Path:
    """Move a finished temporary file to the first pending name that takes it (else leave it)."""
    for number in range(1, 10):
        try:
            replace_path(tmp, pending_path(path, number))
            return pending_path(path, number)
        except OSError:
            continue
    return tmp


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- folders -------------------------------------------------------------------------------------


def ensure_writable_folder(path: str | Path, *, probe: bool = True) -> Path:
    """``path`` as a folder that exists and takes files, else SC114 naming it and why.

    The folder is created with its parents. With ``probe`` a file is created and removed in it:
    permissions alone do not tell (a synced or network folder may refuse, an administrator may
    ignore read-only flags).
    """
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise FileError.single("SC114", Location(str(path)), detail=Bilingual(
            "sudah ada berkas dengan nama ini", "a file already has this name")) from None
    except OSError as exc:
        raise _unwritable(path, exc) from None
    if probe:
        try:
            fd, name = tempfile.mkstemp(prefix=".smartcity-write-test-", dir=path)
            os.close(fd)
            os.unlink(name)
        except OSError as exc:
            raise _unwritable(path, exc) from None
    return path


def check_readable(path: str | Path) -> Path:
    """``path`` if it exists and can be read (a folder listed, a file opened), else a problem.

    SC101 when missing, SC115 for a folder that cannot be listed, SC112 for a file that cannot
    be opened; each names the path.
    """
    path = Path(path)
    try:
        if path.is_dir():
            with os.scandir(path) as entries:
                next(entries, None)
        else:
            with path.open("rb") as handle:
                handle.read(1)
    except FileNotFoundError:
        raise FileError.single("SC101", Location(str(path))) from None
    except OSError as exc:
        folder = _is_folder(path)
        raise FileError.single("SC115" if folder else "SC112", Location(str(path)),
                               detail=_reason(exc)) from None
    return path


def files_open_in(folder: str | Path) -> list[Path]:
    """Files under ``folder`` that Office or LibreOffice holds open, from their lock files.

    Excel and PowerPoint write ``~$name.xlsx`` beside an open file (Word drops the first one or
    two letters of the name), LibreOffice ``.~lock.name.xlsx#``. Paths are relative to ``folder``.
    """
    folder = Path(folder)
    found: set[Path] = set()
    try:
        locks = [p for p in folder.rglob("*") if p.name.startswith(("~$", ".~lock."))]
    except OSError:
        return []
    for lock in locks:
        try:
            if lock.name.startswith("~$"):
                tail = lock.name[2:]
                owners = [p for p in lock.parent.iterdir() if not p.name.startswith("~$")
                          and tail in (p.name, p.name[1:], p.name[2:])]
            else:
                owners = [lock.with_name(lock.name.removeprefix(".~lock.").removesuffix("#"))]
            found.update(p.relative_to(folder) for p in owners if p.exists())
        except OSError:  # only a hint for a message: never a failure of its own
            continue
    return sorted(found)


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _reason(exc: OSError) -> str:
    """The operating system's own words (already in the user's language on Windows)."""
    return exc.strerror or type(exc).__name__


def _unwritable(path: Path, exc: OSError) -> FileError:
    return FileError.single("SC114", Location(str(path)), detail=_reason(exc))


def office_template_as_file(data: bytes, replacements: dict[bytes, bytes]) -> bytes:
    """An Office template (.potx, .dotx) as the plain file it is made from (.pptx, .docx): the
    same zip with its main part's content type relabelled (``replacements``, old -> new)."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            blob = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                for old, new in replacements.items():
                    blob = blob.replace(old, new)
            target.writestr(item, blob)
    return out.getvalue()


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, read in 1 MB blocks (inputs, outputs, saved assessments)."""
    import hashlib

    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
