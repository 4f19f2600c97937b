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
