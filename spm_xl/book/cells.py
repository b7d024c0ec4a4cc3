"""Cell values as admins type them: status marks, rupiah, quantities, dates, text.

Every parser takes the raw value a reader returns (str, int, float, bool, date, datetime or
None) and gives ``(value, None)``, ``(None, None)`` for an empty cell, or
``(None, message)``; the message is in Bahasa Indonesia and names the value but not the
cell, which the caller adds. ``parse_text`` cannot fail and returns the text alone. Nothing
here raises on bad input, and no message shows a full NIK (``display_value``).

Number text follows Indonesian habits: ``.`` groups thousands and ``,`` marks decimals, so
``1.250`` is one thousand two hundred fifty (see :func:`parse_number_text`).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from ..nik import mask_nik, mask_text
from ..records import BUTUH, NOT_NEEDED

# --- status marks -------------------------------------------------------------------------

STATUS_ACCEPTED = ("kosong atau -, Butuh, TW1, TW2, TW3, TW4 "
                   "(juga TW 1, Triwulan I, I-IV, 1-4)")

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _status_keys() -> dict[str, int]:
    """Normalised spellings (lower case, no whitespace) of every accepted status."""
    keys = {"": NOT_NEEDED, "-": NOT_NEEDED, "\u2013": NOT_NEEDED, "\u2014": NOT_NEEDED,
            "butuh": BUTUH}
    for roman, q in _ROMAN.items():
        for text in (str(q), roman):
            keys[text] = q
            keys["tw" + text] = q
            keys["triwulan" + text] = q
    return keys


#: normalised text -> status code; also the quarter spellings used by Identitas
STATUS_KEYS: dict[str, int] = _status_keys()

#: exact raw strings as the template's drop-down writes them: the reader's fast path
STATUS_EXACT: dict[str, int] = {"": NOT_NEEDED, "-": NOT_NEEDED, "Butuh": BUTUH,
                                "TW1": 1, "TW2": 2, "TW3": 3, "TW4": 4}


def status_key(text: str) -> str:
    """Lower case without any whitespace: ``' Triwulan  II '`` -> ``'triwulanii'``."""
    return "".join(text.split()).casefold()


def parse_status(raw: object) -> tuple[int | None, str | None]:
    """A status mark as NOT_NEEDED, 1..4 (delivered in TWk) or BUTUH."""
    if raw is None:
        return NOT_NEEDED, None
    if isinstance(raw, str):
        code = STATUS_EXACT.get(raw)
        if code is None:
            code = STATUS_KEYS.get(status_key(raw))
        if code is not None:
            return code, None
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw in (1, 2, 3, 4):
        return int(raw), None  # 1 == 1.0, so whole floats match too
    return None, (f"Nilai '{display_value(raw)}' bukan status yang dikenal. "
                  f"Gunakan: {STATUS_ACCEPTED}.")


def parse_quarter(raw: object) -> tuple[int | None, str | None]:
    """The reported quarter: I-IV, 1-4, TW1-TW4 or Triwulan I-IV."""
    code, _ = parse_status(raw)
    if code is not None and 1 <= code <= 4:
        return code, None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, "Triwulan kosong; isi I, II, III atau IV."
    return None, f"Triwulan '{display_value(raw)}' tidak dikenal; isi I, II, III atau IV."


# --- numbers --------------------------------------------------------------------------------

_GROUPED_DOT = re.compile(r"^\d{1,3}(?:\.\d{3})+$")  # 1.250.000
_GROUPED_COMMA = re.compile(r"^\d{1,3}(?:,\d{3})+$")  # 1,250,000 (English)
_DIGITS = re.compile(r"^\d+$")
_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)


def parse_number_text(text: str) -> Decimal | None:
    """A non-negative number written the Indonesian way, or None when it is not one.

    ``.`` groups thousands and ``,`` marks decimals: ``1.250.000,50``. When both appear, the
    last one is the decimal mark (so the English ``1,250.5`` also reads right). A single
    ``.`` followed by exactly three digits (``1.250``) is read as a thousands group, since
    that is how an Indonesian admin writes one thousand two hundred fifty; any other single
    ``.`` (``1.5``, ``0.250``) is a decimal point. Several commas (``1,250,000``) group
    thousands; a single comma is the decimal mark.
    """
    s = "".join(text.split()).replace("\u00a0", "")
    if not s:
        return None
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):
            whole, _, frac = s.rpartition(",")
            ok = bool(_GROUPED_DOT.match(whole) or _DIGITS.match(whole))
            whole = whole.replace(".", "")
        else:
            whole, _, frac = s.rpartition(".")
            ok = bool(_GROUPED_COMMA.match(whole) or _DIGITS.match(whole))
            whole = whole.replace(",", "")
        return _decimal(whole, frac) if ok else None
    if "," in s:
        if _GROUPED_COMMA.match(s) and s.count(",") > 1:
            return _decimal(s.replace(",", ""), "")
        whole, _, frac = s.partition(",")
        return _decimal(whole, frac)
    if "." in s:
        if _GROUPED_DOT.match(s) and not s.startswith("0"):
            return _decimal(s.replace(".", ""), "")
        whole, _, frac = s.partition(".")
        return _decimal(whole, frac)
    return _decimal(s, "")


def _decimal(whole: str, frac: str) -> Decimal | None:
    if not _DIGITS.match(whole) or (frac and not _DIGITS.match(frac)):
        return None
    try:
        return Decimal(f"{whole}.{frac}" if frac else whole)
    except InvalidOperation:
        return None


def _float_decimal(value: float) -> Decimal:
    """A float as the decimal the admin meant: 0.19999999999999996 (from =1-0.8) is 0.2."""
    if value.is_integer():
        return Decimal(int(value))
    return Decimal(repr(round(value, 10)))


def _number(raw: object) -> tuple[Decimal | None, str | None]:
    """Any number, sign kept; the error is ``"bukan"`` (not a number) or None."""
    if raw is None:
        return None, None
    if isinstance(raw, bool):
        return None, "bukan"
    if isinstance(raw, int):
        return Decimal(raw), None
    if isinstance(raw, float):
        return (_float_decimal(raw), None) if math.isfinite(raw) else (None, "bukan")
    if not isinstance(raw, str):
        return None, "bukan"
    text = raw.strip()
    if not text:
        return None, None
    negative = text.startswith(("-", "(")) or text.endswith(")")
    parsed = parse_number_text(text.strip("-()") if negative else text)
    if parsed is None:
        return None, "bukan"
    return (-parsed if negative else parsed), None


#: no quantity or rupiah amount of a district is near these; bigger ones are typing errors,
#: and keeping them out keeps every product of price and volume a finite float for Excel
MAX_QUANTITY = Decimal(10**9)
MAX_RUPIAH = 10**15  # Rp 1.000 triliun


def parse_decimal(raw: object) -> tuple[Decimal | None, str | None]:
    """A non-negative quantity (standar per penerima, tersedia): number or Indonesian text."""
    value, error = _number(raw)
    if error is not None:
        return None, (f"Nilai '{display_value(raw)}' bukan angka. Tulis angka, misalnya "
                      "7, 45,5 atau 1.250.")
    if value is not None and value < 0:
        return None, f"Nilai '{display_value(raw)}' negatif; jumlah tidak boleh negatif."
    if value is not None and value > MAX_QUANTITY:
        return None, f"Nilai '{display_value(raw)}' terlalu besar; periksa angkanya."
    return value, None


def parse_rupiah(raw: object) -> tuple[int | None, str | None]:
    """Whole, non-negative rupiah from a number or a text like ``Rp 1.250.000,00``."""
    value: object = raw
    if isinstance(raw, str):
        text = _CURRENCY.sub("", raw.strip())
        text = text[:-2] if text.endswith(",-") else text  # "Rp 45.000,-"
        if not text.strip() and raw.strip():
            return None, _not_rupiah(raw)
        value = text
    elif isinstance(raw, float) and math.isfinite(raw) and abs(raw - round(raw)) < 1e-6:
        value = float(round(raw))  # 1375000.0000000002 from a formula is whole rupiah
    number, error = _number(value)
    if error is not None:
        return None, _not_rupiah(raw)
    if number is None:
        return None, None
    if number < 0:
        return None, f"Rupiah '{display_value(raw)}' negatif; tidak boleh negatif."
    if number > MAX_RUPIAH:
        return None, f"Rupiah '{display_value(raw)}' terlalu besar; periksa angkanya."
    if number != number.to_integral_value():
        return None, (f"Rupiah '{display_value(raw)}' berisi pecahan; tulis rupiah utuh "
                      "tanpa sen.")
    return int(number), None


def _not_rupiah(raw: object) -> str:
    return (f"Nilai '{display_value(raw)}' bukan jumlah rupiah. Tulis angka utuh, misalnya "
            "1250000, 1.250.000 atau Rp 1.250.000.")


def parse_int(raw: object) -> tuple[int | None, str | None]:
    """A whole number (Tahun, batas korban)."""
    value, error = parse_decimal(raw)
    if error is not None or value is None:
        return None, error
    if value != value.to_integral_value():
        return None, f"Nilai '{display_value(raw)}' harus bilangan bulat."
    return int(value), None


# --- dates ----------------------------------------------------------------------------------

DATE_ACCEPTED = "tanggal Excel, 09/01/2024, 2024-01-09 atau 9 Januari 2024"

_MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_NAMED = re.compile(r"^(?:[^\W\d_]+,\s*)?(\d{1,2})[\s\-/.]*([^\W\d_]+)\.?[\s\-/.]*(\d{2,4})$")
_EXCEL_EPOCH = date(1899, 12, 30)
_MAX_SERIAL = 2958465  # 9999-12-31


def parse_date(raw: object) -> tuple[date | None, str | None]:
    """A date from a date cell, an Excel serial number or text (day first, as in Indonesia)."""
    if raw is None:
        return None, None
    if isinstance(raw, datetime):
        return raw.date(), None
    if isinstance(raw, date):
        return raw, None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return _from_serial(raw) if abs(raw) <= _MAX_SERIAL else (None, _not_a_date(raw))
    if not isinstance(raw, str):
        return None, _not_a_date(raw)
    text = " ".join(raw.split())
    if not text:
        return None, None
    if _DIGITS.match(text):
        return _from_serial(int(text)) if len(text) <= 7 else (None, _not_a_date(raw))
    parts: tuple[int, int, int] | None = None
    if m := _ISO.match(text):
        parts = (int(m[1]), int(m[2]), int(m[3]))
    elif m := _DAY_FIRST.match(text):
        parts = (_year(m[3]), int(m[2]), int(m[1]))
    elif (m := _NAMED.match(text)) and m[2].casefold() in _MONTHS:
        parts = (_year(m[3]), _MONTHS[m[2].casefold()], int(m[1]))
    if parts is None:
        return None, _not_a_date(raw)
    if parts[0] < 1000:
        return None, (f"Tanggal '{display_value(raw)}' tahunnya tidak lengkap; tulis tahun "
                      "empat digit, misalnya 09/01/2024.")
    try:
        return date(*parts), None
    except ValueError:
        return None, f"Tanggal '{display_value(raw)}' tidak ada di kalender."


def _year(text: str) -> int:
    return int(text) if len(text) == 4 else -1


def _from_serial(serial: float) -> tuple[date | None, str | None]:
    """Excel's 1900 date system, including its fictitious 29 February 1900 (serial 60)."""
    if not math.isfinite(serial) or serial < 1 or serial > _MAX_SERIAL:
        return None, _not_a_date(serial)
    whole = int(serial)
    if 1900 <= whole <= 2100 and serial == whole:
        return None, (f"Nilai '{whole}' hanya tahun, bukan tanggal lengkap; tulis tanggalnya, "
                      f"misalnya 09/01/{whole}.")
    if whole == 60:
        return None, "Tanggal 29 Februari 1900 tidak ada di kalender."
    offset = whole + 1 if whole < 60 else whole
    return _EXCEL_EPOCH + timedelta(days=offset), None


