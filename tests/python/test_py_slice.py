"""Slicing (``frontends.python_slice``): module-level functions, classes and methods that cannot
take part in a finding are blanked before libcst parses the file. Lines and columns of what is
kept never move, and the facts that can become findings are the same as without slicing."""

from __future__ import annotations

import ast

from dhlint.analysis import BuildEnv
from dhlint.frontends.python_slice import slice_text
from dhlint.models.python import build_models, identifier_test
from dhlint.policy import default_policy
from dhlint.types import SourceFile
from tests.python.test_py_speed_equivalence import _pipelines, _stdlib_sample

POLICY = default_policy()
WORDS = identifier_test(POLICY, ast_stage=True)

MODULE = '''"""A module."""
import json
import re

BASE = "https://api.vendor.example"


def unrelated(a, b):
    return re.sub(a, "", b)


def clean(row):
    return {"email": row["email"].strip()}


def export(rows):
    json.dump([clean(r) for r in rows], open("out.json", "w"))


def main():
    export(load())


def load():
    return [{"email": "x"}]


class Client:
    """Talks to the vendor."""

    timeout = 5

    def words(self, text):
        return text.split()

    def send(self, record):
        self.session.post(BASE + "/records", json=record)


class Unused:
    def a(self):
        return 1

    def b(self):
        return 2
'''


def _blank(text: str, sliced: str) -> list[int]:
    pairs = zip(text.splitlines(), sliced.splitlines(), strict=True)
    return [i + 1 for i, (a, b) in enumerate(pairs) if a != b]


def test_unrelated_functions_and_methods_are_blanked_and_nothing_moves():
    sliced, tree = slice_text(MODULE, ast.parse(MODULE), WORDS)
    assert sliced.count("\n") == MODULE.count("\n")
    blanked = _blank(MODULE, sliced)
    text = MODULE.splitlines()
    assert all(sliced.splitlines()[n - 1] == "" for n in blanked)
    gone = {text[n - 1].strip() for n in blanked}
    assert "def unrelated(a, b):" in gone
    assert "def words(self, text):" in gone
    assert "class Unused:" in gone and "def a(self):" in gone
    # The sink, its callers, and everything they use stay.
    for kept in ("def export(rows):", "def clean(row):", "def main():", "def load():",
                 "def send(self, record):", "class Client:", "timeout = 5"):  # fmt: skip
        assert kept not in gone
    # Every kept line is where it was, and the returned tree is the sliced text's.
    for number, line in enumerate(sliced.splitlines(), 1):
        assert line in ("", text[number - 1])
    expected = ast.dump(ast.parse(sliced), include_attributes=True)
    assert ast.dump(tree, include_attributes=True) == expected


def test_a_kept_class_keeps_a_body_when_all_its_methods_go():
    text = "import json\n\nclass A:\n    def a(self):\n        return 1\n\nx = A()\n"
    text += "def f(r):\n    return json.dumps(x)\n"
    sliced, _tree = slice_text(text, ast.parse(text), WORDS)
    compile(sliced, "x.py", "exec")  # still valid Python
    assert "class A:" in sliced


def test_nothing_to_drop_returns_the_same_objects():
    text = "import requests\n\ndef f():\n    requests.get('https://a.example')\n"
    tree = ast.parse(text)
    sliced, same = slice_text(text, tree, WORDS)
    assert sliced is text and same is tree


def test_line_endings_and_form_feeds_are_kept():
    text = "import re\r\n\x0c\r\ndef unrelated():\r\n    return re.compile('x')\r\n"
    text += "def f(row):\r\n    print(row['email'])\r\n"
    sliced, _tree = slice_text(text, ast.parse(text), WORDS)
    assert sliced.count("\r\n") == text.count("\r\n") and "\x0c" in sliced
    assert "unrelated" not in sliced and "print(row['email'])" in sliced


