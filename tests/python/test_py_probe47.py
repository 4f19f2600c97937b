"""What the probe 47 (a benefits-eligibility system on Azure: pyodbc, paramiko SFTP, Blob and
ADLS Gen2 uploads, Databricks jobs, a FastAPI service) found missed in Python."""

from __future__ import annotations

SSH_CLIENTS = """
import paramiko
from paramiko import RejectPolicy
from paramiko.client import AutoAddPolicy


class PartnerSftp:
    def __init__(self, host):
        self.client = paramiko.SSHClient()
        self.client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # expect: DH261
        self.client.connect(host, username="dss")


def warned(host):
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.WarningPolicy)  # expect: DH261
    client.connect(host)


def imported(host):
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(policy=AutoAddPolicy())  # expect: DH261
    client.connect(host)


def pinned(host, known_hosts):
    client = paramiko.SSHClient()
    client.load_host_keys(known_hosts)
    client.set_missing_host_key_policy(RejectPolicy())
    client.connect(host)


class Registry:
    def set_missing_host_key_policy(self, policy):
        self.policy = policy


def not_an_ssh_client():
    Registry().set_missing_host_key_policy(AutoAddPolicy())
"""


def test_paramiko_policies_that_accept_any_host_key(assert_expected):
    # probe47 (etl/sftp_partner.py): an SFTP client that trusts whatever host key the partner's
    # server (or anyone on the path) presents uploaded the applicants' SSNs with no finding:
    # AutoAddPolicy and WarningPolicy (an instance, the class, imported from paramiko.client)
    # as an SSHClient's missing-host-key policy are now DH261; RejectPolicy, and the method of
    # a class that is not paramiko's, are not.
    result = assert_expected(SSH_CLIENTS, select=("DH261",))
    messages = [f.message for f in result.active]
    assert messages[0] == (
        "paramiko.SSHClient.set_missing_host_key_policy: verification of the SSH server's "
        "host key is switched off (AutoAddPolicy)"
    )
    assert "(WarningPolicy)" in messages[1]
