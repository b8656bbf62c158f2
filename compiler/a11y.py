"""Accessibility check of a Word document against the rules for published documents.

`lint_docx(data, path)` returns one Diagnostic per broken rule occurrence (an
empty list when the document passes), with an A code from the code table
(compiler.codes; `sdp explain A001`) and a location in the document named `path`:

- A001 headings in order with no skipped level: the first heading is Heading 1
  or the Title, and a Heading n follows at most a Heading n-1 (Title counts as 0);
- A002 every table's first row is marked as a header row (`w:tblHeader`), so it
  is announced and repeated on each page;
- A003, A004 no header cell is merged (`w:gridSpan` > 1, `w:vMerge`, `w:hMerge`)
  or empty;
- A005 every image or drawing has alt text (`wp:docPr/@descr`, or `v:shape/@alt`);
- A006 the core properties give a title; A007 a document language is set (w:lang
  in the styles' defaults or the default paragraph style); A008 the document has
  a body.

The package is opened through the shared OOXML layer (`compiler.ooxml`) under
the readers' limits, without resolving entities or fetching anything, and
heading levels come from its one style resolver. A file that is not a
readable .docx raises ValueError.
"""

from __future__ import annotations

from lxml import etree

from .codes import emit
from .diagnostics import Diagnostic, Location
from .ooxml.namespaces import DC, RT_CORE_PROPERTIES, STRICT_W, V, W, WP
from .ooxml.package import PackageError, open_package
from .ooxml.styles import StyleSheet
from .ruleset import Limits


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(_w("t"))).strip()


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def lint_docx(data: bytes, path: str = "document.docx", limits: Limits | None = None) -> list[Diagnostic]:
    """Diagnostics, one per broken rule occurrence, located in `path` (the document's name as the
    user gave it); [] when the document passes. ValueError if the document is unreadable."""
    try:
        pkg = open_package(data, limits or Limits(), "Word")
        main = pkg.main_part()
        if STRICT_W.encode() in pkg.read(main)[:4096]:
            raise ValueError("a Strict Open XML document: save it as a standard Word document to check it")
        document = pkg.xml(main)
        if document.tag != _w("document"):
            raise ValueError("not a Word document: the main part is not a WordprocessingML document")
        doc_rels = [(rtype, target) for _, rtype, target, mode in pkg.rels(main) if mode != "External"]
        styles_name = next((n for t, n in doc_rels if t.endswith("/styles")), None)
        styles = StyleSheet(pkg.xml(styles_name) if styles_name and pkg.has(styles_name) else None)
        core_name = next((n for _, t, n, mode in pkg.rels(None) if t == RT_CORE_PROPERTIES and mode != "External"),
                         None)
        core = pkg.xml(core_name) if core_name and pkg.has(core_name) else None
        stories = [document] + [pkg.xml(n) for t, n in sorted(doc_rels, key=lambda x: x[1])
                                if t.rsplit("/", 1)[-1] in ("header", "footer", "footnotes", "endnotes")
                                and pkg.has(n)]
    except PackageError as exc:
        raise ValueError(f"not a readable Word document: {exc}") from None

    findings: list[Diagnostic] = []
    findings += _check_headings(document, styles, path, main)
    findings += _check_tables(document, path)
    for story in stories:
        findings += _check_images(story, path)
    title = core.find(f"{{{DC}}}title") if core is not None else None
    if title is None or not (title.text or "").strip():
        findings.append(emit("A006", "the core properties give no title (File > Info > Properties > Title)",
                             location=Location(path, text="document properties")))
    if not styles.language:
        findings.append(emit("A007", "no language is set in the default styles (w:lang in docDefaults "
                                     "or the Normal style)", location=Location(path, text="document styles")))
    return findings


def _paragraph_at(path: str, n: int) -> Location:
    return Location(path, paragraph=n, text=f"paragraph {n}")


