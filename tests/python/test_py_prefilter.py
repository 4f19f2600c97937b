"""The pre-filter must not change findings: a file it skips gives no finding when analysed in
full. Checked on every Python fixture and on deterministically generated files."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from dhlint.analysis import BuildEnv
from dhlint.models.python import build_models
from dhlint.policy import default_policy
from dhlint.types import SourceFile
from tests.python.test_py_speed_equivalence import _hits

REPO = Path(__file__).resolve().parents[2]
POLICY = default_policy()

# Snippets that can produce findings without any import, and harmless filler.
RISKY = [
    "def f(row):\n    print(row['email'])\n",
    "def f(clientIp):\n    self.logger.info('x %s', clientIp)\n",
    "def f(r):\n    return hash(r['license_plate'])\n",
    "def f(producer, r):\n    producer.send('t', value={'phone': r['phone']})\n",
    "def f(cur, r):\n    cur.execute('INSERT INTO t (ssn) VALUES (?)', (r['ssn'],))\n",
    "def f(df):\n    spark.sql('SELECT plate FROM reads').write.parquet('/x')\n",
    "URL = 'http://api.tracker.example/x'\n",
    "def f(s3, p):\n    s3.upload_file(p, 'bucket', 'k')\n",
    "def f(r):\n    open('o.txt', 'w').write(r['email'])\n",
]
FILLER = [
    "def add(a, b):\n    return a + b\n",
    "import math\n\ndef area(r):\n    return math.pi * r ** 2\n",
    "class Point:\n    def __init__(self, x, y):\n        self.x, self.y = x, y\n",
    "def main():\n    print('done', 3)\n",
    "def usage():\n    print(__doc__)\n",
    "import itertools\nPAIRS = list(itertools.combinations(range(4), 2))\n",
]


def _generated(count: int = 120) -> dict[str, str]:
    rng = random.Random(20260525)
    files = {}
    for i in range(count):
        parts = rng.sample(FILLER, k=2)
        if rng.random() < 0.4:
            parts.append(rng.choice(RISKY))
        rng.shuffle(parts)
        files[f"gen/m{i:03d}.py"] = "\n\n".join(parts)
    return files


def _fixtures() -> dict[str, str]:
    paths = sorted((REPO / "fixtures").rglob("*.py"))
    return {p.relative_to(REPO).as_posix(): p.read_text(encoding="utf-8") for p in paths}


def _compare(files: dict[str, str]) -> tuple[int, int, int]:
    sources = [SourceFile(p, f"/r/{p}", "python", t) for p, t in files.items()]
    env = BuildEnv(policy=POLICY, root="/r")
    filtered = build_models(sources, env)
    full = build_models(
        sources, BuildEnv(policy=POLICY, root="/r", options={"python_full_analysis": True})
    )
    hits = _hits(filtered.models)
    assert hits == _hits(full.models)
    skipped = sum(1 for m in filtered.models if not m.analysed)
    return skipped, len(filtered.models), sum(map(len, hits.values()))


def test_prefilter_keeps_findings_on_fixtures():
    _, _, hits = _compare(_fixtures())
    assert hits >= 25


def test_prefilter_keeps_findings_on_generated_files_and_skips_most_filler():
    skipped, total, hits = _compare(_generated())
    assert total == 120 and hits >= 20
    assert skipped >= 60  # the filler-only files (about 60%) never reach libcst


# Files the analysis finds a finding in through a TLS switch or a URL that no plain
# ``verify=False`` or quoted "scheme://" shows, a logger the text stage did not know by its
# name, or a Spark session with no import; the text stage once skipped every one of them.
EVASIVE = {
    "audit_log.py": 'def f(row, audit_log):\n    audit_log.info(row["email"])\n',
    "self_audit_log.py": 'def f(self, row):\n    self.audit_log.info(row["email"])\n',
    "logging_unimported.py": 'def f(row):\n    logging.info(row["email"])\n',
    "log_underscore.py": 'def f(row, log_):\n    log_.warning(row["email"])\n',
    "copy_expert.py": (
        'def f(cur, fh):\n    cur.copy_expert("COPY people (email) FROM STDIN", fh)\n'
    ),
    "hook_load_string.py": (
        'def f(hook, row):\n    hook.load_string(row["email"], key="k", bucket_name="b")\n'
    ),
    "spark_session.py": (
        "def f(builder):\n    session = builder.getOrCreate()\n"
        '    session.sql("SELECT email FROM people").write.parquet("/out")\n'
    ),
    "ssl_keyword.py": "def fetch(session, url):\n    return session.get(url, ssl=False)\n",
    "check_hostname.py": (
        "def fetch(session, url):\n    return session.get(url, check_hostname=False)\n"
    ),
    "verify_constant.py": (
        "import requests\nVERIFY = False\n\n"
        "def fetch(url):\n    return requests.get(url, verify=VERIFY)\n"
    ),
    "verify_annotated.py": (
        "class Client:\n    def __init__(self, session):\n        session.verify: bool = False\n"
    ),
    "verify_default.py": (
        "class Client:\n    def __init__(self, session, flag=False):\n"
        "        session.verify = flag\n"
    ),
    "unverified_alias.py": (
        "from ssl import _create_unverified_context as unverified\n\n"
        "def context(email):\n    return unverified()\n"
    ),
    "fstring_url.py": (
        'import requests\nSCHEME = "http"\nHOST = "api.vendor.example"\n\n'
        'def fetch():\n    return requests.get(f"{SCHEME}://{HOST}/status")\n'
    ),
    "concatenated_url.py": (
        'import requests\nHOST = "api.vendor.example"\n\n'
        'def fetch():\n    return requests.get("http" + "://" + HOST + "/status")\n'
    ),
    "percent_url.py": (
        "import requests\n\ndef fetch():\n"
        '    return requests.get("%s://%s/x" % ("http", "api.vendor.example"))\n'
    ),
    "format_url.py": (
        "import requests\n\ndef fetch():\n"
        '    return requests.get("{}://{}/x".format("http", "api.vendor.example"))\n'
    ),
    "split_url.py": (
        'import requests\nBASE = "http:" + "//api.vendor.example"\n\n'
        "def fetch():\n    return requests.get(BASE)\n"
    ),
    "escaped_url.py": (
        "import requests\n\ndef fetch():\n"
        '    return requests.get("http:\\x2f\\x2fapi.vendor.example")\n'
    ),
}


def test_prefilter_keeps_tls_switches_urls_built_from_pieces_and_named_loggers():
    sources = [SourceFile(p, f"/r/{p}", "python", t) for p, t in EVASIVE.items()]
    filtered = build_models(sources, BuildEnv(policy=POLICY, root="/r"))
    full = build_models(
        sources, BuildEnv(policy=POLICY, root="/r", options={"python_full_analysis": True})
    )
    for before, after in zip(full.models, filtered.models, strict=True):
        facts = ("tls", "endpoints", "sinks")
        assert any(getattr(before, kind) for kind in facts), before.path  # each one matters
        for kind in facts:
            assert getattr(after, kind) == getattr(before, kind), (before.path, kind)
    hits = _hits(filtered.models)
    assert hits == _hits(full.models)
    # Every file gives a finding, but the COPY: a database sink that the inventory reports.
    assert set(hits) == set(EVASIVE) - {"copy_expert.py"}


def test_prefilter_keeps_findings_on_pipelines_written_many_ways():
    from tests.python.filter_cases import CASES

    sources = [SourceFile(p, f"/r/{p}", "python", t) for p, t in CASES.items()]
    filtered = build_models(sources, BuildEnv(policy=POLICY, root="/r"))
    full = build_models(
        sources, BuildEnv(policy=POLICY, root="/r", options={"python_full_analysis": True})
    )
    assert filtered.diagnostics == full.diagnostics == []
    facts = ("sinks", "hashes", "endpoints", "tls", "reads")
    for before, after in zip(full.models, filtered.models, strict=True):
        for kind in facts:
            assert getattr(after, kind) == getattr(before, kind), (before.path, kind)
    hits = _hits(filtered.models)
    assert hits == _hits(full.models)
    assert len(hits) >= 40  # most of them give a finding


def test_a_file_in_newer_syntax_than_the_interpreter_is_not_an_error():
    # The stdlib parser of Python 3.11 refuses these; libcst does not. Not a syntax error,
    # whether the pre-filter skips the file or not; one the analysis (which runs on the stdlib
    # tree) cannot read is a warning that it was not analysed. A broken file is an error.
    files = {
        "generic.py": "def first[T](items: list[T]) -> T:\n    return items[0]\n",
        "alias.py": "type Row = dict[str, str]\n",
        "nested_quotes.py": 'names = ["a"]\nmsg = f"{", ".join(names)}"\n',
        "broken.py": "def f(:\n    pass\n",
    }
    sources = [SourceFile(p, f"/r/{p}", "python", t) for p, t in files.items()]
    filtered = build_models(sources, BuildEnv(policy=POLICY, root="/r"))
    full = build_models(
        sources, BuildEnv(policy=POLICY, root="/r", options={"python_full_analysis": True})
    )
    assert [(d.path, d.kind) for d in filtered.diagnostics] == [("broken.py", "parse-error")]
    newer = [] if sys.version_info >= (3, 12) else ["generic.py", "alias.py", "nested_quotes.py"]
    assert [d.path for d in full.diagnostics if d.kind == "skipped"] == newer
    assert all(d.level == "warning" for d in full.diagnostics if d.kind == "skipped")
    errors = [d for d in full.diagnostics if d.kind != "skipped"]
    assert errors == filtered.diagnostics


_VENDOR_MANIFEST = (
    "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: export\n  namespace: ops\n"
    "spec:\n  schedule: '0 3 * * *'\n  jobTemplate:\n    spec:\n      template:\n"
    "        spec:\n          restartPolicy: OnFailure\n          containers:\n"
    "            - name: export\n              image: registry.example/export:1.0.0\n"
    '              command: ["python", "etl.py"]\n              env:\n'
    "                - name: VENDOR_ENDPOINT\n"
    "                  value: https://ingest.unknown-vendor.example/v2\n"
)


def test_an_endpoint_read_from_the_environment_needs_no_column(scan):
    # DH690 fires on a call that sends no identified column to a host a manifest sets; the
    # text stage once skipped the script, which names no identifier.
    script = (
        "import os\n\nimport requests\n\n\n"
        "def main(payload):\n"
        '    requests.post(os.environ["VENDOR_ENDPOINT"], json=payload)\n'
    )
    result = scan({"etl.py": script, "deploy.yaml": _VENDOR_MANIFEST}, select=["DH690"])
    assert [(f.rule_id, f.location.path) for f in result.findings] == [("DH690", "etl.py")]


def test_an_endpoint_read_from_the_environment_through_urllib_request(scan):
    # urllib is a source only through urllib.request, which ``import urllib.parse`` reaches
    # too (urllib.request.urlopen written in full): such a module stays analysed.
    script = (
        "import os\nimport urllib.parse\n\n\n"
        "def main(payload):\n"
        '    urllib.request.urlopen(os.environ["VENDOR_ENDPOINT"], data=payload)\n'
    )
    aliased = script.replace("import urllib.parse", "from urllib import request as fetcher")
    aliased = aliased.replace("urllib.request.urlopen", "fetcher.urlopen")
    for text in (script, aliased):
        result = scan({"etl.py": text, "deploy.yaml": _VENDOR_MANIFEST}, select=["DH690"])
        assert [(f.rule_id, f.location.path) for f in result.findings] == [("DH690", "etl.py")]


# Modules that name a TLS switch in a string but unpack no dict into a call (an enum's
# ``verify`` decorator), edit texts that no URL-like text reaches (a doctype's URL after other
# characters), or use urllib only to quote and join texts: no finding, skipped.
NO_TRANSPORT = {
    "verify_decorator.py": (
        "def verify(cls):\n    return cls\n\n"
        'CHECKS = ("verify", "unique")\n\n'
        "def show(name):\n    print(name, CHECKS)\n"
    ),
    "doctype_and_escape.py": (
        'HEADER = \'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1.dtd">\'\n\n'
        'def escape(text):\n    return text.replace("&", "&amp;")\n\n'
        "def page(name):\n    print(HEADER)\n    print(escape(name))\n"
    ),
    "urllib_parse_only.py": (
        "import urllib.parse\n\ndef show(name):\n    print(urllib.parse.quote(name))\n"
    ),
}


def test_a_switch_name_never_unpacked_and_urllib_parse_alone_are_skipped():
    skipped, total, hits = _compare(NO_TRANSPORT)
    assert (skipped, total, hits) == (3, 3, 0)
    # ... and a module that unpacks the dict, or names urllib.request, is analysed.
    from dhlint.frontends.python import needs_analysis
    from dhlint.models.python import identifier_test

    words = identifier_test(POLICY, ast_stage=True)
    unpacked = NO_TRANSPORT["verify_decorator.py"] + "\ndef get(s, **kw):\n    return s.get(**kw)\n"
    assert needs_analysis(unpacked, words)
    request = NO_TRANSPORT["urllib_parse_only.py"].replace("parse.quote", "request.urlopen")
    assert needs_analysis(request, words)


# A function that prints no identifier, beside one that logs an email: the slicer, which once
# left out what it judged could not give a finding, dropped the first. The whole module is
# analysed now: a file the pre-filter lets through has the facts the full analysis has.
BANNER_AND_EXPORT = """
import logging
log = logging.getLogger(__name__)
def banner(version):
    print("starting", version)
