"""Open the HTML report in headless Chromium: it renders, escapes data and its layout holds.

The layout checks load a copy of the report with a small script added (and the page's
Content-Security-Policy left out, so the script may run): it opens every folded "why" chart,
then lists every element that reaches past the page or past its parent box, and every box
whose content is cut or must be scrolled sideways. ``--dump-dom`` returns the page with that
list written into it. Print is checked the same way with the print stylesheet applied at the
width of an A4 page's text area, and by printing to a real PDF.

Skipped where no Chromium is installed; under ``CI=true`` a missing browser fails the run
(.ci/run installs Debian's chromium).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
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
IN_CI = os.environ.get("CI", "").lower() == "true"
needs_browser = pytest.mark.skipif(
    BROWSER is None and not IN_CI,
    reason="no Chromium installed (apt-get install chromium); the browser check needs one",
)

#: A4 portrait is 210 mm wide; the report's @page leaves 12 mm each side: 186 mm of text,
#: 703 CSS pixels at 96 per inch.
A4_TEXT_PX = 703

_CHECK = "<script>\n" + (Path(__file__).parent / "layout_check.js").read_text() + "</script>\n"


def _run(args: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    if BROWSER is None:
        pytest.fail("CI=true but no Chromium is installed: the browser checks must run in CI")
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
        "--hide-scrollbars",
        "--font-render-hinting=none",
        f"--user-data-dir={tmp / 'profile'}",
    ]
    return subprocess.run(
        [BROWSER, *flags, *args], capture_output=True, text=True, timeout=120, check=False
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
    wl.to_html(path)
    return path


@pytest.fixture(scope="module")
def busy_report(tmp_path_factory) -> Path:
    """A unit with a team of 15 workers or more, long names and half a year of history."""
    town = at.datasets.make_municipality(n_workers=26, n_teams=2, seed=5)
    teams = town.teams.assign(name=["Mottagning och utredning, barn och unga", "Ö"])
    dates = pd.date_range(end=town.on, periods=26, freq="7D")
    history = at.timeline(town.cases, town.workers, town.scheme, teams=teams, dates=dates)
    wl = at.score(town.cases, town.workers, town.scheme, teams=teams, on=town.on)
    path = tmp_path_factory.mktemp("busy") / "rapport.html"
    wl.to_html(path, history=history, subtitle="Individ- och familjeomsorgen, Exempelstad")
    return path


def _with_check(report: Path, tmp: Path, *, print_css: bool = False) -> Path:
    page = report.read_text(encoding="utf-8")
    # the check is a script of its own: the page's policy (which rightly forbids it) goes
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    if print_css:
        # the print stylesheet, applied on screen, to measure it at the A4 text width
        page = page.replace("@media print {", "@media all {")
    page = page.replace("</body>", _CHECK + "</body>")
    out = tmp / ("print-check.html" if print_css else "check.html")
    out.write_text(page, encoding="utf-8")
    return out


def _layout_problems(page: Path, width: int, tmp: Path) -> list[str]:
    done = _run(
        [f"--window-size={width},1200", "--virtual-time-budget=4000", "--dump-dom", page.as_uri()],
        tmp,
    )
    found = re.search(r'<pre id="layout-problems">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    text = found.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
    return json.loads(text.replace("&amp;", "&"))


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


@needs_browser
@pytest.mark.parametrize("width", [1024, 1440, 1920])
def test_layout_holds_on_screens(busy_report: Path, tmp_path: Path, width: int) -> None:
    problems = _layout_problems(_with_check(busy_report, tmp_path), width, tmp_path)
    assert not problems, problems[:20]
    if width in (1024, 1920):
        shot = tmp_path / f"report-{width}.png"
        _run(
            [f"--window-size={width},3000", f"--screenshot={shot}", busy_report.as_uri()], tmp_path
        )
        assert shot.exists() and shot.stat().st_size > 20_000
        keep = os.environ.get("ARBETSTYNGD_SCREENSHOTS")
        if keep:  # for a person to look at
            shutil.copy(shot, Path(keep) / shot.name)


@needs_browser
def test_layout_holds_on_a4(busy_report: Path, tmp_path: Path) -> None:
    problems = _layout_problems(
        _with_check(busy_report, tmp_path, print_css=True), A4_TEXT_PX, tmp_path
    )
    assert not problems, problems[:20]
    pdf = tmp_path / "report.pdf"
    done = _run(["--no-pdf-header-footer", f"--print-to-pdf={pdf}", busy_report.as_uri()], tmp_path)
    assert pdf.exists(), done.stderr[-2000:]
    raw = pdf.read_bytes()
    assert raw.startswith(b"%PDF")
    # every page is A4 portrait (595 x 842 points)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", raw)
    assert boxes and all(abs(float(w) - 595) < 2 and abs(float(h) - 842) < 2 for w, h in boxes)
    keep = os.environ.get("ARBETSTYNGD_SCREENSHOTS")
    if keep:
        shutil.copy(pdf, Path(keep) / pdf.name)
