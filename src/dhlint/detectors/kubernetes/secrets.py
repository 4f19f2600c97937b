"""Secrets in manifests: literal credentials in env, args, ConfigMaps, URLs and Secret objects."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import chain

from dhlint.analysis import Context
from dhlint.credentials import (
    embedded_credentials,
    is_credential_name,
    is_real_literal,
    known_secret,
    words,
)
from dhlint.credentials import literal_value as _literal
from dhlint.detectors.kubernetes._values import (
    Value,
    arg_values,
    configmap_values,
    embedded_settings,
    file_kind,
    helm_values,
    string_values,
)
from dhlint.models.kubernetes import GRAFANA, Container, K8sObject, KubernetesModel
from dhlint.types import Hit


def env_literal(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    """DH740: a credential-like env var with a literal ``value`` (any workload, init too), or
    one whose value is wholly a vendor's key in its published format (``known_secret``)."""
    extra = ctx.params.get("describing_words", ())
    for container, env in model.env_vars():
        if env.value is None:
            continue
        if not is_credential_name(env.name, extra) and not known_secret(env.value.text or ""):
            continue
        if not is_real_literal(env.value.text):
            continue
        obj = container.obj
        yield Hit(
            location=obj.location(env.value),
            args={
                "name": env.name,
                "container": container.name,
                "kind": obj.kind,
                "object": obj.name,
            },
            anchor=obj.anchor(f"{env.key_path}.value"),
            scope=(env.node.line, env.node.end_line),
        )


_FLAG = re.compile(r"""^(?P<dash>--?)(?P<name>[A-Za-z][\w.\-]*)(?:=(?P<value>.*))?$""")
# First words of boolean switches: the next argument is not their value.
_SWITCHES = frozenset(
    {
        "no",
        "skip",
        "disable",
        "enable",
        "use",
        "with",
        "without",
        "require",
        "allow",
        "prompt",
        "ask",
    }
)
_ASSIGN = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.+)$")


def _unquote(value: str, start: int) -> tuple[str, int]:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1], start + 1
    return value, start


# Short flags that take a password (or user:password) in common command-line tools.
_MYSQL_TOOLS = frozenset(("mysql", "mysqldump", "mysqladmin", "mariadb", "mariadb-dump"))
_USER_FLAGS = frozenset(("-u", "--user"))
_ATTACHED_P = re.compile(r"-p(?P<value>[^\s;&|]+)")
_SHORT_PASSWORD_FLAGS: dict[str, frozenset[str]] = {
    **dict.fromkeys(_MYSQL_TOOLS, frozenset({"-p"})),  # mysqldump -pSecret (attached)
    "sshpass": frozenset({"-p"}),  # sshpass -p Secret
    "redis-cli": frozenset({"-a"}),  # redis-cli -a Secret ping
    **dict.fromkeys(("curl", "wget"), _USER_FLAGS),  # curl -u user:Secret, --user=user:Secret
}


# Long flags that set a password though their names hold no credential word: Redis takes any
# redis.conf directive as a flag (redis-server --requirepass Secret --masterauth Secret).
_PASSWORD_FLAGS = frozenset(("requirepass", "masterauth"))
_SHELL_SEPARATORS = frozenset((";", "&&", "||", "|", "&"))


def _password_of(credentials: str, start: int) -> tuple[str, int]:
    """The password of ``user:password`` and where it starts; "" when there is none."""
    user, colon, password = credentials.partition(":")
    return (password, start + len(user) + 1) if colon else ("", start)


