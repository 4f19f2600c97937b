"""Literal credentials in Python code (DH760), from ``PythonModel.credentials``
(``models.python_credentials``): a credential-named variable, attribute, key, keyword argument
or parameter default given a literal, an ``Authorization`` header's literal token, a URL or
connection string with a literal password. Names are judged as DH740 judges an environment
variable's (``dhlint.credentials``, with the rule's ``describing_words``); test files
(``test_paths``) and literals shorter than ``min_length`` are not reported. Messages name the
target, never the value."""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase

from dhlint.analysis import Context
from dhlint.credentials import is_credential_name
from dhlint.models.python import PythonModel
from dhlint.types import Hit

_WHAT = {
    "variable": "Variable",
    "attribute": "Attribute",
    "key": "Key",
    "keyword argument": "Keyword argument",
    "parameter": "Default of parameter",
    "environment default": "Default of environment variable",
    "option": "Default of option",
    "setting default": "Default of setting",
    "argument": "Argument",
    "string": "String",
    "URL query": "Query parameter",
}


def is_test_path(path: str, patterns: Iterable[str]) -> bool:
    """``path`` (POSIX, relative) or its file name matches one of ``patterns``."""
    name = path.rsplit("/", 1)[-1]
    padded = f"/{path}"
    return any(
        fnmatchcase(name, p) if "/" not in p else fnmatchcase(padded, f"*/{p}") for p in patterns
    )


def literal_credential(model: PythonModel, ctx: Context) -> Iterable[Hit]:
    facts = model.credentials
    if not facts or is_test_path(model.path, ctx.params.get("test_paths", ())):
        return
    extra = ctx.params.get("describing_words", ())
    min_length = int(ctx.params.get("min_length", 0))
    for fact in facts:
        if fact.size < min_length:
            continue
        if fact.kind == "name" and not is_credential_name(fact.name, extra):
            continue
        subject = _WHAT.get(fact.what, fact.what.capitalize())
        if fact.name:
            subject += f" '{fact.name}'"
        if fact.context:
            subject += f" of {fact.context}()"
        secret = fact.secret
        if fact.host:
            secret += f" for {fact.host}"
        yield Hit(
            location=fact.location,
            args={"subject": subject, "secret": secret},
            anchor=fact.anchor,
            scope=fact.scope,
            related=fact.related,
        )
