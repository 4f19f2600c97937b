"""Literal credentials in Terraform (values resolved: a variable's literal default counts).

- ``detect`` (DH701): a resource argument named like a credential (``password``,
  ``master_password``, ``administrator_login_password``, ``secret``, ``token``, ``api_key``...)
  with a literal string value (also ``secret_string`` of a Secrets Manager version, the
  ``value`` of an SSM ``SecureString`` parameter or a Key Vault secret, and ``secret_data`` of
  a GCP Secret Manager version), or a name/value pair named so (a container's environment in
  ECS ``container_definitions`` or ``kubernetes_deployment``, a Helm release's ``set``, a
  Container App's ``secret``; a name wholly in kebab case, ``db-password``, counts too). Not
  the arguments that name a secret kept in a secret manager (Cloud Run's ``secret_key_ref``).
  An Azure function or web app's ``app_settings`` values and ``connection_string`` values, and
  a Lambda, Cloud Function or Cloud Run environment (``ENV_HOLDERS``), are also judged by
  what they hold, whatever their names: a URL with a password, ``Password=``,
  ``AccountKey=``, ``SharedAccessKey=`` (the test DH743 applies to a ConfigMap's values).
  Any argument or name/value pair whose value is wholly a vendor's key in its published
  format (``sk_live_...``, ``SG.``, ``AKIA...``: ``dhlint.credentials.known_secret``, DH760's
  test) is one too, whatever its name; the message then says what it is.
- ``providers`` (DH702): provider credentials (``access_key``, ``secret_key``, ``token``,
  ``credentials``, ``client_secret``, ``password``) written as literals, and any value of the
  block that is a vendor's key in its own format.
- ``user_data`` (DH703): a private key, an AWS access key or a ``password=...`` assignment
  (``GITHUB_TOKEN=...``, ``CLIENT_SECRET=...``: a name ending with a credential term) in
  instance start-up data (``user_data``, ``custom_data``, GCP start-up scripts), also when
  base64-encoded.

Values that are unknown (a secret manager lookup, ``random_password``, a variable without a
default) are never findings.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from dhlint.analysis import Context
from dhlint.credentials import KNOWN_SECRET_STARTS, embedded_credentials, known_secret
from dhlint.detectors.terraform._origin import value_origin
from dhlint.models.terraform import Resource, TerraformModel
from dhlint.models.terraform_eval import PLACEHOLDER, Branches, Unknown, partial_text
from dhlint.types import Hit

SECRET_NAME = re.compile(
    r"(^|_)(password|passwd|passphrase|secret|secret_key|secret_access_key|access_key|"
    r"api_key|apikey|auth_token|token|client_secret|private_key|connection_string|"
    r"shared_key|primary_key|account_key|signing_key|hmac_key|sas_token|secret_string|"
    r"master_user_password)$"
)
NOT_SECRET = re.compile(
    r"(_arn|_id|_ids|_name|_length|_version|_type|_ttl|_enabled|_policy|_wo_version|_file|"
    r"_path|_url|_uri|_rotation|_reset_required|_secret_arn)$|^(token_|secret_)?kms|"
    # Helm charts' existingSecret, apiKeyExistingSecret, tls.passwordsSecret: the name of a
    # Kubernetes Secret; useSecret, createSecret, automount...Token: switches.
    r"(^|_)existing_|(^|_)(passwords|credentials)_secret$|^(use|create|automount)_|"
    # An idempotency string (EFS creation_token, client_token), the variable holding one.
    r"^(creation|client|idempotency)_token$|_(env|env_var|variable)$"
)
SECRET_HOLDERS = {
    "aws_ssm_parameter": "value",  # only type = "SecureString"
    "azurerm_key_vault_secret": "value",
    "google_secret_manager_secret_version": "secret_data",
    "google_secret_manager_regional_secret_version": "secret_data",
}
# Arguments that name a secret kept in a secret manager, not hold one: Cloud Run's and
# Kubernetes' ``secret_key_ref`` (under ``value_source``/``value_from``), Cloud Functions'
# ``secret_environment_variables`` and ``secret_volumes``, a Cloud Run secret volume
# (``volumes { secret { secret = ... } }``), and a Secret Manager version's ``secret`` (the
# secret's resource name; its ``secret_data`` holds the value).
_REFERENCE_BLOCKS = frozenset(
    {
        "value_source",
        "value_from",
        "secret_key_ref",
        "secret_environment_variables",
        "secret_volumes",
    }
)
_NAMES_A_SECRET = {
    "google_secret_manager_secret_version": "secret",
    "google_secret_manager_regional_secret_version": "secret",
}
PROVIDER_KEYS = {
    "access_key",
    "secret_key",
    "token",
    "credentials",
    "client_secret",
    "password",
    "client_certificate_password",
    "api_key",
    "api_token",
    "access_token",
}
USER_DATA = {
    "aws_instance": ["user_data", "user_data_base64"],
    "aws_launch_template": ["user_data"],
    "aws_launch_configuration": ["user_data", "user_data_base64"],
    "google_compute_instance": [
        "metadata_startup_script",
        "metadata.startup-script",
        "metadata.user-data",
    ],
    "google_compute_instance_template": ["metadata_startup_script", "metadata.startup-script"],
    "azurerm_linux_virtual_machine": ["custom_data", "user_data"],
    "azurerm_windows_virtual_machine": ["custom_data", "user_data"],
    "azurerm_virtual_machine": ["os_profile.custom_data"],
    "azurerm_linux_virtual_machine_scale_set": ["custom_data", "user_data"],
}
# A name that ends with a credential term, whatever its prefix (``PGPASSWORD``,
# ``GITHUB_TOKEN``, ``CLIENT_SECRET``, ``STRIPE_API_KEY``: ``_`` is a word character, so a
# whole-word ``token`` missed them), then a literal value. Names DH701 does not take for a
# credential (``NOT_SECRET``: ``CLIENT_TOKEN``, an idempotency string; ``EXISTING_SECRET``, the
# name of one) are left out by ``leak_in``; a name that goes on past the term
# (``TOKEN_TTL``, ``SECRET_NAME``) does not end at the ``=``.
_ASSIGNMENT = (
    r"(?i)\b((?:[a-z]*sql|db|database|admin|root)_pwd|"
    r"[a-z0-9_]*(?:password|passwd|secret|token|api_?key))\b{space}*[=:]{space}*['\"]?"
    r"(?!\$|\{{|<|%)([^\s'\"]{{6,}})"
)
LEAKS = [
    ("private key", re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----")),
    ("AWS access key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("secret assignment", re.compile(_ASSIGNMENT.format(space=r"\s"))),
]
# The text a value does not show (a template's branches not taken, each on lines of its own;
# its renderings when it is unknown): an assignment there is one only within a line, since the
# next line may be another branch's (``DB_PASSWORD=`` then ``export DB_USER=...``).
LEAKS_IN_LINE = [*LEAKS[:2], ("secret assignment", re.compile(_ASSIGNMENT.format(space="[ \t]")))]


# Values that refer to a secret kept elsewhere (an ARN, an interpolation, an App Service Key
# Vault reference, a CloudFormation dynamic reference), or that cannot be one (a time unit,
# a switch).
_REFERENCES = ("arn:", "${", "@Microsoft.KeyVault(", "{{resolve:")
_NOT_SECRET_VALUES = frozenset(
    {"seconds", "minutes", "hours", "days", "true", "false", "yes", "no", "on", "off", "0", "1"}
)  # a time unit or a switch


def _literal(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    return (
        bool(text)
        and PLACEHOLDER not in text
        and not text.startswith(_REFERENCES)
        and text.lower() not in _NOT_SECRET_VALUES
    )


def _walk(value: Any, path: tuple) -> list[tuple[tuple, str, Any]]:
    """``(key path, key, value)`` of every scalar (or unknown) value under ``value``."""
    out: list[tuple[tuple, str, Any]] = []
    _walk_into(value, path, out)
    return out


def _walk_into(value: Any, path: tuple, out: list[tuple[tuple, str, Any]]) -> None:
    if isinstance(value, Branches):
        for option in value.options:
            _walk_into(option, path, out)
    elif isinstance(value, dict):
        for key, sub in value.items():
            if isinstance(sub, (dict, list, Branches)):
                _walk_into(sub, (*path, key), out)
            else:
                out.append(((*path, key), str(key), sub))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk_into(item, (*path, i), out)


def _credential_name(name: str) -> bool:
    low = name.lower()
    return bool(SECRET_NAME.search(low)) and not NOT_SECRET.search(low)


# Key -> is it a credential's name (``_credential_name`` of its snake-case form). A run sees a
# few hundred distinct keys, each thousands of times; kept bounded all the same.
_CREDENTIAL_KEYS: dict[str, bool] = {}


def _credential_key(key: str) -> bool:
    found = _CREDENTIAL_KEYS.get(key)
    if found is None:
        found = _credential_name(_snake(key))
        if len(_CREDENTIAL_KEYS) < 10_000:
            _CREDENTIAL_KEYS[key] = found
    return found


# A whole name in kebab case (a Container App secret may be named no other way): its words are
# separated by ``-``. Only a whole name: the last part of an annotation key
# (``nginx.ingress.kubernetes.io/auth-secret``, which names a Kubernetes Secret) stays as it is.
_KEBAB = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)+")


def _snake(name: str) -> str:
    return name.replace("-", "_") if _KEBAB.fullmatch(name.strip().lower()) else name


# The keys of a setting written as a name/value pair: a container's environment (ECS
# ``container_definitions``, ``kubernetes_deployment``'s ``env``), a Helm release's ``set``.
PAIR_NAMES = ("name", "key", "Name")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def name_value_pairs(value: Any, path: tuple, inside: bool = False) -> list[tuple[tuple, str, Any]]:
    """``(key path of the value, the setting's name, its value)`` of every name/value pair:
    ``{name = "DB_PASSWORD", value = "..."}``, also in a JSON document written as a string
    (``jsonencode(...)``, a heredoc), whose pairs are placed at the string."""
    out: list[tuple[tuple, str, Any]] = []
    _pairs_into(value, path, inside, out)
    return out


def _pair(value: dict) -> tuple[str, Any] | None:
    """``(name, value)`` of a mapping that is a name/value pair, else None."""
    setting = value.get("value")
    if setting is None or isinstance(setting, (dict, list)):
        return None  # most mappings: no value, no need to look for a name
    name = None
    for k in PAIR_NAMES:
        if isinstance(value.get(k), str):
            name = value[k]
            break
    if name:
        return name, setting
    return None


def _pairs_into(value: Any, path: tuple, inside: bool, out: list[tuple[tuple, str, Any]]) -> None:
    if isinstance(value, Branches):
        for option in value.options:
            _pairs_into(option, path, inside, out)
    elif isinstance(value, dict):
        pair = _pair(value)
        if pair:
            out.append((path if inside else (*path, "value"), *pair))
        for key, sub in value.items():
            _pairs_into(sub, path if inside else (*path, key), inside, out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _pairs_into(item, path if inside else (*path, i), inside, out)
    elif isinstance(value, (str, Unknown)) and not inside:
        # A document with a part known only at apply time (jsonencode of an environment that
        # also names a queue's url) is read from its text, that part ``${?}``: one unknown
        # setting must not hide the known ones beside it.
        text = partial_text(value)
        if not text or text.lstrip()[:1] not in ("[", "{"):
            return
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):
            return
        _pairs_into(document, path, True, out)


def _scalars_and_pairs(values: dict) -> tuple[list, list]:
    """The items of ``_walk(values, ())`` whose key names a credential (``_credential_key``)
    or whose value is a vendor's key in its own format (``known_secret``), and
    ``name_value_pairs(values, ())``, of a resource's values but those under its ``tags`` and
    ``labels`` (no place for a credential), in one walk: DH701 reads both of every
    resource. Two walks over all its values, its tags included, were half of its time; then
    the key path of every scalar, made to be dropped at once, half of what was left."""
    scalars: list[tuple[tuple, str, Any]] = []
    pairs: list[tuple[tuple, str, Any]] = []
    _both_into(values, (), scalars, pairs, skip=("tags", "labels"))
    return scalars, pairs


def _both_into(value: Any, path: tuple, scalars: list, pairs: list, skip: tuple = ()) -> None:
    """``_walk_into`` (the items with a credential's key only) and ``_pairs_into`` (not
    ``inside``) at once: the same items, in the same order, in each list (less the keys
    ``skip`` of ``value`` itself)."""
    if isinstance(value, Branches):
        for option in value.options:
            _both_into(option, path, scalars, pairs)
    elif isinstance(value, dict):
        pair = _pair(value)
        if pair:
            pairs.append(((*path, "value"), *pair))
        for key, sub in value.items():
            if key in skip:
                continue
            if isinstance(sub, (dict, list, Branches)):
                _both_into(sub, (*path, key), scalars, pairs)
                continue
            if _credential_key(str(key)):
                scalars.append(((*path, key), str(key), sub))
            elif type(sub) is str and sub[:2] in KNOWN_SECRET_STARTS and known_secret(sub):
                scalars.append(((*path, key), str(key), sub))  # sk_live_..., whatever its key
            # A JSON document written as a string (a string that starts otherwise is none)
            if isinstance(sub, Unknown) or (
                isinstance(sub, str) and sub.lstrip()[:1] in _DOCUMENT_STARTS
            ):
                _pairs_into(sub, (*path, key), False, pairs)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _both_into(item, (*path, i), scalars, pairs)
    elif isinstance(value, (str, Unknown)):
        _pairs_into(value, path, False, pairs)


_DOCUMENT_STARTS = ("[", "{")  # how a JSON document's text starts (``_pairs_into``)


def _setting_name(name: str) -> str:
    """A pair's name as a key: its last dotted part, in snake case (Helm's
    ``auth.postgresPassword`` is ``postgres_password``)."""
    return _CAMEL.sub("_", re.split(r"[./]", _snake(name).strip())[-1])


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    skip = set(ctx.params.get("skip_types", []))
    for res in model.resources:
        if res.type in skip or res.type.startswith("random_"):
            continue
        # One finding per resource (its anchor is the resource's address), naming every literal
        # credential it holds, so that fixing the first does not reveal the next on a re-run.
        found: list[tuple[tuple, str, str | None, Any]] = []
        scalars, pairs = _scalars_and_pairs(res.values)
        for path, _, value in scalars:  # those whose key names a credential
            if _literal(value) and not _names_a_secret(res, path):
                found.append((path, _attribute(path, None), None, value))
        for path, pair, value in pairs:
            if (
                (_credential_name(_setting_name(pair)) or _vendor_key(value))
                and _literal(value)
                and not _names_a_secret(res, path)
            ):
                found.append((path, _attribute(path, None), pair, value))
        if res.type in APP_SETTINGS_HOLDERS or res.type in ENV_HOLDERS:
            found += _embedded_in_settings(res, {path for path, *_ in found})
        if found:
            yield _credentials_hit(model, res, found)
        else:
            # Resources that exist to hold a secret: their literal value is one.
            attr = SECRET_HOLDERS.get(res.type)
            if res.type == "aws_ssm_parameter" and res.values.get("type") != "SecureString":
                attr = None
            if attr and _literal(res.values.get(attr)):
                hit = res.hit(attr, attribute=attr, what="a literal value")
                yield with_variable_origin(hit, model, res, res.values.get(attr))


# Azure function and web apps (and their deployment slots): their settings hold connection
# strings whose names say nothing (EVENTHUB_CONNECTION, a connection_string block "Trips").
APP_SETTINGS_HOLDERS = frozenset(
    f"azurerm_{kind}{slot}"
    for kind in (
        "linux_function_app",
        "windows_function_app",
        "linux_web_app",
        "windows_web_app",
        "function_app",
        "app_service",
    )
    for slot in ("", "_slot")
)


# Serverless functions and services: their environment (a map at these paths, or Cloud Run's
# ``env`` name/value pairs) is judged by what its values hold, as app settings are
# (``DATABASE_URL=postgresql://u:PW@host/db``, probe36 #4).
ENV_HOLDERS: dict[str, tuple[str, ...]] = {
    "aws_lambda_function": ("environment.variables",),
    "google_cloudfunctions_function": ("environment_variables",),
    "google_cloudfunctions2_function": ("service_config.environment_variables",),
    "google_cloud_run_service": (),
    "google_cloud_run_v2_service": (),
    "google_cloud_run_v2_job": (),
}


def _embedded_in_settings(
    res: Resource, seen: set[tuple]
) -> list[tuple[tuple, str, str | None, Any]]:
    """The app settings, connection strings and serverless environment values whose literal
    text embeds a credential (a password in a URL or an ADO string, an Azure key), not
    already found by their names."""
    settings: list[tuple[tuple, str | None, Any]] = []
    for attr in ENV_HOLDERS.get(res.type, ("app_settings",)):
        for keypath, value in res.find(attr):
            if isinstance(value, dict):
                settings += [((*keypath, key), None, v) for key, v in value.items()]
    if res.type.startswith("google_cloud_run_"):
        settings += [
            (path, pair, value)
            for path, pair, value in name_value_pairs(res.values, ())
            if "env" in path
        ]
    for keypath, block in res.blocks("connection_string"):
        name = block.get("name")
        settings.append(
            ((*keypath, "value"), name if isinstance(name, str) else None, block.get("value"))
        )
    found: list[tuple[tuple, str, str | None, Any]] = []
    for path, pair, value in settings:
        text = partial_text(value)
        if text and "@" + PLACEHOLDER in text:  # a URL's host known at apply: still a URL
            text = text.replace("@" + PLACEHOLDER, "@host.known.at.apply")
        if path not in seen and text and embedded_credentials(text):
            found.append((path, _attribute(path, None), pair, value))
    return found


def _credentials_hit(
    model: TerraformModel, res: Resource, found: list[tuple[tuple, str, str | None, Any]]
) -> Hit:
    """The finding at the first credential, naming each (the pairs of one attribute together:
    ``container_definitions (DB_PASSWORD, CRM_API_KEY)``), with where each variable that
    supplied one got it."""
    named: dict[str, list[str]] = {}
    for _, head, pair, _ in found:
        pairs = named.setdefault(head, [])
        if pair and pair not in pairs:
            pairs.append(pair)
    attribute = ", ".join(f"{head} ({', '.join(p)})" if p else head for head, p in named.items())
    count = sum(len(p) or 1 for p in named.values())
    what = "literal values" if count > 1 else _vendor_key(found[0][3]) or "a literal value"
    hit = res.hit(found[0][0], attribute=attribute, what=what)
    for *_, value in found:
        origin = value_origin(model, res, value, any_variable=True, within=True)
        if origin and origin not in hit.related:
            hit = replace(hit, related=(*hit.related, origin))
    return hit


def _vendor_key(value: Any) -> str | None:
    """What ``value`` is when it is wholly a vendor's key in its published format
    (``a Stripe live secret key``), the test DH760 applies to a Python string."""
    return known_secret(value) if type(value) is str else None


def _names_a_secret(res: Resource, path: tuple) -> bool:
    keys = [p for p in path if isinstance(p, str)]
    if keys == [_NAMES_A_SECRET.get(res.type)] or not _REFERENCE_BLOCKS.isdisjoint(keys):
        return True
    return keys[-3:] == ["volumes", "secret", "secret"]


def _attribute(path: tuple, pair: str | None) -> str:
    """How the message names the setting: its key path, with the name of a name/value pair."""
    keys = ".".join(str(p) for p in path if isinstance(p, str))
    return f"{keys} ({pair})" if pair else keys


def with_variable_origin(hit: Hit, model: TerraformModel, res: Resource, value: Any) -> Hit:
    """Point also at where the variable that supplied the literal got it: its tfvars line, or
    its default."""
    related = value_origin(model, res, value, any_variable=True, within=True)
    return replace(hit, related=(*hit.related, related)) if related else hit


def providers(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    for provider in model.providers:
        for path, name, value in _walk(provider.values, ()):
            if (name in PROVIDER_KEYS or _vendor_key(value)) and _literal(value):
                # The provider's name is its type (``google``), with its alias if it has one.
                alias = provider.values.get("alias")
                shown = f"{provider.type}.{alias}" if isinstance(alias, str) else provider.type
                yield provider.hit(path, name=shown, attribute=name)
                break


def _decoded(text: str) -> str:
    compact = re.sub(r"\s+", "", text)
    if len(compact) >= 16 and re.fullmatch(r"[A-Za-z0-9+/]+={0,2}", compact):
        try:
            return base64.b64decode(compact, validate=True).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return text
    return text


def leak_in(text: str, within_lines: bool = False) -> str | None:
    for candidate in (text, _decoded(text)):
        for label, pattern in LEAKS_IN_LINE if within_lines else LEAKS:
            if label != "secret assignment":
                if pattern.search(candidate):
                    return label
            elif any(not NOT_SECRET.search(m[1].lower()) for m in pattern.finditer(candidate)):
                return label
    return None


def user_data(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    for res in model.of_type(*USER_DATA):
        for attr in USER_DATA[res.type]:
            hit = None
            for keypath, value in res.find(attr):
                text = partial_text(value) if not isinstance(value, str) else value
                # A template's branch not taken (%{ if var.debug }), or the text of an encoded
                # value (base64encode(templatefile(...))), is committed all the same; read
                # apart, so that a base64 value is still decoded whole.
                kind = leak_in(text or "") or leak_in(getattr(value, "untaken", ""), True)
                if kind:
                    hit = res.hit(keypath, attribute=attr, kind=kind)
                    break
            if hit:
                yield hit
                break
