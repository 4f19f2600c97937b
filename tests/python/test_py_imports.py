"""Constants imported from the project's other modules (``models/python_imports.py``): a URL,
host or column list kept in ``config.py`` is what the importing file's calls use."""

from __future__ import annotations

import pytest

from dhlint.analysis import BuildEnv
from dhlint.models.python import build_models
from dhlint.policy import default_policy
from dhlint.types import SourceFile
from tests.conftest import by_rule, rule_lines

CONFIG = """
import os

PARTNER_URL = "http://partner.example.com/api"
BILLING_URL = os.environ.get("BILLING_URL", "https://billing.vendor.example/v1")
EXPORT_COLUMNS = ["ssn", "zone"]
"""

SETTINGS = """
BASE = "https://crm.vendor.example"
CASES_URL = BASE + "/cases"
"""

JOB = """
import pandas as pd
import requests

import config
from app import settings
from config import EXPORT_COLUMNS, PARTNER_URL


def send(record):
    requests.post(PARTNER_URL, json={"ssn": record["ssn"]})
    requests.post(config.BILLING_URL, json={"zone": record["zone"]})
    requests.post(settings.CASES_URL, json={"email": record["email"]})


def export():
    frame = pd.read_sql("SELECT * FROM cases", "postgresql://db.city.gov/cases")
    frame[EXPORT_COLUMNS].to_csv("out/cases.csv")
"""


def test_a_constant_imported_from_a_project_module_is_its_value(scan):
    files = {"config.py": CONFIG, "app/__init__.py": "", "app/settings.py": SETTINGS}
    result = scan({**files, "jobs/job.py": JOB})
    found = by_rule(result)
    # jobs/job.py runs from jobs/ or the root: config.py and app/ are found at the root.
    assert rule_lines(result, "DH260") == [11]  # http:// in config.py
    assert [line for line, _ in found["DH660"]] == [11, 12, 13]
    messages = dict(found["DH660"])
    assert "(from a constant of another module of the project: http://partner" in messages[11]
    assert "environment-variable default: https://billing.vendor.example/v1" in messages[12]
    assert "crm.vendor.example" in messages[13]
    assert [line for line, _ in found["DH561"]] == [11, 13]  # ssn, email (zone is none)
    assert [line for line, _ in found["DH560"]] == [18]
    assert "'ssn'" in found["DH560"][0][1] and "zone" not in found["DH560"][0][1]


def test_the_pre_filter_reads_the_modules_a_file_imports(scan, make_repo):
    # Nothing in ping.py but a call: the URL is config's. Without reading config.py with it,
    # the pre-filter skipped the file.
    ping = "import requests\nfrom config import PARTNER_URL\n\n\ndef ping(payload):\n"
    ping += "    requests.post(PARTNER_URL, json=payload)\n"
    result = scan({"config.py": CONFIG, "ping.py": ping})
    assert rule_lines(result, "DH260") == [6] and rule_lines(result, "DH660") == [6]
    # ... and analyses it as the full analysis (no pre-filter) does.
    root = make_repo({"config.py": CONFIG, "ping.py": ping})
    source = SourceFile("ping.py", str(root / "ping.py"), "python", ping)
    for full in (False, True):
        env = BuildEnv(
            policy=default_policy(), root=str(root), options={"python_full_analysis": full}
        )
        built = build_models([source], env)
        assert built.models[0].analysed and [e.host for e in built.models[0].endpoints] == [
            "partner.example.com"
        ]
        assert str(root / "config.py") in built.extra_inputs


