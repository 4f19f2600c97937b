"""Evaluate Terraform expressions to Python values, keeping what is not known as ``Unknown``.

Values are plain Python (str, int, float, bool, None, list, dict) plus two markers (and
``Named``, a string that keeps the address of the resource it was computed from):

- ``Unknown(refs, partial)``: not known before apply (a resource id, a variable without a
  value, an unsupported function). ``refs`` are the resource addresses it came from (so that
  ``bucket = aws_s3_bucket.raw.id`` still links to the bucket); ``partial`` is the text of a
  string template with the unknown parts shown as ``${?}`` (policy documents stay readable).
- ``Branches(options)``: a conditional whose condition is unknown and whose branches differ;
  rules judge every option.

Nothing here executes scanned code; functions are a small, pure, allow-listed set.
"""

from __future__ import annotations

import base64
import functools
import itertools
import json
import re
from collections.abc import Callable
from typing import Any

from dhlint.frontends.terraform_ast import (
    DIRECTIVE,
    NOPOS,
    BinaryOp,
    Call,
    Conditional,
    Expr,
    ForExpr,
    GetAttr,
    Literal,
    ObjectExpr,
    Template,
    Traversal,
    TupleExpr,
    UnaryOp,
)

PLACEHOLDER = "${?}"


class Unknown:
    """A value not known before apply. Equal unknowns compare equal (for de-duplication)."""

    __slots__ = ("partial", "refs", "untaken")

    def __init__(
        self, refs: frozenset[str] = frozenset(), partial: str | None = None, untaken: str = ""
    ) -> None:
        self.refs = refs
        self.partial = partial
        # text written in the configuration that the value does not show (see ``Rendered``)
        self.untaken = untaken

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown) and (self.refs, self.partial) == (
            other.refs,
            other.partial,
        )

    def __hash__(self) -> int:
        return hash((self.refs, self.partial))

    def __repr__(self) -> str:
        return f"Unknown({sorted(self.refs)})" if self.refs else "Unknown()"

    def __reduce__(self):
        return (Unknown, (self.refs, self.partial, self.untaken))


UNKNOWN = Unknown()


class Computed(Unknown):
    """An attribute the provider sets on every resource (or data source) it creates or reads,
    its ``id`` or ``arn`` (``NEVER_NULL``): not known before apply, but never null, so
    ``aws_kms_key.k.arn == null`` is false (``var.key == null ? "AES256" : "aws:kms"`` with the
    key's arn passed in takes the ``aws:kms`` branch). A value computed from it (a function's
    result, a text around it) is a plain ``Unknown``."""

    __slots__ = ()

    def __reduce__(self):
        return (Computed, (self.refs, self.partial))


# (resource type or "", attribute): the attributes a ``Computed`` stands for ("": any type)
NEVER_NULL = frozenset({("", "id"), ("", "arn"), ("aws_kms_key", "key_id")})


class Encoded(Unknown):
    """``jsonencode(...)`` of a document with unknown leaves: its text (``partial``, the
    unknown parts as ``${?}``) and the document encoded (``document``), whose leaves keep what
    the text cannot: an unknown bucket name's address (an ECS container's environment)."""

    __slots__ = ("document",)

    def __init__(self, refs: frozenset[str], partial: str, document: Any) -> None:
        super().__init__(refs, partial)
        self.document = document

    def __reduce__(self):
        return (Encoded, (self.refs, self.partial, self.document))


class Interpolated(Unknown):
    """A string template (a quoted string, a heredoc) with unknown parts: its text (``partial``,
    each unknown part ``${?}``) and those parts' values in order (``pieces``), which keep what
    the text cannot: an unknown bucket name's address in a JSON heredoc's ECS environment."""

    __slots__ = ("pieces",)

    def __init__(self, refs: frozenset[str], partial: str, pieces: tuple) -> None:
        super().__init__(refs, partial)
        self.pieces = pieces

    def __reduce__(self):
        return (Interpolated, (self.refs, self.partial, self.pieces))


class Named(str):
    """A known string computed from a resource's arguments (a bucket's id is its name) that
    keeps the resource's address: a companion whose ``bucket`` is it links to that resource,
    not to every resource of the same name (module instances may repeat a name)."""

    refs: frozenset[str]

    def __new__(cls, value: str, refs: frozenset[str]) -> Named:
        obj = super().__new__(cls, value)
        obj.refs = refs
        return obj

    def __reduce__(self):
        return (Named, (str(self), self.refs))


class Rendered(str):
    """A string that keeps text written in the configuration that it does not show
    (``untaken``): a template's branches not taken (its directives decided), and through an
    encoding function (``base64encode``) what its input kept so. A credential written there is
    committed all the same (DH703 reads it), though the value does not hold it."""

    untaken: str

    def __new__(cls, value: str, untaken: str) -> Rendered:
        obj = super().__new__(cls, value)
        obj.untaken = untaken
        return obj

    def __reduce__(self):
        return (Rendered, (str(self), self.untaken))


