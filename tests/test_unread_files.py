"""Files the compiler cannot read are never invisible (issue 9, point 4).

An OpenDocument file, or any other zip that is not Office Open XML, is I002 "not read", named for
what it is, whatever it is called; a web page saved as .docx is named as a web page; and an
expected partner whose only file was not read is told apart from one that sent nothing (C008,
a warning, so it shows without -v).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile

import pytest

from tests.conftest import run_sdp
from tests.test_checks import (
    _expected, _ole_bytes, clean_files, contribution, make_rules, none_of, one, run, sev, write_inputs,
)

ODF_TEXT = "application/vnd.oasis.opendocument.text"
ODF_SHEET = "application/vnd.oasis.opendocument.spreadsheet"
ODF_SLIDES = "application/vnd.oasis.opendocument.presentation"


def odf(media_type: str) -> bytes:
    """A minimal OpenDocument package as LibreOffice lays one out: `mimetype` first and stored,
    then the manifest and the content."""
    body = {"text": "<office:text><text:p>Organisation: Kent and Medway Economic Partnership</text:p></office:text>",
            "spreadsheet": "<office:spreadsheet/>", "presentation": "<office:presentation/>"}[media_type.rsplit(".", 1)[1]]
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", media_type, compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                   f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{media_type}"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                   '</manifest:manifest>', compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
                                  f'office:version="1.2"><office:body>{body}</office:body></office:document-content>',
                   compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def archive(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("name, data, says", [
    ("return.odt", odf(ODF_TEXT), "an OpenDocument text file"),
    ("return.docx", odf(ODF_TEXT), "an OpenDocument text file (.odt, from LibreOffice or OpenOffice Writer), "
                                   "saved with a .docx name: save it as .docx"),
    ("tracker.ods", odf(ODF_SHEET), "an OpenDocument spreadsheet"),
    ("tracker.xlsx", odf(ODF_SHEET), "an OpenDocument spreadsheet (.ods, from LibreOffice or OpenOffice Calc), "
                                     "saved with a .xlsx name: save it as .xlsx"),
    ("slides.odp", odf(ODF_SLIDES), "an OpenDocument presentation"),
    ("returns.zip", archive({"returns/swale.docx": contribution(), "notes.txt": b"x"}),
     "a zip archive holding swale.docx: unzip it into the inputs folder"),
    ("photos.docx", archive({"a.jpg": b"\xff\xd8", "b.jpg": b"\xff\xd8"}), "a zip archive of 2 files, saved with a .docx name"),
], ids=["odt", "odt-named-docx", "ods", "ods-named-xlsx", "odp", "zip-of-returns", "zip-named-docx"])
def test_zip_that_is_not_office_open_xml_is_not_read_and_named(tmp_path, name, data, says):
    res = run(tmp_path, {**clean_files(), name: data})
    d = one(res, "I002")
    sev(d, "info")
    assert d["subject"] == f"submission:{name}"
    assert d["location"]["path"] == name
    assert says in d["message"], d["message"]
    assert "not an Office document" not in d["message"]
    none_of(res, "I001")


@pytest.mark.parametrize("data, says", [
    (b"<!DOCTYPE html>\n<html><head><title>KMEP return</title></head><body><p>Actions</p></body></html>",
     "web page (HTML)"),
    (b"\xef\xbb\xbf<html xmlns:o='urn:schemas-microsoft-com:office:office' "
     b"xmlns:w='urn:schemas-microsoft-com:office:word'><body>Actions</body></html>", "web page (HTML)"),
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----=_NextPart\"\r\n\r\n", "web page (MHT)"),
    (b'<?xml version="1.0"?>\n<?mso-application progid="Word.Document"?>\n<w:wordDocument '
     b'xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"/>', "Word 2003 XML document"),
], ids=["html", "word-html-with-bom", "mht", "word-2003-xml"])
def test_web_page_or_xml_saved_as_docx_is_named_for_what_it_is(tmp_path, data, says):
    res = run(tmp_path, {**clean_files(), "kmep.docx": data})
    d = one(res, "I001")
    assert says in d["message"], d["message"]
    assert "plain XML file" not in d["message"]


# --------------------------------------------------------------------------- C008


def _kmep_expected(tmp_path):
    return make_rules(tmp_path, partners=_expected('aliases = ["KMEP"]'))


@pytest.mark.parametrize("name, data, says", [
    ("kmep.doc", _ole_bytes(), "sent kmep.doc, which was not read: a legacy Word 97-2003 document (.doc)"),
    ("KMEP/return-2024.odt", odf(ODF_TEXT), "sent KMEP/return-2024.odt, which was not read: an OpenDocument text file"),
    ("Kent and Medway Economic Partnership.docx", contribution()[:900],
     "sent Kent and Medway Economic Partnership.docx, which was not read: the file is damaged or was cut short"),
], ids=["doc", "odt-in-partner-folder", "broken-docx"])
def test_c008_names_the_file_an_expected_partner_sent_and_why_it_was_not_read(tmp_path, name, data, says):
    rules = _kmep_expected(tmp_path)
    files = clean_files()
    inputs = write_inputs(tmp_path, files)
    (inputs / name).parent.mkdir(parents=True, exist_ok=True)
    (inputs / name).write_bytes(data)
    proc = run_sdp("check", str(inputs), "--rules", str(rules), "--format", "json", "--as-of", "2025-01-01")
    import json

    diagnostics = json.loads(proc.stdout)
    [d] = [d for d in diagnostics if d["code"] == "C008"]
    assert d["severity"] == "warning"
    assert d["subject"] == "partner:kmep"
    assert says in d["message"], d["message"]
    assert "has sent no submission" not in d["message"]
    assert d["location"]["path"] == name
    # Shown without -v: the text listing prints warnings by default.
    text = run_sdp("check", str(inputs), "--rules", str(rules), "--as-of", "2025-01-01")
    assert "C008" in text.stdout + text.stderr
    assert "which was not read" in text.stdout + text.stderr


def test_c008_still_says_no_submission_when_the_unread_file_is_someone_elses(tmp_path):
    rules = _kmep_expected(tmp_path)
    res = run(tmp_path, {**clean_files(), "east-kent-hcp.doc": _ole_bytes(), "~$kmep.docx": b"\x0bJo" + b"\0" * 150},
              rules=rules)
    d = one(res, "C008")
    assert "has sent no submission" in d["message"], d["message"]


def test_c008_silent_when_the_partner_also_sent_a_file_that_was_read(tmp_path):
    rules = make_rules(tmp_path, partners=_expected('aliases = ["KCC"]'))
    res = run(tmp_path, {**clean_files(), "kcc-old.doc": _ole_bytes()}, rules=rules)
    none_of(res, "C008")
    one(res, "I002")


@pytest.mark.libreoffice
def test_a_return_libreoffice_saved_as_odt_is_named(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) must be installed in CI")
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / "src" / "kmep.docx"
    source.parent.mkdir()
    source.write_bytes(contribution(partner="Kent and Medway Economic Partnership"))
    proc = subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--norestore",
                           "--convert-to", "odt", "--outdir", str(tmp_path / "odt"), str(source)],
                          capture_output=True, text=True, timeout=300)
    odt = tmp_path / "odt" / "kmep.odt"
    assert odt.is_file(), proc.stdout + proc.stderr
    res = run(tmp_path, {**clean_files(), "kmep.odt": odt.read_bytes(), "kmep-renamed.docx": odt.read_bytes()},
              rules=_kmep_expected(tmp_path))
    messages = sorted(d["message"] for d in res.of("I002"))
    assert messages == [
        "not read: an OpenDocument text file (.odt, from LibreOffice or OpenOffice Writer), saved with a .docx name: "
        "save it as .docx to include it",
        "not read: an OpenDocument text file (.odt, from LibreOffice or OpenOffice Writer): save it as .docx to include it",
    ]
    none_of(res, "I001")
    d = one(res, "C008")
    assert "sent 2 files, none of which was read" in d["message"], d["message"]