def test_the_pre_filter_scans_a_module_that_files_import_once(scan, monkeypatch):
    # Three files import config.py: the pre-filter read its text and scanned it for imports
    # with each of them (its text, its imports, once per version of the file: kept).
    from dhlint.models import python_imports

    scanned = []
    real = python_imports._line_matches
    monkeypatch.setattr(
        python_imports,
        "_line_matches",
        lambda rx, word, text: scanned.append(text) or real(rx, word, text),
    )
    ping = "import requests\nfrom config import PARTNER_URL\n\n\ndef ping(payload):\n"
    ping += "    requests.post(PARTNER_URL, json=payload)\n"
    pings = {f"ping_{n}.py": ping for n in "abc"}
    result = scan({"config.py": CONFIG, **pings}, jobs=1)
    assert scanned.count(CONFIG) == 2  # one search for ``import``, one for ``from``
    found = sorted((f.location.path, f.location.start_line) for f in result.active)
    assert [f for f in found if f[0] != "config.py"] == [
        (name, 6) for name in sorted(pings) for _rule in ("DH260", "DH660")
    ]


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The texts ``ast.parse`` is given during the test, in order (no module tree kept from
    another test)."""
    import ast

    from dhlint.models import python_imports

    python_imports._TREES.clear()
    given: list[str] = []
    real_parse = ast.parse
    monkeypatch.setattr(
        ast, "parse", lambda text, *a, **k: given.append(text) or real_parse(text, *a, **k)
    )
    return given


def test_the_pre_filter_does_not_parse_a_file_joined_with_its_modules(scan, parses):
    # ping.py passes the pre-filter with config.py's text only; its second stage read the
    # tree of the joined text, parsed again (106 parses, 6% of a run on python-packages): it
    # is now made of the texts' own trees, each parsed once.

    ping = "import requests\nfrom config import PARTNER_URL\n\n\ndef ping(payload):\n"
    ping += "    requests.post(PARTNER_URL, json=payload)\n"
    result = scan({"config.py": CONFIG, "ping.py": ping}, jobs=1, paths=["ping.py"])
    assert rule_lines(result, "DH260") == [6] and rule_lines(result, "DH660") == [6]
    assert sorted(t for t in parses if len(t) > 40) == sorted([CONFIG, ping])


def test_an_import_is_looked_up_once_per_build(make_repo, monkeypatch):
    # ping.py's pre-filter, its analysis and the modules they read looked ``config`` (and
    # ``requests``) up each from the same directory, a stat per candidate file each time.
    import collections
    import os

    ping = "import requests\nfrom config import PARTNER_URL\n\n\ndef ping(payload):\n"
    ping += "    requests.post(PARTNER_URL, json=payload)\n"
    root = make_repo({"config.py": CONFIG, "ping.py": ping})
    looked: collections.Counter = collections.Counter()
    real = os.path.isfile
    monkeypatch.setattr(os.path, "isfile", lambda p: looked.update([p]) or real(p))
    source = SourceFile("ping.py", str(root / "ping.py"), "python", ping)
    env = BuildEnv(policy=default_policy(), root=str(root))
    built = build_models([source], env)
    assert [e.host for e in built.models[0].endpoints] == ["partner.example.com"]
    assert looked[str(root / "config.py")] == 1 and looked[str(root / "requests.py")] == 1
    assert max(looked.values()) == 1
    # Each lookup's paths are still inputs of the result (the cache sees a module added)
    for name in ("config.py", "requests.py", "requests/__init__.py"):
        assert str(root / name) in built.extra_inputs
    # ... and the next build looks again (a module added since is found).
    (root / "requests.py").write_text("def post(url, json):\n    return None\n")
    again = build_models([source], env)
    assert looked[str(root / "requests.py")] == 2 and again.models[0].analysed


_JOINED_CASES = [
    ("docstring.py", '"""A module."""\nfrom __future__ import annotations\nX = 1\n'),
    ("open_block.py", "def f(a):\n    if a:\n        return a"),  # no newline at the end
    ("comment_last.py", "X = [1,\n     2]  # two"),
    ("crlf.py", "X = 1\r\nif X:\r\n    Y = 2\r\n"),
    ("cr.py", "X = 1\rY = 2\r"),
    ("bom.py", "\ufeffX = 1\n"),  # does not parse alone: the joined text is parsed
    ("indented.py", "    X = 1\n"),
    ("continued.py", "X = 1 + \\\n"),
]


def test_the_tree_of_a_file_joined_with_its_modules_is_that_of_the_joined_text(tmp_path):
    # ``_joined_tree`` is the joined text's tree but for positions (the pre-filter's ast
    # stage reads none), or None when a text does not parse alone (then the joined text is).
    import ast
    import pathlib

    from dhlint.models.python import _joined_tree
    from dhlint.models.python_imports import _module_text

    real = [pathlib.Path(ast.__file__), pathlib.Path(pathlib.__file__)]
    cases = [*_JOINED_CASES, *((p.name, p.read_text(encoding="utf-8")) for p in real)]
    own = "import os\n\nclass A:\n    def f(self):\n        return os.sep"
    made = 0
    for name, text in cases:
        (tmp_path / name).write_text(text, encoding="utf-8", newline="")
    for name, _text in cases:
        # The texts as the pre-filter reads them (``imported_texts``)
        paths = (str(tmp_path / name), str(tmp_path / "docstring.py"))
        modules = [(path, _module_text(path)[0]) for path in paths]
        tree = _joined_tree(ast.parse(own), modules)
        try:
            joined = ast.parse("\n".join((own, *(t for _p, t in modules))))
        except (SyntaxError, ValueError):
            joined = None
        alone = all(_parses(t) for _p, t in modules)
        assert (tree is None) == (not alone), name
        if tree is not None:
            made += 1
            assert ast.dump(tree) == ast.dump(joined), name
    assert made == len(cases) - 3
    assert (
        _joined_tree(("invalid syntax", 1, 1), [(str(tmp_path / "cr.py"), "X = 1\rY = 2\r")])
        is None
    )
    # A module whose file no longer holds the text read with the file: parsed joined.
    assert _joined_tree(ast.parse(own), [(str(tmp_path / "cr.py"), "X = 2\n")]) is None


def _parses(text: str) -> bool:
    import ast

    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def test_the_pre_filter_reads_a_from_import_that_follows_another(scan):
    # ``from lib import Session`` took the next lines (``from config import (``) as its names,
    # so config.py was not read with the file and the pre-filter skipped it (Home Assistant's
    # ruckus_unleashed: a DH565 lost). Names run over lines only in parentheses or after a
    # backslash, with comments in parentheses.
    ping = "import requests\nfrom somelib import Session\n\nfrom config import (\n"
    ping += "    PARTNER_URL,  # the partner's\n)\nfrom other import a, \\\n    b\n\n\n"
    ping += "def ping(payload):\n    requests.post(PARTNER_URL, json=payload)\n"
    result = scan({"config.py": CONFIG, "ping.py": ping})
    assert rule_lines(result, "DH260") == [12] and rule_lines(result, "DH660") == [12]


def test_names_that_are_not_project_constants_stay_references(scan):
    # A function of another module, a library, a module that does not parse, an import cycle,
    # a standard-library name the project also has: no constant, no crash.
    files = {
        "helpers.py": "import requests\n\n\ndef post(url, data):\n    requests.post(url, data)\n",
        "broken.py": "URL = 'http://x.example.com'\ndef (:\n",
        "a.py": "from b import B\nA = 'http://' + B\n",
        "b.py": "from a import A\nB = A\n",
        "secrets.py": "URL = 'http://vendor.example.com'\n",
        "job.py": (
            "import requests\nfrom helpers import post\nimport broken\nfrom a import A\n"
            "import secrets\n\n\ndef send(record):\n"
            "    post('https://api.city.gov/x', record)\n"
            "    requests.post(broken.URL, json={'ssn': record['ssn']})\n"
            "    requests.post(A, json={'ssn': record['ssn']})\n"
            "    requests.post(secrets.URL, json={'ssn': record['ssn']})\n"
        ),
    }
    result = scan(files)
    hosts = [f for f in result.active if f.rule_id in ("DH260", "DH660")]
    assert hosts == []  # helpers.post is not followed (another module's function)
    assert any(d.path == "broken.py" for d in result.diagnostics)


def test_modules_that_import_each_other_are_read_once_each(scan, module_reads):
    # a imports b, which imports a back: a read of b cut at a (a cycle) was not kept, so every
    # name asked of a read a and b again (dlt's extractors.py read one module 813 times). Now
    # a read is kept per import chain, and the cycle still gives nothing (b.BACK is unknown).

    reads = module_reads
    names = [f"URL{i}" for i in range(5)]
    files = {
        "a.py": "from b import HOST\n"
        + "".join(f"{n} = 'http://' + HOST + '/{n}'\n" for n in names),
        "b.py": "import a\n\nHOST = 'vendor.example.com'\nBACK = a.URL0\n",
        "job.py": "import requests\n\nimport a\n\n\ndef send(record):\n"
        + "".join(f"    requests.post(a.{n}, json={{'ssn': record['ssn']}})\n" for n in names)
        + "    requests.post(a.b.BACK, json={'ssn': record['ssn']})\n",
    }
    result = scan(files, jobs=1, paths=["job.py"])
    assert sorted(reads) == ["a.py", "b.py"]
    cleartext = [f.location.start_line for f in result.active if f.rule_id == "DH260"]
    assert cleartext == [7, 8, 9, 10, 11]  # b.BACK (line 12): the cycle's, unknown


def test_an_edited_module_is_read_again_from_the_cache(scan, make_repo, tmp_path):
    from dhlint.engine import CheckOptions, run_check

    ping = "import requests\nfrom config import URL\n\n\ndef ping(payload):\n"
    ping += "    requests.post(URL, json=payload)\n"
    root = make_repo({"config.py": "URL = 'http://api.city.gov/x'\n", "ping.py": ping})
    options = CheckOptions(
        paths=["ping.py"], cwd=str(root), cache=True, cache_dir=str(tmp_path / "c")
    )
    assert rule_lines(run_check(options), "DH260") == [6]
    (root / "config.py").write_text("URL = 'https://api.city.gov/x'\n", encoding="utf-8")
    again = run_check(options)
    assert rule_lines(again, "DH260") == [] and again.cache.hits == 0
    assert run_check(options).cache.hits == 1


CORE_CONFIG = """
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    CRM_URL: str = "http://crm.vendor.example/api"


