"""Python packages whose modules import one another, for the benchmark's corpus.

dhlint reads the constants and helpers a file imports from the project's other modules
(``models/python_imports.py``), a few imports deep and across import cycles; the rest of the
Python corpus is single files whose imports resolve to nothing, so a slow cross-module read
(once 17.6 s on one file of dlt, whose modules import each other in cycles) went unseen. This
set has two kinds of package, both laid out as a project's own code (``PKG/__init__.py``,
sub-packages, absolute and relative imports):

- packages of the running Python's standard library, copied whole under a new top-level name
  (``lib_asyncio``...) with their imports of themselves and of each other renamed the same way,
  as vendoring tools rewrite a vendored package (dhlint never looks a standard-library name up
  in the project, so the copies' own imports would otherwise resolve to nothing);
- generated ETL packages in the layout the import resolution was written for: a ``config``
  module of constants (URLs, buckets, retention, column lists, environment reads with
  defaults), clients that send or write what they are given, a records module, helpers that
  treat columns, and pipelines that import all of them, with import cycles (``schema`` and
  ``transforms``; ``registry`` and the pipelines).

Deterministic for a given ``random.Random`` and Python version.
"""

from __future__ import annotations

import random
import re
import sysconfig
from pathlib import Path

# Standard-library packages whose modules import each other heavily (asyncio, email,
# importlib, multiprocessing, xml), and smaller ones they import (concurrent, logging, urllib,
# http...), which are renamed too so that those imports resolve as well.
STDLIB_PACKAGES = (
    "asyncio",
    "concurrent",
    "email",
    "http",
    "importlib",
    "json",
    "logging",
    "multiprocessing",
    "unittest",
    "urllib",
    "wsgiref",
    "xml",
)
PREFIX = "lib_"


def _renamer(names: tuple[str, ...]) -> re.Pattern:
    # A package name where it names the package: after ``import``/``from`` or before a dot
    # (``email.utils``, ``logging.getLogger``), not as an attribute (``self.json``) or a
    # longer name (``emails``).
    alternatives = "|".join(names)
    return re.compile(rf"(?<![\w.])({alternatives})(?=\.\w|\s+import\b|\s*$|\s*,|\s+as\b)", re.M)


def write_stdlib_packages(root: Path, names: tuple[str, ...] = STDLIB_PACKAGES) -> int:
    """Copy the standard library's packages ``names`` (their tests left out) under ``root``
    as ``lib_NAME``, imports renamed; the number of files written."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    rename = _renamer(names)
    written = 0
    for name in names:
        for src in sorted((stdlib / name).rglob("*.py")):
            relative = src.relative_to(stdlib / name)
            if any(part.startswith("test") for part in relative.parts):
                continue
            text = src.read_text(encoding="utf-8", errors="replace")
            target = root / f"{PREFIX}{name}" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(rename.sub(rf"{PREFIX}\1", text), encoding="utf-8")
            written += 1
    return written


# ---------------------------------------------------------------------------------------------
# generated ETL packages


# (name, table, id column, personal columns, other columns): what each package handles.
DOMAINS = (
    ("permits", "permit_applications", "permit_id", ["applicant_name", "email", "phone"],
     ["ward", "fee", "status"]),
    ("transit", "card_taps", "tap_id", ["card_number", "lat", "lon"],
     ["route", "stop_id", "fare"]),
    ("cases", "service_requests", "case_id", ["reporter_name", "phone", "address"],
     ["category", "ward", "opened_at"]),
    ("parking", "citations", "citation_id", ["plate", "owner_name", "lat", "lon"],
     ["violation", "amount", "issued_at"]),
    ("library", "loans", "loan_id", ["patron_name", "email", "birth_date"],
     ["branch", "item_id", "due_at"]),
    ("utilities", "accounts", "account_id", ["customer_name", "address", "ssn"],
     ["meter_id", "usage_kwh", "tariff"]),
)  # fmt: skip

INIT = '''"""{name}: {table} extracts."""

from .clients.http import HEADERS
from .config import SERVICE_NAME, VERSION

__version__ = VERSION
__all__ = ["SERVICE_NAME", "VERSION"]
USER_AGENT = HEADERS["User-Agent"]
'''

DEFAULTS = '''"""Defaults shared by the {name} package's configuration."""

import os

from .config import SERVICE_NAME, VERSION

