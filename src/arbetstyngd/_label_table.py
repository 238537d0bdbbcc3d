"""The words of :mod:`arbetstyngd.labels`: the label table and translations of shipped texts.

Data only. Kept apart from the formatting functions so each module stays readable.
"""

from __future__ import annotations

__all__ = ["SCHEME_TEXTS", "WORDS"]

#: key -> (Swedish, English)
WORDS: dict[str, tuple[str, str]] = {
    # bands
    "band.low": ("låg", "low"),
    "band.balanced": ("balanserad", "balanced"),
    "band.high": ("hög", "high"),
    "band.critical": ("kritisk", "critical"),
    "band.none": ("saknas", "missing"),
    # columns of the result tables
    "col.team_id": ("Team", "Team"),
    "col.team": ("Team", "Team"),
    "col.team_name": ("Teamnamn", "Team name"),
    "col.worker_id": ("Handläggare", "Caseworker"),
    "col.n_workers": ("Handläggare", "Caseworkers"),
    "col.fte": ("Tjänstgöringsgrad", "FTE"),
    "col.n_cases": ("Aktiva ärenden", "Active cases"),
    "col.load": ("Poäng (belastning)", "Points (load)"),
    "col.capacity": ("Kapacitet", "Capacity"),
    "col.utilisation": ("Belastningsgrad", "Utilisation"),
    "col.band": ("Nivå", "Band"),
    "col.n_low": ("Antal låg", "Number low"),
    "col.n_balanced": ("Antal balanserad", "Number balanced"),
    "col.n_high": ("Antal hög", "Number high"),
    "col.n_critical": ("Antal kritisk", "Number critical"),
    "col.reduction": ("Nedsättning (andel)", "Reduction (share)"),
    "col.experience_years": ("Erfarenhet (år)", "Experience (years)"),
    "col.profession_start": ("I yrket sedan", "In the profession since"),
    "col.span_of_control": ("Medarbetare per chef", "Workers per manager"),
    "col.supervision_hours": ("Handledning (tim/mån)", "Supervision (h/month)"),
    "col.row": ("Rad", "Row"),
    # the "column" of a rejection that concerns the whole row (a row that could not be split)
    "col.(row)": ("(hela raden)", "(whole row)"),
    "col.case_id": ("Ärende", "Case"),
    "col.case_type": ("Ärendetyp", "Case type"),
    "col.case_label": ("Ärendetyp (namn)", "Case type (name)"),
    "col.phase": ("Fas", "Phase"),
    "col.active": ("Aktivt", "Active"),
    "col.opened": ("Öppnat", "Opened"),
    "col.closed": ("Avslutat", "Closed"),
    "col.weight": ("Vikt", "Weight"),
    "col.phase_fallback": ("Vikt utan fas", "Weight without phase"),
    "col.points": ("Poäng", "Points"),
    "col.case_mix": ("Ärendemix (poäng)", "Case mix (points)"),
    "col.table": ("Tabell", "Table"),
    "col.id": ("Id", "Id"),
    "col.column": ("Kolumn", "Column"),
    "col.value": ("Värde", "Value"),
    "col.reason": ("Orsak", "Reason"),
    "col.part": ("Del", "Part"),
    "col.rule": ("Regel", "Rule"),
    "col.note": ("Kommentar", "Note"),
    "col.name": ("Namn", "Name"),
    "col.label": ("Benämning", "Label"),
    "col.date": ("Datum", "Date"),
    "col.weeks": ("Veckor i följd", "Consecutive weeks"),
    "col.from": ("Från", "From"),
    "col.to": ("Till", "To"),
    "col.ongoing": ("Pågår", "Ongoing"),
    "col.factor_of": ("Faktor: {name}", "Factor: {name}"),
    # capacity steps of an explanation
    "step.normal_load": ("Normalbelastning P", "Normal load P"),
    "step.fte": ("Tjänstgöringsgrad", "FTE"),
    "step.reduction": ("Nedsättning", "Reduction"),
    "step.experience": ("Erfarenhet", "Experience"),
    "step.support": ("Arbetsledningsstöd", "Supervisory support"),
    "step.load_total": ("= Belastning", "= Load"),
    "step.capacity_total": ("= Kapacitet", "= Capacity"),
    "step.complexity": ("varav komplexitet", "of which complexity"),
    # sheet names (Excel allows 31 characters)
    "sheet.overview": ("Översikt", "Overview"),
    "sheet.teams": ("Team", "Teams"),
    "sheet.workers": ("Handläggare", "Caseworkers"),
    "sheet.cases": ("Ärenden", "Cases"),
    "sheet.rejected": ("Avvisade rader", "Rejected rows"),
    "sheet.scheme": ("Schema", "Scheme"),
    # parts of the scheme sheet
    "part.capacity": ("kapacitet", "capacity"),
    "part.weight": ("vikt", "weight"),
    "part.multiplier": ("komplexitetsfaktor", "complexity multiplier"),
    "part.adjustment": ("kapacitetsjustering", "capacity adjustment"),
    "part.band": ("nivågräns", "band threshold"),
    # headings and words of the report
    "title": ("Arbetstyngd", "Workload"),
    "report.title": ("Arbetstyngd – rapport", "Workload report"),
    "report.on": ("Ärendeläget den {date}", "Caseload on {date}"),
    "report.snapshot": ("Ärendeläget vid uttaget ({date})", "Caseload at export ({date})"),
    "report.generated": (
        "Skapad {date} med arbetstyngd {version}",
        "Made {date} with arbetstyngd {version}",
    ),
    "report.overview": ("Översikt för enheten", "Unit overview"),
    "report.unit": ("Enheten", "The unit"),
    "report.how_to_read": ("Så läser du rapporten", "How to read this report"),
    "report.how_to_read_text": (
        "Belastningsgrad är ärendepoäng delat med kapacitet. 100 % är den överenskomna "
        "normalbelastningen för en heltidsanställd, erfaren handläggare med gott stöd; kapaciteten "
        "sänks för deltid, nedsättningar, kort erfarenhet och svagt arbetsledningsstöd. "
        "Teamets och enhetens siffra är summan av poängen delad med summan av kapaciteten.",
        "Utilisation is case points divided by capacity. 100% is the agreed normal load of a "
        "full-time, experienced caseworker with good support; capacity is lowered for part time, "
        "reductions, short experience and weak supervisory support. A team's and the unit's figure "
        "is the sum of points divided by the sum of capacity.",
    ),
    "report.dialogue": (
        "Siffrorna är ett underlag för samtal om arbetsmiljö och fördelning av ärenden, inte ett "
        "mått på hur bra någon arbetar. Ett ärende kan kräva mer eller mindre än sina poäng.",
        "The figures are a basis for conversations about the work environment and the allocation "
        "of cases, not a measure of how well anyone works. A case can need more or less than its "
        "points.",
    ),
    "report.illustrative": (
        "Schemat är en illustrativ utgångspunkt, inte en norm: kalibrera vikterna lokalt innan "
        "siffrorna används som beslutsunderlag.",
        "The scheme is an illustrative starting point, not a norm: calibrate the weights locally "
        "before the figures inform decisions.",
    ),
    "report.bands": ("Nivåer", "Bands"),
    "report.band_range.low": ("under {hi}", "below {hi}"),
    "report.band_range.mid": ("{lo} till under {hi}", "{lo} to below {hi}"),
    "report.band_range.top": ("{lo} och mer", "{lo} and above"),
    "report.kpi.utilisation": ("Belastningsgrad", "Utilisation"),
    "report.kpi.workers": ("Handläggare", "Caseworkers"),
    "report.kpi.cases": ("Aktiva ärenden", "Active cases"),
    "report.kpi.above_high": (
        "Handläggare på hög eller kritisk nivå",
        "Caseworkers high or critical",
    ),
    "report.teams": ("Team", "Teams"),
    "report.team_chart": ("Belastningsgrad per team", "Utilisation by team"),
    "report.workers_per_band": ("Handläggare per nivå", "Caseworkers per band"),
    "report.team": ("Team {name}", "Team {name}"),
    "report.team_workers": (
        "Handläggare, sorterade efter belastningsgrad",
        "Caseworkers, sorted by utilisation",
    ),
    "report.why": (
        "Varför? Poäng och kapacitet per handläggare",
        "Why? Points and capacity per caseworker",
    ),
    "report.room": ("Vem har utrymme", "Who has room"),
    "report.room_text": (
        "Handläggare under normalbelastningen, mest utrymme först: poäng kvar upp till 100 % "
        "och hur många typiska ärenden av teamets vanligaste ärendetyp det motsvarar. Ett "
        "underlag för chefens fördelning, inget automatiskt beslut.",
        "Caseworkers below the normal load, most room first: points left up to 100 % and how "
        "many typical cases of the team's most common case type that is. Advice for the "
        "manager's allocation, never an automatic decision.",
    ),
    "report.room_typical": ("≈ {n} × {type}", "≈ {n} × {type}"),
    "report.staffing": ("Bemanningsbehov", "Staffing need"),
    "report.staffing_text": (
        "Heltidstjänster som behövs för att nå normalbelastningen (100 %): som "
        "referenstjänster (erfarna, med gott stöd) och med teamets nuvarande sammansättning. "
        "Ett positivt gap betyder att det fattas personal.",
        "Full-time equivalents needed to reach the normal load (100 %): as reference FTE "
        "(experienced, well supported) and with the team's current mix. A positive gap means "
        "staff are short.",
    ),
    "col.spare": ("Poäng kvar", "Points left"),
    "col.typical": ("Motsvarar", "About"),
    "col.effective_fte": ("Tjänster i dag", "FTE today"),
    "col.need_reference": ("Behov, referenstjänster", "Need, reference FTE"),
    "col.gap_reference": ("Gap, referenstjänster", "Gap, reference FTE"),
    "col.need_staffed": ("Behov, nuvarande sammansättning", "Need, current mix"),
    "col.gap_staffed": ("Gap, nuvarande sammansättning", "Gap, current mix"),
    "report.forecast": ("Prognos", "Forecast"),
    "report.forecast_text": (
        "Så kan belastningen utvecklas: öppna ärenden avslutas som ärenden av samma typ "
        "brukar, nya kommer i den senaste takten. Mitten är medianen; banden rymmer 80 % och "
        "95 % av utfallen. Tabellen visar den {date}.",
        "How utilisation may develop: open cases close as cases of their type have closed, "
        "new ones arrive at the recent rate. The line is the median; the bands hold 80 % and "
        "95 % of the paths. The table shows {date}.",
    ),
    "report.forecast_caption": (
        "Prognos för hela enheten ({paths} utfall)",
        "Forecast for the whole unit ({paths} paths)",
    ),
    "col.median": ("Belastningsgrad (median)", "Utilisation (median)"),
    "col.band80": ("80 % av utfallen", "80 % of paths"),
    "report.trend": ("Trend, senaste mätningarna", "Trend, latest measurements"),
    "report.why_one": ("{worker}: {util} ({band})", "{worker}: {util} ({band})"),
    "report.why_hint": (
        "Staplarna visar vad poängen består av (per ärendetyp, med tillägg för komplexitet) och "
        "hur kapaciteten räknas fram från normalbelastningen.",
        "The bars show what the points are made of (per case type, with complexity added) and "
        "how capacity is worked out from the normal load.",
    ),
    "report.history": ("Utveckling över tid", "Over time"),
    "report.history_teams": ("Belastningsgrad per team över tid", "Utilisation by team over time"),
    "report.history_workers": (
        "Belastningsgrad per handläggare över tid",
        "Utilisation by caseworker over time",
    ),
    "report.history_period.one": ("{start} – {end}, {n} mättillfälle", "{start} – {end}, {n} date"),
    "report.history_period.other": (
        "{start} – {end}, {n} mättillfällen",
        "{start} – {end}, {n} dates",
    ),
    "report.streaks": (
        "Över nivån ”hög” minst {weeks} veckor i följd",
        "Above “high” for at least {weeks} consecutive weeks",
    ),
    "report.no_streaks": (
        "Ingen handläggare har legat över nivån ”hög” så länge.",
        "No caseworker has been above “high” for that long.",
    ),
    "report.suppressed": (
        "Döljs: färre än {n} handläggare",
        "Hidden: fewer than {n} caseworkers",
    ),
    "report.suppressed_note": (
        "Grupper med färre än {n} handläggare visas utan siffror, och uppgifter per handläggare "
        "visas inte, eftersom rapporten kan lämna enheten.",
        "Groups with fewer than {n} caseworkers are shown without figures, and no figures per "
        "caseworker are shown, because the report may leave the unit.",
    ),
    "report.scheme": ("Om beräkningen", "About the calculation"),
    "report.scheme_id": ("Schema", "Scheme"),
    "report.scheme_version": ("Version", "Version"),
    "report.scheme_effective": ("Gäller från", "Effective from"),
    "report.scheme_method": ("Framtaget genom", "Made by"),
    "report.scheme_capacity": ("Normalbelastning P", "Normal load P"),
    "report.scheme_references": ("Källor", "Sources"),
    "report.scheme_period": ("Dataperiod", "Data period"),
    "report.points": ("poäng", "points"),
    "report.rejected": ("Rader som inte kunde beräknas", "Rows that could not be scored"),
    # a sentence about n things has a form for one (key.one) and for others (key.other)
    "report.rejected_text.one": (
        "{n} rad i underlaget kunde inte beräknas. Den finns med sin orsak i tabellen över "
        "avvisade rader (Excel eller CSV).",
        "{n} row of the input could not be scored. It is listed with its reason in the "
        "rejected-rows table (Excel or CSV).",
    ),
    "report.rejected_text.other": (
        "{n} rader i underlaget kunde inte beräknas. Varje rad finns med sin orsak i tabellen "
        "över avvisade rader (Excel eller CSV).",
        "{n} rows of the input could not be scored. Each is listed with its reason in the "
        "rejected-rows table (Excel or CSV).",
    ),
    "report.rejected_by_reason": ("Vanligaste orsaker", "Most common reasons"),
    "report.generated_on": ("Skapad", "Made"),
    "report.library": ("Programversion", "Library version"),
    "report.unit_load": ("Poäng, hela enheten", "Points, whole unit"),
    "report.unit_capacity": ("Kapacitet, hela enheten", "Capacity, whole unit"),
    "report.unit_utilisation": ("Belastningsgrad, hela enheten", "Utilisation, whole unit"),
    "report.unit_band": ("Nivå, hela enheten", "Band, whole unit"),
    "report.workers_in_band": ("Handläggare på nivån {band}", "Caseworkers in band {band}"),
    "report.n_rejected": ("Avvisade rader", "Rejected rows"),
    "report.no_data": ("Inga handläggare att visa.", "No caseworkers to show."),
    "report.yes": ("ja", "yes"),
    "report.no": ("nej", "no"),
    "report.total": ("Alla", "All"),
    "report.contents": ("Innehåll", "Contents"),
    "method.default": ("standardvärden (illustrativa)", "defaults (illustrative)"),
    "method.delphi": ("expertpanel (Delphi)", "expert panel (Delphi)"),
    "method.time-study": ("tidsstudie", "time study"),
    "method.perceived-workload": ("upplevd arbetsbelastning", "perceived workload"),
    "method.manual": ("manuellt satta vikter", "manually set weights"),
    # plot axes
    "axis.utilisation": ("Belastningsgrad", "Utilisation"),
    "axis.points": ("Poäng", "Points"),
    "axis.date": ("Datum", "Date"),
    "axis.share_points": ("Andel av poängen", "Share of points"),
    "axis.observed": ("Observerat", "Observed"),
    "axis.predicted": ("Förutsagt", "Predicted"),
    "axis.weight": ("Vikt (poäng per ärende)", "Weight (points per case)"),
    "plot.normal_load": ("normalbelastning (100 %)", "normal load (100%)"),
    "plot.balanced_band": ("balanserad nivå", "balanced band"),
    "plot.interval": ("intervall", "interval"),
    "plot.estimate": ("skattning", "estimate"),
    "plot.reference": ("referens", "reference"),
    "plot.identity": ("y = x", "y = x"),
    "plot.other": ("övriga", "other"),
    # the command line
    "cli.summary_on": (
        "Ärendeläget den {date}, schema {scheme}: {workers} handläggare i {teams} team, "
        "{cases} aktiva ärenden.",
        "Caseload on {date}, scheme {scheme}: {workers} caseworkers in {teams} teams, "
        "{cases} active cases.",
    ),
    "cli.summary_snapshot": (
        "Ärendeläget vid uttaget ({date}), schema {scheme}: {workers} handläggare i {teams} team, "
        "{cases} aktiva ärenden.",
        "Caseload at export ({date}), scheme {scheme}: {workers} caseworkers in {teams} teams, "
        "{cases} active cases.",
    ),
    "cli.no_worker": (
        "Ingen handläggare kunde beräknas; se de avvisade raderna nedan.",
        "No worker could be scored; see the rejected rows below.",
    ),
    "cli.all_scored": (
        "Alla rader kunde beräknas.",
        "Every row could be scored.",
    ),
    # one/other by the total: "1 av 1 rad", "1 av 24 rader"
    "cli.rejected_share.one": (
        "{table}: {n} av {total} rad kunde inte beräknas ({share}).",
        "{table}: {n} of {total} row could not be scored ({share}).",
    ),
    "cli.rejected_share.other": (
        "{table}: {n} av {total} rader kunde inte beräknas ({share}).",
        "{table}: {n} of {total} rows could not be scored ({share}).",
    ),
    "cli.rejected_count.one": (
        "{table}: {n} rad kunde inte beräknas.",
        "{table}: {n} row could not be scored.",
    ),
    "cli.rejected_count.other": (
        "{table}: {n} rader kunde inte beräknas.",
        "{table}: {n} rows could not be scored.",
    ),
    "cli.incomplete": (
        "SIFFRORNA ÄR OFULLSTÄNDIGA: mer än {threshold} av raderna i en tabell kunde inte "
        "beräknas. Rätta raderna nedan innan siffrorna används.",
        "FIGURES INCOMPLETE: more than {threshold} of the rows of a table could not be scored. "
        "Fix the rows below before the figures are used.",
    ),
    "cli.incomplete_heading": ("siffrorna är ofullständiga", "figures incomplete"),
    "cli.rejected_heading": ("Avvisade rader", "Rejected rows"),
    "cli.first_rows": ("De första avvisade raderna", "The first rejected rows"),
    "cli.wrote.one": ("Skrev {n} fil till {path}", "Wrote {n} file to {path}"),
    "cli.wrote.other": ("Skrev {n} filer till {path}", "Wrote {n} files to {path}"),
    "cli.report_written": ("Rapporten är skriven till: {path}", "The report is in: {path}"),
    "cli.result_files.one": ("Resultatfil: {path} ({n} fil)", "Result file: {path} ({n} file)"),
    "cli.result_files.other": (
        "Resultatfiler: {path} ({n} filer)",
        "Result files: {path} ({n} files)",
    ),
    "cli.open_report": (
        "Rapport (öppna i en webbläsare): {path}",
        "Report (open in a browser): {path}",
    ),
    "cli.demo_title": (
        "Syntetisk kommun, {n} handläggare, {date} – schema {scheme}",
        "Synthetic municipality, {n} caseworkers, {date} – scheme {scheme}",
    ),
    "cli.demo_subtitle": (
        "Syntetisk kommun (påhittade data)",
        "Synthetic municipality (invented data)",
    ),
    "cli.n": ("Antal", "Count"),
    # the tables of the input, by the name the rejection table uses
    "table.cases": ("Ärenden", "Cases"),
    "table.workers": ("Handläggare", "Caseworkers"),
    "table.teams": ("Team", "Teams"),
    "table.reductions": ("Nedsättningar", "Reductions"),
    # rules of a capacity adjustment (the scheme sheet)
    "rule.step": (
        "{covariate}, trappsteg: gränser {breaks} → faktorer {factors}",
        "{covariate}, steps: breaks {breaks} → factors {factors}",
    ),
    "rule.linear": (
        "{covariate}, linjär: punkter {breaks} → faktorer {factors}",
        "{covariate}, linear: points {breaks} → factors {factors}",
    ),
    "report.critical_line": ("kritisk ({value})", "critical ({value})"),
    "report.high_line": ("hög ({value})", "high ({value})"),
    "plot.title.utilisation": ("Belastningsgrad per handläggare", "Utilisation by caseworker"),
    "plot.title.utilisation_team": (
        "Belastningsgrad per handläggare, team {team}",
        "Utilisation by caseworker, team {team}",
    ),
    "plot.title.teams": ("Belastningsgrad per team", "Utilisation by team"),
    "plot.title.case_mix": ("Ärendemix (poäng per ärendetyp)", "Case mix (points by case type)"),
    "plot.title.timeline": ("Belastningsgrad över tid", "Utilisation over time"),
    "plot.title.weights": ("Skattade vikter", "Estimated weights"),
    "plot.more": ("+{n} till", "+{n} more"),
    # decisions, the forecast and the archive
    "archive.title": ("Månadsuppföljning ur arkivet", "Monthly follow-up from the archive"),
    "archive.period.one": ("{n} mätning, {start} – {end}", "{n} measurement, {start} – {end}"),
    "archive.period.other": (
        "{n} mätningar, {start} – {end}",
        "{n} measurements, {start} – {end}",
    ),
    "archive.scheme_change": ("Schemat byttes", "Scheme changed"),
    "archive.unit": ("Enhetens belastning per månad", "The unit's utilisation by month"),
    "archive.month": ("Månad", "Month"),
    "archive.scheme": ("Schema", "Scheme"),
    "archive.trend": ("Utveckling per handläggare", "Trend per worker"),
    "archive.latest": ("Senast", "Latest"),
    "archive.above.one": (
        "Över 'hög' i {n} månad eller fler i rad",
        "Above 'high' for {n} month or more in a row",
    ),
    "archive.above.other": (
        "Över 'hög' i {n} månader eller fler i rad",
        "Above 'high' for {n} months or more in a row",
    ),
    "archive.months": ("Månader", "Months"),
    "archive.ongoing": ("Pågår", "Ongoing"),
    "archive.none": ("Ingen.", "None."),
    "archive.perceived": (
        "Upplevd och mätt belastning (underlag för samtal, inte en bedömning)",
        "Perceived and measured load (for the dialogue, not a verdict)",
    ),
    "archive.rating": ("Självskattning", "Self-rating"),
    "archive.felt": ("Upplevd nivå", "Perceived band"),
    "archive.measured": ("Mätt nivå", "Measured band"),
    "archive.apart": ("Steg isär", "Steps apart"),
    "archive.flagged": ("Två steg eller mer isär", "Two steps or more apart"),
    "archive.hidden": ("Dolt: färre än {n} handläggare.", "Hidden: fewer than {n} workers."),
    "archive.yes": ("ja", "yes"),
    "archive.no": ("nej", "no"),
    "cli.decide.utilisation_before": ("Före", "Before"),
    "cli.decide.utilisation_after": ("Efter", "After"),
    "cli.decide.reasons": ("Skäl", "Reasons"),
    "cli.decide.effective_fte": ("Tillgängliga åa", "Effective FTE"),
    "cli.decide.need_reference": ("Behov (ref.-åa)", "Need (ref. FTE)"),
    "cli.decide.gap_reference": ("Gap (ref.-åa)", "Gap (ref. FTE)"),
    "cli.decide.need_staffed": ("Behov (nuv. mix)", "Need (current mix)"),
    "cli.decide.gap_staffed": ("Gap (nuv. mix)", "Gap (current mix)"),
    "cli.decide.status": ("Status", "Status"),
    "cli.decide.utilisation_change": ("Ändring (procentenheter)", "Change (points of %)"),
    "cli.decide.band_before": ("Nivå före", "Band before"),
    "cli.decide.band_after": ("Nivå efter", "Band after"),
    "cli.forecast.median": ("Belastning (median)", "Utilisation (median)"),
    "cli.forecast.band": ("80 % av utfallen", "80 % of paths"),
    "cli.forecast.need": ("Behov, heltidstjänster", "Full-time staff needed"),
    "cli.forecast.unit": ("Hela enheten", "Whole unit"),
    "cli.forecast.title": (
        "Prognos {start} – {end}, {paths} utfall; belastning på sista datumet:",
        "Forecast {start} – {end}, {paths} paths; utilisation on the last date:",
    ),
    "cli.forecast.wrote": (
        "skrev prognostabellen till {path}",
        "wrote the forecast table to {path}",
    ),
    "decide.change": ("{before} → {after}", "{before} → {after}"),
    "decide.band_change": ("nivå {before} → {after}", "band {before} → {after}"),
    "decide.sibling": ("har syskonets ärende", "has the sibling's case"),
    "decide.subject": (
        "har redan ärende för samma person",
        "already has a case for the same person",
    ),
    "decide.together": (
        "följer med ett nytt ärende i samma familj",
        "goes with a new case of the same family",
    ),
    "decide.over_ceiling": (
        "över taket ({band}) för kontinuitetens skull",
        "over the ceiling ({band}) to keep continuity",
    ),
    "decide.only_experienced": (
        "enda erfarna handläggaren med utrymme",
        "only experienced worker with room",
    ),
    "decide.only_one": ("enda handläggaren med utrymme", "only worker with room"),
    "decide.lowest": (
        "lägst belastning efteråt bland {n} möjliga",
        "lowest resulting utilisation of {n} who could take it",
    ),
    "decide.of_n": ("en av {n} möjliga", "one of {n} who could take it"),
    "decide.continuity_blocked": (
        "{worker} har familjens ärende men kan inte ta fler ({why})",
        "{worker} has the family's case but cannot take more ({why})",
    ),
    "decide.would_be_critical": ("skulle bli kritisk", "would reach critical"),
    "decide.barred": ("reglerna hindrar", "barred by the rules"),
    "decide.no_team": (
        "inget team tar ärendetypen {case_type}",
        "no team takes case type {case_type}",
    ),
    "decide.no_experience": (
        "kräver {years:g} års erfarenhet; ingen möjlig handläggare har det",
        "needs {years:g} years in the profession; no eligible worker has it",
    ),
    "decide.all_paused": (
        "alla möjliga handläggare är pausade eller frånvarande",
        "every eligible worker is paused or absent",
    ),
    "decide.no_room": (
        "alla möjliga handläggare skulle passera taket ({band})",
        "every eligible worker would cross the ceiling ({band})",
    ),
    "decide.no_room_batch": (
        "inget utrymme kvar under taket ({band}) efter de andra ärendena",
        "no room left under the ceiling ({band}) after the other cases",
    ),
    "decide.advice": (
        "Förslag till chefen, inget automatiskt beslut: chefen fördelar ärendena.",
        "Advice for the manager, never an automatic decision: the manager allocates the cases.",
    ),
    "decide.method_milp": (
        "exakt lösning (bevisat bästa; linjär- och heltalsprogram i HiGHS)",
        "exact solution (proven best; linear and integer programs in HiGHS)",
    ),
    "decide.method_milp_limit": (
        "bästa lösning inom tidsgränsen (blandat heltalsprogram); högst {gap:.1f} "
        "procentenheter över bästa möjliga",
        "best solution within the time limit (mixed-integer program); at most {gap:.1f} "
        "percentage points above the best",
    ),
    "decide.method_greedy": (
        "snabb tumregel (girig); högst {gap:.1f} procentenheter över bästa möjliga",
        "fast rule of thumb (greedy); at most {gap:.1f} percentage points above the best",
    ),
    "plot.forecast.median": ("median", "median"),
    "plot.forecast.band80": ("80 % av utfallen", "80 % of paths"),
    "plot.forecast.band95": ("95 % av utfallen", "95 % of paths"),
    "plot.forecast.unit": ("hela enheten", "whole unit"),
    "plot.forecast.history": ("utfall", "realised"),
    "plot.forecast.staff_need": ("Behov av heltidstjänster", "Full-time staff needed"),
    "plot.forecast.title": ("Prognos från {start}", "Forecast from {start}"),
}


