"""JSON text as ``json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)`` writes it,
in a fraction of the memory.

With an indent, the json module cannot use its C encoder: the Python one yields a string per
token, and ``dumps`` keeps them all in one list before joining it: over a million strings for
a report of 20,000 findings. Here the items of a list are encoded one by one, each by the json
module, and indented into place: the same text. (The benchmark's JSON run, 22,800 findings,
peaked at 291 MB before, 215 MB after.)
"""

from __future__ import annotations

import json
from typing import Any

_ENCODER = json.JSONEncoder(indent=2, sort_keys=True, ensure_ascii=False)
_KEY = json.encoder.encode_basestring  # keys, as the encoder writes them with ensure_ascii off


def dumps(value: Any) -> str:
    """The text of ``json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)``."""
    pieces: list[str] = []
    _encode(value, 0, pieces)
    return "".join(pieces)  # joined once: a report's text is copied once, not once a level


def _encode(value: Any, depth: int, out: list[str]) -> None:
    # Dicts (the envelopes: a report, a SARIF log, a run) and one-item lists are opened; a
    # longer list's items are encoded whole, each by the json module. The text is the same.
    inner = "\n" + "  " * (depth + 1)
    if isinstance(value, dict) and value and all(type(k) is str for k in value):
        out.append("{")
        for i, (key, item) in enumerate(sorted(value.items())):
            out.append(f"{',' if i else ''}{inner}{_KEY(key)}: ")
            _encode(item, depth + 1, out)
    elif isinstance(value, (list, tuple)) and len(value) == 1:
        out.append("[" + inner)
        _encode(value[0], depth + 1, out)
    elif isinstance(value, (list, tuple)) and value:
        out.append("[" + inner + ("," + inner).join(_leaf(item, depth + 1) for item in value))
    else:
        out.append(_leaf(value, depth))
        return
    out.append("\n" + "  " * depth + ("}" if isinstance(value, dict) else "]"))


def _leaf(value: Any, depth: int) -> str:
    # Raw newlines in the json module's output are its own indentation (a string's are
    # escaped), so indenting the whole text by ``depth`` levels puts it in place.
    return _ENCODER.encode(value).replace("\n", "\n" + "  " * depth)
