"""What dhlint compiles once and keeps for every later run: start-up time, not results.

Two things are kept, like ``.pyc`` files, beside the installed package when it is writable,
else in the user's cache directory (never the shared temp directory: both files hold code or
pickles that are loaded as they are):

- lark's compiled Terraform parser (``frontends.terraform``);
- the code of dataclass methods (this module). Every ``@dataclass`` compiles the source of its
  ``__init__``, ``__repr__``, ``__eq__``... when its module is imported: dhlint's own, and
  libcst's about 200 node classes (compiling their methods is most of the 140 ms its import
  costs; it is imported only for a Python file the stdlib parser refuses). That code depends
  only on its source text, so the compiled code objects are kept (marshal, per bytecode
  version) and looked up by that text, each unmarshalled when a dataclass asks for it.

The result cache (``cache``, ``--no-cache``) is another thing: it holds findings.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import marshal
import os
import sys
from pathlib import Path
from types import CodeType

DATACLASS_CODE = ".dhlint-dataclass-code.bin"
_MAX_ENTRIES = 5_000  # past this (libraries upgraded since), the file keeps what a run used
# The file: this header, then a marshalled dict {source text: that code, marshalled alone}. A
# code is unmarshalled only when asked for: the whole file, libcst's methods with dhlint's
# (1,076 codes), took 10 to 14 ms to unmarshal at every start, libcst imported or not.
_FORMAT = 1  # (a file of code objects unmarshalled whole had none: not read, made anew)
_HEADER = importlib.util.MAGIC_NUMBER + bytes([sys.flags.optimize, _FORMAT])


def compiled_path(name: str) -> str | None:
    """Where the file ``name`` is kept: in the package when the install is writable (as
    python-hcl2 keeps its own parser), else in the user's cache directory; None when neither
    can be written."""
    here = Path(__file__).resolve().parent
    if os.access(here, os.W_OK):
        return str(here / name)
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dhlint"
        base.mkdir(parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # RuntimeError: no home directory
        return None
    return str(base / name)


class _DataclassCode:
    """Stands in for ``exec`` inside the ``dataclasses`` module, and only there."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.codes: dict[str, bytes] = _read(path) if path else {}  # marshalled, as kept
        self.loaded: dict[str, CodeType] = {}  # those unmarshalled (or compiled) so far
        self.used: set[str] = set()
        self.new = 0

    def __call__(self, source, globals=None, locals=None, /):  # exec's own signature
        if type(source) is str:
            code = self.loaded.get(source)
            if code is None:
                code = _code(self.codes.get(source))
                if code is None:
                    # As ``exec`` compiles a string for dataclasses (no __future__ flags there).
                    code = compile(source, "<string>", "exec", dont_inherit=True)
                    self.codes[source] = marshal.dumps(code)
                    self.new += 1
                self.loaded[source] = code
            self.used.add(source)
            source = code
        exec(source, globals, locals)

    def save(self) -> None:
        if not self.new or self.path is None:
            return
        # With what other processes kept meanwhile: a run's workers may compile classes the
        # parent does not (it saves last).
        keep = {**_read(self.path), **self.codes}
        if len(keep) > _MAX_ENTRIES:
            keep = {text: keep[text] for text in self.used}
        import tempfile  # here: its imports cost a run that compiled nothing

        directory = os.path.dirname(self.path)
        try:
            fd, temp = tempfile.mkstemp(prefix=".dataclass-code-", dir=directory)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(_HEADER + marshal.dumps(keep))
                os.chmod(temp, 0o644)  # as a .pyc beside it (mkstemp makes it private)
                os.replace(temp, self.path)  # atomic: a concurrent run reads one whole file
            except BaseException:
                os.unlink(temp)
                raise
        except OSError:
            return  # read-only after all, or full: the next run compiles again
        self.new = 0


def _read(path: str) -> dict[str, bytes]:
    try:
        with open(path, "rb") as f:
            data = f.read()
        if not data.startswith(_HEADER):
            return {}  # another Python's bytecode, or not this file
        codes = marshal.loads(memoryview(data)[len(_HEADER) :])
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if type(codes) is not dict or not all(
        type(k) is str and type(v) is bytes for k, v in codes.items()
    ):
        return {}
    return codes


def _code(data: bytes | None) -> CodeType | None:
    """The code object ``data`` holds (``_read``); None if none (then compiled anew)."""
    if data is None:
        return None
    try:
        code = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    return code if type(code) is CodeType else None


def use_dataclass_code() -> None:
    """From now on, dataclasses in this process (and the workers it forks) reuse kept code."""
    if not isinstance(dataclasses.__dict__.get("exec"), _DataclassCode):
        dataclasses.exec = _DataclassCode(compiled_path(DATACLASS_CODE))  # type: ignore[attr-defined]


def save_dataclass_code(stop: bool = False) -> None:
    """Keep what this process compiled; with ``stop``, dataclasses use ``exec`` again."""
    hook = dataclasses.__dict__.get("exec")
    if isinstance(hook, _DataclassCode):
        hook.save()
        if stop:
            del dataclasses.exec  # type: ignore[attr-defined]
