"""Notebook cells for the industrial structure and cluster portfolio of a region.

Every function takes the `region_sectors` table (workbench.analysis.clusters) or a
`ShiftShare` (workbench.analysis.shift_share) and returns one figure, one table with its source
line, one HTML block or one markdown sentence. Stars, the portfolio and "strongest sector"
sentences use traded, plausible divisions only (`clusters.rated`); local ones have their own table. Figures
carry the SBS source line and the category-mapping version; tables and sentences that use
categories carry the mapping caveat (divisions only approximate 4-digit categories).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator
from pandas.io.formats.style import Styler

from workbench import templates
from workbench.analysis.clusters import (HEADLINE_RULE, TOP_BY, category_caveat, division_table, rated,
                                         top_sectors)
from workbench.analysis.shift_share import MIN_EMPLOYMENT, ShiftShare
from workbench.analysis.stars import get_rule
from workbench.report.style import PALETTE, add_source, escape, fmt_number, source_line, subplots

LQ_TICKS = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50]
STAR_COLOURS = ["#BBBBBB", PALETTE[4], PALETTE[0], PALETTE[5]]
TYPE_COLOURS = {"traded": PALETTE[0], "local": PALETTE[1]}


def sector_source(sectors: pd.DataFrame) -> str:
    """'Eurostat sbs_r_nuts06_r2 (SBS), 2014; categories: workbench NACE-division mapping v1'."""
    year = int(sectors["year"].iloc[0])
    return f"Eurostat sbs_r_nuts06_r2 (SBS), {year}; {templates.load_categories().source_line}"


def _with_names(sectors: pd.DataFrame) -> pd.DataFrame:
    names = division_table(templates.load_categories())[["nace", "short", "category_type"]]
    out = sectors.merge(names, on="nace", how="left")
    out["name"] = out["short"] + " (" + out["nace"] + ")"
    return out


def employment_chart(sectors: pd.DataFrame, region_name: str, n: int = 15) -> Figure:
    """Horizontal bars of the `n` divisions with most persons employed, coloured traded/local."""
    top = _with_names(top_sectors(sectors, "employment", n)).iloc[::-1]
    fig, ax = subplots(figsize=(8, 0.32 * len(top) + 1.4))
    bars = ax.barh(top["name"], top["employment"], color=top["category_type"].map(TYPE_COLOURS))
    ax.bar_label(bars, labels=[f"{v:,.0f}  ({s:.1f}%)" for v, s in zip(top["employment"], top["share"])],
                 padding=3, fontsize=8)
    ax.set_xlim(0, top["employment"].max() * 1.3)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel("persons employed (share of SBS business-economy employment)")
    ax.set_title(f"{region_name}: largest sectors by persons employed, {int(sectors['year'].iloc[0])}")
    ax.legend(handles=[Line2D([], [], color=c, lw=6, label=f"{t} category") for t, c in TYPE_COLOURS.items()],
              loc="lower right")
    ax.grid(axis="y", visible=False)
    add_source(fig, sector_source(sectors))
    return fig


def portfolio_divisions(sectors: pd.DataFrame) -> pd.DataFrame:
    """The divisions the portfolio chart can place: an LQ above 0, a growth rate and employment."""
    shown = sectors.dropna(subset=["lq", "growth_pct", "employment"])
    return shown[shown["lq"] > 0]


def portfolio_chart(sectors: pd.DataFrame, region_name: str, n_labels: int = 8) -> Figure:
    """Bubble chart of the traded, plausible divisions: LQ (log x) against employment growth
    (y), bubble area = employment, colour = headline stars. The `n_labels` strongest
    (headline stars, then employment) are labelled; labels overlap neither each other nor a
    leader line, and leader lines do not cross. Local activities are not on it; divisions
    without an LQ or a growth rate are counted in the subtitle."""
    rule = get_rule(HEADLINE_RULE)
    data = _with_names(rated(sectors))
    shown = portfolio_divisions(data)
    fig, ax = subplots(figsize=(9, 5.6))
    shown = shown.assign(size=1500 * shown["employment"] / shown["employment"].max())
    colours = [STAR_COLOURS[min(int(s), 3)] for s in shown["headline_stars"]]
    ax.scatter(shown["lq"], shown["growth_pct"], s=shown["size"], c=colours, alpha=0.75,
               edgecolors="white", linewidths=0.6)
    ax.set_xscale("log")
    ticks = [t for t in LQ_TICKS if shown["lq"].min() / 1.5 <= t <= shown["lq"].max() * 1.5]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.axvline(1, color="#555555", lw=0.8, ls="--")
    ax.axhline(0, color="#555555", lw=0.8)
    low, high = np.percentile(shown["growth_pct"], [3, 97])
    low, high = min(low, 0.0), max(high, 0.0)
    pad = 0.15 * (high - low or 1.0)
    ax.set_ylim(low - pad, high + pad)
    off_scale = int(((shown["growth_pct"] < low - pad) | (shown["growth_pct"] > high + pad)).sum())
    ax.set_xlabel("location quotient vs EU-27 (log scale; 1 = EU average specialisation)")
    ax.set_ylabel(f"employment growth, % per year (mostly {shown['growth_years'].mode().iloc[0]})")
    left_out = len(data) - len(shown)
    ax.set_title(f"{region_name}: portfolio of traded sectors, {int(sectors['year'].iloc[0])}", pad=20)
    ax.text(0, 1.01, f"bubble area = persons employed; colour = stars ({rule.label.split(' (')[0]}); "
            "local activities not shown"
            + (f"; {left_out} traded divisions without LQ or growth not shown" if left_out else "")
            + (f"; {off_scale} off the growth scale" if off_scale else ""),
            transform=ax.transAxes, fontsize=8, color="#444444", va="bottom")
    inside = shown[shown["growth_pct"].between(low - pad, high + pad)]
    _label_without_overlaps(ax, inside.sort_values(["headline_stars", "employment"], ascending=False).head(n_labels))
    ax.legend(handles=[Line2D([], [], marker="o", ls="", color=STAR_COLOURS[k], markersize=9,
                              label=f"{k} star{'s' if k != 1 else ''}") for k in range(rule.max_stars + 1)],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), title="stars")
    add_source(fig, sector_source(sectors))
    return fig


def _label_without_overlaps(ax: Axes, points: pd.DataFrame) -> None:
    """Annotate points (lq, growth_pct, size = marker area in points², name) with their names,
    trying offsets around each point, starting just outside its bubble, until the label's box
    stays inside the axes, overlaps no label placed before, and its leader line neither crosses
    another leader line nor runs through another label. A point with no such place stays
    unlabelled."""
    renderer = ax.figure.canvas.get_renderer()
    axes_box = ax.get_window_extent(renderer)
    boxes: list = []
    leaders: list[tuple[np.ndarray, np.ndarray]] = []
    directions = ((1, 0.7), (1, -0.7), (-1, 0.7), (-1, -0.7), (1, 0), (-1, 0), (0, 1.4), (0, -1.4))
    for row in points.itertuples():
        anchor = ax.transData.transform((row.lq, row.growth_pct))
        radius = float(np.sqrt(row.size / np.pi)) + 3  # points
        offsets = [(dx * (radius + r), dy * (radius + r)) for r in (0, 10, 22, 37, 57, 82)
                   for dx, dy in directions]
        for dx, dy in offsets:
            text = ax.annotate(row.name, (row.lq, row.growth_pct), xytext=(dx, dy),
                               textcoords="offset points", fontsize=8,
                               ha="left" if dx >= 0 else "right", va="center",
                               arrowprops=dict(arrowstyle="-", color="#444444", lw=0.6))
            text.update_positions(renderer)
            box = Text.get_window_extent(text, renderer).expanded(1.05, 1.3)  # text only, no arrow
            end = np.array([box.x0 if dx >= 0 else box.x1, (box.y0 + box.y1) / 2])
            if dx == 0:
                end = np.array([(box.x0 + box.x1) / 2, box.y0 if dy > 0 else box.y1])
            leader = (anchor, end)
            fits = (axes_box.contains(box.x0, box.y0) and axes_box.contains(box.x1, box.y1)
                    and not any(box.overlaps(other) for other in boxes)
                    and not any(_crosses(leader, other) for other in leaders)
                    and not any(_through(leader, other) for other in boxes)
                    and not any(_through(other, box) for other in leaders))
            if fits:
                boxes.append(box)
                leaders.append(leader)
                break
            text.remove()


def _crosses(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> bool:
    """Whether two segments properly intersect (sharing an end point is not crossing)."""
    def turn(p, q, r) -> float:
        return float((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]))
    (p1, p2), (q1, q2) = a, b
    return (turn(p1, p2, q1) * turn(p1, p2, q2) < 0) and (turn(q1, q2, p1) * turn(q1, q2, p2) < 0)


def _through(segment: tuple[np.ndarray, np.ndarray], box) -> bool:
    """Whether a leader line runs through a label box (sampled along the segment)."""
    start, end = segment
    return any(box.contains(*(start + t * (end - start))) for t in np.linspace(0.02, 0.98, 25))


def star_table(sectors: pd.DataFrame, n: int | None = None) -> tuple[Styler, str]:
    """The traded, plausible divisions with headline stars (EOCIC three factors), strongest
    first, with one short line per factor (full sentences: JSON and CSV), and the markdown
    source line with the category caveat."""
    rule = get_rule(HEADLINE_RULE)
    data = _with_names(rated(sectors))
    data = data[data["headline_stars"] > 0].sort_values(["headline_stars", "employment"], ascending=False)
    data = data.head(n) if n else data
    table = pd.DataFrame({
        "Sector": data["name"],
        "Category": data["category_label"],
        "Persons employed": data["employment"],
        "LQ": data["lq"],
        "Growth, % per year": [_growth(g, y) for g, y in zip(data["growth_pct"], data["growth_years"])],
        "Stars": [_stars(s, rule.max_stars) for s in data["headline_stars"]],
        "Why": ["\n".join(lines) for lines in data["headline_brief"]],
    })
    styled = (table.style.hide(axis="index")
              .format({"Persons employed": "{:,.0f}", "LQ": "{:.2f}"}, na_rep="n/a", escape="html")
              .set_properties(subset=["Why"], **{"white-space": "pre-line", "text-align": "left",
                                                 "font-size": "85%"})
              .set_caption(f"{escape(rule.label)}, traded categories only: {escape(rule.provenance)}"))
    return styled, source_line([sector_source(sectors), category_caveat(templates.load_categories()).rstrip(".")])


def _stars(stars: float, max_stars: int) -> str:
    return "★" * int(stars) + "☆" * (max_stars - int(stars))


def _growth(growth: float, years: str) -> str:
    return "n/a" if pd.isna(growth) else f"{growth:+.1f} ({years})"


def preset_appendix(sectors: pd.DataFrame) -> str:
    """HTML: a collapsed appendix with the traded divisions starred under any preset (ECO,
    US and the headline), and a note where the presets disagree with the headline rule."""
    data = _with_names(rated(sectors))
    starred = data[(data["stars_eco"] > 0) | (data["stars_us"] > 0) | (data["headline_stars"] > 0)]
    starred = starred.sort_values(["headline_stars", "employment"], ascending=False)
    eco, us, headline = get_rule("eco"), get_rule("us"), get_rule(HEADLINE_RULE)
    table = pd.DataFrame({
        "Sector": starred["name"], "Persons employed": starred["employment"].map(lambda v: fmt_number(v, 0)),
        "LQ": starred["lq"].map(lambda v: fmt_number(v, 2)),
        "Headline (EOCIC)": [_stars(s, headline.max_stars) for s in starred["headline_stars"]],
        "ECO": [_stars(s, eco.max_stars) for s in starred["stars_eco"]],
        "US strong cluster": ["yes" if s else "no" for s in starred["stars_us"]],
    })
    notes = [_disagreement(data, "stars_eco", eco.label), _disagreement(data, "stars_us", us.label)]
    rules = "".join(f"<li>{escape(r.label)}: {escape(r.provenance)}</li>" for r in (eco, us))
    return ("<details class='wb-appendix'><summary>Appendix: the same traded divisions under the "
            "ECO and US presets</summary>"
            f"<p>{' '.join(escape(n) for n in notes)}</p>"
            + table.to_html(index=False, escape=True, border=0, classes="wb-table")
            + f"<ul>{rules}</ul><p><em>{escape(source_line([sector_source(sectors)]))}</em></p></details>")


def _disagreement(data: pd.DataFrame, column: str, label: str) -> str:
    """One sentence: divisions starred by the preset but not by the headline rule, and the reverse."""
    short = label.split(" (")[0]
    only_preset = data.loc[(data[column] > 0) & (data["headline_stars"] == 0), "name"].tolist()
    only_headline = data.loc[(data[column] == 0) & (data["headline_stars"] > 0), "name"].tolist()
    if not only_preset and not only_headline:
        return f"{short} agrees with the headline rule on which traded divisions have stars."
    parts = []
    if only_preset:
        parts.append(f"stars {_names(only_preset)}, which the headline rule does not")
    if only_headline:
        parts.append(f"does not star {_names(only_headline)}, which the headline rule does")
    return f"{short} " + "; it ".join(parts) + "."


def _names(names: list[str], n: int = 6) -> str:
    return ", ".join(names[:n]) + (f" and {len(names) - n} more" if len(names) > n else "")


def local_economy_table(sectors: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Local (non-traded) divisions: size, share and growth, largest first, with the suspect
    flag where the data are implausible; never stars. Returns the table and its source."""
    data = _with_names(sectors[~sectors["traded"]]).sort_values("employment", ascending=False,
                                                                   na_position="last")
    table = pd.DataFrame({
        "Local activity": data["name"].tolist(),
        "Persons employed": [fmt_number(v, 0) if pd.notna(v) else "no data" for v in data["employment"]],
        "Share of SBS employment, %": [fmt_number(v, 1) if pd.notna(v) else "no data" for v in data["share"]],
        "Growth, % per year": [_growth(g, y) for g, y in zip(data["growth_pct"], data["growth_years"])],
        "Data check": [s or "–" for s in data["suspect"]],
    })
    return table, sector_source(sectors)


