"""The resource types a Terraform detector judges, said to the runner (``units._detector_of``
reads a detector's ``judged_types``): a detector whose findings all come from resources of
some types finds nothing in a model holding none of them, and is not asked there (most
models, for most rules: a unit holds a few types)."""

from __future__ import annotations

from collections.abc import Callable

from dhlint.analysis import Context

JudgedTypes = Callable[[Context], frozenset[str]]


def judges(*types: str) -> JudgedTypes:
    """``judged_types`` of a detector judging resources of these types only."""
    judged = frozenset(types)
    return lambda ctx: judged


def judges_param(key: str) -> JudgedTypes:
    """``judged_types`` of a detector judging resources of the types its rule's
    ``params[key]`` lists only."""
    return lambda ctx: frozenset(ctx.params.get(key, []))
