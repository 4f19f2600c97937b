"""Terraform override files: ``override.tf``, ``*_override.tf`` and their ``.tf.json`` forms.

Terraform loads a module directory's other files first, then merges each block of an override
file into the block of the same type and labels, override files in name order and blocks in
file order (a later override wins). What merging means, as Terraform's documentation states it:

- an argument replaces the original's argument of the same name;
- a nested block type present in the override replaces every original block of that type
  (``dynamic "x"`` counts as type ``x``; JSON writes blocks as arguments, so a name replaces
  both); ``lifecycle`` merges argument by argument;
- ``locals`` override value by value, whichever block defined them;
- ``provider`` blocks match by name and ``alias``; in ``terraform``, ``required_providers``
  merges by provider, and ``backend`` and ``cloud`` replace each other;
- an override with no original is an error in Terraform: here a diagnostic, and the block is
  left out.

Merged arguments and nested blocks keep their own file (``Attribute.path``, ``Block.path``), so
a finding on a value an override set points at the override's line.
"""

from __future__ import annotations

import posixpath
from dataclasses import replace

from dhlint.frontends.terraform_ast import Attribute, Block, Literal, Pos
from dhlint.types import Diagnostic

__all__ = ["is_override_file", "merge_overrides"]

_SUFFIXES = (".tf.json", ".tf")


def is_override_file(path: str) -> bool:
    """``override.tf``, ``x_override.tf`` and their ``.tf.json`` forms (Terraform's test)."""
    base = posixpath.basename(path)
    for suffix in _SUFFIXES:
        if base.endswith(suffix):
            stem = base[: -len(suffix)]
            return stem == "override" or stem.endswith("_override")
    return False


Entry = tuple[str, Block]  # (file path, block)


def merge_overrides(
    blocks: list[Entry], overrides: list[Entry]
) -> tuple[list[Entry], list[Diagnostic]]:
    """The module's blocks with ``overrides`` merged in, and a diagnostic per orphan."""
    merged = list(blocks)
    diagnostics: list[Diagnostic] = []
    # Name order of the files; a stable sort keeps each file's blocks in their order.
    for path, over in sorted(overrides, key=lambda e: e[0]):
        if over.type == "locals":
            diagnostics += _merge_locals(merged, path, over)
            continue
        if over.type == "terraform":
            _merge_terraform(merged, path, over)
            continue
        key = _key(over)
        if key is None:
            continue  # moved, import, check...: nothing the model reads
        found = False
        for i, (base_path, base) in enumerate(merged):
            if base.type == over.type and _key(base) == key:
                merged[i] = (base_path, _merge(base, over, path))
                found = True
        if not found:
            what = " ".join([over.type, *(f'"{label}"' for label in over.labels)])
            diagnostics.append(_orphan(path, over.pos, what))
    return merged, diagnostics


def _key(block: Block) -> tuple | None:
    """What an override block matches on, or None for a type not merged here."""
    if block.type in ("resource", "data"):
        return block.labels[:2] if len(block.labels) >= 2 else None
    if block.type in ("module", "variable", "output"):
        return block.labels[:1] or None
    if block.type == "provider" and block.labels:
        alias = block.attributes.get("alias")
        value = alias.value.value if alias and isinstance(alias.value, Literal) else ""
        return (block.labels[0], value if isinstance(value, str) else "")
    return None


def _orphan(path: str, pos: Pos, what: str) -> Diagnostic:
    message = (
        f"{what} overrides nothing: no other file of the module defines it"
        " (Terraform rejects this); not checked"
    )
    return Diagnostic(path, message, pos.line, pos.col, level="warning", kind="override")


def _name(block: Block) -> str:
    """The name a nested block is overridden by: its type, a dynamic block's label."""
    return block.labels[0] if block.type == "dynamic" and block.labels else block.type


def _merge(base: Block, over: Block, path: str, by_argument: str = "lifecycle") -> Block:
    """``over`` (written in ``path``) merged into ``base``; the nested block type
    ``by_argument`` merges argument by argument instead of replacing."""
    replaced = set(over.attributes) | {_name(b) for b in over.blocks}
    attributes = {n: a for n, a in base.attributes.items() if n not in replaced}
    attributes.update(_own(over.attributes, path))
    kept = [b for b in base.blocks if _name(b) not in replaced]
    added = []
    for block in over.blocks:
        old = base.children(block.type)[:1] if block.type == by_argument else []
        added.append(
            _merge(old[0], block, path) if old else replace(block, path=block.path or path)
        )
    where = (path, over.pos.line, max(over.end_line, over.pos.line))
    return replace(
        base, attributes=attributes, blocks=(*kept, *added), merged=(*base.merged, where)
    )


def _own(attributes: dict[str, Attribute], path: str) -> dict[str, Attribute]:
    return {n: replace(a, path=a.path or path) for n, a in attributes.items()}


def _merge_locals(merged: list[Entry], path: str, over: Block) -> list[Diagnostic]:
    diagnostics = []
    for name, attr in over.attributes.items():
        found = False
        for i, (base_path, base) in enumerate(merged):
            if base.type == "locals" and name in base.attributes:
                attributes = {**base.attributes, name: replace(attr, path=path)}
                merged[i] = (base_path, replace(base, attributes=attributes))
                found = True
        if not found:
            diagnostics.append(_orphan(path, attr.key_pos, f"local value {name!r}"))
    return diagnostics


def _merge_terraform(merged: list[Entry], path: str, over: Block) -> None:
    """Into the first ``terraform`` block (none is needed: then the override is the block)."""
    index = next((i for i, (_, b) in enumerate(merged) if b.type == "terraform"), None)
    if index is None:
        merged.append((path, over))
        return
    base_path, base = merged[index]
    # A backend replaces a cloud block and the reverse: the base keeps neither.
    if {b.type for b in over.blocks} & {"backend", "cloud"}:
        base = replace(
            base, blocks=tuple(b for b in base.blocks if b.type not in ("backend", "cloud"))
        )
    merged[index] = (base_path, _merge(base, over, path, by_argument="required_providers"))