class Endpoints:
    GEOCODER = "https://geo.vendor.example/v1"


settings = Settings()
"""

SYNC = """
import requests

from app.core import config
from app.core.config import Endpoints, settings


def sync(case):
    requests.post(settings.CRM_URL, json={"phone": case["phone"]})
    requests.get(Endpoints.GEOCODER)
    requests.get(config.settings.CRM_URL)
"""


def test_a_settings_object_or_class_of_another_module_gives_its_fields(scan):
    # FastAPI's layout: app/core/config.py makes `settings = Settings()`; the code imports it.
    files = {"app/__init__.py": "", "app/core/__init__.py": "", "app/core/config.py": CORE_CONFIG}
    result = scan({**files, "app/sync.py": SYNC})
    found = by_rule(result)
    assert [line for line, _ in found["DH660"]] == [9, 10, 11]
    assert (
        "from a settings default, used when the environment does not set it" in found["DH660"][0][1]
    )
    assert "from a constant of another module of the project" in found["DH660"][1][1]
    assert rule_lines(result, "DH260") == [9, 11] and rule_lines(result, "DH561") == [9]


GEO = """
import hashlib
import hmac
import os
import re

KEY = os.environ["ID_KEY"].encode()


def coarse(value):
    return round(value, 3)


def normalize_phone(phone):
    return re.sub(r"\\D", "", phone)


def token(value):
    return hmac.new(KEY, value.encode(), hashlib.sha256).hexdigest()


def weak(value):
    return hashlib.sha1(value.encode()).hexdigest()
"""

EXPORT = """
import logging

import pandas as pd

from common.geo import coarse, normalize_phone, token, weak

log = logging.getLogger(__name__)


def run(rows):
    out = []
    for r in rows:
        out.append({"lat": coarse(r["lat"]), "lon": coarse(r["lon"]), "rid": token(r["email"]),
                    "dev": weak(r["device_id"])})
        log.info("sent to %s", normalize_phone(r["phone"]))
    pd.DataFrame(out).to_csv("s3://city-exports/points.csv")
"""


def test_a_helper_of_another_module_treats_the_columns_it_is_given(scan):
    # coarse() rounds (no DH563), token() hashes with a key from the environment (no DH560 for
    # rid), weak() hashes without one (DH562 where this file hashes through it), and
    # normalize_phone() only reformats: the phone it returns is still the phone (DH565).
    result = scan({"common/__init__.py": "", "common/geo.py": GEO, "export.py": EXPORT})
    found = [(f.rule_id, f.location.path, f.location.start_line) for f in result.active]
    assert found == [("DH562", "export.py", 15), ("DH565", "export.py", 16)]
    assert "'device_id' (device) hashed with unkeyed sha1" in result.active[0].message
    # The helpers' module alone: no identifier reaches anything there.
    assert [f for f in result.active if f.location.path.startswith("common/")] == []


DEFAULTED = """
def round_coord(value, places=3):
    return round(value, places)
"""

PLACES = """
import pandas as pd

from jobs.geo import round_coord


def extracts(df):
    pd.DataFrame({"lat": df.latitude.map(round_coord)}).to_parquet("/exports/a.parquet")
    pd.DataFrame({"lat": [round_coord(v) for v in df.latitude]}).to_parquet("/exports/b.parquet")
    pd.DataFrame({"lat": [round_coord(v, 6) for v in df.latitude]}).to_parquet("/exports/c.parquet")
