"""E-mail sent from Python: smtplib and Django's mail. The message is what is sent; its
addressees are where it goes (an e-mail to the resident is its purpose), unless they are
gathered from a table or rows (a bulk export)."""

from __future__ import annotations

from tests.python.test_py_probe42 import _prefilter_keeps


def test_smtplib_addressees_are_where_the_mail_goes(assert_expected):
    # s30 h4 #1: sendmail(from_addr, to_addrs, msg) and send_message(msg, from_addr, to_addrs)
    # counted the addressees as payload; now to_addrs (a text, a list of named addresses, a
    # variable holding either) and a message's To/Cc/Bcc headers are its purpose, as Twilio's
    # to= and SES's Destination are. The text, the subject and addressees gathered from a
    # column or rows are still sent.
    code = """
import smtplib
from email.message import EmailMessage
import pandas as pd
FROM = "noreply@kcmo.gov"
def notify(resident, rows, path):
    with smtplib.SMTP_SSL("smtp.kcmo.gov", 465) as smtp:
        smtp.sendmail(FROM, [resident["email"]], "Your permit is ready.")
        smtp.sendmail(FROM, resident["email"], "Your permit is ready.")
        smtp.sendmail(FROM, to_addrs=[resident.email, resident.manager_email], msg="Ready.")
        to = [resident["email"]]
        smtp.sendmail(FROM, to, "Your permit is ready.")
        smtp.sendmail(FROM, to, f"Plate {resident['plate']} was towed.")  # expect: DH561
        msg = EmailMessage()
        msg["To"] = resident["email"]
        msg["Cc"] = f"{resident['name']} <{resident['email']}>"
        msg["Subject"] = "Your permit"
        msg.set_content("Your permit is ready.")
        smtp.send_message(msg)
        smtp.send_message(msg, FROM, [resident["email"]])
        smtp.send_message(msg, to_addrs=resident["email"])
        bad = EmailMessage()
        bad["To"] = resident["email"]
        bad["Subject"] = f"Permit for {resident['plate']}"
        smtp.send_message(bad)  # expect: DH561
        df = pd.read_csv(path, usecols=["email", "ward"])
        smtp.sendmail(FROM, df["email"].tolist(), "Road closure.")  # expect: DH561
        smtp.sendmail(FROM, [r["email"] for r in rows], "Road closure.")  # expect: DH561
        smtp.send_message(msg, to_addrs=list(df["email"]))  # expect: DH561
        grown = []
        for row in rows:
            grown.append(row["email"])
        smtp.sendmail(FROM, grown, "Road closure.")  # expect: DH561
        everyone = EmailMessage()
        everyone["Bcc"] = ", ".join(df["email"])
        smtp.send_message(everyone)  # expect: DH561
"""
    assert_expected(code)


