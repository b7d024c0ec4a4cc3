"""Pseudonymous ids and the province key (SPEC 2.8)."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import pytest

from spm_xl.consolidate.pseudonym import (
    KEY_ENV,
    identity_digest,
    identity_key,
    province_key,
    pseudonym,
)

NIK = "7406011508950001"


@pytest.fixture(autouse=True)
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv(KEY_ENV, raising=False)
    return tmp_path


def test_key_file_is_created_once_readable_by_its_owner_only(config_home: Path) -> None:
    first = province_key("74")
    path = config_home / "spm-xl" / "kunci-74"
    assert first.created and first.path == path and str(config_home) not in first.source
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = province_key("74")
    assert again.key == first.key and not again.created
    assert province_key("73").key != first.key


def test_environment_variable_wins_over_the_key_file(monkeypatch: pytest.MonkeyPatch,
                                                     config_home: Path) -> None:
    monkeypatch.setenv(KEY_ENV, "rahasia-provinsi")
    assert province_key("74").key == b"rahasia-provinsi"
    assert not (config_home / "spm-xl").exists()


def test_same_person_same_id_and_another_key_another_id() -> None:
    digest = identity_digest("nik:" + NIK)
    assert pseudonym(b"k1", digest) == pseudonym(b"k1", digest)
    assert pseudonym(b"k1", digest) != pseudonym(b"k2", digest)
    assert NIK not in pseudonym(b"k1", digest)


def test_nik_is_normalised_and_name_plus_birth_date_stands_in_without_one() -> None:
    assert identity_key("7406 0115.0895-0001", "A", None) == "nik:" + NIK
    born = date(1950, 1, 2)
    assert identity_key(None, "  Siti   AMINAH ", born) == identity_key("", "siti aminah", born)
    assert identity_key(None, "Siti", None) is None
    assert identity_key(7406011508950001.0, "Siti", born) == "nama:siti|1950-01-02"
