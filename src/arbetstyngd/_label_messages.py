"""The words of the library's warnings and of ``arbetstyngd validate``, in Swedish and English.

Data only, merged into :data:`arbetstyngd.labels.TEXT`. A warning is said from here in the
command line's language (:class:`arbetstyngd.errors.LabelledWarning`); its English form is its
``str()`` for Python users. A key with ``.one`` and ``.other`` forms is said by the count.
"""

from __future__ import annotations

__all__ = ["MESSAGES"]

#: key -> (Swedish, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "cli.rejected_written": ("Avvisade rader (CSV): {path}", "Rejected rows (CSV): {path}"),
    # warnings
    "cli.note": ("obs", "note"),
    "warn.flag": ("'{flag}'", "'{flag}'"),
    "warn.flag_guess": ("'{flag}' (menas '{close}'?)", "'{flag}' (is '{close}' meant?)"),
    "warn.missing_flags.one": (
        "ärendetabellen har ingen kolumn för komplexitetsflaggan {flags} i schemat '{scheme}'; "
        "varje ärende räknas som utan den (faktor 1). Lägg till kolumnen, eller koppla "
        "exportens rubrik till den i en mappningsprofil (--columns)",
        "the cases table has no column for the complexity flag(s) {flags} of the scheme "
        "'{scheme}'; every case counts as without them (factor 1). Add the column, or map the "
        "export's header to it with columns={{...}} or a profile",
    ),
    "warn.missing_flags.other": (
        "ärendetabellen har ingen kolumn för komplexitetsflaggorna {flags} i schemat "
        "'{scheme}'; varje ärende räknas som utan dem (faktor 1). Lägg till kolumnerna, eller "
        "koppla exportens rubriker till dem i en mappningsprofil (--columns)",
        "the cases table has no column for the complexity flag(s) {flags} of the scheme "
        "'{scheme}'; every case counts as without them (factor 1). Add the column, or map the "
        "export's header to it with columns={{...}} or a profile",
    ),
    "warn.no_key": (
        "ingen pseudonymiseringsnyckel angiven (--key, {env} eller {env_file}); en slumpad "
        "nyckel används i den här körningen, så pseudonymerna stämmer inte med en annan "
        "körnings",
        "no pseudonymisation key given (key=, {env} or {env_file}); a random key is used for "
        "this run, so pseudonyms will not match those of another run",
    ),
    "warn.table_rows.one": ("{n} rad i tabellen {table}", "{n} {name} row(s)"),
    "warn.table_rows.other": ("{n} rader i tabellen {table}", "{n} {name} row(s)"),
    "warn.rejected": (
        "{what} avvisades; se {where} för varje rads nummer, kolumn och orsak",
        "{what} rejected; see {where} for the row, column and reason of each",
    ),
    "warn.where.result": ("resultatets tabell .rejected", "the result's .rejected table"),
    "warn.where.forecast": ("prognosens tabell .rejected", "the forecast's .rejected table"),
    "warn.where.timeline": (
        "resultatets tabell .attrs['rejected']",
        "the result's .attrs['rejected'] table",
    ),
    "warn.where.features": ("tabellen X.attrs['rejected']", "X.attrs['rejected']"),
    "warn.rejected_before.one": (
        "{n} rad i underlaget avvisades; se resultatets tabell .before.rejected",
        "{n} input row(s) rejected; see the result's .before.rejected table",
    ),
    "warn.rejected_before.other": (
        "{n} rader i underlaget avvisades; se resultatets tabell .before.rejected",
        "{n} input row(s) rejected; see the result's .before.rejected table",
    ),
    "warn.reductions": (
        "nedsättningarna i kraft blir sammanlagt mer än 100 % för {n} handläggare ({who}) "
        "minst en dag; kapaciteten räknas som 0 då (som mest {max_share}). Se över "
        "överlappande nedsättningar.",
        "reductions in force add up to more than 100 % for {n} worker(s) ({who}) on at least "
        "one date; capacity is taken as 0 there (the maximum was {max_share}). Check "
        "overlapping reductions.",
    ),
    "warn.thin_types": (
        "ärendetyper med färre än {min} avslutade ärenden före starten, så deras varaktighet "
        "är osäker: {types}",
        "case type(s) with fewer than {min} closed cases before the start, so their durations "
        "are uncertain: {types}",
    ),
    "warn.no_closed": (
        "inget avslutat ärende att skatta varaktigheten ur för {types}; varaktigheten för "
        "alla ärendetyper tillsammans används för dem",
        "no closed case to estimate durations from for {types}; using the durations of all "
        "case types together for them",
    ),
    "warn.short_inflow": (
        "bara {span} dagars inflöde före starten (ungefär ett halvår, {min} dagar, behövs för "
        "stabila inflödestal)",
        "only {span} day(s) of inflow before the start (about six months, {min} days, are "
        "needed for stable arrival rates)",
    ),
    "warn.at_origins": (
        "{note} (vid en eller flera startpunkter)",
        "{note} (at one or more origins)",
    ),
    # notes on how a file was read (validate's notes, header warnings)
    "note.identity_headers.one": (
        "{n} rubrik innehöll ett personnummer; den visas, och kolumnen namnges, med sin pseudonym",
        "{n} header(s) held a personal identity number; it is shown, and the column named, by "
        "its pseudonym",
    ),
    "note.identity_headers.other": (
        "{n} rubriker innehöll personnummer; de visas, och kolumnerna namnges, med sina "
        "pseudonymer",
        "{n} header(s) held a personal identity number; it is shown, and the column named, by "
        "its pseudonym",
    ),
    "note.read_as_both": (
        "'{header}' läses som både '{source}' och '{column}'",
        "'{header}' is read as both '{source}' and '{column}'",
    ),
    "note.names_are_ids": (
        "ingen kolumn för handläggar-id: namnen i '{header}' används som handläggarnas id",
        "no worker id column: the names in '{header}' are the workers' ids",
    ),
    "note.duplicate_header": (
        "'{name}' förekommer {times} som rubrik (kolumn {where}): {used}; de andra behålls "
        "({others}). Byt namn på rubriken i filen eller koppla den du menar i en "
        "mappningsprofil (--columns)",
        "'{name}' appears {times} as a header (columns {where}): {used}; the others are kept "
        "({others}). Rename the header in the file or map the one you mean with columns={{...}}",
    ),
    "note.times.2": ("två gånger", "twice"),
    "note.times.3": ("tre gånger", "three times"),
    "note.times.4": ("{k} gånger", "{k} times"),
    "note.and": ("{first} och {last}", "{first} and {last}"),
    "note.or": ("{first} eller {last}", "{first} or {last}"),
    "note.column_read_as": (
        "kolumn {number} läses som '{column}'",
        "column {number} is read as '{column}'",
    ),
    "note.column_kept_as": (
        "kolumn {number} behålls som '{column}'",
        "column {number} is kept as '{column}'",
    ),
    "note.column_as": ("kolumn {number} som '{column}'", "column {number} as '{column}'"),
    "note.also_looks_like": (
        "'{header}' ser också ut som kolumnen '{target}', som läses från '{source}' (den mer "
        "specifika rubriken); '{header}' behålls som '{column}'. Koppla den i en "
        "mappningsprofil (--columns) om det är den du menar",
        "'{header}' also looks like the column '{target}', which is read from '{source}' (the "
        "more specific header); '{header}' is kept as '{column}'. Map it with columns={{...}} "
        "if it is the one you mean",
    ),
    "note.absent_header": (
        "kolumnmappningen anger {named} för '{target}', men filen har ingen sådan rubrik "
        "(dess rubriker är {headers}){instead}",
        "the column mapping names {named} for '{target}', but the file has no such header "
        "(its headers are {headers}){instead}",
    ),
    "note.instead": (
        "; '{target}' läses från '{source}' i stället",
        "; '{target}' is read from '{source}' instead",
    ),
    "note.percent": (
        "'{column}' läses som procent ({example})",
        "'{column}' read as per cent ({example})",
    ),
    "note.for_example": ("till exempel {value} → {share}", "for example {value} → {share}"),
    # how a file looks (arbetstyngd.io.sniff)
    "sniff.csv": ("CSV-text, {encoding}, {sep}", "CSV text, {encoding}, {sep}"),
    "sniff.bom": (" med byte-order mark (BOM)", " with byte-order mark"),
    "sniff.utf16_le": ("UTF-16 (little-endian)", "UTF-16 (little-endian)"),
    "sniff.utf16_be": ("UTF-16 (big-endian)", "UTF-16 (big-endian)"),
    "sniff.sep.semicolon": ("semikolonseparerad", "semicolon-separated"),
    "sniff.sep.comma": ("kommaseparerad", "comma-separated"),
    "sniff.sep.tab": ("tabbseparerad", "tab-separated"),
    "sniff.sep.pipe": ("separerad med lodstreck", "pipe-separated"),
    "sniff.xlsx": ("Excel-arbetsbok (.xlsx)", "Excel workbook (.xlsx)"),
    "sniff.xls": ("Excel 97-2003-arbetsbok (.xls)", "Excel 97-2003 workbook (.xls)"),
    "sniff.parquet": ("Parquet", "Parquet"),
    # arbetstyngd validate
    "validate.table": ("{source}: tabellen {table}", "{source}: {kind} table"),
    "validate.format": ("  format      {format}", "  format      {format}"),
    "validate.sheet": (", blad '{sheet}'", ", sheet '{sheet}'"),
    "validate.header": ("  rubrik      rad {row}", "  header      row {row}"),
    "validate.rows": (
        "  rader       {read} lästa, {usable} användbara, {rejected} avvisade",
        "  rows        {read} read, {usable} usable, {rejected} rejected",
    ),
    "validate.blank.one": (" ({n} tom rad hoppades över)", " ({n} blank row(s) skipped)"),
    "validate.blank.other": (" ({n} tomma rader hoppades över)", " ({n} blank row(s) skipped)"),
    "validate.key": (
        "  nyckel      pseudonymer gjorda med en nyckel från: {source}",
        "  key         pseudonyms made with a key from: {source}",
    ),
    "validate.key_source.argument": ("--key", "argument"),
    "validate.key_source.environment": ("miljövariabeln", "environment"),
    "validate.key_source.file": ("nyckelfilen", "file"),
    "validate.key_source.random": ("slumpen (ingen nyckel angiven)", "random"),
    "validate.columns": ("Kolumner", "Columns"),
    "validate.how.profile": ("från mappningen", "from the mapping"),
    "validate.how.synonym": ("igenkänd", "recognised"),
    "validate.how.canonical": ("redan standardnamn", "already canonical"),
    "validate.how.flag": ("komplexitetsflagga i schemat", "complexity flag of the scheme"),
    "validate.how.scheme": ("kapacitetsvariabel i schemat", "capacity covariate of the scheme"),
    "validate.how.kept": (
        "inte mappad; behålls med detta namn",
        "not mapped; kept under this name",
    ),
    "validate.pseudonymised": (
        "Pseudonymiserat (personnummer ersatta av nyckelade pseudonymer)",
        "Pseudonymised (identity numbers replaced by keyed pseudonyms)",
    ),
    "validate.cells.one": ("{n} cell", "{n} cell(s)"),
    "validate.cells.other": ("{n} celler", "{n} cell(s)"),
    "validate.skipped": (
        "Kontroller som inte gjordes (arbetstyngd score gör dem)",
        "Checks not made (score would make them)",
    ),
    "validate.skipped.scheme": (
        "ärendetyper, faser och komplexitetsflaggor i ett schema, och de kapacitetsuppgifter "
        "det behöver (ange --scheme)",
        "case types, phases and complexity flags of a scheme, and the capacity inputs it needs "
        "(give --scheme)",
    ),
    "validate.skipped.roster": (
        "att varje handläggare som nämns finns i personallistan och kan beräknas "
        "(ange --roster WORKERS)",
        "whether every worker named is on the roster and can be scored (give --roster WORKERS)",
    ),
    "validate.no_problems": (
        "Inga problem: alla rader kan användas.",
        "No problems found: every row can be used.",
    ),
    "validate.problems.one": ("Problem: {n} på {rows} rad", "Problems: {n} in {rows} row(s)"),
    "validate.problems.other": ("Problem: {n} på {rows} rader", "Problems: {n} in {rows} row(s)"),
    "validate.wrote.one": (
        "Skrev {n} problemrad till {path}",
        "wrote {n} problem row(s) to {path}",
    ),
    "validate.wrote.other": (
        "Skrev {n} problemrader till {path}",
        "wrote {n} problem row(s) to {path}",
    ),
    "validate.col.code": ("Kod", "code"),
    "validate.col.rows": ("Rader", "rows"),
    # decisions
    "warn.change": ("ändring {i}", "change {i}"),
    "warn.no_span": (
        "{where}: schemat {scheme} har ingen justering för antal medarbetare per chef "
        "(span_of_control), så en chef till ändrar ingen siffra",
        "{where}: the scheme {scheme} has no span_of_control adjustment, so adding a manager "
        "changes no figure",
    ),
    "warn.continuity_no_cases": (
        "kontinuitet: de nya ärendena har subject_id/family_id, men dagens ärendelista gavs "
        "inte, så bara nya ärenden för samma person eller familj hålls ihop",
        "continuity: the new cases have subject_id/family_id, but today's caseload was not "
        "given (cases=...), so only new cases of the same subject or family are kept together",
    ),
}