def test_django_mail_is_sent_to_the_network(assert_expected):
    # s30 h4 #2: django.core.mail's send_mail, send_mass_mail, mail_admins, mail_managers and
    # EmailMessage/EmailMultiAlternatives(...).send() were no sink: a plate in a mail's text
    # passed. They are sinks as smtplib's are: the subject, text, HTML, headers and
    # attachments are sent; recipient_list, to, cc, bcc and reply_to named one by one are
    # where it goes, gathered from rows they are a bulk mailing (as send_mass_mail's messages).
    code = """
from django.core.mail import (
    EmailMessage, EmailMultiAlternatives, mail_admins, mail_managers, send_mail, send_mass_mail,
)
from permits.models import Resident
FROM = "noreply@kcmo.gov"
def ready(resident, report_path):
    send_mail("Permit ready", "Your permit is ready.", FROM, [resident.email])
    send_mail("Permit", "Ready.", FROM, recipient_list=[resident["email"]], fail_silently=True)
    send_mail("Towed", f"Plate {resident.plate} towed.", FROM, [resident.email])  # expect: DH561
    send_mail("Towed", "Ready.", FROM, [resident.email], html_message=resident.vin)  # expect: DH561
    mail_admins("New signup", f"{resident.email} signed up")  # expect: DH561
    mail_managers("New signup", "Someone signed up.")
    msg = EmailMessage("Permit", "Ready.", FROM, to=[resident.email], cc=[resident.manager_email])
    msg.send()
    EmailMessage("Permit", "Ready.", FROM, [resident.email], reply_to=[resident.email]).send()
    bad = EmailMessage("Permit", "Ready.", to=[resident.email])
    bad.attach("plate.txt", resident.plate, "text/plain")
    bad.send()  # expect: DH561
    alt = EmailMultiAlternatives("Permit", "Ready.", FROM, [resident.email])
    alt.attach_alternative(f"<p>{resident.ssn}</p>", "text/html")
    alt.send()  # expect: DH561
    headed = EmailMessage("Permit", "Ready.", headers={"X-Plate": resident.plate})
    headed.send()  # expect: DH561
def closure():
    emails = list(Resident.objects.values_list("email", flat=True))
    send_mail("Road closure", "Tomorrow.", FROM, emails)  # expect: DH561
    everyone = [r.email for r in Resident.objects.all()]
    EmailMessage("Road closure", "Tomorrow.", bcc=everyone).send()  # expect: DH561
    send_mass_mail(  # expect: DH561
        [("Closure", "Tomorrow.", FROM, [r.email]) for r in Resident.objects.all()]
    )
"""
    assert_expected(code)
    # Django's mail imported as a module: the file is analysed (the pre-filter lets it pass)
    assert_expected(
        "from django.core import mail\n"
        "def towed(resident):\n"
        '    mail.send_mail("T", f"Plate {resident.plate}", "x@kcmo.gov", [resident.email])'
        "  # expect: DH561\n",
        name="notify.py",
    )


def test_smtplib_mail_sent_without_starttls_is_cleartext(assert_expected):
    # s31 h6 #1: a message sent on an smtplib.SMTP connection (port 25, 587) on which
    # starttls() was not called went in clear and only DH660 judged the host; now the send is
    # DH260, as an http:// request is. starttls() before the send (in the function, in a
    # helper that returns the started connection), SMTP_SSL and this machine's relay are not.
    code = """
import os
import smtplib
from email.message import EmailMessage
HOST = "smtp.kcmo.gov"
RELAY = os.environ.get("SMTP_HOST", "localhost")
def started():
    smtp = smtplib.SMTP(HOST, 587)
    smtp.starttls()
    smtp.login("etl", os.environ["SMTP_PASSWORD"])
    return smtp
def plain():
    return smtplib.SMTP(HOST, 25)
def notify(person):
    msg = EmailMessage()
    msg.set_content(f"Patient {person['name']} dob {person['date_of_birth']}")
    with smtplib.SMTP("mail.example.org", 25) as s:
        s.send_message(msg, "a@city.gov", [person["email"]])  # expect: DH260
    with smtplib.SMTP("mail.example.org", 587) as s:
        s.starttls()
        s.send_message(msg, "a@city.gov", [person["email"]])
    with smtplib.SMTP_SSL("mail.example.org", 465) as s:
        s.send_message(msg)
    smtplib.SMTP(HOST).sendmail("a@city.gov", [person["email"]], "Ready.")  # expect: DH260
    started().sendmail("a@city.gov", [person["email"]], "Ready.")
    plain().sendmail("a@city.gov", [person["email"]], "Ready.")  # expect: DH260
    late = smtplib.SMTP(HOST)
    late.sendmail("a@city.gov", [person["email"]], "Ready.")  # expect: DH260
    late.starttls()
    late.sendmail("a@city.gov", [person["email"]], "Ready.")
    with smtplib.SMTP("localhost") as s:
        s.send_message(msg)
    with smtplib.SMTP(RELAY) as s:
        s.send_message(msg)
"""
    result = assert_expected(code, select=("DH260",))
    assert result.active[0].message == (
        "smtplib.send_message uses a cleartext channel (SMTP to mail.example.org without STARTTLS)"
    )
    # A class's connection: starttls() in a method written after the one that sends counts
    # as one written before it (facts do not depend on the order methods are written in).
    mailer = """
import smtplib
class Mailer:
    def __init__(self, host):
        self.smtp = smtplib.SMTP("smtp.kcmo.gov", 587)
    def send(self, msg):
        self.smtp.sendmail("noreply@kcmo.gov", ["ops@kcmo.gov"], msg)
    def connect(self):
        self.smtp.starttls()
class Plain:
    def __init__(self, host):
        self.smtp = smtplib.SMTP("smtp.kcmo.gov", 25)
    def send(self, msg):
        self.smtp.sendmail("noreply@kcmo.gov", ["ops@kcmo.gov"], msg)  # expect: DH260
"""
    assert_expected(mailer, select=("DH260",))


