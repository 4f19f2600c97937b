"""probe54 (a parking and kerbside-management platform): Celery apps configured through
``app.conf`` (``app.conf.update(broker_url="redis://...")``, ``app.conf.broker_url = ...``)
and penalty notices sent through Mandrill's SDK were no endpoint and no send."""

from __future__ import annotations

from dhlint.analysis import BuildEnv
from dhlint.models.python import build_models
from dhlint.policy import default_policy
from dhlint.types import SourceFile
from tests.conftest import by_rule as _by_rule

CELERY_CONF = """
from celery import Celery

app = Celery("alpr")
app.conf.update(broker_url="redis://cache.city.example:6379/0", task_serializer="json")
app.conf.update({"result_backend": "redis://cache.city.example:6379/1"})
app.conf.broker_url = "redis://cache.city.example:6379/2"
app.conf.setdefault("result_backend", "redis://cache.city.example:6379/3")
secure = Celery("beat")
secure.conf.update(broker_url="rediss://cache.city.example:6380/0")
secure.conf.update(result_backend="redis://localhost:6379/1", timezone="UTC")
secure.conf.timezone = "UTC"


class Settings:
    broker_url = "redis://cache.city.example:6379/9"


Settings().broker_url = "redis://cache.city.example:6379/8"
"""


def test_celery_conf_broker_urls_are_endpoints(scan):
    found = _by_rule(scan({"alpr/worker.py": CELERY_CONF}, select=["DH260"]))
    lines = sorted((line, m.split(" uses")[0]) for line, m in found["DH260"])
    # Not rediss://, not the worker's own redis://localhost, not another object's attribute.
    assert lines == [
        (5, "celery app.conf.update(broker_url=)"),
        (6, "celery app.conf.update(result_backend=)"),
        (7, "celery app.conf.broker_url"),
        (8, "celery app.conf.setdefault(result_backend=)"),
    ]


MANDRILL = """
import os

import mandrill

client = mandrill.Mandrill(os.environ["MANDRILL_KEY"])


def notify(session):
    message = {
        "subject": "Parking penalty notice",
        "from_email": "noreply@city.example",
        "to": [{"email": session["email"], "name": session["full_name"], "type": "to"}],
        "text": f"Vehicle {session['license_plate']} overstayed.",
    }
    client.messages.send(message=message)
    client.messages.send({"to": [{"email": session["email"]}], "text": "Your receipt."})
    client.messages.send_template(
        "penalty", [{"name": "plate", "content": session["license_plate"]}], message
    )
    client.messages.list_scheduled(to=session["email"])
"""


def test_mandrill_messages_go_to_mandrill_not_their_addressee(scan):
    found = _by_rule(scan({"notify/mail.py": MANDRILL}))
    # The plate in the text (and in a template's content) is sent to Mandrill; the address and
    # the name it is for are the mail's purpose, as SendGrid's to_emails are. A read sends
    # nothing.
    sent = [(line, "'license_plate'" in m, "'email'" in m or "'full_name'" in m)
            for line, m in found["DH561"]]  # fmt: skip
    assert sent == [(16, True, False), (18, True, False)]
    assert "(mandrillapp.com) by mandrill messages.send" in found["DH561"][0][1]
    assert [line for line, _ in found["DH660"]] == [16, 17, 18]
    approved = _by_rule(
        scan({"notify/mail.py": MANDRILL}, policy={"approved_vendors": ["mandrillapp.com"]})
    )
    assert "DH660" not in approved
    assert [line for line, _ in approved["DH561"]] == [16, 18]


# Django's settings object: ``from django.conf import settings`` reads the project's settings
# module, the one manage.py names (or, without a manage.py, the nearest settings.py).
MANAGE = """
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kerbside.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""

PRODUCTION = """
import os

from .base import *  # noqa: F403

PERMITS_URL = "http://permits.vendor.example/api"
ENFORCEMENT_URL = os.environ.get("ENFORCEMENT_URL", "https://enforcement.kcmo.gov/api")
VERIFY_TLS = False
"""

# An app's own defaults, not the project's settings: manage.py names the ones Django reads.
APP_SETTINGS = 'PERMITS_URL = "http://permits.other-vendor.example/api"\n'

VIEWS = """
import requests
from django.conf import settings


