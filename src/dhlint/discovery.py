"""Files -> source files: find the repository root, walk paths, honour ignore files, decide kinds.

Kinds are decided cheaply, from the name and a text sniff, never by parsing:

- ``.py`` -> python; ``.tf``, ``.tf.json``, ``.tfvars``, ``.tfvars.json`` -> terraform;
- ``.json`` with ``format_version`` and ``planned_values`` -> terraform (a plan);
- ``.yaml``/``.yml`` with top-level ``apiVersion:`` and ``kind:`` keys -> kubernetes, and so
  are a kustomization (``kustomization.yaml``, which kustomize reads without them) and a Helm
  chart's values files (``is_helm_values``) and Grafana's datasource provisioning files
  (top-level ``apiVersion:`` and ``datasources:``); other YAML is skipped silently;
- files matching the policy's ``datasets`` globs -> dataset (opt in).

Walking a directory honours ``.gitignore`` files (pathspec) and built-in excludes; the policy's
``exclude`` patterns apply to every path, also ones named on the command line (a pre-commit hook
passes file names, and a city's exclude must still hold). Files named on the command line bring
their context without becoming targets: a Terraform file its module directory, a manifest the
repository's other manifests.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dhlint.types import Diagnostic, SourceFile

# Never worth walking into (ruff's defaults plus Terraform's provider cache).
DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "__pycache__",
    "__pypackages__",
    "node_modules",
    ".terraform",
    ".dhlint_cache",
    ".eggs",
    "site-packages",
)
DEFAULT_MAX_BYTES = 10_000_000
STDIN_PATH = "stdin"
BINARY_DATASETS = (".parquet",)

# Indentation is matched within its line ([ \t], not \s, which also crosses line ends and made
# a file of blank lines quadratic); a key after blank lines still matches at its own line.
_K8S_API = re.compile(r"^[ \t]*(?:-\s+)?apiVersion\s*:", re.MULTILINE)
_K8S_KIND = re.compile(r"^[ \t]*(?:-\s+)?kind\s*:", re.MULTILINE)
# Grafana's datasource provisioning (provisioning/datasources/*.yaml): ``apiVersion: 1`` and a
# top-level ``datasources:`` list, whose ``secureJsonData`` holds passwords and keys.
_GRAFANA_DATASOURCES = re.compile(r"^datasources\s*:", re.MULTILINE)
_TF_SNIFF = re.compile(r'^[ \t]*(resource|variable|module|provider|data|terraform)\s+["{]', re.M)


@dataclass
class Discovered:
    root: Path
    files: list[SourceFile] = field(default_factory=list)  # targets and context
    targets: set[str] = field(default_factory=set)  # paths findings may be reported on
    # Files met only as context (the rest of a named file's module) that could not be read.
    unread_context: set[str] = field(default_factory=set)
    # The input kinds of the files named on the command line (a pre-commit run's).
    named: set[str] = field(default_factory=set)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def find_root(start: Path) -> Path:
    """The nearest directory upward with ``.git`` (else ``dhlint.yaml``/``pyproject.toml``).

    A symbolic link named on the command line belongs to the tree it is in, not to the one it
    points into: its own directory is where the search starts (resolving it first made a link
    into another repository report that repository's paths)."""
    start = Path(os.path.abspath(start))
    start = start.parent.resolve() / start.name if start.is_symlink() else start.resolve()
    if not start.is_dir():
        start = start.parent
    for marker in (".git", "dhlint.yaml", ".dhlint.yaml", "pyproject.toml"):
        for directory in (start, *start.parents):
            if (directory / marker).exists():
                return directory
    return _unmarked_root(start)


def _unmarked_root(start: Path) -> Path:
    """Without a repository: the directory itself, or for an environment's directory (tfvars
    and no configuration: ``env/`` of ``env/prod.tfvars``) the nearest up to two levels above
    with a ``.tf`` file, whose values they are (else a run on the file alone never reads the
    root module, and reports nothing: probe39 #2)."""

    def names(d: Path) -> list[str]:
        try:
            return [e.name for e in os.scandir(d) if e.is_file()]
        except OSError:
            return []

    here = names(start)
    if not any(n.endswith(TFVARS_SUFFIXES) for n in here):
        return start
    above = start
    for _ in range(3):
        if any(n.endswith((".tf", ".tf.json")) for n in names(above)):
            return above
        above = above.parent
    return start


def kind_of(rel_path: str, text: str | None = None) -> str | None:
    """The input kind of a file from its name (and, for YAML and JSON, its text)."""
    base = rel_path.rsplit("/", 1)[-1]
    if base in KUSTOMIZATION_NAMES:
        return "kubernetes"  # kustomize reads it without apiVersion and kind
    name = base.lower()
    if name.endswith(".py"):
        return "python"
    if name.endswith((".tf", ".tf.json", ".tfvars", ".tfvars.json")):
        return "terraform"
    if name.endswith((".yaml", ".yml")):
        if text is not None and _K8S_API.search(text) and _K8S_KIND.search(text):
            return "kubernetes"
        if text is not None and _K8S_API.search(text) and _GRAFANA_DATASOURCES.search(text):
            return "kubernetes"  # read as a chart's values are: the credential and TLS rules
        return None
    is_plan = text is not None and '"format_version"' in text and '"planned_values"' in text
    if name.endswith(".json") and is_plan:
        return "terraform"
    return None


# A chart's values files: ``values.yaml``, and those passed with ``-f`` kept beside it
# (``values-prod.yaml``, ``values.prod.yaml``, ``values_dev.yml``).
_HELM_VALUES = re.compile(r"values(?:[-._][\w.-]*)?\.ya?ml")


def is_helm_values(path: str, abspath: str) -> bool:
    """A Helm chart's values file: ``values.yaml`` or ``values-<env>.yaml`` beside a
    ``Chart.yaml`` (plain YAML keys and values, no ``apiVersion``/``kind``)."""
    if not _HELM_VALUES.fullmatch(os.path.basename(path)):
        return False
    return os.path.isfile(os.path.join(os.path.dirname(abspath or path), "Chart.yaml"))


def _needs_text_sniff(name: str) -> bool:
    return (
        name.lower().endswith((".yaml", ".yml", ".json"))
        and not name.endswith((".tf.json", ".tfvars.json"))
        and name not in KUSTOMIZATION_NAMES
    )


# The names kustomize reads a directory's kustomization from (also when a kustomization lists
# a directory: models.kubernetes).
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


def sniff_stdin(text: str) -> str:
    if _K8S_API.search(text) and _K8S_KIND.search(text):
        return "kubernetes"
    if _TF_SNIFF.search(text):
        return "terraform"
    return "python"


class _Ignorer:
    """``.gitignore`` files (each relative to its own directory) plus policy excludes."""

    def __init__(self, root: Path, excludes: Sequence[str]) -> None:
        self.root = root
        self.excludes = path_patterns(excludes) if excludes else None
        self._specs: dict[Path, object | None] = {}
        self._chains: dict[Path, tuple[tuple[Path, Any], ...]] = {}
        self._unignored: dict[tuple[Path, Path], Any] = {}

    def _spec(self, directory: Path):
        if directory not in self._specs:
            spec = None
            gitignore = directory / ".gitignore"
            if gitignore.is_file():
                try:
                    lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
                    spec = _spec(lines)
                except OSError:
                    spec = None
            self._specs[directory] = spec
        return self._specs[directory]

    def excluded(self, path: Path, is_dir: bool) -> bool:
        if self.excludes is None:
            return False
        rel = _rel(path, self.root)
        if rel is None:
            return False
        return self.excludes.match_file(rel + "/" if is_dir else rel)

    def _chain(self, directory: Path) -> tuple[tuple[Path, Any], ...]:
        """The ``.gitignore`` specs that apply in ``directory``: its own and its parents', up
        to the root (or the file system's root). Worked out once per directory, not per file."""
        chain = self._chains.get(directory)
        if chain is None:
            spec = self._spec(directory)
            chain = ((directory, spec),) if spec is not None else ()
            if directory != self.root and directory.parent != directory:
                chain += self._chain(directory.parent)
            self._chains[directory] = chain
        return chain

    def ignored(
        self, path: Path, is_dir: bool, named: Path | None = None, parent: Path | None = None
    ) -> bool:
        """Git semantics: every ``.gitignore`` between the root and the path applies; below a
        directory ``named`` on the command line, not the patterns that ignore it (the user
        asked for it, as ruff and ripgrep read a path they are given). ``parent``: the path's
        directory, when the caller has it."""
        if self.excluded(path, is_dir):
            return True
        for directory, spec in self._chain(parent or path.parent):
            if named is not None:
                spec = self._without(directory, spec, named)
            rel = path.relative_to(directory).as_posix()
            if spec.match_file(rel + "/" if is_dir else rel):
                return True
        return False

    def _without(self, directory: Path, spec: Any, named: Path) -> Any:
        """``spec`` (of ``directory``) less the patterns that ignore ``named`` (worked out
        once per directory: below ``named``, or beside it, ``spec`` itself)."""
        key = (directory, named)
        found = self._unignored.get(key)
        if found is None:
            if named == directory or directory not in named.parents:
                found = spec  # its own .gitignore never ignores it; one below it may
            else:
                rel = named.relative_to(directory).as_posix() + "/"
                kept = [p for p in spec.patterns if not (p.include and p.match_file(rel))]
                found = type(spec)(kept)
            self._unignored[key] = found
        return found


def path_patterns(patterns: Sequence[str]):
    """A matcher of paths relative to the root for gitignore-syntax patterns (the policy's
    ``exclude`` and ``exceptions``). "./tests/data/" means what "tests/data/" does
    (gitignore's syntax matches neither "." nor a leading "./", so such a pattern silently
    matched nothing)."""
    return _spec([re.sub(r"^(!?)\./+", r"\1", p) for p in patterns])


def _spec(lines: Sequence[str]):
    """gitignore semantics from pathspec, imported only when a pattern exists (it costs
    start-up time, and a pre-commit run on a few named files usually needs none)."""
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(list(lines))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _rel(path: Path, root: Path) -> str | None:
    # A path below the root, as a walk makes them: cut from its text (pathlib's relative_to
    # compares their parts, a tenth of the discovery of bench/corpus/terraform's 2,001 files).
    if _POSIX:
        text, top = str(path), str(root)
        if text.startswith(top) and top[-1:] != "/" and text[len(top) : len(top) + 1] == "/":
            return text[len(top) + 1 :]
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return None


_POSIX = os.sep == "/" and os.altsep is None  # (str of a Path is then its POSIX form)


def _walk(
    directory: Path,
    ignorer: _Ignorer,
    named: bool = False,
    kind: Callable[[str], bool] | None = None,
) -> Iterable[Path]:
    """The files under ``directory``; ``named``: the user named it (see ``_Ignorer.ignored``);
    ``kind``: only the file names it accepts (tested before the ignore files, which cost more)."""
    top = directory if named else None
    for current, dirnames, filenames in os.walk(directory, followlinks=False):
        here = Path(current)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in DEFAULT_EXCLUDES and not ignorer.ignored(here / d, True, top, here)
        )
        for name in sorted(filenames):
            if kind is not None and not kind(name):
                continue
            path = here / name
            if not ignorer.ignored(path, False, top, here):
                yield path


