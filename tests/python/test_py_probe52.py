"""Flows the probe 52 (an EMS computer-aided dispatch integration: FHIR and HL7 v2 intake,
confluent_kafka, Cosmos DB, Event Hubs, Twilio, PagerDuty and Opsgenie) found missed or
wrongly reported."""

from __future__ import annotations

HL7_FIELDS = """
import logging

log = logging.getLogger("hl7")


def parse_pid(segment):
    f = segment.split("|")
    family, _, given = f[5].partition("^")
    return {"mrn": f[3], "last_name": family, "first_name": given, "priority": f[9]}


def forward(msg):
    patient = parse_pid(msg)
    log.debug("forwarding PID for %s", patient["last_name"])  # expect: DH565
    log.info("priority %s", patient["priority"])


def built_here(seg):
    record = {"phone": seg, "unit": seg}
    log.info("callback %s", record["phone"])  # expect: DH565
    log.info("unit %s", record["unit"])


SETTINGS = {"address": "0.0.0.0", "timeout": 5}


def bind():
    log.info("listening on %s", SETTINGS["address"])
"""


def test_dict_literal_field_named_like_an_identifier_is_that_identifier(assert_expected):
    # probe52 04: a dict built from parsed text ({"last_name": family}, a helper's return)
    # read back by its key (patient["last_name"]) gave the value's own name (family, a
    # variable nothing is known of), so logging it was not reported, while the same read of a
    # parameter's record was. Now a known key that names an identifier, over such a value, is
    # that identifier's column. A key that names none (priority, unit) and a literal setting
    # (a bind address) stay unreported.
    result = assert_expected(HL7_FIELDS, select=("DH565",))
    messages = " | ".join(f.message for f in result.active)
    assert "'last_name' (direct) written to a log by logger.debug" in messages
    assert "'phone' (direct) written to a log by logger.info" in messages
