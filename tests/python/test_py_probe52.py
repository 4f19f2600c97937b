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


FHIR = """
import logging

import httpx
from fhir.resources import construct_fhir_element
from fhir.resources.observation import Observation
from fhir.resources.patient import Patient
from fhirclient.models.patient import Patient as SmartPatient

log = logging.getLogger(__name__)
ANALYTICS = "https://ingest.analytics.example/v1/patients"


def intake(raw):
    patient = Patient.parse_obj(raw)
    log.info("patient %s", patient.name[0].family)  # expect: DH565
    log.info("callback %s", patient.telecom[0].value)  # expect: DH565
    log.info("born %s", patient.birthDate)
    httpx.post(ANALYTICS, json=patient.dict())  # expect: DH561


def v2(raw):
    patient = Patient.model_validate(raw)
    log.info("mrn %s", patient.identifier[0].value)  # expect: DH565
    log.debug("%s", construct_fhir_element("Patient", raw).json())  # expect: DH565


def smart(raw):
    httpx.post(ANALYTICS, json=SmartPatient(raw).as_json())  # expect: DH561


def built():
    patient = Patient(gender="female", active=True)
    log.info("%s", patient.json())
    log.info("%s", Observation.parse_obj({}).json())
"""


def test_fhir_person_resources_hold_the_persons_identifiers(assert_expected):
    # probe52 06: fhir.resources (and SMART's fhirclient) were unknown: a Patient parsed from
    # a message was an opaque object, so logging its name, contact points or identifiers, or
    # posting it whole to a vendor, gave nothing. A Patient (RelatedPerson, Person,
    # Practitioner) parsed, validated or built from a mapping is now a record of its
    # elements, each judged as the policy's name for what it holds (telecom: phone,
    # identifier: medical record number); .dict()/.json()/.model_dump()/.as_json() give it
    # whole. Its birth date alone is no direct identifier for DH565; a Patient built with only
    # its gender and an Observation hold none.
    result = assert_expected(FHIR, select=("DH561", "DH565"))
    messages = " | ".join(f.message for f in result.active)
    assert "'name' (direct, from 'full_name') written to a log" in messages
    assert "'telecom' (direct, from 'phone') written to a log" in messages
    assert "'identifier' (direct, from 'medical_record_number') written to a log" in messages


ROW_NAME = """
import logging

from google.cloud import bigquery

log = logging.getLogger(__name__)


def residents():
    client = bigquery.Client()
    for row in client.query("SELECT name, ward, size FROM city.residents").result():
        log.info("resident %s", row.name)  # expect: DH565
        log.info("ward %s of %s", row.ward, row.size)
"""


def test_a_record_field_named_like_a_table_attribute_is_the_field(assert_expected):
    # probe52 06 (with the FHIR Patient's name): a record's field read as an attribute whose
    # name is also a table's (pandas' Series.name) was taken for that attribute, nothing
    # known: a query row's name column logged as row.name gave nothing. A row's own column
    # comes first now (not a row's methods: count, index).
    assert_expected(ROW_NAME, select=("DH565",))
