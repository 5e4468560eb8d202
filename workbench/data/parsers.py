"""Readers for the raw file formats: Eurostat bulk TSV, long/wide CSV extracts, GISCO GeoJSON.

Every reader returns plain pandas frames with the value and the Eurostat flag kept apart and
raises `RawDataError` (file, line, value) on input it does not understand. Line numbers count
the header as line 1. Missing cells (`:`, empty) are dropped: a missing value is an absent row.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import math
from pathlib import Path
from collections.abc import Callable, Collection
from typing import Any

import numpy as np
import pandas as pd

from workbench.data.errors import RawDataError



def _open_text(path: Path) -> io.TextIOBase:
    if not path.is_file():
        raise RawDataError(path, None, path.name, "raw file is missing")
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def read_eurostat_tsv(path: Path, dimensions: list[str],
                      keep: dict[str, Collection[str] | Callable[[str], bool]] | None = None) -> pd.DataFrame:
    """Read a Eurostat bulk TSV into long form: `<dimensions>, geo, year, value, flag, line`.

    `dimensions` are the expected codes before `geo\\time` in the first header cell (e.g.
    ``["unit", "nace_r2"]``); another header raises `RawDataError`. `keep` restricts
    dimensions to the listed codes (or to codes a predicate accepts) before cells are parsed.
    """
    path = Path(path)
    with _open_text(path) as handle:
        header = handle.readline().rstrip("\r\n").split("\t")
        expected = ",".join([*dimensions, "geo\\time"])
        if header[0].strip() != expected:
            raise RawDataError(path, 1, header[0], f"unexpected first header cell (expected {expected!r})")
        years = []
        for cell in header[1:]:
            if not cell.strip().isdigit():
                raise RawDataError(path, 1, cell, "year column header is not a year")
            years.append(int(cell))
        frame = pd.read_csv(handle, sep="\t", header=None, dtype=object, keep_default_na=False,
                            quoting=csv.QUOTE_NONE)
    if frame.empty:
        return pd.DataFrame(columns=[*dimensions, "geo", "year", "value", "flag"])
    if frame.shape[1] != len(years) + 1:
        raise RawDataError(path, 2, frame.shape[1], f"rows have a different number of cells than the header ({len(years) + 1})")
    keys = frame[0].astype(str).str.split(",", expand=True)
    if keys.shape[1] != len(dimensions) + 1 or keys.isna().any().any():
        bad = int(np.flatnonzero(keys.isna().any(axis=1).to_numpy() | (keys.shape[1] != len(dimensions) + 1))[0])
        raise RawDataError(path, bad + 2, frame.iat[bad, 0], f"expected {len(dimensions) + 1} comma-separated codes")
    keep_rows = np.ones(len(frame), dtype=bool)
    for position, dimension in enumerate(dimensions):
        wanted = (keep or {}).get(dimension)
        if callable(wanted):
            keep_rows &= keys[position].map(wanted).to_numpy(dtype=bool)
        elif wanted is not None:
            keep_rows &= keys[position].isin(list(wanted)).to_numpy()
    frame, keys = frame[keep_rows], keys[keep_rows]
    line_of_row = np.flatnonzero(keep_rows) + 2
    rows, cell_years, values, flags = [], [], [], []
    for row, cells in enumerate(frame.iloc[:, 1:].to_numpy(dtype=object).tolist()):
        for year, cell in zip(years, cells):
            number, _, flag = cell.strip().partition(" ")
            if number.startswith(":"):
                continue
            try:
                value = float(number)
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                raise RawDataError(path, int(line_of_row[row]), cell, f"non-numeric value in year {year}")
            values.append(value)
            flag = flag.strip()
            if flag and not flag.isalpha():
                raise RawDataError(path, int(line_of_row[row]), cell, f"unreadable flag in year {year}")
            rows.append(row)
            cell_years.append(year)
            flags.append(flag)
    rows = np.asarray(rows, dtype="int64")
    out = keys.iloc[rows].reset_index(drop=True)
    out.columns = [*dimensions, "geo"]
    out["year"] = np.asarray(cell_years, dtype="int64")
    out["value"] = np.asarray(values, dtype="float64")
    out["flag"] = pd.array(flags, dtype="str")
    out["line"] = line_of_row[rows]
    return out


def read_csv_table(path: Path, columns: list[str], numeric: list[str],
                   filters: dict[str, str | Callable[[pd.Series], pd.Series]] | None = None,
                   integer: list[str] = ()) -> pd.DataFrame:
    """Read a CSV extract, check its header and parse `numeric` columns (empty -> NaN).

    `filters` keep rows whose column equals the given text (or for which a function of the
    column returns True) before any parsing, so that rows of other tables in a shared file
    are not checked. `integer` columns must hold whole
    numbers (years). A `line` column gives each row's line in the file.
    """
    path = Path(path)
    with _open_text(path) as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise RawDataError(path, 1, ",".join(frame.columns), f"header lacks column(s) {', '.join(missing)}")
    frame["line"] = np.arange(2, len(frame) + 2)
    for column, wanted in (filters or {}).items():
        frame = frame[wanted(frame[column]) if callable(wanted) else frame[column] == wanted]
    for column in numeric:
        text = frame[column].str.strip()
        parsed = pd.to_numeric(text.where(text != ""), errors="coerce")
        bad = parsed.isna() & (text != "") & (text.str.upper() != "NA")
        if bad.any():
            first = bad.to_numpy().nonzero()[0][0]
            raise RawDataError(path, int(frame["line"].iloc[first]), text.iloc[first], f"non-numeric {column}")
        frame[column] = parsed.astype("float64")
    for column in integer:
        values = frame[column]
        if values.isna().any() or (values != values.round()).any():
            first = (values.isna() | (values != values.round())).to_numpy().nonzero()[0][0]
            raise RawDataError(path, int(frame["line"].iloc[first]), values.iloc[first], f"{column} is not a whole number")
        frame[column] = values.astype("int64")
    return frame.reset_index(drop=True)


def read_nuts_geojson(path: Path) -> tuple[pd.DataFrame, dict[str, list[list[list[list[float]]]]]]:
    """Read a GISCO NUTS GeoJSON (gzipped or not): units (geo, level, country, name) and polygons.

    Polygons are returned per NUTS id as a list of polygons, each a list of rings
    (exterior first), each ring a list of [lon, lat].
    """
    path = Path(path)
    try:
        with (gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")) as handle:
            document: dict[str, Any] = json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        raise RawDataError(path, None, str(error), "not a readable GeoJSON file") from None
    rows, shapes = [], {}
    for number, feature in enumerate(document.get("features", []), start=1):
        props = feature.get("properties") or {}
        missing = [k for k in ("NUTS_ID", "LEVL_CODE", "CNTR_CODE", "NAME_LATN") if k not in props]
        if missing:
            raise RawDataError(path, None, f"feature {number}", f"lacks properties {', '.join(missing)}")
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Polygon":
            polygons = [geometry["coordinates"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["coordinates"]
        else:
            raise RawDataError(path, None, geometry.get("type"), f"feature {props['NUTS_ID']} has an unsupported geometry type")
        rows.append((props["NUTS_ID"], int(props["LEVL_CODE"]), props["CNTR_CODE"], props["NAME_LATN"]))
        shapes[props["NUTS_ID"]] = polygons
    if not rows:
        raise RawDataError(path, None, "features", "no NUTS features found")
    units = pd.DataFrame(rows, columns=["geo", "level", "country", "name"])
    return units.sort_values("geo", ignore_index=True), shapes


API_VALUE_COLUMNS = {"sdmx": ("TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"), "slim": ("time", "obs_value", None)}
"""The two layouts the Eurostat API returns as CSV: SDMX-CSV 1.0 (labelled or not; header starts
with STRUCTURE) and the slim extract `freq,<dimensions>,geo,time,obs_value`."""


def read_eurostat_api_csv(path: Path, filters: dict[str, str] | None = None) -> pd.DataFrame:
    """Read a Eurostat API CSV (either layout, gzipped or not): geo, year, value, flag, line.

    `filters` keep rows whose dimension column (e.g. ``unit``) has the given code; another
    code in a filtered column is simply skipped. Rows without a value are dropped (a missing
    value is an absent row); `OBS_FLAG` is kept as the flag (SDMX-CSV only). A row with the
    wrong number of cells (e.g. a truncated download), a non-numeric value or year, or a
    truncated gzip stream raises `RawDataError` naming the file and the line.
    """
    path = Path(path)
    rows: list[tuple[str, int, float, str, int]] = []
    line = 1
    try:
        with _open_text(path) as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header:
                raise RawDataError(path, 1, "", "empty file (expected a Eurostat API CSV header)")
            layout = "sdmx" if header[0].lstrip("\ufeff") == "STRUCTURE" else "slim"
            time_column, value_column, flag_column = API_VALUE_COLUMNS[layout]
            needed = ["geo", time_column, value_column, *(filters or {})]
            missing = [c for c in needed if c not in header]
            if missing:
                raise RawDataError(path, 1, ",".join(header), f"header lacks column(s) {', '.join(missing)} "
                                   "(expected SDMX-CSV or freq,<dimensions>,geo,time,obs_value)")
            at = {name: header.index(name) for name in needed}
            flag_at = header.index(flag_column) if flag_column in header else None
            wanted = [(header.index(c), code) for c, code in (filters or {}).items()]
            for line, cells in enumerate(reader, start=2):
                if len(cells) != len(header):
                    raise RawDataError(path, line, ",".join(cells), f"row has {len(cells)} cells, the header "
                                       f"{len(header)} (truncated or malformed download)")
                if any(cells[i] != code for i, code in wanted):
                    continue
                text = cells[at[value_column]].strip()
                if text in ("", ":"):
                    continue
                try:
                    value, year = float(text), int(cells[at[time_column]])
                except ValueError:
                    raise RawDataError(path, line, ",".join(cells), "non-numeric value or year") from None
                if not math.isfinite(value):
                    raise RawDataError(path, line, text, "value is not a finite number")
                flag = cells[flag_at].strip() if flag_at is not None else ""
                rows.append((cells[at["geo"]], year, value, flag, line))
    except (EOFError, OSError, csv.Error, UnicodeDecodeError) as error:
        raise RawDataError(path, line + 1, str(error), "unreadable or truncated file") from None
    frame = pd.DataFrame(rows, columns=["geo", "year", "value", "flag", "line"])
    return frame.astype({"year": "int64", "value": "float64", "line": "int64"})
