"""The SPM Bidang Sosial catalogue: services, items, units, defaults, weights, ladder.

The catalogue is data (``data/catalogue.json``) validated by pydantic when loaded, so a
new regulation means a new data file, not new code.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Level = Literal["kabkota", "provinsi"]
ZeroTargetRule = Literal["kecualikan", "hitung_100"]
#: how the quality share B is formed: pooled over all recipient x item pairs, or the mean
#: of the per-item shares
QualityMode = Literal["gabungan", "rata_item"]
#: what the meal-day standard of a service is: a ceiling, a floor, the region's own choice,
#: or a figure no official text has confirmed yet
MealRuleKind = Literal["maksimum", "minimum", "pilihan_daerah", "belum_diverifikasi"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Service(_Frozen):
    kode: str = Field(pattern=r"^[KP][1-5]$")
    tingkat: Level
    nama: str
    sheet: str = Field(min_length=1, max_length=31)
    bencana: bool


class Item(_Frozen):
    kode: str = Field(pattern=r"^[a-z_]+$")
    label: str
    satuan: str
    #: default standard quantity per recipient, keyed by service code; absent = not in service
    standar: dict[str, Decimal]
    #: off by default; switched on per workbook in Konfigurasi (budget sub-activities that
    #: not every region delivers as a separate good or service)
    opsional: bool = False


class Step(_Frozen):
    min: Decimal = Field(ge=0, le=100)
    label: str


class Weights(_Frozen):
    penerima: Decimal = Field(ge=0, le=1)
    mutu: Decimal = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _sum_to_one(self) -> Weights:
        if self.penerima + self.mutu != 1:
            raise ValueError("bobot penerima + mutu harus 1")
        return self


class MealRule(_Frozen):
    """The meal-day (permakanan) standard of one service and what the sources say of it."""
    jenis: MealRuleKind
    hari: Decimal = Field(gt=0)
    catatan: str


class Catalogue(_Frozen):
    versi_katalog: str
    versi_templat: str
    dasar_hukum: list[str]
    catatan_hukum: list[str] = []
    layanan: list[Service]
    item: list[Item]
    bobot: Weights
    kategori: list[Step]
    tanpa_sasaran: ZeroTargetRule
    ambang_bencana: int = Field(gt=0)
    persen_mutu: QualityMode = "gabungan"
    batas_100: bool = True
    #: said beside every default no official annex has confirmed yet
    catatan_bawaan: str = ""
    aturan_permakanan: dict[str, MealRule] = {}

    @model_validator(mode="after")
    def _consistent(self) -> Catalogue:
        codes = [s.kode for s in self.layanan]
        if len(set(codes)) != len(codes):
            raise ValueError("kode layanan ganda")
        if len({i.kode for i in self.item}) != len(self.item):
            raise ValueError("kode item ganda")
        for item in self.item:
            unknown = set(item.standar) - set(codes)
            if unknown:
                raise ValueError(f"item {item.kode}: layanan tak dikenal {sorted(unknown)}")
        unknown_rules = set(self.aturan_permakanan) - set(codes)
        if unknown_rules:
            raise ValueError(f"aturan permakanan: layanan tak dikenal {sorted(unknown_rules)}")
        mins = [s.min for s in self.kategori]
        if mins != sorted(mins, reverse=True) or mins[-1] != 0:
            raise ValueError("tangga kategori harus menurun dan berakhir di 0")
        return self

    def service(self, code: str) -> Service:
        for s in self.layanan:
            if s.kode == code:
                return s
        raise KeyError(code)

    def services(self, level: Level) -> list[Service]:
        return [s for s in self.layanan if s.tingkat == level]

    def items(self, service_code: str, optional: bool = False) -> list[Item]:
        """Items of one service, in the catalogue's column order; ``optional`` adds the
        optional items (off by default, switched on in Konfigurasi)."""
        return [i for i in self.item if service_code in i.standar
                and (optional or not i.opsional)]

    def optional_items(self, service_code: str) -> list[Item]:
        return [i for i in self.items(service_code, optional=True) if i.opsional]


@cache
def load_catalogue() -> Catalogue:
    """The shipped catalogue, validated once per process."""
    raw = resources.files("spm_xl").joinpath("data", "catalogue.json").read_text("utf-8")
    return Catalogue.model_validate(json.loads(raw))