def read_source(
    path: Path, rel: str, max_bytes: int, info: os.stat_result | None = None
) -> tuple[str | None, Diagnostic | None]:
    """Read and decode a file, or say in one line why it cannot be checked. ``info``: the
    file's stat when the caller has it (a walk's ``lstat`` of a file that is not a link)."""
    try:
        if info is None:
            info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            return None, Diagnostic(rel, "skipped: not a regular file", kind="skipped")
        size = info.st_size
        if size > max_bytes:
            return None, Diagnostic(
                rel,
                f"not checked: file is {size:,} bytes, over the {max_bytes:,}-byte limit "
                "(--max-file-size)",
                kind="too-large",
            )
        data = path.read_bytes()
    except OSError as exc:
        return None, Diagnostic(rel, f"cannot read file: {exc.strerror or exc}", kind="unreadable")
    wide = _wide_encoding(data)
    if wide and rel.lower().endswith((".yaml", ".yml", ".json")):
        encoding = wide  # YAML and JSON may be UTF-16 or UTF-32 (with a BOM)
    elif wide:
        return None, Diagnostic(
            rel, f"{wide.upper()} text: file not checked (save it as UTF-8)", kind="encoding"
        )
    elif b"\0" in data[:8192]:
        bare = _bomless_wide(data)
        if bare:  # Notepad's "UTF-16 LE" without a BOM: text, not binary content
            message = f"{bare} text without a byte order mark: file not checked (save it as UTF-8)"
            return None, Diagnostic(rel, message, kind="encoding")
        return None, Diagnostic(rel, "skipped: binary content (NUL bytes)", kind="encoding")
    else:
        encoding = _python_encoding(data) if rel.endswith(".py") else "utf-8-sig"
        if encoding.startswith(("utf-16", "utf-32")):  # Python refuses such a declaration
            return None, Diagnostic(
                rel, f"declares the {encoding} encoding, which Python cannot read source in: "
                "file not checked", kind="encoding",
            )  # fmt: skip
        if encoding.startswith(_REFUSED):  # Python refuses the file: "unknown encoding"
            return None, Diagnostic(
                rel, f"{encoding.removeprefix(_REFUSED)}: file not checked", kind="encoding"
            )
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        where = f" (byte {exc.start})" if isinstance(exc, UnicodeDecodeError) else ""
        name = "UTF-8" if encoding == "utf-8-sig" else encoding
        return None, Diagnostic(rel, f"not valid {name}{where}: file not checked", kind="encoding")
    return text, None


