"""Plain, picklable value types shared by every stage of the pipeline.

discover -> parse -> build model -> run detectors (Hit) -> Finding -> suppress/baseline -> report
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Language = Literal["python", "terraform", "kubernetes", "dataset"]


@dataclass(order=True, unsafe_hash=True)
class Location:
    """A region in a scanned file. Lines and columns are 1-based; ``end_col`` is exclusive.

    ``path`` is POSIX, relative to the repository root (the same whichever directory
    dhlint runs from).

    A value, never changed once made, but not a frozen dataclass (nor is ``Hit``): a run makes
    one for every attribute of every resource, and a frozen dataclass's ``__init__`` (a call of
    ``object.__setattr__`` per field) costs three to four times a plain one. ``unsafe_hash``
    keeps the equality and hash a frozen one has (findings are keyed by their location).
    """

    path: str
    start_line: int
    start_col: int = 1
    end_line: int = 0  # 0 = same as start_line
    end_col: int = 0  # 0 = start_col + 1

    def normalized(self) -> Location:
        end_line, end_col = self.ends()
        if end_line == self.end_line and end_col == self.end_col:
            return self  # already normalized (immutable: shared as it is)
        return Location(self.path, self.start_line, self.start_col, end_line, end_col)

    def ends(self) -> tuple[int, int]:
        """``(end_line, end_col)`` as ``normalized`` sets them (reports read them per
        location; a new ``Location`` each time cost a tenth of a JSON report's data)."""
        end_line = self.end_line if self.end_line >= self.start_line else self.start_line
        end_col = self.end_col
        if end_line == self.start_line and end_col <= self.start_col:
            end_col = self.start_col + 1
        if end_col < 1:
            end_col = 1
        return end_line, end_col


@dataclass(frozen=True)
class Related:
    """A second location that explains a finding (a companion resource, a data source)."""

    location: Location
    label: str


@dataclass(frozen=True)
class HostPart:
    """A host a vendor finding (DH640, DH660) names as not approved, with what the finding says
    of it alone: a host that a resource of the run's Terraform defines is the city's own, and
    the run-wide step (``dhlint.inventory.own_hosts.refine``) takes its part out of the finding,
    or the finding away when no part is left. Kept as data, not judged in the detector, because
    a per-file result is cached by its own file's content only."""

    host: str
    url: str = ""  # the URL the host was read from (a path-style bucket is judged by it)
    detail: str = ""  # what the message says of this part (DH660: where the URL came from)
    related: tuple[Related, ...] = ()  # locations about this part only


@dataclass(unsafe_hash=True)
class Hit:
    """What a detector reports. It carries no wording: the catalogue owns all text.

    - ``args`` fill the rule's ``message`` template.
    - ``anchor`` is the stable identity of the flagged thing (a Terraform resource address,
      a Kubernetes kind/namespace/name + key path, a Python function + expression), used by
      baselines and SARIF fingerprints; it must not contain line numbers.
    - ``scope`` is the (first, last) line of the enclosing block: a suppression comment
      anywhere in it silences the hit.
    - ``flow`` is the path of data from source to sink (for SARIF codeFlows).
    - ``hosts``: the vendor hosts the hit names (see ``HostPart``); its detector module then
      has ``host_args(parts)``, the message arguments for a subset of them.
    """

    location: Location
    args: dict[str, str] = field(default_factory=dict)
    anchor: str = ""
    scope: tuple[int, int] | None = None
    related: tuple[Related, ...] = ()
    flow: tuple[Related, ...] = ()
    hosts: tuple[HostPart, ...] = ()


@dataclass(frozen=True)
class Suppression:
    """An inline ``dhlint: ignore[...]`` comment, or an entry of the policy's ``exceptions``
    (for files that take no comments: data files, JSON)."""

    path: str
    line: int
    col: int
    rule_ids: tuple[str, ...]
    reason: str
    until: str | None = None  # ISO date, YYYY-MM-DD
    file_level: bool = False
    own_line: bool = True  # the comment stands on its own line (it covers the line below)
    # The last line of the block a header line that the comment ends opens (``for r in rows:
    # # dhlint: ...``): the comment covers the block. 0: none.
    block_end: int = 0
    # The block's first line when it is not the line after the comment (a YAML document whose
    # head holds the comment, from its first key). 0: the line after the comment.
    block_start: int = 0
    written: tuple[str, ...] = ()  # rule_ids as the comment writes them (DH002 shows them)
    # A policy's ``exceptions`` entry, not a comment: the paths it covers (gitignore patterns).
    # ``path`` and ``line`` are then the policy file's and the entry's.
    patterns: tuple[str, ...] = ()


@dataclass
class Finding:
    rule_id: str
    level: str  # SARIF level: error | warning | note
    severity: str  # critical | high | medium | low | info
    message: str
    location: Location
    anchor: str
    scope: tuple[int, int] | None = None
    related: tuple[Related, ...] = ()
    flow: tuple[Related, ...] = ()
    suppressed_by: Suppression | None = None
    # A vendor finding's hosts and message arguments (empty otherwise), so that the run-wide
    # step can take the city's own hosts out of it (``HostPart``).
    hosts: tuple[HostPart, ...] = ()
    args: dict[str, str] = field(default_factory=dict)

    @property
    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.path, loc.start_line, loc.start_col, self.rule_id, self.message)


@dataclass(frozen=True)
class Diagnostic:
    """A file or unit that could not be (fully) analysed, and why. Never silent."""

    path: str
    message: str
    line: int = 0
    col: int = 0
    level: Literal["error", "warning", "note"] = "error"
    kind: str = "parse-error"  # parse-error | encoding | too-large | skipped | internal | notice


@dataclass(frozen=True)
class SourceFile:
    """A discovered input file. ``path`` is relative to the root; ``abspath`` is absolute."""

    path: str
    abspath: str
    language: Language
    text: str


class FrontendError(Exception):
    """Raised by a frontend when a file (or part of it) cannot be parsed."""

    def __init__(self, message: str, line: int = 0, col: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
