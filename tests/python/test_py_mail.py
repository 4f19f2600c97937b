"""E-mail sent from Python: smtplib and Django's mail. The message is what is sent; its
addressees are where it goes (an e-mail to the resident is its purpose), unless they are
gathered from a table or rows (a bulk export)."""

from __future__ import annotations


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
