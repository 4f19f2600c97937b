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
  those names only (``Job.names_only``: no rules, no other facts), through the cache.

The text test errs on the side of reading: a name is a resource type the group's text names
and a value made of the text's words (a literal, or the parts of ``"kcparking${var.env}"`` and
its variable's default), any digits (``count.index``); a group that reads files or cuts text
(``file``, ``substr``, ``base64decode``) can give any name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from dhlint.cache import Cache
from dhlint.types import Diagnostic, SourceFile
from dhlint.units import Job, Unit, run_units

Wanted = tuple[tuple[str, ...], str]  # (resource types, name): see ``own_hosts.wanted``

_WORD = re.compile(r"[a-z0-9]+")
# A printf verb of ``format`` (``"%s-data"``): its letter is not a word of the name.
_VERB = re.compile(r"%[0-9.#+\- ]*[a-z]")
# Functions whose value may hold text that is no word of the configuration.
_OPAQUE = re.compile(
    r"\b(?:file|filebase64|templatefile|base64decode|base64encode|base64gzip|textencodebase64"
    r"|substr|trim|trimprefix|trimsuffix)\s*\("
)


@dataclass
class _Group:
    """Module directories built together (``models.terraform.units``), as lower-case text."""

    files: list[SourceFile]
    text: str
    extra_words: frozenset[str]  # of the --var-file files and the group's paths
    unread: list[Diagnostic] = field(default_factory=list)
    read: bool = False
    _words: set[str] | None = None  # None: not worked out yet
    _opaque: bool = False  # it reads files or cuts text: it can give any name

    def may_define(self, types: tuple[str, ...], name: str) -> bool:
        """The group names one of ``types``, and its text can make ``name``."""
        if not any(t in self.text for t in types):
            return False
        if self._words is None:  # worked out for the groups a type is asked of only
            text = self.text
            self._opaque = bool(_OPAQUE.search(text))
            if not self._opaque:
                self._words = {*_WORD.findall(text), *_WORD.findall(_VERB.sub(" ", text))}
                self._words |= self.extra_words
            else:
                self._words = set()
        if self._opaque:  # any name
            return True
        return all(_made_of(run, self._words) for run in _WORD.findall(name))


def _made_of(run: str, words: set[str]) -> bool:
    """``run`` is a concatenation of ``words`` and digits."""
    ends = [True] + [False] * len(run)
    for j in range(1, len(run) + 1):
        ends[j] = any(ends[i] and (run[i:j] in words or run[i:j].isdigit()) for i in range(j))
    return ends[-1]


class HostContext:
    """The Terraform of the repository beyond the run's files (``skip``), parsed for the names
    of the city's resources as they are asked for: ``context(wanted)`` gives the ``defines``
    entries of the groups not parsed yet that can give one of ``wanted``. ``diagnostics`` and
    ``paths`` say what was read."""

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
        self.job = replace(job, rules=(), collect_facts=False, names_only=True)
        self.cache = cache
        self.diagnostics: list[Diagnostic] = []
        self.paths: set[str] = set()  # the files parsed, or that could not be read
        self._groups: list[_Group] | None = None

    def __call__(self, wanted: list[Wanted]) -> list[dict]:
        if self._groups is None:
            self._groups = self._scan()
        chosen = [
            group
            for group in self._groups
            if not group.read and any(group.may_define(types, name) for types, name in wanted)
        ]
        entries: list[dict] = []
        if not chosen:
            return entries
        for group in chosen:
            group.read = True
            self.diagnostics += group.unread
            self.paths.update(f.path for f in group.files)
            self.paths.update(d.path for d in group.unread)
        units = [Unit("terraform", tuple(group.files)) for group in chosen]
        for result in run_units(units, self.job, self.cache, jobs=1):
            self.diagnostics += result.diagnostics
            for entry in result.facts:
                entries += entry["facts"].get("defines", ())
        return entries

    def _scan(self) -> list[_Group]:
        from dhlint.discovery import naming_terraform
        from dhlint.models.terraform import units

        files, unread = naming_terraform(self.root, self.exclude, self.skip, self.max_bytes)
        var_words: set[str] = set()
        for var_file in self.job.env.var_files:
            try:
                var_words.update(
                    _WORD.findall(Path(var_file).read_text("utf-8", "replace").lower())
                )
            except OSError:
                continue
        groups = []
        for part in units(files):
            directories = {f.path.rpartition("/")[0] for f in part}
            paths = " ".join(f.path for f in part).lower()
            groups.append(
                _Group(
                    files=list(part),
                    text="\n".join(f.text for f in part).lower(),
                    extra_words=frozenset(var_words | set(_WORD.findall(paths))),
                    unread=[
                        d
                        for directory in sorted(directories)
                        for d in unread.get(directory or ".", ())
                    ],
                )
            )
        return groups