_WIDE_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip


def _wide_encoding(data: bytes) -> str | None:
    """``utf-16``/``utf-32`` when ``data`` starts with that encoding's byte order mark (what
    Windows PowerShell 5 writes for ``>``), else None."""
    return next((name for bom, name in _WIDE_BOMS if data.startswith(bom)), None)


_BARE_WIDE = (("UTF-32BE", 4, 3), ("UTF-32LE", 4, 0), ("UTF-16BE", 2, 1), ("UTF-16LE", 2, 0))


def _bomless_wide(data: bytes) -> str | None:
    """The UTF-16/32 byte order of text written without a BOM, told as YAML 1.2 (5.2) tells it:
    by where the NUL bytes of ASCII characters fall. The text must start with one and be
    mostly ASCII (a manifest's keys are), so binary content is not mistaken for it."""
    head = data[:4096]
    for name, width, at in _BARE_WIDE:
        units = [head[i : i + width] for i in range(0, len(head) - width + 1, width)]
        ascii = [u[at] != 0 and u.count(0) == width - 1 for u in units]
        if len(units) >= 4 and ascii[0] and sum(ascii) >= 0.9 * len(units):
            return name
    return None


_REFUSED = "refused: "  # _python_encoding's prefix for a declaration Python refuses
_DECLARED = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")  # PEP 263's expression


