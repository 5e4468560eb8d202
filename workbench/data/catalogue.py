"""The indicator catalogue: what each indicator id means, where it comes from, how it aggregates.

Aggregation rules (used by `aggregate.py`):
* `sum` for counts and money (kind `count`, `money`): a region's value is the sum of its parts.
* `weighted_mean` for rates, shares, ratios, per-head values and indices, weighted by the
  indicator named in `weight`. The exact weight is the indicator's denominator; where that
  denominator is not in the raw files for every year of the indicator (labour force, persons
  aged 25-64, households, active population) the weight is `population`, which covers
  2000-2019, and the definition says so.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

YEAR_FROM = 2008
"""Series start in 2008 (or the first later year a source has)."""

EXTENSIVE_KINDS = ("count", "money")


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    unit: str
    dataset: str
    filters: str
    direction: str
    kind: str
    weight: str
    source_file: str
    definition: str
    has_nace: bool = False
    recent_file: str = ""
    """The recent API download that extends this id (`recent.py` splice), if any."""
    reference: str = "eu27"
    """The one EU reference of the indicator for every region and year: `eu27` (the EU-27
    aggregate, `benchmarks.py` coverage rule) or `distribution` (the median of the EU-27 NUTS 2
    units of that year): for indices where an aggregate makes no sense, and for indicators whose
    EU-27 aggregate fails the coverage rule in most of their years (BERD 2 of 9 years, R&D
    personnel share none, local units per 1,000 one, disposable income 3 of 11, broadband
    none), so that no region or year is left without a reference."""

    @property
    def aggregation(self) -> str:
        return "sum" if self.kind in EXTENSIVE_KINDS else "weighted_mean"


GDP_FILE = "eurostat/regional_gdp_release_vintages_2015_2021.csv.gz"
GDP_FILL = ("Years and units missing from V2021 for NUTS 0/2 units (the French regions before 2015) "
            "are filled from eurostat/nama_10r_2gdp.tsv.gz (2017 release, NUTS 2013 codes recoded); "
            "the method column says 'filled from nama_10r_2gdp (2017 release)'.")
SELECTED = "eurostat/eurostat_selected_tables_nuts0_nuts2.csv.gz"
I40 = "i40/i40_index_db_nuts2_2008_2019.csv.gz"
SBS = "eurostat/sbs_r_nuts06_r2.tsv.gz"
RECENT = "recent/eucohesion/"
RECENT_NOTE = (" Extended with the Eurostat API download {file} (December 2026 copy, NUTS 2021/2024 "
               "codes converted to NUTS 2016): it gives the years after the older source's last year; "
               "the method column says 'spliced from ...'. Back-test on the overlapping years in the "
               "snapshot manifest (splices).")
POP_WEIGHT = " Regions made of several units: mean of the parts weighted by population (the exact weight is not in the raw files for all years)."

INDICATORS: tuple[Indicator, ...] = (
    Indicator("population", "Population", "persons", "nama_10r_3popgdp via the regional GDP release V2021", "unit=POP",
              "neutral", "count", "", GDP_FILE,
              "Average annual population used by Eurostat for GDP per inhabitant (release unit POP, "
              "thousand persons, multiplied by 1,000). (Unit, year) pairs of NUTS 0/2 units missing "
              "from V2021 (e.g. Saarland DEC0) are filled with the population on 1 January from "
              "tgs00096 (eurostat_selected_tables_nuts0_nuts2.csv.gz); the method column says "
              "'filled from tgs00096 (1 January)'. From 2020: population on 1 January (demo_r_d2jan, "
              "unit=NR, sex=T, age=TOTAL) from a DERIVED extract of the EUcohesion project's processed "
              "panel (values unchanged; recent/PROVENANCE.md).",
              recent_file=RECENT + "demo_r_d2jan_population_nuts2_extracted_from_panel_master.csv.gz"),
    Indicator("gdp_meur", "GDP at current market prices", "million EUR", "nama_10r_2gdp release V2021",
              "unit=MIO_EUR", "neutral", "money", "", GDP_FILE,
              "Gross domestic product at current market prices. " + GDP_FILL,
              recent_file=RECENT + "eurostat_nama_10r_2gdp.csv.gz"),
    Indicator("gdp_mpps", "GDP in purchasing power standards", "million PPS", "nama_10r_2gdp release V2021",
              "unit=MIO_PPS", "neutral", "money", "", GDP_FILE,
              "GDP at current market prices in million PPS. " + GDP_FILL),
    Indicator("gdp_pps_per_head", "GDP per inhabitant", "PPS per inhabitant", "nama_10r_2gdp release V2021",
              "unit=PPS_HAB", "higher_better", "per_head", "population", GDP_FILE,
              "GDP in PPS divided by average population. " + GDP_FILL +
              " Regions made of several units: mean weighted by population (= sum of GDP / sum of population).",
              recent_file=RECENT + "eurostat_gdp_pc_pps_nuts2.csv.gz"),
    Indicator("gdp_pps_per_head_index", "GDP per inhabitant, EU-27 = 100", "index, EU-27 (2020) = 100",
              "nama_10r_2gdp release V2021", "unit=PPS_HAB_EU27", "higher_better", "index", "population",
              GDP_FILE, "GDP per inhabitant in PPS relative to the EU-27 (2020) average. V2021 only: "
              "nama_10r_2gdp's PPS_HAB_EU uses the EU-28 base and is not used, so French regions have "
              "no index before 2015.",
              recent_file=RECENT + "eurostat_gdp_pc_pps_rel_eu_nuts2.csv.gz"),
    Indicator("employment", "Persons employed (LFS)", "thousand persons", "lfst_r_lfe2emp",
              "unit=THS, sex=T, age=Y_GE15", "neutral", "count", "", "eurostat/lfst_r_lfe2emp.tsv.gz",
              "Employed persons aged 15 and over, Labour Force Survey (place of residence)."),
    Indicator("productivity", "GDP per person employed", "PPS per person employed",
              "derived: nama_10r_2gdp (V2021, MIO_PPS) / lfst_r_lfe2emp (THS)", "",
              "higher_better", "ratio", "employment", GDP_FILE,
              "gdp_mpps x 1e6 / (employment x 1e3), for the years both exist (2008-2015). GDP is "
              "counted where it is produced, LFS employment where people live: commuter regions "
              "are biased. Regions made of several units: mean weighted by employment "
              "(= sum of GDP / sum of employment)."),
    Indicator("unemployment_rate", "Unemployment rate", "% of labour force", "tgs00010",
              "sex=T, age=Y_GE15, unit=PC", "lower_better", "rate", "population", SELECTED,
              "Unemployed persons as % of the labour force aged 15+ (LFS). NUTS 2 only in the source; "
              "countries and NUTS 1 regions are aggregated from their NUTS 2 units." + POP_WEIGHT,
              recent_file=RECENT + "eurostat_tgs00010_unemployment_rate.csv.gz"),
    Indicator("employment_by_section", "Employment by NACE section (LFS)", "thousand persons",
              "lfst_r_lfe2en2", "unit=THS, age=Y_GE15", "neutral", "count", "",
              "eurostat/lfst_r_lfe2en2.tsv.gz",
              "Employed persons aged 15+ by NACE Rev. 2 section or section group (TOTAL, A, B-E, F, "
              "G-I, J, K, L, M_N, O-Q, R-U, NRP = no response).", has_nace=True),
    Indicator("industry_employment_share", "Employment in industry (B-E)", "% of employment",
              "derived: lfst_r_lfe2en2", "unit=THS, age=Y_GE15, nace_r2=B-E / TOTAL", "neutral", "share",
              "employment", "eurostat/lfst_r_lfe2en2.tsv.gz",
              "Employment in mining, manufacturing, energy and water (B-E) as % of total employment "
              "(LFS, 15+). Regions made of several units: mean weighted by employment."),
    Indicator("sbs_persons_employed", "Persons employed (SBS)", "persons", "sbs_r_nuts06_r2",
              "indic_sb=V16110", "neutral", "count", "", SBS,
              "Persons employed in local units (structural business statistics), business economy "
              "sections B-N excluding K and their NACE divisions; 3-digit groups dropped.", has_nace=True),
    Indicator("sbs_wages_meur", "Wages and salaries (SBS)", "million EUR", "sbs_r_nuts06_r2",
              "indic_sb=V13320", "neutral", "money", "", SBS,
              "Wages and salaries of local units, million EUR, by NACE section and division.", has_nace=True),
    Indicator("sbs_local_units", "Local units (SBS)", "number", "sbs_r_nuts06_r2", "indic_sb=V11210",
              "neutral", "count", "", SBS, "Number of local units by NACE section and division.", has_nace=True),
    Indicator("sbs_wage_per_employee", "Wages and salaries per person employed (SBS)", "EUR per person",
              "derived: sbs_r_nuts06_r2", "indic_sb=V13320 / V16110", "higher_better", "ratio",
              "sbs_persons_employed", SBS,
              "Wages and salaries x 1e6 / persons employed (persons employed include unpaid persons). "
              "Regions made of several units: mean weighted by persons employed (= sum / sum).",
              has_nace=True),
    Indicator("rd_expenditure_pct_gdp", "R&D expenditure (GERD)", "% of GDP", "rd_e_gerdreg",
              "sectperf=TOTAL, unit=PC_GDP", "higher_better", "ratio", "gdp_meur", I40,
              "Gross domestic expenditure on R&D, all sectors, % of GDP (column "
              "rd_e_gerdreg_SECTPERF_TOTAL_UNIT_PC_GDP). Regions made of several units: mean weighted by GDP.",
              recent_file=RECENT + "eurostat_tgs00042_gerd_rd_expenditure.csv.gz"),
    Indicator("rd_business_pct_gdp", "Business R&D expenditure (BERD)", "% of GDP", "rd_e_gerdreg",
              "sectperf=BES, unit=PC_GDP", "higher_better", "ratio", "gdp_meur", I40,
              "R&D expenditure of the business enterprise sector, % of GDP (column "
              "rd_e_gerdreg_SECTPERF_BES_UNIT_PC_GDP). Regions made of several units: mean weighted by GDP.",
              reference="distribution"),
    Indicator("rd_personnel_fte", "R&D personnel", "full-time equivalents", "rd_p_persreg",
              "prof_pos=TOTAL, sex=T, sectperf=TOTAL, unit=FTE", "neutral", "count", "", I40,
              "R&D personnel, all sectors, FTE. i40 column rd_p_persreg_PROF_POS_TOTAL_SEX_T_SECTPERF_"
              "TOTAL_UNIT_FTE; (unit, year) pairs absent there are taken from "
              "eurostat/rd_p_persreg_total_fte_2009_2018.csv (2009, 2018); the method column says "
              "'filled from rd_p_persreg extract'."),
    Indicator("rd_personnel_pct_employment", "R&D personnel", "% of employment (head count)", "rd_p_persreg",
              "prof_pos=TOTAL, sex=T, sectperf=TOTAL, unit=PC_EMP_HC", "higher_better", "share",
              "population", I40,
              "R&D personnel (head count), all sectors, as % of total employment (the i40 file has the "
              "all-sector share only as head count)." + POP_WEIGHT,
              reference="distribution"),
    Indicator("patents_per_million", "EPO patent applications", "per million inhabitants", "pat_ep_rtot",
              "unit=P_MHAB", "higher_better", "per_head", "population", "eurostat/pat_ep_rtot.csv.gz",
              "Patent applications to the EPO by priority year per million inhabitants (NUTS 2013 codes "
              "recoded). Chosen over tgs00040 (same Eurostat dataset, NUTS 2 only): pat_ep_rtot also "
              "has countries and NUTS 1. Regions made of several units: mean weighted by population."),
    Indicator("tertiary_attainment_pct", "Tertiary educational attainment", "% of population aged 25-64",
              "edat_lfse_04", "sex=T, isced11=ED5-8, age=Y25-64, unit=PC", "higher_better", "share",
              "population", I40, "Persons aged 25-64 with tertiary education (ISCED 5-8), %." + POP_WEIGHT,
              recent_file=RECENT + "eurostat_tgs00109_tertiary_education_25_64.csv.gz"),
    Indicator("hrst_pct_population", "Human resources in science and technology", "% of population",
              "hrst_st_rcat", "category=HRST, unit=PC_POP", "higher_better", "share", "population", I40,
              "Persons with tertiary education or employed in a S&T occupation (HRST), as % of the "
              "population base of hrst_st_rcat (i40 column unit PC_POP; Eurostat defines that base as "
              "the active population aged 25-64)." + POP_WEIGHT),
    Indicator("hightech_manufacturing_pct", "Employment in high and medium-high technology manufacturing",
              "% of employment", "htec_emp_reg2", "nace_r2=C_HTC_MH, unit=PC_EMP, sex=T", "higher_better",
              "share", "population", I40,
              "Employment in high and medium-high technology manufacturing, % of total employment." + POP_WEIGHT),
    Indicator("kis_employment_pct", "Employment in knowledge-intensive services", "% of employment",
              "htec_emp_reg2", "nace_r2=KIS, unit=PC_EMP, sex=T", "higher_better", "share", "population", I40,
              "Employment in knowledge-intensive services, % of total employment." + POP_WEIGHT),
    Indicator("lifelong_learning_pct", "Participation in education and training (last 4 weeks)",
              "% of population aged 25-64", "trng_lfse_04", "unit=PC, sex=T, age=Y25-64", "higher_better",
              "rate", "population", "eurostat/trng_lfse_04.tsv.gz",
              "Adults aged 25-64 who took part in education or training in the 4 weeks before the "
              "LFS interview, %." + POP_WEIGHT),
    Indicator("broadband_households_pct", "Households with broadband access",
              "% of households with internet access", "tgs00049", "unit=PC_HH_IACC", "higher_better",
              "share", "population", SELECTED,
              "Households with broadband access as % of households with internet access (the source's "
              "unit, not % of all households). NUTS 2 only." + POP_WEIGHT,
              reference="distribution"),
    Indicator("daily_internet_users_pct", "Individuals using the internet daily", "% of individuals",
              "isoc_r_iuse_i", "indic_is=I_IDAY, unit=PC_IND", "higher_better", "share", "population",
              "eurostat/isoc_r_iuse_i_daily_internet_users.csv",
              "Individuals aged 16-74 who used the internet on average at least once a day, %." + POP_WEIGHT),
    Indicator("disposable_income_pps_per_head", "Disposable income of private households",
              "PPS per inhabitant", "tgs00026", "na_item=B6N, direct=BAL, unit=PPS_HAB", "higher_better",
              "per_head", "population", SELECTED,
              "Net disposable income of private households in PPS per inhabitant. NUTS 2 only; "
              "larger units aggregated by population-weighted mean.",
              reference="distribution"),
    Indicator("local_units_per_1000", "Local units per 1,000 inhabitants", "per 1,000 inhabitants",
              "derived: sbs_r_nuts06_r2 / population", "indic_sb=V11210, nace_r2=B..N excl. K + S95",
              "higher_better", "per_head", "population", SBS,
              "SBS local units of the business economy (sum of sections B, C, D, E, F, G, H, I, J, L, M, "
              "N and division S95 = Eurostat's B-N_S95_X_K; only when all 13 are reported) x 1000 / "
              "population. Regions made of several units: mean weighted by population.",
              reference="distribution"),
    Indicator("employment_rate_pct", "Employment rate", "% of population aged 15-64", "tgs00007",
              "unit=PC, sex=T, age=Y15-64", "higher_better", "rate", "population",
              RECENT + "eurostat_tgs00007_employment_rate.csv.gz",
              "Employed persons aged 15-64 as % of the population of the same age (LFS), 2013 on."
              + POP_WEIGHT),
    Indicator("gdp_volume_index", "Real GDP (volume index)", "index, 2015 = 100", "nama_10r_2gvagr",
              "na_item=B1GQ, unit=I15", "higher_better", "index", "gdp_meur",
              RECENT + "eurostat_gdp_real_nuts2.csv.gz",
              "GDP in chain-linked volumes, index 2015 = 100 (real growth of the region's own economy). "
              "Regions made of several units: mean weighted by the current GDP of the year (the exact "
              "weight, the parts' 2015 GDP in the same prices, differs little). Reference: the median of "
              "the EU-27 NUTS 2 units (an EU aggregate of regional indices is not published here).",
              reference="distribution"),
    Indicator("gva_volume_index", "Real gross value added (volume index)", "index, 2015 = 100",
              "nama_10r_2gvagr", "na_item=B1G, unit=I15", "higher_better", "index", "gdp_meur",
              RECENT + "eurostat_nama_10r_2gvagr_gva.csv.gz",
              "Gross value added in chain-linked volumes, index 2015 = 100. Regions made of several "
              "units: mean weighted by current GDP (GVA in EUR is not in the raw files). Reference: the "
              "median of the EU-27 NUTS 2 units.", reference="distribution"),
)

BY_ID: dict[str, Indicator] = {indicator.id: indicator for indicator in INDICATORS}


def catalogue_frame(years: pd.DataFrame, provenance: dict[str, str],
                    recent: dict[str, tuple[int | None, str]] | None = None) -> pd.DataFrame:
    """The catalogue table; `years` has indicator, first_year, last_year, years (list);
    `recent`: spliced id -> (first year from the recent file, its source line stem)."""
    rows = []
    for indicator in INDICATORS:
        row = asdict(indicator)
        row["aggregation"] = indicator.aggregation
        row["provenance"] = provenance.get(indicator.source_file, "")
        row["recent_from"], row["recent_source"] = (recent or {}).get(indicator.id, (None, ""))
        if indicator.recent_file:
            row["definition"] += RECENT_NOTE.format(file=indicator.recent_file)
            row["provenance"] += " | " + provenance.get(indicator.recent_file, "")
        rows.append(row)
    frame = pd.DataFrame(rows).merge(years, left_on="id", right_on="indicator", how="left")
    return frame.drop(columns="indicator").set_index("id")