def check(read):
    requests.post(settings.PERMITS_URL + "/check", json={"plate": read["plate"]})
    requests.post(f"{settings.ENFORCEMENT_URL}/violations", json={"zone": read["zone"]})
    requests.get(settings.ENFORCEMENT_URL, verify=settings.VERIFY_TLS)
    requests.get(settings.NOT_SET)
"""


def test_django_settings_are_the_settings_module_manage_py_names(scan):
    files = {
        "manage.py": MANAGE,
        "kerbside/__init__.py": "",
        "kerbside/settings/__init__.py": "",
        "kerbside/settings/base.py": "DEBUG = False\n",
        "kerbside/settings/production.py": PRODUCTION,
        "permits/settings.py": APP_SETTINGS,
        "permits/views.py": VIEWS,
    }
    found = _by_rule(scan(files))
    assert [line for line, _ in found["DH260"]] == [7]
    assert [line for line, _ in found["DH660"]] == [7]
    assert "'permits.vendor.example'" in found["DH660"][0][1]  # not the app's own default
    assert [line for line, _ in found["DH261"]] == [9]
    assert [line for line, _ in found["DH561"]] == [7]


def test_without_manage_py_django_settings_are_the_nearest_settings_module(scan):
    files = {"kerbside/settings.py": PRODUCTION, "kerbside/alpr/views.py": VIEWS}
    found = _by_rule(scan(files))
    assert [line for line, _ in found["DH260"]] == [7]
    assert [line for line, _ in found["DH261"]] == [9]
    # Not a Django project's file: a module named settings is no settings object's.
    plain = VIEWS.replace("from django.conf import settings", "from library import settings")
    found = _by_rule(scan({"kerbside/settings.py": PRODUCTION, "kerbside/alpr/views.py": plain}))
    assert "DH260" not in found and "DH261" not in found


def test_the_pre_filter_reads_the_django_settings_module(make_repo):
    # Nothing in ping.py but a call: the URL is the settings module's, which the pre-filter
    # reads with the file as the analysis does.
    ping = "import requests\nfrom django.conf import settings\n\n\ndef ping():\n"
    ping += "    requests.get(settings.PERMITS_URL)\n"
    files = {"manage.py": MANAGE, "kerbside/settings/production.py": PRODUCTION}
    root = make_repo({**files, "app/ping.py": ping})
    source = SourceFile("app/ping.py", str(root / "app/ping.py"), "python", ping)
    for full in (False, True):
        env = BuildEnv(
            policy=default_policy(), root=str(root), options={"python_full_analysis": full}
        )
        built = build_models([source], env)
        assert [e.host for e in built.models[0].endpoints] == ["permits.vendor.example"]
        assert str(root / "manage.py") in built.extra_inputs
        assert str(root / "kerbside/settings/production.py") in built.extra_inputs


PYARROW = """
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq


def to_lake(day):
    df = pd.read_sql("SELECT session_id, email, license_plate, zone FROM sessions", "db")
    pq.write_table(pa.Table.from_pandas(df[["session_id", "email"]]), f"s3://lake/{day}.parquet")
    pq.write_to_dataset(pa.table(df), root_path="s3://lake/sessions", partition_cols=["zone"])
    pcsv.write_csv(pa.Table.from_pydict({"plate": df["license_plate"]}), "plates.csv")
    pq.write_table(pa.Table.from_pandas(df[["session_id", "zone"]]), "zones.parquet")
    pq.write_table(pa.Table.from_pandas(df.drop(columns=["email", "license_plate"])), "ok.parquet")
"""


def test_pyarrow_tables_written_carry_their_columns(scan):
    found = _by_rule(scan({"jobs/lake.py": PYARROW}, select=["DH560"]))
    assert [line for line, _ in found["DH560"]] == [10, 11, 12]  # not zones, not the drop
    assert "to object storage (lake) by pyarrow.parquet.write_table" in found["DH560"][0][1]
    assert "by pyarrow.parquet.write_to_dataset" in found["DH560"][1][1]
    assert "'plate'" in found["DH560"][2][1] and "pyarrow.csv.write_csv" in found["DH560"][2][1]


SMTP_HANDLER = """
import logging
import logging.handlers
import os
from logging.handlers import SMTPHandler

VENDOR = ("smtp.vendor.example", 25)
CREDS = (os.environ["SMTP_USER"], os.environ["SMTP_PASSWORD"])


