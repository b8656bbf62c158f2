"""Builders of hostile and broken Office files, and misbehaving readers for the isolation tests.

Every builder returns the bytes of one file, built deterministically from
the minimal packages in tests/fixtures/ooxml.py, with one part replaced or
added. Nothing here is a real-world file: see test_realdocs.py for those.
"""

from __future__ import annotations

import io
import os
import random
import signal
import time
import zipfile
import zlib

from compiler.records import SubmissionRecords
from compiler.readers import read_submission
from tests.fixtures.ooxml import R_NS, S_NS, W_NS, docx_bytes, heading, p, tbl, xlsx_bytes

SECRET = "SDP-SECRET-MARKER-7f3a9c21"
FIXED = (1980, 1, 1, 0, 0, 0)
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN_NS = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'

# A harmless body, so a file that is read shows that reading went on normally.
BODY = heading("Outcome 1: Best start in life") + p("We will open two family hubs.") + tbl([
    ["Action", "Lead", "Timescale"],
    ["Open two family hubs", "Kent County Council", "March 2026"],
], header_rows=1)
SHEET_ROWS = [["Indicator ID", "Outcome", "Indicator", "Unit"], ["LF1.1", "SO1", "Good level of development", "%"]]


# --- zip surgery -----------------------------------------------------------------------------------------


def parts_of(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(info.filename, z.read(info)) for info in z.infolist()]


def zip_of(parts: list[tuple[str, bytes | str]], stored: frozenset[str] = frozenset()) -> bytes:
    """A zip of `parts` (deflated; the names in `stored` stored, so no compression ratio betrays them)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts:
            z.writestr(zipfile.ZipInfo(name, date_time=FIXED), data.encode() if isinstance(data, str) else data,
                       compress_type=zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def replace_part(data: bytes, name: str, new: bytes | str | None, *, stored: bool = False) -> bytes:
    """`data` with part `name` replaced (added when missing; removed when `new` is None)."""
    parts = [(n, d) for n, d in parts_of(data)]
    names = [n for n, _ in parts]
    if new is None:
        return zip_of([(n, d) for n, d in parts if n != name])
    if name in names:
        parts = [(n, new if n == name else d) for n, d in parts]
    else:
        parts.append((name, new))
    return zip_of(parts, frozenset({name}) if stored else frozenset())


def add_content_type(data: bytes, part: str, ctype: str) -> bytes:
    ct = dict(parts_of(data))["[Content_Types].xml"].decode()
    ct = ct.replace("</Types>", f'<Override PartName="{part}" ContentType="{ctype}"/></Types>')
    return replace_part(data, "[Content_Types].xml", ct)


def plain_docx() -> bytes:
    return docx_bytes(BODY)


def plain_xlsx() -> bytes:
    return xlsx_bytes({"Logframe": SHEET_ROWS})


def document_xml(body: str, prolog: str = "") -> str:
    return XML + prolog + f"<w:document {MAIN_NS}><w:body>{body}</w:body></w:document>"


# --- external entities (XXE) -----------------------------------------------------------------------------


def secret_file(folder: os.PathLike | str) -> str:
    """A local file holding the secret marker; returns its file:// URL."""
    path = os.path.join(os.fspath(folder), "secret.txt")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(SECRET + "\n")
    return "file://" + os.path.abspath(path)


def _xxe_prolog(root: str, url: str) -> str:
    return f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "{url}">]>'


def xxe_docx(url: str, *, hide_after: int = 0, utf16: bool = False) -> bytes:
    """document.xml declares an external entity on a local file and uses it in the text.

    hide_after: put this many bytes of comment before the DOCTYPE (past any cheap prefix check);
    utf16: write the part in UTF-16, so the declaration is not visible as ASCII bytes.
    """
    comment = f"<!--{'x' * hide_after}-->" if hide_after else ""
    body = p("Action: &xxe;") + BODY
    if utf16:
        text = ('<?xml version="1.0" encoding="UTF-16" standalone="yes"?>\n' + comment + _xxe_prolog("w:document", url)
                + f"<w:document {MAIN_NS}><w:body>{body}</w:body></w:document>")
        part: bytes | str = text.encode("utf-16")
    else:
        part = XML + comment + _xxe_prolog("w:document", url) + f"<w:document {MAIN_NS}><w:body>{body}</w:body></w:document>"
    return replace_part(plain_docx(), "word/document.xml", part)


