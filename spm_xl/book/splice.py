"""Write the output sheets into an admin's workbook without touching anything else (SPEC 7).

openpyxl drops what it does not understand on load-and-save, so instead:

1. the output sheets are rendered with XlsxWriter into a workbook in memory;
2. each rendered sheet part (and its drawings and charts) is transplanted into a copy of
   the admin's zip: an existing output sheet keeps its part name and position, a missing
   one is appended to ``workbook.xml``, its rels and ``[Content_Types].xml``; the parts
   only the old output sheet used are removed;
3. the rendered styles are appended to (or found in) the admin's ``styles.xml`` without
   changing any existing index, and the ``s="N"`` of the transplanted cells are remapped;
4. the rendered sheets' shared strings are turned into inline strings, so the admin's
   ``sharedStrings.xml`` stays as it is (XlsxWriter writes inline strings only in
   ``constant_memory`` mode, which ``in_memory`` silently switches off);
5. every other member of the zip is copied as raw compressed bytes (``zipcopy``).

``xl/calcChain.xml`` is dropped (with its relationship and content type) only when it lists
a cell of a replaced output sheet: a stale calc chain makes Excel repair the file, a missing
one is simply rebuilt by Excel on the next calculation.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from defusedxml import ElementTree

from ..findings import UnusableWorkbook
from . import opc
from .opc import Package, Rel
from .stylemerge import MAIN, StyleMap, merge_styles
from .xlsx import new_workbook
from .zipcopy import rewrite_zip

Render = Callable[[xlsxwriter.Workbook], None]


def write_output_sheets(src: Path, dst: Path, render: Render) -> None:
    """Write ``src`` to ``dst`` with the sheets ``render`` adds replacing (or added as) sheets.

    Sheets are matched by name (case-insensitive, as Excel does); every other part of
    ``src`` reaches ``dst`` byte-identical.
    """
    if dst.exists() and src.resolve() == dst.resolve():
        raise ValueError("sumber dan tujuan harus berkas yang berbeda")
    rendered = render_bytes(render)
    try:
        zf = zipfile.ZipFile(src)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnusableWorkbook(f"Berkas {src.name} bukan buku kerja Excel (.xlsx/.xlsm) "
                               "yang utuh.") from exc
    with zf, zipfile.ZipFile(io.BytesIO(rendered)) as tz:
        plan = _plan(Package(zf, src.name), Package(tz, "hasil"))
    rewrite_zip(src, dst, plan.replace, plan.remove, plan.add)


def render_bytes(render: Render) -> bytes:
    """The sheets ``render`` adds, as an .xlsx in memory, with the text guards on."""
    buf = io.BytesIO()
    wb = new_workbook(buf, in_memory=True)
    render(wb)
    wb.close()
    return buf.getvalue()


@dataclass(slots=True)
class SheetEntry:
    name: str
    sheet_id: int
    rid: str
    part: str | None  # None when the relationship is missing or external
    rel_type: str
    tag: str  # the <sheet .../> start tag as written


@dataclass(slots=True)
class _Plan:
    replace: dict[str, bytes] = field(default_factory=dict)
    remove: set[str] = field(default_factory=set)
    add: dict[str, bytes] = field(default_factory=dict)


def workbook_sheets(pkg: Package, wb_part: str, wb_text: str) -> list[SheetEntry]:
    """The sheets ``workbook.xml`` lists, in order, with their relationship ids."""
    try:
        root = ElementTree.fromstring(wb_text.encode("utf-8"))
    except Exception as exc:
        raise UnusableWorkbook(f"workbook.xml di dalam {pkg.label} tidak dapat dibaca.") from exc
    if root.tag != f"{{{MAIN}}}workbook":
        raise UnusableWorkbook(f"{pkg.label} memakai format yang tidak didukung (misalnya "
                               "Strict Open XML); simpan ulang sebagai Buku Kerja Excel biasa.")
    rels = {r.id: r for r in pkg.rels(wb_part)}
    tags = {opc.attributes(t).get("name", ""): t
            for t in (opc.start_tag(m.group(0)) for m in opc.elements(wb_text, "sheet"))}
    out = []
    for e in root.iter(f"{{{MAIN}}}sheet"):
        tag = tags.get(e.get("name", ""))
        if tag is None:
            raise UnusableWorkbook(f"Daftar sheet di {pkg.label} tidak dapat dibaca.")
        rid = e.get(f"{{{opc.REL_NS}}}id", "")
        rel = rels.get(rid)
        part = pkg.find(rel.target) if rel and not rel.external else None
        out.append(SheetEntry(e.get("name", ""), int(e.get("sheetId", "0")), rid, part,
                          rel.type if rel else "", tag))
    return out


def _plan(target: Package, temp: Package) -> _Plan:
    plan = _Plan()
    wb_part = target.main_part()
    wb_text = target.text(wb_part)
    sheets = workbook_sheets(target, wb_part, wb_text)
    t_wb = temp.main_part()
    t_sheets = workbook_sheets(temp, t_wb, temp.text(t_wb))
    by_name = {s.name.casefold(): s for s in sheets}
    old = {t.name: by_name.get(t.name.casefold()) for t in t_sheets}
    wb_rels = target.rels(wb_part)
    wb_rels_text = target.text(opc.rels_name(wb_part))
    ct_text = target.text(opc.CONTENT_TYPES)
    _content_types(target)  # parsed (defusedxml) before any textual edit: hostile XML stops here

    # which parts of the old output sheets go away
    reuse = {name: s.part for name, s in old.items()
             if s is not None and s.part is not None and s.rel_type == opc.RT_WORKSHEET}
    dropped_rels: set[str] = set()  # relationship ids removed from workbook.xml.rels
    calc = _stale_calc_chain(target, wb_rels, [s for s in old.values() if s is not None])
    if calc is not None:
        dropped_rels.add(calc.id)
        plan.remove.add(calc.target)
    for name, s in old.items():
        if s is not None and name not in reuse:
            dropped_rels.add(s.rid)
    old_parts = {s.part for s in old.values() if s is not None and s.part is not None}
    plan.remove |= _orphans(target, old_parts, set(reuse.values()), wb_part, dropped_rels)
    plan.remove |= {target.find(opc.rels_name(p)) or "" for p in old_parts} - {""}

    taken = {n.lower() for n in target.infos} - {n.lower() for n in plan.remove}
    produced: dict[str, bytes] = {}
    content_types: dict[str, str] = {}
    t_ct = _content_types(temp)

    # styles
    styles_rel = next((r for r in wb_rels if r.type == opc.RT_STYLES and not r.external), None)
    styles_part = target.find(styles_rel.target) if styles_rel else None
    t_styles = temp.read(_rel_target(temp, t_wb, opc.RT_STYLES))
    new_rels: list[tuple[str, str, str]] = []  # (id, type, part) for workbook.xml.rels
    rel_ids = {r.id for r in wb_rels}
    if styles_part is None:
        styles_part = _allocate(taken, posixpath.join(posixpath.dirname(wb_part), "styles.xml"))
        produced[styles_part] = t_styles
        content_types[styles_part] = opc.CT_STYLES
        new_rels.append((_new_id(rel_ids), opc.RT_STYLES, styles_part))
        style_map = StyleMap()  # the rendered styles become the workbook's own
    else:
        try:
            merged, style_map = merge_styles(target.text(styles_part), t_styles)
        except UnusableWorkbook:
            raise
        except Exception as exc:  # hostile or malformed XML (defusedxml), odd structure
            raise UnusableWorkbook(f"Gaya sel (styles.xml) di dalam {target.label} tidak dapat "
                                   "dibaca; simpan ulang berkas di Excel.") from exc
        produced[styles_part] = merged.encode("utf-8")

    sst = _shared_strings(temp, t_wb)
    active = _active_tab(wb_text)
    order = [s.name.casefold() for s in sheets]
    next_sheet_id = max((s.sheet_id for s in sheets), default=0) + 1
    wb_edits: list[tuple[str, str]] = []  # (old start tag or "", new element)
    for t in t_sheets:
        if t.part is None:
            raise ValueError(f"lembar hasil {t.name} tanpa bagian")
        s = old[t.name]
        if t.name in reuse:
            part = reuse[t.name]
        else:
            part = _allocate(taken, posixpath.join(posixpath.dirname(wb_part),
                                                   "worksheets", "sheet1.xml"))
            content_types[part] = opc.CT_WORKSHEET
            if s is None:
                rid = _new_id(rel_ids)
                wb_edits.append(("", _sheet_element(wb_text, t.name, next_sheet_id, rid)))
                next_sheet_id += 1
                order.append(t.name.casefold())
                new_rels.append((rid, opc.RT_WORKSHEET, part))
            else:  # was a chartsheet or lost its part: same id, new worksheet part
                new_rels.append((s.rid, opc.RT_WORKSHEET, part))
        if s is not None and s.name != t.name:
            wb_edits.append((s.tag, opc.set_attribute(s.tag, "name", t.name)))
        code_name = _code_name(target, part) if t.name in reuse else None
        sheet = _Target(part, order.index(t.name.casefold()) == active, code_name)
        _transplant(temp, t.part, t_wb, wb_part, sheet, taken, produced, content_types, t_ct,
                    style_map, sst)

    # workbook.xml, its rels, content types
    text = wb_text
    for old_tag, new in wb_edits:
        text = (opc.insert_before_close(text, "sheets", new) if not old_tag
                else text.replace(old_tag, new, 1))
    produced[wb_part] = text.encode("utf-8")
    if new_rels or dropped_rels:
        produced[opc.rels_name(wb_part)] = _edit_rels(
            wb_rels_text, wb_part, dropped_rels, new_rels).encode("utf-8")
    produced[opc.CONTENT_TYPES] = _edit_content_types(
        ct_text, plan.remove - set(produced), content_types).encode("utf-8")

    for name, data in produced.items():
        existing = target.find(name)
        if existing is not None:
            plan.remove.discard(existing)
            plan.replace[existing] = data
        else:
            plan.add[name] = data
    return plan


def _rel_target(pkg: Package, source: str, rel_type: str) -> str:
    for r in pkg.rels(source):
        if r.type == rel_type and not r.external:
            return r.target
    raise UnusableWorkbook(f"{pkg.label}: relasi {rel_type.rsplit('/', 1)[-1]} tidak ada.")


def _stale_calc_chain(target: Package, wb_rels: list[Rel], old: list[SheetEntry]) -> Rel | None:
    """The calcChain relationship when the chain lists a cell of a sheet being replaced."""
    rel = next((r for r in wb_rels if r.type == opc.RT_CALC_CHAIN and not r.external), None)
    if rel is None or not old:
        return None
    part = target.find(rel.target)
    if part is None:
        return rel
    # an entry without i= belongs to the previous entry's sheet, so the i= values seen are
    # every sheet id the chain lists
    ids = {int(i) for i in re.findall(rb'\bi="(\d+)"', target.read(part))}
    if ids & {s.sheet_id for s in old}:
        return Rel(rel.id, rel.type, part, False)
    return None


def _orphans(target: Package, old_parts: set[str], kept: set[str], wb_part: str,
             dropped_rels: set[str]) -> set[str]:
    """Parts reachable from the old output sheets that nothing else will reach any more."""
    graph: dict[str, list[tuple[str, str]]] = {}
    for rels_file, source in target.rel_files().items():
        src = target.find(source) or source
        try:
            rels = opc.parse_rels(target.read(rels_file), source)
        except UnusableWorkbook:
            continue
        graph[src] = [(r.id, target.find(r.target) or r.target) for r in rels if not r.external]
    candidates: set[str] = set()
    stack = list(old_parts)
    while stack:
        for _, child in graph.get(stack.pop(), []):
            if child not in candidates:
                candidates.add(child)
                stack.append(child)
    candidates |= old_parts - kept
    reached: set[str] = set()
    stack = [""]
    while stack:
        node = stack.pop()
        if node in old_parts:
            continue  # its old relationships are replaced by the rendered sheet's
        for rid, child in graph.get(node, []):
            if node == wb_part and rid in dropped_rels:
                continue
            if child not in reached:
                reached.add(child)
                stack.append(child)
    gone = {c for c in candidates - reached - kept if target.find(c)}
    return gone | {n for c in gone if (n := target.find(opc.rels_name(c)))}


def _allocate(taken: set[str], like: str) -> str:
    """A free part name shaped like ``like`` (``xl/charts/chart1.xml`` -> ``chartN.xml``)."""
    folder, base = posixpath.split(like)
    m = re.fullmatch(r"(.*?)(\d*)(\.[^.]+)", base)
    stem, ext = (m.group(1), m.group(3)) if m else (base, "")
    if m and not m.group(2) and like.lower() not in taken:  # styles.xml stays styles.xml
        taken.add(like.lower())
        return like
    n = 1
    while True:
        name = posixpath.join(folder, f"{stem}{n}{ext}")
        if name.lower() not in taken:
            taken.add(name.lower())
            return name
        n += 1


def _new_id(ids: set[str]) -> str:
    n = 1 + max((int(i[3:]) for i in ids if re.fullmatch(r"rId\d+", i)), default=0)
    while f"rId{n}" in ids:
        n += 1
    ids.add(f"rId{n}")
    return f"rId{n}"


@dataclass(frozen=True, slots=True)
class _Target:
    part: str  # where the rendered sheet goes
    selected: bool  # whether its tab is the active one
    code_name: str | None = None  # the VBA code name the replaced sheet had


def _transplant(temp: Package, t_part: str, t_wb: str, wb_part: str, sheet: _Target,
                taken: set[str], produced: dict[str, bytes], content_types: dict[str, str],
                t_ct: dict[str, str], styles: StyleMap, sst: list[str]) -> None:
    """Copy one rendered sheet and every part it references under fresh names."""
    names = {t_part: sheet.part}
    queue = [t_part]
    while queue:
        source = queue.pop(0)
        rels = temp.rels(source)
        for r in rels:
            if r.external or r.target in names:
                continue
            inside = posixpath.relpath(r.target, posixpath.dirname(t_wb))
            names[r.target] = _allocate(taken, posixpath.join(posixpath.dirname(wb_part),
                                                              inside))
            content_types[names[r.target]] = t_ct.get(r.target.lower(), "application/xml")
            queue.append(r.target)
        new = names[source]
        data = temp.read(source)
        if source == t_part:
            data = _rewrite_sheet(data.decode("utf-8"), styles, sst, sheet).encode()
        produced[new] = data
        if rels:
            produced[opc.rels_name(new)] = opc.rels_xml([
                (r.id, r.type, r.target if r.external else opc.relative(new, names[r.target]),
                 r.external) for r in rels])


def _content_types(pkg: Package) -> dict[str, str]:
    """Override content types by lower-case part name."""
    try:
        root = ElementTree.fromstring(pkg.read(opc.CONTENT_TYPES))
    except UnusableWorkbook:
        raise
    except Exception as exc:  # defusedxml raises several types for hostile XML
        raise UnusableWorkbook(f"[Content_Types].xml di dalam {pkg.label} tidak dapat "
                               "dibaca.") from exc
    return {e.get("PartName", "").lstrip("/").lower(): e.get("ContentType", "")
            for e in root if e.tag == f"{{{opc.CT_NS}}}Override"}


def _shared_strings(temp: Package, t_wb: str) -> list[str]:
    """The rendered book's shared strings, as the inner XML of each ``<si>``."""
    for r in temp.rels(t_wb):
        if r.type.endswith("/sharedStrings"):
            text = temp.text(r.target)
            return re.findall(r"<si>(.*?)</si>", text, re.DOTALL)
    return []


