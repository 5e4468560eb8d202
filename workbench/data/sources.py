"""Raw files -> indicator rows (indicator, nace, geo, year, value, flag, method).

One function per raw source. Each reads its file with `parsers`, keeps the series the
catalogue names, maps NUTS codes to NUTS 2016 (`nuts.NutsTable.harmonise`) and keeps the
years from `YEAR_FROM`. Where two rows end up on the same (indicator, nace, geo, year) the
row reported under the NUTS 2016 code wins over a recoded one (`prefer_reported`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workbench.data.catalogue import BY_ID, GDP_FILE, I40, SBS, SELECTED, YEAR_FROM
from workbench.data.nuts import Conversion, NutsTable
from workbench.data.parsers import read_csv_table, read_eurostat_tsv

COLUMNS = ["indicator", "nace", "geo", "year", "value", "flag", "method"]


@dataclass
class SourceLog:
    """What was read: files, rows kept, NUTS codes dropped as not convertible."""

    files: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    dropped_codes: dict[str, set[str]] = field(default_factory=dict)


def finish(frame: pd.DataFrame, nuts: NutsTable, path: Path, log: SourceLog, relative: str,
           note: str = "") -> pd.DataFrame:
    """Rows of one raw file in NUTS 2016 units, from `YEAR_FROM`: NUTS 2021/2024 codes that are
    not NUTS 2016 units are converted (`convert`), the others harmonised (`NutsTable.harmonise`)."""
    later = frame["geo"].isin(nuts.later_codes)
    if not later.any():
        return _finish_current(frame, nuts, path, log, relative, note)
    conversions = [(conversion, convert(frame[later], conversion)) for conversion in nuts.later.values()]
    converted = [c.assign(method=c["method"] + (f"; {note}" if note else "")) for _, c in conversions if not c.empty]
    used = {code for conversion, c in conversions if not c.empty for code, _, _ in conversion.sources}
    kept = _finish_current(frame[~later], nuts, path, log, relative, note)
    log.rows[relative] += sum(len(c) for c in converted)
    unused = set(frame.loc[later, "geo"]) - used  # e.g. HR02 alone, without HR05 and HR06
    if unused:
        log.dropped_codes.setdefault(relative, set()).update(unused)
    return pd.concat([kept, *converted], ignore_index=True)


def _finish_current(frame: pd.DataFrame, nuts: NutsTable, path: Path, log: SourceLog, relative: str,
                    note: str = "") -> pd.DataFrame:
    frame = frame[frame["year"] >= YEAR_FROM]
    frame, dropped = nuts.harmonise(frame, path, note)
    if "nace" not in frame:
        frame["nace"] = ""
    if "flag" not in frame:
        frame["flag"] = ""
    if relative not in log.files:
        log.files.append(relative)
    log.rows[relative] = log.rows.get(relative, 0) + len(frame)
    if dropped:
        log.dropped_codes.setdefault(relative, set()).update(dropped)
    return frame[COLUMNS]


def convert(frame: pd.DataFrame, conversion: Conversion) -> pd.DataFrame:
    """Rows (indicator, geo, year, value, flag) of later-version codes -> rows of the NUTS 2016
    unit `conversion.target` for the (indicator, year) in which every source has a value."""
    codes = [code for code, _, _ in conversion.sources]
    rows = frame[frame["geo"].isin(codes) & (frame["year"] >= YEAR_FROM)]
    rows = rows if "nace" in rows else rows.assign(nace="")
    out = []
    for (indicator_id, nace, year), group in rows.groupby(["indicator", "nace", "year"], sort=True):
        values = dict(zip(group["geo"], group["value"]))
        if set(values) != set(codes):
            continue
        if BY_ID[indicator_id].aggregation == "sum":
            value = sum(values[code] * inside / whole for code, inside, whole in conversion.sources)
        else:
            weight = sum(inside for _, inside, _ in conversion.sources)
            value = sum(values[code] * inside for code, inside, _ in conversion.sources) / weight
        flag = "".join(sorted(set("".join(group["flag"])))) if "flag" in group else ""
        out.append((indicator_id, nace, conversion.target, int(year), float(value), flag, conversion.method()))
    return pd.DataFrame(out, columns=COLUMNS)


def prefer_reported(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (indicator, nace, geo, year): the reported row first, else the first other."""
    order = (frame["method"] != "reported").astype("int8")
    frame = frame.assign(_order=order).sort_values(["_order"], kind="stable")
    frame = frame.drop_duplicates(["indicator", "nace", "geo", "year"], keep="first")
    return frame.drop(columns="_order")


