"""CSV tables written fast, byte for byte as pandas writes them.

``frame.to_csv(index=False, float_format="%.10g", lineterminator="\\n")`` formats every cell
in Python: 59 M floats of the desa run took 146 s. Here each column is factorized first and
each distinct value formatted once ("%.10g" for floats, by their bit pattern so ``-0.0`` stays
``-0``; pandas itself, through the csv module, for every other dtype), and the rows are put
together with numpy, a chunk of rows at a time: every field padded with NUL bytes to its
column's width, the padding dropped at the end. The bytes are pandas' bytes (a property test
checks it); a table the fast path cannot write exactly goes to pandas whole.
"""

from __future__ import annotations

import ctypes
import io
import platform
from typing import BinaryIO

import numpy as np
import pandas as pd

#: The options of every CSV table (:func:`~.workbook.write_csv`).
CSV_OPTIONS = {"index": False, "float_format": "%.10g", "lineterminator": "\n"}
#: Rows put together at a time (bounds the memory of a chunk: rows x the padded row width).
ROW_CHUNK = 65_536
#: Adjacent columns whose value pairs take at most this many distinct fields are joined into
#: one field (a narrower padded row: the code, name, level, dimension of a gap row are one).
_JOINED_FIELDS = 4_096
#: The marker column that tells one formatted value from the next (see :func:`_pandas_fields`).
_MARK = "\x1f\x1e"


class _Unwritable(Exception):
    """The fast path cannot write this table exactly; pandas writes it."""


def write_frame(frame: pd.DataFrame, handle: BinaryIO) -> None:
    """``frame`` as CSV (UTF-8 bytes) into a binary ``handle``: the bytes of
    ``frame.to_csv(handle, **CSV_OPTIONS)``."""
    try:
        header, columns = _prepare(frame)
    except _Unwritable:
        text = io.StringIO(newline="")
        frame.to_csv(text, **CSV_OPTIONS)
        handle.write(text.getvalue().encode("utf-8"))
        return
    handle.write(header)
    for chunk in _row_chunks(columns, len(frame)):
        handle.write(chunk)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The CSV of ``frame`` as :func:`write_frame` writes it."""
    out = io.BytesIO()
    write_frame(frame, out)
    return out.getvalue()


def _prepare(frame: pd.DataFrame) -> tuple[bytes, list[tuple[np.ndarray, list[str]]]]:
    """The header line and, per column, each row's field number and the fields."""
    if frame.shape[1] < 2 or isinstance(frame.columns, pd.MultiIndex):
        raise _Unwritable  # one column: csv quotes an empty only field; keep such tables with pandas
    header = frame.iloc[:0].to_csv(**CSV_OPTIONS).encode("utf-8")
    columns = [_column_fields(frame.iloc[:, j]) for j in range(frame.shape[1])]
    return header, columns


