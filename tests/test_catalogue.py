"""The catalogue is data, validated when loaded (SPEC 2.1, 2.2)."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from pydantic import ValidationError

from spm_xl.catalogue import Catalogue, load_catalogue


def test_ten_services_five_per_level() -> None:
    c = load_catalogue()
    assert [s.kode for s in c.services("kabkota")] == ["K1", "K2", "K3", "K4", "K5"]
    assert [s.kode for s in c.services("provinsi")] == ["P1", "P2", "P3", "P4", "P5"]


def test_item_columns_follow_the_table_order_restricted_to_the_service() -> None:
    c = load_catalogue()
    assert [i.kode for i in c.items("K5")] == [
        "permakanan", "sandang", "penampungan", "kelompok_rentan", "psikososial"]
    assert len(c.items("K1")) == 11 and len(c.items("P1")) == 14
    assert "rujukan" in [i.kode for i in c.items("K2")]
    assert "rujukan" not in [i.kode for i in c.items("P2")]


def test_meal_standard_is_7_days_outside_and_180_inside_institutions() -> None:
    meals = next(i for i in load_catalogue().item if i.kode == "permakanan")
    assert meals.standar["K1"] == 7 and meals.standar["P5"] == 7 and meals.standar["P1"] == 180


def _raw() -> dict[str, object]:
    text = resources.files("spm_xl").joinpath("data/catalogue.json").read_text("utf-8")
    return dict(json.loads(text))


def test_weights_must_sum_to_one() -> None:
    raw = _raw() | {"bobot": {"penerima": "0.7", "mutu": "0.2"}}
    with pytest.raises(ValidationError):
        Catalogue.model_validate(raw)


def test_item_for_an_unknown_service_is_refused() -> None:
    raw = _raw()
    raw["item"] = [{"kode": "x", "label": "X", "satuan": "u", "standar": {"K9": 1}}]
    with pytest.raises(ValidationError):
        Catalogue.model_validate(raw)


def test_ladder_must_descend_to_zero() -> None:
    raw = _raw() | {"kategori": [{"min": "60", "label": "A"}, {"min": "90", "label": "B"}]}
    with pytest.raises(ValidationError):
        Catalogue.model_validate(raw)
