"""DH760: literal credentials in Python code. Each case marks its expected findings with
``# expect:`` (and nothing else may fire); the value itself is never printed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dhlint.analysis import BuildEnv
from dhlint.credentials import known_secret_starts
from dhlint.models.python import build_models
from dhlint.models.python_credentials import candidate_lines
from dhlint.policy import default_policy
from dhlint.types import SourceFile
from tests.conftest import rule_lines

REPO = Path(__file__).resolve().parents[2]

REPORTED = {
    # the probe's four shapes
    "probe_shapes": """
import psycopg2, requests
MDS_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJtZHMifQ.9c8b7a6f"  # expect: DH760
def trips(url):
    return requests.get(url, headers={"Authorization": "Bearer 7e6d5c4b3a29"})  # expect: DH760
conn = psycopg2.connect(host="db.city.gov", password="Str33tcar#77")  # expect: DH760
DSN = "postgresql://etl:Tr1psPw0rd@db.city.gov/trips"  # expect: DH760
""",
    "near_masked_and_pointer_like": """
WEBHOOK = {"password": "T00000000?token=XXXXXb7Zq9Lm2"}  # expect: DH760
SCHEMA = {"token": "a#/definitions-9f8e7d"}  # expect: DH760
def launcher(secrets_token: str = "dagster-9f8e7d6c"):  # expect: DH760
    return secrets_token
sqlalchemy_uri = "postgresql://etl:Tr1psPw0rd@db.city.gov/dbname"  # expect: DH760
_factories = {"api-token": "ckan.tests.factories-APIToken9f8e"}  # expect: DH760
hash_secret = app.config.get("FAB_PASSWORD_HASH_SECRET", "scrypt-9f8e7d")  # expect: DH760
types = {"secrets": "list[str9f8e7d6c]", "token": "xk[]9f8e7d6c"}  # expect: DH760
_OFFSET_TOKEN = "OFFSET9f8e"  # expect: DH760
SESSION_TOKEN = "SESSIONKEY"  # expect: DH760
DSN = "postgresql://etl:Tr1psPw0rd@db.city.gov:5432/trips"  # expect: DH760
conn = psycopg2.connect(host="db.city.gov", password="Str33tcar#77", example=None)  # expect: DH760
""",
    # probe51: an operator registry of dataclasses, one token given by position (and a class
    # whose __init__ takes it)
    "positional_fields_of_a_module_class": """
import os
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Operator:
    kind: ClassVar[str] = "mds"
    name: str
    base_url: str
    token: str
    verify_tls: bool = True


class Feed:
    def __init__(self, url, api_key, timeout=30):
        self.url, self.api_key, self.timeout = url, api_key, timeout


OPERATORS = [
    Operator("lime", "https://data.lime.bike/mds", os.environ.get("LIME_TOKEN", "")),
    Operator(
        "spin",
        "https://web.spin.pm/api/mds/v2",
        "eyJhbGciOiJIUzI1NiJ9.c3Bpbi1jaXR5.Qm9ndXNTaWdu",  # expect: DH760
        verify_tls=False,
    ),
    Operator("bird", "https://mds.bird.co", "<token>"),
    Operator(*os.environ["OPERATOR"].split(",")),
]
FEED = Feed("https://feeds.example.net/mds", "vr_live_8f3a9c2e71b44d0f")  # expect: DH760
""",
    # probe51: a signed JWT is a bearer token whatever holds it (a variable not named as a
    # credential, a list of feeds)
    "json_web_tokens": """
