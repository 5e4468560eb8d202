"""Scoreboard dimension weights chosen by workshop participants, and the composite they give.

`workbench.analysis.scoreboard` scores each dimension (unweighted mean of its normalised
indicators); this adapter only combines those dimension scores with the participants'
weights. A dimension without a score ("no data") is left out of the weighted mean, so it
neither helps nor hurts a region.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd


def check_weights(weights: Mapping[str, float], scored: list[str]) -> str | None:
    """A message when the weights are unusable (negative, or all zero where scores exist)."""
    negative = [d for d, v in weights.items() if v < 0 or v != v]
    if negative:
        return f"weights cannot be negative or empty ({', '.join(negative)})"
    if not any(weights.get(d, 0) > 0 for d in scored):
        return "at least one dimension with a score needs a weight above zero"
    return None


def composite(scores: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """Weighted mean of the dimension scores per region (columns of `scores`), best first.

    `scores` is dimensions (rows) × regions, as `scoreboard.dimension_scores` returns it.
    """
    w = pd.Series(weights, dtype=float).reindex(scores.index).fillna(0.0)
    present = scores.notna()
    total = scores.fillna(0.0).mul(w, axis=0).sum()
    weight_used = present.mul(w, axis=0).sum()
    return (total / weight_used.where(weight_used > 0)).sort_values(ascending=False)
