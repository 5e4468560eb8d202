"""Series breaks (Eurostat flag b) are marked on the trend charts."""
from __future__ import annotations

import pandas as pd

from workbench.report.charts import BREAK_LABEL, Panel, break_years, trend_grid


def test_break_years_are_marked_with_a_labelled_line():
    data = pd.DataFrame({"year": [2019, 2020, 2021, 2022], "region": [5.0, 5.5, None, 6.0],
                         "national": [4.0, 4.1, 4.2, 4.3], "eu": [6.0, 6.1, 6.2, 6.3],
                         "region_flag": ["", "bu", "b", "d"]})
    assert break_years(data) == [2020]  # 2021 has no regional value, 2022 only a definition flag
    assert break_years(data.drop(columns="region_flag")) == []
    figure = trend_grid([Panel(data, "Unemployment rate", "%", "Eurostat tgs00010")], "Saxony", "Germany", "t")
    axes = figure.axes[0]
    breaks = [line for line in axes.get_lines() if line.get_label() == BREAK_LABEL]
    assert [list(line.get_xdata()) for line in breaks] == [[2020, 2020]]
    assert BREAK_LABEL in [t.get_text() for t in figure.legends[0].get_texts()]
