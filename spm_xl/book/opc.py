"""Just enough Open Packaging Conventions to edit an xlsx in place.

Reading: part names, relationships, content types, parsed with defusedxml because an admin's
file is untrusted. Writing: minimal textual edits (insert or delete one element, set one
attribute) so everything we do not understand survives byte for byte.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote
from xml.sax.saxutils import escape

from defusedxml import ElementTree

from ..findings import UnusableWorkbook

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RT_OFFICE_DOCUMENT = f"{REL_NS}/officeDocument"
RT_WORKSHEET = f"{REL_NS}/worksheet"
RT_STYLES = f"{REL_NS}/styles"
RT_CALC_CHAIN = f"{REL_NS}/calcChain"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CONTENT_TYPES = "[Content_Types].xml"
#: the parts we parse are small XML; anything bigger is hostile (zip bomb) or broken
MAX_PART_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Rel:
    id: str
    type: str
    target: str  # part name for internal targets (no leading slash), raw text if external
    external: bool


class Package:
    """A read-only view of a zip as OPC parts."""

    def __init__(self, zf: zipfile.ZipFile, label: str) -> None:
        self.zip = zf
        self.label = label
        self.infos = {i.filename: i for i in zf.infolist()}
        self._lower = {n.lower(): n for n in self.infos}

    def find(self, part: str) -> str | None:
        """The member name of a part (part names are case-insensitive in OPC)."""
        return self._lower.get(part.lower())

    def read(self, part: str) -> bytes:
        name = self.find(part)
        if name is None:
            raise UnusableWorkbook(f"Bagian {part} tidak ada di dalam {self.label}.")
        if self.infos[name].file_size > MAX_PART_BYTES:
            raise UnusableWorkbook(f"Bagian {part} di dalam {self.label} terlalu besar "
                                   "(kemungkinan berkas rusak atau berbahaya).")
        try:
            return self.zip.read(name)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise UnusableWorkbook(f"Bagian {part} di dalam {self.label} rusak.") from exc

    def head(self, part: str, size: int) -> bytes:
        """The first bytes of a part, without inflating the rest."""
        name = self.find(part)
        if name is None:
            return b""
        try:
            with self.zip.open(name) as f:
                return f.read(size)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise UnusableWorkbook(f"Bagian {part} di dalam {self.label} rusak.") from exc

    def text(self, part: str) -> str:
        data = self.read(part)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnusableWorkbook(f"Bagian {part} di dalam {self.label} bukan teks UTF-8; "
                                   "simpan ulang berkas di Excel.") from exc

    def rels(self, part: str) -> list[Rel]:
        """The relationships of a part ('' for the package); empty when it has none."""
        name = self.find(rels_name(part))
        return [] if name is None else parse_rels(self.read(name), part)

    def rel_files(self) -> dict[str, str]:
        """Every relationship file, mapped to the part it belongs to."""
        out: dict[str, str] = {}
        for name in self.infos:
            m = re.fullmatch(r"(?:(.*)/)?_rels/([^/]*)\.rels", name)
            if m:
                out[name] = posixpath.join(m.group(1) or "", m.group(2))
        return out

    def main_part(self) -> str:
        for rel in self.rels(""):
            if rel.type == RT_OFFICE_DOCUMENT and not rel.external:
                found = self.find(rel.target)
                if found:
                    return found
        raise UnusableWorkbook(f"{self.label} tidak berisi buku kerja (workbook.xml).")


def rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def resolve(source: str, target: str) -> str:
    """The part name a relationship target points to, relative to its source part."""
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def relative(source: str, target: str) -> str:
    """A relationship target for ``target`` written in ``source``'s rels file."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def parse_rels(data: bytes, source: str) -> list[Rel]:
    try:
        root = ElementTree.fromstring(data)
    except Exception as exc:  # defusedxml raises several types for hostile XML
        raise UnusableWorkbook(f"Relasi {rels_name(source)} tidak dapat dibaca.") from exc
    out = []
    for e in root:
        if e.tag != f"{{{PKG_REL_NS}}}Relationship":
            continue
        external = e.get("TargetMode") == "External"
        raw = e.get("Target", "")
        out.append(Rel(e.get("Id", ""), e.get("Type", ""),
                       raw if external else resolve(source, raw), external))
    return out


def relationship(rid: str, rel_type: str, target: str, external: bool = False,
                 prefix: str = "") -> str:
    """One ``<Relationship/>`` element."""
    mode = ' TargetMode="External"' if external else ""
    return (f'<{prefix}Relationship Id="{attr(rid)}" Type="{attr(rel_type)}" '
            f'Target="{attr(target)}"{mode}/>')


def rels_xml(rels: list[tuple[str, str, str, bool]]) -> bytes:
    """A fresh relationships part: (id, type, target, external)."""
    body = "".join(relationship(*r) for r in rels)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PKG_REL_NS}">{body}</Relationships>').encode()


def attr(value: str) -> str:
    return escape(value, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def attributes(start_tag: str) -> dict[str, str]:
    """The attributes of one start tag, unescaped, keyed by their qualified name."""
    return {m.group(1): html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
            for m in _ATTR.finditer(start_tag)}


def set_attribute(start_tag: str, name: str, value: str) -> str:
    """One start tag with an attribute set (replaced in place or added before the end)."""
    pattern = re.compile(rf"""(\s){re.escape(name)}\s*=\s*(?:"[^"]*"|'[^']*')""")
    if pattern.search(start_tag):
        return pattern.sub(lambda m: f'{m.group(1)}{name}="{attr(value)}"', start_tag, count=1)
    end = len(start_tag) - (2 if start_tag.endswith("/>") else 1)
    return f'{start_tag[:end]} {name}="{attr(value)}"{start_tag[end:]}'


def remove_attribute(start_tag: str, name: str) -> str:
    return re.sub(rf"""\s{re.escape(name)}\s*=\s*(?:"[^"]*"|'[^']*')""", "", start_tag)


def prefix_of(text: str, local: str) -> str:
    """The prefix (``""`` or ``"x:"``) used for the first element with this local name."""
    m = re.search(rf"<([A-Za-z_][\w.-]*:)?{re.escape(local)}[\s/>]", text)
    return (m.group(1) or "") if m else ""


def elements(text: str, local: str) -> list[re.Match[str]]:
    """Every empty-or-simple element ``<p:local .../>`` or ``<p:local ...>...</p:local>``."""
    p = re.escape(prefix_of(text, local) + local)
    return list(re.finditer(rf"<{p}(?:\s[^>]*?)?(?:/>|>.*?</{p}\s*>)", text, re.DOTALL))


def start_tag(element: str) -> str:
    """The start tag of an element's text (the whole text for an empty element)."""
    return element[:element.find(">") + 1]


def root_tag(text: str, local: str) -> str:
    """The document element's start tag (where its namespaces are declared)."""
    m = re.search(rf"<(?:[\w.-]+:)?{re.escape(local)}[\s>][^>]*>", text)
    return m.group(0) if m else ""


def insert_before_close(text: str, local: str, fragment: str) -> str:
    """Insert a fragment as the last child of the (first) element with this local name."""
    p = prefix_of(text, local) + local
    close = text.find(f"</{p}>")
    if close >= 0:
        return text[:close] + fragment + text[close:]
    m = re.search(rf"<{re.escape(p)}(\s[^>]*?)?/>", text)
    if m is None:
        raise UnusableWorkbook(f"Unsur {local} tidak ditemukan.")
    opened = m.group(0)[:-2].rstrip() + ">"
    return text[:m.start()] + opened + fragment + f"</{p}>" + text[m.end():]


def remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + text[end:]
    return text