def _active_tab(wb_text: str) -> int:
    views = opc.elements(wb_text, "workbookView")
    if not views:
        return 0
    value = opc.attributes(opc.start_tag(views[0].group(0))).get("activeTab", "0")
    return int(value) if value.isdigit() else 0


def _sheet_element(wb_text: str, name: str, sheet_id: int, rid: str) -> str:
    p = opc.prefix_of(wb_text, "workbook")
    root = opc.root_tag(wb_text, "workbook")
    m = re.search(rf'xmlns:([\w.-]+)\s*=\s*["\']{re.escape(opc.REL_NS)}["\']', root)
    ref = f'{m.group(1)}:id="{rid}"' if m else f'r:id="{rid}" xmlns:r="{opc.REL_NS}"'
    return f'<{p}sheet name="{opc.attr(name)}" sheetId="{sheet_id}" {ref}/>'


def _edit_rels(text: str, source: str, drop: set[str], add: list[tuple[str, str, str]]) -> str:
    """Remove relationships by id, then add (id, type, part) ones."""
    spans = []
    for m in opc.elements(text, "Relationship"):
        if opc.attributes(opc.start_tag(m.group(0))).get("Id", "") in drop:
            spans.append((m.start(), m.end()))
    text = opc.remove_spans(text, spans)
    if add:
        p = opc.prefix_of(text, "Relationships")
        fresh = "".join(opc.relationship(i, t, opc.relative(source, part), prefix=p)
                        for i, t, part in add)
        text = opc.insert_before_close(text, "Relationships", fresh)
    return text


