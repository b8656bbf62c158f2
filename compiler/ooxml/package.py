"""Safe access to an OOXML package (a zip of XML parts).

Everything a hostile or broken file can do is stopped here, before the
format readers see it: sizes and compression ratios are checked on the zip
directory before anything is decompressed; XML is parsed without DTDs,
entities or network; Strict Open XML namespaces are mapped to the
transitional ones so one reader serves both; failures become a
`PackageError` whose message says the cause in plain words.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from lxml import etree

from ..ruleset import Limits
from .namespaces import REL, RT_OFFICE_DOCUMENT, STRICT_MARK, STRICT_TO_TRANSITIONAL, to_transitional  # noqa: F401

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK"

class PackageError(Exception):
    """The file cannot be read; the message is the cause in plain words."""


def sniff(data: bytes) -> str:
    """What the bytes are, whatever the file is called."""
    if not data:
        return "empty"
    if data.startswith(OLE2_MAGIC):
        return "ole2"
    if data.startswith(ZIP_MAGIC):
        return "zip"
    head = data[:1024].removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    lower = head.lower()
    if lower.startswith((b"<!doctype html", b"<html")) or (lower.startswith(b"<") and b"<html" in lower):
        return "html"
    if lower.startswith(b"mime-version:") or (b"mime-version:" in lower[:300] and b"multipart/related" in lower):
        return "mht"
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        return "xml"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    return "unknown"


def describe_ole2(data: bytes) -> str:
    """Plain words for an OLE2 compound file: encrypted OOXML or a legacy Office file."""
    window = data[: 2 * 2**20]
    if "EncryptedPackage".encode("utf-16-le") in window or "EncryptionInfo".encode("utf-16-le") in window:
        return ("the file is password-protected (encrypted): remove the password in Word or Excel "
                "(File > Info > Protect > Encrypt) and send it again")
    if "WordDocument".encode("utf-16-le") in window:
        return "the file is a legacy Word 97-2003 document (.doc) saved under a new extension: open it in Word and save as .docx"
    if "Workbook".encode("utf-16-le") in window or "Book".encode("utf-16-le") in window:
        return "the file is a legacy Excel 97-2003 workbook (.xls) saved under a new extension: open it in Excel and save as .xlsx"
    return "the file is a legacy Office binary file (not .docx/.xlsx): save it again in the current format"


def describe_not_zip(data: bytes, expected: str) -> str:
    kind = sniff(data)
    if kind == "empty":
        return "the file is empty (0 bytes): the upload probably failed; send it again"
    if kind == "ole2":
        return describe_ole2(data)
    if kind == "pdf":
        return f"the file is a PDF, not a {expected} file"
    if kind == "rtf":
        return f"the file is an RTF document, not a {expected} file: save it as .docx"
    if kind == "html":
        return (f"the file is a web page (HTML) saved under a {expected} name, not a {expected} file: open it in "
                "Word or Excel and save it as .docx or .xlsx")
    if kind == "mht":
        return (f"the file is a single-file web page (MHT) saved under a {expected} name: open it in Word or Excel "
                "and save it as .docx or .xlsx")
    if kind == "xml":
        head = data[:4096]
        if b"Word.Document" in head or b"wordDocument" in head:
            return "the file is a Word 2003 XML document, not a .docx package: open it in Word and save it as .docx"
        if b"Excel.Sheet" in head or b"urn:schemas-microsoft-com:office:spreadsheet" in head:
            return "the file is an Excel 2003 XML spreadsheet, not an .xlsx package: open it in Excel and save it as .xlsx"
        return f"the file is a plain XML file, not a {expected} package: save it as .docx or .xlsx"
    if kind == "zip":
        return "the file is damaged or was cut short (truncated): its zip directory cannot be read; send it again"
    return f"the file is not a {expected} file (its content is not an Office Open XML package)"


# OpenDocument kinds by the media type in their `mimetype` member: (what it is, what to do).
OPENDOCUMENT = {
    "text": ("an OpenDocument text file (.odt, from LibreOffice or OpenOffice Writer)", "save it as .docx"),
    "text-template": ("an OpenDocument text template (.ott)", "save it as .docx"),
    "text-master": ("an OpenDocument master document (.odm)", "save it as .docx"),
    "spreadsheet": ("an OpenDocument spreadsheet (.ods, from LibreOffice or OpenOffice Calc)", "save it as .xlsx"),
    "spreadsheet-template": ("an OpenDocument spreadsheet template (.ots)", "save it as .xlsx"),
    "presentation": ("an OpenDocument presentation (.odp)", "it holds no submission the compiler reads"),
    "graphics": ("an OpenDocument drawing (.odg)", "it holds no submission the compiler reads"),
}
OFFICE_EXTENSIONS = (".docx", ".docm", ".dotx", ".dotm", ".xlsx", ".xlsm", ".xltx", ".xltm")


class ForeignZip(PackageError):
    """A zip that is not an Office Open XML package (an OpenDocument file, an archive): a kind of
    file the compiler does not read, rather than a damaged one. `what` and `todo` in plain words."""

    def __init__(self, what: str, todo: str):
        super().__init__(f"{what}: {todo}")
        self.what, self.todo = what, todo


def describe_foreign_zip(names: list[str], mimetype: str) -> tuple[str, str] | None:
    """(what it is, what to do) for a zip with these member names and `mimetype` member, when it
    is not an Office Open XML package; None when it has Office parts (a damaged package)."""
    lower = [n.replace("\\", "/").lower() for n in names]
    if any(n == "[content_types].xml" or n.startswith(("word/", "xl/", "ppt/", "_rels/")) for n in lower):
        return None
    prefix = "application/vnd.oasis.opendocument."
    if mimetype.startswith(prefix):
        return OPENDOCUMENT.get(mimetype[len(prefix):], (f"an OpenDocument file ({mimetype})", "save it as .docx or .xlsx"))
    if mimetype == "application/epub+zip":
        return "an e-book (EPUB)", "it holds no submission the compiler reads"
    inside = [n.rsplit("/", 1)[-1] for n in names if n.lower().endswith(OFFICE_EXTENSIONS)]
    if inside:
        shown = ", ".join(sorted(inside)[:3]) + (f" and {len(inside) - 3} more" if len(inside) > 3 else "")
        return f"a zip archive holding {shown}", "unzip it into the inputs folder"
    return (f"a zip archive of {len(names)} file{'s' if len(names) != 1 else ''}",
            "it is not a Word or Excel document")


def _mimetype(zf: zipfile.ZipFile) -> str:
    """The `mimetype` member an OpenDocument (or EPUB) package starts with, or ''."""
    try:
        info = zf.getinfo("mimetype")
        if info.file_size < 200:
            return zf.read(info).decode("ascii", "replace").strip()
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
        pass
    return ""


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


_PARSER = _safe_parser()
# libxml2 refuses deeper nesting itself unless huge_tree is set, which it never is here; a
# stricter limit from the rules is checked on the parsed tree.
LIBXML2_MAX_DEPTH = 256


def parse_xml(data: bytes, part: str, max_depth: int) -> etree._Element:
    """Parse one XML part safely: no DTD, no entities, no network, bounded depth."""
    data = to_transitional(data)
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:65536]:
        raise PackageError(f"part '{part}' declares a DTD or entities, which Office files never do (refused for safety)")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        if "Memory allocation failed" in str(exc) or ("unknown error" in str(exc) and len(data) > 2**24):
            raise PackageError(f"part '{part}' is too large to read in the memory available") from None
        if "Excessive depth" in str(exc):
            raise PackageError(f"part '{part}' nests elements more than {LIBXML2_MAX_DEPTH} deep, "
                               "far beyond any real document (refused for safety)") from None
        raise PackageError(f"part '{part}' is not well-formed XML ({_short(str(exc))})") from None
    if root is None:
        raise PackageError(f"part '{part}' is empty")
    if max_depth < LIBXML2_MAX_DEPTH and _depth_exceeds(root, max_depth):
        raise PackageError(f"part '{part}' nests elements more than {max_depth} deep (limit in rules/limits.toml)")
    return root


T = TypeVar("T")
# (what, SHA-1 of a part's bytes) -> what the part was read into. Partners' files come from their
# council's template, so most of a corpus's packages carry the same content types, relationships,
# styles and numbering parts: each distinct one is parsed once per process.
_PARSED: dict[tuple[str, bytes], object] = {}
PARSED_MAX = 512


def parsed_once(what: str, data: bytes, build: Callable[[bytes], T]) -> T:
    """`build(data)`, remembered by `what` and the content: the same bytes give the same object, so
    it must never be changed by its users. A part that fails to build (PackageError) is not
    remembered, and fails again the next time."""
    key = (what, hashlib.sha1(data).digest())
    try:
        return _PARSED[key]  # type: ignore[return-value]
    except KeyError:
        pass
    value = build(data)
    if len(_PARSED) >= PARSED_MAX:
        _PARSED.clear()
    _PARSED[key] = value
    return value


def clear_parsed() -> None:
    """Forget every part parsed (a benchmark's cold start)."""
    _PARSED.clear()


def _depth_exceeds(root: etree._Element, limit: int) -> bool:
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in el)
    return False