SCHEME = "{scheme}"
VENDOR_HOST = "{vendor}"
ENVIRONMENT = os.environ.get("DEPLOY_ENV", "{env}")
RETENTION_DAYS = {retention}
USER_AGENT = SERVICE_NAME + "/" + VERSION + " (" + ENVIRONMENT + ")"
'''

CONFIG = '''"""Settings of the {name} jobs: endpoints, buckets, retention."""

import os

SERVICE_NAME = "{name}-etl"
VERSION = "1.{index}.0"

# After the names defaults.py takes from here (it imports this module back).
from .defaults import ENVIRONMENT, RETENTION_DAYS, SCHEME, VENDOR_HOST  # noqa: E402

API_URL = SCHEME + "://" + VENDOR_HOST + "/v2/{table}"
PORTAL_URL = os.environ.get("PORTAL_URL", "{portal}")
DB_URL = os.environ.get("DATABASE_URL", "postgresql://db.city.gov/{name}")
RAW_BUCKET = "{bucket}-raw-" + ENVIRONMENT
PUBLIC_BUCKET = "{bucket}-public"
EXPORT_DIR = "/data/exports/{name}"
KEEP_DAYS = RETENTION_DAYS * 2
EXPORT_COLUMNS = {export}
PUBLIC_COLUMNS = {public}
SETTINGS = {{"coord_decimals": {decimals}, "batch_size": {batch}, "timeout": 30}}

# The vendor's feeds, one endpoint and one landing prefix each.
BASE_URL = SCHEME + "://" + VENDOR_HOST
{feeds}


class Endpoints:
    GEOCODER = "https://geo.vendor.example/v1"
    AUDIT = "{audit}"
'''

SCHEMA = '''"""Records of the {name} package and the columns each holds."""

from dataclasses import dataclass, field

from {pkg}.config import EXPORT_COLUMNS

ID_COLUMN = "{id}"
PERSONAL_COLUMNS = {personal}
OTHER_COLUMNS = {other}
ALL_COLUMNS = [ID_COLUMN] + PERSONAL_COLUMNS + OTHER_COLUMNS

# After the columns transforms.py takes from here (it imports this module back).
from {pkg}.transforms import PSEUDONYMISED, normalize  # noqa: E402

PLAIN_COLUMNS = [c for c in ALL_COLUMNS if c not in PSEUDONYMISED]


@dataclass
class {record}:
{fields}
    tags: list = field(default_factory=list)


def columns_for_export():
    return [c for c in ALL_COLUMNS if c in EXPORT_COLUMNS]


def clean(row):
    return {{key: normalize(value) for key, value in row.items()}}
'''

TRANSFORMS = '''"""Column helpers: rounding, hashing, reformatting."""

import hashlib
import hmac
import os
import re

from {pkg} import schema
from .config import SETTINGS

KEY = os.environ.get("{upper}_ID_KEY", "").encode()
PSEUDONYMISED = schema.PERSONAL_COLUMNS[:1]


def normalize(value):
    return value.strip() if isinstance(value, str) else value


def coarse(value):
    return round(value, SETTINGS["coord_decimals"])


def coarsen(lat, lon):
    return coarse(lat), coarse(lon)


def token(value):
    return hmac.new(KEY, str(value).encode(), hashlib.sha256).hexdigest()


def weak(value):
    return hashlib.{weak}(str(value).encode()).hexdigest()


def digits(phone):
    return re.sub(r"\\D", "", phone)


def personal(columns):
    return [c for c in columns if c in schema.PERSONAL_COLUMNS]
'''

HTTP = '''"""Sending to the vendor's API."""

import logging

import requests

from {pkg} import config
from {pkg}.config import API_URL, Endpoints
from {pkg}.defaults import USER_AGENT

log = logging.getLogger(__name__)
HEADERS = {{"User-Agent": USER_AGENT, "Accept": "application/json"}}


def post(rows):
    response = requests.post(
        API_URL, json=rows, headers=HEADERS, timeout=config.SETTINGS["timeout"]
    )
    response.raise_for_status()
    return response


def audit(event, who):
    requests.post(Endpoints.AUDIT, json={{"event": event, "who": who}}, timeout=10)
    log.info("audited %s", event)


def portal(payload):
    requests.post(config.PORTAL_URL, json=payload, timeout=30)
'''

STORAGE = '''"""Writing extracts to the buckets."""

import io

import boto3

from ..config import PUBLIC_BUCKET, RAW_BUCKET

s3 = boto3.client("s3")


def put_csv(df, key, bucket=RAW_BUCKET):
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    s3.put_object(Bucket=bucket, Key=key, Body=buf.getvalue())


