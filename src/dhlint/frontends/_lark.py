"""lark, imported without the third-party ``regex`` module.

lark imports ``regex``, when it is installed, only to support Unicode categories (``\\p{L}``)
in the grammars that ask for them; python-hcl2's grammar does not. That import is 8-13 ms of a
one-file run, so lark is imported with ``regex`` hidden, unless something in this process
already imported it (then nothing changes).
"""

from __future__ import annotations

import sys

_HIDE = "regex" not in sys.modules
if _HIDE:
    sys.modules["regex"] = None  # type: ignore[assignment]  # makes ``import regex`` fail
try:
    from lark import Lark, Token, Tree
    from lark.exceptions import LarkError, UnexpectedInput
finally:
    if _HIDE:
        del sys.modules["regex"]

__all__ = ["Lark", "LarkError", "Token", "Tree", "UnexpectedInput"]