def regional_gdp(raw: Path, nuts: NutsTable, log: SourceLog) -> pd.DataFrame:
    """Population and GDP from the latest vintage of the release table (V2021 in shared/data);
    gaps of NUTS 0/2 units filled from nama_10r_2gdp (GDP) and tgs00096 (population)."""
    units = {"POP": "population", "MIO_EUR": "gdp_meur", "MIO_PPS": "gdp_mpps",
             "PPS_HAB": "gdp_pps_per_head", "PPS_HAB_EU27": "gdp_pps_per_head_index"}
    path = raw / GDP_FILE
    table = read_csv_table(path, ["geo", "vintage", "unit", "time", "values"], numeric=["values", "time"],
                           filters={"vintage": lambda vintage: vintage == vintage.max()}, integer=["time"])
    table = table[table["unit"].isin(list(units)) & table["values"].notna()]
    frame = pd.DataFrame({"indicator": table["unit"].map(units), "geo": table["geo"], "year": table["time"],
                          "value": table["values"], "line": table["line"]})
    frame.loc[frame["indicator"] == "population", "value"] = (frame["value"] * 1000).round(0)
    release = _consistent_gdp_pps(finish(frame, nuts, path, log, GDP_FILE))

    fill_units = {"MIO_EUR": "gdp_meur", "MIO_PPS": "gdp_mpps", "PPS_HAB": "gdp_pps_per_head"}
    relative = "eurostat/nama_10r_2gdp.tsv.gz"
    old = read_eurostat_tsv(raw / relative, ["unit"], keep={"unit": list(fill_units)})
    old = old.assign(indicator=old["unit"].map(fill_units))
    old = finish(old, nuts, raw / relative, log, relative, note="filled from nama_10r_2gdp (2017 release)")
    table = read_csv_table(raw / SELECTED, ["unit", "geo", "time", "values", "input_var_code", "sex", "age"],
                           numeric=["values", "time"], integer=["time"],
                           filters={"input_var_code": "tgs00096", "unit": "NR", "sex": "T", "age": "TOTAL"})
    table = table[table["values"].notna()]
    january = pd.DataFrame({"indicator": "population", "geo": table["geo"], "year": table["time"],
                            "value": table["values"], "line": table["line"]})
    january = finish(january, nuts, raw / SELECTED, log, SELECTED, note="filled from tgs00096 (1 January)")
    fills = pd.concat([old, january], ignore_index=True)
    fills = fills[fills["geo"].map(nuts.level).isin([0, 2])]
    have = pd.MultiIndex.from_frame(release[["indicator", "geo", "year"]])
    fills = fills[~pd.MultiIndex.from_frame(fills[["indicator", "geo", "year"]]).isin(have)]
    return pd.concat([release, fills], ignore_index=True)


GDP_PPS_TOLERANCE = 0.05
GDP_PPS_DERIVED = ("derived: PPS per inhabitant x population (the release's MIO_PPS differs "
                   "from that product by more than 5%)")


