"""`workbench data refresh`: download current Eurostat data into the raw-file layout.

Uses the optional `eurostat` package (`pip install -e ".[refresh]"`). Each dataset the build
reads is fetched with `eurostat.get_data(code, flags=True, filter_pars=...)` and written in
the layout of the file it replaces (bulk TSV, long CSV, the GDP release table, the i40 panel
columns), so that `workbench data build --raw DIR` works unchanged. The NUTS tables and the
external RII reference are not Eurostat datasets: they are copied from the default raw
folder. The recent/ files (`recent.API_FILES`, the population file) are fetched from the
Eurostat SDMX API as SDMX-CSV (`api_csv`), the layout of the recorded files in
shared/data/recent, and each answer is parsed before anything is written: a truncated or
malformed answer raises `RawDataError` naming the file and line, and nothing is written (the
raw folder and the snapshot stay as they were). Current Eurostat data use NUTS 2021/2024
codes; the build brings them to NUTS 2016 with the JRC converters (`nuts.add_later_versions`).
"""
from __future__ import annotations

import gzip
import io
import tempfile
import urllib.request
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd

from workbench import paths
from workbench.data.build import CHANGES, GEOJSON, LATER_MATRICES, MATRICES, RECENT_PROVENANCE, RII
from workbench.data.catalogue import GDP_FILE, I40, SBS, SELECTED, YEAR_FROM
from workbench.data.parsers import read_eurostat_api_csv
from workbench.data.recent import API_FILES, POPULATION_FILE, SERIES
from workbench.results import write_atomic


class RefreshError(Exception):
    """The refresh cannot run (package missing, offline, unexpected answer)."""


# raw file -> (Eurostat code, dimensions of the TSV key column, filters)
TSV_FILES = {
    "eurostat/lfst_r_lfe2emp.tsv.gz": ("lfst_r_lfe2emp", ["unit", "sex", "age"], {"unit": "THS", "sex": "T", "age": "Y_GE15"}),
    "eurostat/lfst_r_lfe2en2.tsv.gz": ("lfst_r_lfe2en2", ["unit", "nace_r2", "age"], {"unit": "THS", "age": "Y_GE15"}),
    "eurostat/trng_lfse_04.tsv.gz": ("trng_lfse_04", ["unit", "sex", "age"], {"unit": "PC", "sex": "T", "age": "Y25-64"}),
    SBS: ("sbs_r_nuts06_r2", ["nace_r2", "indic_sb"], {}),
    "eurostat/nama_10r_2gdp.tsv.gz": ("nama_10r_2gdp", ["unit"], {"unit": ["MIO_EUR", "MIO_PPS_EU27_2020", "PPS_EU27_2020_HAB"]}),
}
SELECTED_TABLES = {"tgs00010": {"sex": "T", "age": "Y_GE15", "unit": "PC"}, "tgs00049": {"unit": "PC_HH_IACC"},
                   "tgs00026": {"unit": "PPS_EU27_2020_HAB", "na_item": "B6N"}}
GDP_UNITS = {"MIO_EUR": "MIO_EUR", "MIO_PPS_EU27_2020": "MIO_PPS", "PPS_EU27_2020_HAB": "PPS_HAB",
             "PPS_HAB_EU27_2020": "PPS_HAB_EU27"}
"""Current nama_10r_2gdp unit codes -> the unit names of the GDP release table."""
I40_SOURCES = {  # i40 column -> (Eurostat code, filters)
    "rd_e_gerdreg_SECTPERF_TOTAL_UNIT_PC_GDP": ("rd_e_gerdreg", {"sectperf": "TOTAL", "unit": "PC_GDP"}),
    "rd_e_gerdreg_SECTPERF_BES_UNIT_PC_GDP": ("rd_e_gerdreg", {"sectperf": "BES", "unit": "PC_GDP"}),
    "rd_p_persreg_PROF_POS_TOTAL_SEX_T_SECTPERF_TOTAL_UNIT_FTE":
        ("rd_p_persreg", {"prof_pos": "TOTAL", "sex": "T", "sectperf": "TOTAL", "unit": "FTE"}),
    "rd_p_persreg_PROF_POS_TOTAL_SEX_T_SECTPERF_TOTAL_UNIT_PC_EMP_HC":
        ("rd_p_persreg", {"prof_pos": "TOTAL", "sex": "T", "sectperf": "TOTAL", "unit": "PC_EMP_HC"}),
    "edat_lfse_04_SEX_T_ISCED11_ED5-8_AGE_Y25-64_UNIT_PC":
        ("edat_lfse_04", {"sex": "T", "isced11": "ED5-8", "age": "Y25-64", "unit": "PC"}),
    "hrst_st_rcat_CATEGORY_HRST_UNIT_PC_POP": ("hrst_st_rcat", {"category": "HRST", "unit": "PC_POP"}),
    "htec_emp_reg2_NACE_R2_C_HTC_MH_UNIT_PC_EMP_SEX_T":
        ("htec_emp_reg2", {"nace_r2": "C_HTC_MH", "unit": "PC_EMP", "sex": "T"}),
    "htec_emp_reg2_NACE_R2_KIS_UNIT_PC_EMP_SEX_T": ("htec_emp_reg2", {"nace_r2": "KIS", "unit": "PC_EMP", "sex": "T"}),
}
COPIED = (GEOJSON, *MATRICES, *(path for path, _ in LATER_MATRICES), CHANGES, RII)