"""


def test_a_helper_of_another_module_keeps_the_defaults_a_call_leaves_out(scan):
    # probe52 05: round_coord(value, places=3) in another module, called with the value alone
    # (or mapped over a column), was summarised with ``places`` unknown, so the coordinates it
    # rounds to 3 places were reported as precise (DH563); the same helper in the file was
    # not. The summary is now per count of positional arguments given: the ones left out keep
    # their defaults. A call that passes its own places (6) is judged as before.
    files = {"jobs/__init__.py": "", "jobs/geo.py": DEFAULTED, "jobs/export.py": PLACES}
    result = scan(files, select=["DH563"])
    assert [(f.location.path, f.location.start_line) for f in result.active] == [
        ("jobs/export.py", 10)
    ]


def test_a_helper_of_another_module_given_a_table_is_not_summarised(scan):
    # What a function does to each column of a table it is given is not one treatment: the
    # table it returns is judged as before (its columns by name).
    helper = "def tidy(df):\n    df['lat'] = df['lat'].round(3)\n    return df\n"
    job = (
        "import pandas as pd\nfrom helpers import tidy\n\n\ndef run():\n"
        "    df = pd.read_csv('trips.csv')\n    tidy(df)[['lat', 'email']].to_csv('s3://b/x.csv')\n"
    )
    with_helper = scan({"helpers.py": helper, "job.py": job})
    without = scan({"job.py": job})
    assert [(f.rule_id, f.location.start_line) for f in with_helper.active] == [
        (f.rule_id, f.location.start_line) for f in without.active
    ]


def test_the_same_findings_whichever_worker_reads_a_module_first(scan):
    # Modules read for their constants and helpers are kept per worker process; the answers
    # must not depend on which file asked first (a helper's run may set a global).
    files = {
        "common/__init__.py": "",
        "common/geo.py": GEO + "\nLAST = None\n\n\ndef remember(v):\n    global LAST\n"
        "    LAST = v\n    return v\n",
        "config.py": CONFIG,
        "a_first.py": "from common.geo import remember\n\n\ndef f(r):\n"
        "    return remember(r['email'])\n",
        **{f"job{i}.py": JOB for i in range(3)},
        "export.py": EXPORT,
        "publish.py": PUBLISH,  # helpers that write what they are given: their sinks too
        **{f"pub{i}.py": PUBLISHING for i in range(2)},
    }
    one = scan(files, jobs=1)
    many = scan(files, jobs=2)
    assert [(f.rule_id, f.location.path, f.location.start_line) for f in one.active] == [
        (f.rule_id, f.location.path, f.location.start_line) for f in many.active
    ]
    assert {f.location.path for f in one.active} >= {"export.py", "job0.py", "job2.py", "pub1.py"}


POINTS = """
from .config import SETTINGS


def coarsen(lat, lon, decimals=None):
    d = SETTINGS["coord_decimals"] if decimals is None else decimals
    return round(lat, d), round(lon, d)


def half(lat, lon):
    return round(lat, 3), lon
"""

POINTS_CONFIG = """
import os

SETTINGS = {"coord_decimals": 3, "sms_from": os.environ.get("SMS_FROM", "+18165550311")}
"""

MAP_FEED = """
import requests

from common.points import coarsen, half


def feed(report):
    map_lat, map_lon = coarsen(report["latitude"], report["longitude"])
    requests.post("https://maps.city.gov/feed", json={"lat": map_lat, "lon": map_lon})
    lat2, lon2 = half(report["latitude"], report["longitude"])
    requests.post("https://maps.city.gov/feed", json={"lat": lat2})
    requests.post("https://maps.city.gov/feed", json={"lon": lon2})
"""


def test_a_tuple_a_helper_of_another_module_returns_is_followed_item_by_item(scan):
    # coarsen() rounds both to SETTINGS["coord_decimals"] (a dict constant of its config
    # module; its decimals parameter not given: its default) and returns the pair: no DH563.
    # half() rounds the first only: the second item is the longitude as given (DH563 at 12),
    # the first is not (none at 11).
    files = {"common/__init__.py": "", "common/points.py": POINTS}
    result = scan({**files, "common/config.py": POINTS_CONFIG, "feed.py": MAP_FEED})
    assert rule_lines(result, "DH563") == [12]
    assert "'longitude'" in by_rule(result)["DH563"][0][1]
    assert "'latitude'" not in by_rule(result)["DH563"][0][1]


# Helpers that write or send what they are given, kept in their own module (``publish.py``),
# and a job that calls them. The same code in one file is the reference: the findings are
# the same (rule and message), at the call instead of inside the helper.
PUBLISH = """
import io
import logging

import boto3
import requests

BUCKET = "city-downloads"
URL = "https://collector.vendor.example/ingest"
s3 = boto3.client("s3")
log = logging.getLogger(__name__)


def put_csv(df, key, bucket=BUCKET):
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    s3.put_object(Bucket=bucket, Key=key, Body=buf.getvalue())


def post(rows):
    requests.post(URL, json=rows)


def public_csv(df, key):
    df.drop(columns=["name", "phone"]).to_csv(f"s3://{BUCKET}/{key}")


def note(case_id, reporter):
    log.warning("case %s reported by %s", case_id, reporter)


def publish_file(path):
    with open(path, "rb") as fh:
        requests.post(URL, files={"upload": fh})
"""

CALLER = """
def run(month):
    raw = pd.read_sql("SELECT case_id, name, phone, ward FROM cases", "postgresql://db")
    put_csv(raw[["case_id", "name", "phone"]], f"full/{month}.csv")
    post(raw[["name", "ward"]].to_dict("records"))
    public_csv(raw, f"public/{month}.csv")
    note(raw["case_id"], raw["name"])
    path = f"/tmp/wards_{month}.csv"
    raw[["phone", "ward"]].to_csv(path)
    publish_file(path)