def _consistent_gdp_pps(release: pd.DataFrame) -> pd.DataFrame:
    """GDP in PPS checked against PPS per inhabitant x population of the same release.

    The V2021 release in shared/data carries French MIO_PPS values for 2015-2019 that cannot be
    right (Ile-de-France 62,914 million PPS in 2015 against 596,571 in V2020, while its PPS per
    inhabitant and population are unchanged). Where MIO_PPS and PPS_HAB x POP differ by more
    than 5% (PPS_HAB is rounded to 100, i.e. well under 1% for regional levels) the product is
    used instead and the method column says so; everywhere else the reported value stays.
    """
    keys = ["geo", "year"]
    wide = release[release["nace"] == ""].pivot_table(index=keys, columns="indicator", values="value")
    if not {"gdp_mpps", "gdp_pps_per_head", "population"} <= set(wide.columns):
        return release
    product = (wide["gdp_pps_per_head"] * wide["population"] / 1e6).rename("product")
    rows = release["indicator"] == "gdp_mpps"
    checked = release[rows].join(product, on=keys)
    off = (checked["value"] / checked["product"] - 1).abs() > GDP_PPS_TOLERANCE
    release = release.copy()
    release.loc[checked.index[off], "value"] = checked.loc[off, "product"]
    release.loc[checked.index[off], "method"] = GDP_PPS_DERIVED
    return release


def _tsv(raw: Path, relative: str, dimensions: list[str], keep: dict[str, list[str]], nuts: NutsTable,
         log: SourceLog, indicator: str, nace: str = "") -> pd.DataFrame:
    frame = read_eurostat_tsv(raw / relative, dimensions, keep)
    frame["indicator"] = indicator
    if nace:
        frame["nace"] = frame[nace]
    return finish(frame, nuts, raw / relative, log, relative)


def labour_force_survey(raw: Path, nuts: NutsTable, log: SourceLog) -> pd.DataFrame:
    """Employment (15+) in total and by NACE section; lifelong learning."""
    return pd.concat([
        _tsv(raw, "eurostat/lfst_r_lfe2emp.tsv.gz", ["unit", "sex", "age"],
             {"unit": ["THS"], "sex": ["T"], "age": ["Y_GE15"]}, nuts, log, "employment"),
        _tsv(raw, "eurostat/lfst_r_lfe2en2.tsv.gz", ["unit", "nace_r2", "age"],
             {"unit": ["THS"], "age": ["Y_GE15"]}, nuts, log, "employment_by_section", nace="nace_r2"),
        _tsv(raw, "eurostat/trng_lfse_04.tsv.gz", ["unit", "sex", "age"],
             {"unit": ["PC"], "sex": ["T"], "age": ["Y25-64"]}, nuts, log, "lifelong_learning_pct"),
    ], ignore_index=True)


def business_statistics(raw: Path, nuts: NutsTable, log: SourceLog) -> pd.DataFrame:
    """SBS persons employed, wages and local units by NACE section and division (3-digit dropped)."""
    indicators = {"V16110": "sbs_persons_employed", "V13320": "sbs_wages_meur", "V11210": "sbs_local_units"}
    frame = read_eurostat_tsv(raw / SBS, ["nace_r2", "indic_sb"],
                              {"indic_sb": list(indicators), "nace_r2": lambda code: len(code) <= 3})
    frame = frame.assign(indicator=frame["indic_sb"].map(indicators), nace=frame["nace_r2"])
    return finish(frame, nuts, raw / SBS, log, SBS)


def selected_tables(raw: Path, nuts: NutsTable, log: SourceLog) -> pd.DataFrame:
    """tgs00010 unemployment rate, tgs00049 broadband, tgs00026 disposable income."""
    tables = {"tgs00010": ("unemployment_rate", {"sex": "T", "age": "Y_GE15", "unit": "PC"}),
              "tgs00049": ("broadband_households_pct", {"unit": "PC_HH_IACC"}),
              "tgs00026": ("disposable_income_pps_per_head", {"unit": "PPS_HAB", "na_item": "B6N"})}
    frames = []
    for code, (indicator, filters) in tables.items():
        table = read_csv_table(raw / SELECTED, ["unit", "geo", "time", "values", "input_var_code", *filters],
                               numeric=["values", "time"], filters={"input_var_code": code, **filters},
                               integer=["time"])
        table = table[table["values"].notna()]
        frames.append(pd.DataFrame({"indicator": indicator, "geo": table["geo"], "year": table["time"],
                                    "value": table["values"], "line": table["line"]}))
    return finish(pd.concat(frames, ignore_index=True), nuts, raw / SELECTED, log, SELECTED)