def _edit_content_types(text: str, removed: set[str], added: dict[str, str]) -> str:
    """Drop the overrides of removed parts, add those of new parts (keeping equal ones)."""
    gone = {n.lower() for n in removed}
    wanted = {n.lower(): (n, ct) for n, ct in added.items() if not n.lower().endswith(".rels")}
    spans = []
    for m in opc.elements(text, "Override"):
        a = opc.attributes(opc.start_tag(m.group(0)))
        part = a.get("PartName", "").lstrip("/").lower()
        if part in wanted and wanted[part][1] == a.get("ContentType"):
            del wanted[part]  # already declared as it should be: leave the bytes alone
        elif part in gone or part in wanted:
            spans.append((m.start(), m.end()))
    text = opc.remove_spans(text, spans)
    p = opc.prefix_of(text, "Types")
    overrides = "".join(
        f'<{p}Override PartName="/{opc.attr(name)}" ContentType="{opc.attr(ct)}"/>'
        for name, ct in sorted(wanted.values()))
    return opc.insert_before_close(text, "Types", overrides) if overrides else text


# XlsxWriter writes cells as <c r="A1" s="3" t="s"><v>7</v></c> (attributes in this order);
# the XML is ours, so these patterns are exact
_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"(?: s="([0-9]+)")?( t="[a-z]+")?(/?>)'
                   r"(?:<v>([0-9]+)</v>)?")