def _python_encoding(data: bytes) -> str:
    """The encoding of Python source as Python reads it (PEP 263): a BOM, or a ``coding``
    comment on one of the first two lines; UTF-8 otherwise. A declaration Python refuses (an
    encoding it does not know, another than UTF-8 after a UTF-8 BOM) gives ``_REFUSED`` and
    the reason."""
    head = data[:400].split(b"\n", 2)[:2]
    if not any(b"coding" in line for line in head):
        return "utf-8-sig"
    import tokenize  # only for a file that declares one

    lines = data[:1024].splitlines(True)[:2]  # a declaration is on one of the first two
    try:
        encoding, _ = tokenize.detect_encoding(iter(lines).__next__)
    except SyntaxError as exc:
        text = [line.removeprefix(codecs.BOM_UTF8).decode("latin-1") for line in lines]
        declared = next(filter(None, map(_DECLARED.match, text)), None)
        reason = str(exc.msg)
        if declared is None or not reason.startswith(("unknown encoding", "encoding problem")):
            return "utf-8-sig"  # a first line that is not UTF-8: named as a decoding error
        name = declared.group(1)
        if reason.startswith("encoding problem"):  # a UTF-8 BOM, then another declared
            return f"{_REFUSED}declares the {name} encoding after a UTF-8 byte order mark"
        return f"{_REFUSED}declares the encoding '{name}', which Python does not know"
    return "utf-8-sig" if encoding in ("utf-8", "utf-8-sig") else encoding


