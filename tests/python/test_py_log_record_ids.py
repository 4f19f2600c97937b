"""DH565 and a person's record id: the id the rule's advice says to log instead of the
identifier (probe40 P6, min/06)."""

from __future__ import annotations


def test_a_persons_record_id_may_be_logged(assert_expected):
    # contact_id, person_id, patient_id: the system's own key for a person (the person_id
    # concept). Logging it is what the advice recommends; an identifier renamed into such a
    # name (user_id = row["email"]) and numbers issued outside the system are still reported.
    assert_expected("""
import logging
log = logging.getLogger(__name__)
def queued(contact, row, person_id, patient):
    log.info("exposure notice queued for contact %s", contact["contact_id"])
    log.info("matched person %s", person_id)
    log.info("patient %s", patient.patient_id)
    user_id = row["email"]
    log.info("user %s", user_id)  # expect: DH565
    log.info("mrn %s", contact["mrn"])  # expect: DH565
    log.info("ssn %s", patient.ssn)  # expect: DH565
""")


def test_a_persons_record_id_is_still_an_identifier_in_an_export(assert_expected):
    # DH560 judges exports: there a person's record id is a key that joins datasets.
    assert_expected("""
import pandas as pd
def export(path):
    df = pd.read_csv(path, usecols=["person_id", "visits"])
    df.to_csv("out.csv")  # expect: DH560
""")