def _short(text: str) -> str:
    return text if len(text) <= 120 else text[:117] + "..."


@dataclass
class Package:
    """An opened, size-checked OOXML package."""

    zf: zipfile.ZipFile
    limits: Limits
    names: dict[str, str] = field(default_factory=dict)  # normalised lower-case name -> real name
    content_types: dict[str, str] = field(default_factory=dict)  # part name -> content type
    default_types: dict[str, str] = field(default_factory=dict)  # extension -> content type
    strict: bool = False
    _rels: dict[str | None, list[tuple[str, str, str, str]]] = field(default_factory=dict, repr=False, compare=False)

    def has(self, part: str) -> bool:
        return _norm(part).lower() in self.names

    def read(self, part: str) -> bytes:
        real = self.names.get(_norm(part).lower())
        if real is None:
            raise PackageError(f"the package has no part '{part}'")
        try:
            return self.zf.read(real)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise PackageError(f"part '{part}' is damaged ({_short(str(exc)) or type(exc).__name__}): the file was probably corrupted in transfer") from None

    def xml(self, part: str) -> etree._Element:
        data = self.read(part)
        if STRICT_MARK in data:
            self.strict = True
        return parse_xml(data, part, self.limits.max_xml_depth)

    def parsed(self, part: str, what: str, build: Callable[[etree._Element], T]) -> T:
        """`build` of the part's XML, parsed once per distinct content (`parsed_once`): for what is
        read from a part and never changed afterwards (styles, numbering, relationships)."""
        data = self.read(part)
        if STRICT_MARK in data:
            self.strict = True
        depth = self.limits.max_xml_depth
        return parsed_once(f"{what} {depth}", data, lambda d: build(parse_xml(d, part, depth)))

    def content_type(self, part: str) -> str:
        part = "/" + _norm(part)
        if part in self.content_types:
            return self.content_types[part]
        ext = posixpath.splitext(part)[1].lstrip(".").lower()
        return self.default_types.get(ext, "")

    def rels(self, part: str | None) -> list[tuple[str, str, str, str]]:
        """Relationships of `part` (None for the package): (id, type, target part, target mode)."""
        if part is None:
            rels_part, base = "_rels/.rels", ""
        else:
            base = posixpath.dirname(_norm(part))
            rels_part = posixpath.join(base, "_rels", posixpath.basename(_norm(part)) + ".rels")
        if part in self._rels:
            return list(self._rels[part])
        if not self.has(rels_part):
            return []
        out = self.parsed(rels_part, f"relationships from {base}", lambda root: _relationships(root, base))
        self._rels[part] = out
        return list(out)

    def main_part(self) -> str:
        for _, rtype, target, mode in self.rels(None):
            if rtype == RT_OFFICE_DOCUMENT and mode != "External":
                if not self.has(target):
                    raise PackageError(f"the main part '{target}' named by the package is missing: the file is damaged")
                return target
        raise PackageError("the package has no main document part: it is not a Word document or Excel workbook")

    def text_of(self, part: str) -> str:
        try:
            root = self.xml(part)
        except PackageError:
            return ""
        return " ".join(t for t in root.itertext() if t.strip())


