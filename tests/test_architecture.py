"""The pipeline's shape, checked: one direction, small modules, writers that render only.

    readers -> resolve -> checks -> present -> writers      (cli.py wires them)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "compiler"
MAX_LINES = 600


def _modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of the compiler modules a module imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            out.add(name)
            out.update(f"{name}.{a.name}" for a in node.names)
    return {n for n in out if n == "compiler" or n.startswith("compiler.")}


@pytest.mark.parametrize("path", _modules(PACKAGE), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_is_over_600_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines; split it along its seams"


@pytest.mark.parametrize("path", _modules(PACKAGE / "writers"), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_writers_import_neither_the_readers_nor_the_pipeline(path):
    bad = sorted(n for n in _imports(path)
                 if n.startswith(("compiler.readers", "compiler.pipeline", "compiler.resolve", "compiler.checks")))
    assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}: writers read the compilation only"


@pytest.mark.parametrize("path", _modules(PACKAGE / "present"), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_presentation_reads_the_compilation_only(path):
    bad = sorted(n for n in _imports(path)
                 if n.startswith(("compiler.readers", "compiler.pipeline", "compiler.resolve", "compiler.writers")))
    assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


@pytest.mark.parametrize("path", _modules(PACKAGE / "readers"), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_readers_do_not_reach_downstream(path):
    bad = sorted(n for n in _imports(path) if n.startswith(("compiler.resolve", "compiler.checks",
                                                            "compiler.present", "compiler.writers",
                                                            "compiler.pipeline")))
    assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}: readers only read"


def test_no_writer_opens_an_input_except_the_annotated_copies():
    """Only annotated.py may ask for an input's bytes (WriteContext.input_bytes), through the package layer."""
    users = sorted(p.relative_to(PACKAGE).as_posix() for p in _modules(PACKAGE / "writers")
                   if "input_bytes(" in p.read_text(encoding="utf-8") and p.name != "__init__.py")
    assert users == ["writers/annotated.py"]
    for p in _modules(PACKAGE / "writers"):
        text = p.read_text(encoding="utf-8")
        assert "inputs_dir /" not in text or p.name == "__init__.py", p


OUTSIDE_DOCUMENTS = ("input-formats.md", "outputs.md", "checks.md", "quality-bars.md", "domain.md",
                     "library-baseline.md", "shared/spec", "shared/context")


@pytest.mark.parametrize("path", _modules(PACKAGE), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_docstrings_point_inside_the_repository(path):
    """A newcomer following a docstring must find the page: docs/, not requirements outside the repository."""
    text = path.read_text(encoding="utf-8")
    found = [name for name in OUTSIDE_DOCUMENTS if name in text]
    assert not found, f"{path.relative_to(PACKAGE)} points to {found}: point to a page in docs/ instead"
