"""Streaming readers: CSV (UTF-8 or GB18030), Excel and Parquet, yielded as all-text Polars batches.

Every batch carries `_row_no`, the spreadsheet line of the row (the header is line 1), so quarantine can point
an official at the exact line. Memory stays flat: no reader holds more than one batch.
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

import polars as pl

from cradle.errors import N_, Invalid

ROW_NO = "_row_no"
# a record the CSV reader could not read: why (a validation reason code), and the line as read
MALFORMED, LINE = "_malformed", "_line"
_CHUNK = 1 << 20


def sniff_encoding(path: Path) -> str:
    """utf-8 unless the first megabyte fails to decode as UTF-8; then GB18030 (its superset of GBK) when most of
    its lines with non-ASCII bytes are not UTF-8, else UTF-8 with a few damaged lines (a cut character), which the
    reader quarantines."""
    with open(path, "rb") as fh:
        head = fh.read(_CHUNK)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:  # the whole file when it is shorter than the chunk: a cut last character is then not UTF-8
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < _CHUNK)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    lines = head.split(b"\n")[:-1] if len(head) == _CHUNK else head.split(b"\n")  # whole lines only
    utf8 = damaged = 0
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            damaged += 1
    return "utf-8" if utf8 > damaged else "gb18030"


@contextmanager
def _utf8_path(path: Path, encoding: str) -> Iterator[Path]:
    """Polars reads UTF-8 only: transcode other encodings chunk by chunk into a temporary file (a byte the
    encoding cannot read raises UnicodeDecodeError: the caller then salvages the file line by line)."""
    if encoding in ("utf-8", "utf8"):
        yield path
        return
    decoder = codecs.getincrementaldecoder(encoding)()
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="cradle-transcode-")
    try:
        with open(path, "rb") as src, os.fdopen(fd, "wb") as dst:
            while chunk := src.read(_CHUNK):
                dst.write(decoder.decode(chunk).encode("utf-8"))
            dst.write(decoder.decode(b"", final=True).encode("utf-8"))
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
    """Polars reads the file; if it refuses a line (more fields than the header, bytes that are not text in the
    file's encoding), the rest of the file is read again line by line (`salvage`), the malformed lines marked."""
    enc = encoding or sniff_encoding(path)
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if len(head) < 4096 and not head.replace(codecs.BOM_UTF8, b"").strip():
        raise Invalid(
            "file", N_("%(file)s: the file is empty, with no header and no data rows"), file=path.name
        )
    done = 0
    try:
        with _utf8_path(path, "utf-8" if enc == "utf-8-sig" else enc) as utf8:  # polars strips a BOM itself
            lf = pl.scan_csv(utf8, infer_schema=False)
            for df in lf.collect_batches(chunk_size=batch_rows):
                done += df.height
                yield df
            yield pl.DataFrame(schema=lf.collect_schema())  # the header, for a file without data rows
        return
    except (pl.exceptions.PolarsError, UnicodeDecodeError):
        pass
    with _salvaged(path, enc) as clean:
        lf = pl.scan_csv(clean, infer_schema=False).slice(done)  # the rows before the bad line were read
        try:
            yield from lf.collect_batches(chunk_size=batch_rows)
        except pl.exceptions.PolarsError as exc:
            raise _unreadable(path.name, exc) from None


def _unreadable(file: str, exc: Exception) -> Invalid:
    detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
    return Invalid("file", N_("%(file)s: could not read the CSV (%(detail)s)"), file=file, detail=detail)


def _records(fh, encoding: str) -> Iterator[tuple[bytes, str | None]]:
    """The file's CSV records as (raw bytes, text); text is None when the bytes are not `encoding`. A record
    spans lines while a quoted field is open (an odd count of quotes so far)."""
    raw = b""
    for line in fh:
        raw += line
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            yield raw, None
            raw = b""
            continue
        if text.count('"') % 2 == 0:
            yield raw, text
            raw = b""
    if raw:
        yield raw, None if _undecodable(raw, encoding) else raw.decode(encoding)


def _undecodable(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return True
    return False


@contextmanager
def _salvaged(path: Path, encoding: str) -> Iterator[Path]:
    """A UTF-8 copy of the file with two more columns: MALFORMED (`malformed_fields` or `malformed_encoding`)
    and LINE (the line as read, undecodable bytes as \\x escapes) for each record that cannot be read; its
    other cells are empty, so every record keeps its place (and its line number). A header that cannot be read
    refuses the file."""
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="cradle-salvage-")
    try:
        with open(path, "rb") as src, os.fdopen(fd, "w", encoding="utf-8", newline="") as dst:
            records = _records(src, encoding)
            raw, text = next(records, (b"", ""))
            if text is None:
                raise Invalid(
                    "file",
                    N_("%(file)s: the header is not valid %(encoding)s text; save it as UTF-8 or GB18030"),
                    file=path.name,
                    encoding=encoding,
                )
            header = next(csv.reader([text.lstrip("\ufeff")]), [])
            out = csv.writer(dst)
            out.writerow([*header, MALFORMED, LINE])
            blank = [""] * len(header)
            for raw, text in records:
                fields = next(csv.reader([text]), []) if text is not None else None
                if fields is not None and len(fields) <= len(header):
                    out.writerow([*fields, *blank[len(fields) :], "", ""])
                    continue
                shown = raw.decode(encoding, errors="backslashreplace").rstrip("\r\n")
                reason = "malformed_encoding" if fields is None else "malformed_fields"
                out.writerow([*blank, reason, shown])
        yield Path(tmp)
    finally:
        os.unlink(tmp)


def split_malformed(batch: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The batch without the records `_salvaged` marked malformed, and those records (ROW_NO, MALFORMED, LINE)."""
    if MALFORMED not in batch.columns:
        return batch, pl.DataFrame(schema={ROW_NO: pl.Int64, MALFORMED: pl.String, LINE: pl.String})
    marked = batch[MALFORMED].is_not_null()
    return batch.filter(~marked).drop(MALFORMED, LINE), batch.filter(marked).select(ROW_NO, MALFORMED, LINE)


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
