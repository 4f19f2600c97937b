"""DH641: container images pulled from a registry not on the policy's approved list."""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.models.kubernetes import KubernetesModel
from dhlint.types import Hit

DEFAULT_REGISTRY = "docker.io"


def image_repository(image: str) -> tuple[str, str]:
    """``(registry, registry/path)`` of an image reference, Docker's defaults applied."""
    name = image.split("@", 1)[0]
    first, _, rest = name.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        registry, path = first.lower(), rest
    else:
        registry, path = DEFAULT_REGISTRY, name if rest else f"library/{name}"
    last = path.rsplit("/", 1)
    last[-1] = last[-1].split(":", 1)[0]  # drop the tag
    return registry, f"{registry}/{'/'.join(last)}"


def is_approved(image: str, approved: Iterable[str]) -> bool:
    registry, repository = image_repository(image)
    for entry in approved:
        entry = entry.strip().lower().rstrip("/")
        if entry.startswith("*."):
            if registry.endswith(entry[1:]):
                return True
        elif "/" in entry:
            if repository == entry or repository.startswith(entry + "/"):
                return True
        elif registry == entry or registry.split(":", 1)[0] == entry:
            return True
    return False


def registries(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    approved = ctx.policy.settings.get("approved_registries") or []
    if not approved:
        return
    for container in model.containers():
        node = container.image
        image = node.text if node is not None else None
        if not image or "{{" in image or image.startswith("$"):
            continue
        if is_approved(image, approved):
            continue
        obj = container.obj
        yield Hit(
            obj.location(node),
            args={
                "image": image,
                "registry": image_repository(image)[0],
                "container": container.name,
                "kind": obj.kind,
                "object": obj.name,
            },
            anchor=obj.anchor(f"{container.key_path}.image"),
            scope=container.scope,
        )
