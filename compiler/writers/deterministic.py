"""Byte-identical OOXML packages.

python-docx and openpyxl stamp zip entries with the current time and core
properties with created/modified dates, so two saves of the same content
differ. Rewriting the archive with fixed entry dates, attributes and order
makes the bytes a function of the content alone.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
FIXED_W3C_DATE = b"2000-01-01T00:00:00Z"

_W3CDTF = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def _pin_core_dates(data: bytes) -> bytes:
    return _W3CDTF.sub(lambda m: m.group(1) + FIXED_W3C_DATE + m.group(2), data)


def deterministic_zip_bytes(package: bytes, *, replace: dict[str, bytes] | None = None) -> bytes:
    """Return `package` re-zipped with fixed timestamps, attributes and member order.

    `[Content_Types].xml` stays first (some consumers expect it); the other members
    keep their relative order so the result still opens everywhere. Core-property dates
    are pinned, unless `replace` supplies the member's bytes (a copy of a partner's own
    file keeps its own properties).
    """
    replace = replace or {}
    source = zipfile.ZipFile(io.BytesIO(package))
    names = source.namelist()
    ordered = [n for n in names if n == "[Content_Types].xml"] + [n for n in names if n != "[Content_Types].xml"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name in ordered:
            if name in replace:
                data = replace[name]
            else:
                data = source.read(name)
                if name == "docProps/core.xml":
                    data = _pin_core_dates(data)
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 0
            target.writestr(info, data, compresslevel=6)
    return out.getvalue()


def make_deterministic(path: Path) -> None:
    """Rewrite the OOXML package at `path` in place, deterministically."""
    path.write_bytes(deterministic_zip_bytes(path.read_bytes()))