def discover(
    paths: Sequence[str],
    root: Path,
    *,
    exclude: Sequence[str] = (),
    datasets: Sequence[str] = (),
    stdin_text: str | None = None,
    stdin_filename: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    cwd: Path | None = None,
) -> Discovered:
    """Find the files under ``paths``; named Terraform files bring their module as context."""
    cwd = cwd or Path.cwd()
    result = Discovered(root=root)
    ignorer = _Ignorer(root, exclude)
    real_root = root.resolve()  # where a link's target must be (root itself may be a link)
    dataset_spec = _spec(datasets) if datasets else None
    seen: set[str] = set()
    context_dirs: set[Path] = set()
    walked_tf: dict[Path, bool] = {}  # a walk's Terraform directories: tfvars files only?
    k8s_context: list[Path] = []
    walked = False

    def add(path: Path, explicit: bool, target: bool = True) -> None:
        rel = _rel(path, root) or path.as_posix()
        name = path.name
        kind: str | None = None
        if dataset_spec is not None and dataset_spec.match_file(rel):
            kind = "dataset"
        elif not _needs_text_sniff(name):
            kind = kind_of(rel)
            if kind is None:
                if explicit:
                    generator_input(path)
                return
        read_from = path
        # One stat per file: its lstat tells a link, and is the stat ``read_source`` needs
        # of anything else (a file that cannot be stat'ed: read_source says why).
        try:
            info: os.stat_result | None = os.lstat(path)
        except (OSError, ValueError):  # as Path.is_symlink: not a link
            info = None
        link = info is not None and stat.S_ISLNK(info.st_mode)
        if link and rel not in seen:  # a named one, met again as context
            # A link is read as a file of its own directory, at its own path (as Terraform,
            # kubectl and ruff see it): a shared versions.tf linked into a module is part of
            # that module, and a report names a path that exists in the scanned tree. One that
            # leaves the tree is not followed (its target is not in the repository).
            problem = None
            try:
                read_from = path.resolve(strict=True)
            except (OSError, RuntimeError):  # a loop or a dangling link
                problem = "skipped: symbolic link loop or dangling link"
            else:
                # Named on the command line (a pre-commit run, a shared file linked into the
                # repository), it is read all the same: nothing named goes unchecked silently.
                if _rel(read_from, real_root) is None and not explicit:
                    problem = "skipped: symbolic link points outside the repository"
            if problem:
                diag = Diagnostic(_display(path, root), problem, kind="skipped", level="warning")
                result.diagnostics.append(diag)
                return
        if rel in seen:
            if target:
                result.targets.add(rel)
            return
        if kind == "dataset" and (
            name.lower().endswith(BINARY_DATASETS) or _size(path) > max_bytes
        ):
            # The dataset reader streams it from ``abspath`` with its own row and memory bounds.
            text, diag = "", None
        else:
            text, diag = read_source(read_from, rel, max_bytes, None if link else info)
        if diag is not None:
            if kind is None and diag.kind in ("too-large", "encoding"):
                # A big rendered bundle, a manifest with a latin-1 byte: still say so
                kind = kind_of(rel, _head(read_from))
            if kind is not None or explicit:
                seen.add(rel)
                if not target:
                    result.unread_context.add(rel)
                result.diagnostics.append(diag)
            return
        assert text is not None
        if kind is None:
            kind = kind_of(rel, text)
            if kind is None and is_helm_values(rel, str(path)):
                kind = "kubernetes"  # a chart's values: the credential rules read it
            if kind is None:
                if explicit:
                    generator_input(path)
                return
        seen.add(rel)
        if target:
            result.targets.add(rel)
        if not text.strip() and name != "__init__.py" and kind != "dataset":
            result.diagnostics.append(
                Diagnostic(rel, "empty file: nothing to check", kind="empty", level="note")
            )
        result.files.append(SourceFile(rel, str(path), kind, text))  # type: ignore[arg-type]
        if kind == "terraform" and explicit:
            context_dirs.add(path.parent)
        elif kind == "terraform":  # does the directory hold only tfvars so far
            parent = path.parent
            only = walked_tf.get(parent, True)
            walked_tf[parent] = only and name.endswith(TFVARS_SUFFIXES)
        if kind == "kubernetes" and explicit:
            k8s_context.append(path)
        if explicit:
            result.named.add(kind)

    kustomizations: dict[str, list[Path]] = {}  # directory -> its kustomization files

    def generator_input(path: Path) -> None:
        """A file named alone that dhlint does not read (pre-commit passes a kustomize
        generator's ``app.env``): checked through the kustomization whose generator reads it,
        as a run on the tree checks it; an env file none reads is said to be unchecked."""
        kust = _generator_user(path, root, ignorer, kustomizations)
        shown = _display(path, root)
        if kust is not None and ignorer.ignored(path, is_dir=False):
            # as ``models.kubernetes._Reader``: a file kept out of the repository holds nothing
            note = "not checked: .gitignore keeps this generator input out of the repository"
            result.diagnostics.append(Diagnostic(shown, note, kind="notice", level="note"))
        elif kust is not None:
            note = f"checked with {_display(kust, root)}, whose generator reads it"
            result.diagnostics.append(Diagnostic(shown, note, kind="notice", level="note"))
            add(kust, explicit=True)
        elif path.name.lower().endswith(GENERATOR_INPUTS):
            note = "not checked: no kustomization above it reads it in a generator"
            result.diagnostics.append(Diagnostic(shown, note, kind="notice", level="note"))

    for raw in paths:
        if raw == "-":
            text = stdin_text or ""
            name = stdin_filename or STDIN_PATH
            kind = kind_of(name, text) or sniff_stdin(text)
            result.files.append(SourceFile(name, name, kind, text))  # type: ignore[arg-type]
            result.targets.add(name)
            seen.add(name)
            result.named.add(kind)
            continue
        path = Path(raw)
        if not path.is_absolute():
            path = cwd / path
        path = Path(os.path.normpath(path))
        if not path.exists() and not path.is_symlink():
            result.diagnostics.append(
                Diagnostic(_display(path, root), "no such file or directory", kind="missing")
            )
            continue
        if ignorer.excluded(path, is_dir=path.is_dir()):
            # Named, but the policy excludes it: say so (it was silent, and looked clean).
            note = "not checked: the policy's exclude patterns match it"
            result.diagnostics.append(
                Diagnostic(_display(path, root), note, kind="excluded", level="note")
            )
        elif path.is_dir():
            walked = True
            for file in _walk(path, ignorer, named=True):
                add(file, explicit=False)
        else:
            add(path, explicit=True)

    # A Terraform file named alone (pre-commit) is judged with the rest of its module; a
    # module that its callers give values to, with those callers (as a run on the whole tree
    # judges it), read only when the module looks called (``_looks_called``).
    def add_module(directory: Path, environments: bool = True) -> None:
        for sibling in sorted(directory.iterdir()):
            is_tf = sibling.is_file() and kind_of(sibling.name) == "terraform"
            if is_tf and not ignorer.ignored(sibling, is_dir=False):
                add(sibling, explicit=False, target=False)
        # and its other environments' tfvars (env/prod.tfvars), checked with it as a run on
        # the whole tree checks them (``terraform_build.Builder.environments``)
        for tfvars in _environment_files(directory, ignorer) if environments else ():
            add(tfvars, explicit=False, target=False)

    # A tfvars file of a directory with no configuration (env/prod.tfvars) gives values to the
    # root module above it (``models.terraform.environment_root``): that module is the context.
    # (Its other environments' tfvars are not read: the findings they give are not the file's.)
    roots = {d: _environment_root(d, root, ignorer) for d in context_dirs}
    context_dirs = {above or d for d, above in roots.items()}
    # So do those of a walked directory of environments (`dhlint check infra/env/`) whose root
    # module the walk did not reach: with none, it reported nothing (h5/1). Only the files
    # walked are its environments, as only a named one is.
    env_roots = {
        above
        for d, only_tfvars in walked_tf.items()
        if only_tfvars
        and (above := _environment_root(d, root, ignorer)) is not None
        and above not in walked_tf
    }
    for directory in sorted(context_dirs | env_roots):
        add_module(directory, environments=directory in roots and roots[directory] is None)
    called = [d for d in sorted(context_dirs) if _looks_called(d, root, result.files)]
    for directory in _callers(root, ignorer, called, max_bytes) if called else ():
        add_module(directory)
    # A manifest named alone is judged with the repository's other manifests (a NetworkPolicy
    # or Service in another file decides cross-document rules).
    if k8s_context:
        for file in _walk(root, ignorer):
            if file.suffix.lower() in (".yaml", ".yml"):
                add(file, explicit=False, target=False)
    if walked and (root / ".dhlintignore").is_file():
        # Users of semgrep expect one; it is not read (a repository's own file must not take
        # files out of a city's policy pack, which --policy keeps from its dhlint.yaml). Said
        # on a walk, where it would have applied, so that its files do not look excluded.
        note = (
            "not read: dhlint has no ignore file; put its patterns in the policy's exclude "
            "(dhlint.yaml) or in .gitignore"
        )
        result.diagnostics.append(Diagnostic(".dhlintignore", note, kind="notice", level="note"))
    result.files.sort(key=lambda f: f.path)
    return result


