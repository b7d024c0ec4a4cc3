"""The ``spm-xl`` command (SPEC 4): Indonesian verbs with English aliases.

Human text goes to standard error and ``--json`` prints one document on standard output.
Exit codes: 0 clean or warnings only, 1 data errors (or some inputs rejected), 2 unusable.
No traceback reaches a user; ``SPM_XL_DEBUG=1`` shows one for developers.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .findings import SEVERITY_TEXT, Finding, UnusableWorkbook, counts, has_errors
from .quarters import quarter_argument
from .terminal import console

EXIT_OK, EXIT_DATA, EXIT_UNUSABLE = 0, 1, 2
#: at most this many findings are listed on the terminal; all are in the workbook and JSON
SHOWN_FINDINGS = 40


def _print_findings(findings: list[Finding]) -> None:
    con = console()
    for f in findings[:SHOWN_FINDINGS]:
        where = " ".join(x for x in (f.sheet and f"[{f.sheet}]", f.sel) if x)
        style = {"galat": "red", "peringatan": "yellow", "info": "cyan"}[f.tingkat]
        con.print(f"[{style}]{SEVERITY_TEXT[f.tingkat]:<10}[/] {escape(where)} "
                  f"{escape(f.pesan)}", markup=True)
    if len(findings) > SHOWN_FINDINGS:
        con.print(f"… dan {len(findings) - SHOWN_FINDINGS} temuan lain (lihat sheet Pemeriksaan "
                  "atau --json).")
    c = counts(findings)
    con.print(f"Ringkasan temuan: {c['galat']} galat, {c['peringatan']} peringatan, "
              f"{c['info']} info.")


def escape(text: str) -> str:
    """Text shown literally inside a line printed with rich markup, control characters out."""
    from rich.markup import escape as rich_escape

    from .book.cells import one_line

    return rich_escape(one_line(text, 4000))


def _emit_json(doc: object) -> None:
    sys.stdout.write(json.dumps(_masked(doc), ensure_ascii=False, indent=1) + "\n")


def _masked(doc: object) -> object:
    """Every text of a JSON document with NIK-shaped digits masked (a typed region name or
    version can hold a NIK as easily as a cell) and control and bidi marks replaced (the
    document is often read on a terminal)."""
    from .book.cells import printable

    if isinstance(doc, str):
        return printable(doc)
    if isinstance(doc, dict):
        return {k: _masked(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_masked(v) for v in doc]
    return doc


def _warn_if_open_in_excel(path: Path) -> None:
    from .book.safe import excel_lock_present

    if excel_lock_present(path):
        raise UnusableWorkbook(
            f"Berkas {path.name} sedang dibuka di Excel (ada berkas kunci ~${path.name}). "
            "Simpan dan tutup berkas di Excel, lalu jalankan lagi.")


def cmd_templat(args: argparse.Namespace) -> int:
    from .book.template import build_template

    if args.riwayat:
        return _history_template(args)
    if args.tingkat is None or args.tahun is None:
        raise UnusableWorkbook("templat membutuhkan --tingkat dan --tahun (kecuali dengan "
                               "--riwayat).")
    level = args.tingkat
    ext = args.format
    template_problem = template_arguments_problem(level, args.kode, args.tahun)
    if template_problem:
        raise UnusableWorkbook(template_problem)
    out = Path(args.output or f"SPM-Sosial-{level}-{(args.kode or 'baru').replace('.', '')}-"
                             f"{args.tahun}.{ext}")
    if out.suffix.lower() != f".{ext}":
        raise UnusableWorkbook(f"Nama berkas keluaran {out.name} harus berakhiran .{ext}.")
    from .book.atomic import atomic_write

    def produce(tmp: Path) -> None:
        build_template(tmp, level=level, kode=args.kode, tahun=args.tahun, fmt=ext,
                       item_opsional=args.item_opsional)

    atomic_write(out, produce, backup=out.exists())
    console().print(f"Templat ditulis: {out}")
    return EXIT_OK


def template_arguments_problem(level: str, kode: str | None, tahun: int) -> str | None:
    """Why ``templat``'s code or year cannot be used (checked before anything is written)."""
    from .regions import KABKOTA_CODE, PROVINCE_CODE, regions

    if not 2018 <= tahun <= 2100:
        return f"--tahun {tahun} tidak sah; tulis tahun empat angka antara 2018 dan 2100."
    if kode is None:
        return None
    if level == "kabkota":
        if not KABKOTA_CODE.match(kode):
            return (f"--kode {kode} bukan kode kab/kota Kemendagri; tulis dua angka, titik, dua "
                    "angka (mis. 74.06).")
        if kode not in regions().kabkota:
            return f"--kode {kode} tidak ada dalam daftar kab/kota Kemendagri."
    else:
        if not PROVINCE_CODE.match(kode):
            return f"--kode {kode} bukan kode provinsi Kemendagri; tulis dua angka (mis. 74)."
        if kode not in regions().provinsi:
            return f"--kode {kode} tidak ada dalam daftar provinsi Kemendagri."
    return None