"""

# A job that calls two of them (the order and --jobs test).
PUBLISHING = (
    "import pandas as pd\n\nfrom publish import post, put_csv\n" + CALLER.split("    public_csv")[0]
)

BUCKETS_TF = """
resource "aws_s3_bucket" "downloads" {
  bucket = "city-downloads"
  tags = {
    data-classification = "public"
  }
}
"""


def _findings(result) -> list[tuple[str, str]]:
    return sorted((f.rule_id, f.message) for f in result.active)


def test_a_helper_of_another_module_that_writes_or_sends_is_reported_at_the_call(scan):
    one_file = "import pandas as pd\n" + PUBLISH + CALLER
    job = "import pandas as pd\n\nfrom publish import note, post, public_csv, publish_file"
    job += ", put_csv\n" + CALLER
    same = scan({"job.py": one_file, "infra/buckets.tf": BUCKETS_TF})
    apart = scan({"publish.py": PUBLISH, "job.py": job, "infra/buckets.tf": BUCKETS_TF})
    # The same findings: the CSV of names and phones to the bucket tagged public (DH560,
    # DH890, DH390...), the records sent (DH561), the name logged (DH565), the file of
    # phones uploaded (DH561); none for the table whose names and phones the helper drops.
    assert _findings(apart) == _findings(same)
    found = {(f.rule_id, f.location.path, f.location.start_line) for f in apart.active}
    assert {("DH560", "job.py", 7), ("DH890", "job.py", 7), ("DH561", "job.py", 8)} <= found
    assert {("DH565", "job.py", 10), ("DH561", "job.py", 13)} <= found
    # At the calls; none at public_csv's (9). DH660 is the helper's own: its host, whoever
    # calls it, reported in its module.
    assert {line for _, path, line in found if path == "job.py"} == {7, 8, 10, 12, 13}
    assert {(r, line) for r, path, line in found if path == "publish.py"} == {
        ("DH660", 21),
        ("DH660", 34),
    }
    messages = dict(by_rule(apart)["DH560"])
    assert "'name' (direct), 'phone' (direct)" in messages[7] and "city-downloads" in messages[7]
    assert "by s3.put_object" in messages[7]


def test_two_helpers_called_alike_each_give_their_own_sinks(scan):
    # put_a and send_b are called with the same shape of arguments: what one writes is not
    # the other's answer (the answers were kept by the call's shape alone, so job.py's
    # send_b took put_a's bucket and job2.py, checked after it, lost its DH561).
    helpers = "import requests\n\n\ndef put_a(frame):\n"
    helpers += '    frame.to_csv("s3://city-public-bucket/a.csv")\n\n\ndef send_b(frame):\n'
    helpers += (
        '    requests.post("http://partner.example.com/api", json=frame.to_dict("records"))\n'
    )
    read = "import pandas as pd\n\nfrom helpers import put_a, send_b\n\n\ndef run():\n"
    read += '    frame = pd.read_sql("SELECT ssn, email FROM people", "postgresql://db/p")\n'
    both = read + '    put_a(frame[["ssn", "email"]])\n    send_b(frame[["ssn", "email"]])\n'
    one = read + '    send_b(frame[["ssn", "email"]])\n'
    files = {"helpers.py": helpers, "job.py": both, "job2.py": one}
    found = {
        (f.rule_id, f.location.path, f.location.start_line) for f in scan(files, jobs=1).active
    }
    assert {("DH560", "job.py", 8), ("DH561", "job.py", 9), ("DH561", "job2.py", 8)} <= found
    assert ("DH560", "job.py", 9) not in found and ("DH560", "job2.py", 8) not in found


def test_a_helper_of_another_module_that_calls_one_of_a_third_is_followed(scan):
    # job -> reports.export -> storage.upload: the write two modules away, at job's call.
    storage = "import boto3\n\ns3 = boto3.client('s3')\n\n\ndef upload(body, key):\n"
    storage += "    s3.put_object(Bucket='city-raw', Key=key, Body=body)\n"
    reports = "from storage import upload\n\n\ndef export(df):\n"
    reports += "    upload(df.to_csv(), 'people.csv')\n"
    job = "import pandas as pd\nfrom reports import export\n\n\ndef run():\n"
    job += "    export(pd.read_sql('SELECT email, ward FROM people', 'postgresql://db'))\n"
    result = scan({"storage.py": storage, "reports.py": reports, "job.py": job})
    [(line, message)] = by_rule(result)["DH560"]
    assert line == 6 and "'email'" in message and "(city-raw)" in message
    assert {f.location.path for f in result.active} == {"job.py"}


def test_a_module_a_helper_imports_is_an_input_of_every_file_that_reaches_it(make_repo, tmp_path):
    # job_a.py and job_b.py both call reports.export, which calls storage.upload: the module
    # is read once per process (for job_a, first), yet storage.py is an input of both files'
    # results: edited to write nothing, neither keeps its DH560 from the cache.
    from dhlint.engine import CheckOptions, run_check
    from dhlint.models import python_imports

    storage = "import boto3\n\ns3 = boto3.client('s3')\n\n\ndef upload(body, key):\n"
    reports = "from storage import upload\n\n\ndef export(df):\n"
    reports += "    upload(df.to_csv(), 'people.csv')\n"
    job = "import pandas as pd\nfrom reports import export\n\n\ndef run():\n"
    job += "    export(pd.read_sql('SELECT email, ward FROM people', 'postgresql://db'))\n"
    write = "    s3.put_object(Bucket='city-raw', Key=key, Body=body)\n"
    files = {"storage.py": storage + write, "reports.py": reports}
    root = make_repo({**files, "job_a.py": job, "job_b.py": job})
    cache = str(tmp_path / "c")
    options = CheckOptions(paths=["."], cwd=str(root), cache=True, cache_dir=cache, jobs=1)
    first = run_check(options)
    assert {
        (f.location.path, f.location.start_line) for f in first.active if f.rule_id == "DH560"
    } == {
        ("job_a.py", 6),
        ("job_b.py", 6),
    }
    (root / "storage.py").write_text(storage + "    return key\n", encoding="utf-8")
    python_imports._MODULES.clear()  # a new process: the modules read are kept per process
    again = run_check(options)
    # every file reaches storage.py (reports.py imports it): none is taken from the cache
    assert [f for f in again.active if f.rule_id == "DH560"] == [] and again.cache.hits == 0


def test_import_lines_are_found_as_the_multi_line_regex_found_them():
    import re

    from dhlint.models import python_imports as imports

    text = (
        "import os, config as c\n  import app.settings  # x\nreimport x\nx = 1; import y\n"
        "from . import a, b\nfrom .pkg import (\n    one,\n    two,\n)\n"
        "from a import b\nfrom c import d\nimport e\n\tfrom   f   import g\n"
        "fromage import x\nimport_helper import z\n'''\nimport in_a_string\n'''\nimport"
    )
    for rx, word in ((imports._IMPORT, "import"), (imports._FROM, "from")):
        whole = re.compile(r"^[ \t]*" + rx.pattern, re.M)
        expected = [(m.end(), m.groups()) for m in whole.finditer(text)]
        found = [(m.end(), m.groups()) for m in imports._line_matches(rx, word, text)]
        assert found == expected and len(found) >= 2


def _host_chain(levels: int) -> dict[str, str]:
    """Two import chains of ``levels`` modules each (``a0 -> a1 -> ...``, ``b0 -> b1 -> ...``)
    that both end at ``hosts.py``, and a job that posts to the URL each chain builds from it."""
    files = {"hosts.py": "HOST = 'vendor.example.com'\n"}
    for side in "ab":
        for i in range(levels):
            below = f"{side}{i + 1}" if i + 1 < levels else "hosts"
            name = "HOST" if below == "hosts" else "URL"
            value = f"'http://' + {below}.{name} + '/{side}'" if i == 0 else f"{below}.{name}"
            files[f"{side}{i}.py"] = f"import {below}\n\nURL = {value}\n"
    job = "import requests\n\nimport a0\nimport b0\n\n\ndef send(record):\n"
    job += "    requests.post(a0.URL, json={'ssn': record['ssn']})\n"
    job += "    requests.post(b0.URL, json={'ssn': record['ssn']})\n"
    return {**files, "job.py": job}


def test_a_module_reached_by_two_import_chains_is_read_once(scan, module_reads, parses):
    # hosts.py is two imports away by two chains (a0 -> hosts, b0 -> hosts): what a chain's
    # cycle cuts may differ, but hosts.py imports neither a0 nor b0, so one read serves both
    # (it was read once per chain); its text is parsed once.

    files = _host_chain(1)
    result = scan(files, jobs=1, paths=["job.py"])
    assert module_reads.count("hosts.py") == 1
    assert parses.count(files["hosts.py"]) == 1
    assert rule_lines(result, "DH260") == [8, 9]  # both chains' URLs: the host's constant


def _cycle_on_one_chain(b_first: bool) -> dict[str, str]:
    """hosts.py, two imports away by a0 and by b0, imports a0 back: a cycle on a0's chain
    only (BACK unknown there), not on b0's (BACK known, read from a0 three imports away).
    ``b_first``: b0's chain asks first."""
    job = "import requests\n\nimport a0\nimport b0\n\n\ndef send(record):\n"
    sends = [
        "    requests.post(a0.BACK, json={'ssn': record['ssn']})\n",
        "    requests.post(b0.BACK, json={'ssn': record['ssn']})\n",
    ]
    return {
        "hosts.py": "import a0\n\nBACK = a0.SCHEME + '://vendor.example.com/back'\n",
        "a0.py": "import hosts\n\nSCHEME = 'http'\nBACK = hosts.BACK\n",
        "b0.py": "import hosts\n\nBACK = hosts.BACK\n",
        "job.py": job + "".join(reversed(sends) if b_first else sends),
    }


