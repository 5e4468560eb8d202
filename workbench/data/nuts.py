"""NUTS 2016 units and the harmonisation of NUTS 2013 codes to NUTS 2016.

Rules (documented in docs/data.md):

* A code that is a NUTS 2016 unit in the GISCO file is taken as NUTS 2016 as it is.
* A NUTS 2013 code is converted with the JRC converter matrices (NUTS 2 and NUTS 1,
  2013 -> 2016). Intersections holding less than `SLIVER_SHARE` of a unit's 2011 population
  are border slivers and ignored (e.g. FR22 -> FRF2 has 51 inhabitants).
  - one old unit = one new unit (both ways): a 1:1 recode (FR24 -> FRB0, FR30 -> FRE1,
    FR22 -> FRE2); values of every kind carry over unchanged.
  - one old unit split into new units whose union is exactly one NUTS 2016 unit at a higher
    level: the value is assigned to that union, never apportioned to the parts
    (LT00 -> LT01 + LT02 = LT, the whole country; HU10 -> HU11 + HU12 = HU1).
  - anything else (merges, partial transfers) cannot be converted without apportioning:
    the rows are dropped and listed in the build report.
* EU/euro-area aggregates, extra-regio units (`..Z`, `..ZZ`, `..XX`), NUTS 3 codes and
  two-letter codes of countries outside NUTS 2016 (JP, US, BA, ...) are not kept (the workbench uses NUTS 0-2 and computes its own EU-27 aggregate).
* A code of another NUTS version (1999-2010, 2021; from the code-change list) that is neither
  NUTS 2016 nor convertible from NUTS 2013 (e.g. EL1, DE41, SI01 kept by Eurostat for old
  years) is dropped and listed in the build report.
* A code that is none of these raises `RawDataError` naming the file, line and code.
* NUTS 2021/2024 codes that are not NUTS 2016 units (HR02/HR05/HR06, NL35/NL36, PT19-PT1D) are
  converted to NUTS 2016 with the JRC 2016 -> 2021/2024 matrices (`add_later_versions`,
  `Conversion`; merges exact, splits weighted by 2021 population).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workbench.data.errors import RawDataError
from workbench.data.parsers import read_csv_table, read_nuts_geojson

SLIVER_SHARE = 0.001
"""Intersections with less than 0.1 % of the old (or new) unit's 2011 population are slivers."""

EU27_2020 = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU",
             "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
"""The 27 EU member states from 1 February 2020, NUTS country codes (Greece = EL)."""

_AGGREGATE = re.compile(r"^(EU|EA|EEA|EFTA|EL_)|^(EU|EA)\d")
_EXTRA_REGIO = re.compile(r"^[A-Z]{2}(Z|ZZ|ZZZ|X|XX|XXX)$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")  # a two-letter code outside NUTS 2016: a country outside the NUTS area


@dataclass(frozen=True)
class Recode:
    """A NUTS 2013 code and the NUTS 2016 unit its values are assigned to."""

    old: str
    new: str
    note: str


