"""Where the shipped rule catalogue and default policy live.

In a wheel, ``rules/`` is installed as ``dhlint/_rules``; in a source checkout (editable install)
it is the repository's ``rules/`` directory. dhlint never needs the network for either.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def rules_dir() -> Path:
    packaged = Path(__file__).resolve().parent / "_rules"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "rules"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("dhlint's rule catalogue is missing from this installation")