def args_literal(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    """DH741: ``--password=x``, ``--token x``, ``PASSWORD=x sh ...`` in command or args."""
    for container in model.containers():
        pending: str | None = None  # a credential flag waiting for its value (next token)
        # The command the tokens belong to (for its short flags): the image's, until a
        # command names another (sh -c "mysqldump ...").
        image = container.image.text if container.image is not None else ""
        first = (image or "").rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0]
        program, ended = first, False
        for value in arg_values(container):
            for token in re.finditer(r"\S+", value.text):
                text, start = token.group(), token.start()
                if ended:  # `redis-cli -a pw ping; tar -a x`: -a was the last command's
                    program = first
                ended = text in _SHELL_SEPARATORS or text.endswith(";")
                if pending is not None:
                    flag_name, pending = pending, None
                    raw, raw_start = _unquote(text, start)
                    if flag_name in _USER_FLAGS:  # curl -u user:password
                        raw, raw_start = _password_of(raw, raw_start)
                    if _literal(raw):
                        yield _arg_hit(model, container, value, flag_name, raw_start, len(raw))
                    continue
                name = text.strip("\"'").rsplit("/", 1)[-1]
                if name in _SHORT_PASSWORD_FLAGS:
                    program = name
                    continue
                short = _SHORT_PASSWORD_FLAGS.get(program, {})
                if program in _MYSQL_TOOLS and (attached := _ATTACHED_P.match(text)):
                    # mysqldump -pSecret
                    raw, raw_start = _unquote(attached["value"], start + 2)
                    if _literal(raw):
                        yield _arg_hit(model, container, value, "-p", raw_start, len(raw))
                    continue
                flag_text, equals, given = text.partition("=")
                if flag_text in short and program not in _MYSQL_TOOLS:
                    if not equals:
                        pending = flag_text  # sshpass -p pw, curl -u user:pw: the next token
                        continue
                    raw, raw_start = _unquote(given, start + len(flag_text) + 1)
                    if flag_text in _USER_FLAGS:  # curl --user=user:password
                        raw, raw_start = _password_of(raw, raw_start)
                    if _literal(raw):
                        yield _arg_hit(model, container, value, flag_text, raw_start, len(raw))
                    continue
                flag = _FLAG.match(text) or _ASSIGN.match(text)
                if flag is None:
                    continue
                redis = flag.re is _FLAG and flag["name"].lower() in _PASSWORD_FLAGS
                if not redis and not is_credential_name(flag["name"]):
                    continue
                if flag["value"] is None:
                    if words(flag["name"])[0] not in _SWITCHES:
                        pending = flag["name"]  # --no-password, --prompt-token take no value
                    continue
                raw, raw_start = _unquote(flag["value"], start + flag.start("value"))
                if _literal(raw):
                    yield _arg_hit(model, container, value, flag["name"], raw_start, len(raw))


def _arg_hit(
    model: KubernetesModel, container: Container, value: Value, flag: str, start: int, size: int
) -> Hit:
    obj = value.obj
    return Hit(
        location=value.location(model, start, start + size),
        args={
            "flag": flag,
            "field": value.key_path.rsplit(".", 1)[1].split("[")[0],
            "container": container.name,
            "kind": obj.kind,
            "object": obj.name,
        },
        anchor=obj.anchor(f"{container.key_path}.args[{flag}]"),
        scope=value.scope,
    )


