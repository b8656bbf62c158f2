"""Writers: the compiled plan -> artefacts in the output folder.

Each writer is a function `(Compilation, WriteContext) -> {relative path: bytes}`,
registered in WRITERS. Writers only produce bytes; this module stages them in a
temporary folder beside the output folder and swaps it into place in one
step, so a compile that fails or is killed leaves the previous outputs whole.
Files in the output folder that no compile wrote (a README) are carried over.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import __version__
from ..compilation import Compilation
from .plan_json import dumps, plan_document

MANIFEST = "manifest.json"


@dataclass
class WriteContext:
    inputs_dir: Path
    reference_docx: Path | None = None
    as_of: date = field(default_factory=date.today)

    def input_bytes(self, rel_path: str) -> bytes:
        with open(self.inputs_dir / rel_path, "rb") as fh:
            return fh.read()


Writer = Callable[[Compilation, WriteContext], dict[str, bytes]]


def _plan_json(comp: Compilation, ctx: WriteContext) -> dict[str, bytes]:
    return {"plan.json": dumps(plan_document(comp.plan, comp.rules))}


WRITERS: list[Writer] = [_plan_json]


def register(writer: Writer) -> Writer:
    if writer not in WRITERS:
        WRITERS.append(writer)
    return writer


def build_artefacts(comp: Compilation, ctx: WriteContext, *, jobs: int | None = None) -> dict[str, bytes]:
    """Every artefact's bytes, keyed by its path relative to the output folder, manifest included.

    Writers are pure functions of the compilation, so on a machine with several cores they run
    in forked worker processes (which inherit the compilation without copying it); the result is
    the same bytes in the same order.
    """
    _load_writers()
    artefacts: dict[str, bytes] = {}
    for produced in _run_writers(comp, ctx, jobs):
        for name, data in produced.items():
            if name in artefacts:
                raise ValueError(f"two writers produce '{name}'")
            artefacts[name] = data
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(artefacts.items())}
    artefacts[MANIFEST] = dumps(_manifest(comp, digests))
    return artefacts


_FORKED: tuple[Compilation, WriteContext] | None = None


WRITER_MEMORY_LIMIT = 3 * 2**30


def _run_in_child(index: int) -> dict[str, bytes]:
    """One writer in a forked worker, under an address-space cap so a runaway cannot take the machine."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY or soft > WRITER_MEMORY_LIMIT:
            resource.setrlimit(resource.RLIMIT_AS, (WRITER_MEMORY_LIMIT, hard))
    except (ImportError, ValueError, OSError):
        pass
    comp, ctx = _FORKED  # type: ignore[misc]
    return WRITERS[index](comp, ctx)


def _run_writers(comp: Compilation, ctx: WriteContext, jobs: int | None) -> list[dict[str, bytes]]:
    global _FORKED
    jobs = min(jobs or os.cpu_count() or 1, len(WRITERS))
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [writer(comp, ctx) for writer in WRITERS]
    _FORKED = (comp, ctx)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return pool.map(_run_in_child, range(len(WRITERS)), chunksize=1)
    finally:
        _FORKED = None


def _load_writers() -> None:
    """Import the writer modules so that they register themselves."""
    import importlib
    import pkgutil

    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        if not module.startswith("_") and module not in ("plan_json", "deterministic"):
            importlib.import_module(f"{__name__}.{module}")


def write_outputs(comp: Compilation, out_dir: Path, ctx: WriteContext | None = None) -> dict[str, str]:
    """Write every artefact atomically; returns {relative path: sha256}."""
    ctx = ctx or WriteContext(inputs_dir=Path("inputs"))
    artefacts = build_artefacts(comp, ctx)
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _recover(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.sdp-new-", dir=out_dir.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)
    try:
        for name, data in sorted(artefacts.items()):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        if out_dir.exists():
            _carry_over(out_dir, staging, set(artefacts))
            _swap(staging, out_dir)
            shutil.rmtree(staging, ignore_errors=True)  # now holds the previous outputs
        else:
            os.rename(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return {name: hashlib.sha256(data).hexdigest() for name, data in sorted(artefacts.items())}


def _generated_before(out_dir: Path) -> set[str]:
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return {entry["path"] for entry in manifest.get("outputs", [])} | {MANIFEST}
    except (OSError, ValueError, KeyError, TypeError):
        return {MANIFEST}


def _carry_over(out_dir: Path, staging: Path, new: set[str]) -> None:
    """Files in the output folder that no compile generated (a README, notes) move along unchanged."""
    generated = _generated_before(out_dir) | new
    for path in sorted(out_dir.rglob("*")):
        rel = path.relative_to(out_dir).as_posix()
        if path.is_dir() or rel in generated:
            continue
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


_RENAME_EXCHANGE = 2


def _swap(staging: Path, out_dir: Path) -> None:
    """Exchange the two folders atomically where the OS can (Linux renameat2), else by two renames."""
    libc_name = ctypes.util.find_library("c")
    if libc_name:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = getattr(libc, "renameat2", None)
        if renameat2 is not None:
            at_fdcwd = -100
            if renameat2(at_fdcwd, os.fsencode(staging), at_fdcwd, os.fsencode(out_dir), _RENAME_EXCHANGE) == 0:
                return
    old = out_dir.with_name(f".{out_dir.name}.sdp-old")
    shutil.rmtree(old, ignore_errors=True)
    os.rename(out_dir, old)
    os.rename(staging, out_dir)
    os.rename(old, staging)


def _recover(out_dir: Path) -> None:
    """If a compile was killed between the two renames of the fallback swap, put the old outputs back."""
    old = out_dir.with_name(f".{out_dir.name}.sdp-old")
    if old.exists() and not out_dir.exists():
        os.rename(old, out_dir)
    for stale in out_dir.parent.glob(f".{out_dir.name}.sdp-new-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _manifest(comp: Compilation, outputs: dict[str, str]) -> dict:
    return {
        "compiler": {"name": "sdp", "version": __version__},
        "rules": {"folder": comp.rules.folder.name, "digest": comp.rules.digest},
        "inputs": [{"path": s.path, "sha256": s.sha256} for s in comp.plan.submissions],
        "outputs": [{"path": name, "sha256": digest} for name, digest in sorted(outputs.items())],
    }