def _models(files: dict[str, str], **options):
    sources = [SourceFile(p, f"/r/{p}", "python", t) for p, t in files.items()]
    return build_models(sources, BuildEnv(policy=POLICY, root="/r", options=options))


def _identifying(column) -> bool:
    test = WORDS.confident if column.by_name else WORDS  # type: ignore[attr-defined]
    return any(test(n.strip("_")) for n in (column.name, *column.origins))


# A function that prints no identifier, beside one that logs an email: the slicer drops the
# first (the stdlib sample alone has few such facts left once instances are followed).
DROPPABLE = """
import logging
log = logging.getLogger(__name__)
def banner(version):
    print("starting", version)
def export(row):
    log.info("exported %s", row["email"])
"""


def test_slicing_keeps_every_fact_that_can_become_a_finding():
    files = {**_stdlib_sample(), **_pipelines(), "lib/droppable.py": DROPPABLE}
    sliced = _models(files, python_slice_above=0)
    whole = _models(files, python_slice_above=None)
    assert sliced.diagnostics == whole.diagnostics
    dropped = 0
    for a, b in zip(whole.models, sliced.models, strict=True):
        assert a.path == b.path
        for kind in ("endpoints", "tls", "env_reads", "reads"):
            assert getattr(a, kind) == getattr(b, kind), (a.path, kind)
        for kind in ("sinks", "hashes"):
            before, after = getattr(a, kind), getattr(b, kind)
            assert all(fact in before for fact in after), (a.path, kind)
            # Only facts whose columns no rule would take for an identifier may go.
            lost = [fact for fact in before if fact not in after]
            assert not any(_identifying(c) for fact in lost for c in fact.columns), a.path
            dropped += len(lost)
    assert dropped > 0  # the check above had facts to judge


def test_module_level_statements_go_when_nothing_kept_reads_them():
    text = (
        "import json\n"
        "TABLE = {'a': 1,\n         'b': 2}\n"  # read by nothing kept: blanked
        "COLUMNS = ['email']\n"  # read by the sink: kept
        "x = 1; y = 2\n"  # shares a line: kept whole
        "try:\n    from helpers import *\nexcept ImportError:\n    pass\n"  # an import: kept
        "def f(rows):\n    json.dump([r[COLUMNS[0]] for r in rows], open('o', 'w'))\n"
    )
    sliced, tree = slice_text(text, ast.parse(text), WORDS)
    assert "TABLE" not in sliced and sliced.count("\n") == text.count("\n")
    for kept in ("COLUMNS = ['email']", "x = 1; y = 2", "from helpers import *", "json.dump("):
        assert kept in sliced
    assert ast.dump(tree, include_attributes=True) == ast.dump(
        ast.parse(sliced), include_attributes=True
    )


def test_a_module_level_statement_that_changes_a_kept_object_stays():
    text = (
        "import requests\n"
        "PAYLOAD = {}\n"
        "PAYLOAD['email'] = 'x'\n"  # binds nothing, but changes what the sink sends
        "ROWS = []\n"
        "ROWS.append({'phone': 1})\n"
        "OTHER = {}\n"
        "OTHER['a'] = 1\n"  # changes an object nothing kept reads: blanked
        "def send():\n    requests.post('https://a.example', json=[PAYLOAD, ROWS])\n"
    )
    sliced, _tree = slice_text(text, ast.parse(text), WORDS)
    for kept in ("PAYLOAD['email'] = 'x'", "ROWS.append({'phone': 1})", "requests.post("):
        assert kept in sliced
    assert "OTHER" not in sliced


def test_names_bound_by_handlers_and_patterns_keep_their_statement():
    text = (
        "import json\n"
        "try:\n    pass\nexcept Exception as err:\n    pass\n"
        "match 1:\n    case {**extra}:\n        pass\n"
        "def f():\n    json.dump([err, extra], open('o', 'w'))\n"
    )
    sliced, _tree = slice_text(text, ast.parse(text), WORDS)
    assert "except Exception as err:" in sliced and "case {**extra}:" in sliced
