"""probe53 (a library's booking platform): Celery's broker and result backend URLs. The Django
settings' CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://...") (and
Celery("app", broker="redis://...")) were no endpoint: the workers' tasks, with the patrons'
ids and e-mails in their arguments, went to Redis in clear with no DH260."""

from __future__ import annotations

from tests.conftest import by_rule as _by_rule

SETTINGS = """
import os

INSTALLED_APPS = ["django.contrib.auth", "bookings"]
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://cache.city.example:6379/0")
CELERY_RESULT_BACKEND = "rediss://cache.city.example:6380/1"
BROKER_URL = "amqp://guest@mq.city.example:5672//"
"""

CELERYCONFIG = """
broker_url = "redis://cache.city.example:6379/0"
result_backend = "redis://localhost:6379/1"
"""

APP = """
from celery import Celery

app = Celery("bookings", broker="redis://cache.city.example:6379/0",
             backend="rediss://cache.city.example:6380/1")
"""

# Not a configuration module: a constant of that name is judged where a client uses it.
OTHER = """
BROKER_URL = "mqtt://broker.city.example:1883"
"""


def test_celery_broker_settings_are_endpoints(scan):
    files = {
        "bookings/settings.py": SETTINGS,
        "celeryconfig.py": CELERYCONFIG,
        "bookings/celery.py": APP,
        "tools/constants.py": OTHER,
    }
    found = _by_rule(scan(files, select=["DH260"]))
    lines = sorted((m.split(" uses")[0], line) for line, m in found["DH260"])
    assert lines == [
        ("Celery's BROKER_URL setting", 7),
        ("Celery's CELERY_BROKER_URL setting", 5),
        ("Celery's broker_url setting", 2),
        ("celery.Celery(broker=)", 4),
    ]  # not rediss://, not the worker's own redis://localhost, not another module's constant