def configmap_keys(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    """DH742: a credential-like ConfigMap key, or such a line inside a config file it holds;
    the same in a Helm chart's values files (but the names of a Secret or of its keys). A
    value (or a line's value) that is wholly a vendor's key in its published format
    (``known_secret``) counts whatever its key."""
    extra = ctx.params.get("describing_words", ())
    for value in chain(configmap_values(model), helm_values(model)):
        obj = value.obj
        args = {"object": obj.name, "key": value.key, "holder": _holder(obj)}
        if value.origin == "helm" and _names_a_secret(value.key):
            continue
        if obj.kind == GRAFANA and _GRAFANA_EXPANSION.fullmatch(value.text.strip()):
            continue  # read from the environment, a file or Vault when Grafana starts
        named = is_credential_name(value.key, extra)
        if (named and "\n" not in value.text.strip()) or known_secret(value.text.strip()):
            if is_real_literal(value.text):
                yield Hit(
                    obj.location(value.node),
                    args=args,
                    anchor=obj.anchor(value.key_path),
                    scope=value.scope,
                )
            continue
        for key, literal, start, end in embedded_settings(value.text):
            if (is_credential_name(key, extra) or known_secret(literal)) and _literal(literal):
                location = value.location(model, start, end)
                yield Hit(
                    location,
                    args={**args, "key": f"{value.key}: {key}"},
                    anchor=obj.anchor(f"{value.key_path}[{key}]"),
                    scope=(location.start_line, location.end_line),
                )


def _holder(obj: K8sObject) -> str:
    if obj.kind == "HelmValues":
        return f"Helm values file '{obj.name}' of chart '{obj.namespace}'"
    if obj.kind == GRAFANA:
        return f"{file_kind(obj)} '{obj.name}'"
    return f"{obj.kind} '{obj.name}'"


# Grafana's expansion of a provisioning value when it starts: an environment variable ($VAR,
# ${VAR}) or its $__env{}, $__file{} and $__vault{} providers. Not a literal. (No "$" inside
# the braces: searched from every "$" of a run of "${", "[^}]*" rescanned the rest each time.)
_GRAFANA_EXPANSION = re.compile(
    r"\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[^}$]*\}|__(?:env|file|vault)\{[^}$]*\})"
)


# Words after which a credential term in a Helm value's name makes it the name of a Secret
# kept in the cluster (tls.certificatesSecret, auth.passwordSecret), not a credential.
_SECRET_HOLDING = frozenset(
    {"certificates", "certificate", "cert", "certs", "tls", "ca", "password", "passwords"}
    | {"credentials"}
)
_KEY_OF = frozenset(("password", "passwords", "passwd", "pwd", "token", "tokens", "credentials"))


def _names_a_secret(name: str) -> bool:
    """A Helm value that names a Secret kept in the cluster or one of its keys, as charts
    call them: ``existingSecret`` (and ``existingSecretPasswordKey``...),
    ``auth.secretKeys.adminPasswordKey: postgres-password``, ``passwordSecretKey``,
    ``tls.certificatesSecret``, ``auth.passwordSecret``; not ``secretKey`` (MinIO's key)."""
    parts = words(name)
    if not parts:
        return False
    if parts[0] == "existing":
        return True
    if parts[-1] in ("key", "keys"):  # adminPasswordKey, passwordSecretKey: a key's name
        before = parts[-3:-1] if parts[-2:-1] == ["secret"] else parts[-2:-1]
        if before and before[0] in _KEY_OF:
            return True
    return len(parts) > 1 and parts[-1] in ("secret", "secrets") and parts[-2] in _SECRET_HOLDING


def url_password(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    """DH743: ``scheme://user:password@host``, ``...;Password=x;`` or an Azure connection
    string's ``AccountKey=x``/``SharedAccessKey=x`` in any configured string
    (``dhlint.credentials.embedded_credentials``)."""
    for value in chain(string_values(model), helm_values(model)):
        helm = value.origin == "helm"
        for start, end, host, what in embedded_credentials(value.text):
            location = value.location(model, start, end)
            yield Hit(
                location,
                args={
                    "secret": what,
                    "host": host,
                    "where": value.key_path
                    if helm
                    else value.key or value.key_path.rsplit(".", 1)[-1],
                    "kind": file_kind(value.obj) if helm else value.obj.kind,
                    "object": value.obj.name,
                },
                anchor=value.obj.anchor(f"{value.key_path}@{host}"),
                scope=value.scope,
            )


def secret_objects(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    """DH744: a ``Secret`` committed with literal ``data`` or ``stringData``, or made by a
    kustomize ``secretGenerator`` from ``literals`` (said so: the vendor wrote no Secret)."""
    skip_types = set(ctx.params.get("skip_types", ()))
    kustomizations = {(o.path, o.document) for o in model.of_kind("Kustomization", "Component")}
    for obj in model.of_kind("Secret"):
        if obj.node.str_at("type") in skip_types:
            continue
        for field_name in ("data", "stringData"):
            entry = obj.node.entry(field_name)
            if entry is None or not entry[1].is_map:
                continue
            keys = [k.text for k, v in entry[1].pairs() if is_real_literal(v.text)]
            if not keys:
                continue
            if (obj.path, obj.document) in kustomizations:  # made by a secretGenerator
                what = {"subject": f"secretGenerator '{obj.name}'", "how": "plain-text literals"}
                why = ""
            else:
                what = {"subject": f"Secret '{obj.name}'", "how": f"literal {field_name}"}
                # data is base64, which reads as hidden; stringData is plain text already.
                why = "; base64 is not encryption" if field_name == "data" else ""
            yield Hit(
                obj.location(entry[0]),
                args={**what, "why": why, "object": obj.name, "keys": ", ".join(keys)},
                anchor=obj.anchor(field_name),
                scope=(entry[0].line, entry[1].end_line),
            )
