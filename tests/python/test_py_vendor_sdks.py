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


MAILCHIMP = """
import hashlib
import os

import mailchimp_marketing as MailchimpMarketing
from mailchimp3 import MailChimp

client = MailchimpMarketing.Client({"api_key": os.environ["MC_KEY"], "server": "us21"})
legacy = MailChimp(mc_api=os.environ["MC_KEY"])


def sync(patron, list_id):
    member = hashlib.sha256(b"k" + patron.member_ref.encode()).hexdigest()
    client.lists.set_list_member(list_id, member, {"email_address": patron.email})
    client.lists.get_list_member(list_id, member)
    client.lists.update_list_member_tags(list_id, member, {"tags": [{"name": "teens"}]})
    legacy.lists.members.create(list_id, {"email_address": patron.email, "status": "subscribed"})
    legacy.lists.members.all(list_id, get_all=True)
"""


def test_mailchimp_member_sync_goes_to_mailchimp(scan):
    found = _by_rule(scan({"news/sync.py": MAILCHIMP}))
    # A member's address added to a list is sent to Mailchimp; reads send nothing; tags are
    # a request to Mailchimp without identifiers. Ids and hashes name the list and member.
    assert [line for line, _ in found["DH561"]] == [14, 17]
    assert "'email_address'" in found["DH561"][0][1]
    assert "(us21.api.mailchimp.com)" in found["DH561"][0][1]
    assert "(api.mailchimp.com)" in found["DH561"][1][1]  # mailchimp3: the key's data centre
    assert [line for line, _ in found["DH660"]] == [14, 16, 17]
    approved = _by_rule(
        scan({"news/sync.py": MAILCHIMP}, policy={"approved_vendors": ["*.mailchimp.com"]})
    )
    assert "DH660" not in approved
    assert [line for line, _ in approved["DH561"]] == [14, 17]


STRIPE = """
import os

import stripe

client = stripe.StripeClient(os.environ["STRIPE_KEY"])


def pay(patron, amount, booking_id):
    customer = stripe.Customer.create(
        email=patron.email, metadata={"library_card": patron.card_number}
    )
    stripe.PaymentIntent.create(amount=amount, currency="usd", customer=customer.id,
                                metadata={"booking_id": booking_id},
                                idempotency_key=f"b-{booking_id}")
    stripe.Customer.retrieve(customer.id)
    client.customers.update(customer.id, params={"phone": patron.phone})
"""


def test_stripe_writes_go_to_stripe(scan):
    found = _by_rule(scan({"pay/fees.py": STRIPE}))
    # The customer's e-mail and the card number in its metadata, and the phone through a
    # StripeClient, are sent to Stripe; a payment keyed by a booking id carries none.
    assert [line for line, _ in found["DH561"]] == [10, 17]
    assert "'library_card' (direct, from 'card_number')" in found["DH561"][0][1]
    assert "(api.stripe.com)" in found["DH561"][0][1]
    assert "'phone'" in found["DH561"][1][1]
    assert [line for line, _ in found["DH660"]] == [10, 13, 17]  # not retrieve
    approved = _by_rule(
        scan({"pay/fees.py": STRIPE}, policy={"approved_vendors": ["api.stripe.com"]})
    )
    assert "DH660" not in approved
    assert [line for line, _ in approved["DH561"]] == [10, 17]