def install(logger):
    logger.addHandler(logging.handlers.SMTPHandler(VENDOR, "e@kcmo.gov", ["o@vendor.example"], "x"))
    logger.addHandler(SMTPHandler(("mail.kcmo.gov", 587), "e@kcmo.gov", ["o"], "x", CREDS, ()))
    logger.addHandler(SMTPHandler("mail.kcmo.gov", "e@kcmo.gov", ["o@kcmo.gov"], "x", CREDS))
    logger.addHandler(SMTPHandler(mailhost="mail.kcmo.gov", fromaddr="e@kcmo.gov", toaddrs=[],
                                  subject="x", credentials=CREDS, secure=None))
    logger.addHandler(SMTPHandler("localhost", "e@kcmo.gov", ["o@kcmo.gov"], "x"))
"""


def test_logging_smtp_handler_mails_in_clear_without_starttls(scan):
    found = _by_rule(scan({"ops/errors.py": SMTP_HANDLER}))
    # STARTTLS only with both credentials and secure; localhost is this machine.
    assert [line for line, _ in found["DH260"]] == [12, 14, 15]
    assert "SMTP to smtp.vendor.example without STARTTLS" in found["DH260"][0][1]
    assert [line for line, _ in found["DH660"]] == [12]  # the city's own relay is approved


MODELS = """
from dataclasses import dataclass

from pydantic import BaseModel


class PlateRead(BaseModel):
    camera_id: str
    license_plate: str


@dataclass
class Camera:
    camera_id: str
    email: str

    def label(self):
        return self.camera_id


class Client:
    def __init__(self, email):
        self.contact = "ops"
"""

TASKS = """
import logging

from alpr.models import Camera, Client, PlateRead

log = logging.getLogger(__name__)


def check(raw: dict, payload):
    read = PlateRead(**raw)
    log.warning("no permit for plate %s", read.license_plate)
    log.info("read from camera %s", read.camera_id)
    again = PlateRead.model_validate(payload)
    log.warning("plate %s", again.license_plate)
    log.info("owner %s", Camera(**raw).email)
    log.info("client %s", Client(raw["email"]).email)
"""


def test_a_record_class_of_another_module_holds_what_it_is_built_from(scan):
    files = {"alpr/__init__.py": "", "alpr/models.py": MODELS, "alpr/tasks.py": TASKS}
    found = _by_rule(scan(files, select=["DH565"]))
    # Its fields are judged by their names, as a parameter's; a class with an __init__ is
    # not a record (what it holds is what its __init__ keeps).
    assert [line for line, _ in found["DH565"]] == [11, 14, 15]


COMMON = """
import pandas as pd


def load_sessions(day, engine):
    return pd.read_sql(
        "SELECT session_id, license_plate, zone, latitude, longitude FROM sessions WHERE d = %s",
        engine,
        params=(day,),
    )


def load_contacts():
    return pd.read_csv("contacts.csv", usecols=["contact_id", "email"])


def load_any(path):
    return pd.read_csv(path)


def without_plates(df):
    return df.drop(columns=["license_plate"])


def zone_counts(day):
    return {"zone": day}
"""

EXPORT = """
import sys

from jobs.common import load_any, load_contacts, load_sessions, without_plates, zone_counts


def main(day, engine):
    sessions = load_sessions(day, engine)
    sessions.to_csv(sys.argv[1], index=False)
    without_plates(sessions).to_csv("clean.csv", index=False)
    sessions[["zone", "session_id"]].to_csv("zones.csv", index=False)
    load_contacts().to_parquet("contacts.parquet")
    frame = load_any(sys.argv[2])
    frame[["email", "zone"]].to_csv("picked.csv")
    frame[["zone"]].to_csv("zone_only.csv")
    print(zone_counts(day))
"""


def test_a_table_another_module_returns_holds_its_columns(scan):
    files = {"jobs/__init__.py": "", "jobs/common.py": COMMON, "jobs/export.py": EXPORT}
    found = _by_rule(scan(files, select=["DH560", "DH563"]))
    # The query's rows (plates, precise positions), a reader's usecols (not the columns
    # picked from them: the zone and the session). What comes of the arguments is the
    # helper's treatment (a drop: not judged here, as before); a dict is not a table. Line
    # 14 (a column picked by name from a table read from a path) was judged before.
    assert [line for line, _ in found["DH560"]] == [9, 12, 14]
    assert "'license_plate'" in found["DH560"][0][1]
    assert "'email'" in found["DH560"][1][1] and "'email'" in found["DH560"][2][1]
    assert [line for line, _ in found["DH563"]] == [9]
