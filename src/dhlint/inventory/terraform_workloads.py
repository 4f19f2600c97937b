"""Workloads that Terraform deploys, as inventory facts of a manifest workload's shape (see
``dhlint.inventory.facts``): the environment variables a compute resource sets and the Python
scripts it runs, so that every cross-language rule sees them beside the manifests'.

- ``aws_lambda_function``: ``environment { variables = {...} }``; the handler names the module
  (``push.handler`` runs ``push.py``, ``pkg.mod.fn`` runs ``pkg/mod.py``; for an image, the
  first word of ``image_config.command``); a runtime that is not Python runs no script;
- ``aws_ecs_task_definition``: ``container_definitions`` (``jsonencode([...])`` or a JSON
  string or heredoc): per container, ``environment`` name/value pairs (as DH701 reads them;
  a value not known keeps its address from jsonencode's document, or from a JSON string's or
  heredoc's unknown parts, one value holding one of them),
  ``entryPoint`` and ``command``;
- Cloud Run (``google_cloud_run_v2_service``, ``google_cloud_run_v2_job``, v1
  ``google_cloud_run_service``) and the Terraform kubernetes provider (deployments, jobs, cron
  jobs, pods...): containers' ``env { name value }``, ``command`` and ``args``;
- ``google_cloudfunctions_function`` / ``google_cloudfunctions2_function``:
  ``environment_variables``; a Python function runs ``main.py`` (its ``entry_point`` is a
  function there);
- Azure function and web apps: ``app_settings`` (a web app's ``app_command_line`` may name a
  script);
- ``aws_glue_job``: ``default_arguments`` (``--NAME``, read by the script's
  ``getResolvedOptions``) as its environment; ``command.script_location`` names the script.

Values are the evaluator's (variables, locals, each ``for_each`` instance); a value not known
before apply sets nothing, and an undecided conditional (or template ``%{ if }``) sets each of
its strings. A setting's location is where it is written (inside a ``jsonencode`` or a JSON
heredoc too).
"""

from __future__ import annotations

import itertools
import json
import posixpath
import re
from typing import Any

from dhlint.detectors.terraform.secrets import name_value_pairs
from dhlint.models.terraform import (
    JSON_MEMBERS,
    TEXT_START,
    Resource,
    TerraformModel,
    _base_address,
)
from dhlint.models.terraform_eval import (
    PLACEHOLDER,
    Encoded,
    Interpolated,
    Unknown,
    options,
    partial_text,
)

BUCKET_TYPES = ("aws_s3_bucket", "google_storage_bucket")

# Where each resource type keeps its containers (blocks with ``env``, ``command``, ``args``).
_POD = "spec.template.spec"
CONTAINER_PATHS: dict[str, tuple[str, ...]] = {
    "google_cloud_run_v2_service": ("template.containers",),
    "google_cloud_run_v2_job": ("template.template.containers",),
    "google_cloud_run_service": ("template.spec.containers",),
    **{
        kind + version: (f"{pod}.container", f"{pod}.init_container")
        for kind, pod in (
            ("kubernetes_deployment", _POD),
            ("kubernetes_stateful_set", _POD),
            ("kubernetes_daemonset", _POD),
            ("kubernetes_daemon_set", _POD),
            ("kubernetes_replication_controller", _POD),
            ("kubernetes_job", _POD),
            ("kubernetes_cron_job", f"spec.job_template.{_POD}"),
            ("kubernetes_pod", "spec"),
        )
        for version in ("", "_v1")
    },
}
# type -> (path of the settings map, path of the runtime, path of the entry point)
FUNCTIONS: dict[str, tuple[str, str, str]] = {
    "google_cloudfunctions_function": ("environment_variables", "runtime", "entry_point"),
    "google_cloudfunctions2_function": (
        "service_config.environment_variables",
        "build_config.runtime",
        "build_config.entry_point",
    ),
}
APP_SETTINGS = (
    "azurerm_linux_function_app",
    "azurerm_windows_function_app",
    "azurerm_function_app",
    "azurerm_linux_web_app",
    "azurerm_windows_web_app",
    "azurerm_app_service",
)
TYPES = frozenset(
    ("aws_lambda_function", "aws_ecs_task_definition", "aws_glue_job", *CONTAINER_PATHS,
     *FUNCTIONS, *APP_SETTINGS)
)  # fmt: skip


