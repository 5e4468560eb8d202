"""The workshop served by Voilà and driven in headless Chromium (Debian's) through Playwright.

Skips, saying why, when Chromium, the `playwright` package or Voilà is missing. The server
runs on 127.0.0.1 on a free port with a temporary database and constructed results, and is
stopped by the test. Every wait is bounded.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from widget_fakes import MEASURES, REGION, write_constructed_results

from workbench import paths

CHROMIUM = Path("/usr/bin/chromium")
VOILA = Path(sys.executable).with_name("voila")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SERVER_TIMEOUT, PAGE_TIMEOUT_MS, STORE_TIMEOUT = 90.0, 120_000, 30.0


def _missing() -> str | None:
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} not installed (apt-get install -y chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install playwright)"
    if not VOILA.is_file():
        return "voila is not installed (pip install -e '.[workshop]')"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=f"browser test skipped: {_missing()}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_http(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"voila exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:  # any HTTP answer means the server is up
            return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"voila did not answer on {url} within {timeout:.0f} s")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Voilà serving notebooks/workshop.ipynb; yields its URL and the database path."""
    reports, db = tmp_path / "reports", tmp_path / "workshop.sqlite"
    write_constructed_results(reports)
    port = _free_port()
    env = os.environ | {"WORKBENCH_REPORTS_DIR": str(reports), "WORKBENCH_WORKSHOP_DB": str(db)}
    log = (tmp_path / "voila.log").open("wb")
    process = subprocess.Popen(
        [str(VOILA), str(paths.NOTEBOOKS_DIR / "workshop.ipynb"), f"--port={port}", "--no-browser",
         "--Voila.ip=127.0.0.1"], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        _wait_http(url + "voila/static/", process, SERVER_TIMEOUT)
        yield url, db
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)
        log.close()


def _stored(db: Path, kind: str, item: str) -> float | None:
    deadline = time.monotonic() + STORE_TIMEOUT
    while time.monotonic() < deadline:
        if db.is_file():
            with sqlite3.connect(db, timeout=5) as connection:
                row = connection.execute("SELECT value FROM inputs WHERE kind = ? AND item = ?",
                                         (kind, item)).fetchone()
            if row:
                return row[0]
        time.sleep(0.25)
    return None


def _image_sources(page) -> list[str]:  # noqa: ANN001 - playwright Page
    return page.eval_on_selector_all("img", "imgs => imgs.map(i => i.src)")


def test_workshop_page_saves_a_vote_and_redraws(server: tuple[str, Path], tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, db = server
    measure = MEASURES[0]
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            page = context.new_page()
            page.set_default_timeout(PAGE_TIMEOUT_MS)
            page.goto(url, timeout=PAGE_TIMEOUT_MS)
            name = page.locator(".widget-text", has_text="Your name").locator("input")
            name.fill("Browser tester")
            name.press("Enter")
            expect(page.get_by_text("Enter your name to take part.")).to_have_count(0)
            page.wait_for_function("document.querySelectorAll('img').length >= 2")
            before = _image_sources(page)
            page.screenshot(path=str(tmp_path / "workshop-before.png"), full_page=True)

            page.locator(".widget-checkbox", has_text=f"support: {measure['title']}").locator("input").check()
            assert _stored(db, "vote", measure["id"]) == 1
            weight = page.locator(".widget-text", has_text="Dimension one").locator("input")
            weight.fill("3")
            weight.press("Enter")
            assert _stored(db, "weight", "dim_one") == 3
            page.wait_for_function("(old) => Array.from(document.querySelectorAll('img'))"
                                   ".filter((img, i) => img.src !== old[i]).length >= 2", arg=before)
            expect(page.get_by_text("all inputs saved")).to_be_visible()
            page.screenshot(path=str(tmp_path / "workshop-after.png"), full_page=True)
        finally:
            context.close()
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT region, participant FROM inputs").fetchall()
    assert set(rows) == {(REGION, "Browser tester")}


def test_skip_reason_names_what_is_missing() -> None:
    assert _missing() is None
    assert shutil.which(str(CHROMIUM))
