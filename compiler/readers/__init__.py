"""Readers: one input file's bytes (+ rules) -> neutral records + diagnostics.

Readers are pure and never raise on bad input: whatever they could read is
returned, with diagnostics for the rest, so they can run in worker processes
and be cached by content hash.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import PurePosixPath

from ..codes import emit
from ..diagnostics import Location
from ..ooxml.package import ForeignZip, PackageError, main_content_kind, open_package, sniff
from ..records import SubmissionRecords, SubmitterHint
from ..vocabulary import Vocabulary

OOXML_EXTENSIONS = {".docx", ".docm", ".dotx", ".dotm", ".xlsx", ".xlsm", ".xltx", ".xltm"}
NOT_READ = {
    ".doc": "a legacy Word 97-2003 document (.doc): save it as .docx to include it",
    ".xls": "a legacy Excel 97-2003 workbook (.xls): save it as .xlsx to include it",
    ".xlsb": "an Excel binary workbook (.xlsb): save it as .xlsx to include it",
    ".pdf": "a PDF: ask the partner for the Word or Excel original",
    ".odt": "an OpenDocument text file: save it as .docx to include it",
    ".ods": "an OpenDocument spreadsheet: save it as .xlsx to include it",
    ".odp": "an OpenDocument presentation, which holds no submission the compiler reads",
    ".html": "a web page (HTML): open it in Word and save it as .docx to include it",
    ".htm": "a web page (HTML): open it in Word and save it as .docx to include it",
    ".mht": "a single-file web page (MHT): open it in Word and save it as .docx to include it",
    ".zip": "a zip archive: unzip it into the inputs folder to include the files it holds",
    ".csv": "a CSV file: the compiler reads Excel workbooks; save it as .xlsx to include it",
    ".pptx": "a PowerPoint presentation, which holds no submission the compiler reads",
    ".rtf": "an RTF document: save it as .docx to include it",
    ".txt": "a plain text file",
    ".md": "a text file",
}


def is_ooxml_candidate(rel_path: str) -> bool:
    return PurePosixPath(rel_path).suffix.lower() in OOXML_EXTENSIONS


def skip_reason(rel_path: str) -> str | None:
    """Why a file is listed but not read (lock and hidden files), or None."""
    name = PurePosixPath(rel_path).name
    if name.startswith("~$"):
        return "an Office lock file (left while the document was open), not a submission"
    if name.startswith(".") or any(part.startswith(".") for part in PurePosixPath(rel_path).parts[:-1]):
        return "a hidden file"
    return None


def not_read_reason(rel_path: str, data: bytes) -> str | None:
    """Why a file is not read, by what it is called, or None for a file to open as a package: a
    zip is always opened, whatever its name, so that an OpenDocument file or another zip is named
    for what it is (`ForeignZip`), and a damaged Word or Excel file is reported as damaged (I001)."""
    if sniff(data) == "zip" or is_ooxml_candidate(rel_path):
        return None
    suffix = PurePosixPath(rel_path).suffix.lower()
    return NOT_READ.get(suffix, f"a file of a kind the compiler does not read ({suffix or 'no extension'})")


def _foreign(rel_path: str, exc: ForeignZip) -> str:
    suffix = PurePosixPath(rel_path).suffix.lower()
    named = f", saved with a {suffix} name" if is_ooxml_candidate(rel_path) else ""
    return f"{exc.what}{named}: {exc.todo}" + (" to include it" if exc.todo.startswith("save") else "")


def preload() -> None:
    """Import the readers proper (lxml, openpyxl and the rest): done by the first file read, or before
    the reading workers fork so that each starts with them. Not at import: a command that reads
    nothing (an up-to-date compile, `sdp --help`) does not pay for them."""
    from . import contribution, sheets, word, workbook  # noqa: F401


def clear_caches() -> None:
    """Forget what reading remembers from one file to the next (parts parsed once per distinct
    content, header matchers built once per rules), so that a benchmark starts as cold as a compile."""
    from ..ooxml.package import clear_parsed
    from .contribution import _inline_fields
    from .headers import clear_header_matchers

    clear_parsed()
    clear_header_matchers()
    _inline_fields.cache_clear()


def read_submission(rel_path: str, data: bytes, vocab: Vocabulary) -> SubmissionRecords:
    """Read one input file. Never raises: problems become diagnostics on the records."""
    rec = SubmissionRecords(path=rel_path, sha256=hashlib.sha256(data).hexdigest())
    whole = Location(rel_path, text="file")
    reason = skip_reason(rel_path) or not_read_reason(rel_path, data)
    if reason is not None:
        return _not_read(rec, reason, whole)
    out_of_memory = False
    try:
        pkg = open_package(data, vocab.rules.limits, "Word or Excel")
        kind, main = main_content_kind(pkg)
        if kind == "word":
            rec.kinds.append("partner contribution")
            from .contribution import ContributionReader
            from .word import read_word

            reader = ContributionReader(vocab, rec)
            reader.read(read_word(pkg, main))
        elif kind == "excel":
            from .sheets import SheetReader
            from .workbook import read_workbook

            grids = read_workbook(pkg, main)
            reader_x = SheetReader(vocab, rec)
            for grid in grids:
                reader_x.read(grid)
            del grids
            if not rec.kinds:
                rec.kinds.append("workbook")
        elif kind == "powerpoint" and not is_ooxml_candidate(rel_path):
            return _not_read(rec, "a PowerPoint presentation, which holds no submission the compiler reads", whole)
        else:
            raise PackageError({"powerpoint": "the file is a PowerPoint presentation, not a Word or Excel submission"}
                               .get(kind, "the package is neither a Word document nor an Excel workbook"))
    except ForeignZip as exc:
        return _not_read(rec, _foreign(rel_path, exc), whole)
    except PackageError as exc:
        return _unreadable(rec, str(exc), whole)
    except RecursionError:
        return _unreadable(rec, "the file nests content too deeply to read safely", whole)
    except MemoryError:
        out_of_memory = True  # handled below, once the traceback (and the tree it holds) is released
    except Exception as exc:  # a reader bug must cost one file, never the compile
        return _unreadable(rec, f"the file could not be read ({type(exc).__name__}: {str(exc)[:160]}); "
                                "this may be a compiler fault: please report it with the file", whole)
    if out_of_memory:
        rec = SubmissionRecords(path=rel_path, sha256=rec.sha256)
        return _unreadable(rec, "the file is too large to read in the memory available", whole)
    rec.submitter_hints.append(SubmitterHint("file name", PurePosixPath(rel_path).stem, whole))
    rec.accounting.close("not part of any outcome section, table or list the compiler reads")
    _summarise_ignored(rec)
    if not (rec.sections or rec.actions or rec.indicators or rec.strategies or rec.updates) and "narrative" not in rec.kinds:
        rec.diagnostics.append(emit(
            "I004", "no outcome section, action, indicator or strategy was found in this file",
            subject=f"submission:{rel_path}", location=whole))
    return rec


def _not_read(rec: SubmissionRecords, reason: str, whole: Location) -> SubmissionRecords:
    fresh = SubmissionRecords(path=rec.path, sha256=rec.sha256, kinds=["not read"], readable=False)
    fresh.diagnostics.append(emit("I002", f"not read: {reason}", subject=f"submission:{rec.path}", location=whole))
    return fresh


def _unreadable(rec: SubmissionRecords, cause: str, whole: Location) -> SubmissionRecords:
    fresh = SubmissionRecords(path=rec.path, sha256=rec.sha256, kinds=["unreadable"], readable=False)
    fresh.diagnostics.append(emit("I001", f"cannot be read: {cause}", subject=f"submission:{rec.path}", location=whole))
    return fresh


def _summarise_ignored(rec: SubmissionRecords) -> None:
    """One I006 per reason, with the count and the first place, rather than one per unit."""
    ignored = rec.accounting.ignored()
    counts = Counter(reason for _, reason in ignored)
    first: dict[str, Location] = {}
    for loc, reason in ignored:
        first.setdefault(reason, loc)
    for reason, count in counts.items():
        noun = "unit" if count == 1 else "units"
        rec.diagnostics.append(emit("I006", f"{count} {noun} ignored: {reason}", subject=f"submission:{rec.path}",
                                    location=first[reason]))
