"""A manager's week: impact of a case, a suggested allocation, staffing need and a what-if.

Invented data only. Runs in a few seconds (the allocation uses the greedy for speed; use
method="exact" to have HiGHS search for the best).
"""

import arbetstyngd as at

town = at.datasets.make_municipality(n_workers=40, n_teams=4, seed=0)
cases = town.cases.assign(subject_id=[f"S{i % 900:04d}" for i in range(len(town.cases))])
wl = at.score(cases, town.workers, town.scheme, teams=town.teams, on=town.on)

# what would one LVU investigation with an interpreter do to each worker?
impact = wl.impact({"case_type": "bou_lvu", "phase": "utredning", "tolk": True}, lang="en")
print(impact[["worker_id", "team_id", "points", "change", "band_after"]].head(5), "\n")

# this week's new cases, and the unit's rules
new = [
    {"case_id": "N1", "case_type": "bou_utredning", "subject_id": "S0003"},  # known child
    {"case_id": "N2", "case_type": "bou_lvu", "phase": "utredning"},
    {"case_id": "N3", "case_type": "bou_forhandsbedomning"},
    {"case_id": "N4", "case_type": "bou_placering"},
]
rules = {
    "team_case_types": {"T3": ["bou_placering", "bou_familjehem"]},
    "min_experience": {"bou_lvu": 1.0},
    "ceiling": "high",
}
suggestion = at.allocate(wl, new, rules=rules, cases=cases, method="greedy", lang="en")
print(suggestion, "\n")

# how many staff would bring each team to the normal load?
need = wl.staff_need(target=1.0)
print(need[["level", "team_id", "utilisation", "need_reference", "gap_staffed"]].round(2), "\n")

# what if an experienced investigator leaves and we hire a new one?
scenario = at.Scenario.from_dict(
    {
        "name": "one leaves, one new",
        "changes": [
            {"kind": "leave", "worker": "H0013", "date": "2026-06-01"},
            {"kind": "hire", "team": "T2", "fte": 1.0, "experience_years": 0, "date": "2026-06-01"},
        ],
    }
)
w = at.what_if(cases, town.workers, town.scheme, scenario, teams=town.teams, on=town.on)
print(w)
