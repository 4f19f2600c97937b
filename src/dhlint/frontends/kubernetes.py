"""Kubernetes YAML -> documents of position-carrying nodes.

The only module that knows PyYAML. It reads the libyaml *event* stream (``yaml.parse`` with
``CSafeLoader``) and builds its own small node tree, instead of ``yaml.compose``:

- nothing is ever constructed, so unknown or dangerous tags are inert strings;
- building is iterative, so deeply nested input cannot crash the interpreter (the C composer
  recurses and segfaults on very deep flow collections), and we stop at ``MAX_DEPTH``;
- aliases are shared, not copied, and every node knows its expanded size, so an alias bomb
  ("billion laughs") is refused by arithmetic before anything is expanded.

Multi-document files are split at ``---``/``...`` lines first and each document is parsed on its
own, so one invalid document gives one diagnostic (with its line) and the others are still read.
Positions are 1-based; ``end_col`` is exclusive.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_DEPTH = 128  # Kubernetes objects (even CRDs with schemas) stay far below this
MAX_NODES = 200_000  # per document, counting every alias expansion

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DOC_START = re.compile(r"^---(?:[ \t\r\n]|$)")
_DOC_END = re.compile(r"^\.\.\.(?:[ \t\r\n]|$)")
_NULLS = ("", "~", "null", "Null", "NULL")


class YamlError(Exception):
    """A document that cannot be read; ``line``/``col`` are 1-based (0 when unknown)."""

    def __init__(self, message: str, line: int = 0, col: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


class Node:
    """A YAML node with its exact region in the file.

    ``kind`` is ``scalar`` (``value`` is the text), ``seq`` (a list of nodes) or ``map`` (a list
    of ``(key, value)`` node pairs, in file order). Nodes reached through an alias are shared.
    """

    __slots__ = ("col", "end_col", "end_line", "kind", "line", "size", "style", "tag", "value")

    def __init__(
        self,
        kind: str,
        value,
        line: int,
        col: int,
        end_line: int = 0,
        end_col: int = 0,
        tag: str | None = None,
        style: str | None = None,
    ) -> None:
        self.kind = kind
        self.value = value
        self.line = line
        self.col = col
        self.end_line = end_line or line
        self.end_col = end_col or col + 1
        self.tag = tag
        self.style = style  # scalar style: None (plain), "'", '"', "|", ">"; collections: flow
        self.size = 1

    def __getstate__(self) -> tuple:
        return tuple(getattr(self, s) for s in self.__slots__)

    def __setstate__(self, state) -> None:
        for slot, value in zip(self.__slots__, state, strict=True):
            setattr(self, slot, value)

    def __repr__(self) -> str:
        short = self.value if self.kind == "scalar" else f"<{len(self.value)}>"
        return f"Node({self.kind} {short!r} @{self.line}:{self.col}-{self.end_line}:{self.end_col})"

    # -- reading -------------------------------------------------------------------------------
    @property
    def is_map(self) -> bool:
        return self.kind == "map"

    @property
    def is_seq(self) -> bool:
        return self.kind == "seq"

    @property
    def is_scalar(self) -> bool:
        return self.kind == "scalar"

    @property
    def is_null(self) -> bool:
        return self.kind == "scalar" and self.style is None and self.value in _NULLS

    @property
    def text(self) -> str | None:
        """The scalar's string value (``None`` for collections and nulls)."""
        if self.kind != "scalar" or self.is_null:
            return None
        return self.value

    def pairs(self) -> Iterator[tuple[Node, Node]]:
        """Key/value pairs of a mapping, merge keys (``<<: *base``) resolved, own keys first."""
        if self.kind != "map":
            return
        seen: set[str] = set()
        merges: list[Node] = []
        for key, value in self.value:
            if key.kind == "scalar" and key.value == "<<" and key.style is None:
                merges.extend(value.value if value.kind == "seq" else [value])
                continue
            seen.add(key.value if key.kind == "scalar" else id(key))
            yield key, value
        for merged in merges:
            for key, value in merged.pairs():
                marker = key.value if key.kind == "scalar" else id(key)
                if marker not in seen:
                    seen.add(marker)
                    yield key, value

    def entry(self, name: str) -> tuple[Node, Node] | None:
        for key, value in self.pairs():
            if key.kind == "scalar" and key.value == name:
                return key, value
        return None

    def get(self, *path: str) -> Node | None:
        """The node at a path of mapping keys, or None."""
        node: Node | None = self
        for name in path:
            if node is None or node.kind != "map":
                return None
            found = node.entry(name)
            node = found[1] if found else None
        return node

    def key(self, name: str) -> Node | None:
        found = self.entry(name)
        return found[0] if found else None

    def str_at(self, *path: str) -> str:
        node = self.get(*path)
        return (node.text or "") if node is not None else ""

    def items(self) -> list[Node]:
        """The items of a sequence (an empty list for anything else)."""
        return list(self.value) if self.kind == "seq" else []

    def string_map(self) -> dict[str, str]:
        """A mapping of scalars as plain strings (labels, annotations, ConfigMap data)."""
        out: dict[str, str] = {}
        for key, value in self.pairs():
            if key.kind == "scalar" and value.kind == "scalar":
                out[key.value] = value.text or ""
        return out

    def to_python(self) -> Any:
        """Plain Python data (for tests and debugging); aliases are expanded."""
        if self.kind == "scalar":
            return None if self.is_null else self.value
        if self.kind == "seq":
            return [item.to_python() for item in self.value]
        return {k.to_python(): v.to_python() for k, v in self.pairs()}


