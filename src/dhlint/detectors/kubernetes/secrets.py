"""Secrets in manifests: literal credentials in env, args, ConfigMaps, URLs and Secret objects."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote

from dhlint.analysis import Context
from dhlint.detectors.kubernetes._credentials import is_credential_name, is_real_literal, words
from dhlint.detectors.kubernetes._hosts import find_urls
from dhlint.detectors.kubernetes._values import (
    Value,
    arg_values,
    configmap_values,
    embedded_settings,
    string_values,
)
from dhlint.models.kubernetes import Container, KubernetesModel
from dhlint.types import Hit


def env_literal(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    """DH740: a credential-like env var with a literal ``value`` (any workload, init too)."""
    extra = ctx.params.get("describing_words", ())
    for container, env in model.env_vars():
        if env.value is None or not is_credential_name(env.name, extra):
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


def _literal(value: str) -> bool:
    return is_real_literal(value) and not value.startswith(("$", "-"))


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
    """DH742: a credential-like ConfigMap key, or such a line inside a config file it holds."""
    extra = ctx.params.get("describing_words", ())
    for value in configmap_values(model):
        obj = value.obj
        args = {"object": obj.name, "key": value.key}
        if is_credential_name(value.key, extra) and "\n" not in value.text.strip():
            if is_real_literal(value.text):
                yield Hit(
                    obj.location(value.node),
                    args=args,
                    anchor=obj.anchor(value.key_path),
                    scope=value.scope,
                )
            continue
        for key, literal, start, end in embedded_settings(value.text):
            if is_credential_name(key, extra) and _literal(literal):
                location = value.location(model, start, end)
                yield Hit(
                    location,
                    args={**args, "key": f"{value.key}: {key}"},
                    anchor=obj.anchor(f"{value.key_path}[{key}]"),
                    scope=(location.start_line, location.end_line),
                )


_ADO_PASSWORD = re.compile(r"(?i)(?:^|;)\s*(?:password|pwd)\s*=\s*(?P<value>[^;]+)")
# A password in a URL's query: jdbc:postgresql://db/x?user=u&password=p, mysql://h/x?pwd=p
_URL_REST = re.compile(r"[^\s\"'<>]*")
_QUERY_PASSWORD = re.compile(r"(?i)[?&](?:password|passwd|pwd)=(?P<value>[^&#\s\"'<>]+)")


def url_password(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    """DH743: ``scheme://user:password@host``, ``...;Password=x;`` or an Azure connection
    string's ``AccountKey=x``/``SharedAccessKey=x`` in any configured string."""
    for value in string_values(model):
        found: list[tuple[int, int, str, str]] = []  # start, end, host, what it embeds
        for url in find_urls(value.text):
            if url.password and _literal(url.password):
                start = url.password_start
                found.append((start, start + len(url.password), url.host, "a password"))
            rest = _URL_REST.match(value.text, url.end)  # the path and query after the host
            for match in _QUERY_PASSWORD.finditer(value.text, url.host_end, rest.end()):
                literal = unquote(match["value"])
                if _literal(literal):
                    where = (match.start("value"), match.end("value"), url.host, "a password")
                    found.append(where)
        if ";" in value.text:
            for match in _ADO_PASSWORD.finditer(value.text):
                literal = match["value"].strip()
                if _literal(literal):
                    start = match.start("value")
                    host = _ado_host(value.text)
                    found.append((start, start + len(literal), host, "a password"))
            for match in _AZURE_KEY.finditer(value.text):
                literal = match["value"].strip()
                if _literal(literal) and literal != _AZURITE_KEY:
                    start = match.start("value")
                    what = _AZURE_KEY_KINDS[match["name"].lower()]
                    found.append((start, start + len(literal), _azure_host(value.text), what))
        if "LoginModule" in value.text:  # Kafka's sasl.jaas.config: ... password="..."
            for match in _JAAS_PASSWORD.finditer(value.text):
                if _literal(match["value"]):
                    host = _jaas_host(value.text)
                    found.append((match.start("value"), match.end("value"), host, "a password"))
        for start, end, host, what in found:
            location = value.location(model, start, end)
            yield Hit(
                location,
                args={
                    "secret": what,
                    "host": host,
                    "where": value.key or value.key_path.rsplit(".", 1)[-1],
                    "kind": value.obj.kind,
                    "object": value.obj.name,
                },
                anchor=value.obj.anchor(f"{value.key_path}@{host}"),
                scope=value.scope,
            )


# A JAAS login module's options (Kafka clients' sasl.jaas.config): ... required username="x"
# password="y";
_JAAS_PASSWORD = re.compile(r'(?i)LoginModule\b[^;]*?\bpassword\s*=\s*"(?P<value>[^"]*)"')


def _jaas_host(text: str) -> str:
    """The brokers the JAAS options log in to: the text's ``bootstrap.servers``, if any."""
    match = re.search(r"(?i)bootstrap[._-]servers\s*[=:]\s*([^\s,;]+)", text)
    return match.group(1).strip() if match else "the Kafka brokers"


# An Azure connection string's key: a storage account's AccountKey, a Service Bus or Event Hubs
# SharedAccessKey (not SharedAccessKeyName, the key's name), a SharedAccessSignature token.
_AZURE_KEY = re.compile(
    r"(?im)(?:^|;)\s*(?P<name>accountkey|sharedaccesskey|sharedaccesssignature)\s*=\s*"
    r"(?P<value>[^;\s]+)"
)
_AZURE_KEY_KINDS = {
    "accountkey": "an account key",
    "sharedaccesskey": "a shared access key",
    "sharedaccesssignature": "a shared access signature",
}
# The storage emulator's (Azurite's) key, the same published value everywhere: no secret.
_AZURITE_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)


def _azure_host(text: str) -> str:
    """What an Azure connection string connects to: its ``Endpoint`` (Service Bus, Event Hubs)
    or ``BlobEndpoint``..., else its storage account's name."""
    match = re.search(r"(?i)\b[a-z]*endpoint\s*=\s*(?:[a-z]+://)?([^;/\s]+)", text)
    if match:
        return match.group(1).strip()
    match = re.search(r"(?i)\baccountname\s*=\s*([^;\s]+)", text)
    return match.group(1).strip() if match else "?"


def _ado_host(text: str) -> str:
    match = re.search(r"(?i)(?:^|;)\s*(?:server|host|data source|address)\s*=\s*([^;,]+)", text)
    return match.group(1).strip() if match else "?"


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
