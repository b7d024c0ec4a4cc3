"""What ``spm-xl impor`` prints: the mapping first, then the outcome of every list row."""

from __future__ import annotations

from .run import ADDED, CANDIDATE_NOTE, PRESENT, SKIPPED, ImportResult

#: rows listed one by one on the terminal; all are in --json
SHOWN_ROWS = 40
_SHOWN = {ADDED: "ditambahkan", PRESENT: "sudah ada", SKIPPED: "dilewati"}


def print_mapping(result: ImportResult) -> None:
    """The chosen mapping, printed before anything is written."""
    from ..terminal import console

    con = console()
    m = result.mapping
    con.print(f"Daftar {result.daftar} ({result.dibaca})"
              + (", format ekstrak DTKS dikenali" if m.dtks else "")
              + ("" if m.header_row is None else f", baris judul {m.header_row + 1}") + ".")
    con.print(f"Pemetaan kolom ke sheet {result.sheet}:")
    for label, source in result.mapping_text().items():
        con.print(f"  {label:<16} <- {source}")
    if m.address_parts:
        con.print("  (digabung ke Alamat: " + ", ".join(h for h, _ in m.address_parts) + ")")
    if m.dropped:
        con.print("Kolom yang tidak dibawa (tidak dibutuhkan SPM, data pribadi diminimalkan): "
                  + ", ".join(m.dropped) + ".")


def print_import(result: ImportResult) -> None:
    from ..terminal import console

    con = console()
    for o in [o for o in result.outcomes if o.hasil != ADDED or o.alasan][:SHOWN_ROWS]:
        at = f" -> baris {o.baris_buku}" if o.baris_buku and o.hasil == ADDED else ""
        con.print(f"  baris {o.baris} daftar: {_SHOWN[o.hasil]}{at}"
                  + (f". {o.alasan}" if o.alasan else ""))
    shown = sum(1 for o in result.outcomes if o.hasil != ADDED or o.alasan)
    if shown > SHOWN_ROWS:
        con.print(f"  … dan {shown - SHOWN_ROWS} baris lain (lihat --json).")
    added = [o for o in result.outcomes if o.hasil == ADDED]
    con.print(f"Ringkasan: {len(added)} ditambahkan, {result.count(PRESENT)} sudah ada, "
              f"{result.count(SKIPPED)} dilewati.")
    if added:
        first, last = added[0].baris_buku, added[-1].baris_buku
        con.print(f"Ditulis ke {result.keluaran}, sheet {result.sheet} baris {first}-{last}."
                  + (f" Versi sebelumnya disimpan sebagai {result.backup.name}."
                     if result.backup else ""))
        con.print(CANDIDATE_NOTE)
    else:
        con.print("Tidak ada orang baru: tidak ada berkas yang ditulis, buku kerja tidak "
                  "diubah.")
