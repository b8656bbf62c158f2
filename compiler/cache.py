"""The compile cache: what a compile can reuse from the last one, in a folder that is safe to delete.

Three things are kept, each under a key that changes whenever anything it was
made from changes, so an entry is never stale:

- **records/**: each submission's read records, keyed by the compiler's code
  (`code_digest`: every source file of the package and the versions of the
  libraries it reads and writes with), the rules digest, the file's path and
  the sha256 of its bytes. An edited reader, rules file or submission misses.
- **builds/**: per output folder, what the last compile into it wrote: the
  compile's build key (`build_key`: code, rules, every input's hash and every
  option that changes an output) and, per writer work item, the fingerprint of
  what it rendered and the files it produced with their sha256. A work item
  whose fingerprint is unchanged, and whose files are still in the output folder
  with those hashes, is kept instead of rebuilt.
- **results/**: per build key, what the compile reported (its diagnostics and
  summary), so an up-to-date compile can say it again without reading anything.

The folder is `.sdp-cache` beside the output folder unless `--cache` names
another; `--no-cache` compiles without it. Deleting it costs one cold compile.
Entries are pickles, the same bytes the reading workers send to the compile:
the folder is created private to the user (mode 0700) and is not used when
another user owns it or others can write to it, because loading a pickle runs
whatever it names. Entries not used for `MAX_AGE_DAYS` are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE_NAME = ".sdp-cache"
MAX_AGE_DAYS = 30
TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
       "# This folder is the cache of sdp, the Shared Delivery Plan compiler. It is safe to delete;\n"
       "# the next compile is then a cold one. See https://bford.info/cachedir/ for this file.\n")
LIBRARIES = ("lxml", "openpyxl", "python-docx", "networkx", "jinja2", "pillow", "rapidfuzz")
FORMAT = 1  # of the cache's own layout: a change makes every older entry miss


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The compiler as it is now: every file of the package (sources, schemas, templates), the Python
    version, the versions of the libraries that read inputs and write outputs, and the chart font
    (a chart's bytes depend on it). Any change misses."""
    from importlib import metadata

    from .chart_render import font_identity

    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"sdp-cache {FORMAT}\0{sys.version}\0{font_identity()}\0".encode())
    for library in LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{library}={version}\0".encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes ("" when it cannot be read: such a file is never a cache hit)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(2**20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def digest_of(*parts: object) -> str:
    """A sha256 over `parts` (strings, bytes, or anything JSON can write with sorted keys)."""
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, bytes):
            data = part
        elif isinstance(part, str):
            data = part.encode()
        else:
            data = json.dumps(part, sort_keys=True, default=str).encode()
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


@dataclass(frozen=True)
class BuildOptions:
    """Everything besides the inputs and rules that changes what a compile writes."""

    as_of: str
    strict: bool = False
    only: tuple[str, ...] | None = None
    reference_docx: str = ""  # sha256 of the house-style document, "" for the built-in style
    previous: str = ""  # digest of the --previous plan, "" without one
    pdf: bool = False


def build_key(rules_digest: str, inputs: list[tuple[str, str]], options: BuildOptions) -> str:
    """The key of one compile: the code, the rules, every input's path and hash, and the options."""
    return digest_of("build", code_digest(), rules_digest, inputs, options.__dict__)


@dataclass
class BuildRecord:
    """What one compile wrote into an output folder, for the next compile into it."""

    key: str
    items: dict[str, dict[str, Any]] = field(default_factory=dict)  # item -> {"fingerprint", "outputs"}
    outputs: dict[str, str] = field(default_factory=dict)  # every file written (manifest included) -> sha256

    def to_json(self) -> dict:
        return {"key": self.key, "items": self.items, "outputs": self.outputs}

    @classmethod
    def from_json(cls, data: dict) -> BuildRecord:
        return cls(str(data["key"]), dict(data["items"]), dict(data["outputs"]))


class Cache:
    """One cache folder (see the module's docstring). Every method treats a damaged or missing entry
    as a miss, and a failure to store as nothing stored: the cache can never fail a compile."""

    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def open(cls, folder: Path) -> tuple[Cache | None, str | None]:
        """The cache in `folder` (created if missing), or None and why it cannot be used."""
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = folder.stat()
            if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
                return None, (f"the cache folder '{folder}' is not private to this user (another user owns it "
                              "or others may write to it); compiling without it")
            tag = folder / "CACHEDIR.TAG"
            if not tag.exists():
                _write_atomic(tag, TAG.encode())
        except OSError as exc:
            return None, f"the cache folder '{folder}' cannot be used ({exc.strerror or exc}); compiling without it"
        return cls(folder), None

    # --- read records -----------------------------------------------------------------------------

    def records_key(self, rules_digest: str, rel_path: str, sha256: str) -> str:
        return digest_of("records", code_digest(), rules_digest, rel_path, sha256)

    def load_records(self, key: str) -> Any | None:
        return self._load(self._entry("records", key))

    def store_records(self, key: str, payload: bytes) -> None:
        """`payload`: the records already pickled (as a reading worker sends them)."""
        self._store(self._entry("records", key), payload)

    # --- results and builds ---------------------------------------------------------------------------

    def load_result(self, key: str) -> Any | None:
        return self._load(self._entry("results", key))

    def store_result(self, key: str, result: Any) -> None:
        try:
            payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return
        self._store(self._entry("results", key), payload)

    def load_build(self, out_dir: Path) -> BuildRecord | None:
        try:
            data = json.loads(self._build_path(out_dir).read_text(encoding="utf-8"))
            return BuildRecord.from_json(data)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store_build(self, out_dir: Path, record: BuildRecord) -> None:
        data = json.dumps(record.to_json(), sort_keys=True).encode()
        try:
            _write_atomic(self._build_path(out_dir), data)
        except OSError:
            pass

    def forget_build(self, out_dir: Path) -> None:
        try:
            self._build_path(out_dir).unlink()
        except OSError:
            pass

    def prune(self, max_age_days: float = MAX_AGE_DAYS) -> int:
        """Remove the entries no compile has used for `max_age_days`; returns how many."""
        cutoff = time.time() - max_age_days * 86400
        removed = 0
        for kind in ("records", "results", "builds"):
            for path in (self.folder / kind).glob("*/*"):
                try:
                    if path.stat().st_mtime < cutoff:
                        path.unlink()
                        removed += 1
                except OSError:
                    pass
        return removed

    # --- storage ----------------------------------------------------------------------------------------

    def _entry(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / f"{key}.pickle"

    def _build_path(self, out_dir: Path) -> Path:
        key = digest_of("output folder", str(out_dir.absolute()))
        return self.folder / "builds" / key[:2] / f"{key}.json"

    @staticmethod
    def _load(path: Path) -> Any | None:
        try:
            with open(path, "rb") as fh:
                data = fh.read()  # one read, then loads: pickle.load on a file reads it piece by piece
            value = pickle.loads(data)
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001 - a damaged entry (truncated, from an older layout) is a miss
            return None
        try:
            os.utime(path)  # used: kept by `prune`
        except OSError:
            pass
        return value

    @staticmethod
    def _store(path: Path, payload: bytes) -> None:
        try:
            _write_atomic(path, payload)
        except OSError:
            pass


def _write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a reader sees the old file or the new one, never half of it."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
