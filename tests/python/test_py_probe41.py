"""Flows the probe 41 (public library / parks patron platform, Azure + FastAPI/SQLAlchemy)
found missed or misread."""

from __future__ import annotations


def test_a_records_attribute_is_judged_by_name_as_its_subscript_is(assert_expected):
    # probe41 #2 (min/02): a parameter's attribute (loan.library_card_number, patron.email)
    # passed directly as a Kafka value, an httpx json= body or a structlog keyword was not
    # judged, while loan["library_card_number"] was (and a positional log argument was).
    code = """
import httpx
import structlog
from confluent_kafka import Producer

p = Producer({"bootstrap.servers": "kafka.citylib.gov:9093"})
log = structlog.get_logger()

def a(loan):
    p.produce("loan-events", loan.card_number)  # expect: DH561
    p.produce("loan-events", value=loan.card_number)  # expect: DH561
    httpx.post("https://api.citylib.gov/x", json=loan.card_number)  # expect: DH561
    v = loan.card_number
    log.info("x", card=v)  # expect: DH565
    log.info("x", email=loan.email, card=loan.card_number)  # expect: DH565
    log.info("x", due=loan.due_date, branch=loan.branch, n=loan.renewals)
    log.info("x", timeout=loan.settings.timeout, title=loan.title.upper())
"""
    assert_expected(code, policy={"approved_vendors": ["*.citylib.gov"]})


def test_sendgrids_v3_addressee_is_the_messages_purpose(assert_expected):
    # probe41 #11 (min/10): SendGrid's v3 mail/send body, one personalization of one
    # addressee, is one message to one person, as the flat {"to": ..., "text": ...} is; the
    # same body with more addressees, a comprehension, template data or no text is judged.
    code = """
import httpx
URL = "https://api.sendgrid.com/v3/mail/send"
HTML = [{"type": "text/html", "value": "<p>Events</p>"}]
def send(subscribers):
    for s in subscribers:
        to = [{"email": s["email"]}]
        httpx.post(URL, json={"personalizations": [{"to": to}], "content": HTML, "subject": "x"})
def named(p):
    to = [{"email": p.email, "name": p.full_name}]
    body = {"personalizations": [{"to": to}], "content": HTML}
    httpx.post(URL, json=body)
def card_in_text(s):
    httpx.post(URL, json={  # expect: DH561
        "personalizations": [{"to": [{"email": s["email"]}]}],
        "subject": f"card {s['card_number']}",
    })
def two(a, b):
    to = [{"email": a["email"]}, {"email": b["email"]}]
    httpx.post(URL, json={"personalizations": [{"to": to}], "subject": "x"})  # expect: DH561
def many(rows):
    each = [{"to": [{"email": r["email"]}]} for r in rows]
    httpx.post(URL, json={"personalizations": each, "subject": "x"})  # expect: DH561
def gathered(rows):
    to = [{"email": r["email"]} for r in rows]
    httpx.post(URL, json={"personalizations": [{"to": to}], "subject": "x"})  # expect: DH561
def data(s):
    one = {"to": [{"email": s["email"]}], "dynamic_template_data": {"phone": s["phone"]}}
    httpx.post(URL, json={"personalizations": [one], "subject": "x"})  # expect: DH561
def no_text(s):
    httpx.post(URL, json={"personalizations": [{"to": [{"email": s["email"]}]}]})  # expect: DH561
"""
    result = assert_expected(code, policy={"approved_vendors": ["api.sendgrid.com"]})
    lines = code.splitlines()
    at = {f.location.start_line: f.message for f in result.active}
    text = at[next(n for n, line in enumerate(lines) if "def card_in_text" in line) + 2]
    assert "'email'" not in text and "card_number" in text
    data = at[next(n for n, line in enumerate(lines) if "def data" in line) + 3]
    assert "'email'" in data and "'phone'" in data