def _relationships(root: etree._Element, base: str) -> list[tuple[str, str, str, str]]:
    out = []
    for rel in root.iter(f"{{{REL}}}Relationship"):
        rtype = rel.get("Type", "")
        for strict, transitional in STRICT_TO_TRANSITIONAL.items():
            rtype = rtype.replace(strict.decode(), transitional.decode())
        mode = rel.get("TargetMode", "Internal")
        target = rel.get("Target", "")
        if mode != "External":
            target = _norm(target if target.startswith("/") else posixpath.join(base, target))
        out.append((rel.get("Id", ""), rtype, target, mode))
    return out


def _content_types(root: etree._Element) -> tuple[dict[str, str], dict[str, str]]:
    """[Content_Types].xml -> (extension -> content type, part name -> content type)."""
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for el in root:
        tag = etree.QName(el).localname
        if tag == "Default":
            defaults[(el.get("Extension") or "").lower()] = el.get("ContentType", "")
        elif tag == "Override":
            overrides["/" + _norm(el.get("PartName", ""))] = el.get("ContentType", "")
    return defaults, overrides


def _norm(name: str) -> str:
    name = name.replace("\\", "/")
    parts: list[str] = []
    for piece in name.split("/"):
        if piece in ("", "."):
            continue
        if piece == "..":
            if parts:
                parts.pop()
            continue
        parts.append(piece)
    return "/".join(parts)


