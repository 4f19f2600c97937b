"""What dhlint compiles once for later runs: the kept dataclass code changes nothing but time."""

from __future__ import annotations

import dataclasses
import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dhlint import compiled
from tests.conftest import REPO


@pytest.fixture
def kept(tmp_path, monkeypatch):
    """The dataclass code file of this test, and the hook removed afterwards in any case."""
    path = tmp_path / compiled.DATACLASS_CODE
    monkeypatch.setattr(compiled, "compiled_path", lambda name: str(tmp_path / name))
    yield path
    compiled.save_dataclass_code(stop=True)
    assert "exec" not in dataclasses.__dict__


def _define():
    # Real types as annotations (not the strings of this module's ``annotations`` future).
    fields = [("x", int), ("y", tuple, dataclasses.field(default_factory=tuple))]
    return dataclasses.make_dataclass("Point", fields, frozen=True)


def test_kept_code_is_reused_by_the_next_process_and_behaves_the_same(kept):
    plain = _define()
    compiled.use_dataclass_code()
    first = _define()
    hook = dataclasses.__dict__["exec"]
    assert hook.new > 0  # compiled here, then written
    compiled.save_dataclass_code(stop=True)
    assert kept.is_file()

    compiled.use_dataclass_code()  # a later run: reads the file
    hook = dataclasses.__dict__["exec"]
    reused = _define()
    assert hook.new == 0 and hook.codes
    for cls in (first, reused):
        # The same methods as without the hook: no ``annotations`` future leaks into them
        # (this test module has it), so the signature holds types, not strings.
        assert inspect.signature(cls.__init__) == inspect.signature(plain.__init__)
        assert inspect.signature(cls.__init__).parameters["x"].annotation is int
        p = cls(1)
        assert (p.x, p.y, repr(p)) == (1, (), f"{cls.__qualname__}(x=1, y=())")
        assert p == cls(1) and hash(p) == hash(cls(1))
        with pytest.raises(dataclasses.FrozenInstanceError):
            p.x = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    "content",
    [b"", b"garbage", compiled._HEADER + b"\x00broken", b"\x00\x00\r\n" + b"x" * 40],
    ids=["empty", "garbage", "bad-marshal", "other-python"],
)
def test_a_broken_or_foreign_file_is_ignored_and_replaced(kept, content):
    kept.write_bytes(content)
    compiled.use_dataclass_code()
    assert dataclasses.__dict__["exec"].codes == {}
    assert _define()(3).x == 3
    compiled.save_dataclass_code()
    assert kept.read_bytes().startswith(compiled._HEADER)
    assert compiled._read(str(kept))


def test_a_file_of_other_objects_is_not_used(kept):
    import marshal

    kept.write_bytes(compiled._HEADER + marshal.dumps({"def f(): pass": "not code"}))
    assert compiled._read(str(kept)) == {}


def test_nothing_is_written_when_nothing_was_compiled(kept):
    compiled.use_dataclass_code()
    _define()
    compiled.save_dataclass_code()
    stamp = kept.stat().st_mtime_ns
    os.utime(kept, ns=(stamp - 10**9, stamp - 10**9))
    compiled.save_dataclass_code(stop=True)
    compiled.use_dataclass_code()
    _define()
    compiled.save_dataclass_code()
    assert kept.stat().st_mtime_ns == stamp - 10**9


def test_the_kept_files_are_never_in_the_shared_temp_directory(tmp_path, monkeypatch):
    """Both files hold code or pickles loaded as they are: beside the package, or in the
    user's cache directory when the install is read-only, never in the world-writable temp
    directory."""
    from dhlint.frontends import terraform as tf

    here = Path(compiled.__file__).resolve().parent
    if os.access(here, os.W_OK):
        assert tf._parser_cache() == str(here / ".hcl2-lark-cache.bin")
        assert compiled.compiled_path("x") == str(here / "x")
    monkeypatch.setattr(os, "access", lambda *_: False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert tf._parser_cache() == str(tmp_path / "dhlint" / ".hcl2-lark-cache.bin")
    assert compiled.compiled_path("x") == str(tmp_path / "dhlint" / "x")


def test_the_cli_keeps_the_code_of_its_imports_and_a_second_run_compiles_none(tmp_path):
    """A real run on a Python file that is analysed (libcst imported), twice, each in a new
    process whose package directory is read-only, so the file goes to the user's cache."""
    script = (
        "import dataclasses, os, sys\n"
        "os.access = lambda *a, **k: False\n"  # as a read-only install
        "from dhlint import cli\n"
        "code = cli.main(['check', '--no-cache', '-q', sys.argv[1]])\n"
        "assert 'exec' not in dataclasses.__dict__\n"
        "sys.exit(code)\n"
    )
    target = tmp_path / "etl.py"
    target.write_text("import requests\nrequests.post('http://x.example/a', json={'email': e})\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    kept = tmp_path / "cache" / "dhlint" / compiled.DATACLASS_CODE
    runs = []
    for _ in range(2):
        runs.append(
            subprocess.run(
                [sys.executable, "-c", script, str(target)],
                cwd=REPO,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
        )
        assert kept.is_file(), runs[-1].stderr
        runs[-1].stamp = kept.stat().st_mtime_ns  # type: ignore[attr-defined]
    assert runs[0].returncode == runs[1].returncode == 1, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout and "DH" in runs[0].stdout
    # libcst's node classes alone have several hundred methods
    assert len(compiled._read(str(kept))) > 300
    assert runs[0].stamp == runs[1].stamp  # type: ignore[attr-defined]  # nothing new to write


def test_a_save_keeps_what_another_process_saved_meanwhile(kept):
    """The workers of a run import libcst and save first; the parent saves last and must not
    drop their code."""
    compiled.use_dataclass_code()
    _define()
    compiled.save_dataclass_code(stop=True)
    theirs = compiled._read(str(kept))
    compiled.use_dataclass_code()
    hook = dataclasses.__dict__["exec"]
    hook.codes.clear()  # as a process that started before the file existed
    dataclasses.make_dataclass("Other", [("z", int)])
    compiled.save_dataclass_code()
    mine = compiled._read(str(kept))
    assert set(theirs) < set(mine)


def test_a_kept_code_is_unmarshalled_only_when_asked_for(kept):
    """A run that does not import libcst loads none of its methods' code (the whole file of
    them took 10 to 14 ms to unmarshal at every start); a kept code that does not load is compiled
    anew and written again."""
    import marshal
    import types

    compiled.use_dataclass_code()
    _define()
    compiled.save_dataclass_code(stop=True)
    codes = compiled._read(str(kept))
    assert codes and all(type(v) is bytes for v in codes.values())
    unused = "def __create_fn__():\n    pass\n"
    broken = next(iter(codes))
    codes[unused] = marshal.dumps(compile(unused, "<string>", "exec"))
    codes[broken] = b"\x00broken"
    kept.write_bytes(compiled._HEADER + marshal.dumps(codes))

    compiled.use_dataclass_code()
    hook = dataclasses.__dict__["exec"]
    assert hook.loaded == {}
    assert _define()(4).x == 4
    assert unused not in hook.loaded and set(hook.loaded) == hook.used
    assert hook.new == 1 and isinstance(hook.loaded[broken], types.CodeType)
    compiled.save_dataclass_code()
    again = compiled._read(str(kept))
    assert again[unused] == codes[unused] and marshal.loads(again[broken]) == hook.loaded[broken]