def workloads(model: TerraformModel) -> list[dict]:
    """The model's compute resources that set environment variables or run a script."""
    out = []
    for res in model.resources:
        if res.type not in TYPES:
            continue
        containers = [
            c
            for c in _containers(res, model)
            if c["env"] or c["buckets"] or c["stores"] or c["scripts"]
        ]
        if not containers:
            continue
        labels = {k: v for k, v in res.tags.items() if isinstance(v, str)}
        namespace = ""
        if res.type.startswith("kubernetes_"):
            labels.update(_strings(res.get("metadata.labels")))
            found = res.get("metadata.namespace")
            namespace = found if isinstance(found, str) and found else "default"
        out.append(
            {
                "ref": res.address,
                "directory": model.directory,
                "kind": res.type,
                "name": res.name,
                "namespace": namespace,
                "path": res.path,
                "loc": _loc(res, None),
                "scope": list(res.scope),
                "labels": dict(sorted(labels.items())),
                "containers": containers,
            }
        )
    return out


def _containers(res: Resource, model: TerraformModel) -> list[dict]:
    if res.type == "aws_lambda_function":
        return [_lambda(res, _package_dir(res, model))]
    if res.type == "aws_ecs_task_definition":
        return _ecs(res)
    if res.type in CONTAINER_PATHS:
        return [
            _block_container(res, keypath, block)
            for path in CONTAINER_PATHS[res.type]
            for keypath, block in res.blocks(path)
        ]
    if res.type in FUNCTIONS:
        return [_function(res)]
    if res.type == "aws_glue_job":
        return [_glue_job(res)]
    return [_app(res)]


def _container(res: Resource, name: Any, where: tuple | None, **fields: Any) -> dict:
    loc = _loc(res, where)
    settings = fields.pop("env", [])
    return {
        "name": name if isinstance(name, str) and name else res.name,
        "image": None,
        "loc": loc,
        "scope": [loc[1], loc[3]],
        "command": [],
        "args": [],
        "scripts": [],
        "env": [e for e in settings if "bucket" not in e and "store" not in e],
        # variables set to a bucket whose name is not known (see ``_settings``)
        "buckets": [e for e in settings if "bucket" in e],
        # variables set to an SNS topic's ARN or a storage account's endpoint, known only at
        # apply (see ``_settings``)
        "stores": [e for e in settings if "store" in e],
        **fields,
    }


def _package_dir(res: Resource, model: TerraformModel) -> str | None:
    """The directory a Lambda's package is built from: the ``source_dir`` (or the directory of
    the ``source_file``) of the ``archive_file`` its ``filename`` or ``source_code_hash`` names,
    relative to the repository (an archive's instance for a Lambda's instance,
    ``data.archive_file.fn[each.key]``); None when not known."""
    archives = {d.address: d for d in model.data_sources if d.type == "archive_file"}
    for key in ("filename", "source_code_hash"):
        value = res.get(key)
        refs = value.refs if isinstance(value, Unknown) else ()
        if isinstance(value, str):  # output_path is known: the archive that writes it
            refs = tuple(a for a, d in archives.items() if d.get("output_path") == value)
        for address in refs:
            archive = archives.get(address)
            if archive is None:
                continue
            source = archive.get("source_dir")
            if not isinstance(source, str):
                file = archive.get("source_file")
                source = posixpath.dirname(file) if isinstance(file, str) else None
            if isinstance(source, str) and source and not posixpath.isabs(source):
                if not (source + "/").startswith((model.directory or ".") + "/"):
                    source = posixpath.join(model.directory, source)  # relative to the root
                return posixpath.normpath(source)
    return None