#: Texts of the shipped schemes (description, provenance note and references), written in
#: English in the TOML files, in both languages: key = the text as it stands in the scheme.
#: A scheme whose text differs (a local one, or a recalibrated one) is shown as written.
SCHEME_TEXTS: dict[str, tuple[str, str]] = {
    "Barn och unga (child and youth welfare): illustrative weights by case type and phase.": (
        "Barn och unga: illustrativa vikter per ärendetyp och fas.",
        "Child and youth welfare (barn och unga): illustrative weights by case type and phase.",
    ),
    "Biståndshandläggning äldreomsorg och LSS (needs assessment, elderly care and disability "
    "services).": (
        "Biståndshandläggning inom äldreomsorg och LSS.",
        "Needs assessment in elderly care and disability services (biståndshandläggning, LSS).",
    ),
    "Ekonomiskt bistånd (financial assistance): illustrative weights per household case.": (
        "Ekonomiskt bistånd: illustrativa vikter per hushållsärende.",
        "Financial assistance (ekonomiskt bistånd): illustrative weights per household case.",
    ),
    "Vuxen (adult services): substance misuse, LVM, domestic violence, psychiatric disability "
    "support.": (
        "Vuxen: missbruk, LVM, våld i nära relationer, stöd vid psykisk funktionsnedsättning.",
        "Adult services (vuxen): substance misuse, LVM, domestic violence, psychiatric "
        "disability support.",
    ),
    "Illustrative starting point, not a norm: calibrate locally (time study, ratings or a "
    "Delphi panel) before the figures are used for decisions.": (
        "Illustrativ utgångspunkt, inte en norm: kalibrera lokalt (tidsstudie, skattningar eller "
        "en Delphipanel) innan siffrorna används som beslutsunderlag.",
        "Illustrative starting point, not a norm: calibrate locally (time study, ratings or a "
        "Delphi panel) before the figures are used for decisions.",
    ),
    "Nässjö kommun, adaptation of Göteborgsmodellen (Vision, 2018): 150 points = normal load "
    "at >= 5 years' experience": (
        "Nässjö kommun, anpassning av Göteborgsmodellen (Vision, 2018): 150 poäng = "
        "normalbelastning vid minst 5 års erfarenhet",
        "Nässjö municipality, adaptation of Göteborgsmodellen (Vision, 2018): 150 points = "
        "normal load at 5 or more years' experience",
    ),
    "Göteborgsmodellen (arbetstyngdsmätning, FoU i Väst): points by case type and phase, "
    "scaled for new, accustomed and experienced staff": (
        "Göteborgsmodellen (arbetstyngdsmätning, FoU i Väst): poäng per ärendetyp och fas, "
        "skalade för nya, vana och erfarna handläggare",
        "Göteborgsmodellen (workload measurement, FoU i Väst): points by case type and phase, "
        "scaled for new, accustomed and experienced staff",
    ),
    "Göteborgsmodellen (arbetstyngdsmätning, FoU i Väst): points by case type and phase": (
        "Göteborgsmodellen (arbetstyngdsmätning, FoU i Väst): poäng per ärendetyp och fas",
        "Göteborgsmodellen (workload measurement, FoU i Väst): points by case type and phase",
    ),
    "Dansk Socialrådgiverforening: 20-30 children per social worker in child and family work": (
        "Dansk Socialrådgiverforening: 20–30 barn per socialsekreterare i arbete med barn och "
        "familjer",
        "Dansk Socialrådgiverforening (Danish association of social workers): 20–30 children "
        "per social worker in child and family work",
    ),
    "UK council points schemes: a full-time worker has 100 points, a first-year worker about "
    "90 %": (
        "Poängsystem i brittiska kommuner: en heltidsanställd handläggare har 100 poäng, en "
        "handläggare under första året omkring 90 %",
        "UK council points schemes: a full-time worker has 100 points, a first-year worker "
        "about 90%",
    ),
}