@dataclass
class NutsTable:
    """NUTS 2016 units (from GISCO) and the conversions from NUTS 2013."""

    units: pd.DataFrame
    recodes: dict[str, Recode] = field(default_factory=dict)
    not_convertible: dict[str, str] = field(default_factory=dict)
    other_versions: frozenset[str] = frozenset()
    later: dict[str, "Conversion"] = field(default_factory=dict)
    """NUTS 2016 unit -> how it is made from NUTS 2021/2024 codes (`add_later_versions`)."""

    @property
    def later_codes(self) -> frozenset[str]:
        """NUTS 2021/2024 codes that are not NUTS 2016 units and are converted (`later`)."""
        return frozenset(code for conversion in self.later.values() for code, _, _ in conversion.sources
                         if code not in self._levels)

    def aliases(self) -> dict[str, dict]:
        """NUTS 2021/2024 code that is not a NUTS 2016 unit -> its version, the NUTS 2016 units
        it lies in (with the share of its 2021 population in each) and whether it equals one."""
        out: dict[str, dict] = {}
        for target, conversion in sorted(self.later.items()):
            for code, inside, whole in conversion.sources:
                if code in self._levels:
                    continue
                entry = out.setdefault(code, {"version": conversion.version, "nuts2016": {}, "exact": False})
                entry["nuts2016"][target] = round(100 * inside / whole, 1)
        for entry in out.values():
            (target, share), *rest = entry["nuts2016"].items()
            entry["exact"] = not rest and share == 100.0 and len(self.later[target].sources) == 1
        return dict(sorted(out.items()))

    def __post_init__(self) -> None:
        self._levels = dict(zip(self.units["geo"], self.units["level"]))

    def level(self, geo: str) -> int:
        """NUTS level (0-3) of a NUTS 2016 unit."""
        return int(self._levels[geo])

    def nuts2_parts(self, code: str) -> list[str]:
        """The NUTS 2 units inside a NUTS 0/1/2 unit (itself for a NUTS 2 unit)."""
        level = self._levels[code]
        if level == 2:
            return [code]
        return [g for g, lv in self._levels.items() if lv == 2 and g.startswith(code)]

    def harmonise(self, frame: pd.DataFrame, path: Path, note: str = "") -> tuple[pd.DataFrame, set[str]]:
        """Map `frame.geo` to NUTS 2016, keep NUTS 0-2 and add a `method` column.

        Returns the frame and the set of codes dropped because they cannot be converted.
        `note` is appended to the method of every row (e.g. which source filled it).
        """
        codes = frame["geo"].unique()
        new_geo: dict[str, str | None] = {}
        method: dict[str, str] = {}
        dropped: set[str] = set()
        for code in codes:
            if code in self._levels:
                new_geo[code], method[code] = (code if self._levels[code] <= 2 else None), "reported"
            elif code in self.recodes:
                new_geo[code], method[code] = self.recodes[code].new, self.recodes[code].note
            elif _AGGREGATE.match(code) or _EXTRA_REGIO.match(code) or len(code) >= 5 or _COUNTRY.match(code):
                new_geo[code] = None
            elif code in self.not_convertible or code in self.other_versions:
                new_geo[code] = None
                dropped.add(code)
            else:
                line = int(frame.loc[frame["geo"] == code, "line"].iloc[0]) if "line" in frame else None
                raise RawDataError(path, line, code, "unknown NUTS code (neither NUTS 2016 nor a convertible NUTS 2013 code)")
        out = frame.assign(geo=frame["geo"].map(new_geo))
        out = out[out["geo"].notna()].copy()
        out["method"] = frame.loc[out.index, "geo"].map(method)
        if note:
            out["method"] = [note if m == "reported" else f"{m}; {note}" for m in out["method"]]
        return out.reset_index(drop=True), dropped


@dataclass(frozen=True)
class Conversion:
    """A NUTS 2016 unit made from codes of a later NUTS version, weighted by the 2021 population
    of the intersections (JRC converter `pop21`).

    `sources`: (code, population of the intersection with the target, population of the whole
    source unit). A count is the sum of value x intersection / source population; a rate the
    mean of the sources' values weighted by the intersection population.
    """

    target: str
    version: str
    sources: tuple[tuple[str, float, float], ...]

    @property
    def exact(self) -> bool:
        """Each source lies wholly inside the target: a merge, no apportioning."""
        return all(inside >= (1 - SLIVER_SHARE) * whole for _, inside, whole in self.sources)

    def method(self) -> str:
        """The method text of a converted value (names the parts and the weights)."""
        parts = " + ".join(code if inside >= (1 - SLIVER_SHARE) * whole else f"{100 * inside / whole:.0f} % of {code}"
                           for code, inside, whole in self.sources)
        kind = "merged" if self.exact else "split and merged, weighted by 2021 population (JRC converter)"
        return f"NUTS {self.version} {parts} = {self.target} (NUTS 2016); {kind}"