@dataclass
class Document:
    """One YAML document of a file; ``root`` is None for an empty document."""

    path: str
    index: int  # 0-based position in the file
    line: int  # first line of the document's text
    root: Node | None


@dataclass
class ParsedFile:
    path: str
    documents: list[Document] = field(default_factory=list)
    errors: list[tuple[int, YamlError]] = field(default_factory=list)  # (doc index, error)
    helm_template: bool = False


def split_documents(text: str) -> list[tuple[int, str]]:
    """(0-based first line, text) of each document, split at ``---`` and after ``...`` lines.

    A marker at column 0 always ends a document in YAML (block scalar content is indented),
    so this split agrees with the parser. Chunks holding only directives, comments or blank
    lines are joined to the next chunk (``%YAML 1.2`` before ``---``).
    """
    lines = text.splitlines(keepends=True)
    chunks: list[tuple[int, list[str]]] = [(0, [])]
    for number, line in enumerate(lines):
        if _DOC_START.match(line) and chunks[-1][1]:
            chunks.append((number, []))
        chunks[-1][1].append(line)
        if _DOC_END.match(line):
            chunks.append((number + 1, []))
    out: list[tuple[int, str]] = []
    pending: tuple[int, list[str]] | None = None
    for start, chunk in chunks:
        if pending is not None:
            start, chunk = pending[0], pending[1] + chunk
            pending = None
        if chunk and all(_is_preamble(line) for line in chunk):
            if any(line.startswith("%") for line in chunk):
                pending = (start, chunk)
            continue
        if chunk:
            out.append((start, "".join(chunk)))
    return out