FEEDS = [("spin", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtZHMtc3BpbiJ9.k3Q9vXb2LmN8pR4sT6uW1y")]  # expect: DH760
EXAMPLE = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
UNSIGNED = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."
""",  # noqa: E501
    "targets": """
class Client:
    api_key = "k-29fa7c1e55"  # expect: DH760
    def __init__(self):
        self.client_secret = "s3cr3t-v4lu3"  # expect: DH760
        self.settings = {"db_password": "Zx9!kk22aa"}  # expect: DH760
        self.settings["sftp_passwd"] = b"Qw3rty!!99"  # expect: DH760
        dbPassword: str = "Mn8&uu71ab"  # expect: DH760
        user, pwd = "etl", "Lk5@rr09zz"  # expect: DH760
def connect(host, password="Tr4nsit!2024", *, token="ab12cd34ef56"):  # expect: DH760
    return host
def login(session):
    session.auth(client_secret="s3cr3t-v4lu3", username="etl")  # expect: DH760
    return dict(access_key="AKIAEXAMPLE7777")  # expect: DH760
DEFAULT = "changeme"
SMTP_PASSWORD = "changeme"  # expect: DH760
conn = connect("db.city.gov", password=DEFAULT)  # expect: DH760
""",
    # near the probe37 non-credentials, still credentials: a key not a type name, a
    # password that is words (a person chooses it), a token of letters alone, a password
    # with regex-like characters, a "pass" that is not built on its name, a key near AWS's
    # example
    "near_names_settings_and_patterns": r"""
cached = {"AccessKey": "72c2d9dd90025459"}  # expect: DH760
db_password = "correct-horse-battery"  # expect: DH760
smtp_password = "Changeme"  # expect: DH760
API_TOKEN = "qWeRtYuIoPaSdFgHjKlZ"  # expect: DH760
password = "Sw0rd.+fish*"  # expect: DH760
login = {"user": "etl", "pass": "swordfish"}  # expect: DH760
ACCESS_KEY = "AKIAIOSFODNN7EXAMPL3"  # expect: DH760
""",
    "headers_built_around_literals": """
import requests
VENDOR = "a81f2c9be7d04e55"
MDS_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJrY21vIn0.4f9a2b7c"  # expect: DH760
def push(url):
    requests.get(url, headers={"Authorization": f"Bearer {VENDOR}"})  # expect: DH760
    requests.get(url, headers={"Authorization": "Bearer " + VENDOR})  # expect: DH760
    requests.get(url, headers={"Authorization": "Bearer %s" % VENDOR})  # expect: DH760
    requests.get(url, headers={"Authorization": "Bearer {}".format(VENDOR)})  # expect: DH760
    requests.get(url, headers={"Authorization": f"Bearer {MDS_TOKEN}"})
    requests.get(url, headers={"X-Api-Key": "k-29fa7c1e55"})  # expect: DH760
    requests.get(url, headers={"Proxy-Authorization": "Basic ZXRsOlBhNTV3b3Jk"})  # expect: DH760
    headers = {}
    headers["Authorization"] = "Token 9f8e7d6c5b4a"  # expect: DH760
    auth_header = "Bearer 9f8e7d6c5b4a3f2e"  # expect: DH760
    return headers, auth_header
""",
    "connection_strings": """
import pyodbc
from sqlalchemy import create_engine
engine = create_engine("mysql://etl:Pa55word@db.city.gov/trips")  # expect: DH760
conn = pyodbc.connect("Driver={ODBC 18};Server=sql.city.gov;UID=etl;PWD=Od8cP4ss;")  # expect: DH760
JDBC = "jdbc:postgresql://db.city.gov/trips?user=etl&password=Pa55word"  # expect: DH760
DB_HOST = "db.city.gov"
def urls(user, password):
    a = f"postgresql://etl:Pa55word@{DB_HOST}/trips"  # expect: DH760
    b = f"Server={DB_HOST};UID=etl;PWD=Od8cP4ss;"  # expect: DH760
    c = f"postgresql://{user}:{password}@{DB_HOST}/trips"
    return a, b, c
""",
    "environment_read_defaults": """
import os
DB_PASSWORD = os.getenv("DB_PASSWORD", "s3cr3t-literal")  # expect: DH760
def connect(engine):
    return engine(os.environ.get("API_TOKEN", "tok-9f8e7d6c5b"))  # expect: DH760
MDS_TOKEN = os.getenv("MDS_TOKEN") or "eyJhbGciOiJIUzI1NiJ9"  # expect: DH760
key = os.getenv("PARTNER_API_KEY", default="k-29fa7c1e55")  # expect: DH760
""",
    "basic_auth_pairs": """
import aiohttp, httpx, requests
from requests.auth import HTTPBasicAuth, HTTPDigestAuth
def pull(url, session):
    requests.get(url, auth=("svc_user", "Pa55word!"))  # expect: DH760
    requests.get(url, auth=HTTPBasicAuth("svc_user", "Pa55word!"))  # expect: DH760
    requests.get(url, auth=HTTPDigestAuth("svc_user", "Pa55word!"))  # expect: DH760
    session.auth = ("svc_user", "Pa55word!")  # expect: DH760
    es = {"http_auth": ["elastic", "Ela5tic!pw"]}  # expect: DH760
    httpx.get(url, auth=httpx.BasicAuth("svc_user", "Pa55word!"))  # expect: DH760
    return aiohttp.BasicAuth("svc_user", "Pa55word!"), es  # expect: DH760
""",
    "libpq_and_odbc_strings": """
import psycopg2, pyodbc
a = psycopg2.connect("host=db.city.gov dbname=trips user=etl password=hunter22")  # expect: DH760
b = psycopg2.connect("dbname=trips user=etl password='Tr1ps pw'")  # expect: DH760
c = pyodbc.connect("Driver={ODBC 18};Server=sql.city.gov;Uid=etl;Pwd=secret1;")  # expect: DH760
d = pyodbc.connect("Server=sql.city.gov;User Id=etl;Password=secret1;")  # expect: DH760
""",
    "command_line_option_defaults": """
import argparse, click
parser = argparse.ArgumentParser()
parser.add_argument("--api-key", default="k-29fa7c1e55")  # expect: DH760
parser.add_argument(
    "-p",
    "--db-password",
    default="Tr4nsit!2024",  # expect: DH760
)
@click.command()
@click.option("--token", default="ab12cd34ef56")  # expect: DH760
def main(token):
    return token
""",
    # typer's options (a default given to Option, or to a parameter Option annotates) and a
    # configuration's defaults (config.get("password", "...")) are literals in the code too
    "typer_options_and_setting_defaults": """
from typing import Annotated
import typer
app = typer.Typer()
@app.command()
def main(
    password: str = typer.Option("Tr4nsit!2024", "--password"),  # expect: DH760
    key: str = typer.Option("k-29fa7c1e55", "--api-key"),  # expect: DH760
    token: str = typer.Option("ab12cd34ef56", help="the vendor's token"),  # expect: DH760
    k2: Annotated[str, typer.Option("--api-key")] = "c0ffee4b1d2e",  # expect: DH760
    k3: str = typer.Option("--api-key", default="Zx9!kk22aa"),  # expect: DH760
):
    return password, key, token, k2, k3
def connect(config, settings):
    a = config.get("password", "Mn8&uu71ab")  # expect: DH760
    b = settings.get("api_key", default="Lk5@rr09zz")  # expect: DH760
    return a, b
""",
    # probe52: an Azure Cosmos DB account key as Microsoft's quickstarts name it, in a
    # config module and in a settings dict
    "cosmos_key": """
COSMOS_ENDPOINT = "https://ems-cad.documents.azure.com:443/"
COSMOS_KEY = "q3VfZ1pXb2xrY2Z4dE9hN1NjR0pXbk1yS0ZzZ1hKc0lPZ2Y2dGxWbWx3PT0x=="  # expect: DH760
SETTINGS = {"cosmosKey": "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2Fy"}  # expect: DH760
""",
    # s37 pyfn: a PagerDuty integration (routing) key, in either of its shapes, given as a
    # keyword, in an Events API payload, to a module constant and to pdpyras by position
    "pagerduty_routing_key": """
import pdpyras, requests
from pagerduty import EventsApiV2Client
PAGERDUTY_ROUTING_KEY = "e93facc04764012d7bfb002500d5d1a6"  # expect: DH760
def page(summary):
    requests.post(
        "https://events.pagerduty.com/v2/enqueue",
        json={"routing_key": "R0123ABCDEFGHIJKLMNOPQRSTUVWXYZ4", "a": "trigger"},  # expect: DH760
        timeout=5,
    )
    a = pdpyras.EventsAPISession("a1b2c3d4e5f60718293a4b5c6d7e8f90")  # expect: DH760
    b = EventsApiV2Client(routing_key="0f1e2d3c4b5a69788796a5b4c3d2e1f0")  # expect: DH760
    c = pdpyras.EventsAPISession(PAGERDUTY_ROUTING_KEY)
    return a, b, c
""",
    # s38: beside the field names of NOT_REPORTED's "api_field_names_and_redactions", a
    # machine-made key given to the same api_key, and a password that is a plain word
    "api_field_names_aside": """
from dataclasses import dataclass
@dataclass
class SensorDescription:
    key: str
    api_key: str
LIVE = SensorDescription(key="live", api_key="Zk3uR9vLq2XwT7mN4pB8sD1f")  # expect: DH760
API_TOKEN = "tV7qLm2RxK9pZw4N8sYb3DcF"  # expect: DH760
def handle(data):
    data["password"] = "hiddenValley7"  # expect: DH760
""",
}

NOT_REPORTED = {
    # s37 pyfn: AMQP's routing_key is a queue's address, and a routing key read at run time
    # or not of PagerDuty's shape is no literal key
    "routing_keys_that_are_no_pagerduty_key": """
import os, pdpyras
def publish(channel, body, key):
    channel.basic_publish(exchange="", routing_key="orders.created", body=body)
    channel.basic_publish(exchange="", routing_key="ab12cd34", body=body)
    channel.basic_publish(exchange="", routing_key="0F1E2D3C4B5A69788796A5B4C3D2E1F0", body=body)
    integration_key = "pagerduty-integration"
    return pdpyras.EventsAPISession(os.environ["PD_ROUTING_KEY"]), pdpyras.EventsAPISession(key)
""",
    # probe52: a Cosmos DB container's partition key path and the key's setting names are no
    # credential (the account key is: "cosmos_key" in REPORTED)
    "cosmos_settings": """
import os
COSMOS_PARTITION_KEY = "/incident_id"
COSMOS_KEY_ENV = "COSMOS_KEY"
cosmos_key = os.environ["COSMOS_KEY"]
""",
    # a module class's positional fields: only a credential-named one is judged, as its value
    "positional_fields_without_a_literal_credential": """
import os
from dataclasses import dataclass


@dataclass
class Login:
    user: str
    password: str
    realm: str = "city"


ADMIN = Login("admin", os.environ["ADMIN_PASSWORD"], "ops-realm-2024x9")
GUEST = Login("guest", "")
SERVICE = Login("svc", "${SVC_PASSWORD}", "k8s-7f3a9c2e71b4")
""",
    "runtime_values": """
import os
import boto3
from azure.keyvault.secrets import SecretClient
MDS_TOKEN = os.environ["MDS_TOKEN"]
API_KEY = os.getenv("API_KEY")
def secret(vault_url, credential):
    password = SecretClient(vault_url, credential).get_secret("db-password").value
    token = boto3.client("secretsmanager").get_secret_value(SecretId="etl")["SecretString"]
    return password, token, {"Authorization": f"Bearer {token}"}
""",
    "names_describing_credentials": """
TOKEN_TTL = "3600"
password_min_length = "123456789"
secret_name = "prod/etl/database"
token_url = "https://auth.kcmo.gov/oauth2/token"
PASSWORD_FIELD = "password"
PASSWORD_ENV = "DB_PASSWORD"
API_KEY_HEADER = "X-Api-Key"
PASSWORD_KEY = "password"
TOKEN_NAME = "access_token"
""",
    "non_values": """
SMTP_PASSWORD = ""
API_KEY = "<api-key>"
TOKEN = "${MDS_TOKEN}"
SECRET = "****"
REDACTED_TOKEN = "xxxxxxxx"
DB_PASSWORD = "DB_PASSWORD"
client_secret = "your-client-secret"
password = "{password}"
token = "%s"
api_key = "%(api_key)s"
pwd = "abc"
DB_SECRET = "arn:aws:secretsmanager:us-east-2:123456789012:secret:etl-db"
VAULT_SECRET = "https://kcmo-etl.vault.azure.net/secrets/db-password"
GCP_TOKEN = "projects/kc-prod/secrets/mds-token/versions/latest"
PASSWORD_PROMPT_TEXT = "Enter your password"
private_key = "/run/secrets/etl.pem"
ssh_key = "keys/deploy.key"
token = None
password = 12345678
DSN = "postgresql://etl@db.city.gov/trips"
TEMPLATE = "postgresql://{user}:{password}@{host}/trips"
TOKEN_HEADERS = {"Authorization": "Bearer <token>"}
""",
    "runtime_reads_and_their_non_defaults": """
import argparse, os, click, psycopg2, requests
from requests.auth import HTTPBasicAuth
DB_PASSWORD = os.getenv("DB_PASSWORD", "")
API_TOKEN = os.environ.get("API_TOKEN", "<token>")
DB_HOST = os.getenv("DB_HOST", "db-host.city.gov")
PASSWORD_FILE = os.getenv("PASSWORD_FILE", "/run/secrets/db")
TOKEN = os.getenv("MDS_TOKEN") or ""
SECRET = os.getenv("SECRET", "${SECRET}")
def pull(url, user, password):
    requests.get(url, auth=(user, password))
    requests.get(url, auth=("svc_user", os.environ["SVC_PASSWORD"]))
    requests.get(url, auth=HTTPBasicAuth(user, password))
    requests.get(url, auth=("svc_user", ""))
    psycopg2.connect("host=db.city.gov dbname=trips user=etl")
    psycopg2.connect("host=db.city.gov dbname=trips password=$PGPASSWORD")
    return psycopg2.connect(f"host=db.city.gov password={password}")
parser = argparse.ArgumentParser()
parser.add_argument("--password", default=os.environ.get("DB_PASSWORD"))
parser.add_argument("--api-key", help="the vendor's API key")
parser.add_argument("--token-file", default="token.json")
parser.add_argument("--host", default="db-host.city.gov")
@click.option("--password", prompt=True, hide_input=True, default=None)
def main(password):
    return password
import typer
def cli(
    password: str = typer.Option("", "--password"),
    key: str = typer.Option("<your-api-key>", "--api-key"),
    token: str = typer.Option(..., "--token"),
    user: str = typer.Option("svc_user", "--user"),
    secret: str = typer.Option(None, "--secret", envvar="SECRET"),
):
    return config.get("password", ""), settings.get("api_key", "${API_KEY}"), cfg.get("user", "etl")
""",
    "comparisons_docstrings_comments": '''
def check(password, row):
    """Example: password = "Tr4nsit!2024", postgresql://etl:Pa55word@db.city.gov/trips"""
    # api_key = "k-29fa7c1e55"
    if password == "Tr4nsit!2024":
        return True
    "a string standing alone: token = 'ab12cd34ef56'"
    return row.get("password", "") != "hunter22"
''',
    # probe37 (third-party code): type names as keys, field and enum names, key pair names,
    # regular expressions, prefixes, a filter band, AWS's documentation example keys
    "names_settings_and_patterns_in_real_code": r"""
cached = {"AWS::IAM::AccessKey": "72c2d9dd90025459", "AWS::MSK::BatchScramSecret": "ff2b807a"}
types = {"AWS::Config::AggregationAuthorization": "5f0c2a9b7e1d4c3a"}
PAGINATION = {"list_things": {"input_token": "next_marker", "limit_key": "max_results"}}
LAUNCH = {"HttpTokens": "optional"}
REMOTE = {"ec2SshKey": "eksKeypair", "SshKey": "DeployKeyPair", "api_key": "api-key-name"}
password_last_used = "not_supported"
PASSWORD = "required"
jsonnet_token = r"[^\W\d]\w*"
_token_end = r"(?=\s|#|[)\]]|$)"
passwd_check = r"^(?=^.{8,64}$)((?=.*\d)(?=.*[A-Z])(?=.*[a-z]))"
TOKEN_PREFIX = "k8s-aws-v1."
SESSION_TOKEN_PREFIX = "FQoGZXIvYXdzEBYaD"
PASSWORD_RE = "Zx9!kk22aa"
band_dict = {"band": "bandpass", "pass": "bandpass", "bp": "bandpass"}
CREDS = {
    "AccessKeyId": "AKIAIOSFODNN7EXAMPLE",
    "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
    "secret_key": "AKIAI44QH8DHBEXAMPLE",
}
""",
    # s35, third-party ETL code (airbyte-cdk, airflow providers, dagster-aws): a JSON
    # pointer, a documented example whose secret is masked, the tag that marks secrets
    "pointers_masked_examples_and_tags": """
SCHEMA = {"token": "#/definitions/ApiKeyAuthenticator", "oauth": "#/definitions/OAuth"}
PLACEHOLDERS = {"password": "T00000000?token=XXXXXXXXXXXXXXXXXXXXXXXX", "api_key": "sk-******"}
def launcher(container_name="run", secrets_tag: str = "dagster"):
    return container_name
""",
    # s38, Home Assistant (real4): an API's field names given to a sensor description's
    # api_key (Growatt's), a secret redacted before a record is handled (Meraki's); a random
    # key given the same names is still reported (REPORTED, "api_field_names_aside").
    "api_field_names_and_redactions": """
from dataclasses import dataclass
@dataclass
class GrowattSensorEntityDescription:
    key: str
    api_key: str
TOTAL = GrowattSensorEntityDescription(key="tlx_energy_total", api_key="epv1Total")
POWER = GrowattSensorEntityDescription(key="tlx_discharge", api_key="bdc1DischargePower")
CHARGE = GrowattSensorEntityDescription(key="mix_charge", api_key="iChargePV1")
VA = GrowattSensorEntityDescription(key="storage_va", api_key="rateVA")
TOKEN = "eChargeToday1"
def handle(data):
    data["data"]["secret"] = "hidden"
    data["password"] = "REDACTED"
""",
    # s35, superset and ckan: a message to translate, an example of a connection string, a
    # factory's import path, how passwords are hashed
    "messages_examples_import_paths": """
from flask_babel import gettext as _
def check(uri, app):
    raise ValueError(_("A valid string follows: backend+driver://user:password@db-host/db"))
sqlalchemy_uri_placeholder = "postgresql://user:password@host:port/dbname"
_factories = {"api-token": "ckan.tests.factories:APIToken"}
method = app.config.get("FAB_PASSWORD_HASH_METHOD", "scrypt")
""",
    # s36, third-party ETL code (influxdb-client's generated models, great_expectations, dlt):
    # a type written as a string, a parser's token named by its text, the form of a URL in a
    # message (its port named in words)
    "types_tokens_and_url_forms": """
class SecretKeys:
    openapi_types = {"secrets": "list[str]", "password": "Optional[str]"}
    swagger_types = {"keys": "Dict[str, List[str]]", "token": "Union[List[str], None]"}
_OFFSET_TOKEN = "OFFSET"
def check(spec, driver):
    msg = f"The expected format is `{driver}://username:password@host:port/database`"
    hint = "postgresql://etl:Pa55word@db-host:PORT/trips"
    return msg, hint
""",
    # s36, prefect's Secret block: a schema field's documented examples
    "examples_of_a_schema_field": """
from pydantic import Field, SecretStr
class Secret:
    value: SecretStr = Field(
        default=...,
        examples=["sk-1234567890", {"username": "johndoe", "password": "s3cr3t"}],
    )
    dsn: str = Field(json_schema_extra={"example": {"password": "s3cr3t"}})
""",
}


@pytest.mark.parametrize("name", sorted(REPORTED))
def test_literal_credentials_are_reported(assert_expected, name):
    result = assert_expected(REPORTED[name], select=("DH760",))
    assert result.active


@pytest.mark.parametrize("name", sorted(NOT_REPORTED))
def test_values_that_are_no_literal_credential_are_not_reported(assert_expected, name):
    assert_expected(NOT_REPORTED[name], select=("DH760",))


def test_messages_name_the_target_never_the_value(scan):
    result = scan({"etl.py": REPORTED["probe_shapes"]}, select=["DH760"])
    messages = sorted(f.message for f in result.active)
    assert messages == [
        "Key 'Authorization' holds a bearer token written in the code",
        "Keyword argument 'password' of psycopg2.connect() holds a credential written in the code",
        "Variable 'DSN' holds a password for db.city.gov written in the code",
        "Variable 'MDS_TOKEN' holds a credential written in the code",
    ]
    for finding in result.active:
        for secret in ("eyJhbGci", "7e6d5c4b", "Str33tcar", "Tr1psPw0rd"):
            assert secret not in finding.anchor and secret not in finding.message


def test_defaults_pairs_and_libpq_strings_are_named_without_their_value(scan):
    code = (
        "import os, argparse, psycopg2, requests\n"
        'DB_PASSWORD = os.getenv("DB_PASSWORD", "s3cr3t-literal")\n'
        'requests.get("https://x.city.gov", auth=("svc_user", "Pa55word!"))\n'
        'psycopg2.connect("host=db.city.gov user=etl password=hunter22")\n'
        'argparse.ArgumentParser().add_argument("--api-key", default="k-29fa7c1e55")\n'
    )
    result = scan({"etl.py": code}, select=["DH760"])
    assert [f.message for f in result.active] == [
        "Default of environment variable 'DB_PASSWORD' holds a credential written in the code",
        "Keyword argument 'auth' of requests.get() holds a password written in the code",
        "Argument of psycopg2.connect() holds a password for db.city.gov written in the code",
        "Default of option '--api-key' of add_argument() holds a credential written in the code",
    ]
    code = (
        "import typer\n"
        'def main(key: str = typer.Option("k-29fa7c1e55", "--api-key")):\n'
        '    return key, config.get("db_password", "s3cr3t-literal")\n'
    )
    result = scan({"etl.py": code}, select=["DH760"])
    assert [f.message for f in result.active] == [
        "Default of option '--api-key' of main() holds a credential written in the code",
        "Default of setting 'db_password' of config.get() holds a credential written in the code",
    ]
    for finding in result.active:
        for secret in ("s3cr3t", "Pa55word", "hunter22", "29fa7c1e"):
            assert secret not in finding.anchor and secret not in finding.message


def test_a_header_built_from_a_constant_names_where_it_is_written(scan):
    code = 'VENDOR = "a81f2c9be7d04e55"\nH = {"Authorization": f"Bearer {VENDOR}"}\n'
    (finding,) = scan({"etl.py": code}, select=["DH760"]).active
    assert finding.location.start_line == 2
    assert [(r.location.start_line, r.label) for r in finding.related] == [
        (1, "'VENDOR' is written here")
    ]


def test_an_fstring_url_names_its_host_field(scan):
    code = 'def engine(DB_HOST):\n    return f"postgresql://etl:Pa55word@{DB_HOST}/trips"\n'
    (finding,) = scan({"etl.py": code}, select=["DH760"]).active
    assert finding.message == "String holds a password for {DB_HOST} written in the code"


def test_test_files_are_not_checked_unless_the_rule_says_so(scan):
    code = 'def test_login(client):\n    client.post("/login", json={"password": "hunter2222"})\n'
    for name in ("tests/test_login.py", "test_login.py", "pkg/tests/helpers.py", "conftest.py"):
        assert not scan({name: code}, select=["DH760"]).active, name
    assert scan({"etl/login.py": code}, select=["DH760"]).active


def test_files_the_prefilter_skips_still_get_their_credentials():
    """A module of constants imports nothing the data-flow analysis reads: the pre-filter
    skips it, the credential check does not (and gives the same facts as a full analysis)."""
    code = 'MDS_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJrY21vIn0"\n'
    source = SourceFile("settings.py", "/r/settings.py", "python", code)
    policy = default_policy()
    (skipped,) = build_models([source], BuildEnv(policy=policy, root="/r")).models
    options = {"python_full_analysis": True}
    (full,) = build_models([source], BuildEnv(policy=policy, root="/r", options=options)).models
    assert not skipped.analysed and full.analysed
    assert [c.name for c in skipped.credentials] == ["MDS_TOKEN"]
    assert skipped.credentials == full.credentials


def test_a_pagerduty_key_is_named_as_such(scan):
    result = scan({"page.py": REPORTED["pagerduty_routing_key"]}, select=["DH760"])
    assert sorted(f.message for f in result.active) == [
        "Argument 'routing_key' of pdpyras.EventsAPISession() holds a PagerDuty integration key"
        " written in the code",
        "Key 'routing_key' holds a PagerDuty integration key written in the code",
        "Keyword argument 'routing_key' of EventsApiV2Client() holds a PagerDuty integration key"
        " written in the code",
        "Variable 'PAGERDUTY_ROUTING_KEY' holds a PagerDuty integration key written in the code",
    ]


def test_the_text_gate_passes_every_shape_and_little_else():
    for code in (*REPORTED.values(),):
        assert candidate_lines(code)
    assert candidate_lines("def f(x):\n    pass\n\nkey = 3\nd = {k: v for k, v in x}\n") == []
    assert candidate_lines("if password == other:\n    token(x)\n") == []
    assert candidate_lines('h = os.getenv("DB_HOST", "db")\nauthor = (a, b)\noauth(x)\n') == []


def test_the_text_gate_finds_each_term_where_it_is_written():
    """The terms found at another term's occurrences ("authoriz" at "auth"'s, getenv and .get
    at "get"'s) are on the line where they are written, each line once."""
    code = (
        "x = 1\n"
        'headers = {"Authorization": tok}\n'  # 2
        "AUTHORIZED = x\n"  # 3: a name term, assigned
        'pw = os.getenv("DB_PASSWORD", "x")\n'  # 4
        'k = getenv("API_TOKEN", default="x")\n'  # 5
        'c = cfg.get("secret_key", "x")\n'  # 6
        'h = os.environ.get("DB_HOST", "x")\n'  # not a credential's name
        "authorize(x)\n"  # not assigned
        'parser.add_argument("--authorization-header")\n'  # 9: an option
    )
    assert candidate_lines(code) == [2, 3, 4, 5, 6, 9]


def test_a_dotted_capital_i_before_a_credential_moves_no_line(scan):
    # "İ" lowers to two characters ("i" and a combining dot): the gate's offsets, taken in the
    # lowered text, drifted past the lines of the original one and the password was not read.
    code = "# " + "\u0130" * 40 + '\npassword = "hunter2hunter2"\n' + "y = 2\n" * 40
    assert candidate_lines(code) == [2]
    assert rule_lines(scan({"settings.py": code}), "DH760") == [2]


_KNOWN_STARTS = re.compile(
    r"(?=k_live_|SG\.|xox|eyJ|gh[pousr]_|github_pat_|A(?:KIA|SIA|Iza)|SK[0-9a-f]{32})"
)


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["eyJ", "ey", "J", "SG.", "SG", "S", "K", "G", ".", "SK", "0123456789abcdef", "xox",
             "k_live_", "AKIA", "ASIA", "AIza", "ghp_", "github_pat_", "é", "\n", " ", "x"]
        ),
        max_size=12,
    )
)  # fmt: skip
def test_known_secret_starts_are_every_start_of_a_prefix(pieces):
    """Found at their rarest character (a capital) or by a pass, the starts are every place
    where one of the formats' prefixes starts (overlapping ones too)."""
    text = "".join(pieces)
    expected = sorted(m.start() for m in _KNOWN_STARTS.finditer(text))
    assert sorted(known_secret_starts(text)) == expected, text


def test_cli_json_and_sarif_name_the_finding_without_the_value(tmp_path):
    etl = tmp_path / "etl"
    etl.mkdir()
    (tmp_path / ".git").mkdir()  # the repository root
    (etl / "load.py").write_text(REPORTED["probe_shapes"], encoding="utf-8")
    for fmt in ("json", "sarif", "text"):
        proc = subprocess.run(
            [sys.executable, "-m", "dhlint", "check", "--no-cache", "-f", fmt, "etl"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 1, proc.stderr
        # (the SARIF rule help quotes the catalogue's examples, which use other values)
        for secret in ("9c8b7a6f", "7e6d5c4b", "Str33tcar", "Tr1psPw0rd"):
            assert secret not in proc.stdout, (fmt, secret)
        if fmt == "json":
            found = [f for f in json.loads(proc.stdout)["findings"] if f["rule_id"] == "DH760"]
            assert sorted(f["line"] for f in found) == [3, 5, 6, 7]
            assert {f["path"] for f in found} == {"etl/load.py"}
