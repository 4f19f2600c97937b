"""Slack's and SendGrid's SDKs: what a message carries goes to the vendor's API host (DH561),
which the policy approves or not (DH660), as a request to it would."""

from __future__ import annotations

from tests.conftest import by_rule as _by_rule

SLACK = """
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient


def alert(ev):
    WebClient(token="x").chat_postMessage(channel="#ops", text=f"device {ev.mac_address} seen")
    WebClient(token="x").chat_postMessage(channel="#ops", text=f"zone {ev.zone} busy")
    hook = WebhookClient("https://hooks.slack.com/services/T0/B0/x")
    hook.send(text=f"plate {ev.plate} seen")
"""

SENDGRID = """
from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import Mail


def notify(applicant):
    msg = Mail(
        from_email="noreply@city.example",
        to_emails=applicant.email,
        subject="Your application",
        html_content=f"Dear {applicant.full_name}, we received your application.",
    )
    SendGridAPIClient("key").send(msg)
    plain = Mail("noreply@city.example", applicant.email, "Reminder", "See the portal.")
    SendGridAPIClient("key").send(plain)
"""


def test_slack_messages_go_to_slack(scan):
    found = _by_rule(scan({"ops/alert.py": SLACK}))
    assert [line for line, _ in found["DH561"]] == [7, 10]  # not the zone message
    assert "sent to the network (slack.com)" in found["DH561"][0][1]
    assert "(hooks.slack.com)" in found["DH561"][1][1]
    assert [line for line, _ in found["DH660"]] == [7, 8, 10]


def test_sendgrid_mail_content_goes_to_sendgrid_not_its_addressee(scan):
    found = _by_rule(scan({"ops/notify.py": SENDGRID}))
    # The resident's own address is whom the mail is for (the send's purpose), not data sent
    # to SendGrid; the name in the body is.
    assert [(line, "'full_name'" in m, "'email'" in m) for line, m in found["DH561"]] == [
        (13, True, False)
    ]
    assert [line for line, _ in found["DH660"]] == [13, 15]


def test_an_approved_vendor_host_is_no_finding(scan):
    policy = {"approved_vendors": ["slack.com", "*.slack.com"]}
    found = _by_rule(scan({"ops/alert.py": SLACK}, policy=policy))
    assert [line for line, _ in found.get("DH660", [])] == []
    assert [line for line, _ in found["DH561"]] == [7, 10]  # raw identifiers still


SALESFORCE = """
import os
from simple_salesforce import Salesforce

sf = Salesforce(username=os.environ["SF_USER"], password=os.environ["SF_PASSWORD"],
                security_token=os.environ["SF_TOKEN"], domain="test")


def sync(msg, rows):
    sf.Contact.create({"LastName": msg["name"], "Phone": msg["phone"]})
    sf.Case.create({"Origin": "App", "Subject": msg["category"]})
    sf.Contact.update("003xx", {"Email": msg["email"]})
    sf.bulk.Contact.insert([{"Email": r["email"]} for r in rows])
    sf.query("SELECT Id, Email FROM Contact")
"""


def test_salesforce_records_go_to_the_org_host(scan):
    found = _by_rule(scan({"crm/sync.py": SALESFORCE}))
    # A case with no identifier in it is still data sent to Salesforce's host (DH660), not DH561;
    # a query sends no record.
    assert [line for line, _ in found["DH561"]] == [10, 12, 13]
    assert "'Phone'" in found["DH561"][0][1] and "(test.salesforce.com)" in found["DH561"][0][1]
    assert [line for line, _ in found["DH660"]] == [10, 11, 12, 13]
    approved = _by_rule(
        scan({"crm/sync.py": SALESFORCE}, policy={"approved_vendors": ["*.salesforce.com"]})
    )
    assert "DH660" not in approved
    assert [line for line, _ in approved["DH561"]] == [10, 12, 13]  # raw identifiers still


def test_salesforce_instance_url_names_the_host(scan):
    code = SALESFORCE.replace('domain="test"', 'instance_url="https://kcmo.my.salesforce.com"')
    found = _by_rule(scan({"crm/sync.py": code}))
    assert "(kcmo.my.salesforce.com)" in found["DH561"][0][1]