@pytest.mark.parametrize("b_first", [False, True])
def test_a_module_read_for_one_chain_serves_another_only_without_a_cycle_there(
    scan, module_reads, b_first
):
    # hosts.py reads a0: a cycle on a0's chain, not on b0's. Whichever chain asks first, the
    # read made for it does not serve the other: each chain's answer is that of its own read.
    result = scan(_cycle_on_one_chain(b_first), jobs=1, paths=["job.py"])
    assert module_reads.count("hosts.py") == 2
    assert rule_lines(result, "DH260") == ([8] if b_first else [9])  # b0.BACK: http://


def test_a_module_as_deep_as_imports_are_followed_is_read_once_whatever_the_chain(
    scan, module_reads
):
    # hosts.py is three imports away from the job by two chains (a0 -> a1 -> hosts, b0 -> b1
    # -> hosts): a read that deep follows no import of its own, so no chain can change it.
    result = scan(_host_chain(2), jobs=1, paths=["job.py"])
    assert module_reads.count("hosts.py") == 1 and module_reads.count("a1.py") == 1
    assert rule_lines(result, "DH260") == [8, 9]


def test_names_asked_of_one_module_look_it_up_once(scan, monkeypatch):
    # Each name of config.py a file uses was a lookup of the read (a stat of the file each).
    from dhlint.models import python_imports

    calls = []
    real = python_imports.read_module
    monkeypatch.setattr(
        python_imports, "read_module", lambda path, *a: calls.append(path) or real(path, *a)
    )
    names = [f"URL{i}" for i in range(6)]
    config = "".join(f"{n} = 'http://vendor{i}.example.com'\n" for i, n in enumerate(names))
    job = "import requests\n\nimport config\n\n\ndef send(record):\n"
    job += "".join(f"    requests.post(config.{n}, json={{'ssn': record['ssn']}})\n" for n in names)
    result = scan({"config.py": config, "job.py": job}, jobs=1, paths=["job.py"])
    assert rule_lines(result, "DH260") == list(range(7, 13))
    assert len(calls) == 1


def test_the_analyses_of_a_module_read_scan_its_text_once(scan, monkeypatch):
    # A helper of geo.py is run on an analysis of its own per question (two arguments: two
    # runs, besides the read's): the text's line positions are the first analysis's.
    from dhlint.models import python_dataflow

    scanned = []
    real = python_dataflow.Places

    def places(text):
        scanned.append(text)
        return real(text)

    monkeypatch.setattr(python_dataflow, "Places", places)
    geo = "def coarse(lat, lon):\n    return round(lat, 2), round(lon, 2)\n"
    job = "import requests\n\nfrom geo import coarse\n\n\ndef send(r):\n"
    job += "    lat, lon = coarse(r['latitude'], r['longitude'])\n"
    job += "    requests.post('https://maps.example.com/feed', json={'lat': lat, 'lon': lon})\n"
    result = scan({"geo.py": geo, "job.py": job}, jobs=1, paths=["job.py"])
    assert scanned.count(geo) == 1 and scanned.count(job) >= 1
    assert "DH563" not in by_rule(result)  # the coordinates are rounded: geo.py's helper ran