# A kustomize generator's env files (``envs``): named alone, said to be unchecked when no
# kustomization reads them.
GENERATOR_INPUTS = (".env", ".properties")
_GENERATOR_FIELDS = ("configMapGenerator", "secretGenerator")


def _generator_user(
    path: Path, root: Path, ignorer: _Ignorer, found: dict[str, list[Path]]
) -> Path | None:
    """The nearest kustomization, in the file's directory or one above it up to the root
    (kustomize reads no file outside its own directory), whose ``configMapGenerator`` or
    ``secretGenerator`` reads ``path`` (``envs``, ``env``, ``files``, ``key=path``).
    ``found`` keeps each directory's kustomization files (a commit's files share them)."""
    top, key = str(root), os.path.dirname(path)  # strings: most files find no kustomization
    for _ in range(_MAX_GENERATOR_DEPTH):
        if key not in found:
            names = (os.path.join(key, n) for n in KUSTOMIZATION_NAMES)
            found[key] = [Path(n) for n in names if os.path.isfile(n)]
        for kust in found[key]:
            if ignorer.excluded(kust, is_dir=False):
                continue
            text, diag = read_source(kust, kust.name, DEFAULT_MAX_BYTES)
            if diag is not None or not text or path.name not in text:
                continue
            import yaml

            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            try:
                doc = yaml.load(text, Loader=loader)  # a safe loader
            except yaml.YAMLError:
                continue
            if _reads(doc, kust.parent, path):
                return kust
        above = os.path.dirname(key)
        if key == top or above == key:
            return None
        key = above
    return None