def _column_fields(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each row's field number (``intp``, none negative) and the distinct fields of a column."""
    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "f" and dtype.itemsize in (4, 8):
        values = series.to_numpy()
        codes, bits = pd.factorize(values.view(np.int64 if dtype.itemsize == 8 else np.int32))
        uniques = bits.view(dtype)
        if dtype.itemsize == 8:
            # "%" formatting, as pandas applies float_format: the very bytes of to_csv
            fields = ["" if v != v else "%.10g" % v for v in uniques.tolist()]  # noqa: UP031
        else:  # float32: as pandas formats it
            fields = _pandas_fields(pd.Series(uniques, dtype=dtype))
        return codes.astype(np.intp, copy=False), fields
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        codes, uniques = pd.factorize(series.to_numpy())
        return codes.astype(np.intp, copy=False), [str(v) for v in uniques.tolist()]
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        return series.to_numpy().astype(np.intp), ["False", "True"]
    by_object = None
    if pd.api.types.is_object_dtype(dtype) or (
            isinstance(dtype, pd.StringDtype) and dtype.storage == "python"):
        by_object = _object_codes(series.to_numpy(dtype=object))
        if len(by_object[1]) <= len(series) // 4:
            series = pd.Series(by_object[1], dtype=dtype)  # one value per distinct object
        else:  # few shared objects (missing values as floats, strings made one by one)
            by_object = None
    if _factorizable(series):
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        if by_object is not None:
            codes = codes[by_object[0]]
        fields = _pandas_fields(pd.Series(uniques, dtype=dtype)) if len(uniques) else []
        codes = np.where(codes < 0, len(fields), codes).astype(np.intp, copy=False)
        return codes, [*fields, ""]  # the last field: a missing value (pandas' na_rep)
    # anything else (datetimes, mixed objects...): every value through pandas
    if by_object is not None:
        return by_object[0], _pandas_fields(series)
    return np.arange(len(series), dtype=np.intp), _pandas_fields(series.reset_index(drop=True))


def factorized(series: pd.Series) -> tuple[np.ndarray, object]:
    """``pd.factorize(series)`` (codes, -1 where missing, and the distinct values in order of
    first appearance), faster for strings shared between rows (:func:`_object_codes`)."""
    dtype = series.dtype
    if pd.api.types.is_object_dtype(dtype) or (
            isinstance(dtype, pd.StringDtype) and dtype.storage == "python"):
        rows, objects = _object_codes(series.to_numpy(dtype=object))
        if len(objects) <= len(series) // 4:
            codes, uniques = pd.factorize(pd.Series(objects, dtype=dtype), sort=False)
            return codes[rows], uniques
    return pd.factorize(series, sort=False)


#: CPython's object arrays hold the objects' addresses (what :func:`_object_codes` reads).
_POINTER_ARRAYS = platform.python_implementation() == "CPython"


def _object_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's object number and the distinct objects, by identity.

    Hashing 6.78 M strings costs seconds; a table's strings are mostly a few shared objects
    (a name per code), so their addresses are factorized as integers, and only the distinct
    objects are compared by value afterwards (equal strings in different objects are merged
    there). Missing values, often a float object each, are all None first.
    """
    values = np.array(values, dtype=object)  # a copy: missing values become one object, None
    values[pd.isna(values)] = None
    if not len(values):
        return np.zeros(0, dtype=np.intp), values
    if _POINTER_ARRAYS:
        view = (ctypes.c_ssize_t * len(values)).from_address(values.__array_interface__["data"][0])
        addresses = np.ctypeslib.as_array(view).copy()  # copied while ``values`` holds the objects
    else:  # another Python: its object arrays may not hold addresses; id() is identity anywhere
        addresses = np.fromiter(map(id, values), dtype=np.int64, count=len(values))
    codes, distinct = pd.factorize(addresses)
    first = np.empty(len(distinct), dtype=np.intp)
    first[codes[::-1]] = np.arange(len(values) - 1, -1, -1, dtype=np.intp)
    return codes.astype(np.intp, copy=False), values[first]


def _factorizable(series: pd.Series) -> bool:
    """Whether equal values (as factorize finds them) are written alike: strings, truth values,
    integers, categories; not floats (0.0 and -0.0 are equal) nor mixed objects (1 == 1.0 == True)."""
    dtype = series.dtype
    if pd.api.types.is_object_dtype(dtype):
        return pd.api.types.infer_dtype(series, skipna=True) in ("string", "boolean", "empty")
    if isinstance(dtype, pd.CategoricalDtype):
        return not pd.api.types.is_float_dtype(dtype.categories.dtype) and _factorizable(
            pd.Series(dtype.categories))
    return isinstance(dtype, (pd.StringDtype, pd.BooleanDtype)) or (
        isinstance(dtype, pd.api.extensions.ExtensionDtype) and pd.api.types.is_integer_dtype(dtype))


def _pandas_fields(values: pd.Series) -> list[str]:
    """Each value as pandas writes it in a CSV cell (formatted, quoted by the csv module).

    The values are written as a two-column table, each row closed by a marker field, and cut
    at the markers; a value holding the marker itself sends the table to pandas whole.
    """
    text = pd.DataFrame({"v": values.to_numpy() if isinstance(values.dtype, np.dtype) else values.array,
                         "m": _MARK}).to_csv(header=False, **CSV_OPTIONS)
    fields = text.split(f",{_MARK}\n")
    if len(fields) != len(values) + 1 or fields[-1]:
        raise _Unwritable
    return fields[:-1]


def _row_chunks(columns: list[tuple[np.ndarray, list[str]]], n_rows: int):
    """The data rows as UTF-8 bytes, :data:`ROW_CHUNK` rows at a time."""
    columns = _joined(columns)
    tables = []
    for j, (_, fields) in enumerate(columns):
        sep = "\n" if j == len(columns) - 1 else ","
        encoded = [(f + sep).encode("utf-8") for f in fields]
        if any(b"\x00" in e for e in encoded):  # NUL pads the fields: such a table is joined in Python
            yield from _row_chunks_python(columns, n_rows)
            return
        table = np.array(encoded, dtype=bytes)
        tables.append(table.view(f"V{table.dtype.itemsize}"))
    row = np.dtype([(f"f{j}", t.dtype) for j, t in enumerate(tables)])
    for start in range(0, n_rows, ROW_CHUNK):
        stop = min(start + ROW_CHUNK, n_rows)
        cells = np.empty(stop - start, dtype=row)
        for j, (codes, _) in enumerate(columns):
            cells[f"f{j}"] = tables[j][codes[start:stop]]
        flat = cells.view(np.uint8)
        yield flat[flat != 0].tobytes()


def _row_chunks_python(columns, n_rows: int):
    for start in range(0, n_rows, ROW_CHUNK):
        stop = min(start + ROW_CHUNK, n_rows)
        fields = [list(map(f.__getitem__, codes[start:stop].tolist())) for codes, f in columns]
        yield ("".join(f"{','.join(row)}\n" for row in zip(*fields, strict=True))).encode("utf-8")


def _joined(columns: list[tuple[np.ndarray, list[str]]]) -> list[tuple[np.ndarray, list[str]]]:
    """Adjacent columns joined into one field while their combinations stay few
    (:data:`_JOINED_FIELDS`, tried on the first rows first): fewer, narrower padded fields."""
    out = [columns[0]]
    for codes, fields in columns[1:]:
        last_codes, last_fields = out[-1]
        n = len(fields)
        joined = None
        if len(last_fields) * n < 2**62 and len(np.unique(
                last_codes[:ROW_CHUNK] * n + codes[:ROW_CHUNK])) <= _JOINED_FIELDS:
            pairs, which = pd.factorize(last_codes * n + codes)
            if len(which) <= _JOINED_FIELDS:
                joined = (pairs.astype(np.intp, copy=False),
                          [f"{last_fields[p // n]},{fields[p % n]}" for p in which.tolist()])
        if joined is None:
            out.append((codes, fields))
        else:
            out[-1] = joined
    return out
