"""Open the HTML report in headless Chromium: it renders, runs no failing script, escapes data.

Skipped when no Chromium is installed; CI (.ci/run) installs Debian's chromium.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import arbetstyngd as at

pytestmark = pytest.mark.browser

EVIL = "<script>alert(1)</script>"


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


BROWSER = _chromium()
needs_browser = pytest.mark.skipif(
    BROWSER is None,
    reason="no Chromium installed (apt-get install chromium); the browser check needs one",
)


def _run(args: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp / 'profile'}",
    ]
    return subprocess.run(
        [BROWSER, *flags, *args], capture_output=True, text=True, timeout=90, check=False
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    town = at.datasets.make_municipality(n_workers=12, n_teams=3, seed=3)
    workers = town.workers.copy()
    workers["team_id"] = workers["team_id"].replace({"T1": EVIL})
    teams = town.teams.copy()
    teams["team_id"] = teams["team_id"].replace({"T1": EVIL})
    teams.loc[teams["team_id"] == EVIL, "name"] = EVIL
    wl = at.score(town.cases, workers, town.scheme, teams=teams, on=town.on)
    path = tmp_path_factory.mktemp("browser") / "report.html"
    wl.to_html(path, teams=teams)
    return path


@needs_browser
def test_report_renders_without_script_errors(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    done = _run(
        [
            "--window-size=1280,2400",
            f"--screenshot={shot}",
            "--enable-logging=stderr",
            "--v=0",
            report.as_uri(),
        ],
        tmp_path,
    )
    assert shot.exists() and shot.stat().st_size > 20_000, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    errors = [line for line in console if "Uncaught" in line or "Error" in line]
    assert not errors, errors
    # the Content-Security-Policy allowed our one script: no violation was reported
    assert "Content Security Policy" not in done.stderr


@needs_browser
def test_escaped_team_name_shows_as_text(report: Path, tmp_path: Path) -> None:
    done = _run(["--dump-dom", report.as_uri()], tmp_path)
    dom = done.stdout
    assert "Översikt för enheten" in dom, done.stderr[-2000:]
    # the browser parsed the name as text: serialised back escaped, never as an element
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert EVIL not in dom
    # the injected alert never ran: the only script element is the report's own
    assert dom.count("<script") == 1
