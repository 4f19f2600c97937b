"""False positives found by running dhlint on third-party ETL code (s35: airflow providers,
airbyte-cdk, meltano, simple-salesforce, dagster-aws, ckanapi; about 3,000 files): each
case is the shape found there, written small, with the near cases that stay reported."""

from __future__ import annotations

from dhlint.identifiers import classify_name
from dhlint.policy import default_policy


def test_an_authentication_request_does_not_send_the_account_name(assert_expected):
    # A login form or an OAuth 2.0 token request (RFC 6749 4.3, 4.4; revocation, RFC 7009)
    # holds the caller's own credential: the account's name goes to the service that checks
    # it with its secret. A body with any other field (a sign-up's date of birth), names
    # gathered from rows, or a name without a secret are still sent.
    code = """
import requests
from html import unescape
TOKEN_URL = "https://login.city-approved-vendor.example/oauth2/token"
def token(client_id, client_secret, username, password, person, rows, refresh):
    requests.post(TOKEN_URL, data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret})
    requests.post(TOKEN_URL, json={"username": username, "password": password})
    requests.post(TOKEN_URL, data={"grant_type": "password", "username": person["email"], "password": password, "scope": "read"})
    requests.post(TOKEN_URL, data={"client_id": client_id, "token": refresh, "client_secret": client_secret})
    requests.post(TOKEN_URL, json={"email": person["email"], "password": password, "dob": person["dob"]})  # expect: DH561
    requests.post(TOKEN_URL, json={"username": [r["email"] for r in rows], "password": password})  # expect: DH561
    requests.post(TOKEN_URL, json={"username": person["email"]})  # expect: DH561
def salesforce(username, password, key, secret):
    username = unescape(username) if username else None
    body = {"grant_type": "password", "client_id": key, "client_secret": secret,
            "username": username, "password": password}
    return requests.post(TOKEN_URL, body)
def arcgis(self, username, password, person):
    # a token's lifetime and binding, a response format written out: still a login
    params = {"f": "pjson", "username": self.username, "password": self.password, "referer": self.referer}
    requests.post(TOKEN_URL, data=params)
    requests.post(TOKEN_URL, json={"username": username, "password": password, "expiration": 60})
    requests.post(TOKEN_URL, json={"username": username, "password": password, "f": person["dob"]})  # expect: DH561
    requests.post(TOKEN_URL, json={"username": username, "password": password, "f": f"{person['dob']}"})  # expect: DH561
"""  # noqa: E501
    assert_expected(code, select=("DH561",))


def test_a_field_set_to_a_value_traced_to_nothing_is_known_by_its_key_alone(assert_expected):
    # s36 (dlt, prefect): a dict's "name" set to what no data flows from (a dict's pop, a
    # path's name) is judged as the same entry of a dict literal is: by its key, weakly (a
    # bare "name" is a table's or a project's as often as a person's). A key that names an
    # identifier alone, or a value read from data, is still reported.
    code = """
import logging
from copy import copy
import requests
import yaml
log = logging.getLogger(__name__)
def normalize(table, hints, naming):
    table = copy(table)
    table["name"] = naming.normalize_table(hints.pop("table_name"))
    log.warning(f"table {table['name']} has no columns")
def init_project(out, contents=None):
    if contents is None:
        contents = {}
    contents["name"] = out.name
    yaml.dump({"name": contents["name"]}, out)
def near(record, schema, row, hints, person, out, api):
    record = copy(record)
    record["email"] = hints.pop("contact")
    log.warning(f"sent to {record['email']}")  # expect: DH565
    row = copy(row)
    row["name"] = requests.get(api).json()["name"]
    log.warning(f"missing {row['name']}")  # expect: DH565
    schema = copy(schema)
    schema["email"] = lookup(person)
    yaml.dump(schema, out)  # expect: DH560
"""
    assert_expected(code, select=("DH560", "DH565"))


def test_a_value_in_the_host_of_a_url_is_where_the_request_goes(assert_expected):
    # f"https://{account}.snowflakecomputing.com/...": the account names the host, as a base
    # URL does; a value in the path or the query is sent.
    code = """
import requests
def send(conn, row):
    account = conn["account"]
    requests.post(f"https://{account}.snowflakecomputing.com/oauth/token-request", data={"scope": "x"})
    requests.get(f"https://api.city-approved-vendor.example/v1/people?email={row['email']}")  # expect: DH561
    requests.get(f"https://{account}.city-approved-vendor.example/v1/people/{row['email']}")  # expect: DH561
"""  # noqa: E501
    assert_expected(code, select=("DH561",))


def test_a_handle_a_program_holds_is_not_a_user_name():
    # airbyte-cdk's file_handle posted to a parser API, Snowflake's statementHandle logged
    policy = default_policy()
    for name in ("file_handle", "fileHandle", "db_handle", "statementHandle", "statementHandles",
                 "node_handle", "stepHandle", "op_handle", "asset_handle"):  # fmt: skip
        assert classify_name(name, policy) is None, name
    assert classify_name("user_handle", policy).confidence == "high"
    assert classify_name("user_handles", policy).confidence == "high"
    assert classify_name("handles", policy).confidence == "medium"  # as a bare handle is


def test_a_file_handle_sent_is_not_an_identifier(assert_expected):
    code = """
import requests
def parse(file_handle, user_handle, api_url):
    requests.post(f"{api_url}/general/v0/general", files={"files": ("f", file_handle, "application/pdf")})
    requests.post("https://api.city-approved-vendor.example/v1", json={"handle": user_handle})  # expect: DH561
"""  # noqa: E501
    assert_expected(code, select=("DH561",))


def test_a_test_double_is_not_a_request(assert_expected):
    # frictionless's tests: requests-mock's fixture given the URLs it answers for
    code = """
import requests
def test_profile(requests_mock, respx_mock, session):
    requests_mock.get("https://example.org/schemas/missing.json", status_code=404)
    respx_mock.post("https://example.com/post/", json={"ok": True})
    session.get("https://example.org/schemas/missing.json", timeout=5)  # expect: DH660
"""
    assert_expected(code, select=("DH660",))