def _lambda(res: Resource, package: str | None = None) -> dict:
    from dhlint.inventory.facts import scripts_of

    runtime = res.get("runtime")
    handler_path: tuple | None = ("handler",)
    handler = res.get("handler")
    if not isinstance(handler, str):
        found = res.find("image_config.command")
        handler_path, command = found[0] if found else (None, None)
        handler = command[0] if isinstance(command, list) and command else None
        handler_path = (*handler_path, 0) if handler_path else None
    python = not isinstance(runtime, str) or runtime.startswith("python")
    scripts = []
    if python and isinstance(handler, str) and "." in handler:
        # module.function, the module dotted (pkg.mod) or a path (src/push)
        module = handler.rsplit(".", 1)[0].replace(".", "/") + ".py"
        # in its package's directory when known: app.py of functions/a, not every app.py
        scripts = scripts_of([posixpath.join(package, module) if package else module])
    image = res.get("image_uri")
    return _container(
        res,
        res.get("function_name"),
        handler_path if scripts else None,
        image=image if isinstance(image, str) else None,
        scripts=scripts,
        placed=package is not None,
        env=_map_env(res, "environment.variables"),
        python=python,
    )


def _function(res: Resource) -> dict:
    settings, runtime_path, entry_path = FUNCTIONS[res.type]
    runtime = res.get(runtime_path)
    python = isinstance(runtime, str) and runtime.startswith("python")
    entry = res.find(entry_path) or res.find(runtime_path)
    return _container(
        res,
        res.get("name"),
        entry[0][0] if entry and python else None,
        scripts=["main.py"] if python else [],
        placed=False,  # its source (a bucket object, a repository) is not traced
        env=_map_env(res, settings),
        python=python or not isinstance(runtime, str),
    )


def _glue_job(res: Resource) -> dict:
    """An AWS Glue job: ``command.script_location`` names its script (an S3 object: the
    file of that name, when the run has one), and ``default_arguments`` (``--NAME``) are what
    its ``getResolvedOptions(sys.argv, [...])`` reads, as a Lambda's environment is."""
    found = res.find("command.script_location")
    location = found[0][1] if found and isinstance(found[0][1], str) else ""
    script = posixpath.basename(location)
    python = script.endswith(".py")
    env = _map_env(res, "default_arguments")
    for entry in env:
        entry["name"] = entry["name"].removeprefix("--")
    return _container(
        res,
        res.get("name"),
        found[0][0] if python else None,
        scripts=[script] if python else [],
        placed=False,  # the S3 object's source is not traced
        env=[e for e in env if e["name"]],
        python=python,
    )


def _app(res: Resource) -> dict:
    from dhlint.inventory.facts import scripts_of

    found = res.find("site_config.app_command_line")
    lines = [v for _, v in found if isinstance(v, str)]
    scripts = scripts_of(lines)
    return _container(
        res,
        res.get("name"),
        found[0][0] if scripts else None,
        command=lines,
        scripts=scripts,
        env=_map_env(res, "app_settings"),
    )


def _block_container(res: Resource, keypath: tuple, block: dict) -> dict:
    from dhlint.inventory.facts import scripts_of

    command, args = _strings_list(block.get("command")), _strings_list(block.get("args"))
    name = block.get("name")
    label = name if isinstance(name, str) and name else str(keypath[-1])
    prefix = ".".join(str(k) for k in keypath if isinstance(k, str))
    env = []
    for path, var, value in name_value_pairs(block.get("env"), (*keypath, "env")):
        anchor = f"{res.address}:{prefix}[{label}].env[{var}]"
        env += _settings(res, var, value, _loc(res, path), anchor)
    image = block.get("image")
    return _container(
        res,
        name,
        keypath,
        image=image if isinstance(image, str) else None,
        command=command,
        args=args,
        scripts=scripts_of(command + args),
        env=env,
    )