def _history_template(args: argparse.Namespace) -> int:
    from .book.atomic import atomic_write
    from .trend.history import write_history_template

    out = Path(args.output or "SPM-Sosial-Riwayat.xlsx")
    if out.suffix.lower() != ".xlsx":
        raise UnusableWorkbook(f"Nama berkas keluaran {out.name} harus berakhiran .xlsx.")
    atomic_write(out, write_history_template, backup=out.exists())
    console().print(f"Templat riwayat ditulis: {out}")
    return EXIT_OK


def cmd_periksa(args: argparse.Namespace) -> int:
    from .book.reader import read_workbook
    from .book.safe import excel_lock_present
    from .pipeline import evaluate

    path = Path(args.file)
    ev = evaluate(read_workbook(path))
    if excel_lock_present(path):  # reading is fine; say which version was checked
        console().print(f"Catatan: berkas {path.name} sedang dibuka di Excel (ada berkas "
                        f"kunci ~${path.name}); yang diperiksa adalah versi yang terakhir "
                        "disimpan.")
    if args.json:
        from .report import check_json

        _emit_json(check_json(path.name, ev.data.identity, ev.findings))
    else:
        _print_findings(ev.findings)
    return EXIT_DATA if has_errors(ev.findings) else EXIT_OK


def cmd_hitung(args: argparse.Namespace) -> int:
    from .pipeline import compute_file
    from .report import region_json

    path = Path(args.file)
    out = Path(args.output) if args.output else None
    if out is not None and out.suffix.lower() != path.suffix.lower():
        # an .xlsm's content type and macros cannot live in an .xlsx, nor the other way round
        raise UnusableWorkbook(f"Berkas keluaran {out.name} harus berakhiran "
                               f"{path.suffix.lower()} seperti berkas masukan.")
    _warn_if_open_in_excel(out or path)
    ev, target = compute_file(path, out, quarter=args.triwulan)
    if args.json:
        from .report import envelope

        _emit_json({**envelope("hitung", path.name), "berkas_hasil": str(target),
                    **region_json(ev.data.identity, ev.result, ev.findings,
                                  narasi=ev.data.narasi)})
    else:
        _print_findings(ev.findings)
        _print_summary(ev)
        console().print(f"Hasil ditulis ke {target} (sheet Kebutuhan, Capaian, Laporan e-SPM, "
                        "Dashboard, Pemeriksaan).")
    return EXIT_DATA if has_errors(ev.findings) else EXIT_OK


