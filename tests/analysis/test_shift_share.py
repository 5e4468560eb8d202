"""Shift-share of traded employment: hand-worked split, components add up, emerging/declining."""
from __future__ import annotations

import pandas as pd
import pytest

from workbench.analysis.shift_share import ShiftShare, declining, decompose, emerging

# Region: A 10,000 -> 12,000; B 5,000 -> 4,000. Benchmark: A 100,000 -> 110,000 (+10 %);
# B 100,000 -> 90,000 (-10 %); benchmark traded growth G = 0.
# national growth = 15,000 * 0 = 0; industry mix = 10,000 * 0.1 + 5,000 * -0.1 = 500;
# competitive = (2,000 - 1,000) + (-1,000 + 500) = 500; total = +1,000.
REGION = pd.DataFrame({"start": [10_000.0, 5_000.0], "end": [12_000.0, 4_000.0]}, index=["A", "B"])
BENCH = pd.DataFrame({"start": [100_000.0, 100_000.0], "end": [110_000.0, 90_000.0]}, index=["A", "B"])


def test_hand_worked_split():
    table = decompose(REGION, BENCH)
    shift = ShiftShare(2010, 2014, table, 100.0)
    assert shift.totals() == pytest.approx({"total_change": 1000.0, "national_growth": 0.0,
                                            "industry_mix": 500.0, "regional_competitive": 500.0})
    assert table.loc["A", "growth_pct"] == pytest.approx(20.0)
    # A's share of region traded employment 10/15 -> 12/16; of the benchmark 0.5 -> 0.55
    assert table.loc["A", "lq_change_pct"] == pytest.approx(100 * ((12 / 16) / (10 / 15) / (0.55 / 0.5) - 1))
    assert shift.payload() == {"start_year": 2010, "end_year": 2014, "total_change": 1000.0,
                               "national_growth": 0.0, "industry_mix": 500.0, "regional_competitive": 500.0}


@pytest.mark.parametrize("seed", range(5))
def test_components_add_up_to_the_total_change(seed):
    rng = pd.Series(range(40)).sample(frac=1, random_state=seed).to_numpy()
    region = pd.DataFrame({"start": 100.0 + 37 * rng[:20], "end": 50.0 + 41 * rng[20:]}, index=range(20))
    bench = pd.DataFrame({"start": 1e4 + 300 * rng[5:25], "end": 1e4 + 290 * rng[10:30]}, index=range(20))
    region.loc[3, "start"] = 0.0  # a division that starts from nothing still adds up
    totals = ShiftShare(2008, 2014, decompose(region, bench), 100.0).totals()
    parts = totals["national_growth"] + totals["industry_mix"] + totals["regional_competitive"]
    assert parts == pytest.approx(totals["total_change"])
    assert totals["total_change"] == pytest.approx((region["end"] - region["start"]).sum())


def test_emerging_and_declining_need_size_growth_and_specialisation():
    shift = ShiftShare(2010, 2014, decompose(REGION, BENCH), 100.0)
    sectors = pd.DataFrame({"nace": ["A", "B"], "lq": [0.8, 1.4]})
    assert emerging(shift, sectors) == ["A"]  # grew 20 % against +10 % in the benchmark
    assert declining(shift, sectors) == ["B"]  # fell 20 % against -10 %, specialised today
    assert declining(shift, sectors.assign(lq=[0.8, 0.9])) == []  # not a specialisation: not named
    small = ShiftShare(2010, 2014, decompose(REGION / 100, BENCH), 100.0)
    assert emerging(small, sectors) == []    # under 1,000 persons employed: not named
