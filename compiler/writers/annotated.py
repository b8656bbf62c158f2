"""annotated/<submission>: each partner's own file with the diagnostics attached where they arose.

For every readable .docx and .xlsx submission with diagnostics located in it,
a copy of the original bytes (read, never written) with

- Word: a comment by "sdp" on the paragraph a diagnostic names, or, in a table
  row, on the cell under the column it names (the header cell that reads the
  location's column; else the row's first cell); one with no precise place
  ("file", "document properties", "page header") goes on the document's first
  paragraph. Paragraphs are found with `anchor_elements`, which numbers the body
  exactly as the reader does.
- Excel: a cell note on the named cell, or on a named row's cell under the
  header that reads its column (else column A), on the named sheet (else the
  first sheet); several diagnostics on one cell share a note.

The comment reads as a colleague's note (diagnostics_render.comment): what is
wrong, how to fix it, the code —
`Unknown indicator 'X3.7'. Did you mean 'X3.1'? To fix it: … (R002, error)` —
with the location's words first only when it could not sit on the problem itself.

An annotated copy is a courtesy: a file python-docx or openpyxl cannot open or
save (Strict Open XML, damaged) is skipped quietly and never fails the compile.
Bytes are deterministic: comment dates are left out, the package is rewritten
with fixed zip entry dates, and the original's document properties are kept.
"""

from __future__ import annotations

import contextlib
import io
import signal
import threading
import re
import warnings
from collections import defaultdict

from .. import diagnostics_render as render
from ..diagnostics import Diagnostic
from ..compilation import Compilation
from . import register
from .work import once
from ..ooxml.package import PackageError, check_limits, open_package
from ..ruleset import Limits
from .deterministic import deterministic_zip_bytes

AUTHOR = "sdp"
CORE_PART = "docProps/core.xml"
NOTE_WIDTH = 360      # points
NOTE_MIN_HEIGHT = 90


def located_diagnostics(comp: Compilation) -> dict[str, list[Diagnostic]]:
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in sorted(comp.plan.diagnostics, key=lambda d: d.sort_key()):
        if d.location is not None and d.location.path:
            by_path[d.location.path].append(d)
    return by_path


# --------------------------------------------------------------------------- Word

def anchor_key(text: str) -> str:
    """The anchor label a location text names: `table 2, row 4 (Measure)` -> `table 2, row 4`."""
    return re.sub(r"\s+\(.*\)\s*$", "", text or "").strip()


def _first_paragraph(el):
    from docx.oxml.ns import qn

    if el.tag == qn("w:p"):
        return _outside_text_boxes(el)
    first = next(el.iter(qn("w:p")), None)
    return _outside_text_boxes(first) if first is not None else None


def _outside_text_boxes(p_el):
    """A paragraph inside a text box -> the body paragraph the box is anchored in.

    A comment range inside a text box sits in only one of its two copies (DrawingML Choice and
    VML Fallback) and Word may refuse it; the comment text names the paragraph anyway.
    """
    from docx.oxml.ns import qn

    outermost = None
    for ancestor in p_el.iterancestors():
        if ancestor.tag == qn("w:txbxContent"):
            outermost = ancestor
    if outermost is None:
        return p_el
    return next((a for a in outermost.iterancestors() if a.tag == qn("w:p")), p_el)


WHOLE_FILE = {"", "file", "document properties", "page header", "core properties", "file name"}


def _place(loc, precise: bool) -> str | None:
    """The location's words for a comment that could not sit on the problem itself, else None."""
    return None if precise or (loc.text or "").strip().casefold() in WHOLE_FILE else loc.text


def _cell_text(el) -> str:
    from docx.oxml.ns import qn

    return " ".join("".join(t.text or "" for t in el.iter(qn("w:t"))).split()).casefold()


def _row_cells(tr) -> list[tuple[int, int, object]]:
    """(first grid column, span, w:tc) for each cell of a row, content controls included."""
    from docx.oxml.ns import qn

    before = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
    col = int(before.get(qn("w:val"), "0")) if before is not None else 0
    out = []
    for tc in tr.iter(qn("w:tc")):
        if next((a for a in tc.iterancestors(qn("w:tr"))), None) is not tr:
            continue          # a cell of a table nested in this row
        span_el = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
        span = int(span_el.get(qn("w:val"), "1")) if span_el is not None else 1
        out.append((col, span, tc))
        col += span
    return out


