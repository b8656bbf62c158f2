"""The incremental compile: rebuild only what a change touches; the same bytes either way.

A compile has a *build key* (`cache.build_key`: the compiler's code, the rules,
every input's path and hash, and every option that changes an output). Each
writer work item has a *fingerprint*: a digest of what its bytes are made from
(`Writer.fingerprint`; by default the build key, so a whole-plan document is
rebuilt whenever anything changed, while an annotated copy depends only on its
submission and that submission's diagnostics), mixed with the code and the house
style. The cache records, per output folder, each item's fingerprint and the
files it wrote with their sha256 (`cache.BuildRecord`). The next compile into
that folder carries an item's files over instead of rebuilding them when its
fingerprint is unchanged and the files are still there with those hashes; when
the build key itself is unchanged and every output is intact, the compile is up
to date and writes nothing at all.

The fingerprints make the guarantee: an item is kept only when everything it is
made from is the same, so a kept file has the bytes a rebuild would write
(`tests/test_incremental.py` compiles both ways and compares every byte).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import BuildRecord, code_digest, digest_of, file_sha256


def item_id(writer: Any, key: str | None) -> str:
    """A work item's name in the build record: the writer's name, and its part's key."""
    return writer.name if key is None else f"{writer.name}:{key}"


@dataclass
class Reuse:
    """One compile's view of the last compile into the same output folder."""

    key: str  # this compile's build key
    style: str  # digest of the house style the documents are rendered in ("" for the built-in one)
    previous: BuildRecord | None
    record: BuildRecord = field(init=False)  # what this compile writes, for the next one
    carried: set[str] = field(default_factory=set, init=False)  # the files kept rather than rebuilt
    _fingerprints: dict[str, str] = field(default_factory=dict, init=False)
    _intact: dict[str, bool] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.record = BuildRecord(self.key)

    def fingerprint(self, writer: Any, key: str | None, comp: Any, ctx: Any) -> str:
        own = writer.fingerprint(comp, ctx, key) if writer.fingerprint is not None else self.key
        return digest_of("item", code_digest(), self.style, writer.name, key or "", own)

    def up_to_date(self, out_dir: Path) -> bool:
        """Nothing to do: the last compile into `out_dir` had this build key and its outputs are intact."""
        return (self.previous is not None and self.previous.key == self.key and bool(self.previous.outputs)
                and all(self._is_intact(out_dir, n, sha) for n, sha in self.previous.outputs.items()))

    def kept(self, writer: Any, key: str | None, comp: Any, ctx: Any, out_dir: Path) -> list[tuple[str, str]] | None:
        """The (file, sha256) pairs of this work item to carry over from `out_dir`, or None: rebuild it."""
        item = item_id(writer, key)
        before = self.previous.items.get(item) if self.previous is not None else None
        if not before or not before.get("outputs"):
            return None  # nothing to compare with: the fingerprint is taken where the item is written
        fingerprint = self._fingerprints[item] = self.fingerprint(writer, key, comp, ctx)
        if before.get("fingerprint") != fingerprint:
            return None
        outputs: dict[str, str] = before["outputs"]
        if not all(self._is_intact(out_dir, name, sha) for name, sha in outputs.items()):
            return None
        self.record.items[item] = {"fingerprint": fingerprint, "outputs": dict(outputs)}
        self.carried.update(outputs)
        return sorted(outputs.items())

    def fingerprint_later(self, comp: Any, ctx: Any):
        """The fingerprint of an item not fingerprinted before it ran, to be taken where it runs (in a
        forked worker, which holds what the item laid out); None for one fingerprinted already."""
        taken = dict(self._fingerprints)

        def fingerprint(writer: Any, key: str | None) -> str | None:
            return None if item_id(writer, key) in taken else self.fingerprint(writer, key, comp, ctx)
        return fingerprint

    def built(self, writer: Any, key: str | None, produced: list[tuple[str, str]], fingerprint: str | None) -> None:
        """A rebuilt work item's files (one that wrote nothing, say an annotated copy out of time, is
        not recorded: it is tried again next time); `fingerprint`: taken where it ran, if not before."""
        item = item_id(writer, key)
        fingerprint = self._fingerprints.get(item, fingerprint)
        if produced and fingerprint is not None:
            self.record.items[item] = {"fingerprint": fingerprint, "outputs": dict(produced)}

    def kept_pdfs(self, documents: list[str], digests: dict[str, str], out_dir: Path) -> dict[str, str]:
        """The tagged PDFs to carry over: those of Word documents whose bytes are unchanged."""
        from .writers.pdf import pdf_name

        if self.previous is None:
            return {}
        before = self.previous.outputs
        kept = {}
        for name in documents:
            pdf = pdf_name(name)
            if before.get(name) == digests.get(name) and pdf in before and self._is_intact(out_dir, pdf, before[pdf]):
                kept[pdf] = before[pdf]
        self.carried.update(kept)
        return kept

    def _is_intact(self, out_dir: Path, name: str, sha256: str) -> bool:
        if name not in self._intact:
            self._intact[name] = file_sha256(out_dir / name) == sha256
        return self._intact[name]


@dataclass
class CompileResult:
    """What a compile reported, kept in the cache so an up-to-date compile can report it again."""

    summary: str  # "18 submissions, 67 actions, ...; 1 error, ..."
    diagnostics: list  # the plan's diagnostics, as printed
    messages: list[str]  # the warnings the writers left for the command line

    @property
    def error_count(self) -> int:
        from .diagnostics import Severity

        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)


def house_style(reference: Path | None) -> str:
    """The digest of a house-style document ("" for the built-in style)."""
    return file_sha256(reference) if reference is not None else ""
