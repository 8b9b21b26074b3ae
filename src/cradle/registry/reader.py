"""Streaming readers: CSV (UTF-8 or GB18030), Excel and Parquet, yielded as all-text Polars batches.

Every batch carries `_row_no`, the spreadsheet line of the row (the header is line 1), so quarantine can point
an official at the exact line. Memory stays flat: no reader holds more than one batch.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

ROW_NO = "_row_no"
_CHUNK = 1 << 20


def sniff_encoding(path: Path) -> str:
    """utf-8 unless the first megabyte fails to decode as UTF-8, in which case GB18030 (its superset of GBK)."""
    with open(path, "rb") as fh:
        head = fh.read(_CHUNK)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


@contextmanager
def _utf8_path(path: Path, encoding: str) -> Iterator[Path]:
    """Polars reads UTF-8 only: transcode other encodings chunk by chunk into a temporary file."""
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
    line = 2
    for df in batches:
        if df.height == 0:
            continue
        yield df.with_columns(pl.int_range(line, line + df.height, dtype=pl.Int64).alias(ROW_NO))
        line += df.height


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
    with _utf8_path(path, enc) as utf8:
        lf = pl.scan_csv(utf8, infer_schema=False)
        yield from lf.collect_batches(chunk_size=batch_rows)


def _parquet_batches(path: Path, batch_rows: int) -> Iterator[pl.DataFrame]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    for rb in pf.iter_batches(batch_size=batch_rows):
        yield _text(pl.from_arrow(rb))


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
        if buf:
            yield pl.DataFrame(buf, schema=dict.fromkeys(header, pl.String), orient="row")
    finally:
        wb.close()


def read_batches(path: str | Path, batch_rows: int = 100_000, encoding: str | None = None) -> Iterator[pl.DataFrame]:
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
        raise ValueError(f"不支持的文件类型 {suffix}：请使用 CSV、Excel (.xlsx) 或 Parquet")
    return _numbered(batches)