def external_dtd_docx(url: str) -> bytes:
    """document.xml names an external DTD (a parameter-entity style fetch)."""
    part = XML + f'<!DOCTYPE w:document SYSTEM "{url}">' + f"<w:document {MAIN_NS}><w:body>{BODY}</w:body></w:document>"
    return replace_part(plain_docx(), "word/document.xml", part)


def xinclude_docx(url: str) -> bytes:
    """document.xml asks for the secret file through XInclude (never processed)."""
    inc = f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{url}" parse="text"/>'
    body = f"<w:p><w:r><w:t>{inc}</w:t></w:r></w:p>" + BODY
    return replace_part(plain_docx(), "word/document.xml", document_xml(body))


def xxe_xlsx(url: str, part: str, *, hide_after: int = 0) -> bytes:
    """A workbook whose sharedStrings or sheet declares an external entity on a local file."""
    comment = f"<!--{'x' * hide_after}-->" if hide_after else ""
    book = plain_xlsx()
    if part == "sharedStrings":
        xml = (XML + comment + _xxe_prolog("sst", url) + f'<sst xmlns="{S_NS}" count="4" uniqueCount="4">'
               "<si><t>Indicator ID</t></si><si><t>Outcome</t></si><si><t>Indicator &xxe;</t></si><si><t>Unit</t></si>"
               "</sst>")
        return replace_part(book, "xl/sharedStrings.xml", xml)
    xml = (XML + comment + _xxe_prolog("worksheet", url) + f'<worksheet xmlns="{S_NS}"><sheetData>'
           '<row r="1"><c r="A1" t="inlineStr"><is><t>Indicator ID</t></is></c>'
           '<c r="B1" t="inlineStr"><is><t>Indicator &xxe;</t></is></c></row></sheetData></worksheet>')
    return replace_part(book, "xl/worksheets/sheet1.xml", xml)


# --- entity expansion ------------------------------------------------------------------------------------


def _laughs(root: str, levels: int = 10) -> str:
    ents = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, levels)]
    return f"<!DOCTYPE {root} [{''.join(ents)}]>"


def billion_laughs_docx(hide_after: int = 0) -> bytes:
    comment = f"<!--{'x' * hide_after}-->" if hide_after else ""
    part = (XML + comment + _laughs("w:document")
            + f"<w:document {MAIN_NS}><w:body>{p('&lol9;')}{BODY}</w:body></w:document>")
    return replace_part(plain_docx(), "word/document.xml", part)


