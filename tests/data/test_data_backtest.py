"""Back-test: published values read straight from the raw files, as the snapshot reports them."""
from __future__ import annotations

import pytest

from workbench.data import load_snapshot

# (indicator, geo, year, nace, value as written in the raw file, file and row)
PUBLISHED = [
    # regional_gdp_release_vintages_2015_2021.csv.gz, vintage V2021, unit PPS_HAB
    ("gdp_pps_per_head", "ES13", 2019, "", 26200.0),  # ES,2,ES13,Cantabria,V2021,PPS_HAB,2019,26200.0
    ("gdp_pps_per_head", "ITC1", 2015, "", 28000.0),  # IT,2,ITC1,Piemonte,V2021,PPS_HAB,2015,28000.0
    ("gdp_pps_per_head", "SE31", 2010, "", 26100.0),  # SE,2,SE31,Norra Mellansverige,V2021,PPS_HAB,2010,26100.0
    # nama_10r_2gdp.tsv.gz, row "PPS_HAB,FR24", column 2012 (NUTS 2013 code, recoded to FRB0)
    ("gdp_pps_per_head", "FRB0", 2012, "", 23700.0),
    # eurostat_selected_tables_nuts0_nuts2.csv.gz, tgs00010, sex T, age Y_GE15, 2019
    ("unemployment_rate", "ES13", 2019, "", 10.3),
    ("unemployment_rate", "ITC1", 2019, "", 7.6),
    # sbs_r_nuts06_r2.tsv.gz, row "C,V16110,LT" column 2015; row "C,V16110,DED" column 2015
    ("sbs_persons_employed", "LT", 2015, "C", 211631.0),
    ("sbs_persons_employed", "DED", 2015, "C", 325271.0),
]


@pytest.mark.parametrize(("indicator", "geo", "year", "nace", "published"), PUBLISHED)
def test_snapshot_reports_the_published_value(indicator, geo, year, nace, published):
    series = load_snapshot().region_series(indicator, geo, [geo], nace=nace).set_index("year")
    assert series.loc[year, "value"] == published


def test_recoded_french_gdp_says_where_it_came_from():
    row = load_snapshot().region_series("gdp_pps_per_head", "FRB0", ["FRB0"]).set_index("year").loc[2012]
    assert row["method"] == "recoded from FR24 (NUTS 2013); filled from nama_10r_2gdp (2017 release)"


# regional_gdp_release_vintages_2015_2021.csv.gz, vintage V2020, unit MIO_PPS, 2015: the values
# the V2021 rows of the same file should carry (its French MIO_PPS rows are scrambled, e.g.
# FR,2,FR10,Île de France,V2021,MIO_PPS,2015,62913.55 against V2020's 596556.0).
@pytest.mark.parametrize(("geo", "published"), [("FR10", 596556.0), ("FRB0", 62434.0), ("FR", 1954388.0)])
def test_inconsistent_french_gdp_in_pps_is_replaced_by_its_own_release_product(geo, published):
    row = load_snapshot().region_series("gdp_mpps", geo, [geo]).set_index("year").loc[2015]
    assert row["value"] == pytest.approx(published, rel=0.01)
    assert row["method"].startswith("derived: PPS per inhabitant x population")


def test_consistent_gdp_in_pps_stays_as_reported():
    row = load_snapshot().region_series("gdp_mpps", "ITC1", ["ITC1"]).set_index("year").loc[2015]
    assert row["method"] == "reported"