def open_package(data: bytes, limits: Limits, expected: str = "Office") -> Package:
    """Open `data` as an OOXML package, refusing anything over the limits before decompressing."""
    if len(data) > limits.max_file_bytes:
        raise PackageError(f"the file is {len(data) / 2**20:.1f} MiB, over the limit of "
                           f"{limits.max_file_bytes / 2**20:.0f} MiB in rules/limits.toml")
    if sniff(data) != "zip":
        raise PackageError(describe_not_zip(data, expected))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise PackageError(describe_not_zip(b"PK" if "zip" in str(exc).lower() else data, expected)) from None
    if len(infos) > limits.max_members:
        raise PackageError(f"the file holds {len(infos)} zip members, over the limit of {limits.max_members} "
                           "in rules/limits.toml (a normal document has a few dozen)")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise PackageError("the file's parts are encrypted: remove the password and send it again")
        total += info.file_size
        if info.file_size > limits.max_member_uncompressed_bytes:
            raise PackageError(f"part '{info.filename}' would expand to {info.file_size / 2**20:.0f} MiB, over the "
                               f"limit of {limits.max_member_uncompressed_bytes / 2**20:.0f} MiB (a possible zip bomb)")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1_000_000 and ratio > limits.max_compression_ratio:
            raise PackageError(f"part '{info.filename}' is compressed {ratio:.0f}:1, over the limit of "
                               f"{limits.max_compression_ratio}:1 (a possible zip bomb)")
    if total > limits.max_total_uncompressed_bytes:
        raise PackageError(f"the file would expand to {total / 2**20:.0f} MiB, over the limit of "
                           f"{limits.max_total_uncompressed_bytes / 2**20:.0f} MiB in rules/limits.toml (a possible zip bomb)")
    pkg = Package(zf, limits)
    for info in infos:
        pkg.names.setdefault(_norm(info.filename).lower(), info.filename)
    if not pkg.has("[Content_Types].xml"):
        foreign = describe_foreign_zip([i.filename for i in infos], _mimetype(zf))
        if foreign is not None:
            raise ForeignZip(*foreign)
        raise PackageError("the file is damaged: it holds Office parts but not the list of them "
                           "([Content_Types].xml) every Word and Excel file has; open it in Word or Excel and "
                           "save it again, or ask for it again")
    defaults, overrides = pkg.parsed("[Content_Types].xml", "content types", _content_types)
    pkg.default_types.update(defaults)
    pkg.content_types.update(overrides)
    return pkg


