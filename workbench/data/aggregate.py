"""Values of regions made of NUTS 2 parts (`region_series`) and of countries (EU benchmarks).

Rule, per year: the value reported for the code itself if there is one; otherwise, when every
part has a value (and, for weighted means, a weight), the sum of the parts (counts, money) or
their mean weighted by the catalogue's weight indicator (rates, shares, ratios); otherwise no
value. The flag of an aggregate is the union of the parts' flags; `method` says what was done.
"""
from __future__ import annotations

import pandas as pd

from workbench.data.catalogue import Indicator

OUT_COLUMNS = ["nace", "geo", "year", "value", "flag", "method"]


def combine(values: pd.DataFrame, compositions: dict[str, list[str]], indicator: Indicator,
            weights: pd.DataFrame | None = None) -> pd.DataFrame:
    """Value per (nace, code, year) for each code in `compositions` (code -> NUTS 2 parts).

    `values` holds one indicator's rows (nace, geo, year, value, flag, method); `weights` the
    rows of the weight indicator (needed for weighted means).
    """
    keys = ["nace", "geo", "year"]
    reported = values[values["geo"].isin(list(compositions))][OUT_COLUMNS]
    pairs = pd.DataFrame([(code, part) for code, parts in compositions.items() for part in parts
                          if part != code], columns=["code", "geo"])
    parts = values.merge(pairs, on="geo")
    weighted = indicator.aggregation == "weighted_mean"
    if weighted:
        if weights is None:
            raise ValueError(f"{indicator.id}: weighted mean needs the {indicator.weight} rows")
        on = keys if weights["nace"].ne("").any() else ["geo", "year"]
        parts = parts.merge(weights[[*on, "value"]].rename(columns={"value": "weight"}), on=on)
        parts = parts[parts["weight"] > 0]
    else:
        parts = parts.assign(weight=1.0)
    if parts.empty:
        return reported.sort_values(keys, ignore_index=True)
    parts = parts.assign(weighted=parts["value"] * parts["weight"])
    group = ["nace", "code", "year"]
    summary = parts.groupby(group, sort=True).agg(n=("value", "size"), weighted=("weighted", "sum"),
                                                   weight=("weight", "sum"))
    summary["value"] = summary["weighted"] / summary["weight"] if weighted else summary["weighted"]
    summary["flag"] = _texts(parts[parts["flag"] != ""], group, "flag", "", summary.index)
    summary["notes"] = _texts(parts[parts["method"] != "reported"], group, "method", "; ", summary.index)
    needed = pairs.groupby("code").size()
    summary = summary[summary["n"].to_numpy() == needed.reindex(summary.index.get_level_values("code")).to_numpy()]
    summary = summary.reset_index().rename(columns={"code": "geo"})
    label = {code: "+".join(compositions[code]) for code in compositions}
    if weighted:
        summary["method"] = summary["geo"].map(lambda code: f"mean of {label[code]} weighted by {indicator.weight}")
    else:
        summary["method"] = summary["geo"].map(lambda code: f"sum of {label[code]}")
    has_notes = summary["notes"] != ""
    summary.loc[has_notes, "method"] = summary["method"] + " (" + summary["notes"] + ")"
    summary = summary.merge(reported[keys].assign(_reported=True), on=keys, how="left")
    summary = summary[summary["_reported"].isna()]
    out = pd.concat([reported, summary[OUT_COLUMNS]], ignore_index=True)
    return out.sort_values(keys, ignore_index=True)


def _texts(rows: pd.DataFrame, keys: list[str], column: str, separator: str, index: pd.Index) -> pd.Series:
    """Per group of `index`, the distinct texts of `column` joined (flags: their distinct
    letters); "" for groups without any."""
    if rows.empty:
        return pd.Series("", index=index, dtype="str")
    if separator:
        join = lambda texts: separator.join(sorted(set(texts)))  # noqa: E731
    else:
        join = lambda texts: "".join(sorted(set("".join(texts))))  # noqa: E731
    texts = rows.groupby(keys, sort=True)[column].agg(lambda s: join(s.tolist()))
    return texts.reindex(index, fill_value="")
