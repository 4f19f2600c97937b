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


def test_an_addressee_variable_holding_a_list_is_a_list(assert_expected):
    # A variable holding the addressees is judged as what it holds: one value (a parameter, a
    # row's field, a text built of them) is the message's purpose; a list, a comprehension, a
    # join or a gathered column is a bulk export, as the same written in the payload is.
    code = """
import pandas as pd
import requests
U = "https://api.city-approved-vendor.example/v2/messages"
def alert(cust, text, rows):
    one = cust["phone"]
    requests.post(U, json={"to": one, "body": text}, timeout=10)
    number = f"+1{one}"
    requests.post(U, json={"to": number, "body": text}, timeout=10)
    for row in rows:
        requests.post(U, json={"to": row["phone"], "body": text}, timeout=10)
    to = [cust["phone"]]
    requests.post(U, json={"to": to, "body": text}, timeout=10)  # expect: DH561
    many = [r["email"] for r in rows]
    requests.post(U, json={"to": many, "subject": text})  # expect: DH561
    joined = ",".join(r["phone"] for r in rows)
    requests.post(U, json={"to": joined, "body": text})  # expect: DH561
    again = joined
    requests.post(U, json={"to": again, "body": text})  # expect: DH561
    grown = []
    grown += [cust["phone"]]
    requests.post(U, json={"to": grown, "body": text})  # expect: DH561
def bulk(path, text):
    df = pd.read_csv(path, usecols=["phone", "gallons"])
    phones = df["phone"].tolist()
    requests.post(U, json={"to": phones, "body": text})  # expect: DH561
    recipients = list(df["phone"])
    requests.post(U, json={"recipients": recipients, "message": text})  # expect: DH561
"""
    assert_expected(code)


def test_a_list_of_attributes_at_the_addressee_is_a_list(assert_expected):
    # s29 h7 #2: [cust["phone"]] at a message's addressee is a list (reported, above), but
    # [customer.email] carried no column at all (an untraced value is judged by its name only
    # when it stands alone), so the same list of a parameter's attributes, written there or
    # through a variable, passed. A list, tuple or set of such values now goes by their names,
    # as one does; one value stays the message's purpose.
    code = """
import requests
U = "https://api.city-approved-vendor.example/v2/messages"
def alert(customer, user, manager, text, email):
    requests.post(U, json={"to": customer.email, "subject": text}, timeout=10)
    requests.post(U, json={"to": [customer.email], "subject": text})  # expect: DH561
    requests.post(U, json={"to": [user.email, manager.email], "body": text})  # expect: DH561
    recipients = [customer.email]
    requests.post(U, json={"to": recipients, "subject": text})  # expect: DH561
    requests.post(U, json={"to": (email,), "subject": text})  # expect: DH561
    requests.post(U, json={"emails": [customer.email]})  # expect: DH561
    requests.post(U, json={"ids": [customer.id, user.id], "subject": text})
"""
    result = assert_expected(code)
    assert "'to' (direct, from 'email')" in result.active[1].message


def test_a_selected_column_aggregated_per_group_keeps_the_group_keys(assert_expected):
    # probe36 min/04: groupby(keys)["gallons"].sum() (with as_index=False, or made a frame
    # by reset_index()) keeps the keys, as agg() does: per-account totals carry the account
    # number. A kept value (first()) is its column; a transform gives the rows, not groups.
    code = """
import pandas as pd
def daily(src, day):
    df = pd.read_csv(src, usecols=["meter_id", "account_number", "email", "gallons"])
    out = df.groupby(["account_number"], as_index=False)["gallons"].sum()
    out.to_parquet(f"gs://water-billing/daily/{day}.parquet")  # expect: DH560
    out2 = df.groupby(["account_number"])["gallons"].sum().reset_index()
    out2.to_parquet(f"gs://water-billing/daily2/{day}.parquet")  # expect: DH560
    out3 = df.groupby("account_number", as_index=False).agg(gallons=("gallons", "sum"))
    out3.to_csv("daily3.csv")  # expect: DH560
    by_meter = df.groupby("meter_id")[["gallons"]].mean()
    by_meter.to_csv("by_meter.csv")
    contact = df.groupby("meter_id")["email"].first()
    contact.to_csv("contact.csv")  # expect: DH560
    share = df.groupby("account_number")["gallons"].transform("sum")
    share.to_csv("share.csv")
"""
    assert_expected(code)