def main_content_kind(pkg: Package) -> tuple[str, str]:
    """('word'|'excel'|'other', main part) decided from the package's content, not the file name."""
    main = pkg.main_part()
    ctype = pkg.content_type(main)
    if "wordprocessingml" in ctype or "ms-word" in ctype:
        return "word", main
    if "spreadsheetml" in ctype or "ms-excel" in ctype:
        return "excel", main
    if ctype == "" and main.endswith("document.xml"):
        return "word", main
    if ctype == "" and main.endswith("workbook.xml"):
        return "excel", main
    if "presentationml" in ctype:
        return "powerpoint", main
    return "other", main


# --------------------------------------------------------------------------- spreadsheet limits

_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_MERGE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*ref=\"([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})\"")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def refuse_oversized_sheet(name: str, data: bytes, limits: Limits) -> None:
    """Count a sheet's cells, and the cells its merged ranges cover, in the raw XML before any
    spreadsheet library builds them: a sheet over the limit is refused in a fraction of a second."""
    if b"mergeCell" not in data and data.count(b"<") <= limits.max_sheet_cells:
        return  # fewer elements than the limit, and no merges: nothing to count
    cells = len(_CELL.findall(data))
    merged = 0
    for m in _MERGE.finditer(data):
        rows = int(m.group(4)) - int(m.group(2)) + 1
        cols = _column_number(m.group(3)) - _column_number(m.group(1)) + 1
        merged += max(rows, 0) * max(cols, 0)
    if cells + merged > limits.max_sheet_cells:
        what = f"{cells:,} cells" + (f" and merged ranges covering {merged:,} more" if merged else "")
        raise PackageError(f"sheet part '{name}' holds {what}, over the limit of {limits.max_sheet_cells:,} "
                           "in rules/limits.toml")


def check_workbook_limits(data: bytes, limits: Limits) -> None:
    """Raise PackageError unless the workbook passes the same limits the reader applies."""
    pkg = open_package(data, limits, "Excel")
    for info in pkg.zf.infolist():
        name = info.filename.replace("\\", "/").lstrip("/").lower()
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            refuse_oversized_sheet(name, pkg.read(info.filename), limits)


def check_limits(data: bytes, limits: Limits, path: str = "") -> None:
    """Raise PackageError unless the file passes the limits its reader applies (a workbook's sheets
    are counted too): for code that hands a file to a library with no limits of its own."""
    if path.casefold().endswith((".xlsx", ".xlsm", ".xltx", ".xltm")):
        check_workbook_limits(data, limits)
    else:
        open_package(data, limits)


# --------------------------------------------------------------------------- large parts

STREAM_ABOVE = 4 * 2**20  # bytes: a larger part is streamed rather than held as one tree


def iter_xml(data: bytes, part: str, tags: tuple[str, ...], max_depth: int) -> Iterator[etree._Element]:
    """The elements named `tags` of one XML part, in document order, parsed as safely as `parse_xml`.
    A part over STREAM_ABOVE bytes is streamed (its depth bounded by libxml2's own limit): each
    element is freed, with the siblings before it, once the caller asks for the next, so the caller
    must not keep them."""
    if len(data) <= STREAM_ABOVE:
        yield from parse_xml(data, part, max_depth).iter(*tags)
        return
    data = to_transitional(data)
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:65536]:
        raise PackageError(f"part '{part}' declares a DTD or entities, which Office files never do (refused for safety)")
    events = etree.iterparse(io.BytesIO(data), events=("end",), tag=tags, resolve_entities=False, no_network=True,
                             load_dtd=False, dtd_validation=False, huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        for _, el in events:
            yield el
            el.clear(keep_tail=True)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        if "Memory allocation failed" in str(exc):
            raise PackageError(f"part '{part}' is too large to read in the memory available") from None
        if "Excessive depth" in str(exc):
            raise PackageError(f"part '{part}' nests elements more than {LIBXML2_MAX_DEPTH} deep, "
                               "far beyond any real document (refused for safety)") from None
        raise PackageError(f"part '{part}' is not well-formed XML ({_short(str(exc))})") from None
