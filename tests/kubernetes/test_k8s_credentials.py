"""Credential-like names and real literal values (the judgment behind DH740-DH743)."""

from __future__ import annotations

import pytest

from dhlint.credentials import is_credential_name, is_real_literal, words


def test_words_split_snake_camel_kebab_and_dots():
    assert words("DB_PASSWORD") == ["db", "password"]
    assert words("dbPassword") == ["db", "password"]
    assert words("vendorAPIKey") == ["vendor", "api", "key"]
    assert words("client-secret.file") == ["client", "secret", "file"]


@pytest.mark.parametrize(
    "name",
    [
        "PASSWORD",
        "DB_PASSWORD",
        "db_pass",
        "POSTGRES_PWD",
        "REDIS_PASSWD",
        "GITHUB_TOKEN",
        "refreshToken",
        "API_KEY",
        "apiKey",
        "VENDOR_APIKEY",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_ACCESS_KEY",
        "PRIVATE_KEY",
        "JWT_SIGNING_KEY",
        "CLIENT_SECRET",
        "SECRET_KEY_BASE",
        "GOOGLE_APPLICATION_CREDENTIALS_JSON",
        "MQTT_CREDENTIALS",
        "STORAGE_ACCOUNT_KEY",
        "PGPASSWORD",
        "githubtoken",
        "COSMOS_KEY",  # probe52: a Cosmos DB account's key (Microsoft's quickstarts' name)
        "cosmosKey",
    ],
)
def test_credential_names(name):
    assert is_credential_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "TOKEN_TTL_SECONDS",
        "PASSWORD_MIN_LENGTH",
        "MIN_PASSWORD_LENGTH",
        "SECRET_NAME",
        "DB_PASSWORD_FILE",
        "API_KEY_HEADER",
        "AWS_ACCESS_KEY_ID",
        "TOKEN_ENDPOINT",
        "OAUTH_TOKEN_URL",
        "TOKEN_REFRESH_INTERVAL",
        "PASSENGER_COUNT",
        "COSMOS_PARTITION_KEY",
        "COSMOS_KEY_NAME",
        "BYPASS_CACHE",
        "CACHE_KEY",
        "PARTITION_KEY",
        "COMPASS_HEADING",
        "LOG_LEVEL",
        "PASSWORD_HASH_ROUNDS",
        "SECRET_MANAGER_PROJECT",
        "PASSWORD_RESET_TEMPLATE",
        "BCRYPT_PASSWORD_COST",
        "token_env",  # names the variable that holds the token
        "DB_PASSWORD_ENV_VAR",
        "api_key_variable",
    ],
)
def test_not_credential_names(name):
    assert not is_credential_name(name)


def test_extra_describing_words_from_params():
    assert is_credential_name("TOKEN_BUCKET")
    assert not is_credential_name("TOKEN_BUCKET", ["bucket"])


@pytest.mark.parametrize(
    "value",
    [
        "hunter2",
        "changeme",
        "12345",
        "pk_live_51HxKc2e",
        "p4ss",
        "yourself",
        "{abc",
        "Your_Kc311_Pass",
    ],
)
def test_real_literals(value):
    assert is_real_literal(value)


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "true",
        "False",
        "none",
        "TODO",
        "$(API_TOKEN)",
        "${API_TOKEN}",
        "{{ .Values.token }}",
        "<your-token>",
        "`<key>`",  # quoted in prose (probe27 #4)
        "{key}",  # a format string's field
        "{db.password}",
        "YOUR_STORAGE_KEY",
        "YOUR_API_KEY_HERE",
        "your-password",
        "****",
        "xxxxxxxx",
        "x",
    ],
)
def test_not_real_literals(value):
    assert not is_real_literal(value)


def test_the_gate_of_known_secrets_lets_every_format_through():
    """known_secret tries its patterns only on strings whose first two characters start one
    of them (KNOWN_SECRET_STARTS, h5/2): a format added without its start would never match."""
    from dhlint.credentials import KNOWN_SECRET_STARTS, KNOWN_SECRETS, known_secret

    samples = {
        "a Stripe live secret key": ["sk_live_" + "a1" * 12, "rk_live_" + "a1" * 12],
        "a SendGrid API key": ["SG." + "a" * 22 + "." + "b" * 43],
        "a Twilio API key": ["SK" + "0a" * 16],
        "a Slack token": ["xoxb-123456789-abcdefghij"],
        "a GitHub token": ["ghp_" + "a1" * 18, "github_pat_" + "a" * 82],
        "an AWS access key": ["AKIA" + "A1" * 8, "ASIA" + "A1" * 8],
        "a Google API key": ["AIza" + "a" * 35],
        # a JSON Web Token, and one whose claims make it longer than any key format
        "a JSON Web Token": [
            "eyJhbGciOiJIUzI1NiJ9." + "eyJzdWIiOiJ4In0" + "." + "k3Q9vXb2LmN8pR4sT6uW1y",
            "eyJhbGciOiJSUzI1NiJ9." + "eyJ" + "a" * 600 + "." + "b" * 342,
        ],
    }
    assert sorted(samples) == sorted(what for what, _ in KNOWN_SECRETS)
    for what, texts in samples.items():
        for text in texts:
            assert text[:2] in KNOWN_SECRET_STARTS
            assert known_secret(text) == what


def test_a_json_web_token_is_a_credential_but_not_the_documentation_example():
    """probe51: an MDS operator's bearer token (a signed JWT) written as a literal is a
    credential whatever holds it; jwt.io's example token (its HS256 "John Doe"), an unsigned
    token (alg none, no signature) and a JWT-like text that is no token are not."""
    from dhlint.credentials import known_secret

    example = (
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwi"
        "aWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    )
    assert known_secret(example) is None
    assert known_secret("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.") is None
    assert known_secret("eyJhbGciOiJIUzI1NiJ9 is how a header starts") is None
    assert known_secret("eyJ" + "a" * 9000 + ".eyJ" + "b" * 20 + "." + "c" * 20) is None
