"""Deterministic serialisation of snapshot tables (same frame -> same bytes)."""
from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

CATEGORICAL = ("indicator", "nace", "geo", "flag", "method", "country")


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """Parquet bytes of `frame` (zstd, dictionary-encoded text, no index, sorted categories)."""
    frame = frame.reset_index(drop=True).copy()
    for column in frame.columns:
        if column in CATEGORICAL:
            frame[column] = pd.Categorical(frame[column].astype(str), categories=sorted(frame[column].astype(str).unique()))
    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd", compression_level=9, use_dictionary=True,
                   write_statistics=False, store_schema=True)
    return sink.getvalue().to_pybytes()


def read_parquet(path) -> pd.DataFrame:
    return pq.read_table(path).to_pandas()


def json_bytes(document: Any) -> bytes:
    """Stable JSON (indent 1, keys in insertion order, UTF-8, final newline)."""
    return (json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")