def cell_for_column(tr, column: str | None):
    """The cell of row `tr` under the header cell reading `column` (a row above it in the same
    table), or None: a diagnostic about one field sits on that field's cell."""
    from docx.oxml.ns import qn

    wanted = " ".join((column or "").split()).casefold()
    table = next(tr.iterancestors(qn("w:tbl")), None)
    if not wanted or table is None:
        return None
    for row in table.iter(qn("w:tr")):
        if row is tr:
            break
        if next(row.iterancestors(qn("w:tbl")), None) is not table:
            continue
        for col, _span, tc in _row_cells(row):
            if _cell_text(tc) == wanted:
                return next((c for start, span, c in _row_cells(tr) if start <= col < start + span), None)
    return None


def word_anchor(anchors: dict, loc, fallback):
    """(paragraph element, precise): the paragraph a diagnostic's location names; in a table row, the
    first paragraph of the cell under its column (else of the row's first cell); else `fallback`."""
    from docx.oxml.ns import qn

    el = anchors.get(anchor_key(loc.text))
    if el is None:
        return fallback, False
    if el.tag == qn("w:tr"):
        cell = cell_for_column(el, loc.column)
        if cell is not None:
            p_el = _first_paragraph(cell)
            if p_el is not None:
                return p_el, True
        p_el = _first_paragraph(el)
        return (p_el, not loc.column) if p_el is not None else (fallback, False)
    p_el = _first_paragraph(el)
    return (p_el, True) if p_el is not None else (fallback, False)


def annotate_docx(data: bytes, diagnostics: list[Diagnostic]) -> bytes:
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    from ..ooxml.wordml import anchor_elements
    from .docx.base import package_bytes as docx_package_bytes

    doc = docx.Document(io.BytesIO(data))
    styles_root = doc.styles.element
    try:
        numbering_root = doc.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        numbering_root = None
    anchors = anchor_elements(doc.element, styles_root, numbering_root)
    body = doc.element.find(qn("w:body"))
    fallback = next(body.iter(qn("w:p")), None) if body is not None else None
    if fallback is not None:
        fallback = _outside_text_boxes(fallback)
    if fallback is None and body is not None:
        # A document with no paragraph at all: give the comments somewhere to live.
        fallback = doc.add_paragraph()._p
    for d in diagnostics:
        p_el, precise = word_anchor(anchors, d.location, fallback)
        if p_el is None:
            continue
        paragraph = Paragraph(p_el, doc._body)
        runs = paragraph.runs or [paragraph.add_run()]
        comment = doc.add_comment(runs, text=render.comment(d, _place(d.location, precise)), author=AUTHOR,
                                  initials=AUTHOR)
        comment._comment_elm.date = None      # python-docx stamps "now": leave the date out
    # The parts as python-docx saves them, stored uncompressed: `package_bytes` below compresses them once.
    return docx_package_bytes(doc, compress=False)


# --------------------------------------------------------------------------- Excel

def xlsx_anchor(wb, loc) -> tuple[str, str, bool]:
    """(sheet title, cell, precise): the named cell; in a named row, the cell under the header that
    reads the location's column (else column A); else A1 of the named sheet (else the first)."""
    from openpyxl.utils import get_column_letter

    ws = wb[loc.sheet] if loc.sheet in wb.sheetnames else wb.worksheets[0]
    if loc.sheet != ws.title:
        return ws.title, "A1", False
    if loc.cell:
        return ws.title, loc.cell, True
    if loc.row:
        wanted = " ".join((loc.column or "").split()).casefold()
        if wanted:
            for row in ws.iter_rows(min_row=1, max_row=max(1, loc.row - 1)):
                for cell in row:
                    if isinstance(cell.value, str) and " ".join(cell.value.split()).casefold() == wanted:
                        return ws.title, f"{get_column_letter(cell.column)}{loc.row}", True
        return ws.title, f"A{loc.row}", not wanted
    return ws.title, "A1", False


