"""Where the shipped rule catalogue and default policy live, and how their YAML is read.

In a wheel, ``rules/`` is installed as ``dhlint/_rules``; in a source checkout (editable install)
it is the repository's ``rules/`` directory. dhlint never needs the network for either.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any


@lru_cache(maxsize=1)
def rules_dir() -> Path:
    packaged = Path(__file__).resolve().parent / "_rules"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "rules"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("dhlint's rule catalogue is missing from this installation")


def load_yaml(text: str) -> Any:
    """PyYAML's safe load, with libyaml's loader when present (about 8 times faster than the
    pure-Python one). PyYAML is imported here, on first use: a run that reads no YAML but
    the shipped files (read from their JSON copies) saves the import, about 14 ms."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


# The shipped YAML (the catalogue's rules, the default policy) also ships as JSON copies, made by
# ``python -m dhlint.devtools.gen_docs`` and checked in CI: each entry holds a file's data and
# the hash of its bytes. JSON reads in a fraction of the time, and a run that needs no other
# YAML does not import PyYAML. An entry whose hash differs from the file's is ignored, so a
# stale copy only ever costs time.
def copy_entry(raw: bytes) -> dict[str, Any]:
    """The JSON copy's entry for a YAML file's bytes."""
    return {"sha256": hashlib.sha256(raw).hexdigest(), "data": load_yaml(raw.decode("utf-8"))}


def read_copy(path: Path) -> dict[str, Any]:
    """The JSON copy at ``path`` (``{"format": 1, ...}``), or {} when missing or unreadable."""
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) and loaded.get("format") == 1 else {}


def copied_data(entry: Any, raw: bytes) -> Any | None:
    """The data of a copy's ``entry`` when it was made from ``raw``, else None."""
    if isinstance(entry, dict) and entry.get("sha256") == hashlib.sha256(raw).hexdigest():
        return entry.get("data")
    return None
