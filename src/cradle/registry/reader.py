"""Streaming readers: CSV (UTF-8 or GB18030), Excel and Parquet, yielded as all-text Polars batches.

Every batch carries `_row_no`, the spreadsheet line of the row (the header is line 1), so quarantine can point
an official at the exact line. A CSV line that cannot be a row (more fields than the header, bytes that are not
UTF-8) comes as a row of empty fields with `_malformed`, the line as read (invalid bytes as \\x escapes), for the
quarantine; the good lines around it are read as usual. Only a file whose header is unreadable is refused whole.
Memory stays flat: no reader holds more than one batch.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import polars as pl

from cradle.errors import N_, Invalid

ROW_NO = "_row_no"
MALFORMED = "_malformed"  # a line that cannot be a row, as read (see the module's docstring)
_CHUNK = 1 << 20


def sniff_encoding(path: Path) -> str:
    """utf-8 unless the first megabyte fails to decode as UTF-8, in which case GB18030 (its superset of GBK)."""
    with open(path, "rb") as fh:
        head = fh.read(_CHUNK)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:  # the whole file when it is shorter than the chunk: a cut last character is then not UTF-8
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < _CHUNK)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # A GB18030 file with Chinese names fails on nearly every line; a UTF-8 file with a cut character on one
    # or two (those lines go to quarantine rather than the whole file being misread as GB18030).
    lines = head.split(b"\n")[:-1] if len(head) == _CHUNK else head.split(b"\n")
    bad = sum(1 for line in lines if not _is_utf8(line))
    return "utf-8" if bad <= max(1, len(lines) // 100) else "gb18030"


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


@contextmanager
def _utf8_path(path: Path, encoding: str) -> Iterator[Path]:
    """Polars reads UTF-8 only: transcode other encodings chunk by chunk into a temporary file."""
    if encoding in ("utf-8", "utf8"):
        yield path
        return
    decoder = codecs.getincrementaldecoder(encoding)()
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="cradle-transcode-")
    lines = 1
    try:
        with open(path, "rb") as src, os.fdopen(fd, "wb") as dst:
            try:
                while chunk := src.read(_CHUNK):
                    dst.write(decoder.decode(chunk).encode("utf-8"))
                    lines += chunk.count(b"\n")
                dst.write(decoder.decode(b"", final=True).encode("utf-8"))
            except UnicodeDecodeError as exc:
                at = lines + chunk[: max(exc.start, 0)].count(b"\n") if chunk else lines
                raise Invalid(
                    "file",
                    N_(
                        "%(file)s line %(line)s: not valid %(encoding)s (%(reason)s); save it as UTF-8 or "
                        "GB18030 and import it again"
                    ),
                    file=path.name,
                    line=at,
                    encoding=encoding,
                    reason=exc.reason,
                ) from None
        yield Path(tmp)
    finally:
        os.unlink(tmp)


def count_rows(path: Path) -> int | None:
    """Data rows in the file (for the progress bar), cheaply: newlines for CSV, metadata for Parquet/Excel."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        n = (wb.active.max_row or 1) - 1
        wb.close()
        return n
    lines = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK * 8):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)


def _numbered(batches: Iterator[pl.DataFrame]) -> Iterator[pl.DataFrame]:
    """Each batch with its rows' line numbers. A file with a header and no data rows still gives one empty
    batch, so its header is checked like any other (a wrong one is refused, not taken for an empty run)."""
    line, header = 2, None
    for df in batches:
        if df.height == 0:
            header = df
            continue
        yield df.with_columns(pl.int_range(line, line + df.height, dtype=pl.Int64).alias(ROW_NO))
        line += df.height
    if line == 2 and header is not None:
        yield header.with_columns(pl.lit(None, dtype=pl.Int64).alias(ROW_NO))


def _text(df: pl.DataFrame) -> pl.DataFrame:
    out = []
    for name, dtype in df.schema.items():
        col = pl.col(name)
        if dtype == pl.Date or dtype == pl.Datetime:
            col = col.dt.strftime("%Y-%m-%d")
        out.append(col.cast(pl.String).alias(name))
    return df.select(out)


def _csv_batches(path: Path, batch_rows: int, encoding: str | None) -> Iterator[pl.DataFrame]:
    enc = encoding or sniff_encoding(path)
    if enc == "utf-8-sig":
        enc = "utf-8"  # polars strips the BOM itself
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if len(head) < 4096 and not head.replace(codecs.BOM_UTF8, b"").strip():
        raise Invalid(
            "file", N_("%(file)s: the file is empty, with no header and no data rows"), file=path.name
        )
    with _utf8_path(path, enc) as utf8:
        lf = pl.scan_csv(utf8, infer_schema=False)
        read = 0  # data rows yielded before a malformed line stops Polars
        try:
            for batch in lf.collect_batches(chunk_size=batch_rows):
                read += batch.height
                yield batch
            yield pl.DataFrame(schema=lf.collect_schema())  # the header, for a file without data rows
            return
        except pl.exceptions.PolarsError as exc:
            bad = malformed_lines(utf8)
            if not bad:
                raise csv_problem(path.name, utf8) or _unreadable(path.name, exc) from None
        yield from _around_malformed(utf8, bad, read, batch_rows)