def _check_headings(document: etree._Element, styles: StyleSheet, path: str, part: str) -> list[Diagnostic]:
    findings: list[Diagnostic] = []
    previous: int | None = None
    body = document.find(_w("body"))
    if body is None:
        return [emit("A008", "the document has no body", location=Location(path, text=part))]
    n = 0
    for p in body.iter(_w("p")):
        n += 1
        level = styles.paragraph_level(p)
        if level is None:
            continue
        label = "Title" if level == 0 else f"Heading {level}"
        text = _short(_text(p))
        if level == 0:
            previous = 0
            continue
        if previous is None:
            if level != 1:
                findings.append(emit("A001", f"the first heading '{text}' is {label}; the first heading must be "
                                             "Heading 1 (or the Title)", location=_paragraph_at(path, n)))
        elif level > previous + 1:
            was = "the Title" if previous == 0 else f"Heading {previous}"
            findings.append(emit("A001", f"'{text}' is {label} after {was}: a heading level is skipped",
                                 location=_paragraph_at(path, n)))
        previous = level
    return findings


def _check_tables(document: etree._Element, path: str) -> list[Diagnostic]:
    findings: list[Diagnostic] = []
    for t_index, tbl in enumerate(document.iter(_w("tbl")), start=1):
        first = tbl.find(_w("tr"))
        where = Location(path, table=t_index, text=f"table {t_index}")
        if first is None:
            findings.append(emit("A002", "the table has no rows, so no header row", location=where))
            continue
        header = first.find(f"{_w('trPr')}/{_w('tblHeader')}")
        marked = header is not None and header.get(_w("val"), "true") not in ("0", "false", "off")
        if not marked:
            findings.append(emit("A002", "the first row is not marked as a header row that repeats on each page "
                                         "(Table Properties > Row > Repeat as header row)", location=where))
        for c_index, tc in enumerate(first.findall(_w("tc")), start=1):
            cell = Location(path, table=t_index, row=1, text=f"table {t_index}, header cell {c_index}")
            tcpr = tc.find(_w("tcPr"))
            if tcpr is not None:
                span = tcpr.find(_w("gridSpan"))
                if (span is not None and span.get(_w("val"), "1") not in ("1", "")) \
                        or tcpr.find(_w("vMerge")) is not None or tcpr.find(_w("hMerge")) is not None:
                    findings.append(emit("A003", "the header cell is merged; header cells must not be merged",
                                         location=cell))
            if not _text(tc):
                findings.append(emit("A004", "the header cell is empty; every column needs a header",
                                     location=cell))
    return findings


_STORIES = {"document": "", "hdr": "page header", "ftr": "page footer", "footnotes": "footnotes",
            "endnotes": "endnotes"}


def _image_location(story: etree._Element, element: etree._Element, numbers: dict, path: str) -> Location:
    """Where an image is: the paragraph holding it (numbered as the heading check numbers them, within
    its story), after the story's name when it is not the body (page header, page footer, notes)."""
    story_name = _STORIES.get(etree.QName(story).localname, "")
    n = next((numbers[p] for p in element.iterancestors(_w("p")) if p in numbers), None)
    parts = [story_name] if story_name else []
    if n is not None:
        parts.append(f"paragraph {n}")
    return Location(path, paragraph=n if not story_name else None, text=", ".join(parts))


def _check_images(story: etree._Element, path: str) -> list[Diagnostic]:
    findings: list[Diagnostic] = []
    numbers = {p: n for n, p in enumerate(story.iter(_w("p")), start=1)}
    for i, doc_pr in enumerate(story.iter(f"{{{WP}}}docPr"), start=1):
        if not (doc_pr.get("descr") or "").strip():
            name = doc_pr.get("name") or f"drawing {i}"
            findings.append(emit("A005", f"image '{name}' has no alt text (Format Picture > Alt Text)",
                                 location=_image_location(story, doc_pr, numbers, path)))
    for shape in story.iter(f"{{{V}}}shape"):
        if shape.find(f"{{{V}}}imagedata") is not None and not (shape.get("alt") or "").strip():
            findings.append(emit("A005", f"image '{shape.get('id') or 'VML picture'}' has no alt text",
                                 location=_image_location(story, shape, numbers, path)))
    return findings