def _ecs(res: Resource) -> list[dict]:
    from dhlint.inventory.facts import scripts_of

    out: list[dict] = []
    for value in options(res.values.get("container_definitions")):
        text = partial_text(value)
        if not text:
            continue
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):
            continue
        # jsonencode's own document: its unknown leaves keep their addresses (a bucket's); a
        # JSON string's or heredoc's: the same text with its n-th ${?} numbered, whose n-th
        # unknown part keeps it
        encoded = value.document if isinstance(value, Encoded) else None
        pieces = value.pieces if isinstance(value, Interpolated) else ()
        numbered = _numbered(text, pieces)
        if isinstance(document, dict):  # a single definition
            document, encoded, numbered = [document], [encoded], [numbered]
        if not isinstance(document, list):
            continue
        seen: dict[str, int] = {}  # how often a needle was met in the heredoc, in order
        for index, container in enumerate(document):
            if not isinstance(container, dict):
                continue
            command = _strings_list(container.get("entryPoint")) + _strings_list(
                container.get("command")
            )
            members = ("container_definitions", JSON_MEMBERS, index)
            key = next((k for k in ("command", "entryPoint") if k in container), None)
            where = _json_loc(res, text, (*members, key) if key else members, key, seen)
            for other in ("command", "entryPoint"):
                if other != key and other in container:  # met in the text too
                    seen[json.dumps(other)] = seen.get(json.dumps(other), 0) + 1
            name = container.get("name")
            label = name if isinstance(name, str) and name else str(index)
            env = []
            entries = container.get("environment")
            for position, entry in enumerate(entries if isinstance(entries, list) else ()):
                leaf = _encoded_value(encoded, index, position)
                if numbered is not None:
                    leaf = _piece_of(_encoded_value(numbered, index, position), pieces)
                for _, var, setting in name_value_pairs(entry, (), inside=True):
                    if isinstance(leaf, Unknown) and PLACEHOLDER in str(setting):
                        setting = leaf  # ${?} in the text: the unknown value itself
                    loc = _json_loc(
                        res, text, (*members, "environment", position, "value"), var, seen
                    )
                    anchor = f"{res.address}:container_definitions[{label}].environment[{var}]"
                    env += _settings(res, var, setting, loc, anchor)
            image = container.get("image")
            out.append(
                _container(
                    res,
                    name,
                    None,
                    loc=where,
                    scope=[where[1], where[3]],
                    image=image if isinstance(image, str) and PLACEHOLDER not in image else None,
                    command=command,
                    scripts=scripts_of(command),
                    env=env,
                )
            )
    return out


_PLACEHOLDER = re.compile(re.escape(PLACEHOLDER))
_NUMBERED = re.compile(r"\$\{\?(\d+)\}")


def _numbered(text: str, pieces: tuple) -> Any:
    """A JSON string's or heredoc's document again, with its n-th ``${?}`` written ``${?n}``
    (None when the text's unknown parts are not its template's ``pieces``, one for one)."""
    if not pieces or text.count(PLACEHOLDER) != len(pieces):
        return None
    count = itertools.count()
    try:
        return json.loads(_PLACEHOLDER.sub(lambda _: f"${{?{next(count)}}}", text))
    except (ValueError, RecursionError):
        return None


def _piece_of(numbered: Any, pieces: tuple) -> Any:
    """An environment value of a JSON string or heredoc as the unknown value it holds: one
    unknown part (``${?n}``) in text, such as ``s3://${aws_s3_bucket.x.id}/out``, keeps that
    part's addresses, and its text shows that part's own (a bucket's id: ``${?}``, its arn:
    none). Anything else is None (the text setting stands)."""
    found = _NUMBERED.findall(numbered) if isinstance(numbered, str) else []
    if len(found) != 1:
        return None
    piece = pieces[int(found[0])]
    if not isinstance(piece, Unknown) or piece.partial is None:
        return None
    return Unknown(piece.refs, _NUMBERED.sub(lambda _: piece.partial, numbered))


def _encoded_value(encoded: Any, index: int, position: int) -> Any:
    """The ``value`` of a container's ``environment[position]`` in jsonencode's document (None
    when it is not there: a JSON string or heredoc)."""
    container = encoded[index] if isinstance(encoded, list) and index < len(encoded) else None
    entries = container.get("environment") if isinstance(container, dict) else None
    entry = entries[position] if isinstance(entries, list) and position < len(entries) else None
    return entry.get("value") if isinstance(entry, dict) else None


def _json_loc(res: Resource, text: str, path: tuple, needle: str | None, seen: dict) -> list:
    """Where a member of a container definition is written: at its key path in a
    ``jsonencode(...)``, on the line of ``needle`` (a quoted key or name, the n-th time it is
    met in document order) in a JSON heredoc, else at the ``container_definitions`` attribute."""
    start = res.locations.get(("container_definitions", TEXT_START))
    if start is None or needle is None:
        return _loc(res, path)
    token = json.dumps(needle)
    count = seen[token] = seen.get(token, 0) + 1
    at = -1
    for _ in range(count):
        at = text.find(token, at + 1)
        if at < 0:
            return _loc(res, ("container_definitions",))
    line = start.start_line + text.count("\n", 0, at)
    col = at - text.rfind("\n", 0, at)
    return [res.path, line, col, line, col + len(token)]