def _print_summary(ev: Any) -> None:
    from .report import pct

    con = console()
    q = ev.data.identity.triwulan
    for s in ev.result.layanan:
        a = s.capaian
        if a.sasaran == 0:
            con.print(f"{a.layanan}: Tidak ada sasaran")
            continue
        con.print(f"{a.layanan}: sasaran {a.sasaran}, terlayani TW{q} {a.terlayani[q - 1]}, "
                  f"indeks {pct(a.indeks[q - 1]):.2f} ({a.kategori[q - 1]}), "
                  f"biaya kebutuhan Rp {s.kebutuhan.biaya:,}".replace(",", "."))
    idx = ev.result.indeks_daerah[q - 1]
    if idx is not None:
        con.print(f"Indeks SPM Bidang Sosial TW{q}: {pct(idx):.2f} "
                  f"({ev.result.kategori_daerah[q - 1]})")


def cmd_konsolidasi(args: argparse.Namespace) -> int:
    from .consolidate.run import main as consolidate_main

    return consolidate_main(args)


def cmd_tren(args: argparse.Namespace) -> int:
    from .trend.run import main as trend_main

    return trend_main(args)


def cmd_impor(args: argparse.Namespace) -> int:
    from .intake.report import print_import, print_mapping
    from .intake.run import SKIPPED, import_list

    book = Path(args.ke)
    out = Path(args.output) if args.output else None
    _warn_if_open_in_excel(out or book)
    result = import_list(book, Path(args.daftar), args.layanan, out, kolom=args.kolom or (),
                         announce=print_mapping)
    if args.json:
        _emit_json(result.as_json())
    else:
        print_import(result)
    return EXIT_DATA if result.count(SKIPPED) else EXIT_OK


def cmd_tahun_baru(args: argparse.Namespace) -> int:
    from .newyear import print_rollover, roll_over

    result = roll_over(Path(args.file), Path(args.output), args.tahun)
    if args.json:
        _emit_json(result.as_json())
    else:
        print_rollover(result)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(Path(args.dir))


