"""The output folder as one transaction: a compile's artefacts appear all at once or not at all.

The artefacts are written into a staging folder beside the output folder and
swapped into place in one step (Linux renameat2 exchange; elsewhere two
renames, with recovery if a compile dies between them), so a compile that
fails or is killed leaves the previous outputs whole. Files in the output
folder that no compile generated (a README, an officer's notes) are carried
over unchanged; artefacts an earlier compile generated and this one did not
are removed, so nothing stale sits beside the new plan.json.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

MANIFEST = "manifest.json"


class Staging:
    """The staging folder of one output transaction.

        with Staging(out_dir) as staging:
            staging.write("plan.json", data)      # from this process or a forked worker
            staging.commit({"plan.json", ...})   # every generated file: the swap into place

    Leaving the block without `commit` (an exception, a writer fault) removes the staging folder
    and leaves `out_dir` as it was.
    """

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir.absolute()
        self.path: Path | None = None
        self.committed = False

    def __enter__(self) -> "Staging":
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        _recover(self.out_dir)
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.sdp-new-", dir=self.out_dir.parent))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.path, 0o777 & ~umask)
        return self

    def write(self, name: str, data: bytes) -> str:
        """Write one artefact into the staging folder; returns its sha256. (Made durable by `commit`.)"""
        assert self.path is not None, "write() outside the transaction"
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(data)
        return hashlib.sha256(data).hexdigest()

    def keep(self, source: Path, name: str, sha256: str) -> str:
        """Carry a file the last compile wrote (and an incremental compile did not rebuild) into the
        staging folder: a hard link where the file system allows (instant, and the previous folder is
        removed after the swap), else a copy. Returns its sha256, as `write` does."""
        assert self.path is not None, "keep() outside the transaction"
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
        return sha256

    def commit(self, generated: set[str]) -> None:
        """Make every staged file durable, then swap the staging folder into place; `generated`:
        every artefact this compile wrote."""
        assert self.path is not None
        _sync_tree(self.path, generated)
        if self.out_dir.exists():
            _carry_over(self.out_dir, self.path, generated)
            _swap(self.path, self.out_dir)
            shutil.rmtree(self.path, ignore_errors=True)  # now holds the previous outputs
        else:
            os.rename(self.path, self.out_dir)
        self.committed = True

    def __exit__(self, *exc) -> None:
        if not self.committed and self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)


SYNC_THREADS = 16


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_tree(root: Path, names: set[str]) -> None:
    """fsync every staged file (and its folder) before the swap makes them visible: all at once from
    a few threads (fsync releases the GIL and the file system batches them into few journal commits),
    which costs about one fsync's wait rather than one per file, whichever process wrote them."""
    from concurrent.futures import ThreadPoolExecutor

    paths = [root / name for name in sorted(names)]
    folders = sorted({p.parent for p in paths} | {root})
    with ThreadPoolExecutor(SYNC_THREADS) as pool:
        list(pool.map(_fsync, paths))
        list(pool.map(_fsync, folders))


def replace_folder(out_dir: Path, artefacts: dict[str, bytes]) -> dict[str, str]:
    """Make `out_dir` hold exactly these artefacts (plus files no compile generated), atomically.

    Returns {relative path: sha256}.
    """
    with Staging(out_dir) as staging:
        digests = {name: staging.write(name, data) for name, data in sorted(artefacts.items())}
        staging.commit(set(artefacts))
    return digests


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


def clear_stale_staging(out_dir: Path) -> None:
    """Tidy what a killed compile left beside the output folder (call under `folder_lock`): a compile
    that writes does this as it starts; an up-to-date one, which writes nothing, calls it instead."""
    _recover(out_dir.absolute())


def _recover(out_dir: Path) -> None:
    """If a compile was killed between the two renames of the fallback swap, put the old outputs back."""
    old = out_dir.with_name(f".{out_dir.name}.sdp-old")
    if old.exists() and not out_dir.exists():
        os.rename(old, out_dir)
    for stale in out_dir.parent.glob(f".{out_dir.name}.sdp-new-*"):
        shutil.rmtree(stale, ignore_errors=True)


def output_folder_problem(out_dir: Path, inputs_dir: Path, rules_dir: Path | None) -> str | None:
    """Why this output folder would hurt, or None: it must not be the inputs folder, lie inside it
    (the next compile would read its own outputs), contain it, or contain the rules (the swap would
    carry them off into the previous outputs)."""
    out, inputs = out_dir.resolve(), inputs_dir.resolve()
    if out == inputs:
        return f"the output folder '{out_dir}' is the inputs folder; write the outputs elsewhere (-o outputs)"
    if inputs in out.parents:
        return (f"the output folder '{out_dir}' is inside the inputs folder '{inputs_dir}': the next compile "
                "would read its own outputs; write them beside the inputs instead (-o outputs)")
    if out in inputs.parents:
        return (f"the output folder '{out_dir}' holds the inputs folder '{inputs_dir}': replacing it would "
                "replace the inputs; give a folder of its own (-o outputs)")
    if rules_dir is not None:
        rules = rules_dir.resolve()
        if rules == out or out in rules.parents:
            return (f"the output folder '{out_dir}' holds the rules folder '{rules_dir}'; give a folder of its "
                    "own (-o outputs)")
    return None


@contextmanager
def folder_lock(out_dir: Path):
    """One compile at a time writes into a folder: a second one waits for the first to finish, so the
    folder is whole after both (an advisory lock on a file beside the folder, released on exit or death)."""
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out_dir.parent / f".{out_dir.name}.lock"  # kept: removing it would race a waiting compile
    with open(lock_path, "a+b") as fh:
        try:
            import fcntl
        except ImportError:  # not a POSIX system: no lock, the swap is still atomic
            yield
            return
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
