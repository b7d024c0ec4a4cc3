"""Merge the styles of a freshly rendered workbook into an admin's ``xl/styles.xml``.

Entries (number formats, fonts, fills, borders, cell formats, differential formats) are
*appended*: no existing index changes, so every input sheet keeps its look byte for byte.
An entry identical to one already there is reused instead, so running ``hitung`` again
does not grow the file. The target is parsed with defusedxml (untrusted) but edited
textually, so Excel's extension namespaces and attributes survive untouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape

from defusedxml import ElementTree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
FIRST_CUSTOM_NUMFMT = 164
# CT_Stylesheet child order: where a missing container must be inserted
_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
          "dxfs", "tableStyles", "colors", "extLst")


@dataclass(slots=True)
class StyleMap:
    """How the rendered workbook's indices map onto the merged styles.xml."""
    xf: dict[int, int] = field(default_factory=dict)
    dxf: dict[int, int] = field(default_factory=dict)


def merge_styles(target: str, source: bytes) -> tuple[str, StyleMap]:
    """The target styles.xml with the source's entries appended (or reused), and the map."""
    tgt = ElementTree.fromstring(target.encode("utf-8"))
    src = ElementTree.fromstring(source)
    if tgt.tag != f"{{{MAIN}}}styleSheet":
        raise ValueError("styles.xml tanpa styleSheet SpreadsheetML")
    prefix = _prefix(target, "styleSheet")
    edits: dict[str, tuple[list[str], int]] = {}

    numfmt = _merge_numfmts(tgt, src, prefix, edits)
    maps = {name: _merge_list(tgt, src, name, prefix, edits, lambda e: e)
            for name in ("fonts", "fills", "borders")}
    style_xf = _cell_style_map(tgt, src)

    def fix_xf(xf: Element) -> Element:
        xf = _copy(xf)
        for attr, table in (("fontId", maps["fonts"]), ("fillId", maps["fills"]),
                            ("borderId", maps["borders"]), ("numFmtId", numfmt),
                            ("xfId", style_xf)):
            if attr in xf.attrib:
                old = int(xf.attrib[attr])
                xf.attrib[attr] = str(table.get(old, 0 if attr == "xfId" else old))
        return xf

    xf_map = _merge_list(tgt, src, "cellXfs", prefix, edits, fix_xf, keep_first=True)
    def fix_dxf(dxf: Element) -> Element:
        dxf = _copy(dxf)
        for fmt in dxf.iter(f"{{{MAIN}}}numFmt"):
            old = int(fmt.get("numFmtId", "0"))
            fmt.set("numFmtId", str(numfmt.get(old, old)))
        return dxf

    dxf_map = _merge_list(tgt, src, "dxfs", prefix, edits, fix_dxf)
    for name in _ORDER:
        if name in edits:
            items, total = edits[name]
            target = _append(target, name, prefix, items, total)
    return target, StyleMap(xf_map, dxf_map)


def _merge_numfmts(tgt: Element, src: Element, prefix: str,
                   edits: dict[str, tuple[list[str], int]]) -> dict[int, int]:
    """Custom number formats (id >= 164) by format code; built-in ids pass through."""
    have = {e.get("formatCode", ""): int(e.get("numFmtId", "0"))
            for e in _children(tgt, "numFmts")}
    next_id = max([FIRST_CUSTOM_NUMFMT - 1, *have.values()]) + 1
    mapping: dict[int, int] = {}
    added: list[str] = []
    for e in _children(src, "numFmts"):
        old, code = int(e.get("numFmtId", "0")), e.get("formatCode", "")
        if old < FIRST_CUSTOM_NUMFMT:
            continue
        if code not in have:
            have[code] = next_id
            next_id += 1
            added.append(f'<{prefix}numFmt numFmtId="{have[code]}" '
                         f'formatCode="{_attr(code)}"/>')
        mapping[old] = have[code]
    if added:
        edits["numFmts"] = (added, len(have))
    return mapping