def _long_csv(raw: Path, relative: str, indicator: str, nuts: NutsTable, log: SourceLog,
              filters: dict[str, str] | None = None, note: str = "") -> pd.DataFrame:
    table = read_csv_table(raw / relative, ["geo", "time", "values", *(filters or {})],
                           numeric=["values", "time"], filters=filters, integer=["time"])
    table = table[table["values"].notna()]
    frame = pd.DataFrame({"indicator": indicator, "geo": table["geo"], "year": table["time"],
                          "value": table["values"], "line": table["line"]})
    return finish(frame, nuts, raw / relative, log, relative, note)


I40_COLUMNS = {
    "rd_e_gerdreg_SECTPERF_TOTAL_UNIT_PC_GDP": "rd_expenditure_pct_gdp",
    "rd_e_gerdreg_SECTPERF_BES_UNIT_PC_GDP": "rd_business_pct_gdp",
    "rd_p_persreg_PROF_POS_TOTAL_SEX_T_SECTPERF_TOTAL_UNIT_FTE": "rd_personnel_fte",
    "rd_p_persreg_PROF_POS_TOTAL_SEX_T_SECTPERF_TOTAL_UNIT_PC_EMP_HC": "rd_personnel_pct_employment",
    "edat_lfse_04_SEX_T_ISCED11_ED5-8_AGE_Y25-64_UNIT_PC": "tertiary_attainment_pct",
    "hrst_st_rcat_CATEGORY_HRST_UNIT_PC_POP": "hrst_pct_population",
    "htec_emp_reg2_NACE_R2_C_HTC_MH_UNIT_PC_EMP_SEX_T": "hightech_manufacturing_pct",
    "htec_emp_reg2_NACE_R2_KIS_UNIT_PC_EMP_SEX_T": "kis_employment_pct",
}


def innovation_panel(raw: Path, nuts: NutsTable, log: SourceLog) -> pd.DataFrame:
    """R&D, education, HRST and high-tech employment from the i40 panel; R&D personnel gaps filled."""
    table = read_csv_table(raw / I40, ["NUTS_ID", "YEAR", *I40_COLUMNS], numeric=["YEAR", *I40_COLUMNS],
                           integer=["YEAR"])
    frame = table.melt(id_vars=["NUTS_ID", "YEAR", "line"], value_vars=list(I40_COLUMNS),
                       var_name="column", value_name="value").dropna(subset=["value"])
    frame = pd.DataFrame({"indicator": frame["column"].map(I40_COLUMNS), "geo": frame["NUTS_ID"],
                          "year": frame["YEAR"], "value": frame["value"], "line": frame["line"]})
    panel = finish(frame, nuts, raw / I40, log, I40)
    extract = _long_csv(raw, "eurostat/rd_p_persreg_total_fte_2009_2018.csv", "rd_personnel_fte", nuts, log,
                        {"prof_pos": "TOTAL", "sex": "T", "sectperf": "TOTAL", "unit": "FTE"},
                        note="filled from rd_p_persreg extract")
    have = pd.MultiIndex.from_frame(panel[["indicator", "geo", "year"]])
    extract = extract[~pd.MultiIndex.from_frame(extract[["indicator", "geo", "year"]]).isin(have)]
    return pd.concat([panel, extract], ignore_index=True)


def other_extracts(raw: Path, nuts: NutsTable, log: SourceLog) -> pd.DataFrame:
    """Patents per million inhabitants and daily internet users."""
    return pd.concat([
        _long_csv(raw, "eurostat/pat_ep_rtot.csv.gz", "patents_per_million", nuts, log, {"unit": "P_MHAB"}),
        _long_csv(raw, "eurostat/isoc_r_iuse_i_daily_internet_users.csv", "daily_internet_users_pct", nuts, log),
    ], ignore_index=True)


READERS = (regional_gdp, labour_force_survey, business_statistics, selected_tables, innovation_panel,
           other_extracts)


def read_all(raw: Path, nuts: NutsTable, log: SourceLog) -> pd.DataFrame:
    """Every reported indicator row from every raw source, one row per key."""
    frame = pd.concat([reader(raw, nuts, log) for reader in READERS], ignore_index=True)
    return prefer_reported(frame)