def annotate_xlsx(data: bytes, diagnostics: list[Diagnostic]) -> bytes:
    import openpyxl
    from openpyxl.comments import Comment

    with contextlib.redirect_stdout(io.StringIO()):
        wb = openpyxl.load_workbook(io.BytesIO(data), rich_text=True)
    notes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for d in diagnostics:
        title, coord, precise = xlsx_anchor(wb, d.location)
        notes[(title, coord)].append(render.comment(d, _place(d.location, precise)))
    for (title, coord), texts in notes.items():
        ws = wb[title]
        cell = ws[coord]
        for merged in ws.merged_cells.ranges:
            if coord in merged:      # a note can only sit on a merged range's top-left cell
                cell = ws.cell(merged.min_row, merged.min_col)
                break
        text = "\n\n".join(texts)
        if cell.comment is not None and cell.comment.text:
            text = cell.comment.text.rstrip() + "\n\n" + text
        lines = sum(max(1, len(t) // 60 + 1) for t in text.split("\n"))
        cell.comment = Comment(text, AUTHOR, width=NOTE_WIDTH, height=max(NOTE_MIN_HEIGHT, 15 * lines + 10))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- bytes

def package_bytes(saved: bytes, original: bytes, limits: Limits | None = None) -> bytes:
    """The saved package, rewritten deterministically, with the original's document properties
    (the partner's own created/modified dates are right for a copy of its file)."""
    try:
        src = open_package(original, limits or Limits())
        core = src.read(CORE_PART) if src.has(CORE_PART) else None
    except PackageError:
        core = None
    return deterministic_zip_bytes(saved, replace={CORE_PART: core} if core is not None else None)


ANNOTATORS = {".docx": annotate_docx, ".xlsx": annotate_xlsx}


def annotated_copy(original: bytes, path: str, diagnostics: list[Diagnostic], limits=None) -> bytes | None:
    """The annotated copy's bytes, or None when the file cannot be annotated.

    The copy is made with python-docx or openpyxl, which have no limits of their own, so the
    file must first pass the same limits as the readers (`limits`, from the rules)."""
    suffix = "." + path.rsplit(".", 1)[-1].casefold() if "." in path else ""
    annotate = ANNOTATORS.get(suffix)
    if annotate is None or not diagnostics:
        return None
    if limits is not None:
        try:
            check_limits(original, limits, path)
        except PackageError:
            return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            saved = annotate(original, diagnostics)
        return package_bytes(saved, original, limits)
    except _OutOfTime:
        raise
    except Exception:  # noqa: BLE001 - a courtesy copy never fails the compile
        return None


def _located(comp: Compilation) -> dict[str, list[Diagnostic]]:
    return once(comp, "annotated.located", located_diagnostics)


def annotated_parts(comp: Compilation, ctx) -> list[str]:  # noqa: ARG001 - the writer's signature
    """The submissions that get an annotated copy: one work item each."""
    by_path = _located(comp)
    return [sub.path for sub in comp.plan.submissions if sub.readable and by_path.get(sub.path)]


def write_annotated_one(comp: Compilation, ctx, path: str) -> dict[str, bytes]:
    """One submission's annotated copy (nothing when it cannot be made in its time budget)."""
    diagnostics = _located(comp).get(path)
    if not diagnostics:
        return {}
    try:
        original = ctx.input_bytes(path)
    except OSError:
        return {}
    data = None  # stays None when the time budget stops the copy part-way
    with _time_budget(comp.rules.limits.max_seconds_per_file) as budget:
        data = annotated_copy(original, path, diagnostics, comp.rules.limits)
    if data is None or budget.expired:
        return {}
    return {f"annotated/{path}": data}


def annotated_fingerprint(comp: Compilation, ctx, path: str | None) -> str:  # noqa: ARG001 - the signature
    """What one annotated copy is made from: the submission's bytes, its located diagnostics and the
    limits it is opened under (an incremental compile keeps a copy while these are unchanged)."""
    from ..cache import digest_of

    if path is None:
        return digest_of("annotated", [s.sha256 for s in comp.plan.submissions],
                         {p: [d.to_json() for d in ds] for p, ds in _located(comp).items()})
    sha = once(comp, "annotated.sha256", lambda c: {s.path: s.sha256 for s in c.plan.submissions}).get(path, "")
    return digest_of("annotated", path, sha, [d.to_json() for d in _located(comp).get(path, [])],
                     comp.rules.limits.__dict__)


@register("annotated", "annotated/<submission>: each submission with its diagnostics as Word comments or Excel notes",
          parts=(annotated_parts, write_annotated_one), fingerprint=annotated_fingerprint)
def write_annotated(comp: Compilation, ctx) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for path in annotated_parts(comp, ctx):
        out.update(write_annotated_one(comp, ctx, path))
    return out


class _Budget:
    expired = False


class _OutOfTime(Exception):
    pass


@contextlib.contextmanager
def _time_budget(seconds: float):
    """Stop one file's annotation after `seconds` (the readers' per-file budget): a copy that takes
    longer is not made. Enforced with SIGALRM where this runs in a main thread, as writers do."""
    budget = _Budget()
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield budget
        return

    def expire(signum, frame):  # noqa: ARG001 - signal handler signature
        budget.expired = True
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield budget
    except _OutOfTime:
        budget.expired = True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