def _merge_list(tgt: Element, src: Element, name: str, prefix: str,
                edits: dict[str, tuple[list[str], int]],
                fix: Callable[[Element], Element], keep_first: bool = False) -> dict[int, int]:
    """Map each source entry to an identical target entry, appending those not there."""
    existing = _children(tgt, name)
    index: dict[str, int] = {}
    for i, e in enumerate(existing):
        index.setdefault(_canon(e), i)
    mapping: dict[int, int] = {}
    added: list[str] = []
    for i, e in enumerate(_children(src, name)):
        if keep_first and i == 0:
            mapping[0] = 0  # the default format stays the target's own default
            continue
        fixed = fix(e)
        key = _canon(fixed)
        if key not in index:
            index[key] = len(existing) + len(added)
            added.append(_serialise(fixed, prefix))
        mapping[i] = index[key]
    if added:
        edits[name] = (added, len(existing) + len(added))
    return mapping


def _cell_style_map(tgt: Element, src: Element) -> dict[int, int]:
    """Source cellStyleXfs index -> target index, through the built-in style (Hyperlink...)."""
    by_builtin = {c.get("builtinId"): int(c.get("xfId", "0"))
                  for c in _children(tgt, "cellStyles") if c.get("builtinId") is not None}
    return {int(c.get("xfId", "0")): by_builtin.get(c.get("builtinId"), 0)
            for c in _children(src, "cellStyles")}


def _children(root: Element, name: str) -> list[Element]:
    container = root.find(f"{{{MAIN}}}{name}")
    return [] if container is None else list(container)


def _canon(e: Element) -> str:
    """A comparable form: tag, sorted attributes, children in order."""
    attrs = ",".join(f"{k}={v}" for k, v in sorted(e.attrib.items()))
    inner = "".join(_canon(c) for c in e)
    return f"<{e.tag} {attrs}>{(e.text or '').strip()}{inner}</>"


def _copy(e: Element) -> Element:
    out = Element(e.tag, dict(e.attrib))
    out.text = e.text
    out.extend(_copy(c) for c in e)
    return out


def _serialise(e: Element, prefix: str) -> str:
    """Write a SpreadsheetML element with the target's prefix for the main namespace."""
    ns, _, local = e.tag[1:].partition("}")
    if ns != MAIN:
        raise ValueError(f"unsur di luar SpreadsheetML: {e.tag}")
    attrs = ""
    for key, value in e.attrib.items():
        if key.startswith("{"):
            raise ValueError(f"atribut bernamespace tidak didukung: {key}")
        attrs += f' {key}="{_attr(value)}"'
    inner = escape(e.text or "") + "".join(_serialise(c, prefix) for c in e)
    if not inner:
        return f"<{prefix}{local}{attrs}/>"
    return f"<{prefix}{local}{attrs}>{inner}</{prefix}{local}>"


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _prefix(text: str, root: str) -> str:
    """The prefix (``""`` or ``"x:"``) the document uses for its root element."""
    m = re.search(rf"<([A-Za-z_][\w.-]*:)?{root}[\s/>]", text)
    return (m.group(1) or "") if m else ""


def _append(text: str, name: str, prefix: str, items: list[str], total: int) -> str:
    """Append entries to a container, creating it in schema order when missing."""
    tag = f"{prefix}{name}"
    opening = re.search(rf"<{re.escape(tag)}(\s[^>]*?)?(/?)>", text)
    if opening is None:
        element = f'<{tag} count="{total}">{"".join(items)}</{tag}>'
        return _insert_missing(text, name, prefix, element)
    attrs = _set_count(opening.group(1) or "", total)
    if opening.group(2):
        element = f'<{tag}{attrs}>{"".join(items)}</{tag}>'
        return text[:opening.start()] + element + text[opening.end():]
    close = text.find(f"</{tag}>", opening.end())
    if close < 0:
        raise ValueError(f"styles.xml: {name} tanpa penutup")
    return (text[:opening.start()] + f"<{tag}{attrs}>" + text[opening.end():close]
            + "".join(items) + text[close:])


def _set_count(attrs: str, total: int) -> str:
    if re.search(r'\bcount\s*=\s*["\']', attrs):
        return re.sub(r'\bcount\s*=\s*(["\'])\d*\1', f'count="{total}"', attrs, count=1)
    return attrs


def _insert_missing(text: str, name: str, prefix: str, element: str) -> str:
    for later in _ORDER[_ORDER.index(name) + 1:]:
        m = re.search(rf"<{re.escape(prefix + later)}[\s/>]", text)
        if m:
            return text[:m.start()] + element + text[m.start():]
    close = text.rfind(f"</{prefix}styleSheet>")
    if close < 0:
        raise ValueError("styles.xml tanpa penutup styleSheet")
    return text[:close] + element + text[close:]