class Branches:
    """One of several known values (a conditional on an unknown condition)."""

    __slots__ = ("options",)

    def __init__(self, options: tuple) -> None:
        self.options = options

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Branches) and self.options == other.options

    def __hash__(self) -> int:
        return hash(tuple(repr(o) for o in self.options))

    def __repr__(self) -> str:
        return f"Branches{self.options!r}"

    def __reduce__(self):
        return (Branches, (self.options,))


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


def options(value: Any) -> tuple:
    """The possible values: the branches of a ``Branches``, else the value itself."""
    return value.options if isinstance(value, Branches) else (value,)


def refs_of(value: Any) -> frozenset[str]:
    """Resource addresses an (unknown) value was computed from, looking inside containers."""
    if isinstance(value, (Unknown, Named)):
        return value.refs
    if isinstance(value, Branches):
        return frozenset().union(*(refs_of(o) for o in value.options))
    if isinstance(value, list):
        return frozenset().union(*(refs_of(v) for v in value)) if value else frozenset()
    return frozenset()


def has_unknown(value: Any) -> bool:
    if isinstance(value, Unknown):
        return True
    if isinstance(value, Branches):
        return any(has_unknown(o) for o in value.options)
    if isinstance(value, list):
        return any(has_unknown(v) for v in value)
    if isinstance(value, dict):
        return any(has_unknown(v) for v in value.values())
    return False


def _merge_unknown(*values: Any) -> Unknown:
    refs: frozenset[str] = frozenset()
    for v in values:
        refs |= refs_of(v)
    return Unknown(refs) if refs else UNKNOWN


def branches(values: list) -> Any:
    """Collapse equal options; one option is the value itself."""
    flat: list = []
    for v in values:
        for o in options(v):
            if o not in flat:
                flat.append(o)
    if len(flat) == 1:
        return flat[0]
    if any(isinstance(o, Unknown) for o in flat):
        return (
            _merge_unknown(*flat)
            if all(isinstance(o, Unknown) for o in flat)
            else Branches(tuple(flat))
        )
    return Branches(tuple(flat))


def lift(fn: Callable[..., Any], *args: Any) -> Any:
    """Apply ``fn`` to known arguments; unknown in -> unknown out; branches -> each branch."""
    if any(isinstance(a, Branches) for a in args):
        combos = list(itertools.islice(itertools.product(*(options(a) for a in args)), 16))
        return branches([lift(fn, *c) for c in combos])
    if any(isinstance(a, Unknown) for a in args):
        return _merge_unknown(*args)
    try:
        return fn(*args)
    except Exception:  # a type error in scanned code: its value is simply not known
        return UNKNOWN