_OTHER_STYLE = re.compile(r'(<row\s[^>]*?\ss="|<col\s[^>]*?\sstyle="|<cfRule\s[^>]*?\sdxfId=")'
                          r'([0-9]+)"')


def _code_name(target: Package, part: str) -> str | None:
    """The sheet's VBA code name: an .xlsm's VBA project has a module under that name."""
    head = target.head(part, 4096).decode("utf-8", "replace")
    m = re.search(r"<(?:[\w.-]+:)?sheetPr\b[^>]*>", head)
    return opc.attributes(m.group(0)).get("codeName") if m else None


def _rewrite_sheet(xml: str, styles: StyleMap, sst: list[str], sheet: _Target) -> str:
    """Remap style indices, inline the shared strings, keep the code name, set the tab."""
    xf = styles.xf

    def cell(m: re.Match[str]) -> str:
        ref, style, kind, end, value = m.groups()
        s = f' s="{xf.get(int(style), int(style))}"' if style else ""
        if kind == ' t="s"' and value is not None:
            return f'<c r="{ref}"{s} t="inlineStr"><is>{sst[int(value)]}</is>'
        return f'<c r="{ref}"{s}{kind or ""}{end}' + (f"<v>{value}</v>" if value else "")

    def other(m: re.Match[str]) -> str:
        head, index = m.group(1), int(m.group(2))
        table = styles.dxf if head.startswith("<cfRule") else xf
        return f'{head}{table.get(index, index)}"'

    cells = xml.count("<c ")
    xml, done = _CELL.subn(cell, xml)
    if done != cells:  # a cell form this module does not know: never leave a stale s="N"
        raise ValueError("sel dengan atribut yang tidak dikenal pada lembar hasil")
    xml = _OTHER_STYLE.sub(other, xml)

    def view(m: re.Match[str]) -> str:
        tag = opc.remove_attribute(m.group(0), "tabSelected")
        return opc.set_attribute(tag, "tabSelected", "1") if sheet.selected else tag

    xml = re.sub(r"<sheetView\s[^>]*>", view, xml, count=1)
    if sheet.code_name:
        pr = re.search(r"<sheetPr\b[^>]*>", xml)
        if pr:
            tag = opc.set_attribute(pr.group(0), "codeName", sheet.code_name)
            xml = xml[:pr.start()] + tag + xml[pr.end():]
        else:  # sheetPr is the worksheet's first child
            root = opc.root_tag(xml, "worksheet")
            at = xml.index(root) + len(root)
            xml = f'{xml[:at]}<sheetPr codeName="{opc.attr(sheet.code_name)}"/>{xml[at:]}'
    return xml