def _is_preamble(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith(("#", "%")) or bool(_DOC_END.match(line))


class _Builder:
    """Events of one document -> a Node tree, iteratively, with the bomb guards."""

    def __init__(self, offset: int, lines: list[str]) -> None:
        self.offset = offset
        self.lines = lines  # the document's own lines (for trimming block ends)
        self.anchors: dict[str, Node] = {}
        self.total = 0

    def _pos(self, mark) -> tuple[int, int]:
        return mark.line + 1 + self.offset, mark.column + 1

    def _end(self, mark, start: tuple[int, int]) -> tuple[int, int]:
        """End of a block scalar: libyaml marks the start of the next line; back up to text."""
        line, col = mark.line, mark.column  # 0-based, relative to the document
        if col == 0 and line + 1 + self.offset > start[0]:
            line -= 1
            while line > start[0] - 1 - self.offset and not self._line(line).strip():
                line -= 1
            return line + 1 + self.offset, len(self._line(line).rstrip("\r\n")) + 1
        return line + 1 + self.offset, col + 1

    def _line(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def _count(self, size: int, mark) -> None:
        self.total += size
        if self.total > MAX_NODES:
            line, col = self._pos(mark)
            raise YamlError(
                f"refused: document expands to more than {MAX_NODES:,} nodes (alias bomb?)",
                line,
                col,
            )

    def build(self, events: Iterator) -> list[Node | None]:
        """The root of every document in the events (one, unless the split missed a marker)."""
        roots: list[Node | None] = []
        root: Node | None = None
        stack: list[tuple[Node, str | None]] = []  # open collections and their anchors
        for event in events:
            if isinstance(event, yaml.ScalarEvent):
                start = self._pos(event.start_mark)
                end = (
                    self._end(event.end_mark, start)
                    if event.style in ("|", ">")
                    else self._pos(event.end_mark)
                )
                tag = event.tag if event.tag not in (None, "!") else None
                style = event.style or None  # libyaml reports plain as ""
                node = Node("scalar", event.value, *start, *end, tag=tag, style=style)
                self._count(1, event.start_mark)
                if event.anchor:
                    self.anchors[event.anchor] = node
            elif isinstance(event, yaml.AliasEvent):
                target = self.anchors.get(event.anchor)
                if target is None:
                    line, col = self._pos(event.start_mark)
                    raise YamlError(f"undefined or recursive alias '*{event.anchor}'", line, col)
                self._count(target.size, event.start_mark)
                node = target
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    line, col = self._pos(event.start_mark)
                    raise YamlError(f"refused: nesting deeper than {MAX_DEPTH} levels", line, col)
                kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
                tag = event.tag if event.tag not in (None, "!") else None
                node = Node(kind, [], *self._pos(event.start_mark), tag=tag)
                node.style = "flow" if event.flow_style else None
                self._count(1, event.start_mark)
                stack.append((node, event.anchor))
                continue
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                node, anchor = stack.pop()
                if node.kind == "map":
                    items = node.value
                    if len(items) % 2:
                        items.append(Node("scalar", "", node.end_line, node.end_col))
                    node.value = [(items[i], items[i + 1]) for i in range(0, len(items), 2)]
                    children = [n for pair in node.value for n in pair]
                else:
                    children = node.value
                node.size = 1 + sum(child.size for child in children)
                if node.style == "flow" or not children:
                    end = self._pos(event.end_mark) if node.style == "flow" else None
                    node.end_line, node.end_col = end or (node.line, node.col + 1)
                else:
                    last = children[-1]
                    node.end_line, node.end_col = last.end_line, last.end_col
                if anchor:
                    self.anchors[anchor] = node  # registered when complete: no recursion
            elif isinstance(event, yaml.DocumentEndEvent):
                roots.append(root)
                root = None
                continue
            else:
                continue  # stream and document start
            if stack:
                stack[-1][0].value.append(node)
            else:
                root = node
        return roots


def _yaml_error(exc: yaml.YAMLError, offset: int) -> YamlError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"{context}: {problem}" if context else problem
    if mark is None:
        return YamlError(f"invalid YAML: {message}")
    return YamlError(f"invalid YAML: {message}", mark.line + 1 + offset, mark.column + 1)


def parse_document(text: str, offset: int = 0) -> Node | None:
    """One document's text -> its root node (None if empty). Raises ``YamlError``."""
    roots = parse_documents(text, offset)
    return roots[0] if roots else None


def parse_documents(text: str, offset: int = 0) -> list[Node | None]:
    """The roots of the documents in ``text``. Raises ``YamlError``."""
    builder = _Builder(offset, text.splitlines(keepends=True))
    try:
        return builder.build(yaml.parse(text, Loader=_LOADER))
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, offset) from None
    except RecursionError:
        raise YamlError("refused: nesting too deep", offset + 1, 1) from None


def is_helm_template(path: str, abspath: str, text: str) -> bool:
    """A raw Helm template: ``{{`` in a file under ``templates/`` of a chart (Chart.yaml above)."""
    if "{{" not in text:
        return False
    parts = path.split("/")
    if "templates" not in parts[:-1]:
        return False
    directory = os.path.dirname(abspath)
    while directory and os.path.basename(directory) != "templates":
        parent = os.path.dirname(directory)
        if parent == directory:
            return False
        directory = parent
    chart_dir = os.path.dirname(directory)
    if os.path.isfile(os.path.join(chart_dir, "Chart.yaml")):
        return True
    # Not on disk (tests, stdin with a file name): trust the layout when the file is not
    # readable as YAML anyway.
    return not os.path.exists(abspath)


def parse_file(path: str, text: str, abspath: str = "") -> ParsedFile:
    """Every document of a file; unreadable documents are listed in ``errors``, not raised."""
    result = ParsedFile(path)
    if is_helm_template(path, abspath or path, text):
        result.helm_template = True
        return result
    index = 0
    for offset, chunk in split_documents(text):
        try:
            roots = parse_documents(chunk, offset)
        except YamlError as exc:
            last = offset + max(chunk.count("\n"), 1)
            if exc.line > last:  # the parser noticed at the next document's marker
                exc.line, exc.col = last, 1
            result.errors.append((index, exc))
            index += 1
            continue
        for root in roots or [None]:
            line = root.line if root is not None and len(roots) > 1 else offset + 1
            result.documents.append(Document(path, index, line, root))
            index += 1
    return result