API = "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data"
"""Eurostat's SDMX 2.1 dissemination API; `?format=SDMX-CSV` answers in the SDMX-CSV 1.0 layout
of the files in recent/eucohesion/ (the build also reads their slim layout)."""
SERIES_KEYS = {
    "gdp_meur": "A.MIO_EUR.",
    "gdp_pps_per_head": "A.PPS_EU27_2020_HAB.",
    "gdp_pps_per_head_index": "A.PPS_HAB_EU27_2020.",
    "gdp_volume_index": "A.B1GQ.I15.",
    "gva_volume_index": "A.B1G.I15.",
    "employment_rate_pct": "A.PC.T.Y15-64.",
    "unemployment_rate": "A.TOTAL.T.Y15-74.PC.",
    "rd_expenditure_pct_gdp": "A.TOTAL.PC_GDP.",
    "tertiary_attainment_pct": "A.PC.ED5-8.Y25-64.T.",
}
RECENT_KEYS = {**{i: (SERIES[i][0], key) for i, key in SERIES_KEYS.items()},
               "population": ("demo_r_d2jan", "A.NR.T.TOTAL.")}
"""Indicator id -> (Eurostat dataset, SDMX series key: the codes of `recent.SERIES` in the
dataset's dimension order, geo left open), for the recent files the build reads."""
Fetch = Callable[[str, str], bytes]


def api_csv(code: str, key: str) -> bytes:
    """One SDMX-CSV answer of the Eurostat API (all regions, years from `YEAR_FROM`)."""
    url = f"{API}/{code}/{key}?format=SDMX-CSV&startPeriod={YEAR_FROM}"
    try:
        with urllib.request.urlopen(url, timeout=300) as answer:
            return answer.read()
    except OSError as error:
        raise RefreshError(f"could not download Eurostat dataset {code} ({type(error).__name__}: {error}); "
                           "the refresh needs internet access to the Eurostat API") from None


def recent_files(fetch: Fetch = api_csv) -> dict[str, bytes]:
    """The recent/ files (gzipped) from the API answers, each parsed before anything is written:
    a truncated or malformed answer raises `RawDataError` naming the file and the line."""
    targets = {indicator: relative for relative, (indicator, _) in API_FILES.items()}
    targets["population"] = POPULATION_FILE
    files = {}
    with tempfile.TemporaryDirectory(prefix="workbench-refresh-") as staging:
        for indicator, (code, key) in RECENT_KEYS.items():
            relative = targets[indicator]
            check = Path(staging) / Path(relative).name.removesuffix(".gz")
            check.write_bytes(fetch(code, key))
            table = read_eurostat_api_csv(check)
            if indicator == "population":
                text = pd.DataFrame({"nuts2_id": table["geo"], "country": table["geo"].str[:2],
                                     "year": table["year"], "population": table["value"].round().astype("int64")
                                     }).to_csv(index=False)
                files[relative] = _gzip(text)
            else:
                files[relative] = _gzip(check.read_text(encoding="utf-8"))
    lines = ["# PROVENANCE - recent regional data refreshed from the Eurostat API", "",
             f"Downloaded on {date.today().isoformat()} by `workbench data refresh` from {API} (SDMX-CSV).", "",
             "| file | Eurostat dataset and series key |", "|---|---|"]
    lines += [f"| `{Path(targets[i]).name}` | `{code}` `{key}` |" for i, (code, key) in RECENT_KEYS.items()]
    files[RECENT_PROVENANCE] = ("\n".join(lines) + "\n").encode()
    return files


