"""Times as an Indonesian admin reads them: in the region's own zone, WIB, WITA or WIT.

A stamp in ISO UTC (``2026-07-01T02:15:00+00:00``) is a riddle to an admin in Kendari;
``1 Juli 2026 10.15 WITA`` is not. The zone follows the province code (Permendagri
regions; Kalimantan Barat and Tengah are WIB, the rest of Kalimantan WITA).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
#: province codes (first two digits) outside WIB
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT_PREFIX = ("8", "9")
ZONES = {"WIB": 7, "WITA": 8, "WIT": 9}


def zone_of(kode: str) -> str:
    """WIB, WITA or WIT of a region code like ``74.06`` or ``74``; WIB when unknown."""
    province = kode.strip()[:2]
    if province in _WITA:
        return "WITA"
    if province.startswith(_WIT_PREFIX) and province.isdigit():
        return "WIT"
    return "WIB"


def indonesian_time(moment: datetime, kode: str) -> str:
    """``2 Desember 2026 09.55 WITA``: the moment in the region's zone, Indonesian style."""
    zone = zone_of(kode)
    local = moment.astimezone(timezone(timedelta(hours=ZONES[zone])))
    return (f"{local.day} {MONTHS[local.month - 1]} {local.year} "
            f"{local.hour:02d}.{local.minute:02d} {zone}")