def test_django_mail_settings_without_tls_are_cleartext(scan):
    # s31 h6 #2: Django's settings with EMAIL_HOST a mail server elsewhere and neither
    # EMAIL_USE_TLS nor EMAIL_USE_SSL true (both default to False) send every mail of the
    # project in clear; the file was not even analysed (the pre-filter saw no transport). Now
    # DH260, where the host is written, as sslmode=disable in DATABASES' OPTIONS is. Not: TLS
    # or SSL on, a switch read from the environment (default on, or none), a local relay,
    # another backend, a module that imports its settings with * (the base may switch TLS
    # on), a script's own constant.
    settings = """\
import os
SECRET_KEY = os.environ["SECRET_KEY"]
INSTALLED_APPS = ["django.contrib.auth", "permits"]
EMAIL_HOST = "smtp.kcmo.gov"
EMAIL_PORT = 25
DEFAULT_FROM_EMAIL = "noreply@kcmo.gov"
"""
    files = {
        "proj/settings.py": settings,
        "proj/settings_off.py": settings + "EMAIL_USE_TLS = False\nEMAIL_USE_SSL = False\n",
        "proj/settings_tls.py": settings + "EMAIL_USE_TLS = True\n",
        "proj/settings_ssl.py": settings + "EMAIL_USE_SSL = True\n",
        "proj/settings_env.py": settings
        + 'EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"\n',
        "proj/settings_env_off.py": settings
        + 'EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "false").lower() == "true"\n',
        "proj/settings_env_nodefault.py": settings
        + 'EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS") == "true"\n',
        "proj/settings_local.py": settings.replace("smtp.kcmo.gov", "localhost"),
        "proj/settings_console.py": settings
        + 'EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"\n',
        "proj/config/prod.py": 'from .base import *\nEMAIL_HOST = "smtp.kcmo.gov"\n',
        "notify.py": """\
import smtplib
EMAIL_HOST = "smtp.kcmo.gov"
def send(msg):
    with smtplib.SMTP(EMAIL_HOST, 587) as s:
        s.starttls()
        s.sendmail("noreply@kcmo.gov", ["ops@kcmo.gov"], msg)
""",
    }
    result = scan(files, select=["DH260"])
    found = sorted((f.location.path, f.location.start_line) for f in result.active)
    # s32 h6 #3: a switch read from the environment with a default off is judged by it, as
    # a condition over starttls() is (it was not judged); without a default it is not.
    assert found == [
        ("proj/settings.py", 4),
        ("proj/settings_env_off.py", 4),
        ("proj/settings_off.py", 4),
    ]
    assert result.active[0].message == (
        "Django's EMAIL_HOST setting (EMAIL_USE_TLS and EMAIL_USE_SSL off) uses a cleartext "
        "channel (SMTP to smtp.kcmo.gov without STARTTLS)"
    )