def _hosts_and_job(module: str) -> tuple[str, str]:
    """A module that posts a case's SSN to its URL, and a job that posts an email to that URL,
    imported from ``module``."""
    hosts = "import requests\n\nURL = 'http://api.city.gov/x'\n\n\ndef ping(case):\n"
    hosts += "    requests.post(URL, json={'ssn': case['ssn']})\n"
    job = f"import requests\n\nfrom {module} import URL\n\n\ndef send(case):\n"
    job += "    requests.post(URL, json={'email': case['email']})\n"
    return hosts, job


def test_a_checked_file_is_not_parsed_again_when_read_as_a_module(scan, module_reads, parses):
    # a_hosts.py is checked, then read as a module for b_job.py's analysis: its text was
    # parsed again for the read (python-packages: 95 of 385 module parses).
    import ast

    hosts, job = _hosts_and_job("a_hosts")
    result = scan({"a_hosts.py": hosts, "b_job.py": job}, jobs=1)
    assert module_reads == ["a_hosts.py"] and parses.count(hosts) == 1
    found = sorted((f.rule_id, f.location.path, f.location.start_line) for f in result.active)
    assert [(rule, line) for rule, path, line in found if path == "b_job.py"] == [
        ("DH260", 7),
        ("DH561", 7),
        ("DH660", 7),
    ]
    # A file edited since it was checked is read as it is now.
    from dhlint.models.python_imports import _parse

    root = result.root
    (root / "a_hosts.py").write_text(hosts.replace("api.city.gov", "api2.city.gov"))
    assert "api2.city.gov" in ast.unparse(_parse(str(root / "a_hosts.py")).tree)


def test_a_module_read_for_another_file_is_not_parsed_again_when_analysed(
    scan, module_reads, parses
):
    # b_hosts.py is read as a module for a_job.py's analysis, then analysed itself: its text
    # is parsed once, and its findings are those of a run on it alone.

    hosts, job = _hosts_and_job("b_hosts")
    result = scan({"b_hosts.py": hosts, "a_job.py": job}, jobs=1)
    assert module_reads == ["b_hosts.py"] and parses.count(hosts) == 1
    alone = scan({"b_hosts.py": hosts}, jobs=1)
    found = sorted((f.rule_id, f.location.path, f.location.start_line) for f in result.active)
    own = [(rule, line) for rule, path, line in found if path == "b_hosts.py"]
    assert own == [("DH260", 7), ("DH561", 7), ("DH660", 7)]
    assert own == sorted((f.rule_id, f.location.start_line) for f in alone.active)
    assert [(rule, line) for rule, path, line in found if path == "a_job.py"] == own


