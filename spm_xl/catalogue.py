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


class Catalogue(_Frozen):
    versi_katalog: str
    versi_templat: str
    dasar_hukum: list[str]
    layanan: list[Service]
    item: list[Item]
    bobot: Weights
    kategori: list[Step]
    tanpa_sasaran: ZeroTargetRule
    ambang_bencana: int = Field(gt=0)

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

    def items(self, service_code: str) -> list[Item]:
        """Items of one service, in the catalogue's column order."""
        return [i for i in self.item if service_code in i.standar]


@cache
def load_catalogue() -> Catalogue:
    """The shipped catalogue, validated once per process."""
    raw = resources.files("spm_xl").joinpath("data", "catalogue.json").read_text("utf-8")
    return Catalogue.model_validate(json.loads(raw))
