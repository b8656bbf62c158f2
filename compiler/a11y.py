"""Accessibility check of a Word document against the rules for published documents.

`lint_docx(data)` returns one plain-language finding per broken rule (an empty
list when the document passes):

- headings in order with no skipped level: the first heading is Heading 1 or
  the Title, and a Heading n follows at most a Heading n-1 (Title counts as 0);
- every table's first row is marked as a header row (`w:tblHeader`), so it is
  announced and repeated on each page;
- no header cell is empty or merged (`w:gridSpan` > 1, `w:vMerge`, `w:hMerge`);
- every image or drawing has alt text (`wp:docPr/@descr`, or `v:shape/@alt`);
- the core properties give a title, and a document language is set (w:lang in
  the styles' defaults or the default paragraph style).

The package is opened through the shared OOXML layer (`compiler.ooxml`) under
the readers' limits, without resolving entities or fetching anything, and
heading levels come from its one style resolver. A file that is not a
readable .docx raises ValueError.
"""

from __future__ import annotations

from lxml import etree

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


def lint_docx(data: bytes, limits: Limits | None = None) -> list[str]:
    """Findings, one per broken rule occurrence; [] when the document passes. ValueError if unreadable."""
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

    findings: list[str] = []
    findings += _check_headings(document, styles)
    findings += _check_tables(document)
    for story in stories:
        findings += _check_images(story)
    title = core.find(f"{{{DC}}}title") if core is not None else None
    if title is None or not (title.text or "").strip():
        findings.append("document title: the core properties give no title (File > Info > Properties > Title)")
    if not styles.language:
        findings.append("document language: no language is set in the default styles (w:lang in docDefaults "
                        "or the Normal style)")
    return findings


def _check_headings(document: etree._Element, styles: StyleSheet) -> list[str]:
    findings = []
    previous: int | None = None
    body = document.find(_w("body"))
    if body is None:
        return ["document body: the document has no body"]
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
                findings.append(f"heading order: the first heading '{text}' (paragraph {n}) is {label}; "
                                "the first heading must be Heading 1 (or the Title)")
        elif level > previous + 1:
            was = "the Title" if previous == 0 else f"Heading {previous}"
            findings.append(f"heading order: '{text}' (paragraph {n}) is {label} after {was}: "
                            f"a heading level is skipped")
        previous = level
    return findings


def _check_tables(document: etree._Element) -> list[str]:
    findings = []
    for t_index, tbl in enumerate(document.iter(_w("tbl")), start=1):
        first = tbl.find(_w("tr"))
        where = f"table {t_index}"
        if first is None:
            findings.append(f"{where}: the table has no rows")
            continue
        header = first.find(f"{_w('trPr')}/{_w('tblHeader')}")
        marked = header is not None and header.get(_w("val"), "true") not in ("0", "false", "off")
        if not marked:
            findings.append(f"{where}: the first row is not marked as a header row that repeats on each page "
                            "(Table Properties > Row > Repeat as header row)")
        for c_index, tc in enumerate(first.findall(_w("tc")), start=1):
            tcpr = tc.find(_w("tcPr"))
            if tcpr is not None:
                span = tcpr.find(_w("gridSpan"))
                if (span is not None and span.get(_w("val"), "1") not in ("1", "")) \
                        or tcpr.find(_w("vMerge")) is not None or tcpr.find(_w("hMerge")) is not None:
                    findings.append(f"{where}: header cell {c_index} is merged; header cells must not be merged")
            if not _text(tc):
                findings.append(f"{where}: header cell {c_index} is empty; every column needs a header")
    return findings


def _check_images(story: etree._Element) -> list[str]:
    findings = []
    for i, doc_pr in enumerate(story.iter(f"{{{WP}}}docPr"), start=1):
        if not (doc_pr.get("descr") or "").strip():
            name = doc_pr.get("name") or f"drawing {i}"
            findings.append(f"image '{name}': no alt text (Format Picture > Alt Text)")
    for shape in story.iter(f"{{{V}}}shape"):
        if shape.find(f"{{{V}}}imagedata") is not None and not (shape.get("alt") or "").strip():
            findings.append(f"image '{shape.get('id') or 'VML picture'}': no alt text")
    return findings
