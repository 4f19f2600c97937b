"""Flows the probe 43 (emergency-management mass notification and evacuation-assistance
registry: AWS Lambdas, DynamoDB, SNS, SES, pandas exports) found missed or misread."""

from __future__ import annotations


def test_a_special_category_one_level_down_is_a_field_of_a_record(assert_expected):
    # probe43 P3 (min/03): a special category (disability, medications) read from a field of a
    # record (event["body"]["disability"]) or from the Lambda's parsed body
    # (json.loads(event["body"])) was not a field of a record for DH565, while a direct
    # identifier there was found and event["disability"] was too.
    code = """
import json
import logging

log = logging.getLogger(__name__)

def a(event):
    log.info("a %s", event["disability"])  # expect: DH565

def b(event):
    body = json.loads(event["body"])
    log.info("b %s", body["disability"])  # expect: DH565
    print(f"updated {body['registrant_id']}: {body['medication']}")  # expect: DH565

def c(event):
    body = event["body"]
    log.info("c %s", body["disability"])  # expect: DH565
    log.info("c %s", event["body"]["disability"])  # expect: DH565

def d(event):
    body = json.loads(event["body"])
    registrant = {"email": body["email"], "disability": body.get("disability")}
    log.info("registered %s", registrant)  # expect: DH565

def e(event, disability):
    body = json.loads(event["body"])
    log.info("e %s %s", body["registrant_id"], body["ward"])
    log.info("e %s", disability)
"""
    assert_expected(code, select=("DH565",))
