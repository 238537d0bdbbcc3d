"""Keyed pseudonyms: key sources, consistency, and never showing the key."""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import pandas as pd
import pytest

from arbetstyngd.io import pseudonym as ps
from arbetstyngd.io import read_cases
from arbetstyngd.io.personnummer import synthetic_personnummer

KEY = "test-key-0123456789abcdef"


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ps.KEY_ENV, raising=False)
    monkeypatch.delenv(ps.KEY_FILE_ENV, raising=False)


def test_same_key_same_pseudonym_other_key_other_pseudonym() -> None:
    nums = synthetic_personnummer(5, seed=1)
    a = ps.pseudonymise(nums, key=KEY)
    b = ps.pseudonymise(nums, key=KEY)
    c = ps.pseudonymise(nums, key=KEY + "x")
    assert a.tolist() == b.tolist()
    assert not set(a) & set(c)
    assert a.str.match(r"^ps_[0-9a-f]{16}$").all()


def test_pseudonym_is_not_an_unkeyed_hash() -> None:
    n = synthetic_personnummer(1, seed=2)[0]
    token = ps.pseudonymise([n], key=KEY)[0]
    for text in (n, n.replace("-", ""), "pnr:" + n.replace("-", "")):
        assert hashlib.sha256(text.encode()).hexdigest()[:16] not in token


def test_forms_of_one_number_share_a_pseudonym_and_other_ids_are_kept_apart() -> None:
    twelve = synthetic_personnummer(1, seed=3, born=(1990, 2010))[0]
    forms = [twelve, twelve.replace("-", ""), twelve[2:], twelve[2:].replace("-", ""), " K-17 "]
    out = ps.pseudonymise(forms, key=KEY)
    assert out.iloc[:4].nunique() == 1
    assert out.iloc[4] != out.iloc[0] and out.iloc[4] == ps.pseudonymise(["K-17"], key=KEY)[0]


def test_key_from_environment_and_key_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ps.KEY_ENV, KEY)
    assert ps.Pseudonymiser.from_key().source == "environment"
    assert ps.pseudonymise(["x"])[0] == ps.pseudonymise(["x"], key=KEY)[0]
    monkeypatch.delenv(ps.KEY_ENV)
    path = ps.new_key_file(tmp_path / "keys" / "a.key")
    assert (path.stat().st_mode & 0o777) == 0o600
    monkeypatch.setenv(ps.KEY_FILE_ENV, str(path))
    p = ps.Pseudonymiser.from_key()
    assert p.source == "file" and p.token("x") == ps.Pseudonymiser.from_key(path).token("x")
    with pytest.raises(FileExistsError):
        ps.new_key_file(path)


def test_without_a_key_a_random_run_key_and_a_warning_when_used() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # resolving the key alone says nothing
        a = ps.Pseudonymiser.from_key()
    with pytest.warns(ps.PseudonymKeyWarning, match="will not match"):
        token = a.token("x")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        b = ps.Pseudonymiser.from_key()
        assert a.source == "random" and token == b.token("x")  # one key per run


def test_a_file_without_identity_numbers_needs_no_key(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(ps.KEY_ENV, raising=False)
    monkeypatch.delenv(ps.KEY_FILE_ENV, raising=False)
    path = tmp_path / "c.csv"
    path.write_text("case_id;worker_id;case_type;opened\nc1;H1;bou_utredning;2026-01-01\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error", ps.PseudonymKeyWarning)
        read_cases(path)


def test_weak_or_unreadable_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 16 bytes"):
        ps.Pseudonymiser.from_key("short")
    (tmp_path / "weak.key").write_text("abc")
    with pytest.raises(ValueError, match="at least 16"):
        ps.Pseudonymiser.from_key(tmp_path / "weak.key")
    with pytest.raises(ValueError, match="cannot read the key file"):
        ps.Pseudonymiser.from_key(tmp_path / "missing.key")
    with pytest.raises(TypeError):
        ps.Pseudonymiser.from_key(12345)


def test_repr_never_shows_the_key() -> None:
    p = ps.Pseudonymiser.from_key(KEY)
    assert KEY not in repr(p) and KEY not in str(p)


def test_numbers_inside_free_text_are_replaced() -> None:
    a, b = synthetic_personnummer(2, seed=4)
    s = pd.Series([f"syskon till {a}", "ingen", None, f"{b[2:]} och {a}"])
    out, cells = ps.Pseudonymiser.from_key(KEY).in_text(s)
    assert cells == 2
    joined = " ".join(str(v) for v in out)
    assert a not in joined and b[2:] not in joined and a.replace("-", "") not in joined
    token_a = ps.pseudonymise([a], key=KEY)[0]
    assert out[0] == f"syskon till {token_a}" and out[3].endswith(token_a)
