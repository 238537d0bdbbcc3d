"""Score a synthetic municipality and look at one caseworker's figure (runs in a second)."""

import arbetstyngd as at

# invented data: a municipality of 40 caseworkers in 4 teams, with the scheme it came from
town = at.datasets.make_municipality(n_workers=40, n_teams=4, seed=0)

wl = at.score(town.cases, town.workers, town.scheme, teams=town.teams, on=town.on)
print(wl)
print(wl.teams[["team_id", "n_workers", "load", "capacity", "utilisation", "band"]])

# why is the busiest caseworker's figure what it is?
busiest = wl.workers.sort_values("utilisation")["worker_id"].iloc[-1]
print(wl.explain(busiest))
