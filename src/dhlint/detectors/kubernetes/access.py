"""Services configured to admit clients without credentials: an MQTT broker whose
configuration file, kept in a ConfigMap or a Helm chart's values, says ``allow_anonymous true``
(DH441)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import chain

from dhlint.analysis import Context
from dhlint.detectors.kubernetes._classes import holds_personal
from dhlint.detectors.kubernetes._values import (
    configmap_values,
    file_kind,
    helm_values,
    in_comment,
)
from dhlint.models.kubernetes import KubernetesModel
from dhlint.types import Hit

# Mosquitto's per-listener mode, and a listener line (``listener 1883 127.0.0.1``).
_PER_LISTENER = re.compile(r"(?m)^[ \t]*per_listener_settings[ \t]+true\b")
_LISTENER = re.compile(r"(?m)^[ \t]*listener[ \t]+(\d+)(?:[ \t]+(\S+))?")


def anonymous_broker(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    """DH441: a line of ``params.patterns`` (Mosquitto's ``allow_anonymous true``) in a
    ConfigMap's or a chart's values' text, for objects that may hold personal data; a setting
    of a listener bound to the pod's loopback only (``per_listener_settings true``) excepted."""
    patterns = [re.compile(p) for p in ctx.params.get("patterns", ())]
    for value in chain(configmap_values(model), helm_values(model)):
        if "anonymous" not in value.text or not holds_personal(value.obj.labels, ctx.policy):
            continue
        for pattern in patterns:
            for match in pattern.finditer(value.text):
                listener = _own_listener(value.text, match)
                if in_comment(value.text, match.start()) or _loopback(listener):
                    continue
                obj = value.obj
                helm = value.origin == "helm"
                yield Hit(
                    value.location(model, match.start(), match.end()),
                    args={
                        "where": value.key_path if helm else value.key,
                        "kind": file_kind(obj) if helm else obj.kind,
                        "object": obj.name,
                        "setting": match.group().strip(),
                    },
                    # per listener: one setting each, told apart by the listener's port
                    anchor=obj.anchor(
                        f"{value.key_path}#{match.group().split()[0]}"
                        + (f"@{listener[0]}" if listener else "")
                    ),
                    scope=value.scope,
                )


def _own_listener(text: str, match: re.Match) -> tuple[str, str] | None:
    """With per-listener settings, (port, bind address or "") of the listener a setting
    belongs to: the last one above it; None otherwise (the setting is global)."""
    if not _PER_LISTENER.search(text):
        return None
    listeners = list(_LISTENER.finditer(text, 0, match.start()))
    if not listeners:
        return None
    return listeners[-1].group(1), listeners[-1].group(2) or ""


def _loopback(listener: tuple[str, str] | None) -> bool:
    """A listener bound to the pod's loopback (a health check's) admits nobody from the
    network."""
    address = listener[1].lower() if listener else ""
    return address in ("localhost", "::1") or address.startswith("127.")
