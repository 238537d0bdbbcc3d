"""Privacy of the archive: aggregates only, and erasure that leaves nothing naming a person."""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest
import sqlalchemy as sa

import arbetstyngd as at
from arbetstyngd.archive import Archive
from arbetstyngd.archive import schema as s
from arbetstyngd.archive.connect import open_engine
from arbetstyngd.datasets import write_messy_export
from arbetstyngd.io import personnummer as pnr
from arbetstyngd.io.pseudonym import PREFIX

KEY = "archive-test-key-" + "k" * 24


def _every_cell(url: str) -> pd.DataFrame:
    """Every value of every table, as text, with its table and column."""
    engine, _ = open_engine(url)
    parts = []
    try:
        with engine.connect() as conn:
            for table in s.metadata.sorted_tables:
                rows = conn.execute(sa.select(table)).all()
                for row in rows:
                    for column, value in zip(table.columns.keys(), row, strict=True):
                        if value is not None:
                            parts.append((table.name, column, str(value)))
    finally:
        engine.dispose()
    return pd.DataFrame(parts, columns=["table", "column", "value"])


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("export")
    paths = write_messy_export(folder, n_workers=12, seed=5)
    text = paths["cases"].read_bytes().decode("cp1252")
    numbers = set(re.findall(r"\b\d{6,8}[-+]?\d{4}\b", text))
    assert numbers  # the export does carry identity numbers
    case_ids = set(at.datasets.make_municipality(n_workers=12, seed=5).cases["case_id"])
    raw = (numbers, case_ids)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workers = at.read_workers(paths["workers"], key=KEY)
        cases = at.read_cases(paths["cases"], key=KEY, scheme=paths.scheme, roster=workers)
        wl = at.score(cases, workers, paths.scheme, on="2026-06-30")
    return raw, cases, workers, wl


def test_no_identity_number_pseudonym_or_case_id_in_any_table(archive_url, export):
    raw, cases, _, wl = export
    assert len(wl.rejected)  # the messy export has rows the archive must not quote
    with Archive(archive_url) as archive:
        archive.record(wl)
    cells = _every_cell(archive_url)
    text = cells["value"]
    # identity numbers: none in any form (the scheme TOML and hashes included)
    assert not pnr.contains_personnummer(text).any()
    numbers, case_ids = raw
    digits = {re.sub(r"\D", "", v)[-10:] for v in numbers}
    runs = {run for v in text for run in re.findall(r"\d{10,}", v)}
    assert not any(d in run for run in runs for d in digits)
    # client pseudonyms: none
    subjects = set(cases["subject_id"].dropna()) if "subject_id" in cases else set()
    assert not text.str.contains(PREFIX, regex=False).any()
    assert not set(text) & subjects
    # case ids: none, not even inside another value
    assert not set(text) & case_ids
    assert not any(c in v for v in text[cells["column"] != "scheme_toml"] for c in case_ids)
    # free text (the notes column, the rejection reasons): none
    assert not text.str.contains("Syskon", regex=False).any()
    assert not text.str.contains("not in the", regex=False).any()


def test_forget_worker_leaves_no_row_naming_the_worker(archive_url, export):
    wl = export[3]
    who = str(wl.workers["worker_id"].iloc[0])
    with Archive(archive_url) as archive:
        archive.record(wl)
        archive.record_ratings(
            pd.DataFrame(
                {"worker_id": [who], "period": ["2026-06-01"], "rating": [4], "comment": ["ok"]}
            ),
            scale="1-5",
        )
        unit = archive.history("unit")
        archive.forget_worker(who)
        pd.testing.assert_frame_equal(archive.history("unit"), unit, check_exact=True)
    cells = _every_cell(archive_url)
    assert not cells["value"].eq(who).any()
    # ids of the other workers are still there
    others = set(map(str, wl.workers["worker_id"].iloc[1:]))
    assert others <= set(cells.loc[cells["table"] == "worker_figure", "value"])


def test_rating_comments_are_stored_pseudonymised_and_only_shown_on_request(tmp_path):
    number = at.io.synthetic_personnummer(1, seed=1)[0]
    text = f"Namn;Månad;Skattning;Kommentar\nH1;2026-03;4;Svårt ärende {number}, behöver stöd\n"
    path = tmp_path / "enkat.csv"
    path.write_text(text, encoding="utf-8")
    ratings = at.read_ratings(path, scale="1-5", key=KEY)
    assert number not in ratings["comment"].iloc[0]
    assert PREFIX in ratings["comment"].iloc[0]
    with Archive(tmp_path / "a.db") as archive:
        archive.record_ratings(ratings)
        assert "comment" not in archive.ratings().columns
        assert PREFIX in archive.ratings(comments=True)["comment"].iloc[0]
    assert not pnr.contains_personnummer(_every_cell(f"sqlite:///{tmp_path}/a.db")["value"]).any()
