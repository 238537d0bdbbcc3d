"""The words of the library's errors that a command-line user meets, in Swedish and English.

Data only, merged into :data:`arbetstyngd.labels.TEXT`. An error raised with a
:class:`arbetstyngd.errors.Said` message has its English form as ``str()`` for Python users;
the command line says it in its ``--lang`` (``fel: …`` / ``error: …``). A key with ``.one``
and ``.other`` forms is said by the count.
"""

from __future__ import annotations

__all__ = ["ERRORS"]

#: key -> (Swedish, English)
ERRORS: dict[str, tuple[str, str]] = {
    "cli.error": ("fel", "error"),
    # the kinds of table a file holds, as an error names them
    "err.kind.cases": ("ärenden", "cases"),
    "err.kind.workers": ("personal", "workers"),
    "err.kind.teams": ("team", "teams"),
    "err.kind.reductions": ("nedsättningar", "reductions"),
    "err.kind.ratings": ("skattningar", "ratings"),
    # a header or column is missing
    "err.missing_column": (
        "filen med {kind} saknar kolumn för {hints}; dess rubriker är {listed}. Koppla en "
        "rubrik till '{first}' i en mappningsprofil (--columns; se docs/mapping-profiles.md)"
        "{notes}",
        "the {kind} file has no column for {hints}; its headers are {listed}. Map them with "
        "columns={{'<header>': '{first}'}} or a mapping profile (see docs/mapping-profiles.md)"
        "{notes}",
    ),
    "err.then_note": (". Obs: {note}{more}", ". Note: {note}{more}"),
    "err.no_header": (
        "filen med {kind} saknar de nödvändiga kolumnerna {required}: ingen igenkännbar "
        "rubrikrad bland de första {rows} raderna (den första raden har {shown}); rubriker "
        "som {expected} väntades. Koppla kolumnerna i en mappningsprofil (--columns)",
        "the {kind} file lacks required column(s) {required}: no recognisable {kind} header "
        "in the first {rows} rows (the first row has {shown}); expected headers such as "
        "{expected}. Map the columns with columns={{...}} or a mapping profile",
    ),
    "err.covariate": (
        "ingen tabell har '{covariate}', som justeringen '{adjustment}' i schemat "
        "'{scheme}' behöver för varje handläggare{hint}; ange {give}, eller använd ett schema "
        "utan den justeringen",
        "no table has '{covariate}', which adjustment '{adjustment}' of the scheme '{scheme}' "
        "needs for every worker{hint}; give {give}, or use a scheme without this adjustment",
    ),
    "err.covariate.hint": (
        " (menas '{close}'? koppla den i en mappningsprofil, --columns)",
        " (is '{close}' meant? map it with columns={{...}})",
    ),
    "err.covariate.experience": (
        "en kolumn 'experience_years' eller 'profession_start' i personallistan",
        "a column 'experience_years' or 'profession_start' in the workers table",
    ),
    "err.covariate.any": (
        "en kolumn '{covariate}' i personallistan eller teamtabellen",
        "a column '{covariate}' in the workers or teams table",
    ),
    "err.no_worker": (
        "varje handläggare i personallistan avvisades ({kinds}), så inget ärende kan "
        "beräknas; den första: {first}. Rätta personallistan (en rad per problem finns i "
        "felets tabell .failures); läs filer med at.read_workers, som läser svenska tal och "
        "procent",
        "every worker of the roster was rejected ({kinds}), so no case can be scored; the "
        "first: {first}. Fix the roster (one row per problem is in the error's .failures "
        "table); read files with at.read_workers, which reads Swedish numbers and per cent",
    ),
    "err.rows_of_code.one": ("{label}: {count} rad", "{code} ({count} row(s))"),
    "err.rows_of_code.other": ("{label}: {count} rader", "{code} ({count} row(s))"),
    # dates given as options
    "err.date": (
        "'{name}' ska vara ett datum som '2026-03-31' (fick {value}){hint}",
        "'{name}' must be a date like '2026-03-31' (got {value}){hint}",
    ),
    "err.date.number": (
        "'{name}' ska vara ett datum som '2026-03-31' (fick talet {value})",
        "'{name}' must be a date like '2026-03-31' (got the number {value})",
    ),
    "err.date.iso": (
        "; skriv det som ÅÅÅÅ-MM-DD (at.score tar ISO-datum; läsarna at.read_cases / "
        "at.read_workers tolkar också svenska former som 3/4 2026)",
        "; write it as YYYY-MM-DD (at.score takes ISO dates; the readers at.read_cases / "
        "at.read_workers also parse Swedish forms such as 3/4 2026)",
    ),
    # schemes
    "err.unknown_scheme": (
        "det finns inget inbyggt schema som heter {name} och ingen sådan fil{hint} "
        "(inbyggda: {builtin})",
        "no built-in scheme called {name} and no such file{hint} (built-in: {builtin})",
    ),
    "err.did_you_mean": ("; menade du {close}?", "; did you mean {close}?"),
    "err.toml": (
        "{what} är inte giltig TOML{where}",
        "the {what} is not valid TOML: {detail}",
    ),
    # the place of a TOML error, said in Swedish instead of the parser's English words (the
    # English text gives the parser's words, which name the place)
    "err.toml.at": (" (rad {line}, kolumn {col})", " (line {line}, column {col})"),
    "err.toml.end": (" (i slutet av filen)", " (at the end of the file)"),
    "err.scheme.number": (
        "'{name}' ska vara ett tal (fick {value})",
        "'{name}' must be a number (got {value})",
    ),
    "err.scheme.finite": (
        "'{name}' ska vara ett ändligt tal (fick {value})",
        "'{name}' must be a finite number (got {value})",
    ),
    "err.scheme.positive": (
        "'{name}' måste vara > 0 (fick {value})",
        "'{name}' must be > 0 (got {value})",
    ),
    "err.scheme.non_negative": (
        "'{name}' måste vara >= 0 (fick {value})",
        "'{name}' must be >= 0 (got {value})",
    ),
    "err.scheme.text": (
        "'{name}' ska vara en text som inte är tom (fick {value})",
        "'{name}' must be a non-empty text (got {value})",
    ),
    "err.scheme.date": (
        "ett datum ska skrivas ÅÅÅÅ-MM-DD (fick {value})",
        "a date must be written YYYY-MM-DD (got {value})",
    ),
    "err.scheme.key": (
        "okänd nyckel '{name}' i {where}{hint}",
        "unknown key '{name}' in {where}{hint}",
    ),
    "err.scheme.needs": ("{where} behöver '{name}'", "{where} needs '{name}'"),
    "err.where.scheme": ("schemat", "scheme"),
    "err.where.a_scheme": ("ett schema", "a scheme"),
    "err.where.weights_row": ("rad {i} i [[weights]]", "weights row {i}"),
    "err.where.adjustments_row": ("rad {i} i [[adjustments]]", "adjustments row {i}"),
    "err.where.multiplier": ("multiplikatorn '{flag}'", "multiplier '{flag}'"),
    "err.where_error": ("{where}: {error}", "{where}: {error}"),
    "err.what.scheme": ("schemat", "scheme"),
    "err.what.scenario": ("scenariot", "scenario"),
    "err.what.rules": ("fördelningsreglerna", "rules"),
    "err.no_toml_file": ("det finns ingen fil för {what} på {path}", "no {what} file at {path}"),
    "err.no_scheme_file": ("det finns ingen schemafil {path}", "no scheme file at {path}"),
    "err.scheme_not_utf8": (
        "schemafilen {path} är inte UTF-8-text",
        "the scheme file {path} is not UTF-8 text",
    ),
    # files
    "err.no_file": ("det finns ingen fil med {kind} på {path}", "no {kind} file at {path}"),
    "err.folder": (
        "{path} är en mapp, inte en fil med {kind}",
        "{path} is a folder, not a {kind} file",
    ),
    "err.empty_file": (
        "filen är tom: den har varken rubrikrad eller data",
        "the file is empty: there is no header row and no data",
    ),
    "err.binary_file": (
        "filen är binär, inte en texttabell, Excel-arbetsbok eller Parquet-fil; exportera den "
        "från verksamhetssystemet som CSV eller Excel",
        "the file is binary, not a text table, Excel workbook or Parquet file; export it "
        "from the system as CSV or Excel",
    ),
    "err.encoding": (
        "filen kan inte avkodas som {encoding}: {error}; utelämna --encoding så känns "
        "teckenkodningen igen automatiskt",
        "the file cannot be decoded as {encoding}: {error}; leave out 'encoding' to have it "
        "detected",
    ),
    "err.excel_broken": (
        "filen med {kind} ser ut som en Excel-arbetsbok men kan inte öppnas ({error}); öppna "
        "den i Excel och spara den igen",
        "the {kind} file looks like an Excel workbook but cannot be opened ({error}); open "
        "it in Excel and save it again",
    ),
    "err.what.profile": ("mappningsprofilen {path}", "mapping profile {path}"),
    "err.no_profile": ("det finns ingen mappningsprofil {path}", "no mapping profile at {path}"),
    "err.profile_sections": (
        "{where}: okända avsnitt {unknown}; väntade några av {known}",
        "{where}: unknown section(s) {unknown}; expected some of {known}",
    ),
    "err.meant": (" (menas {close}?)", " (is {close} meant?)"),
    "err.no_sheets": ("arbetsboken med {kind} har inga blad", "the {kind} workbook has no sheets"),
    "err.sheet_number": (
        "bladet {sheet} finns inte i arbetsboken: bladen är {sheets}",
        "'sheet' {sheet} is not in the workbook: sheets {sheets}",
    ),
    "err.no_sheet": (
        "arbetsboken har inget blad {sheet}{hint}; bladen är {sheets}",
        "no sheet {sheet} in the workbook{hint}; sheets: {sheets}",
    ),
    "err.sheet_unreadable": (
        "bladet {sheet} i arbetsboken med {kind} kan inte läsas ({error})",
        "sheet {sheet} of the {kind} workbook cannot be read ({error})",
    ),
    "err.quote_in_header": (
        "filen med {kind} kan inte läsas: rad {row}, på eller ovanför rubrikraden, har ett "
        'citattecken (") som inleder ett värde och aldrig avslutas; ta bort citattecknet '
        "eller avsluta värdet, och spara filen igen",
        'the {kind} file cannot be read: row {row}, at or above the header, has a quote (") '
        "that opens a value and is never closed; remove the quote or close it, and save the "
        "file again",
    ),
    "err.quote_unclosed": (
        'filen med {kind} kan inte läsas som {looks}: ett citattecken (") inleder ett värde '
        "som aldrig avslutas; se över raderna med citattecken",
        'the {kind} file cannot be read as {looks}: a quote (") opens a value that is never '
        "closed; check the rows with quotes",
    ),
    # the pseudonymisation key
    "err.key_short": (
        "nyckeln (--key) måste vara minst {min} byte hemlighet (fick {got}); gör en med "
        "arbetstyngd.io.new_key_file(path)",
        "'key' must be at least {min} bytes of secret (got {got}); make one with "
        "arbetstyngd.io.new_key_file(path)",
    ),
    "err.key_file_unreadable": (
        "nyckelfilen {path} kan inte läsas: {why}",
        "cannot read the key file {path}: {why}",
    ),
    "err.key_file_short": (
        "nyckelfilen {path} innehåller {got} byte; en nyckel behöver minst {min} (gör en med "
        "arbetstyngd.io.new_key_file(path))",
        "the key file {path} holds {got} bytes; a key needs at least {min} (make one with "
        "arbetstyngd.io.new_key_file(path))",
    ),
    "err.profile_not_table": (
        "{where}: [{table}] måste vara en tabell",
        "{where}: [{table}] must be a table",
    ),
    "err.profile_aliases": (
        "{where}: [aliases] ska koppla namn till handläggar-id (text)",
        "{where}: [aliases] must map names to worker ids (text)",
    ),
    "err.profile_read": (
        "{where}: [read] har okända inställningar {bad}; tillåtna {allowed}",
        "{where}: [read] has unknown option(s) {bad}; allowed {allowed}",
    ),
    "err.profile_columns": (
        '{where} ska vara en tabell med standardnamn = "rubrik"',
        '{where} must be a table of canonical = "header"',
    ),
    "err.profile_headers": (
        "{where}: '{column}' ska vara en rubrik eller en lista med rubriker (fick {got})",
        "{where}: '{column}' must be a header or a list of headers (got {got})",
    ),
    "err.profile_values": (
        "{where} ska innehålla en tabell per kolumn: [..values.case_type]",
        "{where} must hold one table per column: [..values.case_type]",
    ),
    "err.profile_unknown_key": (
        "{path}: [{table}] får innehålla 'columns' och 'values' (fick {got})",
        "{path}: [{table}] may hold 'columns' and 'values' (got {got})",
    ),
    # scenarios (what-if, forecast --scenario)
    "err.scenario_date": (
        "{where} ({kind}): 'date' måste ligga inom {what}, {span} (fick {date})",
        "{where} ({kind}): 'date' must be within {what}, {span} (got {date})",
    ),
    "err.span": ("{first} till {last}", "{first} to {last}"),
    "err.what.horizon": ("horisonten", "the horizon"),
    "err.what.forecast_horizon": (
        "prognosens horisont (från starten till det sista prognosdatumet)",
        "the forecast's horizon (the start to the last forecast date)",
    ),
    "err.what.whatif_date": ("tiden fram till konsekvensanalysens datum", "the what-if date"),
    "err.what.today": ("tiden fram till i dag", "today"),
    "err.scenario_worker": (
        "{where}: handläggaren {value} finns inte i personallistan{hint}",
        "{where}: 'worker' {value} is not in the roster{hint}",
    ),
    "err.scenario_team": (
        "{where}: teamet {value} finns inte i personallistan (team: {known}){hint}",
        "{where}: team {value} is not in the roster (teams: {known}){hint}",
    ),
    "err.scenario_type": (
        "{where}: ärendetypen {value} finns inte i schemat {scheme}{hint}",
        "{where}: case type {value} is not in the scheme {scheme}{hint}",
    ),
    "err.scenario_kind": (
        "{where}: 'kind' måste vara en av {kinds} (fick {kind}){hint}",
        "{where}: 'kind' must be one of {kinds} (got {kind}){hint}",
    ),
    "err.change_key": (
        "{where} ({kind}): okänd nyckel {name}; tillåtna: {allowed}{hint}",
        "{where} ({kind}): unknown key {name}; allowed: {allowed}{hint}",
    ),
    "err.change_of_kind": ("{where} ({kind}): {error}", "{where} ({kind}): {error}"),
    "err.allowed": ("; tillåtna: {allowed}", "; allowed: {allowed}"),
    "err.number_in": (
        "'{name}' ska vara ett tal i {span} (fick {value})",
        "'{name}' must be a number in {span} (got {value})",
    ),
    "err.count": (
        "'{name}' ska vara ett heltal >= 1 (fick {value})",
        "'{name}' must be a whole number >= 1 (got {value})",
    ),
    "err.to_both": (
        "{where}: 'to' {to} är både en handläggare och ett team; byt namn på det ena",
        "{where}: 'to' {to} is both a worker and a team; rename one",
    ),
    "err.team_empty": (
        "{where}: teamet {team} har ingen handläggare kvar som kan ta ärendena",
        "{where}: team {team} has no worker left to take the cases",
    ),
    "err.to_neither": (
        "{where}: 'to' {to} är varken en handläggare eller ett team i personallistan{hint}",
        "{where}: 'to' {to} is neither a worker nor a team in the roster{hint}",
    ),
    "err.worker_exists": (
        "{where}: 'worker_id' {worker} finns redan i personallistan",
        "{where}: 'worker_id' {worker} is already in the roster",
    ),
    "err.cases_to_leaver": (
        "{where}: 'cases_to' kan inte vara handläggaren som slutar",
        "{where}: 'cases_to' cannot be the worker who leaves",
    ),
    "err.cases_unknown": (
        "{where}: ärendena {cases} finns inte i ärendelistan",
        "{where}: case(s) {cases} are not in the caseload",
    ),
    "err.cases_or_worker": (
        "{where}: ange 'cases' (en lista med ärende-id) eller 'worker'",
        "{where}: give 'cases' (a list of case ids) or 'worker'",
    ),
    "err.flag_unknown": (
        "{where}: flaggan {flag} är ingen multiplikator i schemat (flaggor: {flags}){hint}",
        "{where}: flag {flag} is not a multiplier of the scheme (flags: {flags}){hint}",
    ),
    "err.closest": ("; närmast kända: {close}", "; closest known: {close}"),
    "err.scenario_key": (
        "okänd nyckel {name} i scenariot; tillåtna: {allowed}",
        "unknown key {name} in the scenario; allowed: {allowed}",
    ),
    # forecasts
    "err.forecast_no_case": (
        "'cases' har inget giltigt ärende: prognosen lär sig varaktigheter och inflöde ur "
        "historiken (öppna och avslutade ärenden väntades; fick {rows} rader, {rejected} "
        "avvisade)",
        "'cases' has no valid case: the forecast learns durations and arrivals from the "
        "history (expected open and closed cases; got {rows} row(s), {rejected} rejected)",
    ),
    "err.forecast_start": (
        "'start' måste vara ett datum inom historiken i ärendefilen, {first} till {last} "
        "(fick {start})",
        "'start' must be a date within the history in 'cases', {first} to {last} (got {start})",
    ),
    "err.backtest_short": (
        "historiken i ärendefilen är för kort för en efterhandsprövning: varje startpunkt "
        "behöver {need} dagars historik före sig och horisonten ({horizon} dagar) efter sig "
        "(fick {got} dagar sammanlagt)",
        "the history in 'cases' is too short for a backtest: each origin needs {need} days "
        "of history before it and the horizon ({horizon} days) after it (got {got} days in "
        "all)",
    ),
    "err.length": (
        "'{name}' ska vara en tidslängd som '26W' (veckor) eller '182D' (dagar) (fick {value})",
        "'{name}' must be a length of time such as '26W', '182D' (got {value})",
    ),
    "err.length_short": (
        "'{name}' måste vara minst en dag (fick {value})",
        "'{name}' must be at least one day (got {value})",
    ),
    "err.freq": (
        "'freq' ska vara en pandas-frekvens som 'W' (varje vecka), 'MS' (varje månadsstart) "
        "eller 'D' (varje dag) (fick {freq})",
        "'freq' must be a pandas frequency such as 'W' (weekly), 'MS' or 'D' (got {freq})",
    ),
    "err.no_dates": (
        "inget datum med frekvensen {freq} inom horisonten {horizon}; förläng den eller välj "
        "en kortare 'freq'",
        "no {freq} date within the horizon {horizon}; lengthen it or use a shorter 'freq'",
    ),
    "err.history_start": (
        "'--history-start' måste ligga på eller före slutet {end} (fick {start})",
        "'--history-start' must be on or before the end {end} (got {start})",
    ),
    # new cases (allocate)
    "err.new_cases_unreadable": (
        "{path}: de nya ärendena kan inte läsas som CSV, Excel eller Parquet",
        "{path}: cannot read the new cases as CSV, Excel or Parquet",
    ),
    "err.new_cases_rejected.one": (
        "{path}: {count} rad bland de nya ärendena kan inte läsas; rad {row}, {column}: {reason}",
        "{path}: {count} row(s) of the new cases cannot be read; the first: row {row}, "
        "{column}: {reason}",
    ),
    "err.new_cases_rejected.other": (
        "{path}: {count} rader bland de nya ärendena kan inte läsas; den första: rad {row}, "
        "{column}: {reason}",
        "{path}: {count} row(s) of the new cases cannot be read; the first: row {row}, "
        "{column}: {reason}",
    ),
    "err.what.new cases": ("de nya ärendena", "new cases"),
    "err.new_cases_empty": (
        "{what}: tabellen är tom; ange minst ett ärende",
        "{what}: the table is empty; give at least one case",
    ),
    "err.new_cases_no_type": (
        "{what}: 'case_type' krävs (fick kolumnerna {columns})",
        "{what}: 'case_type' is required (got columns {columns})",
    ),
    "err.cases_unscorable.one": (
        "{what}: {count} problem; varje ärende måste vara ett som schemat {scheme} kan "
        "beräkna:{lines}",
        "{what}: {count} problem(s); every case must be one the scheme {scheme} can score:{lines}",
    ),
    "err.cases_unscorable.other": (
        "{what}: {count} problem; varje ärende måste vara ett som schemat {scheme} kan "
        "beräkna:{lines}",
        "{what}: {count} problem(s); every case must be one the scheme {scheme} can score:{lines}",
    ),
    "err.problem_line": ("  rad {row}, {column}: {reason}", "  row {row}, {column}: {reason}"),
    "err.new_cases_repeated": (
        "de nya ärendena: 'case_id' måste vara unikt (upprepade: {repeated})",
        "new cases: 'case_id' must be unique (repeated: {repeated})",
    ),
    "err.no_worker_to_allocate": (
        "beräkningen har ingen handläggare att fördela till",
        "the Workload has no scored worker to allocate to",
    ),
    # allocation rules
    "err.rules_team": (
        "'team_case_types' nämner teamet {team}, som inte finns i beräkningen (team: "
        "{known}){hint}",
        "'team_case_types' names team {team}, which is not in the workload (teams: {known}){hint}",
    ),
    "err.rules_years": (
        "'min_experience.{type}' ska vara ett antal år >= 0 (fick {value})",
        "'min_experience.{type}' must be a number of years >= 0 (got {value})",
    ),
    "err.rules_ceiling": (
        "'ceiling' ska vara en av {bands} eller tom (fick {value})",
        "'ceiling' must be one of {bands} or empty (got {value})",
    ),
    "err.rules_continuity": (
        "'continuity' ska vara true eller false (fick {value})",
        "'continuity' must be true or false (got {value})",
    ),
    "err.rules_experience": (
        "'min_experience' behöver varje handläggares erfarenhet, men schemat {scheme} har "
        "ingen justering för erfarenhet; använd ett schema med en sådan",
        "'min_experience' needs each worker's experience, but the scheme {scheme} has no "
        "experience adjustment; use a scheme with one",
    ),
    "err.rules_paused": (
        "'paused' nämner handläggaren {worker}, som inte finns bland de beräknade{hint}",
        "'paused' names worker {worker}, who is not among the scored workers{hint}",
    ),
    "err.rules_type": (
        "'{field}' nämner ärendetypen {type}, som schemat {scheme} inte har{hint}",
        "'{field}' names case type {type}, which the scheme {scheme} does not have{hint}",
    ),
    "err.rules_key": (
        "okänd nyckel '{name}' i fördelningsreglerna{hint}",
        "unknown key '{name}' in the rules{hint}",
    ),
    # a scheme's own TOML: its parts and their values
    "err.scheme.label": (
        "'label' ska vara en tabell som {{ sv = ..., en = ... }} (fick {value})",
        "'label' must be a table like {{ sv = ..., en = ... }} (got {value})",
    ),
    "err.where.adjustment": ("justeringen '{name}'", "adjustment '{name}'"),
    "err.scheme.adj_kind": (
        "'kind' för {where} ska vara 'step' eller 'linear' (fick {value})",
        "'kind' of {where} must be 'step' or 'linear' (got {value})",
    ),
    "err.scheme.adj_breaks": (
        "'breaks' för {where} måste vara strikt växande (fick {breaks})",
        "'breaks' of {where} must increase strictly (got {breaks})",
    ),
    "err.scheme.adj_count": (
        "'factors' för {where} ({kind}) ska ha {rule} = {want} värden (fick {count})",
        "'factors' of {where} ({kind}) must have {rule} = {want} values (got {count})",
    ),
    "err.scheme.adj_rule.step": ("len(breaks) + 1", "len(breaks) + 1"),
    "err.scheme.adj_rule.linear": ("len(breaks) (minst 1)", "len(breaks) (at least 1)"),
    "err.scheme.adj_factors": (
        "alla 'factors' för {where} måste vara > 0 (fick {factors})",
        "'factors' of {where} must all be > 0 (got {factors})",
    ),
    "err.scheme.bands": (
        "nivågränserna måste uppfylla 0 < balanced < high < critical (fick "
        "balanced={balanced}, high={high}, critical={critical})",
        "bands must satisfy 0 < balanced < high < critical "
        "(got balanced={balanced}, high={high}, critical={critical})",
    ),
    "err.scheme.no_weights": (
        "'weights' måste ha minst en rad",
        "'weights' must have at least one row",
    ),
    "err.scheme.two_rows": (
        "'weights' har två rader för {where}",
        "'weights' has two rows for {where}",
    ),
    "err.scheme.unique": (
        "namnen i '{what}' måste vara unika (upprepade: {repeated})",
        "'{what}' names must be unique (repeated: {repeated})",
    ),
    "err.scheme.weights_list": (
        "'weights' ska vara en lista med [[weights]]-rader",
        "'weights' must be a list of [[weights]] rows",
    ),
    "err.scheme.row_table": (
        "rad {i} i [[{what}]] ska vara en tabell (fick {value})",
        "{what} row {i} must be a table (got {value})",
    ),
    "err.scheme.numbers": (
        "'{name}' ska vara en lista med tal (fick {value})",
        "'{name}' must be a list of numbers (got {value})",
    ),
    "err.scheme.method": (
        "'{name}' ska vara en av {methods} (fick {value})",
        "'{name}' must be one of {methods} (got {value})",
    ),
    "err.scheme.stats": (
        "'statistics' ska vara en tabell med namn = värde (fick {value})",
        "'statistics' must be a table of name = value (got {value})",
    ),
    "err.scheme.stats_value": (
        "värdena i 'statistics' ska vara tal, text eller listor av dem (fick {value} för {name})",
        "'statistics' values must be numbers, text or lists of them (got {value} for {name})",
    ),
    "err.where.weight_table_row": ("rad {i} i vikttabellen", "weight table row {i}"),
    "err.scheme.count": (
        "ett antal ska vara ett heltal >= 0 (fick {value})",
        "a count must be a whole number >= 0 (got {value})",
    ),
    # allocation rules and scenarios whose parts have the wrong shape
    "err.rules_names": (
        "'{field}' ska vara en lista med namn (fick {value})",
        "'{field}' must be a list of names (got {value})",
    ),
    "err.rules_team_table": (
        "'team_case_types' ska vara en tabell med team = [ärendetyper] (fick {value})",
        "'team_case_types' must be a table of team = [case types] (got {value})",
    ),
    "err.rules_years_table": (
        "'min_experience' ska vara en tabell med ärendetyp = år (fick {value})",
        "'min_experience' must be a table of case type = years (got {value})",
    ),
    "err.scenario_changes": (
        "'changes' ska vara en lista med ändringar (fick {value})",
        "'changes' must be a list of changes (got {value})",
    ),
    "err.change_table": (
        "{where} ska vara en tabell (fick {value})",
        "{where} must be a table (got {value})",
    ),
    "err.change_missing": ("{names} saknas", "{names} missing"),
    "err.change_fields": (
        "fälten passar inte ändringens slag",
        "the fields do not fit the kind of change",
    ),
    "err.whatif_rejects": (
        "scenariot gör att beräkningen avvisar {count} rad(er); den första: {table} {id}, "
        "{column}: {reason}",
        "the scenario makes the engine reject {count} row(s); the first: {table} {id}, "
        "{column}: {reason}",
    ),
    "err.forecast_no_durations": (
        "{where}: historiken före starten har inget ärende av typen {type} att skatta "
        "varaktigheten ur (typer med varaktighet: {known})",
        "{where}: the history before the start has no case of type {type} to learn its "
        "durations from (types with durations: {known})",
    ),
    "err.where.added_case": ("det tillagda ärendet {id}", "the added case {id}"),
    "err.forecast_rejects": (
        "den {date} gör scenariot att beräkningen avvisar eller tappar {count} ärende(n) "
        "som är öppna vid starten; det första: {reason}",
        "on {date} the scenario makes the engine reject or drop {count} case(s) open on the "
        "start; the first: {reason}",
    ),
    "err.forecast_dropped": (
        "det finns inte längre i tabellen",
        "it is no longer in the table",
    ),
    # reading files
    "err.header_row": (
        "'header_row' {row} ligger utanför de första {rows} raderna",
        "'header_row' {row} is outside the first {rows} rows",
    ),
    "err.parquet": (
        "filen med {kind} ser ut som Parquet men kan inte läsas ({error})",
        "the {kind} file looks like Parquet but cannot be read ({error})",
    ),
    "err.n_paths": (
        "'n_paths' ska vara ett heltal, minst 1 (fick {value})",
        "'n_paths' must be a whole number of at least 1 (got {value})",
    ),
    "err.too_large": (
        "filen med {kind} är {size}, mer än en export av ärenden bör vara (gränsen är "
        "{limit}); kontrollera att det är rätt fil, eller ange max_bytes= för att läsa den ändå",
        "the {kind} file is {size}, more than a caseload export should be (limit {limit}); "
        "check that it is the right file, or pass max_bytes= to read it anyway",
    ),
    "err.staff_target": (
        "'target' ska vara en beläggning > 0, t.ex. 1.0 (fick {value})",
        "'target' must be a utilisation > 0, e.g. 1.0 (got {value})",
    ),
}
