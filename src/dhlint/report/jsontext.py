"""JSON text as ``json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)`` writes it,
in a fraction of the memory and half the time.

With an indent, the json module cannot use its C encoder. Its Python one yields a string per
token, and ``dumps`` keeps them all in one list before joining it: over a million strings for
a report of 20,000 findings. Its generators are closures, too: reference cycles that only the
cyclic garbage collector frees, and collecting them took as long as the encoding itself in a
real run. Here the items of a list are written one by one and joined, each into one string,
by a plain recursive writer that calls the json module's C string encoder and makes no
cycles. The text is the same: tests compare it with the json module's on generated values
and on the fixtures' JSON and SARIF reports. (The benchmark's JSON run, 22,800 findings,
peaked at 291 MB with ``json.dumps``; in a 1-core run, this writer took 0.7 s instead of
1.7 s on its SARIF log.)
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

_ENCODER = json.JSONEncoder(indent=2, sort_keys=True, ensure_ascii=False)
_STR = json.encoder.encode_basestring  # the C encoder, as the json module uses it here
string = _STR  # the text of a str (for callers that write text themselves: report.json)
_CONSTANTS = {None: "null", True: "true", False: "false"}
# The text of a scalar, by its exact type (not floats: NaN and infinities go to the json module).
_SCALARS: dict[type, Callable[[Any], str]] = {
    str: _STR,
    int: int.__repr__,
    bool: _CONSTANTS.__getitem__,
    type(None): _CONSTANTS.__getitem__,
}


class Raw(str):
    """JSON text that a caller wrote itself, as ``dumps`` writes the value it stands for at the
    top level: written as it is, its lines indented to where it is placed (a report's findings,
    ``report.json.finding_text``)."""


def dumps(value: Any) -> str:
    """The text of ``json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)``."""
    pieces: list[str] = []
    _encode(value, 0, pieces)
    return "".join(pieces)  # joined once: a report's text is copied once, not once a level


def _encode(value: Any, depth: int, out: list[str]) -> None:
    # Dicts (the envelopes: a report, a SARIF log, a run) and one-item lists are opened; a
    # longer list's items are written whole, each into one string. The text is the same.
    here = "\n" + "  " * depth  # a line break and this level's indentation
    inner = here + "  "
    if isinstance(value, dict) and value and all(type(k) is str for k in value):
        out.append("{")
        for i, (key, item) in enumerate(sorted(value.items())):
            out.append(f"{',' if i else ''}{inner}{_STR(key)}: ")
            _encode(item, depth + 1, out)
    elif isinstance(value, (list, tuple)) and len(value) == 1:
        out.append("[" + inner)
        _encode(value[0], depth + 1, out)
    elif isinstance(value, (list, tuple)) and value:
        out.append("[" + inner + ("," + inner).join(_leaf(item, inner) for item in value))
    else:
        out.append(_leaf(value, here))
        return
    out.append(here + ("}" if isinstance(value, dict) else "]"))


def _leaf(value: Any, indent: str) -> str:
    pieces: list[str] = []
    _write(value, indent, pieces.append)
    return "".join(pieces)


def _write(value: Any, indent: str, out: Callable[[str], None]) -> None:
    """Write ``value`` at the nesting whose line break and indentation is ``indent``. Only the
    exact built-in types are written here; anything else (a subclass, a dict with keys that
    are not strings, a NaN) goes to the json module, which decides its text or refuses it."""
    kind = type(value)
    scalar = _SCALARS.get(kind)
    if scalar is not None:
        out(scalar(value))
    elif kind is dict or kind is list or kind is tuple:
        if not value:
            out("{}" if kind is dict else "[]")
            return
        inner = indent + "  "
        if kind is not dict:
            separator = "[" + inner
            for item in value:
                out(separator)
                _write(item, inner, out)
                separator = "," + inner
            out(indent + "]")
        elif {*map(type, value)} == _STR_ONLY:
            # The members, each "key": value, joined once. A report's dicts (a finding's, a
            # location's) come in a few shapes: each shape's sorted keys, with their text, are
            # made once per run.
            shape = tuple(value)
            heads = _SHAPES.get(shape)
            if heads is None:
                heads = tuple((key, _STR(key) + ": ") for key in sorted(value))
                if len(_SHAPES) < 1000:
                    _SHAPES[shape] = heads
            members = []
            for key, head in heads:
                item = value[key]
                scalar = _SCALARS.get(type(item))
                if scalar is not None:  # most values of a report: written with their key
                    members.append(head + scalar(item))
                else:
                    pieces = [head]
                    _write(item, inner, pieces.append)
                    members.append("".join(pieces))
            out("{" + inner + ("," + inner).join(members) + indent + "}")
        else:  # keys that are not strings: the json module converts or refuses them
            out(_json(value, indent))
    elif kind is Raw:  # JSON strings hold no line break: each one is the text's own
        out(value.replace("\n", indent))
    elif kind is float and math.isfinite(value):
        out(float.__repr__(value))
    else:
        out(_json(value, indent))


_STR_ONLY = {str}
# The keys of a dict, in its order -> its keys sorted, each with its text and ": ".
_SHAPES: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {}


def _json(value: Any, indent: str) -> str:
    return _ENCODER.encode(value).replace("\n", indent)
