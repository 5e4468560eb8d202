"""Raw-file readers: values and flags kept apart, bad input named by file, line and value."""
from __future__ import annotations

import gzip
import json

import pytest

from workbench.data.errors import RawDataError
from workbench.data.parsers import read_csv_table, read_eurostat_tsv, read_nuts_geojson

TSV = (
    "unit,nace_r2,geo\\time\t2015 \t2014 \t2013 \n"
    "THS,C,DED2\t148.4 \t146.7 e\t: \n"
    "THS,C,FR24\t: c\t12.5 bu\t11 \n"
)


def write_gz(path, text: str):
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    return path


def test_eurostat_tsv_splits_codes_values_and_flags(tmp_path):
    frame = read_eurostat_tsv(write_gz(tmp_path / "x.tsv.gz", TSV), ["unit", "nace_r2"])
    rows = {(r.geo, r.year): (r.value, r.flag, r.line) for r in frame.itertuples()}
    assert rows == {
        ("DED2", 2015): (148.4, "", 2),
        ("DED2", 2014): (146.7, "e", 2),
        ("FR24", 2014): (12.5, "bu", 3),
        ("FR24", 2013): (11.0, "", 3),
    }  # ":" and ": c" are missing values: no row
    assert set(frame["nace_r2"]) == {"C"} and set(frame["unit"]) == {"THS"}


def test_eurostat_tsv_keep_filters_before_parsing(tmp_path):
    text = TSV + "THS,C10,DED2\tnot-a-number \t1 \t2 \n"
    frame = read_eurostat_tsv(write_gz(tmp_path / "x.tsv.gz", text), ["unit", "nace_r2"],
                              keep={"nace_r2": lambda code: len(code) == 1})
    assert set(frame["nace_r2"]) == {"C"}


def test_eurostat_tsv_bad_value_names_file_line_and_value(tmp_path):
    path = write_gz(tmp_path / "bad.tsv.gz", TSV + "THS,F,DED4\t12,5 \t1 \t2 \n")
    with pytest.raises(RawDataError) as error:
        read_eurostat_tsv(path, ["unit", "nace_r2"])
    message = str(error.value)
    assert "bad.tsv.gz" in message and "line 4" in message and "'12,5 '" in message
    assert error.value.line == 4


def test_eurostat_tsv_unexpected_header(tmp_path):
    path = write_gz(tmp_path / "h.tsv.gz", TSV.replace("unit,nace_r2", "unit,sex"))
    with pytest.raises(RawDataError, match=r"h\.tsv\.gz, line 1: unexpected first header cell"):
        read_eurostat_tsv(path, ["unit", "nace_r2"])


def test_csv_table_filters_then_parses_numbers_and_years(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("unit,geo,time,values\nP_MHAB,DED2,2012,180.5\nNR,DED2,2012M01,oops\nP_MHAB,ES13,2011,\n")
    frame = read_csv_table(path, ["unit", "geo", "time", "values"], numeric=["values", "time"],
                           filters={"unit": "P_MHAB"}, integer=["time"])
    assert frame[["geo", "time", "line"]].values.tolist() == [["DED2", 2012, 2], ["ES13", 2011, 4]]
    assert frame["values"].iloc[0] == 180.5 and frame["values"].isna().iloc[1]


def test_csv_table_errors_name_file_line_value(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("geo,time,values\nDED2,2012,1.0\nDED4,2012,1.2.3\n")
    with pytest.raises(RawDataError, match=r"long\.csv, line 3: non-numeric values: '1\.2\.3'"):
        read_csv_table(path, ["geo", "time", "values"], numeric=["values"])
    with pytest.raises(RawDataError, match=r"line 1: header lacks column\(s\) unit"):
        read_csv_table(path, ["geo", "unit"], numeric=[])


def test_nuts_geojson_units_and_polygons(tmp_path):
    square = [[[0, 0], [1, 0], [1, 1], [0, 0]]]
    document = {"type": "FeatureCollection", "features": [
        {"properties": {"NUTS_ID": "LT01", "LEVL_CODE": 2, "CNTR_CODE": "LT", "NAME_LATN": "Sostines regionas"},
         "geometry": {"type": "Polygon", "coordinates": square}},
        {"properties": {"NUTS_ID": "LT", "LEVL_CODE": 0, "CNTR_CODE": "LT", "NAME_LATN": "Lietuva"},
         "geometry": {"type": "MultiPolygon", "coordinates": [square, square]}},
    ]}
    path = tmp_path / "nuts.geojson.gz"
    path.write_bytes(gzip.compress(json.dumps(document).encode()))
    units, shapes = read_nuts_geojson(path)
    assert units.values.tolist() == [["LT", 0, "LT", "Lietuva"], ["LT01", 2, "LT", "Sostines regionas"]]
    assert len(shapes["LT"]) == 2 and shapes["LT01"] == [square]
    document["features"][0]["properties"].pop("LEVL_CODE")
    path.write_bytes(gzip.compress(json.dumps(document).encode()))
    with pytest.raises(RawDataError, match="lacks properties LEVL_CODE"):
        read_nuts_geojson(path)


def test_missing_raw_file_is_named(tmp_path):
    with pytest.raises(RawDataError, match=r"absent\.csv: raw file is missing"):
        read_csv_table(tmp_path / "absent.csv", ["geo"], numeric=[])