def _not_a_date(raw: object) -> str:
    return f"Nilai '{display_value(raw)}' bukan tanggal. Gunakan {DATE_ACCEPTED}."


# --- text -----------------------------------------------------------------------------------

def parse_text(raw: object) -> str | None:
    """Stripped text, None when empty; whole numbers lose their ``.0``. Never fails."""
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw.strip() or None
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.isoformat(sep=" ")
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw)


_SHOWN_MAX = 40
#: C0 and C1 control characters: an ESC from a cell could rewrite the admin's terminal
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e"
                      "\u2060-\u2069\ufeff]")
#: and newlines too, for one-line texts such as file and sheet names
_CONTROL_LINE = re.compile("[\n\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f"
                           "\u202a-\u202e\u2060-\u2069\ufeff]")


def printable(text: str) -> str:
    """Text safe to print on a terminal: control characters (but newlines), zero-width and
    bidi marks become \ufffd, every NIK-shaped digit sequence is masked."""
    return _CONTROL.sub("\ufffd", mask_text(text))


def one_line(text: str, limit: int = 80) -> str:
    """A name (file, sheet) safe on one terminal line: ``printable`` and no newline either,
    so a name cannot print a fake line of its own; cut to ``limit`` characters."""
    text = _CONTROL_LINE.sub("\ufffd", mask_text(text))
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def display_value(raw: object) -> str:
    """A cell value short enough for a message, with any NIK-like digit run masked."""
    if isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        text = str(int(raw))
    else:
        text = "" if raw is None else str(raw)
    text = printable(" ".join(text.split()))
    text = mask_text(text)
    if len(text) > _SHOWN_MAX:
        text = text[:_SHOWN_MAX - 1] + "\u2026"
    return text


__all__ = ["DATE_ACCEPTED", "STATUS_ACCEPTED", "STATUS_EXACT", "STATUS_KEYS", "display_value",
           "mask_nik", "one_line", "parse_date", "parse_decimal", "parse_int", "parse_number_text",
           "parse_quarter", "parse_rupiah", "parse_status", "parse_text", "printable",
           "status_key"]
