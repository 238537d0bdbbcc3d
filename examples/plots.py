"""The charts of arbetstyngd.plot; every function returns a matplotlib Axes."""

import matplotlib

matplotlib.use("Agg")  # no display needed; in Jupyter leave this out

import matplotlib.pyplot as plt

import arbetstyngd as at
from arbetstyngd import plot

town = at.datasets.make_municipality(n_workers=20, n_teams=3, seed=0)
wl = town.score()
names = dict(zip(town.teams["team_id"], town.teams["name"], strict=True))

fig, axes = plt.subplots(2, 2, figsize=(14, 9), layout="constrained")
plot.teams(wl, ax=axes[0, 0], team_names=names)
plot.utilisation(wl, team="T1", ax=axes[0, 1], lang="en")
plot.case_mix(wl, share=True, ax=axes[1, 0], team_names=names)
plot.explain(wl.explain("H0001"), scheme=wl.scheme, ax=axes[1, 1])
axes[0, 0].set_title("Belastningsgrad per team")  # adjust like any matplotlib Axes
print(len(fig.axes), "charts")