def publish(df, key):
    df.to_csv(f"s3://{{PUBLIC_BUCKET}}/{{key}}", index=False)
'''

DB = '''"""Reading from the {name} database."""

import pandas as pd

from {pkg}.config import DB_URL
from {pkg}.schema import ALL_COLUMNS


def load(day):
    query = "SELECT {select} FROM {table} WHERE updated_at >= %(day)s"
    return pd.read_sql(query, DB_URL, params={{"day": day}})


def load_columns(columns):
    wanted = [c for c in columns if c in ALL_COLUMNS]
    return pd.read_sql("SELECT * FROM {table}", DB_URL)[wanted]
'''

REGISTRY = '''"""The jobs of the package by name (the scheduler's entry point)."""

from {pkg}.pipelines import {imports}

JOBS = {{
{entries}
}}


def run(name, day):
    return JOBS[name](day)
'''

COMMON = '''"""What the pipelines share."""

import logging

from {pkg}.clients.http import audit
from {pkg}.config import KEEP_DAYS, SERVICE_NAME
from {pkg}.registry import JOBS

log = logging.getLogger(SERVICE_NAME)


def start(name, day):
    log.info("starting %s for %s (keeping %d days; %d jobs)", name, day, KEEP_DAYS, len(JOBS))
    audit("start", name)


def finish(name, rows):
    log.info("%s done: %d rows", name, rows)
'''

FEEDS = 60  # feeds of a package's config; a fan-out pipeline sends to a third of them

# Pipeline bodies: each imports its package's modules its own way (absolute, relative, the
# module or its names) and reaches constants and helpers through them.
PIPELINES = (
    '''"""Fan-out of {table} to the vendor's feeds."""

import requests

from {pkg}.clients.db import load
from {pkg}.clients.storage import put_csv
from {pkg}.config import (
{feed_imports}
)


def run(day):
    frame = load(day)
{feed_sends}
''',
    '''"""Daily extract of {table} for the data team."""

import pandas as pd

from {pkg}.clients.db import load
from {pkg}.clients.storage import put_csv
from {pkg}.config import EXPORT_COLUMNS, EXPORT_DIR
from .common import finish, start


def run(day):
    start("{job}", day)
    frame = load(day)
    frame[EXPORT_COLUMNS].to_csv(f"{{EXPORT_DIR}}/{job}_{{day}}.csv", index=False)
    put_csv(frame, f"{job}/{{day}}.csv")
    finish("{job}", len(frame))
    return pd.DataFrame({{"rows": [len(frame)]}})
''',
    '''"""Vendor batch of {table}: identifiers hashed, coordinates coarsened."""

import requests

from {pkg} import config
from {pkg}.clients import http
from {pkg}.transforms import coarse, token, weak
from ..config import SETTINGS
from .common import finish, start


def run(day):
    start("{job}", day)
    rows = []
    for record in requests.get(config.PORTAL_URL, timeout=30).json():
        rows.append({{
            "{id}": record["{id}"],
            "ref": token(record["{pii0}"]),
            "legacy": weak(record["{pii1}"]),
            "value": coarse(record["{other0}"]),
        }})
        if len(rows) >= SETTINGS["batch_size"]:
            http.post(rows)
            rows = []
    http.post(rows)
    finish("{job}", len(rows))
''',
    '''"""Open-data publication of {table}."""

import logging

import requests

import {pkg}.config as cfg
from {pkg} import transforms
from {pkg}.clients.storage import publish
from {pkg}.schema import columns_for_export
from .common import start

log = logging.getLogger(__name__)


def run(day):
    start("{job}", day)
    frame = cfg_frame(day)
    public = frame[cfg.PUBLIC_COLUMNS]
    publish(public, f"{job}/{{day}}.csv")
    requests.post(cfg.API_URL, json=frame[["{pii0}", "{other0}"]].to_dict("records"))
    log.info("published %s for %s", transforms.personal(columns_for_export()), day)


def cfg_frame(day):
    import pandas as pd

    return pd.read_sql("SELECT * FROM {table}", cfg.DB_URL)
''',
    '''"""Reconciliation of {table} against the vendor's copy."""

import requests

from {pkg}.clients.http import audit, portal
from {pkg}.config import API_URL, Endpoints, KEEP_DAYS
from {pkg}.schema import {record}, clean
from {pkg}.transforms import coarsen, digits


