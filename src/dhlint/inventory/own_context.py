"""A pre-commit run's Terraform context for the city's own hosts: read late, and narrowly.

A Python file or manifest named alone (pre-commit) has no Terraform among its targets, yet a
host its findings name may be a resource the repository's Terraform defines (``own_hosts``).
Reading all of that Terraform first made a one-file run 20 times slower on a big tree, for a
judgement most runs never make. So ``HostContext`` (the one entry point) is asked by
``OwnHosts.prepare`` for the names that can make the hosts about to be judged, and:

- nothing is walked, read or parsed before a host is judged (a DH640/DH660 finding after the
  units ran, a host DH690 is about to report, a vendor of the inventory);
- then the repository's Terraform is read once, as text (``discovery.naming_terraform``), and
  grouped as the run groups it (module directories with the local modules they call and their
  callers: ``models.terraform.units``), so that a group read gives what the whole tree gives;
- a group is parsed only when its text can give one of the names (``_Group.may_define``), for
  those names only (``Job.names_only``: no rules, no other facts), through the cache; and the
  groups are parsed one at a time, in path order, until the name is settled (``_settled``):
  the first group that defines it, and any before it that can, are enough to judge the host and
  to name the same owner (the first by path and line) as a run on the whole tree.

The text test errs on the side of reading. A name is a resource type the group's text names
and a value made of whole strings of that text (``_CHUNK``: runs of name characters; a
literal, the parts of ``"kcparking${var.env}"`` and its variable's value, ``join``'s separator,
``format``'s text between verbs), any digits (``count.index``), a DNS name's dots, and text a
base64 encoding can give; the text of a file the group reads by a literal path (``file``,
``templatefile``) counts as its own. A group that cuts text (``substr``, ``replace``,
``split``, ``trim``, ``base64decode``) or reads a file by a computed path can give any name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from dhlint.cache import Cache
from dhlint.types import Diagnostic, SourceFile
from dhlint.units import Job, Unit, run_units

Wanted = tuple[tuple[str, ...], str]  # (resource types, name): see ``own_hosts.wanted``

# What a name can be made of: a whole run of the characters of names, between quotes,
# interpolations, white space or other syntax (a value is never a part of such a run, short of
# a function that cuts text: ``_OPAQUE``).
_CHUNK = re.compile(r"[a-z0-9._-]+")

# A printf verb of ``format`` (``"%s-data"``): its letter is not a part of the name.
_VERB = re.compile(r"%[0-9.#+\- ]*[a-z]")
# Functions whose value may hold text that is no whole string of the configuration.
_OPAQUE = re.compile(r"\b(?:base64decode|substr|trim|trimprefix|trimsuffix|replace|split)\s*\(")
# Encodings: their value is base64 text (a multiple of 4 characters) of any input.
_ENCODES = re.compile(r"\b(?:base64encode|base64gzip|textencodebase64|filebase64)\s*\(")
_READS = re.compile(r"\b(?:file|filebase64|templatefile)\s*\(")
# A read whose path is a literal, or one under path.module/root/cwd (as the builder reads it).
_LITERAL_READ = re.compile(
    r'\b(?:file|filebase64|templatefile)\s*\(\s*"'
    r'(?:\$\{\s*path\.(?:module|root|cwd)\s*\}/)?([^"$\\]*)"\s*[,)]'
)


@dataclass
class _Group:
    """Module directories built together (``models.terraform.units``), as lower-case text."""

    files: list[SourceFile]
    text: str
    extra_text: str  # of the --var-file files and the group's paths
    root: str = ""  # the repository's real path, for the files a configuration reads
    unread: list[Diagnostic] = field(default_factory=list)
    read: bool = False
    _chunks: set[str] | None = None  # what a name can be made of; None: not worked out yet
    _opaque: bool = False  # it cuts text or reads a computed path: it can give any name
    _encodes: bool = False

    @property
    def first(self) -> str:
        return self.files[0].path

    def may_define(self, types: tuple[str, ...], name: str) -> bool:
        """The group names one of ``types``, and its text can make ``name``."""
        from dhlint.inventory.own_hosts import ACCOUNT_TEXT, ACCOUNT_TYPE

        if not any((ACCOUNT_TEXT if t == ACCOUNT_TYPE else t) in self.text for t in types):
            return False
        if self._chunks is None:  # worked out for the groups a type is asked of only
            self._work_out()
        if self._opaque:
            return True
        from dhlint.inventory.own_hosts import DNS_TYPES

        return _made_of(name, self._chunks or set(), types == DNS_TYPES, self._encodes)

    def _work_out(self) -> None:
        reads = self._reads() if _READS.search(self.text) else []
        text = "\n".join((self.text, self.extra_text, *reads))
        self._opaque = self._opaque or bool(_OPAQUE.search(text))
        self._encodes = bool(_ENCODES.search(text))
        if "%" in text:
            text += "\n" + _VERB.sub(" ", text)
        chunks = set(_CHUNK.findall(text))
        # a value's trailing dots are not part of its name (a DNS zone's "example.org.")
        self._chunks = chunks | {c.rstrip(".") for c in chunks}

    def _reads(self) -> list[str]:
        """The lower-case text of the files the group reads by a literal path, where the
        builder finds them (from each module directory, or the tree's root, inside the tree);
        one it cannot find gives an unknown value. A computed path makes the group opaque."""
        found: list[str] = []
        directories = sorted({f.path.rpartition("/")[0] for f in self.files})
        for source in self.files:
            paths = _LITERAL_READ.findall(source.text)
            if len(paths) != len(_READS.findall(source.text)):
                self._opaque = True
                return found
            for path in paths:
                text = self._read(directories, path)
                if text is not None:
                    if _READS.search(text):  # a template that reads files in turn
                        self._opaque = True
                    found.append(text.lower())
        return found

    def _read(self, directories: list[str], path: str) -> str | None:
        if not self.root:
            return None
        # Here, not at the top: a Python-only run imports this module, and the Terraform
        # model's (some 5 ms of a 0.1 s pre-commit run) only when it reads Terraform.
        from dhlint.models.terraform_build import MAX_READ_BYTES

        for base in (*directories, ""):
            candidate = os.path.realpath(os.path.join(self.root, base, path))
            try:
                if os.path.commonpath([self.root, candidate]) != self.root:
                    continue
                if os.path.isfile(candidate) and os.path.getsize(candidate) <= MAX_READ_BYTES:
                    with open(candidate, encoding="utf-8", errors="replace") as handle:
                        return handle.read()
            except (OSError, ValueError):
                continue
        return None


def _made_of(name: str, chunks: set[str], dots: bool, encodes: bool) -> bool:
    """``name`` is a concatenation of whole ``chunks``, digits, dots (``dots``: a DNS name's
    parts are joined with them) and base64 text (``encodes``)."""
    ends = [True] + [False] * len(name)
    for j in range(1, len(name) + 1):
        for i in range(j):
            if not ends[i]:
                continue
            piece = name[i:j]
            if (
                piece in chunks
                or piece.isdigit()
                or (dots and piece == ".")
                or (encodes and len(piece) % 4 == 0 and piece.isalnum())
            ):
                ends[j] = True
                break
    return ends[-1]


class HostContext:
    """The Terraform of the repository beyond the run's files (``skip``), parsed for the names
    of the city's resources as they are asked for: ``context(wanted)`` gives the ``defines``
    entries of the groups it parsed to settle ``wanted``. ``diagnostics`` and ``paths`` say
    what was read."""

    def __init__(
        self,
        root: Path,
        exclude: Sequence[str],
        skip: set[str],
        max_bytes: int,
        job: Job,
        cache: Cache | None,
    ) -> None:
        self.root = root
        self.exclude = exclude
        self.skip = skip
        self.max_bytes = max_bytes
        # (its models with other environments' tfvars are for rules: ``Builder.environments``)
        env = replace(job.env, options={**job.env.options, "terraform_environments": False})
        self.job = replace(job, rules=(), collect_facts=False, names_only=True, env=env)
        self.cache = cache
        self.diagnostics: list[Diagnostic] = []
        self.paths: set[str] = set()  # the files parsed, or that could not be read
        self._groups: list[_Group] | None = None
        # The first path that defines a name so far, by (type, name); DNS records by
        # ("dns", name), not counting CNAMEs (whether they make the name own depends on their
        # targets, so all that can define it are read).
        self._first: dict[tuple[str, str], str] = {}

    def __call__(self, wanted: list[Wanted]) -> list[dict]:
        if self._groups is None:
            self._groups = self._scan()
        cursors = dict.fromkeys(wanted, 0)
        entries: list[dict] = []
        while True:
            nexts = [i for item in cursors if (i := self._next(item, cursors)) is not None]
            if not nexts:
                return entries
            entries += self._parse(self._groups[min(nexts)])

    def _next(self, item: Wanted, cursors: dict[Wanted, int]) -> int | None:
        """The next group (in path order) to parse for ``item``: the first unread one whose
        text can define it, unless a group before it already defines it (then no later group
        can change the judgement, or the owner: the first by path). The groups' text is
        tested only that far."""
        groups = self._groups or []
        settled = self._first.get(_key(*item))
        i = cursors[item]
        while i < len(groups):
            group = groups[i]
            if settled is not None and group.first >= settled:
                break
            if not group.read and group.may_define(*item):
                cursors[item] = i
                return i
            i += 1
        cursors[item] = len(groups)
        return None

    def _parse(self, group: _Group) -> list[dict]:
        group.read = True
        self.diagnostics += group.unread
        self.paths.update(f.path for f in group.files)
        self.paths.update(d.path for d in group.unread)
        entries: list[dict] = []
        for result in run_units([Unit("terraform", tuple(group.files))], self.job, self.cache, 1):
            self.diagnostics += result.diagnostics
            for entry in result.facts:
                entries += entry["facts"].get("defines", ())
        for entry in entries:
            if "targets" not in entry and not entry.get("prefix") and entry.get("loc"):
                key = _key((entry["type"],), entry["name"])
                path = entry["loc"][0]
                if key not in self._first or path < self._first[key]:
                    self._first[key] = path
        return entries

    def _scan(self) -> list[_Group]:
        from dhlint.discovery import naming_terraform
        from dhlint.models.terraform import units

        files, unread = naming_terraform(self.root, self.exclude, self.skip, self.max_bytes)
        var_text = []
        for var_file in self.job.env.var_files:
            try:
                var_text.append(Path(var_file).read_text("utf-8", "replace").lower())
            except OSError:
                continue
        root = os.path.realpath(self.root)
        # The tfvars of directories with no configuration (env/dev.tfvars): their values can
        # name the resources of a module above them (``Builder.other_names``).
        tfvars = [f for f in files if f.path.endswith((".tfvars", ".tfvars.json"))]
        groups = []
        for part in units(files):  # in path order (of each group's first file)
            directories = {f.path.rpartition("/")[0] for f in part}
            paths = " ".join(f.path.replace("/", " ") for f in part).lower()
            below = [
                f.text.lower()
                for f in tfvars
                if f not in part and any(not d or f.path.startswith(d + "/") for d in directories)
            ]
            groups.append(
                _Group(
                    files=list(part),
                    text="\n".join(f.text for f in part).lower(),
                    extra_text="\n".join((*var_text, *below, paths)),
                    root=root,
                    unread=[
                        d
                        for directory in sorted(directories)
                        for d in unread.get(directory or ".", ())
                    ],
                )
            )
        return groups


def _key(types: tuple[str, ...], name: str) -> tuple[str, str]:
    """What settles a wanted name: a DNS record of any type, else the first type (the one a
    host is looked up as first: ``OwnHosts._lookup``)."""
    from dhlint.inventory.own_hosts import DNS_TYPES

    return ("dns", name) if types[0] in DNS_TYPES else (types[0], name)
