"""DH562: an identifier hashed with an unkeyed function (md5, sha*, ``hash()``, Spark/polars
hashes, SQL ``md5()``), or with a keyed one whose key is written in the code: a dictionary of
all plates or phone numbers reverses it."""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.detectors.python._columns import classified, describe
from dhlint.detectors.python.secrets import is_test_path
from dhlint.models.python import PythonModel
from dhlint.types import Hit, Related

CATEGORIES = ("direct", "device", "biometric", "quasi", "location", "special")


def detect(model: PythonModel, ctx: Context) -> Iterable[Hit]:
    categories = ctx.params.get("categories", CATEGORIES)
    confidence = ctx.params.get("min_confidence", "medium")
    # A key written in a test is the test's, not the one deployment uses.
    tests = is_test_path(model.path, ctx.params.get("test_paths", ()))
    for fact in model.hashes:
        if fact.key and tests:
            continue
        found = classified(fact.columns, ctx.policy, categories, confidence)
        if not found:
            continue
        first = found[0].column
        related = tuple(r for r in first.flow[:1] if r.location != fact.location)
        flow = (*tuple(first.flow), Related(fact.location, f"hashed with {fact.algo}"))
        # A secret prefix (a pepper read at run time) is no dictionary's way in, but is not
        # the keyed construction (HMAC) the policy asks for: the message says which it is.
        # A key written in the code is everyone's who has the repository.
        if fact.key:
            template = ctx.params["literal_key"]
            if fact.key_at is not None and fact.key_at.start_line != fact.location.start_line:
                related = (*related, Related(fact.key_at, "key written here"))
        else:
            template = ctx.params["secret_prefix" if fact.secret else "unkeyed"]
        what = template.format(algo=fact.algo, secret=fact.secret, key=fact.key)
        yield Hit(
            location=fact.location,
            args={"columns": describe(found), "algo": fact.algo, "what": what},
            anchor=fact.anchor,
            scope=fact.scope,
            related=related,
            flow=flow,
        )