def _map_env(res: Resource, path: str) -> list[dict]:
    """The settings of a map attribute (``variables = { NAME = "value" }``)."""
    env = []
    for keypath, mapping in res.find(path):
        if not isinstance(mapping, dict):
            continue  # unknown before apply
        dotted = ".".join(str(k) for k in keypath if isinstance(k, str))
        for var, value in mapping.items():
            where = _loc(res, (*keypath, var))
            env += _settings(res, str(var), value, where, f"{res.address}:{dotted}.{var}")
    return env


def _settings(res: Resource, name: str, value: Any, loc: list, anchor: str) -> list[dict]:
    """One env entry per known string the variable may hold (a JSON document keeps the unknown
    parts of its strings as ``${?}``: such a value is not known). A variable set to a bucket
    whose name is not known before apply (``aws_s3_bucket.x.id`` of a bucket with a
    ``bucket_prefix`` or no name, ``"s3://${...id}/out"``) gives an entry with ``bucket``, its
    address, and no value: the cross rules join it to that store by address. So does a
    variable set to an SNS topic's ARN (``aws_sns_topic.alerts.arn``, never known before
    apply) or to an Azure storage account's endpoint or connection string
    (``azurerm_storage_account.lake.primary_blob_endpoint``), with ``store``."""
    from dhlint.inventory.facts import env_hosts

    bucket = _bucket_of(value)
    if bucket is not None:
        return [{"name": name, "bucket": bucket, "loc": loc, "anchor": anchor}]
    store = _store_of(value)
    if store is not None:
        return [{"name": name, "store": store, "loc": loc, "anchor": anchor}]
    out = []
    known = (v for v in options(value) if isinstance(v, str) and PLACEHOLDER not in v)
    for option in dict.fromkeys(known):
        out.append(
            {
                "name": name,
                "value": option,
                "hosts": env_hosts(option),
                "loc": loc,
                "anchor": anchor,
                "source": "terraform",
            }
        )
    return out


# An unknown value that is a bucket reference, alone or as a URI's bucket: ${?}, s3://${?}/x.
_BUCKET_TEXT = re.compile(r"(?:(?:s3|gs)://)?\$\{\?\}(?:/[^$]*)?")


def _bucket_of(value: Any) -> str | None:
    """The address of the one bucket an unknown value names (see ``_settings``), or None."""
    if not isinstance(value, Unknown) or len(value.refs) != 1:
        return None
    # The bucket's name (its id, a URL or path made of it), not any attribute of it (arn).
    if value.partial is None or not _BUCKET_TEXT.fullmatch(value.partial):
        return None
    (address,) = value.refs
    parts = _base_address(address).split(".")
    return address if len(parts) >= 2 and parts[-2] in BUCKET_TYPES else None


# Stores whose attributes a variable may be set to whole, known only at apply: an SNS topic's
# ``arn`` (or ``id``, the ARN too), a storage account's ``primary_blob_endpoint`` or
# ``primary_connection_string``. Which attribute it is, the code that reads the variable says
# (a TopicArn, an account_url or conn_str); the cross rules join it by the address.
STORE_REFERENCE_TYPES = ("aws_sns_topic", "azurerm_storage_account", "aws_sqs_queue")


def _store_of(value: Any) -> str | None:
    """The address of the one store of ``STORE_REFERENCE_TYPES`` an unknown value is an
    attribute of, whole (not inside other text), or None."""
    if not isinstance(value, Unknown) or len(value.refs) != 1:
        return None
    if value.partial is not None and value.partial != PLACEHOLDER:
        return None  # text around it: a URL or a message, not the attribute alone
    (address,) = value.refs
    parts = _base_address(address).split(".")
    return address if len(parts) >= 2 and parts[-2] in STORE_REFERENCE_TYPES else None


def _loc(res: Resource, keypath: tuple | None) -> list:
    where = res.loc(keypath)
    return [where.path, where.start_line, where.start_col, where.end_line, where.end_col]


def _strings(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}


def _strings_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []
