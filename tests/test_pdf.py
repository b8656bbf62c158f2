"""`sdp compile --pdf`: a tagged PDF beside every generated Word document, made by LibreOffice.

With LibreOffice (in CI it must be there): each PDF has a structure tree (/StructTreeRoot), is marked
(/MarkInfo /Marked true), names its language (/Lang) and its title (/Title, the Word document's title,
shown in the window), is PDF/UA-flagged, and is listed in the manifest. LibreOffice writes embedded font
subsets in an order that varies between runs, so PDFs are not byte-identical across compiles and are
left out of the byte-identical checks; the clock dates and file ID it stamps are rewritten to the
document's own date and a digest of the Word document, so those do not vary. Without LibreOffice the
compile still writes everything else and says in one line how to get it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil

import docx
import pytest

from tests.conftest import REPO, run_sdp

pypdf = pytest.importorskip("pypdf")


def have_libreoffice() -> bool:
    return bool(shutil.which("soffice") or shutil.which("libreoffice"))


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    if not have_libreoffice():
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is not installed; CI must have it (.ci/run installs it)")
        pytest.skip("LibreOffice not installed (set CI to require it)")
    out = tmp_path_factory.mktemp("pdf") / "out"
    proc = run_sdp("compile", str(REPO / "inputs"), "-o", str(out), "--pdf", "--exit-zero")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return out


@pytest.mark.libreoffice
def test_a_tagged_pdf_of_every_generated_word_document(compiled):
    out = compiled
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    documents = sorted(p for p in out.rglob("*.docx") if "annotated" not in p.relative_to(out).parts)
    assert len(documents) > 3
    pdfs = sorted(p for p in out.rglob("*.pdf"))
    assert [p.with_suffix(".docx") for p in pdfs] == documents  # one each, none for annotated submissions
    manifest = {e["path"]: e["sha256"] for e in json.loads((out / "manifest.json").read_text())["outputs"]}
    start = plan["period"]["start"].replace("-", "")
    for pdf_path in pdfs:
        reader = pypdf.PdfReader(str(pdf_path))
        root = reader.trailer["/Root"]
        name = pdf_path.relative_to(out).as_posix()
        assert "/StructTreeRoot" in root, name
        assert root["/MarkInfo"]["/Marked"] == True, name  # noqa: E712 (a pypdf BooleanObject)
        assert root["/Lang"] == "en-GB", name  # rules/system.toml: language
        title = docx.Document(str(pdf_path.with_suffix(".docx"))).core_properties.title
        assert reader.metadata.title == title and title, name
        assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True, name  # noqa: E712
        xmp = root["/Metadata"].get_object().get_data()
        assert b"pdfuaid:part" in xmp, name  # flagged PDF/UA-1
        assert reader.metadata["/CreationDate"].startswith(f"D:{start}000000"), name
        assert start[:4].encode() + b"-" in xmp
        assert manifest[name] == hashlib.sha256(pdf_path.read_bytes()).hexdigest()
        assert len(reader.pages) >= 1
    plan_pdf = pypdf.PdfReader(str(out / "shared-delivery-plan.pdf"))
    text = "".join(page.extract_text() for page in plan_pdf.pages[:3])
    assert "Page 1 of" in text  # the footer's page numbers survive the conversion


@pytest.mark.libreoffice
def test_stamped_dates_and_ids_do_not_vary(compiled):
    """What LibreOffice stamps from the clock is rewritten in place (same length: the file stays valid)."""
    from compiler.writers.pdf import stabilise

    data = (compiled / "shared-delivery-plan.pdf").read_bytes()
    docx_bytes = (compiled / "shared-delivery-plan.docx").read_bytes()
    stamped = data.replace(b"/CreationDate(D:20240401000000", b"/CreationDate(D:20991231235959")
    again = stabilise(stamped, None, docx_bytes)
    assert len(again) == len(data) and b"/CreationDate(D:20000101000000" in again
    reader = pypdf.PdfReader(__import__("io").BytesIO(again))
    assert reader.metadata.title  # still parses: offsets untouched
    digest = hashlib.sha256(docx_bytes).hexdigest().upper()
    assert f"/ID [ <{digest[:32]}>".encode() in again.replace(b"\n", b" ")


def test_without_libreoffice_one_line_and_no_failure(tmp_path, monkeypatch):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    out = tmp_path / "out"
    proc = run_sdp("compile", str(REPO / "inputs"), "-o", str(out), "--pdf", "--exit-zero",
                   "--only", "plan")
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if "LibreOffice" in line]
    assert len(lines) == 1
    assert "not installed" in lines[0] and "apt-get install libreoffice-writer-nogui" in lines[0]
    assert (out / "shared-delivery-plan.docx").is_file()
    assert not list(out.rglob("*.pdf"))


@pytest.mark.libreoffice
def test_an_incremental_compile_keeps_the_pdf_of_a_word_document_that_did_not_change(tmp_path):
    if not have_libreoffice():
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is not installed; CI must have it (.ci/run installs it)")
        pytest.skip("LibreOffice not installed (set CI to require it)")
    out = tmp_path / "out"

    def compile_only(names: str):
        proc = run_sdp("compile", str(REPO / "inputs"), "-o", str(out), "--pdf", "--exit-zero", "--as-of",
                       "2025-06-01", "--only", names)
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
        return json.loads((out / "manifest.json").read_text(encoding="utf-8"))

    compile_only("logframe-docx")
    kept = (out / "logframe-matrix.pdf").stat().st_ino
    manifest = compile_only("logframe-docx,progress-report")  # another selection: the build is not up to date
    assert (out / "logframe-matrix.pdf").stat().st_ino == kept  # same Word bytes: its PDF carried over
    assert (out / "progress-report.pdf").exists()
    listed = {e["path"]: e["sha256"] for e in manifest["outputs"]}
    for name in ("logframe-matrix.pdf", "progress-report.pdf"):
        assert listed[name] == hashlib.sha256((out / name).read_bytes()).hexdigest()
