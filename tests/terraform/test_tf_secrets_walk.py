"""DH701 reads a resource's scalar values and name/value pairs in one walk
(``secrets._scalars_and_pairs``): the same items, in the same order, as its two walks (of the
scalars, those whose key names a credential or whose value is a vendor's key: the only ones it
judges)."""

from __future__ import annotations

import json

from dhlint.analysis import BuildEnv
from dhlint.detectors.terraform import secrets
from dhlint.models.terraform import build_models
from dhlint.models.terraform_eval import Branches, Unknown
from dhlint.policy import default_policy
from dhlint.types import SourceFile
from tests.conftest import FIXTURES


def _two_walks(values: dict) -> tuple[list, list]:
    outside = ("tags", "labels")
    scalars = [
        s
        for s in secrets._walk(values, ())
        if s[0][0] not in outside and (secrets._credential_key(s[1]) or secrets._vendor_key(s[2]))
    ]
    pairs = [
        p for p in secrets.name_value_pairs(values, ()) if p[0][:1] not in [(k,) for k in outside]
    ]
    return scalars, pairs


def test_one_walk_gives_what_the_two_walks_give():
    document = json.dumps([{"name": "DB_PASSWORD", "value": "x"}, {"Name": "K", "value": 1}])
    values = {
        "name": "top",  # the resource itself as a pair (an SSM parameter's name and value)
        "value": "v",
        "password": Unknown(partial="pre-${?}"),
        "tags": {"name": "T", "value": "in tags", "token": "t"},
        "labels": [{"key": "api_key", "value": "in labels"}],
        "container_definitions": document,
        "partial": Unknown(partial='[{"name": "TOKEN", "value": "${?}"}]'),
        "env": [
            {"name": "A_SECRET", "value": "s", "nested": [{"key": "k", "value": "w"}]},
            Branches(({"name": "B", "value": "b"}, [document, "plain"])),
            "not a document",
        ],
        "choice": Branches(("a", {"secret": "s2"}, [1, 2])),
        "set": [{"name": "auth.postgresPassword", "value": Branches(("p1", "p2"))}],
        "count": 3,
        "empty": None,
    }
    got = secrets._scalars_and_pairs(values)
    assert got == _two_walks(values)
    assert got[1]  # pairs found in the documents and blocks
    assert [s[1] for s in got[0]] == ["password", "secret"]  # what DH701 then judges
    assert all(path[0] not in ("tags", "labels") for path, *_ in got[0] + got[1])


def test_one_walk_on_every_fixture_resource():
    files = sorted(FIXTURES.rglob("*.tf"))
    sources = [
        SourceFile(f.relative_to(FIXTURES).as_posix(), str(f), "terraform", f.read_text())
        for f in files
    ]
    built = build_models(sources, BuildEnv(policy=default_policy(), root=str(FIXTURES)))
    resources = [r for m in built.models for r in (*m.resources, *m.data_sources)]
    assert len(resources) > 60
    for res in resources:
        assert secrets._scalars_and_pairs(res.values) == _two_walks(res.values), res.address
