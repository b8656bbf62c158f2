"""Writers: the compiled plan -> artefacts in the output folder.

Every artefact is built in a temporary folder beside the output folder and
moved into place only when all of them are written, so a compile that fails
or is killed leaves the previous outputs as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from .. import __version__
from ..pipeline import Compilation
from .plan_json import dumps, plan_document

MANIFEST = "manifest.json"


def write_outputs(comp: Compilation, out_dir: Path) -> dict[str, str]:
    """Write every artefact; returns {relative path: sha256}."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".sdp-build-", dir=out_dir.parent))
    try:
        artefacts: dict[str, bytes] = {"plan.json": dumps(plan_document(comp.plan, comp.rules))}
        digests = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(artefacts.items())}
        artefacts[MANIFEST] = dumps(_manifest(comp, digests))
        for name, data in artefacts.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for name in sorted(artefacts, key=lambda n: n == MANIFEST):
            dest = out_dir / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, dest)
        return {**digests, MANIFEST: hashlib.sha256(artefacts[MANIFEST]).hexdigest()}
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _manifest(comp: Compilation, outputs: dict[str, str]) -> dict:
    return {
        "compiler": {"name": "sdp", "version": __version__},
        "rules": {"folder": comp.rules.folder.name, "digest": comp.rules.digest},
        "inputs": [{"path": s.path, "sha256": s.sha256} for s in comp.plan.submissions],
        "outputs": [{"path": name, "sha256": digest} for name, digest in sorted(outputs.items())],
    }


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