def to_str(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        raise TypeError("not a string")
    return str(value)


def partial_text(value: Any) -> str | None:
    """A string with unknown parts shown as ``${?}`` (or None when not a string at all)."""
    if isinstance(value, str):
        return value
    if isinstance(value, Unknown):
        return value.partial
    return None


class Evaluator:
    """Evaluates expressions against a resolver for root names (var, local, resources...)."""

    def __init__(
        self,
        resolve: Callable[[str, tuple, dict], tuple[Any, tuple]],
        read_file: Callable[[str], str | None] | None = None,
    ) -> None:
        # resolve(root, steps, bindings) -> (value, remaining steps to apply)
        self.resolve = resolve
        # read_file(path as written) -> the file's text, or None (outside the tree, missing)
        self.read_file = read_file
        self.depth = 0

    def eval(self, expr: Expr, bindings: dict | None = None) -> Any:
        if type(expr) is Literal and self.depth < 60:
            return expr.value  # most values are literals: what _eval gives them, at once
        bindings = bindings or {}
        self.depth += 1
        try:
            if self.depth > 60:
                return UNKNOWN
            return self._eval(expr, bindings)
        finally:
            self.depth -= 1

    def _eval(self, expr: Expr, b: dict) -> Any:
        if isinstance(expr, Literal):
            return expr.value
        if isinstance(expr, Template):
            return self._template(expr, b)
        if isinstance(expr, Traversal):
            if expr.root in b:
                return self.apply_steps(b[expr.root], expr.steps, b)
            value, rest = self.resolve(expr.root, expr.steps, b)
            return self.apply_steps(value, rest, b)
        if isinstance(expr, GetAttr):
            return self.apply_steps(self.eval(expr.target, b), expr.steps, b)
        if isinstance(expr, TupleExpr):
            return [self.eval(i, b) for i in expr.items]
        if isinstance(expr, ObjectExpr):
            out: dict = {}
            for k, v in expr.items:
                key = self.eval(k, b)
                if isinstance(key, (Unknown, Branches, list, dict)):
                    continue
                out[to_str(key)] = self.eval(v, b)
            return out
        if isinstance(expr, Conditional):
            return self._conditional(expr, b)
        if isinstance(expr, BinaryOp):
            left, right = self.eval(expr.left, b), self.eval(expr.right, b)
            if expr.op in ("==", "!=") and (left is None or right is None):
                # x == null: decided for a value that is known or never null (``Computed``)
                is_null = _is_null(right if left is None else left)
                return lift(lambda x: x if expr.op == "==" else not x, is_null)
            return lift(lambda x, y: _binary(expr.op, x, y), left, right)
        if isinstance(expr, UnaryOp):
            operand = self.eval(expr.operand, b)
            return lift(lambda x: (not x) if expr.op == "!" else -x, operand)
        if isinstance(expr, Call):
            return self._call(expr, b)
        if isinstance(expr, ForExpr):
            return self._for(expr, b)
        return UNKNOWN

    def _template(self, expr: Template, b: dict) -> Any:
        if any(isinstance(p, Call) and p.name == DIRECTIVE for p in expr.parts):
            flat = [
                _flat_directive(p) if isinstance(p, Call) and p.name == DIRECTIVE else p
                for p in expr.parts
            ]
            rendered = render_directives(flat, self.eval_in(b), self.eval_in(b))
            return UNKNOWN if rendered is None else rendered  # directives that do not nest
        values = [p if isinstance(p, str) else self.eval(p, b) for p in expr.parts]
        if any(isinstance(v, Branches) for v in values):
            return lift(lambda *xs: "".join(to_str(x) for x in xs), *values)
        if any(isinstance(v, Unknown) for v in values):
            out, pieces = [], []
            for v in values:
                shown = PLACEHOLDER if isinstance(v, Unknown) else _safe_str(v)
                if shown == PLACEHOLDER:  # an unknown part (or a list or map: not a text)
                    pieces.append(v if isinstance(v, Unknown) else UNKNOWN)
                out.append(shown)
            return Interpolated(_merge_unknown(*values).refs, "".join(out), tuple(pieces))
        try:
            return "".join(to_str(v) for v in values)
        except TypeError:
            return UNKNOWN

    def eval_in(self, b: dict) -> Callable[[Expr, dict], Any]:
        return lambda e, inner: self.eval(e, {**b, **inner})

    def _conditional(self, expr: Conditional, b: dict) -> Any:
        cond = self.eval(expr.cond, b)
        if cond is True or cond == "true":
            return self.eval(expr.then, b)
        if cond is False or cond == "false":
            return self.eval(expr.other, b)
        # Unknown (or branching) condition: the value is one of the two branches.
        return branches([self.eval(expr.then, b), self.eval(expr.other, b)])

    def _for(self, expr: ForExpr, b: dict) -> Any:
        collection = self.eval(expr.collection, b)
        if isinstance(collection, dict):
            pairs = list(collection.items())
        elif isinstance(collection, list):
            pairs = list(enumerate(collection))
        else:
            return UNKNOWN
        out_list: list = []
        out_map: dict = {}
        for k, v in pairs:
            inner = dict(b)
            inner[expr.value_var] = v
            if expr.key_var:
                inner[expr.key_var] = k
            if expr.cond is not None:
                keep = self.eval(expr.cond, inner)
                if keep is False:
                    continue
                if keep is not True:
                    return UNKNOWN
            value = self.eval(expr.value, inner)
            if expr.is_object and expr.key is not None:
                key = self.eval(expr.key, inner)
                if isinstance(key, (Unknown, Branches, list, dict)):
                    return UNKNOWN
                out_map[to_str(key)] = value
            else:
                out_list.append(value)
        return out_map if expr.is_object else out_list

    def apply_steps(self, value: Any, steps: tuple, b: dict) -> Any:
        for i, (kind, arg) in enumerate(steps):
            if isinstance(value, Branches):
                rest = steps[i:]
                return branches([self.apply_steps(o, rest, b) for o in value.options])
            if isinstance(value, Unknown):
                return value
            if kind == "splat":
                rest = steps[i + 1 :]
                items = value if isinstance(value, list) else ([] if value is None else [value])
                return [self.apply_steps(item, rest, b) for item in items]
            key = arg if kind == "attr" else self.eval(arg, b)
            if isinstance(key, Branches):  # list[count.index]: each instance's element
                rest = steps[i + 1 :]
                return branches(
                    [
                        self.apply_steps(value, (("index", Literal(NOPOS, o)), *rest), b)
                        for o in key.options
                    ]
                )
            if isinstance(key, Unknown):
                return _merge_unknown(value, key)
            if isinstance(value, dict):
                value = value.get(to_str(key), UNKNOWN)
            elif (
                isinstance(value, list)
                and isinstance(key, (int, float))
                and not isinstance(key, bool)
            ):
                idx = int(key)
                value = value[idx] if -len(value) <= idx < len(value) else UNKNOWN
            else:
                return UNKNOWN
        return value

    def _call(self, expr: Call, b: dict) -> Any:
        name = expr.name.split("::")[-1]
        if name == "try":
            return self._try(expr.args, b)
        if name == "can":
            return UNKNOWN
        if name in READS_FILE and self.read_file is not None and expr.args:
            return self._file(name, expr.args, b)
        args = [self.eval(a, b) for a in expr.args]
        if name in ENCODINGS and args and not expr.expand_last:
            return _encode(name, *args)
        if expr.expand_last and args:
            last = args.pop()
            if not isinstance(last, list):
                return _merge_unknown(last)
            args.extend(last)
        fn = FUNCTIONS.get(name)
        if fn is None:
            return _merge_unknown(*args)
        if name in ("coalesce", "jsonencode", "merge", "concat", "compact", "tolist", "toset"):
            # These handle unknown elements themselves (they keep known parts).
            try:
                return fn(*args)
            except Exception:
                return UNKNOWN
        return lift(fn, *args)

    def _file(self, name: str, args: tuple, b: dict) -> Any:
        """``file(path)``: the file's text; ``filebase64(path)``: that text base64 encoded (as
        ``base64encode(file(path))``, so DH703 decodes it); ``templatefile(path, vars)``:
        rendered with the variables (``render_template``). Unknown when the file cannot be read
        (outside the tree, missing, not UTF-8 text)."""
        path = self.eval(args[0], b)
        text = self.read_file(path) if isinstance(path, str) else None  # type: ignore[misc]
        if text is None:
            return _merge_unknown(*(self.eval(a, b) for a in args[1:]))
        if name == "file":
            return text
        if name == "filebase64":
            return _encode("base64encode", text)
        names = self.eval(args[1], b) if len(args) > 1 else {}
        return render_template(text, names if isinstance(names, dict) else None)

    def _try(self, args: tuple, b: dict) -> Any:
        """``try(a, b, ...)``: the first argument that is known; per option of one that has
        several (``try(each.value.days, 3653)``: the instances without ``days`` fall back)."""
        if not args:
            return UNKNOWN
        value = self.eval(args[0], b)
        if isinstance(value, Branches) and any(is_unknown(o) for o in value.options):
            rest = self._try(args[1:], b)
            return branches([rest if is_unknown(o) else o for o in value.options])
        return value if not is_unknown(value) else self._try(args[1:], b)


# ``${name}`` or ``${name.attr}`` (the common case) and any other interpolation; ``$${`` is a
# literal ``${``. Directives (``%{ if }``, ``%{ for }``) are dropped, their text kept.
# An interpolation or directive ends before the next one starts: ``[^}]*`` alone would scan
# to the end of the text from every ``${`` of an unclosed run (quadratic on a large template).
_INTERPOLATION = re.compile(
    r"\$\$\{|\$\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)?(?:[^}$]|\$(?!\{))*\}"
)
_DIRECTIVE = re.compile(r"%%\{|%\{(?:[^}%]|%(?!\{))*\}")


# Either token, for a template with directives (each alternative is linear, as above).
_TOKEN = re.compile(f"{_INTERPOLATION.pattern}|{_DIRECTIVE.pattern}")


def _simple(match: re.Match) -> bool:
    """Whether an interpolation is a plain name (``${name}``, ``${name.attr}``)."""
    return match.group(0).replace(" ", "") == "${" + (match.group(1) or "") + "}"


def _lookup_simple(match: re.Match, names: dict) -> Any:
    """The value of a plain ``${name}`` / ``${name.attr}`` (``_simple``) among the template's
    variables (None for a name without a value)."""
    found: Any = names if match.group(1) else None
    for part in (match.group(1) or "").split("."):
        found = found.get(part) if isinstance(found, dict) else None
    return found


def render_template(text: str, names: dict | None) -> Any:
    """A template file's text with the interpolations of known values replaced: a variable
    (``${name}``, ``${name.attr}``) or an expression of them the evaluator knows
    (``${upper(site)}``, ``${join(",", hosts)}``); the others are unknown parts (``${?}``), so a
    literal password passed in still shows. Directives (``%{ if }``, ``%{ for }``) are
    evaluated when their inputs are known (``render_directives``); when they do not nest, they
    are dropped and their text kept."""
    scope = _TemplateScope(names)
    if "%{" in text:
        rendered = _render_with_directives(text, scope)
        if rendered is not None:
            return rendered
    unknown = False

    def value(match: re.Match) -> str:
        nonlocal unknown
        if match.group(0) == "$${":
            return "${"
        found = scope.interpolate(match, {})
        if isinstance(found, (str, int, float)) and not isinstance(found, bool):
            return to_str(found)
        unknown = True
        return PLACEHOLDER

    rendered = _INTERPOLATION.sub(value, text)
    rendered = _DIRECTIVE.sub(lambda m: "%{" if m.group(0) == "%%{" else "", rendered)
    return Unknown(frozenset(), rendered) if unknown else rendered


class _TemplateScope:
    """A template file's variables, and the evaluator of its interpolations and directives:
    the one of HCL expressions, with no name but the variables (a template sees only them)."""

    def __init__(self, names: dict | None) -> None:
        self.names = names if isinstance(names, dict) else {}
        self.evaluator = Evaluator(lambda root, steps, b: (UNKNOWN, ()))
        self.parsed: set[str] = set()  # the expressions parsed for this template (bounded)

    def evaluate(self, expr: Expr, inner: dict) -> Any:
        return self.evaluator.eval(expr, {**self.names, **inner})

    def interpolate(self, match: re.Match, inner: dict) -> Any:
        """An interpolation's value: a variable looked up, any other expression parsed (a
        lark parse each: at most ``MAX_DIRECTIVES`` distinct ones per template) and evaluated.
        ``${~ x ~}`` strips white space beside it, which is not done: unknown."""
        if _simple(match):
            found = _lookup_simple(match, {**self.names, **inner} if inner else self.names)
            return UNKNOWN if found is None else found
        source = match.group(0)[2:-1].strip()
        if not source or source[0] == "~" or source[-1] == "~":
            return UNKNOWN
        from dhlint.frontends.terraform import MAX_DIRECTIVES

        if source not in self.parsed:
            if len(self.parsed) >= MAX_DIRECTIVES:
                return UNKNOWN
            self.parsed.add(source)
        return self.evaluate(_expression(source), inner)


@functools.lru_cache(maxsize=512)
def _expression(source: str) -> Expr:
    """An interpolation's expression, parsed once per process (module instances render the same
    template again)."""
    from dhlint.frontends.terraform import parse_expression

    return parse_expression(source)


def _render_with_directives(text: str, scope: _TemplateScope) -> Any:
    from dhlint.frontends.terraform import MAX_DIRECTIVES, parse_directive

    flat: list = []
    at, directives = 0, 0
    for match in _TOKEN.finditer(text):
        flat.append(text[at : match.start()])
        at = match.end()
        token = match.group(0)
        if token in ("$${", "%%{"):
            flat.append(token[1:])
        elif token.startswith("%"):
            directives += 1
            if directives > MAX_DIRECTIVES:  # each is parsed: a bound on the cost
                return None
            flat.append(_flat_directive(parse_directive(token[2:-1], NOPOS)))
        else:
            flat.append(match)
    flat.append(text[at:])
    if not directives:
        return None
    return render_directives(flat, scope.interpolate, scope.evaluate)


MAX_RENDERED = 1024 * 1024  # loops multiply text: a longer rendering is not known
MAX_CONDITIONS = 4  # undecided %{ if } conditions rendered each way: at most 16 renderings


class _TooLong(Exception):
    pass


def _flat_directive(call: Call) -> tuple:
    """A ``DIRECTIVE`` call -> ("%", kind, strip before, strip after, key, value, expression)."""
    kind, left, right, key, value, expr = call.args
    payload = None if isinstance(expr, Literal) and expr.value is None else expr
    return ("%", kind.value, left.value, right.value, key.value, value.value, payload)


def render_directives(
    flat: list, interpolate: Callable[[Any, dict], Any], evaluate: Callable[[Any, dict], Any]
) -> Any:
    """A template's parts (text, interpolations, directives as ``_flat_directive`` tuples)
    rendered: a known condition keeps its branch, a known list or map repeats a ``for`` body
    (a map by key, as Terraform iterates it); an unknown collection or value is an unknown part
    ``${?}`` (an unknown condition too). The text of branches not taken, or that may not be,
    is kept apart (``untaken`` of the ``Rendered`` or ``Unknown`` result). When the only
    unknown parts are undecided conditions outside a loop (at most ``MAX_CONDITIONS`` distinct
    ones), the value is ``Branches`` of their renderings, each known; with other unknown parts
    too, an unknown part whose untaken text also holds each rendering. Directives that do not
    nest: None."""
    items = list(flat)
    for i, item in enumerate(items):  # ``~`` strips the white space beside a directive
        if isinstance(item, tuple) and item[0] == "%":
            if item[2] and i > 0 and isinstance(items[i - 1], str):
                items[i - 1] = items[i - 1].rstrip()
            if item[3] and i + 1 < len(items) and isinstance(items[i + 1], str):
                items[i + 1] = items[i + 1].lstrip()
    tree = _nest(items)
    if tree is None:
        return None
    rendered, state = _render(tree, interpolate, evaluate, {})
    undecided = state["undecided"]
    if not undecided or None in undecided:
        return rendered
    # Undecided conditions (not in a loop): the value is one of their renderings, as a
    # conditional's (var.x ? a : b) is one of its branches. The same condition written twice
    # is decided once; up to MAX_CONDITIONS distinct ones are rendered each way (2^k
    # renderings, within MAX_RENDERED in all), more stay an unknown part (whose untaken text
    # still holds every branch).
    groups: dict[Any, list[int]] = {}
    for node in undecided:
        groups.setdefault(_shape(node[1]), []).append(id(node))
    k = len(groups)
    if k > MAX_CONDITIONS or state["size"] << k > MAX_RENDERED:
        return rendered
    renderings = []
    for choice in itertools.product((True, False), repeat=k):
        forced = {i: c for ids, c in zip(groups.values(), choice, strict=True) for i in ids}
        renderings.append(_render(tree, interpolate, evaluate, forced)[0])
    if state["unknowns"] == len(undecided):
        # The only unknown parts are the conditions: each rendering is known.
        if any(isinstance(value, Unknown) for value in renderings):
            return rendered  # too long
        return branches(renderings)
    # Other unknown parts too: the value stays an unknown part, and each rendering's text
    # (its other unknown parts ``${?}``) is kept with the untaken text, a rendering a block
    # of lines, so that it is judged whole: ``%{ if a }PASSWORD=%{ else }USER=%{ endif }${t}``
    # is ``PASSWORD=${?}`` or ``USER=${?}``, no literal.
    if not isinstance(rendered, Unknown) or rendered.partial is None:
        return rendered
    texts = [partial_text(value) for value in renderings]
    if None in texts:
        return rendered  # too long
    kept = "\n".join(t for t in (rendered.untaken, *texts) if t)
    return Unknown(rendered.refs, rendered.partial, kept)


def _shape(expr: Any) -> Any:
    """An expression without its positions: the same condition written twice has one shape."""
    if isinstance(expr, Expr):
        return (
            type(expr).__name__,
            *(_shape(getattr(expr, f)) for f in expr.__match_args__ if f != "pos"),
        )
    if isinstance(expr, (tuple, list)):
        return tuple(_shape(e) for e in expr)
    return expr


def _render(tree: list, interpolate, evaluate, forced: dict) -> tuple[Any, dict]:
    out: list[str] = []
    state: dict[str, Any] = {
        "refs": frozenset(),
        "unknown": False,
        "size": 0,
        "untaken": [],
        "unknowns": 0,  # unknown parts
        "undecided": [],  # their undecided if nodes (None: in a loop's body)
        "forced": forced,  # id(if node) -> the branch to take
    }
    try:
        _run(tree, {}, out, state, interpolate, evaluate)
    except _TooLong:
        return UNKNOWN, state
    text = "".join(out)
    if state["unknown"]:
        return Unknown(state["refs"], text, "".join(state["untaken"])), state
    return (Rendered(text, "".join(state["untaken"])) if state["untaken"] else text), state


def _nest(items: list) -> list | None:
    root: list = []
    stack: list[tuple[list | None, list]] = [(None, root)]  # (open node, where parts go)
    for item in items:
        if not (isinstance(item, tuple) and item[0] == "%"):
            if not (isinstance(item, str) and not item):
                stack[-1][1].append(item)
            continue
        kind = item[1]
        node = stack[-1][0]
        if kind == "if":
            node = ["if", item[6], [], []]
            stack[-1][1].append(node)
            stack.append((node, node[2]))
        elif kind == "for":
            node = ["for", item[4], item[5], item[6], []]
            stack[-1][1].append(node)
            stack.append((node, node[4]))
        elif kind == "else" and node is not None and node[0] == "if" and stack[-1][1] is node[2]:
            stack[-1] = (node, node[3])
        elif (kind == "endif" and node is not None and node[0] == "if") or (
            kind == "endfor" and node is not None and node[0] == "for"
        ):
            stack.pop()
        else:
            return None
    return root if len(stack) == 1 else None


def _run(nodes: list, bindings: dict, out: list, state: dict, interpolate, evaluate) -> None:
    for node in nodes:
        if isinstance(node, str):
            _emit(node, out, state)
        elif isinstance(node, list) and node[0] == "if":
            cond = state["forced"].get(id(node))
            if cond is None:
                cond = evaluate(node[1], bindings) if node[1] is not None else UNKNOWN
            if cond is True or cond == "true" or cond is False or cond == "false":
                taken, other = (node[2], node[3]) if cond in (True, "true") else (node[3], node[2])
                _run(taken, bindings, out, state, interpolate, evaluate)
                _untaken(other, bindings, state, interpolate, evaluate)
            else:  # either may be rendered: an unknown part, both branches kept apart
                _unknown(cond, out, state)
                state["undecided"].append(None if bindings else node)
                _untaken(node[2], bindings, state, interpolate, evaluate)
                _untaken(node[3], bindings, state, interpolate, evaluate)
        elif isinstance(node, list):  # for
            _, key_name, value_name, payload, body = node
            coll = evaluate(payload, bindings) if payload is not None else UNKNOWN
            if isinstance(coll, dict):
                pairs: list = sorted(coll.items(), key=lambda kv: kv[0])
            elif isinstance(coll, list):
                pairs = list(enumerate(coll))
            else:
                _unknown(coll, out, state)
                # Its body is committed all the same: read once (each loop variable unknown),
                # on lines of its own, as a branch not taken is.
                names = {value_name: UNKNOWN, **({key_name: UNKNOWN} if key_name else {})}
                _untaken(body, {**bindings, **names}, state, interpolate, evaluate)
                continue
            for k, v in pairs:
                _emit("", out, state)  # an empty body still costs: nested loops multiply
                inner = {**bindings, value_name: v, **({key_name: k} if key_name else {})}
                _run(body, inner, out, state, interpolate, evaluate)
        else:
            value = interpolate(node, bindings)
            try:
                if isinstance(value, (Unknown, Branches)):
                    raise TypeError("not known")
                _emit(to_str(value), out, state)
            except TypeError:
                _unknown(value, out, state)


def _untaken(branch: list, bindings: dict, state: dict, interpolate, evaluate) -> None:
    """A branch not taken, or not surely, rendered into the untaken text on a line of its own:
    two branches' text run together is no line either wrote (B0 then token=...)."""
    untaken = state["untaken"]
    if branch and untaken and not untaken[-1].endswith("\n"):
        _emit("\n", untaken, state)
    _run(branch, bindings, untaken, state, interpolate, evaluate)


def _emit(text: str, out: list, state: dict) -> None:
    state["size"] += len(text) or 1
    if state["size"] > MAX_RENDERED:
        raise _TooLong
    out.append(text)


def _unknown(value: Any, out: list, state: dict) -> None:
    state["unknown"] = True
    state["unknowns"] += 1
    state["refs"] |= refs_of(value)
    _emit(PLACEHOLDER, out, state)


def _encode(name: str, source: Any, *rest: Any) -> Any:
    """An encoding function's value that keeps the text of its input the encoded value does
    not show (``untaken``): base64encode(templatefile(...)) of a user_data lost the branches not
    taken, and the text of an input not known (or gzipped) was not seen at all."""
    if isinstance(source, Branches):
        return branches([_encode(name, o, *rest) for o in source.options])
    hidden = getattr(source, "untaken", "")
    if isinstance(source, Unknown) or has_unknown(list(rest)):
        shown = partial_text(source) or ""
        return Unknown(refs_of(source), None, "\n".join(t for t in (shown, hidden) if t))
    encoded = lift(FUNCTIONS[name], source, *rest) if name in FUNCTIONS else UNKNOWN
    if (name != "base64encode" or not isinstance(encoded, str)) and isinstance(source, str):
        # gzip, another charset or a failure: the input is no longer readable in the value
        hidden = "\n".join(t for t in (source, hidden) if t)
    if isinstance(encoded, str):
        return Rendered(encoded, hidden) if hidden else encoded
    return Unknown(refs_of(encoded), None, hidden) if hidden else encoded


def _textencodebase64(text: Any, encoding: Any) -> str:
    """Terraform's ``textencodebase64``: the text in the named character set, base64 encoded."""
    return base64.b64encode(to_str(text).encode(to_str(encoding))).decode()


def _safe_str(value: Any) -> str:
    try:
        return to_str(value)
    except TypeError:
        return PLACEHOLDER


def _num(x: Any) -> float | int:
    if isinstance(x, bool):
        raise TypeError("bool")
    if isinstance(x, (int, float)):
        return x
    text = str(x)
    return float(text) if "." in text or "e" in text.lower() else int(text)


def _binary(op: str, x: Any, y: Any) -> Any:
    if op == "==":
        return _norm(x) == _norm(y)
    if op == "!=":
        return _norm(x) != _norm(y)
    if op == "&&":
        return bool(x) and bool(y)
    if op == "||":
        return bool(x) or bool(y)
    a, c = _num(x), _num(y)
    result = {
        "+": lambda: a + c,
        "-": lambda: a - c,
        "*": lambda: a * c,
        "/": lambda: a / c,
        "%": lambda: a % c,
        "<": lambda: a < c,
        ">": lambda: a > c,
        "<=": lambda: a <= c,
        ">=": lambda: a >= c,
    }[op]()
    return result


def _is_null(value: Any) -> Any:
    """Whether a value is null: known for a known value and for a ``Computed`` one."""
    if isinstance(value, Branches):
        return branches([_is_null(o) for o in value.options])
    if isinstance(value, Computed):
        return False
    if isinstance(value, Unknown):
        return _merge_unknown(value)
    return value is None


def _norm(x: Any) -> Any:
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def _coalesce(*args: Any) -> Any:
    for a in args:
        if isinstance(a, (Unknown, Branches)):
            return UNKNOWN
        if a is not None and a != "":
            return a
    return None


def _merge(*maps: Any) -> Any:
    out: dict = {}
    for m in maps:
        if isinstance(m, (Unknown, Branches)) or not isinstance(m, dict):
            if m is None:
                continue
            return _merge_unknown(m)
        out.update(m)
    return out


def _concat(*lists: Any) -> Any:
    out: list = []
    for item in lists:
        if not isinstance(item, list):
            return _merge_unknown(item)
        out.extend(item)
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, Unknown):
        return value.partial if value.partial is not None else PLACEHOLDER
    if isinstance(value, Branches):
        return _jsonable(value.options[0])
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _jsonencode(value: Any) -> Any:
    text = json.dumps(_jsonable(value), separators=(",", ":"))
    if has_unknown(value):
        # The document's structure is known; unknown leaves (ARNs, ids) show as ${?}.
        return Encoded(refs_of_deep(value), text, value)
    return text


