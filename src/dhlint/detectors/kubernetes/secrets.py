"""Secrets in manifests: literal credentials in env, args, ConfigMaps, URLs and Secret objects."""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.detectors.kubernetes._credentials import is_credential_name, is_real_literal
from dhlint.models.kubernetes import KubernetesModel
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