def add_later_versions(table: NutsTable, matrices: list[tuple[Path, str]]) -> None:
    """Conversions of NUTS 2021/2024 codes that are not NUTS 2016 units to NUTS 2016 units
    (JRC matrices 2016 -> `version`; slivers under `SLIVER_SHARE` ignored). Codes that are NUTS
    2016 units are kept as they are (`harmonise`). Matrices are read in order: a code of the
    first (2021) stays with its conversion if it reappears in the second (2024)."""
    known = set(table.units["geo"])
    for path, version in matrices:
        new = f"code_v{version}"
        matrix = read_csv_table(path, ["code_v2016", new, "pop21"], numeric=["pop21"])
        whole = matrix.groupby(new)["pop21"].transform("sum")
        target_total = matrix.groupby("code_v2016")["pop21"].transform("sum")
        matrix = matrix[(matrix["pop21"] >= SLIVER_SHARE * whole) & (matrix["pop21"] >= SLIVER_SHARE * target_total)]
        matrix = matrix.assign(whole=matrix[new].map(matrix.groupby(new)["pop21"].sum()))
        changed = set(matrix.loc[~matrix[new].isin(known) & ~matrix[new].map(_EXTRA_REGIO.match).astype(bool), new])
        for target in sorted(set(matrix.loc[matrix[new].isin(changed), "code_v2016"])):
            if target in table.later or target not in known:
                continue
            rows = matrix[matrix["code_v2016"] == target].sort_values(new)
            table.later[target] = Conversion(target, version, tuple(
                (code, float(inside), float(total))
                for code, inside, total in zip(rows[new], rows["pop21"], rows["whole"])))


def load_nuts_table(geojson: Path, matrices: list[Path], changes: Path) -> NutsTable:
    """Build the NUTS table from the GISCO file, the JRC matrices and the change list."""
    units, _ = read_nuts_geojson(geojson)
    change_text, all_codes = _change_list(changes)
    table = NutsTable(units, other_versions=frozenset(all_codes - set(units["geo"])))
    for matrix in matrices:
        _add_conversions(table, matrix, change_text)
    return table


VERSIONS = ("1999", "2003", "2006", "2010", "2013", "2016", "2021")


def _change_list(path: Path) -> tuple[dict[str, str], set[str]]:
    """NUTS 2013 code -> its 2016 change text; and every code of any NUTS version 1999-2021."""
    columns = [f"code_{version}" for version in VERSIONS]
    frame = read_csv_table(path, [*columns, "change_2016"], numeric=[])
    changed = frame[(frame["code_2013"] != "") & (frame["change_2016"] != "")]
    codes = set(frame[columns].stack()) - {""}
    return dict(zip(changed["code_2013"], changed["change_2016"])), codes


def _add_conversions(table: NutsTable, path: Path, change_text: dict[str, str]) -> None:
    matrix = read_csv_table(path, ["code_v2013", "code_v2016", "pop11"], numeric=["pop11"])
    matrix = matrix[matrix["code_v2013"] != matrix["code_v2016"]].pipe(lambda m: matrix)  # keep all rows
    old_total = matrix.groupby("code_v2013")["pop11"].transform("sum")
    new_total = matrix.groupby("code_v2016")["pop11"].transform("sum")
    substantial = matrix[(matrix["pop11"] >= SLIVER_SHARE * old_total)
                         & (matrix["pop11"] >= SLIVER_SHARE * new_total)]
    targets = substantial.groupby("code_v2013")["code_v2016"].agg(lambda s: sorted(set(s)))
    sources = substantial.groupby("code_v2016")["code_v2013"].agg(lambda s: set(s))
    known = set(table.units["geo"])
    for old, new_codes in targets.items():
        if old in known or _EXTRA_REGIO.match(old):
            continue  # a valid NUTS 2016 code is taken as it is; extra-regio units are not kept
        exclusive = all(sources[n] == {old} for n in new_codes)
        change = change_text.get(old, "")
        if exclusive and len(new_codes) == 1:
            table.recodes[old] = Recode(old, new_codes[0], f"recoded from {old} (NUTS 2013)")
            continue
        union = _union_unit(table, new_codes) if exclusive else None
        if union is not None:
            table.recodes[old] = Recode(old, union, f"{old} (NUTS 2013) = {'+'.join(new_codes)} "
                                        f"(NUTS 2016) = {union}; not apportioned")
        else:
            table.not_convertible[old] = change or f"maps to {', '.join(new_codes)} with other units"


def _union_unit(table: NutsTable, parts: list[str]) -> str | None:
    """The NUTS 2016 unit whose children at the parts' level are exactly `parts` (widest first)."""
    levels = table.units.set_index("geo")["level"]
    part_level = int(levels[parts[0]])
    for code, level in sorted(zip(table.units["geo"], table.units["level"]), key=lambda x: x[1]):
        if level >= part_level or not all(p.startswith(code) for p in parts):
            continue
        children = {g for g, lv in zip(table.units["geo"], table.units["level"]) if lv == part_level and g.startswith(code)}
        if children == set(parts):
            return code
    return None
