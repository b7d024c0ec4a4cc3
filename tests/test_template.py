"""The blank template: the sheet and label contract of SPEC 3, input aids, protection."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.utils import column_index_from_string
from openpyxl.workbook.workbook import Workbook as OpenpyxlBook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.worksheet import Worksheet

from spm_xl import labels
from spm_xl.book import styles
from spm_xl.book.template import PLACEHOLDER, build_template
from spm_xl.catalogue import Level, load_catalogue

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
INPUT_SHEETS = [labels.PETUNJUK, labels.IDENTITAS, labels.HARGA, labels.ANGGARAN,
                labels.KONFIGURASI]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[Level, Path]:
    folder = tmp_path_factory.mktemp("templat")
    return {level: build_template(folder / f"{level}.xlsx", level=level, kode=None, tahun=2026,
                                  fmt="xlsx")
            for level in ("kabkota", "provinsi")}


@pytest.fixture(scope="module")
def kabkota(built: dict[Level, Path]) -> OpenpyxlBook:
    return openpyxl.load_workbook(built["kabkota"])


def expected_sheets(level: Level) -> list[str]:
    services = [s.sheet for s in load_catalogue().services(level)]
    return [*INPUT_SHEETS, *services, labels.PERMASALAHAN, labels.TAHAPAN,
            *labels.OUTPUT_SHEETS]


def header(sheet: Worksheet) -> list[object]:
    return [c.value for c in sheet[1] if c.value is not None]


def column_of(sheet: Worksheet, label: str) -> str:
    for cell in sheet[1]:
        if cell.value == label:
            return str(cell.column_letter)
    raise KeyError(label)


def column_style(sheet: Worksheet, letter: str) -> ColumnDimension:
    """The <col> entry covering a column: XlsxWriter groups equal neighbours (B:C)."""
    index = column_index_from_string(letter)
    for dim in sheet.column_dimensions.values():
        if dim.min is not None and dim.min <= index <= (dim.max or dim.min):
            return dim
    raise KeyError(letter)


def label_values(sheet: Worksheet) -> dict[str, object]:
    return {str(a.value): b.value for a, b in sheet.iter_rows(min_col=1, max_col=2)
            if a.value is not None}


def validation_for(sheet: Worksheet, column: str) -> DataValidation:
    for dv in sheet.data_validations.dataValidation:
        if str(dv.sqref).startswith(f"{column}2:"):
            return dv
    raise KeyError(column)


@pytest.mark.parametrize("level", ["kabkota", "provinsi"])
def test_sheets_follow_the_contract_order(built: dict[Level, Path], level: Level) -> None:
    book = openpyxl.load_workbook(built[level], read_only=True)
    assert book.sheetnames == expected_sheets(level)


@pytest.mark.parametrize("level", ["kabkota", "provinsi"])
def test_service_headers_are_the_labels_of_the_catalogue_items(built: dict[Level, Path],
                                                               level: Level) -> None:
    catalogue = load_catalogue()
    book = openpyxl.load_workbook(built[level])
    for service in catalogue.services(level):
        items = [i.label for i in catalogue.items(service.kode)]
        assert header(book[service.sheet]) == labels.data_headers(items, service.bencana)


def test_identitas_holds_level_year_quarter_version_and_leaves_code_open(
        kabkota: OpenpyxlBook) -> None:
    values = label_values(kabkota[labels.IDENTITAS])
    assert list(labels.IDENTITAS_LABELS) == [k for k in values if k in labels.IDENTITAS_LABELS]
    assert values[labels.ID_TINGKAT] == "Kabupaten/Kota"
    assert values[labels.ID_KODE] in (None, "")
    assert values[labels.ID_TAHUN] == 2026
    assert values[labels.ID_TRIWULAN] == "I"
    assert values[labels.ID_VERSI] == load_catalogue().versi_templat


def test_identitas_keeps_region_code_as_text_with_names(tmp_path: Path) -> None:
    regions = pytest.importorskip("spm_xl.regions")
    path = build_template(tmp_path / "t.xlsx", level="kabkota", kode="74.06", tahun=2026,
                          fmt="xlsx")
    sheet = openpyxl.load_workbook(path)[labels.IDENTITAS]
    cells = {str(a.value): b for a, b in sheet.iter_rows(min_col=1, max_col=2) if a.value}
    code = cells[labels.ID_KODE]
    assert (code.value, code.data_type, code.number_format) == ("74.06", "s", "@")
    assert cells[labels.ID_NAMA].value == (regions.region_name("74.06") or None)
    assert cells[labels.ID_PROVINSI].value == (regions.region_name("74") or None)


def test_harga_satuan_has_one_row_per_service_item_at_price_zero(kabkota: OpenpyxlBook) -> None:
    catalogue = load_catalogue()
    sheet = kabkota[labels.HARGA]
    assert header(sheet) == list(labels.HARGA_HEADERS)
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    expected = [(s.kode, i.kode, i.label, i.satuan, i.standar[s.kode], 0, 0, None)
                for s in catalogue.services("kabkota") for i in catalogue.items(s.kode)]
    assert rows == expected


def test_anggaran_has_one_zero_row_per_service(kabkota: OpenpyxlBook) -> None:
    sheet = kabkota[labels.ANGGARAN]
    assert header(sheet)[:len(labels.ANGGARAN_HEADERS)] == list(labels.ANGGARAN_HEADERS)
    rows = [r[:6] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows == [(s.kode, 0, 0, 0, 0, 0) for s in load_catalogue().services("kabkota")]
    assert sheet["B2"].number_format == '"Rp" #,##0'


def test_konfigurasi_holds_catalogue_defaults_and_is_locked(kabkota: OpenpyxlBook) -> None:
    catalogue = load_catalogue()
    sheet = kabkota[labels.KONFIGURASI]
    values = label_values(sheet)
    assert values[labels.K_BOBOT_PENERIMA] == pytest.approx(0.8)
    assert values[labels.K_BOBOT_MUTU] == pytest.approx(0.2)
    for step in catalogue.kategori:
        assert values[labels.K_AMBANG_PREFIX + step.label] == step.min
    assert values[labels.K_TANPA_SASARAN] == labels.TANPA_SASARAN_TEXT[catalogue.tanpa_sasaran]
    assert values[labels.K_AMBANG_BENCANA] == catalogue.ambang_bencana
    assert sheet.protection.sheet
    assert all(c.protection.locked for row in sheet.iter_rows() for c in row)
    rule = next(dv for dv in sheet.data_validations.dataValidation if dv.type == "list")
    assert rule.formula1 == '"' + ",".join(labels.TANPA_SASARAN_TEXT.values()) + '"'


def test_nik_and_kk_columns_are_text_and_unlocked(kabkota: OpenpyxlBook) -> None:
    sheet = kabkota["K1 Disabilitas"]
    for label in (labels.D_NIK, labels.D_KK):
        column = column_style(sheet, column_of(sheet, label))
        assert column.number_format == "@"
        assert column.protection.locked is False


def test_status_columns_offer_the_choices_but_accept_typed_variants(
        kabkota: OpenpyxlBook) -> None:
    sheet = kabkota["K5 Bencana"]
    for item in load_catalogue().items("K5"):
        rule = validation_for(sheet, column_of(sheet, item.label))
        assert rule.type == "list"
        assert rule.formula1 == '"' + ",".join(labels.STATUS_CHOICES) + '"'
        assert rule.errorStyle == "warning"  # "TW 1" typed by hand must not be refused
        assert rule.showInputMessage and rule.prompt
        assert str(rule.sqref).endswith(":" + column_of(sheet, item.label) + "1048576")


def test_sex_and_vulnerable_group_have_their_drop_downs(kabkota: OpenpyxlBook) -> None:
    sheet = kabkota["K5 Bencana"]
    assert validation_for(sheet, column_of(sheet, labels.D_JK)).formula1 == '"L,P"'
    assert validation_for(sheet, column_of(sheet, labels.D_RENTAN)).formula1 == '"Ya,Tidak"'


def test_date_columns_are_date_formatted(kabkota: OpenpyxlBook) -> None:
    sheet = kabkota["K5 Bencana"]
    for label in (labels.D_LAHIR, labels.D_ASESMEN, labels.D_TGL_KEJADIAN):
        assert column_style(sheet, column_of(sheet, label)).number_format == "dd/mm/yyyy"


def test_header_rows_are_frozen(kabkota: OpenpyxlBook) -> None:
    assert kabkota["K1 Disabilitas"].freeze_panes == "E2"  # header row and No..Nama
    assert kabkota[labels.HARGA].freeze_panes == "A2"
    assert kabkota[labels.ANGGARAN].freeze_panes == "A2"


def test_input_sheets_are_protected_but_allow_rows_sort_and_filter(
        kabkota: OpenpyxlBook) -> None:
    for name in (labels.IDENTITAS, labels.HARGA, labels.ANGGARAN, "K1 Disabilitas"):
        guard = kabkota[name].protection
        # openpyxl mirrors the file: False means the action stays allowed
        assert guard.sheet and guard.password is None
        assert not (guard.insertRows or guard.deleteRows or guard.sort or guard.autoFilter
                    or guard.formatCells)
        assert guard.deleteColumns


def test_input_cells_are_unlocked_and_labels_locked(kabkota: OpenpyxlBook) -> None:
    sheet = kabkota["K1 Disabilitas"]
    assert all(c.protection.locked for c in sheet[1])
    columns = [c.column_letter for c in sheet[1] if c.value is not None]
    assert all(column_style(sheet, col).protection.locked is False for col in columns)
    harga = kabkota[labels.HARGA]
    assert harga["A2"].protection.locked and not harga["F2"].protection.locked
    identitas = {str(a.value): b for a, b in kabkota[labels.IDENTITAS].iter_rows(max_col=2)
                 if a.value}
    assert not identitas[labels.ID_KODE].protection.locked
    assert identitas[labels.ID_TINGKAT].protection.locked


def test_output_sheets_are_placeholders_until_computed(kabkota: OpenpyxlBook) -> None:
    for name in labels.OUTPUT_SHEETS:
        texts = [c.value for row in kabkota[name].iter_rows() for c in row if c.value]
        assert texts[0] and PLACEHOLDER in texts
        assert kabkota[name].cell(labels.STAMP_ROW, 1).value is None


def test_petunjuk_guides_the_four_stages_and_cites_the_law(kabkota: OpenpyxlBook) -> None:
    catalogue = load_catalogue()
    text = "\n".join(str(c.value) for row in kabkota[labels.PETUNJUK].iter_rows() for c in row
                     if c.value)
    for needle in ("Tahap 1", "Tahap 2", "Tahap 3", "Tahap 4", "Periksa Data", "Hitung Ulang",
                   "Teks", *labels.STATUS_CHOICES[1:], *catalogue.dasar_hukum):
        assert needle in text
    assert catalogue.versi_templat in text


def test_properties_carry_a_title_and_no_author(kabkota: OpenpyxlBook) -> None:
    assert kabkota.properties.title == "SPM Bidang Sosial Kabupaten/Kota 2026"
    assert not kabkota.properties.creator
    assert not kabkota.properties.lastModifiedBy


def test_rebuild_is_byte_identical(tmp_path: Path, built: dict[Level, Path]) -> None:
    again = build_template(tmp_path / "kabkota.xlsx", level="kabkota", kode=None, tahun=2026,
                           fmt="xlsx")
    assert again.read_bytes() == built["kabkota"].read_bytes()


def test_extension_must_match_the_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=".xlsm"):
        build_template(tmp_path / "t.xlsx", level="kabkota", kode=None, tahun=2026, fmt="xlsm")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["spm-xl-kabkota.xlsx", "spm-xl-kabkota.xlsm",
                                  "spm-xl-provinsi.xlsx", "spm-xl-provinsi.xlsm"])
def test_shipped_templates_match_the_catalogue(name: str) -> None:
    path = TEMPLATES / name
    if not path.exists():
        pytest.skip(f"{name} belum disusun (python templates/build.py)")
    level: Level = "kabkota" if "kabkota" in name else "provinsi"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == expected_sheets(level)
    catalogue = load_catalogue()
    for service in catalogue.services(level):
        items = [i.label for i in catalogue.items(service.kode)]
        assert header(book[service.sheet]) == labels.data_headers(items, service.bencana)
    assert label_values(book[labels.IDENTITAS])[labels.ID_VERSI] == catalogue.versi_templat


def test_reader_reads_a_fresh_template_as_catalogue_defaults(tmp_path: Path) -> None:
    reader = pytest.importorskip("spm_xl.book.reader")
    catalogue = load_catalogue()
    path = build_template(tmp_path / "t.xlsx", level="provinsi", kode="74", tahun=2026,
                          fmt="xlsx")
    data = reader.read_workbook(path)
    assert (data.identity.tingkat, data.identity.kode, data.identity.triwulan) == (
        "provinsi", "74", 1)
    assert data.settings.kategori == tuple((s.min, s.label) for s in catalogue.kategori)
    assert len(data.prices) == sum(len(catalogue.items(s.kode))
                                   for s in catalogue.services("provinsi"))
    assert data.findings == []


def test_formats_are_created_once_per_workbook(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "f.xlsx"))
    money = styles.fmt(book, "rupiah", "input")
    assert styles.fmt(book, "rupiah", "input") is money
    assert money.num_format == '"Rp" #,##0' and money.locked == 0
    assert styles.fmt(book, "input", "rupiah") is not money  # order matters: later names win
    book.close()