def build_parser() -> argparse.ArgumentParser:
    from .cli_text import EXAMPLES, install

    install()
    fmt = argparse.RawDescriptionHelpFormatter
    p = argparse.ArgumentParser(
        prog="spm-xl", description="SPM Bidang Sosial: kebutuhan dan capaian dalam buku kerja "
                                   "Excel standar.", epilog=EXAMPLES, formatter_class=fmt)
    p.add_argument("--version", action="version", version=f"spm-xl {__version__}",
                   help="tampilkan versi program lalu keluar")
    sub = p.add_subparsers(dest="command", required=True, metavar="PERINTAH",
                           title="perintah")

    t = sub.add_parser("templat", aliases=["template"], help="tulis templat kosong",
                       formatter_class=fmt, description="Tulis templat kosong dengan sheet "
                       "Identitas terisi.", epilog="contoh:\n  spm-xl templat --tingkat kabkota "
                       "--kode 74.06 --tahun 2026 --format xlsm")
    t.add_argument("--tingkat", choices=["kabkota", "provinsi"],
                   help="kabkota (layanan K1-K5) atau provinsi (P1-P5); wajib, kecuali dengan "
                        "--riwayat")
    t.add_argument("--kode", help="Kode Wilayah Kemendagri: 74.06 untuk kab/kota, 74 untuk "
                                  "provinsi")
    t.add_argument("--tahun", type=int, metavar="TAHUN",
                   help="tahun anggaran, empat angka (mis. 2026); wajib, kecuali dengan "
                        "--riwayat")
    t.add_argument("--format", choices=["xlsx", "xlsm"], default="xlsx",
                   help="xlsm: dengan tombol Periksa Data dan Hitung Ulang (xlwings)")
    t.add_argument("--item-opsional", action="store_true",
                   help="aktifkan item opsional K1-K4 (Layanan Kedaruratan, Layanan Data dan "
                        "Pengaduan) di Konfigurasi dan tambahkan kolomnya")
    t.add_argument("--riwayat", action="store_true",
                   help="templat sheet Riwayat untuk capaian tahun-tahun lama (spm-xl tren)")
    t.add_argument("-o", "--output", metavar="BERKAS",
                   help="nama berkas keluaran (bawaan: SPM-Sosial-TINGKAT-KODE-TAHUN.xlsx)")
    t.set_defaults(func=cmd_templat)

    c = sub.add_parser("periksa", aliases=["check"], help="periksa data buku kerja",
                       formatter_class=fmt, description="Periksa data tanpa mengubah berkas.",
                       epilog="contoh:\n  spm-xl periksa bombana.xlsx --json > temuan.json")
    c.add_argument("file", metavar="BERKAS", help="buku kerja .xlsx/.xlsm")
    c.add_argument("--json", action="store_true",
                   help="cetak temuan sebagai JSON di keluaran standar")
    c.set_defaults(func=cmd_periksa)

    h = sub.add_parser("hitung", aliases=["compute"], help="periksa dan hitung, tulis hasil",
                       formatter_class=fmt, description="Periksa, hitung, dan tulis sheet hasil "
                       "(versi sebelumnya disimpan sebagai cadangan).",
                       epilog="contoh:\n  spm-xl hitung bombana.xlsx\n"
                              "  spm-xl hitung bombana.xlsx --triwulan III -o bombana-tw3.xlsx")
    h.add_argument("file", metavar="BERKAS", help="buku kerja .xlsx/.xlsm")
    h.add_argument("--triwulan", type=quarter_argument, metavar="TW",
                   help="triwulan yang dilaporkan (1-4 atau I-IV) bila berbeda dari sheet "
                        "Identitas; hasil diberi tanda triwulan ini")
    h.add_argument("-o", "--output", metavar="BERKAS",
                   help="tulis hasil ke berkas lain (bawaan: ke BERKAS itu sendiri)")
    h.add_argument("--json", action="store_true",
                   help="cetak hasil sebagai JSON di keluaran standar")
    h.set_defaults(func=cmd_hitung)

    k = sub.add_parser("konsolidasi", aliases=["consolidate"],
                       help="gabungkan buku kerja kab/kota menjadi buku kerja provinsi",
                       formatter_class=fmt, description="Gabungkan buku kerja kab/kota; berkas "
                       "masukan tidak pernah diubah.",
                       epilog="contoh:\n  spm-xl konsolidasi kiriman/ -o provinsi.xlsx "
                              "--kode-provinsi 74")
    k.add_argument("inputs", nargs="+", metavar="BERKAS_ATAU_FOLDER",
                   help="berkas kab/kota atau folder berisi berkas-berkas itu")
    k.add_argument("-o", "--output", required=True, metavar="BERKAS",
                   help="buku kerja provinsi yang ditulis (.xlsx)")
    k.add_argument("--provinsi", metavar="BERKAS", help="buku kerja provinsi sendiri (P1-P5)")
    k.add_argument("--kode-provinsi", metavar="KODE",
                   help="kode provinsi Kemendagri (mis. 74) bila tidak ditebak dari berkas")
    k.add_argument("--json", action="store_true",
                   help="cetak ringkasan sebagai JSON di keluaran standar")
    k.add_argument("--sertakan-data-pribadi", action="store_true",
                   help="sertakan nama dan NIK pada daftar duplikat (data pribadi!)")
    k.add_argument("--tanpa-cache", action="store_true",
                   help="baca ulang semua berkas; jangan pakai atau isi cache hasil per berkas")
    k.add_argument("--sebelumnya", metavar="BERKAS",
                   help="buku kerja provinsi periode sebelumnya: tampilkan perubahannya")
    k.add_argument("--umpan-balik", metavar="FOLDER",
                   help="tulis satu buku kerja umpan balik per berkas kab/kota (temuan, "
                        "duplikat, alasan penolakan) ke FOLDER, untuk dikirim kembali")
    k.set_defaults(func=cmd_konsolidasi)

    tr = sub.add_parser("tren", aliases=["trend"],
                        help="tren antarperiode dari buku kerja konsolidasi provinsi")
    tr.add_argument("inputs", nargs="+", metavar="BERKAS_ATAU_FOLDER",
                    help="buku kerja konsolidasi provinsi (atau folder berisi itu)")
    tr.add_argument("-o", "--output", required=True, metavar="BERKAS",
                    help="buku kerja tren yang ditulis (.xlsx)")
    tr.add_argument("--json", action="store_true",
                    help="cetak hasil sebagai JSON di keluaran standar")
    tr.set_defaults(func=cmd_tren)

    i = sub.add_parser("impor", aliases=["import"],
                       help="impor daftar penerima (xlsx/csv, mis. ekstrak DTKS) ke satu "
                            "sheet layanan")
    i.add_argument("daftar", metavar="DAFTAR", help="daftar .xlsx, .csv atau .txt (pemisah "
                   "koma, titik koma, | atau tab)")
    i.add_argument("--layanan", required=True, metavar="KODE", help="K1..K5 atau P1..P5")
    i.add_argument("--ke", required=True, metavar="BUKU", help="buku kerja SPM tujuan")
    i.add_argument("-o", "--output", help="tulis ke berkas baru (bawaan: BUKU diganti "
                   "dengan aman, versi lama disimpan sebagai cadangan)")
    i.add_argument("--kolom", action="append", metavar="KOLOM=JUDUL",
                   help='pasangan kolom manual, mis. --kolom "NIK=No Identitas" (boleh '
                        "berulang)")
    i.add_argument("--json", action="store_true",
                   help="cetak hasil sebagai JSON di keluaran standar")
    i.set_defaults(func=cmd_impor)

    n = sub.add_parser("tahun-baru", aliases=["new-year"],
                       help="buku kerja tahun berikutnya dengan penerima yang masih Butuh")
    n.add_argument("file", metavar="BUKU", help="buku kerja tahun berjalan")
    n.add_argument("--tahun", type=int, required=True, help="tahun buku kerja baru")
    n.add_argument("-o", "--output", required=True, metavar="BARU",
                   help="buku kerja baru yang ditulis")
    n.add_argument("--json", action="store_true",
                   help="cetak hasil sebagai JSON di keluaran standar")
    n.set_defaults(func=cmd_tahun_baru)

    d = sub.add_parser("demo", help="buat provinsi sintetis, hitung dan konsolidasikan",
                       description="Buat provinsi sintetis (data palsu), hitung dan "
                                   "konsolidasikan.")
    d.add_argument("dir", nargs="?", default="spm-xl-demo", metavar="FOLDER",
                   help="folder tujuan (bawaan: spm-xl-demo)")
    d.set_defaults(func=cmd_demo)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except UnusableWorkbook as e:
        where = " ".join(x for x in (e.sheet and f"[{e.sheet}]", e.sel) if x)
        console().print(f"[red]Galat:[/] {escape(where + ' ' if where else '')}"
                        f"{escape(e.pesan)}", markup=True)
        if getattr(args, "json", False):
            found = {"tingkat": "galat", "sheet": e.sheet, "sel": e.sel,
                     "kode": "berkas_tidak_dapat_dipakai", "pesan": e.pesan}
            from .report import envelope

            command = args.func.__name__.removeprefix("cmd_").replace("_", "-")
            _emit_json({**envelope(command, Path(args.file).name if hasattr(args, "file")
                                   else None),
                        "galat": found, "temuan": {"galat": 1, "peringatan": 0, "info": 0},
                        "daftar_temuan": [found]})
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        console().print("Dibatalkan.")
        return 130
    except BaseException as e:  # last resort: a clear sentence, never a traceback (a Rust
        # panic inside a reader is pyo3's PanicException, a BaseException)
        if isinstance(e, SystemExit | GeneratorExit) or os.environ.get("SPM_XL_DEBUG"):
            raise
        console().print(f"[red]Galat tak terduga:[/] {type(e).__name__}. Berkas masukan tidak "
                        "diubah. Jalankan dengan SPM_XL_DEBUG=1 untuk rinciannya.", markup=True)
        return EXIT_UNUSABLE


if __name__ == "__main__":
    sys.exit(main())
