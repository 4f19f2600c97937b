"""probe54 (a parking and kerbside-management platform): Celery apps configured through
``app.conf`` (``app.conf.update(broker_url="redis://...")``, ``app.conf.broker_url = ...``)
and penalty notices sent through Mandrill's SDK were no endpoint and no send."""

from __future__ import annotations

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