def refs_of_deep(value: Any) -> frozenset[str]:
    if isinstance(value, dict):
        return (
            frozenset().union(*(refs_of_deep(v) for v in value.values())) if value else frozenset()
        )
    if isinstance(value, list):
        return frozenset().union(*(refs_of_deep(v) for v in value)) if value else frozenset()
    return refs_of(value)


def _format(fmt: str, *args: Any) -> str:
    """Terraform's ``format``: printf verbs %s %d %f %t %v %q with flags and width."""
    out, i, n = [], 0, 0
    while i < len(fmt):
        ch = fmt[i]
        if ch != "%" or i + 1 >= len(fmt):
            out.append(ch)
            i += 1
            continue
        j = i + 1
        while j < len(fmt) and fmt[j] in "0123456789.#+- ":
            j += 1
        verb, flags = (fmt[j] if j < len(fmt) else ""), fmt[i + 1 : j]
        i = j + 1
        if verb == "%":
            out.append("%")
            continue
        arg = args[n]
        n += 1
        if verb == "d":
            out.append(("%" + flags + "d") % int(_num(arg)))
        elif verb in "feg":
            out.append(("%" + flags + verb) % float(_num(arg)))
        elif verb == "q":
            out.append(json.dumps(to_str(arg)))
        else:
            out.append(("%" + flags + "s") % to_str(arg))
    return "".join(out)


