"""The cache's typed codec: what it wrote comes back equal; anything else is refused."""

from __future__ import annotations

from fractions import Fraction

import pytest

from spm_xl.consolidate.cache import _build, _findings, _plain
from spm_xl.keterisian import Keterisian
from spm_xl.records import Identity

IDENT = Identity("kabkota", "35.01", "Kab. Pacitan", "Jawa Timur", 2026, 2, "Admin",
                 "1.0")


def test_a_dataclass_round_trips_and_a_wrong_type_or_field_is_refused() -> None:
    raw = _plain(IDENT)
    assert _build(Identity, raw) == IDENT
    with pytest.raises(ValueError):
        _build(Identity, {**raw, "tahun": "2026"})
    with pytest.raises(ValueError):
        _build(Identity, {**raw, "tingkat": "negara"})
    with pytest.raises(ValueError):
        _build(Identity, {k: v for k, v in raw.items() if k != "admin"})
    assert _build(Keterisian | None, None) is None
    assert _build(Fraction, "2/3") == Fraction(2, 3)
    assert _build(bool, True) is True
    with pytest.raises(ValueError):
        _build(bool, 1)


def test_stored_findings_are_checked_value_by_value() -> None:
    found = _findings([["info", "nik_kosong", "K1 Sandang", "D7"],
                       ["galat", "nik_kosong", None, None]])
    assert [(f.tingkat, f.kode, f.sheet, f.sel) for f in found] == [
        ("info", "nik_kosong", "K1 Sandang", "D7"), ("galat", "nik_kosong", None, None)]
    assert found[0].pesan == found[1].pesan and found[0].pesan
    for bad in (["fatal", "nik_kosong", None, None], ["info", 7, None, None],
                ["info", "nik_kosong", 3, None], ["info", "nik_kosong", None, ["D7"]]):
        with pytest.raises(ValueError):
            _findings([bad])