_MAX_GENERATOR_DEPTH = 8


def _reads(doc: Any, directory: Path, path: Path) -> bool:
    if not isinstance(doc, dict):
        return False
    generators = [doc.get(f) for f in _GENERATOR_FIELDS]
    for generator in (g for gs in generators if isinstance(gs, list) for g in gs):
        if not isinstance(generator, dict):
            continue
        for field_name in ("envs", "env", "files"):
            names = generator.get(field_name) or []
            for name in (
                [names] if isinstance(names, str) else names if isinstance(names, list) else []
            ):
                if not isinstance(name, str):
                    continue
                name = name.partition("=")[2] if field_name == "files" and "=" in name else name
                if Path(os.path.normpath(directory / name)) == path:
                    return True
    return False


def _environment_root(directory: Path, root: Path, ignorer: _Ignorer) -> Path | None:
    """The directory up to two levels above ``directory`` whose Terraform a tfvars file in it
    gives values to, when ``directory`` holds no configuration: the nearest with a ``.tf``
    file, inside ``root``."""

    def configured(d: Path) -> bool:
        try:
            names = [p for p in d.iterdir() if p.name.endswith((".tf", ".tf.json"))]
        except OSError:
            return False
        return any(p.is_file() and not ignorer.ignored(p, is_dir=False) for p in names)

    if configured(directory):
        return None
    above = directory
    for _ in range(2):
        if above == root or _rel(above, root) is None:
            return None
        above = above.parent
        if configured(above):
            return above
    return None


def _environment_files(directory: Path, ignorer: _Ignorer) -> list[Path]:
    """The tfvars files of the directories up to two levels below a module directory that hold
    no configuration (``env/prod.tfvars``, ``envs/prod/terraform.tfvars``), not ignored."""
    found: list[Path] = []
    todo = [(directory, 0)]
    while todo:
        current, depth = todo.pop(0)
        try:
            entries = sorted(current.iterdir())
        except OSError:
            continue
        files = [e for e in entries if e.name.endswith(TFVARS_SUFFIXES) and e.is_file()]
        if depth:
            if any(e.name.endswith((".tf", ".tf.json")) and e.is_file() for e in entries):
                continue  # another module: its tfvars are its own
            found += [f for f in files if not ignorer.ignored(f, is_dir=False)]
        if depth < 2:
            todo += [
                (e, depth + 1)
                for e in entries
                if e.name not in DEFAULT_EXCLUDES
                and not e.name.startswith(".")
                and not e.is_symlink()
                and e.is_dir()
                and not ignorer.ignored(e, is_dir=True)
            ]
    return found


TFVARS_SUFFIXES = (".tfvars", ".tfvars.json")
_VARIABLE = re.compile(r'^[ \t]*variable\s+"|"variable"\s*:', re.M)
_ROOT_ONLY = re.compile(r'^[ \t]*provider\s+"|\bbackend\s+"|"provider"\s*:|"backend"\s*:', re.M)


def _looks_called(directory: Path, root: Path, files: Sequence[SourceFile]) -> bool:
    """Whether a named file's module directory looks like a module that others call: it
    declares variables, and has no provider or backend block and no tfvars file (which a root
    module has). Its callers are then looked for (a walk of the tree's Terraform)."""
    rel = _rel(directory, root)
    rel = "" if rel in (None, ".") else rel
    texts = [f for f in files if f.language == "terraform" and os.path.dirname(f.path) == rel]
    if any(f.path.endswith((".tfvars", ".tfvars.json")) for f in texts):
        return False
    return any(_VARIABLE.search(f.text) for f in texts) and not any(
        _ROOT_ONLY.search(f.text) for f in texts
    )


