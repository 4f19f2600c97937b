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

p = Producer({"bootstrap.servers": "kafka.citylib.gov:9093", "security.protocol": "SSL"})
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
def template(s):
    to = [{"email": s["email"]}]
    httpx.post(URL, json={"personalizations": [{"to": to}], "template_id": "d-lib-monthly"})
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


def test_sqlalchemy_orm_rows_hold_the_models_columns(assert_expected):
    # probe41 #3 (min/12): rows of a SQLAlchemy model (session.execute(select(...)),
    # session.query(Model), session.scalars(...), session.get(Model, id)) were unknown, while
    # Django's manager rows are modelled: now their columns are the model's (a class of the
    # module: only its Column/mapped_column attributes) or, for a class imported, what the
    # code reads, as Django's.
    code = """
import csv
import logging
from sqlalchemy import Column, String, func, select
from sqlalchemy.orm import Mapped, Session, declarative_base, mapped_column
from app.models import Member
log = logging.getLogger(__name__)
Base = declarative_base()
class Patron(Base):
    __tablename__ = "patrons"
    patron_id = Column(String, primary_key=True)
    email = Column(String)
    phone: Mapped[str] = mapped_column(String)
    branch = Column(String)
    @property
    def contact(self):
        return "x"
def export(session: Session, path):
    with open(path, "w") as fh:
        w = csv.writer(fh)
        for row in session.execute(select(Patron.email, Patron.phone)):
            w.writerow([row.email, row.phone])  # expect: DH560
        for p in session.query(Patron).filter(Patron.email != "").all():
            w.writerow([p.email])  # expect: DH560
        for p in session.scalars(select(Patron)):
            w.writerow([p.phone])  # expect: DH560
        for p in session.execute(select(Patron)).scalars().all():
            w.writerow([p.contact, p.branch])
        for m in session.scalars(select(Member)):
            w.writerow([m.email])  # expect: DH560
        w.writerow([session.scalar(select(func.count(Patron.patron_id)))])
def show(session: Session, pid, path):
    p = session.get(Patron, pid)
    csv.writer(open(path, "w")).writerow([p.phone])  # expect: DH560
"""
    result = assert_expected(code)
    flows = {f.location.start_line: f.flow[0].label for f in result.active}
    assert "read by session.query(Patron)" in flows.values()


def test_a_special_category_field_of_a_record_in_a_log(assert_expected):
    # probe41 #7 (min/03), probe40 P8 (min/04): a disability, a health condition or an HIV
    # status of a record (a parameter's field, read by key or attribute) written to a log is
    # health data about the person the record is of (DH565); a variable or an attribute of
    # self so named says nothing of whose it is, and is not reported.
    code = """
import logging
log = logging.getLogger("camps")
def register(row, reg, religion):
    log.warning("accommodation needed: %s", row["disability"])  # expect: DH565
    log.info("specimen %s: hiv_status=%s", row["specimen_id"], reg.hiv_status)  # expect: DH565
    log.info("x %s", religion)
    diagnosis = classify(row)
    log.info("x %s", diagnosis)
class Camp:
    def report(self):
        log.info("x %s", self.health_condition)
"""
    result = assert_expected(code)
    assert "'disability' (special)" in result.active[0].message


def test_vendor_keys_in_their_own_format_and_a_querys_key(assert_expected):
    # probe41 #6 (min/04): PAYPROC_KEY = "sk_live_...", SENDGRID_KEY = "SG.<22>.<43>" were
    # not reported (a <VENDOR>_KEY is not a credential name); a vendor's key in its published
    # format is one whatever it is named (anchored, of its exact length: not in a sentence,
    # not a test key, not AWS's documentation example). probe40 P10 (min/08): the API key
    # given as a query's "key" (params= or the URL) when the literal looks like a token.
    sendgrid = "SG." + "aB3" * 7 + "c." + "dE4" * 14 + "f"
    code = f"""
import requests
PAYPROC_KEY = "sk_live_51LibFineKey9xYzAbCdEf"  # expect: DH760
SENDGRID_KEY = "{sendgrid}"  # expect: DH760
TWILIO = "SK0123456789abcdef0123456789abcdef"  # expect: DH760
SLACK = "xoxb-123456789012-abcdefghijKLMN"  # expect: DH760
STRIPE_TEST = "sk_test_51LibFineKey9xYzAbCdEf"
EXAMPLE = "AKIAIOSFODNN7EXAMPLE"
SHORT = "SG.abcDEF123456.ghiJKL789012mnoPQR"
HELP = "keys look like sk_live_51LibFineKey9xYzAbCdEf in the dashboard"
URL = "https://geo.example/v2"
def geocode(addr):
    requests.get(URL, params={{"q": addr, "key": "mv_live_8f2a9c41d7"}})  # expect: DH760
    requests.get(f"https://geo.example/v2?q={{addr}}&key=mv_live_8f2a9c41d7")  # expect: DH760
    requests.get(URL, params={{"key": "sort_by_12", "q": addr}})
    requests.get(f"https://geo.example/v2?key={{addr}}&q=x")
"""
    result = assert_expected(code, select=("DH760",))
    messages = [f.message for f in result.active]
    assert (
        messages[0] == "Variable 'PAYPROC_KEY' holds a Stripe live secret key written in the code"
    )
    assert "Query parameter 'key' of requests.get()" in messages[-1]
