"""Tiny NUTS files (GISCO units, JRC matrix, code-change list) for the harmonisation tests."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from workbench.data.nuts import NutsTable, load_nuts_table

UNITS = [("FR", 0), ("FRB", 1), ("FRB0", 2), ("FRE", 1), ("FRE1", 2), ("FRE2", 2), ("FRF", 1), ("FRF2", 2),
         ("LT", 0), ("LT0", 1), ("LT01", 2), ("LT02", 2), ("DE", 0), ("DED", 1), ("DED2", 2), ("DED4", 2),
         ("DED5", 2)]
# code_v2013, code_v2016, pop11 (values of the real JRC matrix, rounded)
MATRIX = [("FR24", "FRB0", 2547773), ("FR30", "FRE1", 4031604), ("FR22", "FRE2", 1915557),
          ("FR22", "FRF2", 51), ("FR21", "FRF2", 1335526), ("LT00", "LT01", 807475), ("LT00", "LT02", 2219823),
          ("DED2", "DED2", 1600000)]
CHANGES = [("FR24", "FRB0", "recoded and relabelled"), ("FR30", "FRE1", "recoded"), ("FR22", "FRE2", "recoded"),
           ("LT00", "", "split into new lt01 and lt02"), ("DED1", "", "discontinued")]


def write_nuts_files(folder: Path) -> NutsTable:
    features = [{"properties": {"NUTS_ID": geo, "LEVL_CODE": level, "CNTR_CODE": geo[:2], "NAME_LATN": geo},
                 "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1], [0, 0]]]}}
                for geo, level in UNITS]
    (folder / "nuts.geojson.gz").write_bytes(gzip.compress(json.dumps({"features": features}).encode()))
    (folder / "matrix.csv").write_text("code_v2013,code_v2016,pop11\n" + "".join(f"{a},{b},{p}\n" for a, b, p in MATRIX))
    versions = ["1999", "2003", "2006", "2010", "2013", "2016", "2021"]
    header = ",".join(f"code_{v}" for v in versions) + ",change_2016\n"
    rows = "".join(f",,,{old},{old},{new},{new},{change}\n" for old, new, change in CHANGES)
    (folder / "changes.csv").write_text(header + rows)
    return load_nuts_table(folder / "nuts.geojson.gz", [folder / "matrix.csv"], folder / "changes.csv")