def shift_share_table(shift: ShiftShare) -> tuple[pd.DataFrame, str]:
    """The split of traded employment change into national growth, industry mix and the
    regional competitive effect (persons and % of start employment), and its source."""
    totals = shift.totals()
    start = float(shift.divisions["start"].sum())
    labels = {"national_growth": "National growth (EU-27 traded growth applied to the region)",
              "industry_mix": "Industry mix (the region's divisions grew faster or slower in the EU-27)",
              "regional_competitive": "Regional competitive effect (the region beat or trailed its divisions)",
              "total_change": "Total change in traded employment"}
    table = pd.DataFrame({
        "Component": [labels[k] for k in labels],
        "Persons employed": [f"{totals[k]:+,.0f}" for k in labels],
        "% of start employment": [fmt_number(100 * totals[k] / start, 1) if start else "no data" for k in labels],
    })
    return table, (f"Eurostat sbs_r_nuts06_r2 (SBS), {shift.start_year}-{shift.end_year}; "
                   f"benchmark {shift.benchmark}")


def dynamics_sentence(shift: ShiftShare | None, sectors: pd.DataFrame, emerging: list[str],
                      declining: list[str], region_name: str) -> str:
    """Markdown: the span, the total change and its split, emerging and declining divisions."""
    if shift is None or shift.start_year is None or shift.divisions.empty:
        return f"No comparable run of years of SBS employment for {escape(region_name)}: no shift-share."
    totals = shift.totals()
    names = _with_names(sectors).set_index("nace")["name"]
    d = shift.divisions

    def listing(codes: list[str]) -> str:
        return ", ".join(f"{escape(names[c])} ({d.loc[c, 'growth_pct']:+.0f}% employment)" for c in codes[:5]) or "none"

    return (f"From {shift.start_year} to {shift.end_year}, traded employment in "
            f"{escape(region_name)} changed by {totals['total_change']:+,.0f} persons "
            f"({fmt_number(shift.coverage_pct, 0)}% of today's traded employment covered): "
            f"{totals['national_growth']:+,.0f} from EU-27 traded growth, {totals['industry_mix']:+,.0f} "
            f"from the industry mix and {totals['regional_competitive']:+,.0f} from the regional "
            f"competitive effect. **Emerging** (growing and specialising, at least "
            f"{MIN_EMPLOYMENT:,} employed): {listing(emerging)}"
            + (f" and {len(emerging) - 5} more" if len(emerging) > 5 else "")
            + f". **Declining** (shrinking and losing specialisation where LQ ≥ 1): {listing(declining)}.")


