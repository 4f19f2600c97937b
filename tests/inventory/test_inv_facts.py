"""Inventory facts: JSON-compatible, stable, and what each language's model gives."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dhlint.engine import CheckOptions, run_check
from dhlint.inventory.facts import env_names, extract, parse_store_uri, scripts_of
from dhlint.inventory.join import StoreIndex, runs_script
from tests.conftest import REPO

UNSAFE = "fixtures/inventory/alpr"


def _facts(path: str = UNSAFE, cwd=REPO, jobs: int = 1) -> dict:
    result = run_check(CheckOptions(paths=[path], cwd=str(cwd), collect_facts=True, jobs=jobs))
    assert not result.diagnostics
    return result.workspace.facts


def _canonical(facts: dict) -> str:
    ordered = {k: sorted(v, key=lambda f: json.dumps(f, sort_keys=True)) for k, v in facts.items()}
    return json.dumps(ordered, sort_keys=True)


def test_facts_are_json_compatible_and_stable():
    first = _facts()
    assert json.loads(json.dumps(first)) == first  # plain JSON values only
    assert _canonical(_facts()) == _canonical(first)
    assert _canonical(_facts(jobs=2)) == _canonical(first)


def test_fixture_facts_per_language():
    facts = _facts()
    (tf,) = facts["terraform"]
    assert tf["directory"] == f"{UNSAFE}/terraform"
    assert [(s["address"], s["names"]) for s in tf["stores"]] == [
        ("aws_s3_bucket.raw", ["kc-alpr-raw"]),  # "${local.prefix}-raw" resolved
        ("aws_s3_bucket.reports", ["kc-alpr-reports"]),  # var default resolved
    ]
    reports = tf["stores"][1]
    assert reports["expiry"] == {
        "status": "set",
        "days": 90,
        "loc": [f"{UNSAFE}/terraform/storage.tf", 46, 7, 46, 16],
    }
    assert reports["access_logging"]["loc"][1] == 51
    (k8s,) = facts["kubernetes"]
    (workload,) = k8s["workloads"]
    (container,) = workload["containers"]
    assert container["scripts"] == ["etl/alpr_pipeline.py"]
    assert [(e["name"], e["hosts"], e["loc"][1]) for e in container["env"]] == [
        ("RAW_BUCKET", [], 28),
        ("VENDOR_ENDPOINT", ["ingest.plate-analytics.example"], 30),
        ("PORTAL_ENDPOINT", ["data.kcmo.gov"], 32),
    ]
    (py,) = facts["python"]
    assert [(s["kind"], (s["store"] or {}).get("bucket"), s["loc"][1]) for s in py["sinks"]] == [
        ("storage", "kc-alpr-raw", 24),
        ("storage", "kc-partner-drop", 27),
        ("file", None, 31),
        ("storage", "kc-alpr-reports", 32),  # boto3 upload_file with a constant bucket
        ("network", None, 37),
        ("network", None, 40),
        ("network", None, 43),
    ]
    assert [(r["name"], r["loc"][1], r["default"]) for r in py["env_reads"]] == [
        ("VENDOR_ENDPOINT", 37, None),
        ("PORTAL_ENDPOINT", 40, None),
        ("AUDIT_ENDPOINT", 43, "https://audit.kcmo.gov/events"),
    ]


def test_gcs_and_azure_store_facts(scan):
    result = scan(
        {
            "main.tf": """
resource "google_storage_bucket" "g" {
  name     = "kc-gcs"
  location = "US"
  labels   = { data-classification = "sensitive" }
  logging {
    log_bucket = "kc-logs"
  }
  lifecycle_rule {
    action {
      type = "Delete"
    }
    condition {
      age = 30
    }
  }
}