def test_aiosmtplib_mail_without_required_tls_is_cleartext(assert_expected):
    # s32 h6 #1: aiosmtplib was not modelled: its sends were no sink, its host was not judged
    # (DH660), and a file that imported only it was not even analysed. Now aiosmtplib.send and
    # an aiosmtplib.SMTP connection's sendmail/send_message are sinks, judged as smtplib's: a
    # remote host without use_tls=True or start_tls=True is DH260. Unset (None, the default
    # since aiosmtplib 2.0) it upgrades only if the server offers STARTTLS, which the message
    # says; start_tls=False is no STARTTLS at all. A local relay or a Unix socket is not.
    code = """
import aiosmtplib
from email.message import EmailMessage
SMTP_HOST = "mail.example.org"
async def notify(person):
    msg = EmailMessage()
    msg.set_content(f"Your car {person['plate']} was towed.")
    await aiosmtplib.send(msg, hostname=SMTP_HOST, port=25)  # expect: DH260, DH561, DH660
    await aiosmtplib.send(msg, hostname=SMTP_HOST, start_tls=True)  # expect: DH561, DH660
    await aiosmtplib.send(msg, hostname=SMTP_HOST, use_tls=True)  # expect: DH561, DH660
    await aiosmtplib.send(msg, hostname=SMTP_HOST, start_tls=False)  # expect: DH260, DH561, DH660
    await aiosmtplib.send(msg, hostname="localhost", start_tls=False)  # expect: DH561
    await aiosmtplib.send(msg, hostname=SMTP_HOST, socket_path="/run/smtp.sock")  # expect: DH561
    await aiosmtplib.send(msg, recipients=[person["email"]])  # expect: DH561
    smtp = aiosmtplib.SMTP(hostname=SMTP_HOST, port=25)  # expect: DH660
    await smtp.connect()
    await smtp.send_message(msg)  # expect: DH260, DH561
    async with aiosmtplib.SMTP(hostname=SMTP_HOST, start_tls=True) as s:  # expect: DH660
        await s.send_message(msg, recipients=person["email"])  # expect: DH561
    later = aiosmtplib.SMTP()
    await later.connect(hostname=SMTP_HOST, start_tls=False)  # expect: DH660
    await later.sendmail("a@kcmo.gov", [person["email"]], "Ready.")  # expect: DH260
    started = aiosmtplib.SMTP(hostname=SMTP_HOST, start_tls=False)  # expect: DH660
    await started.connect()
    await started.starttls()
    await started.sendmail("a@kcmo.gov", person["email"], "Ready.")
"""
    result = assert_expected(code)
    messages = [f.message for f in result.active if f.rule_id == "DH260"]
    assert messages[0] == (
        "aiosmtplib.send uses a cleartext channel (SMTP to mail.example.org with STARTTLS only "
        "if the server offers it: start_tls is not True)"
    )
    assert messages[1] == (
        "aiosmtplib.send uses a cleartext channel (SMTP to mail.example.org without STARTTLS)"
    )
    # A module whose only mail library is aiosmtplib gets through the pre-filter.
    only = """
import aiosmtplib
async def send(msg):
    await aiosmtplib.send(msg, hostname="mail.example.org")  # expect: DH260
"""
    assert_expected(only, select=("DH260",))
    _prefilter_keeps(
        {
            "aio_send.py": only,
            "aio_from.py": (
                "from aiosmtplib import SMTP\n\n"
                "async def f(rec):\n"
                "    smtp = SMTP(hostname='mail.example.org')\n"
                "    await smtp.connect()\n"
                "    await smtp.sendmail('a@kcmo.gov', ['b@kcmo.gov'], rec['plate'])\n"
            ),
        }
    )


def test_smtplib_connection_made_without_a_host_reaches_the_host_of_connect(assert_expected):
    # s32 h6 #2: smtplib.SMTP() with no host and then connect(host, port) had no host: its
    # sends in clear were not reported, nor its host (DH660). connect() gives the host (this
    # machine by default), for smtplib and aiosmtplib; starttls() after it is still seen.
    code = """
import smtplib
def notify(msg):
    s = smtplib.SMTP()
    s.connect("mail.example.org", 25)  # expect: DH660
    s.send_message(msg)  # expect: DH260
    t = smtplib.SMTP()
    t.connect(host="mail.example.org", port=587)  # expect: DH660
    t.starttls()
    t.send_message(msg)
    u = smtplib.SMTP()
    u.connect()
    u.send_message(msg)
    v = smtplib.SMTP_SSL()
    v.connect("mail.example.org")  # expect: DH660
    v.send_message(msg)
class Mailer:
    def __init__(self):
        self.smtp = smtplib.SMTP()
    def send(self, msg):
        self.smtp.sendmail("noreply@kcmo.gov", ["ops@kcmo.gov"], msg)  # expect: DH260
    def open(self):
        self.smtp.connect("mail.example.org", 25)  # expect: DH660
"""
    assert_expected(code, select=("DH260", "DH660"))