def _lookup(m: dict, key: str, *default: Any) -> Any:
    if key in m:
        return m[key]
    if default:
        return default[0]
    raise KeyError(key)


def _compact(items: Any) -> Any:
    if not isinstance(items, list):
        return _merge_unknown(items)
    if any(isinstance(i, Unknown) for i in items):
        return _merge_unknown(*items)
    return [i for i in items if i not in (None, "")]


def _tolist(items: Any) -> Any:
    return items if isinstance(items, (list, Unknown, Branches)) else UNKNOWN


def _distinct(items: list) -> list:
    out: list = []
    for i in items:
        if i not in out:
            out.append(i)
    return out


def _flatten(items: list) -> list:
    out: list = []
    for i in items:
        out.extend(_flatten(i) if isinstance(i, list) else [i])
    return out


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "lower": lambda s: to_str(s).lower(),
    "upper": lambda s: to_str(s).upper(),
    "title": lambda s: to_str(s).title(),
    "trimspace": lambda s: to_str(s).strip(),
    "trim": lambda s, c: to_str(s).strip(c),
    "trimprefix": lambda s, p: to_str(s)[len(p) :] if to_str(s).startswith(p) else to_str(s),
    "trimsuffix": lambda s, p: to_str(s)[: -len(p)] if p and to_str(s).endswith(p) else to_str(s),
    "replace": lambda s, a, c: to_str(s).replace(a, c),
    "format": _format,
    "join": lambda sep, items: sep.join(to_str(i) for i in items),
    "split": lambda sep, s: to_str(s).split(sep),
    "substr": lambda s, o, n: to_str(s)[o : (o + n if n >= 0 else None)],
    "concat": _concat,
    "merge": _merge,
    "lookup": _lookup,
    "coalesce": _coalesce,
    "element": lambda items, i: items[int(i) % len(items)],
    "length": lambda x: len(x),
    "keys": lambda m: sorted(m),
    "values": lambda m: [m[k] for k in sorted(m)],
    "contains": lambda items, v: v in items,
    "tostring": to_str,
    "tonumber": _num,
    "tobool": lambda x: x if isinstance(x, bool) else {"true": True, "false": False}[x],
    "tolist": _tolist,
    "toset": _tolist,
    "tomap": lambda m: dict(m),
    "jsonencode": _jsonencode,
    "jsondecode": lambda s: json.loads(s),
    "base64encode": lambda s: base64.b64encode(to_str(s).encode()).decode(),
    "base64decode": lambda s: base64.b64decode(to_str(s)).decode("utf-8", "replace"),
    "textencodebase64": _textencodebase64,
    "min": lambda *xs: min(_num(x) for x in xs),
    "max": lambda *xs: max(_num(x) for x in xs),
    "abs": lambda x: abs(_num(x)),
    "distinct": _distinct,
    "flatten": _flatten,
    "compact": _compact,
    "one": lambda items: items[0] if items else None,
}
# Functions that read a file of the scanned tree (``Evaluator._file``).
READS_FILE = frozenset({"file", "filebase64", "templatefile"})
# Functions whose value encodes a text (see ``_encode``); base64gzip's value is not computed.
ENCODINGS = frozenset({"base64encode", "base64gzip", "textencodebase64"})