def structure_sentence(sectors: pd.DataFrame, region_name: str) -> str:
    """Markdown: the largest traded sector, the most specialised and the most productive one
    (traded, plausible divisions only), and the number with headline stars, from computed values."""
    rule = get_rule(HEADLINE_RULE)
    data = _with_names(rated(sectors))
    year = int(sectors["year"].iloc[0])
    parts = []
    for by, words in TOP_BY.items():
        top = top_sectors(data, by, 1)
        if top.empty:
            continue
        row = top.iloc[0]
        detail = {"employment": f"{fmt_number(row['employment'], 0)} persons employed "
                                f"({fmt_number(row['share'], 1)}% of SBS business-economy employment)",
                  "lq": f"location quotient {fmt_number(row['lq'], 2)}",
                  "wage_per_employee": f"{fmt_number(row['wage_per_employee'], 0)} EUR wages per person employed"}[by]
        parts.append(f"the {words} traded sector was {escape(row['name'])} with {detail}")
    if not parts:
        return f"No SBS sector data for {escape(region_name)} in {year}."
    starred = int((data["headline_stars"] > 0).sum())
    suspect = int((sectors["suspect"] != "").sum())
    n_traded = int(sectors["traded"].sum())
    return (f"In {year}, in {escape(region_name)}, " + "; ".join(parts) + ". "
            f"{starred} of {n_traded} traded NACE divisions have at least one star under the "
            f"{escape(rule.label.split(' (')[0])} rule (the headline rating); "
            f"{len(sectors) - n_traded} local divisions are described separately and never rated"
            + (f"; {suspect} division{'s are' if suspect > 1 else ' is'} flagged as implausible "
               f"and not rated" if suspect else "")
            + f"; {int(data['employment'].isna().sum())} traded divisions have no (or confidential) "
            f"employment data. {escape(category_caveat(templates.load_categories()))}")
