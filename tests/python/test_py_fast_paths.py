"""The analysis's shortcuts give what the plain computations give: the statement-only walks
(``_counter_names``, ``_calls_in_scopes``) what a walk of every node gives, and
``reshaped`` what comparing two shapes gives."""

from __future__ import annotations

import ast

from dhlint.models import python_dataflow as df
from dhlint.models.python_values import UNKNOWN, Col, Seq, Series, Str, join, reshaped, shape

CODE = """
import socket
address = ("h", 1)
count = len(rows)
s = socket.socket(); s.bind(address)
@deco(TCPServer(address, H))
def f(address=socket.create_connection(address), *, host=None):
    total: int = sum(x)
    lam = lambda: sock.connect(address)
    try:
        n = 0
    except (x.connect(address) or E) as e:
        s.sendto(b"", address)
        n += 1
    finally:
        ip = str(socket.gethostbyname(host))
    match sock.connect(address):
        case {"a": 1} if sock.bind(address):
            s.connect(address)
            for i, row in enumerate(rows):
                pass
    class K(Base, metaclass=m(s.bind(address))):
        address = 1
        size = len(x)
        def g(self):
            self.s.connect(self.address)
            with socket.create_server(address=self.address) as srv, x:
                for j in range(3):
                    pass
            async def h():
                await loop.create_connection(address)
                async for k in range(2):
                    pass
    [sock.connect(address) for address in [1]]
    while s.bind(address):
        seen = any(v)
    else:
        s.bind(address)
    return SMTP(host=address)
"""


def _every_node_counters(tree: ast.Module) -> dict[int, set[str]]:
    """``_counter_names`` as first written: a walk of every node."""
    found: dict[int, set[str]] = {}
    defs = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, scope = stack.pop()
        for child in ast.iter_child_nodes(node):
            stack.append((child, id(child) if isinstance(child, defs) else scope))
        kind = type(node)
        names: list = []
        if kind is ast.Assign and df._counted(node.value):
            names = node.targets
        elif kind is ast.AnnAssign and node.value is not None and df._counted(node.value):
            names = [node.target]
        elif kind is ast.AugAssign and type(node.op) in (ast.Add, ast.Sub):
            if type(node.value) is ast.Constant and type(node.value.value) in (int, float):
                names = [node.target]
        elif kind in (ast.For, ast.AsyncFor) and type(node.iter) is ast.Call:
            called = df._called_name(node.iter)
            if called == "range":
                names = [node.target]
            elif called == "enumerate" and type(node.target) is ast.Tuple:
                names = node.target.elts[:1]
        for target in names:
            if type(target) is ast.Name:
                found.setdefault(scope, set()).add(target.id)
    return found


def _every_node_calls(tree: ast.Module) -> list[tuple[int, tuple[int, ...]]]:
    """Each call with the defs and classes around it, by a walk of every node."""
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    out = []
    stack: list[tuple[ast.AST, tuple]] = [(tree, ())]
    while stack:
        node, scopes = stack.pop()
        for child in ast.iter_child_nodes(node):
            stack.append((child, (*scopes, child) if isinstance(child, kinds) else scopes))
        if type(node) is ast.Call:
            out.append((id(node), tuple(map(id, scopes))))
    return sorted(out)


def test_counter_names_reads_only_statements_and_finds_the_same_names():
    tree = ast.parse(CODE)
    found = df._counter_names(tree)
    assert found == _every_node_counters(tree)
    assert {n for names in found.values() for n in names} == {
        "count", "total", "n", "ip", "i", "size", "j", "k", "seen"
    }  # fmt: skip


def test_calls_in_scopes_finds_every_call_with_its_scopes():
    tree = ast.parse(CODE)
    calls = sorted((id(c), tuple(map(id, s))) for c, s in df._calls_in_scopes(tree))
    assert calls == _every_node_calls(tree)
    assert len(calls) == 29


def test_a_join_of_sequences_holds_each_item_once():
    """Branches that meet (or a loop run again) hold the items they were given: the join keeps
    each object once, in order, instead of concatenating (which doubled a list at each
    meeting: 32,766 items in bench/corpus/python's configparser copies)."""
    col = Col("email", ("t.email",))
    x, y, z = Str("x", "literal"), Series((col,)), Str("z", "literal")
    before = Seq((x, y))
    assert join(before, Seq((x, y))) is before
    assert join(before, Seq((y, z, x))).items == (x, y, z)
    other = Str("x", "literal")  # an equal item, another object (written elsewhere): kept
    assert join(before, Seq((other,))).items == (x, y, other)
    grown = before
    for _ in range(20):
        grown = join(grown, Seq((*grown.items, z)))
    assert grown.items == (x, y, z)


def test_reshaped_is_a_comparison_of_shapes():
    col = Col("email", ("t.email",))
    plain, carrying = Str("x", "literal"), Series((col,))
    grown = Seq((plain, carrying))
    cases = [
        (grown, Seq((*grown.items, Str("y", "literal")))),  # grew by an item without a column
        (grown, Seq((*grown.items, Series((col,))))),  # grew by one with a column
        (grown, Seq((plain,))),  # not grown: compared in full
        (grown, Seq((Str("x", "literal"), carrying))),  # equal items, other objects
        (grown, Series((col,))),
        (UNKNOWN, grown),
    ]
    for before, after in cases:
        assert reshaped(before, after) == (shape(before) != shape(after))
    assert [reshaped(b, a) for b, a in cases[:2]] == [False, True]