def billion_laughs_xlsx(part: str, hide_after: int = 0) -> bytes:
    comment = f"<!--{'x' * hide_after}-->" if hide_after else ""
    if part == "sharedStrings":
        xml = (XML + comment + _laughs("sst") + f'<sst xmlns="{S_NS}" count="4" uniqueCount="4">'
               "<si><t>Indicator ID</t></si><si><t>Outcome</t></si><si><t>&lol9;</t></si><si><t>Unit</t></si></sst>")
        return replace_part(plain_xlsx(), "xl/sharedStrings.xml", xml)
    xml = (XML + comment + _laughs("worksheet") + f'<worksheet xmlns="{S_NS}"><sheetData><row r="1">'
           '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    return replace_part(plain_xlsx(), "xl/worksheets/sheet1.xml", xml)


# --- size ------------------------------------------------------------------------------------------------


def _streamed_zip(parts: list[tuple[str, bytes | str]], big_name: str, head: bytes, filler: bytes, repeat: int,
                  tail: bytes, level: int = 9) -> bytes:
    """A zip whose member `big_name` is head + filler*repeat + tail, written without holding it in memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in parts:
            if name == big_name:
                info = zipfile.ZipInfo(name, date_time=FIXED)
                info.compress_type = zipfile.ZIP_DEFLATED
                with z.open(info, "w", force_zip64=True) as fh:
                    fh.write(head)
                    for _ in range(repeat):
                        fh.write(filler)
                    fh.write(tail)
            else:
                z.writestr(zipfile.ZipInfo(name, date_time=FIXED), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _raw_deflate(data: bytes, finish: bool) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FINISH if finish else zlib.Z_FULL_FLUSH)


def _bomb_zip(parts: list[tuple[str, bytes | str]], big_name: str, head: bytes, tail: bytes, mib: int) -> bytes:
    """A zip whose member `big_name` is head + `mib` MiB of spaces + tail, deflated about 1000:1.

    Built in well under a second: independently compressed, fully flushed blocks concatenate into
    one valid deflate stream, so the 1 MiB block of spaces is compressed once and repeated.
    """
    block = b" " * 2**20
    crc = zlib.crc32(head)
    for _ in range(mib):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    stream = _raw_deflate(head, False) + _raw_deflate(block, False) * mib + _raw_deflate(tail, True)
    size = len(head) + mib * 2**20 + len(tail)
    out = io.BytesIO()
    central = []
    for name, data in parts:
        raw = name.encode()
        if name == big_name:
            method, comp, usize, ccrc = 8, stream, size, crc
        else:
            blob = data.encode() if isinstance(data, str) else data
            method, comp, usize, ccrc = 8, _raw_deflate(blob, True), len(blob), zlib.crc32(blob)
        offset = out.tell()
        fields = (20, 0, method, 0, 0x21, ccrc, len(comp), usize, len(raw))
        out.write(b"PK\x03\x04" + b"".join(v.to_bytes(n, "little") for v, n in zip(fields, (2, 2, 2, 2, 2, 4, 4, 4, 2)))
                  + (0).to_bytes(2, "little") + raw + comp)
        central.append(b"PK\x01\x02" + (20).to_bytes(2, "little")
                       + b"".join(v.to_bytes(n, "little") for v, n in zip(fields, (2, 2, 2, 2, 2, 4, 4, 4, 2)))
                       + (0).to_bytes(2, "little") * 3 + (0).to_bytes(2, "little") + (0).to_bytes(4, "little")
                       + offset.to_bytes(4, "little") + raw)
    start = out.tell()
    cd = b"".join(central)
    out.write(cd)
    out.write(b"PK\x05\x06" + (0).to_bytes(4, "little") + len(central).to_bytes(2, "little") * 2
              + len(cd).to_bytes(4, "little") + start.to_bytes(4, "little") + (0).to_bytes(2, "little"))
    return out.getvalue()


def zip_bomb_docx(mib: int = 1024) -> bytes:
    """document.xml inflates to `mib` MiB of spaces inside one text run (about 1000:1)."""
    head = (XML + f"<w:document {MAIN_NS}><w:body><w:p><w:r><w:t>").encode()
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    return _bomb_zip(parts_of(plain_docx()), "word/document.xml", head, tail, mib)


def zip_bomb_xlsx(mib: int = 1024) -> bytes:
    head = (XML + f'<worksheet xmlns="{S_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>').encode()
    tail = b"</t></is></c></row></sheetData></worksheet>"
    return _bomb_zip(parts_of(plain_xlsx()), "xl/worksheets/sheet1.xml", head, tail, mib)


def lying_zip_docx(real_mib: int = 64) -> bytes:
    """A member whose directory entry declares 1 KiB while its data inflates to `real_mib` MiB."""
    data = zip_bomb_docx(real_mib)
    out = bytearray(data)
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        name_len = int.from_bytes(data[pos + 28:pos + 30], "little")
        if data[pos + 46:pos + 46 + name_len] == b"word/document.xml":
            out[pos + 24:pos + 28] = (1024).to_bytes(4, "little")  # uncompressed size
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def slipped_bomb_docx(mib: int = 48) -> bytes:
    """A large but legal-looking document.xml: under every zip limit, heavy to parse (many paragraphs)."""
    rng = random.Random(7)
    paras = "".join(f"<w:p><w:r><w:t>Action {rng.randrange(10**9)} {rng.randrange(10**9)}</w:t></w:r></w:p>"
                    for _ in range(2000)).encode()
    head = (XML + f"<w:document {MAIN_NS}><w:body>").encode()
    tail = b"</w:body></w:document>"
    return _streamed_zip(parts_of(plain_docx()), "word/document.xml", head, paras, max(1, mib * 2**20 // len(paras)),
                         tail, level=1)


def many_members_docx(n: int = 100_000) -> bytes:
    """A docx with `n` tiny extra members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as z:
        for name, data in parts_of(plain_docx()):
            z.writestr(zipfile.ZipInfo(name, date_time=FIXED), data)
        for i in range(n):
            z.writestr(zipfile.ZipInfo(f"customXml/item{i}.xml", date_time=FIXED), b"<a/>")
    return out.getvalue()


def deep_docx(depth: int = 200_000) -> bytes:
    """document.xml with elements nested `depth` deep (inside one run's text container)."""
    inner = "<w:sdt><w:sdtContent>" * depth + "<w:p><w:r><w:t>deep</w:t></w:r></w:p>" + "</w:sdtContent></w:sdt>" * depth
    return replace_part(plain_docx(), "word/document.xml", document_xml(inner + BODY), stored=True)


def deep_xlsx(part: str, depth: int = 200_000) -> bytes:
    if part == "sharedStrings":
        nest = "<r>" * depth + "<t>deep</t>" + "</r>" * depth
        xml = (XML + f'<sst xmlns="{S_NS}" count="4" uniqueCount="4"><si><t>Indicator ID</t></si><si><t>Outcome</t></si>'
               f"<si>{nest}</si><si><t>Unit</t></si></sst>")
        return replace_part(plain_xlsx(), "xl/sharedStrings.xml", xml, stored=True)
    nest = "<x>" * depth + "</x>" * depth
    xml = (XML + f'<worksheet xmlns="{S_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c>'
           f"</row></sheetData>{nest}</worksheet>")
    return replace_part(plain_xlsx(), "xl/worksheets/sheet1.xml", xml, stored=True)


def big_sheet_xlsx(target_bytes: int = 50 * 10**6, columns: int = 20) -> bytes:
    """A sheet of about `target_bytes` of XML holding over 3 million one-digit cells (no r attributes on cells,
    which are optional), over the 2,000,000-cell limit in rules/limits.toml."""
    rng = random.Random(11)
    letters = [chr(65 + i) for i in range(columns)]
    # 1000 row templates with varied values, so the part compresses like real data (about 6:1), not like a bomb
    templates = ["<row r=\"%d\">" + "".join(f"<c><v>{rng.randrange(10)}</v></c>" for _ in letters) + "</row>"
                 for _ in range(1000)]
    chunks, size, r = [], 0, 0
    while size < target_bytes:
        r += 1
        row = templates[r % 1000] % r
        chunks.append(row)
        size += len(row)
    xml = (XML + f'<worksheet xmlns="{S_NS}"><sheetData>' + "".join(chunks) + "</sheetData></worksheet>").encode()
    parts = [(n, xml if n == "xl/worksheets/sheet1.xml" else d) for n, d in parts_of(plain_xlsx())]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, data in parts:
            z.writestr(zipfile.ZipInfo(name, date_time=FIXED), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sparse_sheet_xlsx() -> bytes:
    """Two cells, far apart: A1 and XFD1048576 (a tiny file whose bounding box is the whole sheet)."""
    xml = (XML + f'<worksheet xmlns="{S_NS}"><dimension ref="A1:XFD1048576"/><sheetData>'
           '<row r="1"><c r="A1" t="inlineStr"><is><t>Indicator ID</t></is></c></row>'
           '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>')
    return replace_part(plain_xlsx(), "xl/worksheets/sheet1.xml", xml)


def tall_sheet_xlsx(rows: int = 1_000_000) -> bytes:
    """A few cells in column A and one cell far below in column C: a tall, narrow bounding box."""
    xml = (XML + f'<worksheet xmlns="{S_NS}"><sheetData>'
           '<row r="1"><c r="A1" t="inlineStr"><is><t>Indicator ID</t></is></c></row>'
           f'<row r="{rows}"><c r="C{rows}"><v>1</v></c></row></sheetData></worksheet>')
    return replace_part(plain_xlsx(), "xl/worksheets/sheet1.xml", xml)


# --- things that point outside the file ------------------------------------------------------------------


def external_template_docx(target: str) -> bytes:
    """settings.xml attaches a template by an external relationship (http URL or file path)."""
    settings = XML + f'<w:settings {MAIN_NS}><w:attachedTemplate r:id="rIdTpl"/></w:settings>'
    rels = (XML + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rIdTpl" Type="{R_NS}/attachedTemplate" Target="{target}" TargetMode="External"/>'
            "</Relationships>")
    data = replace_part(plain_docx(), "word/settings.xml", settings)
    data = replace_part(data, "word/_rels/settings.xml.rels", rels)
    doc_rels = dict(parts_of(data))["word/_rels/document.xml.rels"].decode()
    doc_rels = doc_rels.replace("</Relationships>", f'<Relationship Id="rIdSettings" Type="{R_NS}/settings" '
                                                    'Target="settings.xml"/></Relationships>')
    data = replace_part(data, "word/_rels/document.xml.rels", doc_rels)
    return add_content_type(data, "/word/settings.xml",
                            "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml")


def external_links_docx(url: str, file_url: str) -> bytes:
    """An INCLUDETEXT field and a linked (not embedded) picture, both pointing outside the file."""
    field = (f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
             f'INCLUDETEXT "{file_url}" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
             '<w:r><w:t>cached field text</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    pic = ('<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
           '<wp:extent cx="100" cy="100"/><wp:docPr id="1" name="p"/>'
           '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
           '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
           '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill>'
           '<a:blip r:link="rIdImg"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>')
    data = replace_part(plain_docx(), "word/document.xml", document_xml(field + pic + BODY))
    doc_rels = dict(parts_of(data))["word/_rels/document.xml.rels"].decode()
    doc_rels = doc_rels.replace("</Relationships>", f'<Relationship Id="rIdImg" Type="{R_NS}/image" Target="{url}" '
                                                    'TargetMode="External"/></Relationships>')
    return replace_part(data, "word/_rels/document.xml.rels", doc_rels)


def external_link_xlsx(url: str, file_url: str) -> bytes:
    """A workbook with an external workbook link (file path) and a formula whose cached value is kept."""
    link = (XML + f'<externalLink xmlns="{S_NS}" xmlns:r="{R_NS}"><externalBook r:id="rId1"><sheetNames>'
            '<sheetName val="S"/></sheetNames></externalBook></externalLink>')
    link_rels = (XML + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 f'<Relationship Id="rId1" Type="{R_NS}/externalLinkPath" Target="{file_url}" TargetMode="External"/>'
                 f'<Relationship Id="rId2" Type="{R_NS}/hyperlink" Target="{url}" TargetMode="External"/>'
                 "</Relationships>")
    data = replace_part(plain_xlsx(), "xl/externalLinks/externalLink1.xml", link)
    data = replace_part(data, "xl/externalLinks/_rels/externalLink1.xml.rels", link_rels)
    rels = dict(parts_of(data))["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace("</Relationships>", f'<Relationship Id="rIdX" Type="{R_NS}/externalLink" '
                                            'Target="externalLinks/externalLink1.xml"/></Relationships>')
    data = replace_part(data, "xl/_rels/workbook.xml.rels", rels)
    wb = dict(parts_of(data))["xl/workbook.xml"].decode()
    wb = wb.replace("<calcPr", '<externalReferences><externalReference r:id="rIdX"/></externalReferences><calcPr')
    data = replace_part(data, "xl/workbook.xml", wb)
    return add_content_type(data, "/xl/externalLinks/externalLink1.xml",
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml")


# --- misbehaving readers (for the isolation tests; importable by worker processes) -----------------------


def misbehaving_reader(rel_path: str, data: bytes, vocab) -> SubmissionRecords:
    """read_submission, except for files named to hang, crash, exhaust memory or be slow."""
    name = os.path.basename(rel_path)
    if name.startswith("hang"):
        while True:  # a pure-Python busy loop, as a runaway parser would be
            pass
    if name.startswith("sleep"):
        time.sleep(3600)
    if name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if name.startswith("killed"):
        os.kill(os.getpid(), signal.SIGKILL)
    if name.startswith("memory"):
        hog = []
        while True:
            hog.append(bytearray(64 * 2**20))
    if name.startswith("slow"):
        time.sleep(0.3)
    return read_submission(rel_path, data, vocab)