def test_plain_variables_in_a_csv_writer_row_are_judged_by_their_names(assert_expected):
    # probe36 min/05: latitude and longitude unpacked from a geocoder's result, written in a
    # csv.writer row list, are judged as the same values in a DictWriter's dict are (also
    # when a local geocoder gives them from its response's "y" and "x").
    code = """
import csv
import requests
GEOCODER = "https://geocoding.kcmo.gov/arcgis/rest/services/findAddressCandidates"
def write(rows, path, geocode, lookup):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["premise_token", "latitude", "longitude"])
        for r in rows:
            latitude, longitude = geocode(r["addr_text"])
            w.writerow([r["premise_token"], latitude, longitude])  # expect: DH563
            w.writerow((r["premise_token"], round(latitude, 3), round(longitude, 3)))
            email, ward = lookup(r["premise_token"])
            w.writerow([email, ward])  # expect: DH560
            total, n = lookup(r["premise_token"])
            w.writerow([total, n])
def locate(text):
    cand = requests.get(GEOCODER, params={"SingleLine": text}).json()  # expect: DH561
    return cand["y"], cand["x"]
def write_located(rows, path):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        for r in rows:
            latitude, longitude = locate(r["service_address"])
            w.writerow([r["premise_token"], latitude, longitude])  # expect: DH563
            y, x = locate(r["service_address"])
            w.writerow([r["premise_token"], y, x])
def write_dict(rows, path, geocode):
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["premise_token", "latitude", "longitude"])
        for r in rows:
            latitude, longitude = geocode(r["addr_text"])
            row = {"premise_token": r["token"], "latitude": latitude, "longitude": longitude}
            w.writerow(row)  # expect: DH563
"""
    assert_expected(code)


def test_a_network_sink_message_names_what_builds_its_destination(scan):
    # probe36 min/08: an SFTP upload's local file name built with $DAY is not where the data
    # goes (the message named it as the URL's); a host that is a variable's default in the
    # code is said to be the default (the deployment may set the variable: DH690 names the
    # host it sets), while a host written in the code stays named as such.
    code = """
import os
import smtplib
import pandas as pd
import paramiko
import requests
BILLING_API_URL = os.environ.get("BILLING_API_URL", "https://billing.kcmo.gov/api")
def push(day, account_number):
    path = f"/tmp/billing_{os.environ.get('DAY', '2025-11-01')}.csv"
    pd.read_csv("reads.csv", usecols=["account_number", "gallons"]).to_csv(path)
    t = paramiko.Transport(("sftp.billing.kcmo.gov", 22))
    paramiko.SFTPClient.from_transport(t).put(path, "/inbound/x.csv")
    requests.get(f"{BILLING_API_URL}/accounts/{account_number}", timeout=5)
    requests.get(f"https://billing.kcmo.gov/{os.environ['API_PATH']}/{account_number}")
    msg = f"{os.environ['CITY']}: {account_number}"
    smtplib.SMTP("mail.kcmo.gov").sendmail("a@kcmo.gov", ["b@kcmo.gov"], msg)
"""
    found = scan({"etl.py": code}, select=["DH561"]).active
    sinks = {f.location.start_line: f.message.split(" to ", 1)[1].split(" by ")[0] for f in found}
    assert sinks == {
        12: "the network (sftp.billing.kcmo.gov)",
        13: "the network (URL from $BILLING_API_URL, default host billing.kcmo.gov)",
        14: "the network (billing.kcmo.gov; URL built with $API_PATH)",
        16: "the network (mail.kcmo.gov)",
    }