def _callers(root: Path, ignorer: _Ignorer, modules: Sequence[Path], max_bytes: int) -> list[Path]:
    """The directories under ``root`` whose Terraform calls one of ``modules`` as a local module
    (``source = "../modules/db"``), or calls a directory that does, up to the root modules."""
    from dhlint.models.terraform import _local_sources

    real_root = root.resolve()
    called_by: dict[Path, set[Path]] = {}
    for file in _walk(root, ignorer, kind=lambda name: kind_of(name) == "terraform"):
        text = _calling_text(file, real_root, max_bytes)
        if text is None:
            continue
        for source in _local_sources(text):
            target = Path(os.path.normpath(file.parent / source))
            if target != file.parent:
                called_by.setdefault(target, set()).add(file.parent)
    found: set[Path] = set()
    todo = list(modules)
    while todo:
        for caller in called_by.get(todo.pop(), ()):
            if caller not in found and caller not in modules:
                found.add(caller)
                todo.append(caller)
    return sorted(found)


def _calling_text(file: Path, real_root: Path, max_bytes: int) -> str | None:
    """A Terraform file's text as ``read_text`` gives it, when it may call a module (it says
    ``source``); None otherwise, or when it is not read (too big, unreadable, or a link out of
    the tree, which is not followed, as ``discover`` does not). One ``lstat`` for a file that is
    not a link, and its bytes decoded only when they say ``source`` (an ASCII word: in the text
    when in the bytes, UTF-8 being ASCII-transparent): a pre-commit run on one module file
    reads the repository's every Terraform file (3,005 in bench/corpus)."""
    path = str(file)
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            if _rel(file.resolve(strict=True), real_root) is None:
                return None
            info = os.stat(path)
        if info.st_size > max_bytes:
            return None
        with open(path, "rb") as handle:
            data = handle.read()
    except (OSError, RuntimeError):
        return None
    if b"source" not in data:
        return None
    text = data.decode("utf-8-sig", errors="replace")
    if "\r" in text:  # read_text's universal newlines
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def naming_terraform(
    root: Path, exclude: Sequence[str], skip: set[str], max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[list[SourceFile], dict[str, list[Diagnostic]]]:
    """The Terraform files (not plans) of the module directories under ``root`` that name a
    resource whose name makes a host (``own_hosts``), or call a local module (which may), each
    directory whole (for its variables and locals), less the paths in ``skip`` (the run's own
    files); and, by directory, why a file of theirs could not be read. For a pre-commit run's
    context (``dhlint.inventory.own_context``), which decides what of it to parse."""
    from dhlint.inventory.own_hosts import ACCOUNT_TEXT, DNS_TYPES, NAMED_TYPES

    names = re.compile(
        "|".join(re.escape(t) for t in (*NAMED_TYPES, *DNS_TYPES, ACCOUNT_TEXT))
        + r'|source"?\s*[=:]\s*"\.'
    )
    ignorer = _Ignorer(root, exclude)
    real_root = root.resolve()
    by_dir: dict[Path, list[Path]] = {}
    for file in _walk(root, ignorer, kind=lambda name: kind_of(name) == "terraform"):
        by_dir.setdefault(file.parent, []).append(file)
    files: list[SourceFile] = []
    unread: dict[str, list[Diagnostic]] = {}
    for directory, paths in by_dir.items():
        read: list[SourceFile] = []
        problems: list[Diagnostic] = []
        for path in paths:
            rel = _rel(path, root) or path.as_posix()
            if rel in skip:
                continue
            try:  # a link out of the tree is not followed (as ``discover`` does not)
                if path.is_symlink() and _rel(path.resolve(strict=True), real_root) is None:
                    continue
            except (OSError, RuntimeError):
                continue
            text, diag = read_source(path, rel, max_bytes)
            if diag is not None:
                problems.append(diag)
            elif text is not None:
                read.append(SourceFile(rel, str(path), "terraform", text))
        # and tfvars-only directories (env/dev.tfvars): the values of a module's other
        # environments, which can give its resources' names (``Builder.other_names``)
        if any(names.search(f.text) for f in read) or (
            read and all(f.path.endswith((".tfvars", ".tfvars.json")) for f in read)
        ):
            files += read
            if problems:
                unread[_rel(directory, root) or directory.as_posix()] = problems
    return sorted(files, key=lambda f: f.path), unread


def _head(path: Path, size: int = 65536) -> str:
    """The start of a file, decoded as far as it goes (to tell a manifest too big to read, or
    one that cannot be decoded: a latin-1 byte, UTF-16 without a BOM)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(size)
    except OSError:
        return ""
    encoding = _wide_encoding(data) or _bomless_wide(data) or "utf-8-sig"
    return data.decode(encoding.lower(), "ignore")


def _display(path: Path, root: Path) -> str:
    rel = _rel(path, root)
    return rel if rel is not None else path.as_posix()
