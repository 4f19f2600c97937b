"""Flows the probe 36 (water-utility smart meters on GCP) found missed or misread."""

from __future__ import annotations


def test_the_addressee_of_a_message_sent_by_an_http_api_is_its_purpose(assert_expected):
    # probe36 min/03: an SMS (or e-mail) sent through a vendor's REST API, {"to": phone,
    # "body": text}, is not an export of the phone, as SNS's PhoneNumber= is not; a list of
    # phones gathered from a table, a payload without a message, and an identifier in the
    # text or in another field are still sent.
    code = """
import pandas as pd
import requests
U = "https://api.city-approved-vendor.example/v2/messages"
def alert(cust, text, phone):
    requests.post(U, json={"to": cust["phone"], "body": "Possible leak."}, timeout=10)
    requests.post(U, data={"To": f"+1{cust['phone']}", "Body": text}, timeout=10)
    requests.post(U, json={"phone_number": phone, "message": text}, timeout=10)
    requests.post(U, json={"to": cust["email"].strip().lower(), "subject": text})
    requests.post(U, json={"to": cust["phone"]}, timeout=10)  # expect: DH561
    requests.post(U, json={"to": cust["phone"], "body": f"re {cust['email']}"})  # expect: DH561
    requests.post(U, json={"to": cust["phone"], "body": text, "id": cust["ssn"]})  # expect: DH561
    requests.post(U, json={"phones": [cust["phone"]], "body": text})  # expect: DH561
def bulk(path, text):
    df = pd.read_csv(path, usecols=["phone", "gallons"])
    requests.post(U, json={"to": df["phone"].tolist(), "body": text})  # expect: DH561
    requests.post(U, json={"to": [p for p in df["phone"]], "body": text})  # expect: DH561
    requests.post(U, json={"to": ",".join(df["phone"]), "body": text})  # expect: DH561
    requests.post(U, json={"recipients": list(df["phone"]), "message": text})  # expect: DH561
    requests.post(U, json={"to": "ops@kcwater.example", "body": df.to_dict()})  # expect: DH561
"""
    assert_expected(code)
