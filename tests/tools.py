"""External tools the tests drive, found whole or not at all.

A test that needs LibreOffice asks for the component it needs: Writer for Word
documents, Calc for workbooks. Outside CI a missing tool or component skips the
test (saying which); in CI (`CI` set) it fails, since `.ci/run` installs them.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest

# The shared library each LibreOffice component loads (Debian: libreoffice-writer-nogui, -calc-nogui).
_COMPONENT_LIBRARY = {"writer": "libswlo.so", "calc": "libsclo.so"}
_PACKAGE = {"writer": "libreoffice-writer-nogui", "calc": "libreoffice-calc-nogui"}


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} must be installed in CI (.ci/run installs it)")
    pytest.skip(f"{what} is not installed")


@functools.cache
def _program_dir(soffice: str) -> Path:
    return Path(os.path.realpath(soffice)).parent


def has_component(soffice: str, component: str) -> bool:
    """Whether this LibreOffice has the component (its library is beside the soffice program)."""
    program = _program_dir(soffice)
    if not (program / "soffice.bin").exists() and not any(program.glob("*.so")):
        return True  # not a layout we know (another platform): let the conversion itself tell
    return (program / _COMPONENT_LIBRARY[component]).exists()


def soffice(*components: str) -> str:
    """The soffice program with every named component ("writer", "calc"), or skip / fail as above."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        _missing("LibreOffice (soffice)")
    for component in components:
        if not has_component(found, component):
            _missing(f"LibreOffice {component.capitalize()} ({_PACKAGE[component]})")
    return found