def refresh_raw(raw_dir: Path, fetch: Fetch = api_csv) -> str:
    """Download the datasets into `raw_dir` (raw layout); return a short report. Nothing is
    written unless every download was read back without error."""
    eurostat = _eurostat()
    raw_dir = Path(raw_dir)
    files: dict[str, bytes] = {}
    for relative, (code, dimensions, filters) in TSV_FILES.items():
        files[relative] = _gzip(_tsv_text(_fetch(eurostat, code, filters), dimensions, code))
    files[SELECTED] = _gzip(_selected_tables(eurostat))
    files[GDP_FILE] = _gzip(_gdp_release(eurostat))
    files[I40] = _gzip(_i40_panel(eurostat))
    files["eurostat/pat_ep_rtot.csv.gz"] = _gzip(_long_csv(_fetch(eurostat, "pat_ep_rtot", {"unit": "P_MHAB"}), ["unit"]))
    files["eurostat/isoc_r_iuse_i_daily_internet_users.csv"] = _long_csv(
        _fetch(eurostat, "isoc_r_iuse_i", {"indic_is": "I_IDAY", "unit": "PC_IND"}), []).encode()
    persons = {"prof_pos": "TOTAL", "sex": "T", "sectperf": "TOTAL", "unit": "FTE"}
    files["eurostat/rd_p_persreg_total_fte_2009_2018.csv"] = _long_csv(
        _fetch(eurostat, "rd_p_persreg", persons), list(persons)).encode()
    files["README.md"] = _readme(eurostat).encode()
    files.update(recent_files(fetch))
    for relative in COPIED:
        source = paths.DEFAULT_RAW_DIR / relative
        if not (raw_dir / relative).is_file():
            if not source.is_file():
                raise RefreshError(f"{relative} is not a Eurostat dataset and is missing from {paths.DEFAULT_RAW_DIR}; "
                                   f"put a copy into {raw_dir / relative}")
            files[relative] = source.read_bytes()
    for relative, payload in files.items():
        write_atomic(raw_dir / relative, payload)
    return f"refreshed {len(files)} files in {raw_dir}; build with: workbench data build --raw {raw_dir}"


def _eurostat():
    try:
        import eurostat
    except ImportError:
        raise RefreshError("the refresh needs the optional `eurostat` package: "
                           "pip install -e \".[refresh]\" (or: pip install eurostat)") from None
    return eurostat


def _fetch(eurostat, code: str, filters: dict) -> pd.DataFrame:
    """One dataset as a long frame: its dimensions, geo, year, value, flag (missing dropped)."""
    pars = {**filters, "startPeriod": YEAR_FROM}
    try:
        table = eurostat.get_data(code, flags=True, filter_pars=pars)
    except Exception as error:  # the package raises requests/urllib/HTTP errors of many kinds
        raise RefreshError(f"could not download Eurostat dataset {code} ({type(error).__name__}: {error}); "
                           "the refresh needs internet access to the Eurostat API") from None
    if not table or not any(str(h).endswith("\\TIME_PERIOD") for h in table[0]):
        raise RefreshError(f"unexpected answer for {code}: header {table[0] if table else None!r}")
    header = [str(h) for h in table[0]]
    split = next(i for i, h in enumerate(header) if h.endswith("\\TIME_PERIOD"))
    dimensions = header[:split] + ["geo"]
    records = []
    for row in table[1:]:
        key = dict(zip(dimensions, row[: split + 1]))
        for position in range(split + 1, len(header)):
            name = header[position]
            if name.endswith("_flag"):
                continue
            year = name.removesuffix("_value")
            flag_at = header.index(f"{year}_flag") if f"{year}_flag" in header else None
            value = row[position]
            if value is None or value != value:
                continue
            flag = row[flag_at] if flag_at is not None and row[flag_at] else ""
            records.append({**key, "year": int(year), "value": float(value), "flag": str(flag)})
    return pd.DataFrame(records, columns=[*dimensions, "year", "value", "flag"])


def _tsv_text(frame: pd.DataFrame, dimensions: list[str], code: str) -> str:
    """Eurostat bulk TSV layout: `dims,geo\\time` then years newest first, "value flag" cells.

    Dimensions the layout does not have (e.g. `freq`) must hold one value only."""
    missing = [d for d in dimensions if d not in frame.columns]
    if missing:
        raise RefreshError(f"Eurostat {code} no longer has the dimension(s) {', '.join(missing)}")
    for column in frame.columns.difference([*dimensions, "geo", "year", "value", "flag"]):
        if frame[column].nunique() > 1:
            raise RefreshError(f"Eurostat {code}: dimension {column} has several values "
                               f"({', '.join(sorted(frame[column].unique())[:5])}); add a filter for it")
    frame = frame.assign(key=frame[[*dimensions, "geo"]].astype(str).agg(",".join, axis=1),
                         cell=frame["value"].map(lambda v: f"{v:g}") + frame["flag"].map(lambda f: f" {f}" if f else " "))
    wide = frame.pivot_table(index="key", columns="year", values="cell", aggfunc="first").fillna(": ")
    wide = wide[sorted(wide.columns, reverse=True)]
    lines = ["\t".join([",".join([*dimensions, "geo\\time"]), *(f"{y} " for y in wide.columns)])]
    lines += ["\t".join([key, *cells]) for key, cells in zip(wide.index, wide.to_numpy().tolist())]
    return "\n".join(lines) + "\n"