resource "azurerm_storage_account" "a" {
  name                     = "kcazure"
  resource_group_name      = "rg"
  location                 = "eastus"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
"""
        },
        collect_facts=True,
    )
    stores = {s["address"]: s for s in result.workspace.facts["terraform"][0]["stores"]}
    gcs, azure = stores["google_storage_bucket.g"], stores["azurerm_storage_account.a"]
    assert gcs["scheme"] == "gs" and gcs["names"] == ["kc-gcs"]
    assert gcs["encryption"]["status"] == "provider-default"
    assert gcs["expiry"]["status"] == "set" and gcs["expiry"]["days"] == 30
    assert gcs["access_logging"]["status"] == "set"
    assert gcs["tags"] == {"data-classification": "sensitive"}
    assert azure["scheme"] == "abfs" and azure["names"] == ["kcazure"]
    assert azure["expiry"]["status"] == "missing"
    assert azure["access_logging"]["status"] == "missing"


def test_python_file_without_facts_gives_none():
    from dhlint.models.python import PythonModel

    assert extract("python", PythonModel("a.py", analysed=False)) is None
    assert extract("python", PythonModel("a.py", analysed=True)) is None
    assert extract("dataset", object()) is None


@pytest.mark.parametrize(
    ("words", "scripts"),
    [
        (["python", "etl/alpr.py", "--day", "x"], ["etl/alpr.py"]),
        (["python3", "./jobs/export.py"], ["jobs/export.py"]),
        # -m: a module, or a package's __main__
        (
            ["python", "-m", "etl.alpr_pipeline"],
            ["etl/alpr_pipeline.py", "etl/alpr_pipeline/__main__.py"],
        ),
        (["sh", "-c", "cd /app && python -u /app/etl/run.py --all"], ["/app/etl/run.py"]),
        (["/bin/server", "--port", "8080"], []),
        # the module a server or worker loads, as the command names it
        (["uvicorn", "app.main:app", "--port", "8080"], ["app/main.py"]),
        (
            ["python", "-m", "uvicorn", "app.main:app"],
            ["uvicorn.py", "uvicorn/__main__.py", "app/main.py"],
        ),
        (
            ["gunicorn", "-b", "0.0.0.0:8000", "-k", "uvicorn.workers.UvicornWorker", "p.wsgi:app"],
            ["p/wsgi.py"],
        ),
        (["gunicorn", "--bind", "unix:/run/g.sock", "app:create_app()"], ["app.py"]),
        (["sh", "-c", "alembic upgrade head && hypercorn app.main:app -b :80"], ["app/main.py"]),
        (["celery", "-A", "app.worker", "worker", "-b", "amqp://u:p@mq//"], ["app/worker.py"]),
        (["celery", "--app=proj.celery:app", "beat"], ["proj/celery.py"]),
        (["python", "-m", "app.worker"], ["app/worker.py", "app/worker/__main__.py"]),
        # not a server's application: another program, a bind address, no module:attribute
        (["node", "server.js", "app.main:app"], []),
        (["gunicorn", "--bind", "localhost:8000", "portal.wsgi"], []),
        (["java", "-A", "app.worker"], []),
        # probe27 #3: the words of another command (echo) run nothing; a path, exec, env do
        (["sh", "-c", "echo start with uvicorn app.main:app; sleep infinity"], []),
        (["sh", "-c", "echo celery -A app.worker worker"], []),
        (["sh", "-c", "exec /usr/local/bin/gunicorn portal.wsgi:application"], ["portal/wsgi.py"]),
        (["env", "PORT=80", "uvicorn", "app.main:app"], ["app/main.py"]),
        # probe28 #2: behind a wrapper (an init, a tracer, a runner) a server still runs
        (["tini", "--", "uvicorn", "app.main:app"], ["app/main.py"]),
        (["opentelemetry-instrument", "gunicorn", "p.wsgi:app"], ["p/wsgi.py"]),
        (["sh", "-c", "poetry run celery -A app.worker worker"], ["app/worker.py"]),
        (["sh", "-c", "printf 'run uvicorn app.main:app'"], []),
        (
            ["/venv/bin/python3.12", "-m", "celery", "-A", "app.worker", "worker"],
            ["celery.py", "celery/__main__.py", "app/worker.py"],
        ),
    ],
)
def test_scripts_of(words, scripts):
    assert scripts_of(words) == scripts


def test_runs_script_compares_whole_trailing_components():
    assert runs_script("/app/etl/run.py", "etl/run.py")
    assert runs_script("etl/run.py", "services/etl/run.py")
    assert not runs_script("tax.py", "etl/x.py")
    assert not runs_script("other/run.py", "etl/run.py")


def test_env_names():
    text = 'main:post(os.environ["A"], os.getenv(\'B\'), os.environ.get("C", "d"), environ["E"])'
    assert env_names(text) == ["A", "B", "C", "E"]
    assert env_names("main:post(url)") == []


@pytest.mark.parametrize(
    ("uri", "host", "api", "expected"),
    [
        ("s3://kc-raw/a/b.csv", "kc-raw", "DataFrame.to_csv", ("s3", "kc-raw", None)),
        ("s3a://kc-raw/a", None, "DataFrame.write", ("s3", "kc-raw", None)),
        ("gs://kc-gcs/x", None, "DataFrame.to_csv", ("gs", "kc-gcs", None)),
        ("abfss://raw@kcazure.dfs.core.windows.net/p", None, "x", ("abfs", "raw", "kcazure")),
        (None, "kc-raw", "s3.upload_file", ("s3", "kc-raw", None)),
        (None, "kc-gcs", "gcs.upload_from_filename", ("gs", "kc-gcs", None)),
        ("s3://{...}/x", None, "DataFrame.to_csv", ("s3", None, None)),
    ],
)
def test_parse_store_uri(uri, host, api, expected):
    ref = parse_store_uri(uri, host, api)
    assert (ref["scheme"], ref["bucket"], ref["account"]) == expected


def test_match_stores_by_scheme_name_prefix_and_account():
    s3 = {
        "address": "a",
        "directory": ".",
        "scheme": "s3",
        "names": ["kc-raw"],
        "name_prefix": None,
    }
    pre = {"address": "b", "directory": ".", "scheme": "s3", "names": [], "name_prefix": "kc-tmp-"}
    az = {
        "address": "c",
        "directory": ".",
        "scheme": "abfs",
        "names": ["kcazure"],
        "name_prefix": None,
    }
    stores = [s3, pre, az]
    match_stores = StoreIndex(stores).match
    assert match_stores({"scheme": "s3", "bucket": "kc-raw"}) == [s3]
    assert match_stores({"scheme": "gs", "bucket": "kc-raw"}) == []
    assert match_stores({"scheme": "s3", "bucket": "kc-tmp-123"}) == [pre]
    assert match_stores({"scheme": "abfs", "bucket": "raw", "account": "kcazure"}) == [az]
    assert match_stores(None) == []
    assert match_stores({"bucket": "kc-raw"}) == [s3]  # no scheme: any store of that name


def _match_linear(ref, stores):
    """The definition StoreIndex.match must agree with: every store, one by one."""
    if not ref:
        return []
    scheme, bucket, account = ref.get("scheme"), ref.get("bucket"), ref.get("account")
    found = []
    for store in stores:
        if scheme and store["scheme"] != scheme:
            continue
        name = account if store["scheme"] == "abfs" and account else bucket
        prefix = store.get("name_prefix")
        if name and (name in store["names"] or (prefix and name.startswith(prefix))):
            found.append(store)
    return sorted(found, key=lambda s: (s["directory"], s["address"]))


@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "address": st.sampled_from(["a", "b", "c"]),
                "directory": st.sampled_from([".", "m"]),
                "scheme": st.sampled_from(["s3", "gs", "abfs"]),
                "names": st.lists(st.sampled_from(["raw", "raw-1", "acct", "x"]), max_size=3),
                "name_prefix": st.sampled_from([None, "", "raw", "ac"]),
            }
        ),
        max_size=8,
    ),
    st.one_of(
        st.none(),
        st.fixed_dictionaries(
            {
                "scheme": st.sampled_from([None, "s3", "gs", "abfs"]),
                "bucket": st.sampled_from([None, "raw", "raw-1", "x", "acct"]),
                "account": st.sampled_from([None, "acct", "raw"]),
            }
        ),
    ),
)
@settings(max_examples=300, deadline=None)
def test_store_index_matches_as_a_scan_of_every_store(stores, ref):
    got = StoreIndex(stores).match(ref)
    want = _match_linear(ref, stores)
    assert [id(s) for s in got] == [id(s) for s in want]
