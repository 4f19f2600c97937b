"""The normalised Terraform syntax tree the frontend produces (no parser imports here).

Every node carries a ``Pos`` (1-based line/col, exclusive end col) so that a finding can point at
the exact attribute, element or block header. The same tree comes out of ``.tf`` (python-hcl2's
lark parse tree), ``.tf.json`` and ``.tfvars`` files, so the model builder never sees a parser.

Expressions are small dataclasses; the model evaluates them (``dhlint.models.
terraform_eval``), nothing here executes anything.

The nodes are values, never changed once made, but not frozen dataclasses: a frozen
dataclass's ``__init__`` sets each field through ``object.__setattr__``, three to four times the
cost of a plain one, and the 2,001 files of the benchmark make some 130,000 nodes.
``unsafe_hash=True`` gives them the equality and hash the frozen classes had.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Pos(NamedTuple):
    """A named tuple, not a frozen dataclass: one is made for every token and node of every
    file (some 130,000 for the benchmark's 2,001 files), and a frozen dataclass's ``__init__``
    (a call of ``object.__setattr__`` per field) took two to three times as long."""

    line: int
    col: int
    end_line: int
    end_col: int


NOPOS = Pos(0, 0, 0, 0)


# --- expressions -------------------------------------------------------------------------------
@dataclass(unsafe_hash=True)
class Expr:
    pos: Pos


@dataclass(unsafe_hash=True)
class Literal(Expr):
    value: object  # str | int | float | bool | None


@dataclass(unsafe_hash=True)
class Template(Expr):
    """A string with interpolations: parts are ``str`` or ``Expr``."""

    parts: tuple


@dataclass(unsafe_hash=True)
class Traversal(Expr):
    """``var.x``, ``aws_s3_bucket.raw.id``, ``local.m["k"]``: a root name and steps.

    Steps are ``("attr", name)``, ``("index", Expr)`` or ``("splat", None)``.
    """

    root: str
    steps: tuple


@dataclass(unsafe_hash=True)
class GetAttr(Expr):
    """Attribute/index access on a non-name expression (``func(x).a``, ``(x)[0]``)."""

    target: Expr
    steps: tuple


@dataclass(unsafe_hash=True)
class Call(Expr):
    name: str
    args: tuple
    expand_last: bool = False


# The name of the call a template directive is kept as (``terraform.directive``).
DIRECTIVE = "__template_directive__"


@dataclass(unsafe_hash=True)
class Conditional(Expr):
    cond: Expr
    then: Expr
    other: Expr


@dataclass(unsafe_hash=True)
class BinaryOp(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(unsafe_hash=True)
class UnaryOp(Expr):
    op: str
    operand: Expr


@dataclass(unsafe_hash=True)
class TupleExpr(Expr):
    items: tuple


@dataclass(unsafe_hash=True)
class ObjectExpr(Expr):
    """``{k = v}``; items are ``(key Expr, value Expr)``."""

    items: tuple


@dataclass(unsafe_hash=True)
class ForExpr(Expr):
    key_var: str | None
    value_var: str
    collection: Expr
    key: Expr | None  # object form: ``{for k, v in x : key => value}``
    value: Expr
    cond: Expr | None
    is_object: bool


# --- structure ---------------------------------------------------------------------------------
@dataclass(unsafe_hash=True)
class Attribute:
    name: str
    value: Expr
    key_pos: Pos
    # The file it was written in when not its block's: an override file's attribute merged
    # into a block of another file (``dhlint.models.terraform_override``). "" otherwise.
    path: str = ""

    @property
    def pos(self) -> Pos:
        """From the key to the end of the value (what a finding on the attribute points at)."""
        v = self.value.pos
        if not v.line:
            return self.key_pos
        return Pos(self.key_pos.line, self.key_pos.col, v.end_line, v.end_col)


@dataclass(unsafe_hash=True)
class Block:
    type: str
    labels: tuple[str, ...]
    attributes: dict[str, Attribute] = field(default_factory=dict, hash=False)
    blocks: tuple[Block, ...] = ()
    pos: Pos = NOPOS  # the header (type and labels)
    end_line: int = 0  # the closing brace
    path: str = ""  # as ``Attribute.path``: a nested block an override file put in
    # The override blocks merged into this one: (file, header line, closing brace line).
    merged: tuple[tuple[str, int, int], ...] = ()

    def children(self, block_type: str) -> list[Block]:
        return [b for b in self.blocks if b.type == block_type]


@dataclass(unsafe_hash=True)
class FileTree:
    """One parsed file: top-level blocks and, for ``.tfvars``, top-level attributes."""

    path: str
    blocks: tuple[Block, ...] = ()
    attributes: dict[str, Attribute] = field(default_factory=dict, hash=False)