def test_conditional_starttls_is_judged_by_a_condition_the_code_decides(assert_expected):
    # s32 h6 #3: starttls() under a condition counted as called on every path, even when the
    # condition was known to be false (a literal, a module constant, an environment variable's
    # default compared with "true"). Now such a condition decides; one whose value is not known
    # (a setting, a parameter's value from a caller) still counts as started (as checkov and
    # bandit do not report a switch that may be on), which the rule's documentation says.
    code = """
import os
import smtplib
from django.conf import settings
USE_TLS = False
STARTTLS = os.getenv("SMTP_STARTTLS", "false").lower() == "true"
ENV_ON = os.environ.get("SMTP_STARTTLS", "true").lower() in ("1", "true", "yes")
HOST = "mail.example.org"
def constant(msg):
    s = smtplib.SMTP(HOST, 587)
    if USE_TLS:
        s.starttls()
    s.send_message(msg)  # expect: DH260
def env_default_off(msg):
    s = smtplib.SMTP(HOST, 587)
    if STARTTLS:
        s.starttls()
    s.send_message(msg)  # expect: DH260
def env_default_off_inline(msg):
    s = smtplib.SMTP(HOST, 587)
    if os.getenv("SMTP_STARTTLS", "0") == "1":
        s.starttls()
    s.send_message(msg)  # expect: DH260
def literal(msg):
    s = smtplib.SMTP(HOST, 587)
    if False:
        s.starttls()
    s.send_message(msg)  # expect: DH260
def in_else(msg):
    s = smtplib.SMTP(HOST, 587)
    if not USE_TLS:
        pass
    else:
        s.starttls()
    s.send_message(msg)  # expect: DH260
def short_circuit(msg):
    s = smtplib.SMTP(HOST, 587)
    USE_TLS and s.starttls()
    s.send_message(msg)  # expect: DH260
def conditional_expression(msg):
    s = smtplib.SMTP(HOST, 587)
    s.starttls() if USE_TLS else None
    s.send_message(msg)  # expect: DH260
def elif_branch(msg):
    s = smtplib.SMTP(HOST, 587)
    if ENV_ON:
        pass
    elif USE_TLS:
        s.starttls()
    s.send_message(msg)  # expect: DH260
def process_number(msg):
    s = smtplib.SMTP(HOST, 587)
    if os.getpid():
        s.starttls()
    s.send_message(msg)
def local_flag(msg):
    tls = False
    s = smtplib.SMTP(HOST, 587)
    if tls:
        s.starttls()
    s.send_message(msg)  # expect: DH260
def setting(msg):
    s = smtplib.SMTP(HOST, 587)
    if settings.EMAIL_USE_TLS:
        s.starttls()
    s.send_message(msg)
def env_default_on(msg):
    s = smtplib.SMTP(HOST, 587)
    if ENV_ON:
        s.starttls()
    s.send_message(msg)
def env_without_default(msg):
    s = smtplib.SMTP(HOST, 587)
    if os.getenv("SMTP_STARTTLS"):
        s.starttls()
    s.send_message(msg)
def parameter(msg, use_tls):
    s = smtplib.SMTP(HOST, 587)
    if use_tls:
        s.starttls()
    s.send_message(msg)
def default_on(msg, use_tls=True):
    s = smtplib.SMTP(HOST, 587)
    if use_tls:
        s.starttls()
    s.send_message(msg)
def always(msg):
    s = smtplib.SMTP(HOST, 587)
    if not USE_TLS or True:
        s.starttls()
    s.send_message(msg)
"""
    assert_expected(code, select=("DH260",))
    # aiosmtplib's switches are judged the same way: known false is false, unknown is on
    aio = """
import os
import aiosmtplib
from django.conf import settings
START = os.getenv("SMTP_STARTTLS", "false") == "true"
async def send(msg):
    await aiosmtplib.send(msg, hostname="mail.example.org", start_tls=START)  # expect: DH260
    await aiosmtplib.send(msg, hostname="mail.example.org", start_tls=settings.SMTP_TLS)
"""
    assert_expected(aio, select=("DH260",))
