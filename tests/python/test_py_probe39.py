"""Flows the probe 39 (homeless-services case management, GCP + Django/DRF/Celery) found
missed or misread."""

from __future__ import annotations

import json

from dhlint.cli import main


def test_the_twilio_sdk_sends_to_twilios_api(assert_expected):
    # probe39 #4 (min/04): twilio.rest.Client(...).messages.create(to=, from_=, body=) is a
    # request to api.twilio.com, as requests.post to it is: a name in the body is sent to the
    # vendor (DH561), the host is judged (DH660); the addressee is the message's purpose.
    code = """
import os
from twilio.rest import Client
def remind(phone, first_name, when):
    tw = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])
    tw.messages.create(to=phone, from_="+18165", body=f"Hi {first_name}")  # expect: DH561, DH660
    tw.messages.create(to=phone, from_=os.environ["FROM"], body=f"At {when}")  # expect: DH660
    calls = tw.api.account.calls
    calls.create(to=phone, from_="+18165", twiml=f"<Say>{first_name}</Say>")  # expect: DH561, DH660
"""
    result = assert_expected(code)
    [first] = [f for f in result.active if f.rule_id == "DH561"][:1]
    assert "(api.twilio.com) by twilio messages.create" in first.message  # no $TWILIO_* "URL"
    approved = {"approved_vendors": ["api.twilio.com"]}
    assert_expected(
        code.replace("# expect: DH561, DH660", "# expect: DH561").replace("# expect: DH660", ""),
        policy=approved,
    )


def test_the_twilio_sdk_is_listed_as_a_vendor(monkeypatch, capsys, make_repo):
    code = (
        "from twilio.rest import Client\n"
        "client = Client()\n"
        "def remind(case):\n"
        "    client.messages.create(to=case['phone'], body=f\"Hi {case['first_name']}\")\n"
    )
    monkeypatch.chdir(make_repo({"sms.py": code}))
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    [vendor] = json.loads(capsys.readouterr().out)["vendors"]
    assert vendor["host"] == "api.twilio.com"
    assert [(s["line"], s["columns"]) for s in vendor["sends"]] == [(4, ["first_name"])]


def test_django_database_options_that_switch_tls_off(assert_expected):
    # probe39 #5 (min/02): Django passes a database's OPTIONS to the driver's connect, so
    # {"sslmode": "disable"} there is psycopg2.connect(sslmode="disable") (DH260), reported
    # where the value is written; "require" and "verify-full" are not.
    code = """
import os
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": os.environ.get("DB_HOST", "10.20.0.5"),
        "OPTIONS": {"sslmode": "disable"},  # expect: DH260
    },
    "replica": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"sslmode": "require"}},
    "reports": {
        "OPTIONS": {
            "sslmode": "verify-full",
        },
    },
    "legacy": {
        "OPTIONS": {
            "sslmode": os.environ.get("LEGACY_SSLMODE", "disable"),  # expect: DH260
        },
    },
}
"""
    result = assert_expected(code, name="settings.py")
    assert next(f.message for f in result.active) == (
        "Django's DATABASES['default']['OPTIONS'] uses a cleartext channel (sslmode=disable)"
    )


def test_fields_of_a_model_instance_a_call_returns_are_judged_by_name(assert_expected):
    # probe39 #6 (min/03): the record DRF's serializer.save(), a form's save() and a view's
    # self.get_object() return is judged by its fields' names, as a parameter's are;
    # get_object_or_404(Model, ...) and Model.objects.create(...) give a row of the model, as
    # Model.objects.get does. A field that names nothing personal, or the record whole, is not.
    code = """
import logging
from django.shortcuts import get_object_or_404
from rest_framework import generics
from .models import Client
log = logging.getLogger(__name__)
def perform_create(serializer):
    client = serializer.save()
    log.info("created %s %s", client.first_name, client.ssn)  # expect: DH565
    log.info("created %s", client.pk)
    log.info("created %s", client)
def edit(request, form):
    obj = form.save()
    log.info("saved %s", obj.ssn)  # expect: DH565
    other = form.save(commit=False)
    log.info("saved %s", other.ssn)  # expect: DH565
def show(request, pk):
    c = get_object_or_404(Client, pk=pk)
    log.info("viewed %s", c.ssn)  # expect: DH565
    made = Client.objects.create(first_name="x")
    log.info("made %s", made.ssn)  # expect: DH565
    got, created = Client.objects.get_or_create(pk=pk)
    log.info("got %s", got.ssn)  # expect: DH565
class Detail(generics.RetrieveAPIView):
    def retrieve(self, request, *args, **kwargs):
        c = self.get_object()
        log.info("viewed %s", c.ssn)  # expect: DH565
def unrelated(store):
    doc = store.save()
    log.info("saved %s", doc.ssn)
"""
    assert_expected(code, name="views.py")


def test_a_declared_generalisation_helper_clears_coordinates_it_returns(assert_expected):
    # probe39 #9 (min/09): a rounding helper of another module is not followed, so what it
    # returns is judged by the names it is given; declared in protective_functions it clears
    # them, also unpacked into several names (the tuple's items were unknown before, so the
    # declaration did not help). The message does not claim a number of decimals it never saw.
    code = """
import csv
from cases.models import Encounter
from outreach.geo import generalise, shift
def export():
    with open("heat.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        for e in Encounter.objects.all():
            lat, lon = generalise(e.latitude, e.longitude)
            w.writerow([lat, lon])  # expect: DH563
            lat2, lon2 = shift(e.latitude, e.longitude)
            w.writerow([lat2, lon2])  # expect: DH563
"""
    result = assert_expected(code)
    assert result.active[0].message == (
        "Location column(s) 'lat' (location), 'lon' (location) leave to file 'heat.csv' not"
        " rounded to 3 decimals or fewer, as far as dhlint can see"
    )
    declared = code.replace("[lat, lon])  # expect: DH563", "[lat, lon])")
    assert_expected(declared, policy={"protective_functions": ["generalise"]})