def test_a_read_serving_two_chains_is_left_for_the_one_whose_question_made_it_a_cycle(
    tmp_path, module_reads
):
    # hosts.py's body reads no module: its read for b0's chain serves a0's too, until a0's
    # chain asks for load()'s table, whose run reads a0, a cycle there: that answer is asked
    # again of a read for a0's chain (no columns: the query is unknown on a cycle), and b0's
    # keeps the shared read (the query's columns, a0 being read three imports away).
    from dhlint.models import python_imports as imports

    hosts = "import pandas as pd\nimport a0\n\n\ndef load():\n"
    hosts += "    return pd.read_sql(a0.QUERY, 'postgresql://db')\n"
    files = {
        "hosts.py": hosts,
        "a0.py": "import hosts\n\nQUERY = 'SELECT email, ward FROM people'\n",
        "b0.py": "import hosts\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    root, policy = str(tmp_path), default_policy()
    a0, b0 = str(tmp_path / "a0.py"), str(tmp_path / "b0.py")
    on_b = imports.ProjectImports(b0, root, policy, [], 1, (b0,))
    on_a = imports.ProjectImports(a0, root, policy, [], 1, (a0,))
    shared = on_b._module_of("hosts.load")[0]
    assert shared is not None and on_a._module_of("hosts.load")[0] is shared
    assert on_a.table("hosts.load", 0) is None
    assert on_a._module_of("hosts.load")[0] is not shared
    returned = on_b.table("hosts.load", 0)
    assert returned is not None and [name for name, _ in returned.columns] == ["email", "ward"]
    assert module_reads.count("hosts.py") == 2


def test_the_analyses_of_a_module_read_share_what_it_imports(scan, monkeypatch):
    # reports.py's top-level code reads settings.BUCKET; each question about its helper runs
    # on an analysis of its own (one per argument, its sinks...), which looked settings.py up
    # again (a stat, a lookup): the analyses of one read share its imports' answers.
    from dhlint.models import python_imports

    calls = []
    real = python_imports.read_module
    monkeypatch.setattr(
        python_imports, "read_module", lambda path, *a: calls.append(path) or real(path, *a)
    )
    reports = "import boto3\nfrom settings import BUCKET\n\nTARGET = BUCKET + '-raw'\n"
    reports += "s3 = boto3.client('s3')\n\n\ndef export(df, key):\n"
    reports += "    s3.put_object(Bucket=TARGET, Key=key, Body=df.to_csv())\n"
    job = "import pandas as pd\nfrom reports import export\n\n\ndef run():\n"
    job += "    export(pd.read_sql('SELECT email, ward FROM people', 'postgresql://db'), 'k')\n"
    files = {"settings.py": "BUCKET = 'city'\n", "reports.py": reports, "job.py": job}
    result = scan(files, jobs=1, paths=["job.py"])
    [(line, message)] = by_rule(result)["DH560"]
    assert line == 6 and "'email'" in message and "(city-raw)" in message
    assert sum(p.endswith("settings.py") for p in calls) == 1


def test_the_analyses_of_a_module_read_list_its_functions_once(scan, monkeypatch):
    # A helper of geo.py is run on an analysis of its own per question (two arguments: two
    # runs, besides the read's): the module's functions and classes are listed by the first
    # (Analyzer._layout), its dataclass's fields known to every analysis alike.
    from dhlint.models import python_dataflow

    listed = []
    real = python_dataflow.Analyzer._functions

    def functions(self, body, prefix, cls):
        if body is self.module.body:
            listed.append(self.path)
        return real(self, body, prefix, cls)

    monkeypatch.setattr(python_dataflow.Analyzer, "_functions", functions)
    geo = "from dataclasses import dataclass\n\n\n@dataclass\nclass Point:\n    lat: float\n"
    geo += "    lon: float\n\n\ndef coarse(lat, lon):\n    p = Point(lat, lon)\n"
    geo += "    return round(p.lat, 2), round(p.lon, 2)\n"
    job = "import requests\n\nfrom geo import coarse\n\n\ndef send(r):\n"
    job += "    lat, lon = coarse(r['latitude'], r['longitude'])\n"
    job += "    requests.post('https://maps.example.com/feed', json={'lat': lat, 'lon': lon})\n"
    result = scan({"geo.py": geo, "job.py": job}, jobs=1, paths=["job.py"])
    assert listed.count("geo.py") == 1 and listed.count("job.py") >= 1
    assert "DH563" not in by_rule(result)  # the coordinates are rounded: geo.py's helper ran
    # ... and what its classes declare is each analysis's own copy, equal to the first's
    import ast

    tree, before = ast.parse(geo), len(listed)
    first = python_dataflow.Analyzer(tree, "geo.py", default_policy(), geo)
    first.run_module_body()
    second = python_dataflow.Analyzer(tree, "geo.py", default_policy(), geo, first.scans)
    second.run_module_body()
    for name in python_dataflow._LAYOUT_DICTS + python_dataflow._LAYOUT_SETS:
        assert getattr(second, name) == getattr(first, name)
        assert getattr(second, name) is not getattr(first, name)
    assert second.fields == {"Point": ("lat", "lon")} and len(listed) == before + 1


def test_a_file_read_with_its_imported_modules_is_parsed_once(make_repo, parses):
    # The pre-filter drops ping.py on its own tree (no identifier reaches the log), then keeps
    # it read with config.py (a URL): the joined text's tree took the file's place, and the
    # analysis parsed the file again.

    ping = "import logging\nfrom config import PARTNER_URL\n\n\ndef ping(payload):\n"
    ping += '    email = payload\n    logging.info("sent %s", PARTNER_URL)\n'
    root = make_repo({"config.py": CONFIG, "ping.py": ping})
    source = SourceFile("ping.py", str(root / "ping.py"), "python", ping)
    env = BuildEnv(policy=default_policy(), root=str(root))
    (model,) = build_models([source], env).models
    assert model.analysed
    assert parses.count(ping) == 1
    # The joined text is not parsed: its tree is made of the two files' own (_joined_tree).
    assert not any(ping in text and CONFIG in text for text in parses)


def _body_runs(monkeypatch) -> list[str]:
    """The files whose top-level code an analysis runs (``Analyzer.run_module_body``), in order."""
    from dhlint.models import python_dataflow

    runs: list[str] = []
    real = python_dataflow.Analyzer.run_module_body

    def run_module_body(self):
        runs.append(self.path)
        return real(self)

    monkeypatch.setattr(python_dataflow.Analyzer, "run_module_body", run_module_body)
    return runs


HELPER = """
URL = "http://maps.example.com/feed"


def coarse(lat):
    global URL
    URL = "https://elsewhere.example.com/x"
    return round(lat, 2)
"""


def test_a_helpers_first_run_takes_the_reads_analysis(scan, module_reads, monkeypatch):
    # geo.py's read ran its top-level code, and each question about coarse() ran it again on
    # an analysis of its own: the first run takes the read's, on which only names were read.
    runs = _body_runs(monkeypatch)
    job = "import requests\n\nfrom geo import URL, coarse\n\n\ndef send(r):\n"
    job += "    requests.post(URL, json={'lat': coarse(r['latitude'])})\n"
    result = scan({"geo.py": HELPER, "job.py": job}, jobs=1, paths=["job.py"])
    assert module_reads == ["geo.py"]
    # the read's (taken by the treatment's run), the sinks' run: one less than before
    assert runs.count("geo.py") == 2
    assert rule_lines(result, "DH260") == [7]  # URL as its top-level code sets it
    assert "DH563" not in by_rule(result)  # the latitude is rounded: coarse() ran


def test_a_name_read_after_a_helpers_run_is_the_modules_own(scan, module_reads, monkeypatch):
    # coarse() sets the global URL when run: a run on the read's analysis must not change
    # what the job reads of geo.URL after it (read from the names the module's code bound,
    # without running it again).
    runs = _body_runs(monkeypatch)
    job = "import requests\n\nimport geo\n\n\ndef send(r):\n"
    job += "    lat = geo.coarse(r['latitude'])\n"
    job += "    requests.post(geo.URL, json={'lat': lat})\n"
    result = scan({"geo.py": HELPER, "job.py": job}, jobs=1, paths=["job.py"])
    assert module_reads == ["geo.py"]
    assert rule_lines(result, "DH260") == [8]  # http://, not the run's https://
    assert runs.count("geo.py") == 2


def test_an_import_looked_up_again_joins_its_paths_once(scan, monkeypatch):
    # Two files of a directory import config: each build looks it up again (what is on disk
    # may have changed), but the paths it may be are made once (python-packages: half of a
    # lookup's cost).
    from dhlint.models import python_imports

    made = []  # (the repository is new: none of its paths kept)
    real = python_imports._candidates

    def candidates(module, directory, root):
        made.append(module)
        return real(module, directory, root)

    monkeypatch.setattr(python_imports, "_candidates", candidates)
    files = {"config.py": CONFIG, "jobs/a.py": JOB, "jobs/b.py": JOB}
    result = scan(files, jobs=1, paths=["jobs/a.py", "jobs/b.py"])
    assert made.count("config") == 1
    sent = [(f.location.path, f.location.start_line) for f in result.active if f.rule_id == "DH260"]
    assert sorted(sent) == [("jobs/a.py", 11), ("jobs/b.py", 11)]  # config.py's http:// URL
