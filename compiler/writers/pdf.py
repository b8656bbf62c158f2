"""Tagged PDF editions of the generated Word documents (`sdp compile --pdf`), made by LibreOffice.

Each generated .docx (not the annotated copies of submissions, which are the
partners' own files) is converted by one headless LibreOffice run with PDF/UA
export: a tagged structure tree, the document title shown in the window (from
the Word document's core properties) and its language. The PDFs are bytes like
every other artefact and go into the output folder in the same transaction.

LibreOffice stamps a creation date, an XMP date and a file ID on each export;
these are rewritten in place (same length, so the cross-reference offsets stay
valid) to the document's own date and a digest of the Word document. What
cannot be made stable is the order LibreOffice writes embedded font subsets
in, which varies between runs: PDFs are the one artefact that is not
byte-identical across compiles (the manifest still records what was written).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

INSTALL_HINT = ("install LibreOffice to get them (Debian/Ubuntu: apt-get install libreoffice-writer-nogui; "
                "elsewhere: https://www.libreoffice.org/download)")
MISSING = "LibreOffice is not installed, so no PDFs were written; " + INSTALL_HINT
TIMEOUT = 600  # seconds for one LibreOffice run converting every document

# PDF/UA: a tagged PDF whose window shows the document title; JSON filter options (LibreOffice 7.4 and later).
EXPORT_FILTER = "pdf:writer_pdf_Export:" + json.dumps({
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "PDFUACompliance": {"type": "boolean", "value": "true"},
    "ExportBookmarks": {"type": "boolean", "value": "true"},
    "DisplayPDFDocumentTitle": {"type": "boolean", "value": "true"},
}, separators=(",", ":"))


def libreoffice() -> str | None:
    """The LibreOffice program on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def documents_to_convert(artefacts: dict[str, bytes]) -> list[str]:
    """The generated Word documents among the artefacts, annotated submissions left out."""
    return sorted(n for n in artefacts if n.endswith(".docx") and not n.startswith("annotated/"))


def pdf_name(docx_name: str) -> str:
    return docx_name[: -len(".docx")] + ".pdf"


@dataclass
class PdfResult:
    pdfs: dict[str, bytes] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def pdf_editions(artefacts: dict[str, bytes], created: date | None, program: str | None = None) -> PdfResult:
    """A tagged PDF of every generated Word document, keyed by its path beside the .docx."""
    result = PdfResult()
    names = documents_to_convert(artefacts)
    program = program or libreoffice()
    if not names:
        return result
    if program is None:
        result.problems.append(MISSING)
        return result
    with tempfile.TemporaryDirectory(prefix="sdp-pdf-") as tmp:
        work = Path(tmp)
        sources = []
        for n, name in enumerate(names):
            # one flat folder, names kept unique and free of anything the command line could misread
            src = work / "in" / f"{n:04d}.docx"
            src.parent.mkdir(exist_ok=True)
            src.write_bytes(artefacts[name])
            sources.append(src)
        out = work / "out"
        cmd = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", EXPORT_FILTER, "--outdir", str(out), *map(str, sources)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
            detail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] if proc.returncode else []
        except (OSError, subprocess.TimeoutExpired) as exc:
            result.problems.append(f"LibreOffice could not convert the documents to PDF ({exc})")
            return result
        for name, src in zip(names, sources):
            pdf = out / (src.stem + ".pdf")
            if not pdf.is_file():
                why = f": {detail[0]}" if detail else ""
                result.problems.append(f"LibreOffice wrote no PDF of {name}{why}")
                continue
            result.pdfs[pdf_name(name)] = stabilise(pdf.read_bytes(), created, artefacts[name])
    return result


_INFO_DATE = re.compile(rb"/(CreationDate|ModDate)\(D:(\d{14})([^)]*)\)")
_XMP_DATE = re.compile(rb"<(xmp:CreateDate|xmp:ModifyDate|xmp:MetadataDate)>(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)")
_FILE_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")


def stabilise(pdf: bytes, created: date | None, source: bytes) -> bytes:
    """The export's clock dates set to the document's date and its file ID to a digest of the Word
    document, each rewritten with the same number of bytes so no offset in the file moves."""
    day = created or date(2000, 1, 1)
    stamp = day.strftime("%Y%m%d").encode() + b"000000"
    iso = day.isoformat().encode() + b"T00:00:00"
    digest = hashlib.sha256(source).hexdigest().upper().encode()

    def info(m: re.Match) -> bytes:
        return b"/" + m.group(1) + b"(D:" + stamp + m.group(3) + b")"

    def file_id(m: re.Match) -> bytes:
        a, b = m.group(1), m.group(2)
        return m.group(0).replace(a, digest[: len(a)]).replace(b, digest[: len(b)])

    pdf = _INFO_DATE.sub(info, pdf)
    pdf = _XMP_DATE.sub(lambda m: b"<" + m.group(1) + b">" + iso, pdf)
    return _FILE_ID.sub(file_id, pdf)