def malformed_lines(utf8: Path) -> dict[int, bytes] | None:
    """The lines (1 is the header) that cannot be a row: not UTF-8, or more fields than the header; None when
    the header itself is unreadable. Read line by line with the csv module: only on Polars' error path."""
    out: dict[int, bytes] = {}
    with open(utf8, "rb") as fh:
        header = fh.readline()
        if not _is_utf8(header):
            return None
        width = len(next(csv.reader([header.decode("utf-8-sig")]), []))
        for n, line in enumerate(fh, 2):
            if not _is_utf8(line) or len(next(csv.reader([line.decode("utf-8")]), [])) > width:
                out[n] = line.rstrip(b"\r\n")
    return out


def _around_malformed(
    utf8: Path, bad: dict[int, bytes], skip: int, batch_rows: int
) -> Iterator[pl.DataFrame]:
    """The file again with each malformed line an empty row marked `_malformed`, from data row `skip` on (the
    rows before it were yielded already)."""
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="cradle-malformed-")
    try:
        with open(utf8, "rb") as src, os.fdopen(fd, "wb") as dst:
            header = src.readline()
            dst.write(header)
            empty = b"," * (len(next(csv.reader([header.decode("utf-8-sig")]), [])) - 1) + b"\n"
            for n, line in enumerate(src, 2):
                dst.write(empty if n in bad else line)
        lf = pl.scan_csv(tmp, infer_schema=False).slice(skip)
        lines = np.array(sorted(bad), dtype=np.int64)
        texts = [bad[n].decode("utf-8", "backslashreplace") for n in lines.tolist()]
        first = skip + 2  # the line of the next data row
        for batch in lf.collect_batches(chunk_size=batch_rows):
            at = np.searchsorted(lines, [first, first + batch.height])
            marks = [None] * batch.height
            for i in range(at[0], at[1]):
                marks[int(lines[i]) - first] = texts[i]
            yield batch.with_columns(pl.Series(MALFORMED, marks, dtype=pl.String))
            first += batch.height
        yield pl.DataFrame(schema=lf.collect_schema())
    finally:
        os.unlink(tmp)


def _unreadable(file: str, exc: Exception) -> Invalid:
    detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
    return Invalid("file", N_("%(file)s: could not read the CSV (%(detail)s)"), file=file, detail=detail)


def csv_problem(file: str, utf8: Path) -> Invalid | None:
    """Where a CSV that Polars refused goes wrong, named by line: a line that is not UTF-8, or a line with more
    fields than the header (read again with the csv module; only on this error path)."""
    with open(utf8, "rb") as fh:
        for n, line in enumerate(fh, 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return Invalid(
                    "file",
                    N_(
                        "%(file)s: line %(line)s is not valid UTF-8 text; save it as UTF-8 or GB18030 and import it again"
                    ),
                    file=file,
                    line=n,
                )
    with open(utf8, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        for row in reader:
            if len(row) > len(header):
                return Invalid(
                    "file",
                    N_(
                        "%(file)s: line %(line)s has %(fields)s fields, more than the header's %(columns)s "
                        "columns (an extra comma or a comma outside quotes); correct it and import it again"
                    ),
                    file=file,
                    line=reader.line_num,
                    fields=len(row),
                    columns=len(header),
                )
    return None


def _parquet_batches(path: Path, batch_rows: int) -> Iterator[pl.DataFrame]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    for rb in pf.iter_batches(batch_size=batch_rows):
        yield _text(pl.from_arrow(rb))
    yield _text(pl.from_arrow(pf.schema_arrow.empty_table()))  # the header, for a file without data rows


def _cell(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _excel_batches(path: Path, batch_rows: int) -> Iterator[pl.DataFrame]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = wb.active.iter_rows(values_only=True)
        header = [str(h).strip() for h in next(rows, ()) if h is not None]
        buf: list[list[str | None]] = []
        for row in rows:
            buf.append([_cell(v) for v in row[: len(header)]] + [None] * (len(header) - len(row)))
            if len(buf) >= batch_rows:
                yield pl.DataFrame(buf, schema=dict.fromkeys(header, pl.String), orient="row")
                buf = []
        yield pl.DataFrame(
            buf, schema=dict.fromkeys(header, pl.String), orient="row"
        )  # empty: just the header
    finally:
        wb.close()


def read_batches(
    path: str | Path, batch_rows: int = 100_000, encoding: str | None = None
) -> Iterator[pl.DataFrame]:
    """Yield the file as text batches of at most `batch_rows` rows, each with `_row_no`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        batches = _parquet_batches(path, batch_rows)
    elif suffix in (".xlsx", ".xlsm"):
        batches = _excel_batches(path, batch_rows)
    elif suffix in (".csv", ".txt", ".tsv"):
        batches = _csv_batches(path, batch_rows, encoding)
    else:
        raise Invalid(
            "file", N_("Unsupported file type %(suffix)s: use CSV, Excel (.xlsx) or Parquet"), suffix=suffix
        )
    return _numbered(batches)
