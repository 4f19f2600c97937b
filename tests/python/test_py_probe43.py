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


DYNAMODB_TABLE = """
resource "aws_dynamodb_table" "reg" {
  name     = "em-evac-registry"
  hash_key = "registrant_id"
  attribute {
    name = "registrant_id"
    type = "S"
  }
  tags = { "data-classification" = "sensitive" }
}
"""


def test_an_update_items_values_are_named_as_the_attributes_they_set(scan):
    # probe43 P8 (min/04): update_item(UpdateExpression="SET medications = :m",
    # ExpressionAttributeValues={":m": ...}) named the column written ':m' in DH390 and in the
    # inventory; an #n alias of ExpressionAttributeNames is resolved, the client's typed
    # values too, and a placeholder no SET names (a condition's) keeps its name.
    code = """
import boto3

table = boto3.resource("dynamodb").Table("em-evac-registry")
client = boto3.client("dynamodb")

def update(reg):
    table.update_item(
        Key={"registrant_id": reg["registrant_id"]},
        UpdateExpression="SET disability = :d",
        ExpressionAttributeValues={":d": reg["disability"]},
    )

def aliased(reg):
    table.update_item(
        Key={"registrant_id": reg["registrant_id"]},
        UpdateExpression="SET #m = :m, updated = :now",
        ExpressionAttributeNames={"#m": "medications"},
        ExpressionAttributeValues={":m": reg["meds"], ":now": 3},
    )

def typed(reg):
    client.update_item(
        TableName="em-evac-registry",
        Key={"registrant_id": {"S": reg["registrant_id"]}},
        UpdateExpression="ADD visits :one SET disability = :d",
        ConditionExpression="attribute_exists(registrant_id) AND diagnosis <> :x",
        ExpressionAttributeValues={":d": {"S": reg["disability"]}, ":x": {"S": reg["diagnosis"]}},
    )
"""
    result = scan({"main.tf": DYNAMODB_TABLE, "h.py": code}, select=["DH390"])
    got = {f.location.start_line: f.message.split(" written")[0] for f in result.active}
    assert got == {
        8: "'registrant_id' (direct), 'disability' (special)",
        15: "'registrant_id' (direct), 'medications' (special)",
        23: "'registrant_id' (direct), 'disability' (special), ':x' (special)",
    }


def test_a_step_taken_twice_in_a_row_is_shown_once(scan):
    # probe43 P11 (min/07): a dict built in a comprehension over DynamoDB scan items showed
    # the step "field 'email'" twice in a row in the JSON flow and the SARIF threadFlow.
    code = """
import logging
import boto3

log = logging.getLogger(__name__)
table = boto3.resource("dynamodb").Table("t")

def push():
    items = table.scan()["Items"]
    rows = [{"zone": i["zone"], "email": i["email"]} for i in items]
    log.info("rows %s", rows)
"""
    result = scan({"a.py": code}, select=["DH565"])
    [finding] = result.active
    steps = [(r.location.start_line, r.location.start_col, r.label) for r in finding.flow]
    assert steps == [
        (9, 13, "field 'Items' of a record"),
        (10, 42, "field 'email'"),
        (11, 5, "leaves by logger.info"),
    ]


def test_a_phone_formatted_by_phonenumbers_is_still_the_phone(assert_expected):
    # probe43 P5 (min/10): phonenumbers.format_number(phonenumbers.parse(phone, "US"), E164),
    # the usual normalisation of a sign-up phone, gave a value holding nothing, so logging the
    # E.164 phone was no finding; a helper of another module still hides it (README).
    code = """
import logging

import phonenumbers
from phonenumbers import PhoneNumberFormat, format_number, parse
from handlers.util import normalize_phone

log = logging.getLogger(__name__)

def handler(body):
    e164 = phonenumbers.format_number(
        phonenumbers.parse(body["phone"], "US"), phonenumbers.PhoneNumberFormat.E164
    )
    log.info("e164 %s", e164)  # expect: DH565
    n = parse(body["phone"], "US")
    log.info("x %s", format_number(n, PhoneNumberFormat.E164))  # expect: DH565
    log.info("n %s", normalize_phone(body["phone"]))
    log.info("r %s", phonenumbers.region_code_for_number(n))
"""
    assert_expected(code, select=("DH565",))