def run(day):
    theirs = requests.get(API_URL, params={{"day": day}}, timeout=30).json()
    mismatched = []
    for row in theirs:
        record = {record}(**clean(row))
        mismatched.append(record)
        audit("mismatch", row["{pii0}"])
    lat, lon = coarsen(theirs[0]["{other0}"], theirs[0]["{other1}"])
    requests.get(Endpoints.GEOCODER, params={{"lat": lat, "lon": lon}})
    portal({{"day": day, "keep": KEEP_DAYS, "contact": digits(theirs[0]["{pii1}"])}})
    return mismatched
''',
)


def _listing(items: list[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def _values(pkg: str, index: int, rng: random.Random) -> dict:
    """What the templates are filled with for package ``pkg``: its domain's names and columns,
    and choices that make some packages compliant where others are not."""
    name, table, id_, personal, other = DOMAINS[index % len(DOMAINS)]
    columns = [id_, *personal, *other]
    values = {
        "pkg": pkg,
        "name": name,
        "upper": name.upper(),
        "table": table,
        "index": index,
        "id": id_,
        "record": name.title().rstrip("s") + "Record",
        "columns": columns,
        "scheme": rng.choice(("http", "https")),
        "vendor": rng.choice(("ingest.vendor.example", "api.partner.example", "collector.example")),
        "env": rng.choice(("prod", "staging")),
        "retention": rng.choice((30, 90, 365)),
        "portal": rng.choice(("https://data.city.gov/api", "http://opendata.city.gov/api")),
        "bucket": f"city-{name}",
        "audit": rng.choice(("https://audit.city.gov/events", "http://audit.city.gov/events")),
        "export": _listing(rng.sample(columns, k=4)),
        "public": _listing([id_, *other]),
        "decimals": rng.choice((2, 3, 5)),
        "batch": rng.choice((100, 500)),
        "weak": rng.choice(("md5", "sha1", "sha256")),
        "personal": _listing(personal),
        "other": _listing(other),
        "select": ", ".join(columns),
        "fields": "\n".join(f"    {c}: str = ''" for c in columns),
        "pii0": personal[0],
        "pii1": personal[1],
        "other0": other[0],
        "other1": other[1],
    }
    values["feeds"] = "\n".join(
        f'FEED_{k:02}_URL = BASE_URL + "/feeds/{name}_{k:02}"\n'
        f'FEED_{k:02}_PREFIX = "{name}/feed_{k:02}/" + ENVIRONMENT'
        for k in range(FEEDS)
    )
    return values


def _pipeline(job: str, values: dict, rng: random.Random) -> str:
    """A pipeline of one of the kinds (``PIPELINES``); a fan-out one sends to a third of the
    feeds (the others' templates ignore them)."""
    template = PIPELINES[rng.randrange(len(PIPELINES))]
    feeds = sorted(rng.sample(range(FEEDS), k=FEEDS // 3))
    sends = []
    for k in feeds:
        sent = f'["{values["id"]}", "{rng.choice(values["columns"])}"]'
        sends.append(
            f'    requests.post(FEED_{k:02}_URL, json=frame[{sent}].to_dict("records"), '
            f'timeout=30)\n    put_csv(frame, FEED_{k:02}_PREFIX + "/" + day + ".csv")'
        )
    imports = "\n".join(f"    FEED_{k:02}_URL,\n    FEED_{k:02}_PREFIX," for k in feeds)
    return template.format(**values, job=job, feed_imports=imports, feed_sends="\n".join(sends))


def write_etl_package(directory: Path, index: int, rng: random.Random, jobs: int = 16) -> int:
    """One generated package under ``directory`` (its name is the directory's); the number of
    files written."""
    values = _values(directory.name, index, rng)
    files = {
        "__init__.py": INIT,
        "defaults.py": DEFAULTS,
        "config.py": CONFIG,
        "schema.py": SCHEMA,
        "transforms.py": TRANSFORMS,
        "clients/__init__.py": "",
        "clients/http.py": HTTP,
        "clients/storage.py": STORAGE,
        "clients/db.py": DB,
        "pipelines/__init__.py": "",
        "pipelines/common.py": COMMON,
    }
    texts = {path: template.format(**values) for path, template in files.items()}
    names = [f"job_{i:02}" for i in range(jobs)]
    texts["registry.py"] = REGISTRY.format(
        pkg=directory.name,
        imports=", ".join(names),
        entries="\n".join(f'    "{job}": {job}.run,' for job in names),
    )
    for job in names:
        texts[f"pipelines/{job}.py"] = _pipeline(job, values, rng)
    for path, text in texts.items():
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return len(texts)
