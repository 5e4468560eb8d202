"""The workshop served by Voilà (as `workbench.widgets.serve` serves it) and driven in headless Chromium.

Two participants enter ratings and votes in two pages; the facilitator's page shows both. Every
page asks no other host for anything and logs no console error; at 360 px width the participant's
page has no horizontal scroll. Skips, saying why, when Chromium, the `playwright` package or Voilà
is missing. The servers run on 127.0.0.1 on free ports with a temporary database and constructed
results, and are stopped by the test. Every wait is bounded. Set `WORKBENCH_SCREENSHOTS=<folder>`
to keep the screenshots.
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

from workbench.widgets.links import PARTICIPANT_URL_ENV
from workbench.widgets.serve import voila_command, voila_env

CHROMIUM = Path("/usr/bin/chromium")
VOILA = Path(sys.executable).with_name("voila")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SERVER_TIMEOUT, PAGE_TIMEOUT_MS, STORE_TIMEOUT, BOARD_TIMEOUT_MS = 90.0, 120_000, 30.0, 15_000
PHONE = {"width": 360, "height": 740}


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


def _stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    """The participants' and the facilitator's Voilà servers; yields their URLs and the database path."""
    reports, db = tmp_path / "reports", tmp_path / "workshop.sqlite"
    write_constructed_results(reports)
    ports = _free_port(), _free_port()
    urls = [f"http://127.0.0.1:{port}/" for port in ports]
    env = {"WORKBENCH_REPORTS_DIR": str(reports), "WORKBENCH_WORKSHOP_DB": str(db),
           PARTICIPANT_URL_ENV: urls[0] + f"?region={REGION}"}
    processes = []
    log = (tmp_path / "voila.log").open("wb")
    try:
        for notebook, port in zip(("workshop", "facilitator"), ports):
            processes.append(subprocess.Popen(voila_command(notebook, port), env=voila_env(env), stdout=log,
                                              stderr=subprocess.STDOUT, start_new_session=True))
        for url, process in zip(urls, processes):
            _wait_http(url + "voila/static/", process, SERVER_TIMEOUT)
        yield urls[0], urls[1], db
    finally:
        for process in processes:
            _stop(process)
        log.close()


class Watched:
    """A page with every request to another host and every console error recorded."""

    def __init__(self, context, url: str, viewport: dict | None = None) -> None:  # noqa: ANN001 - playwright
        self.origin = url.split("/?")[0].rstrip("/")
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.page = context.new_page()
        if viewport:
            self.page.set_viewport_size(viewport)
        self.page.set_default_timeout(PAGE_TIMEOUT_MS)
        self.page.on("request", self._request)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url, timeout=PAGE_TIMEOUT_MS)

    def _request(self, request) -> None:  # noqa: ANN001 - playwright Request
        if not request.url.startswith((self.origin, "data:", "blob:")):
            self.foreign.append(request.url)

    def shot(self, name: str, tmp_path: Path) -> None:
        folder = Path(os.environ.get("WORKBENCH_SCREENSHOTS") or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _stored(db: Path, participant: str, kind: str, item: str) -> float | None:
    deadline = time.monotonic() + STORE_TIMEOUT
    while time.monotonic() < deadline:
        if db.is_file():
            with sqlite3.connect(db, timeout=5) as connection:
                row = connection.execute("SELECT value FROM inputs WHERE participant = ? AND kind = ? AND item = ?",
                                         (participant, kind, item)).fetchone()
            if row:
                return row[0]
        time.sleep(0.25)
    return None


def _take_part(page, name: str, rating: str, measure: dict) -> None:  # noqa: ANN001 - playwright Page
    from playwright.sync_api import expect

    expect(page.get_by_text("Enter your name (then press Enter)")).to_be_visible()
    expect(page.get_by_text("Retry saving")).to_be_hidden()  # no error before anything was entered
    box = page.get_by_placeholder("your name, then Enter")
    box.fill(name)
    box.press("Enter")
    expect(page.get_by_text("Enter your name (then press Enter)")).to_have_count(0)
    page.locator(".widget-toggle-buttons").first.get_by_role("button", name=rating, exact=True).click()
    expect(page.get_by_text(f"your rating: {rating} of 5")).to_be_visible()
    page.locator(".widget-hbox", has_text=measure["title"]).get_by_role("button").click()
    expect(page.locator(".widget-hbox", has_text=measure["title"]).get_by_role("button")).to_have_text("Supported")
    expect(page.get_by_text("all inputs saved")).to_be_visible()


def test_two_participants_and_the_facilitator(servers: tuple[str, str, Path], tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    participants_url, facilitator_url, db = servers
    first, second = MEASURES[1], MEASURES[2]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            board = Watched(browser.new_context(), facilitator_url + f"?region={REGION}")
            expect(board.page.get_by_text("no votes yet")).to_be_visible()
            expect(board.page.get_by_text(participants_url)).to_be_visible()
            assert board.page.locator("svg path").count() >= 1  # the QR code
            board.shot("facilitator-empty", tmp_path)
            ana = Watched(browser.new_context(), participants_url + f"?region={REGION}", PHONE)
            bo = Watched(browser.new_context(), participants_url + f"?region={REGION}")
            ana.shot("participant-phone-empty", tmp_path)
            _take_part(ana.page, "Ana", "4", first)
            _take_part(bo.page, "Bo", "2", second)
            assert _stored(db, "Ana", "vote", first["id"]) == 1 and _stored(db, "Bo", "rating",
                                                                            "research_innovation_access") == 2
            ana.shot("participant-phone", tmp_path)
            expect(board.page.get_by_text("2 participants, latest input").first).to_be_visible(timeout=BOARD_TIMEOUT_MS)
            expect(board.page.get_by_text("3.0 (range 2–4; 2 ratings)")).to_be_visible()
            expect(board.page.get_by_text(first["title"], exact=True)).to_be_visible()
            expect(board.page.get_by_text(second["title"], exact=True)).to_be_visible()
            board.page.set_viewport_size({"width": 1280, "height": 800})
            board.shot("facilitator", tmp_path)
            width = ana.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], f"horizontal scroll at 360 px: {width}"
            for watched in (board, ana, bo):
                assert watched.foreign == [], f"requests to other hosts: {watched.foreign}"
                assert watched.errors == [], f"console errors: {watched.errors}"
        finally:
            browser.close()
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT DISTINCT region, participant FROM inputs").fetchall()
    assert set(rows) == {(REGION, "Ana"), (REGION, "Bo")}


@pytest.fixture
def explorer_server(tmp_path: Path) -> Iterator[str]:
    """Voilà serving the explorer on the committed data snapshot."""
    port = _free_port()
    log = (tmp_path / "voila-explorer.log").open("wb")
    process = subprocess.Popen(voila_command("explorer", port), env=voila_env(), stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_http(f"http://127.0.0.1:{port}/voila/static/", process, SERVER_TIMEOUT)
        yield f"http://127.0.0.1:{port}/"
    finally:
        _stop(process)
        log.close()


def test_explorer_modules_offline_with_defaults(explorer_server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            explorer = Watched(browser.new_context(), explorer_server, {"width": 1280, "height": 1700})
            tabs = explorer.page.locator(".lm-TabBar-tab")
            expect(tabs).to_have_count(4, timeout=PAGE_TIMEOUT_MS)
            for i in range(4):
                tabs.nth(i).click()
                panel = explorer.page.locator(".widget-tab-contents > .widget-vbox:visible").first
                expect(panel.locator("img").first).to_be_visible()
                years = panel.locator(".widget-dropdown", has_text="Year").locator("select")
                assert years.evaluate("s => s.options[s.selectedIndex] ? s.options[s.selectedIndex].text : ''")
                explorer.shot(f"explorer-{i}", tmp_path)
            assert explorer.foreign == [], f"requests to other hosts: {explorer.foreign}"
            assert explorer.errors == [], f"console errors: {explorer.errors}"
        finally:
            browser.close()


def test_skip_reason_names_what_is_missing() -> None:
    assert _missing() is None
    assert shutil.which(str(CHROMIUM))
