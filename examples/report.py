"""Write the HTML report (with half a year of history) and the Excel workbook."""

import tempfile
from pathlib import Path

import pandas as pd

import arbetstyngd as at

town = at.datasets.make_municipality(n_workers=20, n_teams=3, seed=0)
wl = town.score()

# weekly history for the last 26 weeks, ending on the scoring date
dates = pd.date_range(end=town.on, periods=27, freq="7D")
history = at.timeline(town.cases, town.workers, town.scheme, teams=town.teams, dates=dates)

out = Path(tempfile.mkdtemp())
wl.to_html(out / "rapport.html", lang="sv", history=history)  # team names: from score()
# for a report that leaves the unit: no figures for groups under 5, none per worker
wl.to_html(out / "report-external.html", lang="en", min_group=5)
wl.to_excel(out / "arbetstyngd.xlsx", lang="sv")
print(sorted(p.name for p in out.iterdir()))
