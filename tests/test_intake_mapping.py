"""Header synonyms, header-row search and delimiter sniffing of `spm-xl impor`'s list reader."""

from __future__ import annotations

import pytest

from spm_xl import labels
from spm_xl.findings import UnusableWorkbook
from spm_xl.intake.lists import sniff_delimiter
from spm_xl.intake.mapping import choose_mapping, parse_overrides

WANTED = [labels.D_NIK, labels.D_KK, labels.D_NAMA, labels.D_JK, labels.D_LAHIR,
          labels.D_ALAMAT, labels.D_DESA, labels.D_KECAMATAN, labels.D_KETERANGAN]


@pytest.mark.parametrize(("header", "label"), [
    ("No. NIK", labels.D_NIK), ("NOMOR NIK", labels.D_NIK), (" nik ", labels.D_NIK),
    ("NOMOR KK", labels.D_KK), ("No KK", labels.D_KK), ("NAMA LENGKAP", labels.D_NAMA),
    ("L/P", labels.D_JK), ("JK", labels.D_JK), ("Laki-laki/Perempuan", labels.D_JK),
    ("TGL LAHIR", labels.D_LAHIR), ("Tgl. Lahir", labels.D_LAHIR),
    ("DESA/KELURAHAN", labels.D_DESA), ("Kelurahan", labels.D_DESA),
    ("KECAMATAN", labels.D_KECAMATAN), ("Alamat", labels.D_ALAMAT),
])
def test_header_synonyms_match_the_workbook_label(header: str, label: str) -> None:
    m = choose_mapping([["Nama", header]] if label != labels.D_NAMA else [[header]], WANTED,
                       "daftar")
    assert m.source(label).strip() == " ".join(header.split())


def test_header_row_is_the_one_with_most_matches_below_title_rows() -> None:
    rows: list[list[object]] = [["Nama Kegiatan: pendataan lansia"], ["Nama"],
                                ["No", "NIK", "Nama", "Alamat", "Catatan Petugas"],
                                ["1", "x", "y", "z", ""]]
    m = choose_mapping(rows, WANTED, "daftar")
    assert m.header_row == 2
    assert m.columns == {labels.D_NIK: 1, labels.D_NAMA: 2, labels.D_ALAMAT: 3}
    assert m.dropped == ["No", "Catatan Petugas"]


def test_a_header_beyond_the_first_rows_is_not_found() -> None:
    rows: list[list[object]] = [[f"judul {i}"] for i in range(15)] + [["NIK", "Nama"]]
    with pytest.raises(UnusableWorkbook, match="tidak ditemukan dalam 15 baris"):
        choose_mapping(rows, WANTED, "daftar")


def test_override_wins_and_a_bad_override_is_explained() -> None:
    rows: list[list[object]] = [["NIK", "No Identitas", "Nama"]]
    m = choose_mapping(rows, WANTED, "d", parse_overrides(["nik=No Identitas"], WANTED))
    assert m.columns[labels.D_NIK] == 1 and m.dropped == ["NIK"]
    with pytest.raises(UnusableWorkbook, match="KOLOM_BUKU=JUDUL_DAFTAR"):
        parse_overrides(["Nama Ibu=IBU"], WANTED)
    with pytest.raises(UnusableWorkbook, match="judul 'Tidak Ada' tidak ada"):
        choose_mapping(rows, WANTED, "d", parse_overrides(["NIK=Tidak Ada"], WANTED))


@pytest.mark.parametrize("d", [",", ";", "|", "\t"])
def test_delimiter_is_sniffed(d: str) -> None:
    # commas inside an address do not fool the sniffer when the list uses another delimiter
    text = "\n".join(d.join(r) for r in [["NIK", "Nama", "Alamat"],
                                         ["1", "Siti", "Jl. A, RT 1"],
                                         ["2", "Budi", "Jl. B, RT 2"]])
    if d == ",":
        text = text.replace("Jl. A, RT 1", '"Jl. A, RT 1"').replace("Jl. B, RT 2", '"Jl. B, RT 2"')
    assert sniff_delimiter(text) == d