def export(row):
    log.info("exported %s", row["email"])
"""


def test_a_file_the_prefilter_lets_through_is_analysed_whole():
    sources = [SourceFile("etl.py", "/r/etl.py", "python", BANNER_AND_EXPORT)]
    filtered = build_models(sources, BuildEnv(policy=POLICY, root="/r"))
    full = build_models(
        sources, BuildEnv(policy=POLICY, root="/r", options={"python_full_analysis": True})
    )
    (model,) = filtered.models
    assert model.analysed and model.sinks == full.models[0].sinks
    assert [s.anchor.split(":")[0] for s in model.sinks] == ["banner", "export"]


def test_an_analysed_file_is_parsed_once(monkeypatch):
    # The analysis runs on the tree the pre-filter's second stage built, or, for a file too
    # large for that stage (over _AST_STAGE_MAX characters), the credential check's: never a
    # second parse of the same text.
    import ast

    from dhlint.frontends import python as frontend

    pipeline = "import json\n\ndef f(row):\n    json.dump(row['email'], open('o', 'w'))\n"
    filler = "".join(f"def g{i}(a):\n    return a + {i}\n\n" for i in range(3000))
    assert len(filler) > frontend._AST_STAGE_MAX
    files = {
        "small.py": pipeline,
        "large.py": pipeline + filler,
        "large_with_a_password.py": pipeline + 'password = "hunter2-x"\n' + filler,
    }
    texts = {id(t) for t in files.values()}
    parses: list[int] = []
    real = ast.parse

    def counting(source, *args, **kwargs):
        if id(source) in texts or len(source) > 1000:  # not an f-string field's, parsed alone
            parses.append(id(source))
        return real(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting)
    frontend._LAST_TREE[:] = [None, None]
    sources = [SourceFile(p, f"/r/{p}", "python", t) for p, t in files.items()]
    result = build_models(sources, BuildEnv(policy=POLICY, root="/r"))
    assert all(m.analysed and m.sinks for m in result.models)
    assert sorted(parses) == sorted(texts)


def test_names_built_from_pieces_that_make_no_identifier_are_still_skipped():
    # The other side of the key_from_* cases (filter_cases.py): the pieces are tried with the
    # file's strings, and a file whose joins make no identifier-like name stays cheap.
    from dhlint.frontends.python import needs_analysis
    from dhlint.models.python import identifier_test

    words = identifier_test(POLICY, ast_stage=True)
    built = (
        "import logging\n"
        "\n"
        "\n"
        "def show(rec):\n"
        '    kind = "daily"\n'
        '    logging.info("value %s", rec[f"{kind}_count"], rec["%s_total" % kind])\n'
    )
    assert not needs_analysis(built, words)
    # ... and the same file building national_id is kept (a policy identifier).
    assert needs_analysis(built.replace('"daily"', '"national"').replace("_count", "_id"), words)
    # A city's own identifier is built from the city's list, not a fixed one.
    from dhlint.policy import Policy

    settings = {**POLICY.settings}
    settings["identifiers"] = {**settings["identifiers"]}
    settings["identifiers"]["direct"] = [*settings["identifiers"]["direct"], "daily_count"]
    city = identifier_test(Policy(settings=settings, source="city"), ast_stage=True)
    assert needs_analysis(built, city)


def test_an_empty_built_string_is_no_piece():
    from dhlint.frontends.python import needs_analysis
    from dhlint.models.python import identifier_test

    words = identifier_test(POLICY, ast_stage=True)
    text = 'import logging\n\n\ndef show(n):\n    logging.info(f"" + f"{n}")\n'
    assert not needs_analysis(text, words)


def test_a_concatenation_too_deep_to_read_is_analysed_not_a_crash():
    # 2,000 pieces parse, but reading their joints recursively overflows: the file is kept
    # for the analysis (as the ast stage keeps what it cannot read), not an internal error.
    from dhlint.frontends.python import needs_analysis
    from dhlint.models.python import identifier_test

    words = identifier_test(POLICY, ast_stage=True)
    text = "import logging\n\n\ndef f(x):\n    logging.info(" + " + ".join(["'a'"] * 2000) + ")\n"
    assert needs_analysis(text, words)


# Grants that make stored data public (DH461) with no import, column or URL: the text stage
# once skipped each; a docstring that only names them is skipped still.
PUBLIC_GRANTS = {
    "make_public.py": "def f(blob):\n    blob.make_public()\n",
    "acl_pieces.py": (
        'ACL = "public-" + "read"\n\n'
        "def f(s3, b):\n    s3.put_object_acl(Bucket=b, Key='k', ACL=ACL)\n"
    ),
    "grant_read.py": "def f(blob):\n    blob.acl.all().grant_read()\n",
    "iam.py": "def f(policy):\n    policy['roles/storage.objectViewer'].add('allUsers')\n",
    "container.py": (
        "def f(service):\n    service.create_container('tiles', public_access='container')\n"
    ),
    "policy.py": (
        "def f(client):\n    client.set_bucket_policy('tiles', "
        '\'{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}\')\n'
    ),
    "block.py": "def f(s3):\n    s3.delete_public_access_block(Bucket='tiles')\n",
    # a TLS switch in the docstring passes the text stage as transport; the tree shows none
    "tls_in_docstring.py": '"""Fetch with requests.get(url, verify=False) in tests."""\n\n\n'
    "def f(blob):\n    blob.make_public()\n",
}


# Each form a grant is known by, as the ``ast`` stage's walk reads it (one walk with the flows):
# a name, an import, a keyword, a string (whole or a piece); in a docstring, none counts.
GRANT_FORMS = (
    "from gcs_helpers import make_public\n",
    "def f(blob):\n    make_public(blob)\n",
    "def f(s3):\n    s3.put_bucket_acl(Bucket='b', PublicAccess='x')\n",
    "def f(client):\n    client.update(mode='Public' + '-Read-Write')\n",
    "def f(blob):\n    blob.acl.update(['authenticated' + 'Read'])\n",
)


def test_ast_stage_finds_every_form_of_grant_in_code_only():
    from dhlint.frontends.python import needs_analysis
    from dhlint.models.python import identifier_test

    words = identifier_test(POLICY, ast_stage=True)
    assert [needs_analysis(text, words) for text in GRANT_FORMS] == [True] * len(GRANT_FORMS)
    documented = [f'"""{text}"""\n\nX = 1\n' for text in GRANT_FORMS]
    assert [needs_analysis(text, words) for text in documented] == [False] * len(GRANT_FORMS)


def test_prefilter_keeps_grants_that_make_stored_data_public():
    docstring = '"""Uploads are never public-read; make_public is not called."""\n\nX = 1\n'
    files = {**PUBLIC_GRANTS, "docstring.py": docstring}
    sources = [SourceFile(p, f"/r/{p}", "python", t) for p, t in files.items()]
    filtered = build_models(sources, BuildEnv(policy=POLICY, root="/r"))
    full = build_models(
        sources, BuildEnv(policy=POLICY, root="/r", options={"python_full_analysis": True})
    )
    hits = _hits(filtered.models)
    assert hits == _hits(full.models)
    rules = {path: {rule for rule, *_ in found} for path, found in hits.items()}
    assert rules == {path: {"DH461"} for path in PUBLIC_GRANTS}
    assert [m.path for m in filtered.models if not m.analysed] == ["docstring.py"]


# A thing's name known only by its name (fname, fullname) counts at medium confidence only
# when read from a person (``_columns.classify``): a file that names no person gives no finding
# with it and is skipped; the same file reading it from a customer is analysed and reported.
THING_NAMES = {
    "fname_parameter.py": "def show(fname):\n    print(fname)\n",
    "fullname_of_an_option.py": "def show(opt):\n    print(opt.fullname, opt.fname)\n",
    "client_name_logged.py": (
        "import logging\n\nlog = logging.getLogger(__name__)\n\n"
        'def show(node):\n    log.info("%s", node.full_name)\n'
    ),
}


def test_a_things_name_read_from_no_person_is_skipped():
    from dhlint.frontends.python import needs_analysis
    from dhlint.models.python import identifier_test

    words = identifier_test(POLICY, ast_stage=True)
    assert not any(needs_analysis(text, words) for text in THING_NAMES.values())
    skipped, total, hits = _compare(THING_NAMES)
    assert (skipped, total, hits) == (3, 3, 0)
    owned = {
        path: text.replace("(opt)", "(customer)")
        .replace("opt.", "customer.")
        .replace("(node)", "(rider)")
        .replace("node.", "rider.")
        for path, text in THING_NAMES.items()
        if "fname_parameter" not in path
    }
    assert all(needs_analysis(text, words) for text in owned.values())
    _, _, hits = _compare(owned)
    assert hits == 2


def test_the_identifier_test_is_made_once_per_policy_and_asks_once_per_word(monkeypatch):
    """Every file's build asks for the pre-filter's word test: it is the run's, made once for
    the policy's settings, and each word's answer is kept (not classified again)."""
    from dhlint import identifiers
    from dhlint.models.python import identifier_test
    from dhlint.policy import Policy

    asked: list[str] = []
    fixed_place = identifiers._Taxonomy.is_fixed_place

    def counted(self, name: str) -> bool:
        asked.append(name)
        return fixed_place(self, name)

    monkeypatch.setattr(identifiers._Taxonomy, "is_fixed_place", counted)
    settings = {**POLICY.settings, "not_identifiers": ["pfcost_probe"]}  # a policy of its own
    test = identifier_test(Policy(settings=settings, source="a"), ast_stage=True)
    assert identifier_test(Policy(settings=settings, source="b"), ast_stage=True) is test
    assert identifier_test(POLICY, ast_stage=True) is not test
    assert [test(w) for w in ("stop_lat", "pfcost_word", "stop_lat", "pfcost_word")] == [
        True, False, True, False,
    ]  # fmt: skip
    assert asked == ["stop_lat", "pfcost_word"]