def _long_csv(frame: pd.DataFrame, dimensions: list[str]) -> str:
    out = frame[[*dimensions, "geo"]].assign(time=frame["year"], values=frame["value"])
    return out.to_csv(index=False)


def _selected_tables(eurostat) -> str:
    frames = []
    for code, filters in SELECTED_TABLES.items():
        frame = _fetch(eurostat, code, filters)
        unit = {"tgs00026": "PPS_HAB"}.get(code, filters["unit"])  # layout keeps the 2020 unit name
        frames.append(pd.DataFrame({"unit": unit, "geo": frame["geo"], "time": frame["year"], "values": frame["value"],
                                    "input_var_code": code, "input_var_desc": code,
                                    **{k: v for k, v in filters.items() if k != "unit"}}))
    return pd.concat(frames, ignore_index=True).to_csv(index=False)


def _gdp_release(eurostat) -> str:
    """nama_10r_2gdp and nama_10r_3popgdp (population) in the release-table layout, labelled
    with a vintage of the download year (the build uses the latest vintage in the file)."""
    vintage = f"V{date.today().year}"
    gdp = _fetch(eurostat, "nama_10r_2gdp", {"unit": list(GDP_UNITS)})
    gdp = gdp.assign(unit=gdp["unit"].map(GDP_UNITS))
    pop = _fetch(eurostat, "nama_10r_3popgdp", {"unit": "THS"}).assign(unit="POP")
    frame = pd.concat([gdp, pop], ignore_index=True)
    frame = frame[frame["geo"].str.len().isin([2, 4])]
    return pd.DataFrame({"Country": frame["geo"].str[:2], "NUTS": frame["geo"].str.len() - 2,
                         "geo": frame["geo"], "label": "", "vintage": vintage, "unit": frame["unit"],
                         "time": frame["year"], "values": frame["value"]}).to_csv(index=False)


def _i40_panel(eurostat) -> str:
    """The i40 panel's Eurostat columns rebuilt from their datasets (NUTS_ID, YEAR, columns)."""
    columns = []
    for column, (code, filters) in I40_SOURCES.items():
        frame = _fetch(eurostat, code, filters)
        columns.append(frame.set_index(["geo", "year"])["value"].rename(column))
    wide = pd.concat(columns, axis=1).reset_index().rename(columns={"geo": "NUTS_ID", "year": "YEAR"})
    return wide.to_csv(index=False)


def _gzip(text: str) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as handle:
        handle.write(text.encode("utf-8"))
    return buffer.getvalue()


def _readme(eurostat) -> str:
    version = getattr(eurostat, "__version__", "unknown version")
    lines = [f"# Raw data refreshed from the Eurostat API on {date.today().isoformat()}",
             "", f"Downloaded with the Python package `eurostat` ({version}) by `workbench data refresh`.",
             "Data: Eurostat, reuse authorised provided the source is acknowledged.", ""]
    for relative, (code, _, filters) in TSV_FILES.items():
        lines += [f"### `{Path(relative).name}`", f"Eurostat `{code}`, filters {filters}, bulk TSV layout.", ""]
    lines += [f"### `{Path(SELECTED).name}`", f"Eurostat {', '.join(SELECTED_TABLES)} in long layout.", "",
              f"### `{Path(GDP_FILE).name}`", "Eurostat nama_10r_2gdp and nama_10r_3popgdp in the release layout.", "",
              f"### `{Path(I40).name}`", "Eurostat columns of the i40 panel rebuilt from "
              f"{', '.join(sorted({c for c, _ in I40_SOURCES.values()}))}.", "",
              "### `pat_ep_rtot.csv.gz`", "Eurostat pat_ep_rtot (P_MHAB).", "",
              "### `isoc_r_iuse_i_daily_internet_users.csv`", "Eurostat isoc_r_iuse_i (I_IDAY, PC_IND).", "",
              "### `rd_p_persreg_total_fte_2009_2018.csv`", "Eurostat rd_p_persreg (TOTAL, FTE), all years.", ""]
    return "\n".join(lines)
