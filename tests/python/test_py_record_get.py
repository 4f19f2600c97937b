"""A field of a record read with ``get`` is a record itself, as one read by subscript is
(probe 51: an MDS push endpoint logged each rejected event whole, ``body.get("events", [])``)."""

from __future__ import annotations

PUSH = """
import json
import logging

logger = logging.getLogger()


def handler(event, context):
    body = json.loads(event.get("body") or "{}")
    for ev in body.get("events", []):
        if "timestamp" not in ev:
            logger.info("rejected event: %s", json.dumps(ev))  # expect: DH565
            return {"statusCode": 400}
        key = ev["device_id"]
    return {"statusCode": 201, "key": len(key)}


def counted(event, context):
    body = json.loads(event["body"])
    for ev in body.get("events", []):
        logger.info("event of type %s", ev.get("event_type"))
        key = ev["vehicle_id"]
    return key


def nested(event, context):
    body = json.loads(event["body"])
    for ev in body["events"]:
        logger.info("event of type %s", ev.get("event_type"))
        logger.info("device %s", ev.get("device_id"))  # expect: DH565


def by_subscript(event, context):
    body = json.loads(event["body"])
    for ev in body["events"]:
        logger.info("rejected event: %s", ev)  # expect: DH565
        key = ev["device_id"]
    return key
"""


def test_a_field_read_with_get_is_a_record_whose_fields_the_code_reads(assert_expected):
    # On main, body.get("events", []) was a column "events" and the event logged whole held
    # nothing known: its device_id, read later, was not seen; ev.get("device_id") of an event
    # read by subscript was the whole event, whose fields were not known either.
    assert_expected(PUSH, select=("DH565",))
