"""Rewrite a zip (an xlsx) copying untouched members as raw compressed bytes.

Recompressing a 50,000-row sheet takes seconds; copying its deflated bytes takes
milliseconds and guarantees the member is byte-identical. Members are copied with their
local header, data and data descriptor verbatim, and their central directory record is
reused with only the offset patched. Zips this fast path does not handle (zip64, a prefix
before the first member, odd layouts) go through ``zipfile`` instead: slower, same bytes
after decompression.
"""

from __future__ import annotations

import copy
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

_EOCD = struct.Struct("<4s4H2LH")
_CDIR = struct.Struct("<4s6H3L5H2L")
_LOCAL = struct.Struct("<4s5H3L2H")
_EOCD_SIG = b"PK\x05\x06"
_CDIR_SIG = b"PK\x01\x02"
_LOCAL_SIG = b"PK\x03\x04"
_ZIP64_LOCATOR_SIG = b"PK\x06\x07"
_LIMIT = 0xFFFFFFFF
_DOS_EPOCH = (0x21, 0)  # 1980-01-01 00:00 as (date, time): what XlsxWriter stamps too


class _NotSimple(Exception):
    """The fast path does not apply to this zip."""


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    record: bytes  # the central directory record, as in the source
    offset: int  # of the local header
    end: int  # end of data (+ descriptor): the next member's offset or the central directory


def rewrite_zip(src: Path, dst: Path, replace: Mapping[str, bytes], remove: set[str],
                add: Mapping[str, bytes]) -> None:
    """Copy ``src`` to ``dst`` with members replaced, removed and added (new ones at the end).

    Every other member keeps its decompressed bytes; on the fast path also its raw bytes.
    """
    data = src.read_bytes()
    with zipfile.ZipFile(src) as z:
        names = set(z.namelist())
    if set(add) & names or not set(replace) <= names:
        raise ValueError("bagian baru sudah ada atau bagian yang diganti tidak ada")
    try:
        entries = _entries(data)
    except _NotSimple:
        _rewrite_slow(src, dst, replace, remove, add)
        return
    with dst.open("wb") as out:
        _rewrite_fast(memoryview(data), entries, out, replace, remove, add)


def _entries(data: bytes) -> list[_Entry]:
    pos = data.rfind(_EOCD_SIG, max(0, len(data) - 65_557))
    if pos < 0 or pos + _EOCD.size > len(data):
        raise _NotSimple
    _, disk, cd_disk, n_disk, n_total, cd_size, cd_offset, _ = _EOCD.unpack_from(data, pos)
    if (disk or cd_disk or n_disk != n_total or _LIMIT in (cd_size, cd_offset)
            or n_total == 0xFFFF or data[max(0, pos - 20):pos - 16] == _ZIP64_LOCATOR_SIG
            or cd_offset + cd_size != pos):
        raise _NotSimple
    raw: list[tuple[str, bytes, int, int, int]] = []
    p = cd_offset
    for _ in range(n_total):
        if data[p:p + 4] != _CDIR_SIG:
            raise _NotSimple
        fields = _CDIR.unpack_from(data, p)
        flags, csize, usize = fields[3], fields[8], fields[9]
        nlen, elen, clen, offset = fields[10], fields[11], fields[12], fields[16]
        if _LIMIT in (csize, usize, offset):
            raise _NotSimple
        size = _CDIR.size + nlen + elen + clen
        name_bytes = data[p + _CDIR.size:p + _CDIR.size + nlen]
        name = name_bytes.decode("utf-8" if flags & 0x800 else "cp437")
        raw.append((name, data[p:p + size], offset, csize, flags))
        p += size
    if p != pos or len({r[0] for r in raw}) != len(raw):
        raise _NotSimple
    by_offset = sorted(raw, key=lambda r: r[2])
    if by_offset and by_offset[0][2] != 0:
        raise _NotSimple
    out: dict[str, _Entry] = {}
    for i, (name, record, offset, csize, _flags) in enumerate(by_offset):
        end = by_offset[i + 1][2] if i + 1 < len(by_offset) else cd_offset
        if data[offset:offset + 4] != _LOCAL_SIG:
            raise _NotSimple
        lf = _LOCAL.unpack_from(data, offset)
        if offset + _LOCAL.size + lf[9] + lf[10] + csize > end:
            raise _NotSimple
        out[name] = _Entry(name, record, offset, end)
    return [out[r[0]] for r in raw]


def _rewrite_fast(data: memoryview, entries: list[_Entry], out: BinaryIO,
                  replace: Mapping[str, bytes], remove: set[str],
                  add: Mapping[str, bytes]) -> None:
    central: list[bytes] = []
    pos = 0
    for e in entries:
        if e.name in remove:
            continue
        if e.name in replace:
            local, record = _new_member(e.name, replace[e.name], pos)
            out.write(local)
            pos += len(local)
            central.append(record)
            continue
        out.write(data[e.offset:e.end])
        central.append(e.record[:42] + struct.pack("<L", pos) + e.record[46:])
        pos += e.end - e.offset
    for name, content in add.items():
        local, record = _new_member(name, content, pos)
        out.write(local)
        pos += len(local)
        central.append(record)
    if pos >= _LIMIT or len(central) >= 0xFFFF:
        raise OSError("berkas terlalu besar untuk format zip biasa")
    cd = b"".join(central)
    out.write(cd)
    out.write(_EOCD.pack(_EOCD_SIG, 0, 0, len(central), len(central), len(cd), pos, 0))


def _new_member(name: str, content: bytes, offset: int) -> tuple[bytes, bytes]:
    """Local header + deflated data, and the matching central directory record."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = packer.compress(content) + packer.flush()
    crc = zlib.crc32(content)
    encoded = name.encode("utf-8")
    flags = 0 if name.isascii() else 0x800
    date, time = _DOS_EPOCH
    local = _LOCAL.pack(_LOCAL_SIG, 20, flags, 8, time, date, crc, len(body), len(content),
                        len(encoded), 0) + encoded
    record = _CDIR.pack(_CDIR_SIG, 20, 20, flags, 8, time, date, crc, len(body), len(content),
                        len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    return local + body, record


def _rewrite_slow(src: Path, dst: Path, replace: Mapping[str, bytes], remove: set[str],
                  add: Mapping[str, bytes]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in remove:
                continue
            content = replace.get(info.filename)
            if content is None:
                content = zin.read(info)
            zout.writestr(copy.copy(info), content, compress_type=zipfile.ZIP_DEFLATED)
        for name, content in add.items():
            zout.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), content,
                          compress_type=zipfile.ZIP_DEFLATED)
