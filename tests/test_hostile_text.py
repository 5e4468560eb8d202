"""Text from region profiles reaches a page only as text: no link, image, formatting or math.

Unit tests of `style.escape` through nbconvert's own markdown renderer, and one real build of a
profile whose every text field carries markdown, HTML and mathtext, whose HTML pages are scanned.
"""
from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from workbench import paths
from workbench.report.style import alt_text, escape, subplots

PAYLOADS = [
    "[x](javascript:alert(1))", "![i](http://e.invalid/i.png)", "see http://e.invalid/bare", "<http://e.invalid>",
    "[r][1]\n\n[1]: javascript:alert(1)", "*em* _u_ **b** `code` ~~del~~ $x^2$", "a | b\n|---|---|\n| c | d |",
    "# heading\n- item\n+ item\n2019. list\n    indented code\n===", "<b>bold</b> <img src=x onerror=alert(1)>",
    "&lt;b&gt; &#91;x&#93;(javascript:alert(1))", "snake_case_id _u_ a__b__c __init__", "\\[x](javascript:alert(1))", "> quote", "```\nfence\n```",
]
MARKUP = re.compile(r"<(?!/?p>)[a-z/][^>]*>")  # any tag but the paragraph markdown wraps text in


@pytest.mark.parametrize("text", PAYLOADS)
def test_escaped_text_renders_as_itself_and_nothing_else(text):
    rendered = markdown2html_mistune(escape(text))
    assert not MARKUP.search(rendered), rendered
    shown = html.unescape(re.sub(r"</?p>", "", rendered))
    assert " ".join(shown.split()) == " ".join(text.split())


def test_a_dollar_in_a_chart_title_is_text_not_mathtext():
    fig, ax = subplots(figsize=(3, 2))
    ax.set_title(r"Sax $\alert{x}$ 5$")
    fig.canvas.draw()  # mathtext would raise ValueError: Unknown symbol: \alert
    assert alt_text(fig) == r"Chart: Sax $\alert{x}$ 5$."


def _hostile_profile(folder: Path) -> None:
    data = yaml.safe_load((paths.PROJECT_DIR / "regions" / "saxony.yaml").read_text(encoding="utf-8"))

    def payload(n: int) -> str:
        return (f"[x{n}](javascript:alert({n})) ![i{n}](http://e.invalid/{n}.png) *em{n}* `c{n}` "
                f"$\\alert{{x}}$ <b>h{n}</b> http://e.invalid/bare{n}")

    data.update(id="hostile", name="Sax [x](javascript:alert(1)) ![i](http://e.invalid/i.png) *em* $\\alert{x}$",
                country_name="Ger [y](javascript:alert(2)) ![j](http://e.invalid/j.png) _u_ $x$")
    data["nuts"]["composition"] = "DED2+DED4+DED5 " + payload(3)
    for finding in data["published_challenges"]:
        finding.update(quote=payload(4), source="Summary Report " + payload(5))
    for item in data["opportunities"] + data["threats"]:
        item.update(text=payload(6), source=payload(7))
    (folder / "hostile.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_a_real_build_of_a_hostile_profile_shows_its_text_as_text(tmp_path):
    regions, reports = tmp_path / "regions", tmp_path / "reports"
    regions.mkdir()
    _hostile_profile(regions)
    env = {**os.environ, "WORKBENCH_REGIONS_DIR": str(regions)}
    done = subprocess.run([sys.executable, "-m", "workbench", "run", "--region", "hostile", "--reports-dir",
                           str(reports), "--jobs", "2", "--no-progress"],
                          env=env, capture_output=True, text=True, timeout=600, cwd=paths.PROJECT_DIR)
    assert done.returncode == 0, done.stdout + done.stderr  # "$\alert{x}$" in chart titles broke the build
    pages = {p.relative_to(reports).as_posix(): p.read_text(encoding="utf-8") for p in reports.rglob("*.html")}
    assert set(pages) >= {"index.html", "summary.html", "hostile/assessment.html", "hostile/proposals.html"}
    for name, page in pages.items():
        links = re.findall(r'\bhref="([^"]*)"', page)
        sources = re.findall(r'\bsrc="([^"]*)"', page)
        assert [link for link in links if re.match(r"[a-z][a-z0-9+.-]*:", link, re.I)] == [], name
        assert [src for src in sources if not src.startswith("data:")] == [], name
        for n in range(1, 8):
            assert not re.search(rf"<em>em{n}</em>|<code>c{n}</code>|<b>h{n}</b>", page), (name, n)
    assert "Sax [x](javascript:alert(1)) ![i](http://e.invalid/i.png) *em* $\\alert{x}$" in html.unescape(
        pages["hostile/assessment.html"])
