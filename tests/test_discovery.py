from pathlib import Path

from dhlint.discovery import discover, find_root, kind_of, read_source
from tests.conftest import run_cli, write_tree

K8S = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"


def test_kinds():
    assert kind_of("etl/job.py") == "python"
    assert kind_of("infra/main.tf") == kind_of("infra/x.tf.json") == "terraform"
    assert kind_of("infra/prod.tfvars") == "terraform"
    assert kind_of("k8s/app.yaml", K8S) == "kubernetes"
    assert kind_of("k8s/list.yml", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n") == (
        "kubernetes"
    )
    assert kind_of(".github/workflows/ci.yml", "on: push\njobs: {}\n") is None
    assert kind_of("plan.json", '{"format_version": "1.2", "planned_values": {}}') == "terraform"
    assert kind_of("package.json", '{"name": "x"}') is None


def test_gitignore_exclude_and_default_dirs(tmp_path):
    root = write_tree(
        tmp_path / "r",
        {
            ".gitignore": "build/\n*.gen.py\n",
            "a.py": "x = 1\n",
            "b.gen.py": "x = 1\n",
            "build/c.py": "x = 1\n",
            "sub/.gitignore": "local.py\n",
            "sub/local.py": "x = 1\n",
            "sub/kept.py": "x = 1\n",
            # Every .gitignore between the root and a file applies, however deep the file.
            "sub/deep/.gitignore": "er/only.py\n",
            "sub/deep/er/only.py": "x = 1\n",
            "sub/deep/er/local.py": "x = 1\n",
            "sub/deep/er/x.gen.py": "x = 1\n",
            "sub/deep/er/keep.py": "x = 1\n",
            ".venv/lib.py": "x = 1\n",
            "vendor/third.py": "x = 1\n",
            "ci.yml": "on: push\n",
            "k8s/app.yaml": K8S,
        },
    )
    found = discover(["."], root, exclude=["vendor/"], cwd=root)
    kept = ["a.py", "k8s/app.yaml", "sub/deep/er/keep.py", "sub/kept.py"]
    assert sorted(f.path for f in found.files) == kept
    assert found.targets == set(kept)


def test_a_named_directory_is_read_even_if_gitignore_ignores_it(tmp_path):
    """As ruff and ripgrep do: the patterns that ignore a directory named on the command line
    do not hide its files (whatever else is named with it); the other patterns still apply."""
    root = write_tree(
        tmp_path / "r",
        {
            ".gitignore": "build/\n*.gen.py\n",
            "a.py": "x = 1\n",
            "build/c.py": "x = 1\n",
            "build/d.gen.py": "x = 1\n",
            "build/.gitignore": "tmp/\n",
            "build/tmp/e.py": "x = 1\n",
        },
    )
    found = discover(["a.py", "build"], root, cwd=root)
    assert sorted(f.path for f in found.files) == ["a.py", "build/c.py"]
    assert sorted(f.path for f in discover(["."], root, cwd=root).files) == ["a.py"]


def test_paths_are_relative_to_root_from_any_directory(tmp_path):
    root = write_tree(tmp_path / "r", {"infra/main.tf": "", "infra/vars.tf": ""})
    assert find_root(root / "infra") == root
    from_sub = discover(["main.tf"], root, cwd=root / "infra")
    assert "infra/main.tf" in from_sub.targets
    # A Terraform file named alone brings its module directory as context, not as a target.
    assert {f.path for f in from_sub.files} == {"infra/main.tf", "infra/vars.tf"}
    assert from_sub.targets == {"infra/main.tf"}


def test_bad_files_give_one_line_diagnostics(tmp_path):
    root = write_tree(tmp_path / "r", {"ok.py": "x = 1\n", "empty.tf": ""})
    (root / "latin1.py").write_bytes("name = 'Jos\xe9'\n".encode("latin-1"))
    (root / "blob.py").write_bytes(b"\x00\x01\x02")
    (root / "big.py").write_text("x = 1\n" * 1000)
    found = discover(["."], root, cwd=root, max_bytes=5000)
    kinds = {d.path: d.kind for d in found.diagnostics}
    assert kinds == {
        "latin1.py": "encoding",
        "blob.py": "encoding",
        "big.py": "too-large",
        "empty.tf": "empty",
    }
    assert [f.path for f in found.files] == ["empty.tf", "ok.py"]
    assert all("\n" not in d.message for d in found.diagnostics)


def test_missing_path_and_stdin(tmp_path):
    root = write_tree(tmp_path / "r", {})
    found = discover(["nope.py", "-"], root, cwd=root, stdin_text=K8S)
    assert [d.kind for d in found.diagnostics] == ["missing"]
    assert [(f.path, f.language) for f in found.files] == [("stdin", "kubernetes")]


def test_symlink_outside_root_not_followed(tmp_path):
    outside = tmp_path / "outside.py"
    outside.write_text("x = 1\n")
    root = write_tree(tmp_path / "r", {})
    (root / "link.py").symlink_to(outside)
    found = discover(["."], root, cwd=root)
    assert not found.files and [d.kind for d in found.diagnostics] == ["skipped"]


def test_policy_exclude_applies_to_named_files(tmp_path):
    root = write_tree(tmp_path / "r", {"gen/a.py": "x = 1\n"})
    found = discover([str(Path("gen/a.py"))], root, exclude=["gen/"], cwd=root)
    assert not found.files
    # ux2 #12: named and excluded is said (a note: it was silent, and looked clean), and a
    # pattern written "./gen/" means "gen/" (it matched nothing).
    for pattern in ("gen/", "./gen/", "./gen/a.py"):
        found = discover(["gen/a.py", "gen"], root, exclude=[pattern], cwd=root)
        assert not found.files, pattern
    notes = [(d.path, d.level, d.message) for d in found.diagnostics]
    assert notes[0] == ("gen/a.py", "note", "not checked: the policy's exclude patterns match it")
    assert discover(["gen"], root, exclude=["./other/"], cwd=root).files


def test_named_manifest_brings_other_manifests_as_context(tmp_path):
    netpol = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: n\n"
    root = write_tree(
        tmp_path / "r", {"k8s/app.yaml": K8S, "k8s/policies/np.yaml": netpol, "ci.yml": "on: x\n"}
    )
    found = discover(["k8s/app.yaml"], root, cwd=root)
    assert found.targets == {"k8s/app.yaml"}
    assert {f.path for f in found.files} == {"k8s/app.yaml", "k8s/policies/np.yaml"}


def test_declared_and_wide_encodings(tmp_path):
    # ux2 #6: a PEP 263 declaration is honoured (Python runs the file); YAML and JSON may be
    # UTF-16/32 with a BOM (PowerShell 5's ">"); other UTF-16 text is named, not "binary".
    latin = "# -*- coding: latin-1 -*-\n# Stra\xdfe\nx = 1\n"
    files = {
        "latin1.py": latin.encode("latin-1"),
        "cp.py": b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\ns = '\x80'\n",
        "u16.yaml": "kind: ConfigMap\n".encode("utf-16"),
        "u32.json": b'{"a": 1}'.decode().encode("utf-32"),
        "u16.py": "x = 1\n".encode("utf-16"),
        "u16.tf": "x = 1\n".encode("utf-16"),
        "latin1.yaml": "a: Stra\xdfe\n".encode("latin-1"),  # YAML has no declaration
        "comment.py": b"# the coding style guide\nx = '\xff'\n",
        "vim16.py": b"# vim: set fileencoding=utf-16 :\nx = 1\n",  # Python refuses it
    }
    read = {}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        read[name] = read_source(tmp_path / name, name, 10_000)
    assert read["latin1.py"] == (latin, None)
    assert read["cp.py"][0].endswith("s = '\u20ac'\n")
    assert read["u16.yaml"] == ("kind: ConfigMap\n", None)
    assert read["u32.json"] == ('{"a": 1}', None)
    for name, wide in (("u16.py", "UTF-16"), ("u16.tf", "UTF-16")):
        text, diag = read[name]
        assert text is None and diag.message.startswith(f"{wide} text: file not checked"), name
    assert read["latin1.yaml"][1].message == "not valid UTF-8 (byte 7): file not checked"
    assert read["comment.py"][1].message == "not valid UTF-8 (byte 30): file not checked"
    assert read["vim16.py"][1].message.startswith("declares the utf-16 encoding, which Python")


def test_a_python_encoding_declaration_that_python_refuses_is_not_checked(tmp_path):
    # probe21py N2: an unknown codec, or a UTF-8 BOM before another declared encoding, was
    # read as UTF-8 and checked; Python refuses both files ("unknown encoding", "encoding
    # problem"), so they are named as not checked, as an undecodable file is (exit 1).
    log = b'import logging\nlogging.info("x %s", row["email"])\n'
    files = {
        "klingon.py": b"# -*- coding: klingon -*-\n" + log,
        "vim_klingon.py": b"#!/usr/bin/env python\n# vim: set fileencoding=klingon :\n" + log,
        "bom_latin1.py": b"\xef\xbb\xbf# coding: latin-1\n" + log,
        "bom_utf8.py": b"\xef\xbb\xbf# coding: utf-8\n" + log,  # Python reads these two
        "late.py": b"x = 1\n# coding: klingon\n" + log,  # a declaration on line 1 or 2 only
    }
    root = write_tree(tmp_path / "r", {})
    for name, data in files.items():
        (root / name).write_bytes(data)
    read = {name: read_source(root / name, name, 10_000) for name in files}
    messages = {name: diag.message for name, (_, diag) in read.items() if diag is not None}
    assert messages == {
        "klingon.py": "declares the encoding 'klingon', which Python does not know: "
        "file not checked",
        "vim_klingon.py": "declares the encoding 'klingon', which Python does not know: "
        "file not checked",
        "bom_latin1.py": "declares the latin-1 encoding after a UTF-8 byte order mark: "
        "file not checked",
    }
    assert read["bom_utf8.py"][0].startswith("# coding: utf-8\n")
    proc = run_cli(["check", "--no-cache", "klingon.py", "bom_utf8.py"], cwd=root)
    assert proc.returncode == 1
    assert "klingon.py: error: declares the encoding 'klingon'" in proc.stdout + proc.stderr
    assert "bom_utf8.py:3:1: DH565" in proc.stdout


def test_a_manifest_that_cannot_be_decoded_is_named_when_walked(tmp_path):
    # probe21tf: a manifest with a latin-1 byte found by walking a directory was skipped
    # silently (its kind is read from its text); other YAML stays silent.
    root = tmp_path / "r"
    (root / "k8s").mkdir(parents=True)
    manifest = b'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  c: "Stra\xdfe"\n'
    (root / "k8s" / "cm.yaml").write_bytes(manifest)
    (root / "ci.yml").write_bytes(b'on: push\nname: "Stra\xdfe"\n')
    found = discover(["."], root, cwd=root)
    assert [(d.path, d.message) for d in found.diagnostics] == [
        ("k8s/cm.yaml", "not valid UTF-8 (byte 67): file not checked")
    ]


def test_a_link_is_read_at_its_own_path(tmp_path):
    # ux2 #13: a file reached through a symbolic link is reported by the link's path (the one
    # it has in the scanned tree), not its target's; both are read when both are walked.
    root = write_tree(tmp_path / "r", {"sub/t.py": "x = 1\n"})
    (root / "pkg").mkdir()
    (root / "pkg" / "inlink.py").symlink_to("../sub/t.py")
    found = discover(["."], root, cwd=root)
    assert [(f.path, f.abspath) for f in found.files] == [
        ("pkg/inlink.py", str(root / "pkg" / "inlink.py")),
        ("sub/t.py", str(root / "sub" / "t.py")),
    ]
    found = discover(["pkg/inlink.py"], root, cwd=root)
    assert found.targets == {"pkg/inlink.py"} and not found.diagnostics
    # A link to a directory is not walked into (a named one is read as the user asked).
    (root / "alias").symlink_to("sub")
    assert [f.path for f in discover(["."], root, cwd=root).files] == [
        "pkg/inlink.py",
        "sub/t.py",
    ]


def test_a_named_link_into_another_repository_belongs_to_its_own(tmp_path):
    # ux2 #13: the root was found from the link's target, so a link in repository A to
    # B/app/ingest.py was checked and reported as app/ingest.py (a path A does not have), and
    # a link to /proc/self/mem was named "mem". The link's own repository is the root; named,
    # the link is read at its own path (probe23 min/05), walked, its target is not read.
    other = write_tree(tmp_path / "B", {"app/ingest.py": "x = 1\n"})
    root = write_tree(tmp_path / "A", {"lib/own.py": "x = 1\n"})
    (root / "lib" / "ingest.py").symlink_to(other / "app" / "ingest.py")
    (root / "lib" / "mem.py").symlink_to("/proc/self/mem")
    for name in ("ingest.py", "mem.py"):
        assert find_root(root / "lib" / name) == root
    found = discover(["lib/ingest.py"], root, cwd=root)
    assert [(f.path, f.text) for f in found.files] == [("lib/ingest.py", "x = 1\n")]
    assert not found.diagnostics
    found = discover(["lib/mem.py"], root, cwd=root)
    assert not found.files
    assert [(d.path, d.level) for d in found.diagnostics] == [("lib/mem.py", "error")]
    found = discover(["lib"], root, cwd=root)
    assert [f.path for f in found.files] == ["lib/own.py"]
    assert [(d.path, d.level, d.message) for d in found.diagnostics] == [
        (f"lib/{name}", "warning", "skipped: symbolic link points outside the repository")
        for name in ("ingest.py", "mem.py")
    ]
    assert find_root(other / "app" / "ingest.py") == other
    # A named directory that is a link to another repository is that repository's root.
    (tmp_path / "linked").symlink_to(other)
    assert find_root(tmp_path / "linked") == tmp_path / "linked"


def test_a_manifest_in_utf16_without_a_bom_is_named_when_walked(tmp_path):
    # probe21tf N1: a UTF-16 manifest without a byte order mark, found by walking a directory,
    # was skipped silently (its NUL bytes made it "binary", and its kind could not be read);
    # named, it was "binary content". Other YAML in UTF-16 stays silent, binary YAML too.
    root = write_tree(tmp_path / "r", {"ok.py": "x = 1\n"})
    secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  p: Straße\n"
    for encoding in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        (root / "k8s" / encoding).mkdir(parents=True)
        (root / "k8s" / encoding / "secret.yaml").write_bytes(secret.encode(encoding))
    (root / "ci.yml").write_bytes("on: push\nname: Straße\n".encode("utf-16-le"))
    (root / "blob.yaml").write_bytes(b"a\0" + bytes(range(1, 200)) * 4)
    (root / "blob.py").write_bytes(b"\x00\x01binary")
    found = discover(["."], root, cwd=root)
    assert [(d.path, d.message) for d in found.diagnostics] == [
        ("blob.py", "skipped: binary content (NUL bytes)"),
        *(
            (f"k8s/{encoding}/secret.yaml", f"{name} text without a byte order mark: "
             "file not checked (save it as UTF-8)")
            for encoding, name in (
                ("utf-16-be", "UTF-16BE"), ("utf-16-le", "UTF-16LE"),
                ("utf-32-be", "UTF-32BE"), ("utf-32-le", "UTF-32LE"),
            )
        ),
    ]  # fmt: skip
    assert all(d.level == "error" for d in found.diagnostics)
    assert [f.path for f in found.files] == ["ok.py"]
    named = discover(["ci.yml", "blob.yaml"], root, cwd=root).diagnostics
    assert [(d.path, d.message) for d in named] == [
        ("ci.yml", "UTF-16LE text without a byte order mark: file not checked (save it as UTF-8)"),
        ("blob.yaml", "skipped: binary content (NUL bytes)"),
    ]


def test_a_dhlintignore_is_not_read_and_a_walk_says_so(tmp_path):
    # ux2 #12: a .dhlintignore was ignored silently, so its files looked excluded. It is still
    # not read (README: use the policy's exclude or .gitignore); a walk now says so in a note.
    root = write_tree(tmp_path / "r", {".dhlintignore": "gen/\n", "gen/a.py": "x = 1\n"})
    found = discover(["."], root, cwd=root)
    assert [f.path for f in found.files] == ["gen/a.py"]
    assert [(d.path, d.level) for d in found.diagnostics] == [(".dhlintignore", "note")]
    assert found.diagnostics[0].message.startswith("not read: dhlint has no ignore file")
    # Named files (a pre-commit run) get no note; without the file, a walk gets none either.
    assert not discover(["gen/a.py"], root, cwd=root).diagnostics
    (root / ".dhlintignore").unlink()
    assert not discover(["."], root, cwd=root).diagnostics


def test_a_generator_env_file_named_alone_is_checked_with_its_kustomization(tmp_path):
    """probe41 #10 (min/09): a commit of only a configMapGenerator's env file (a vendor URL
    over http, a literal DB_PASSWORD) printed nothing and passed, and the hook never passed
    .env files. Named alone, the file is checked with the nearest kustomization whose
    generator reads it (its findings, at its entry, and a note); an env file none reads is
    said to be unchecked; other unread files stay silent."""
    import re

    import yaml

    kust = (
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n"
        "configMapGenerator:\n  - name: extra\n    envs: [config/app.env]\n"
        "    files: [nginx=conf/site.conf]\n"
        "secretGenerator:\n  - name: s\n    envs: [secrets.env]\n"
    )
    root = write_tree(
        tmp_path / "r",
        {
            "dhlint.yaml": "",
            "k8s/kustomization.yaml": kust,
            "k8s/config/app.env": "ANALYTICS_URL=http://ingest.vendor.example/v1\n"
            "DB_PASSWORD=Staging-Pw-99\n",
            "k8s/conf/site.conf": "server { listen 80; }\n",
            "k8s/unused.env": "DB_PASSWORD=Other-Pw-1\n",
            "notes.txt": "hello\n",
            "k8s/.gitignore": "secrets.env\n",
            "k8s/secrets.env": "API_TOKEN=x\n",
        },
    )
    proc = run_cli(["--no-cache", "k8s/config/app.env"], cwd=root)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert [re.sub(r":\d+:\d+: (DH\d+).*", r" \1", line) for line in lines[:3]] == [
        "k8s/kustomization.yaml DH240",
        "k8s/kustomization.yaml DH640",
        "k8s/kustomization.yaml DH742",
    ]
    assert "k8s/config/app.env: note: checked with k8s/kustomization.yaml, whose generator " in (
        proc.stdout + proc.stderr
    )
    # a generator's files entry (key=path) too: the same kustomization
    found = discover(["k8s/conf/site.conf"], root, cwd=root)
    assert sorted(found.targets) == ["k8s/kustomization.yaml"]
    # an env file no kustomization reads: said so; another unread file: nothing
    proc = run_cli(["--no-cache", "k8s/unused.env", "notes.txt"], cwd=root)
    assert proc.returncode == 0
    out = proc.stdout + proc.stderr
    assert "k8s/unused.env: note: not checked: no kustomization above it reads it" in out
    assert "notes.txt" not in out
    # one .gitignore keeps out is not read by the generator either: said so
    proc = run_cli(["--no-cache", "k8s/secrets.env"], cwd=root)
    assert proc.returncode == 0
    assert "k8s/secrets.env: note: not checked: .gitignore keeps this generator input out" in (
        proc.stdout + proc.stderr
    )
    # the hook passes env files
    hooks = yaml.safe_load((Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text())
    pattern = re.compile(hooks[0]["files"])
    assert all(pattern.search(n) for n in ("k8s/app.env", ".env", "conf/app.properties"))


def test_a_file_that_may_call_a_module_is_read_as_read_text_reads_it(tmp_path):
    # The callers walk (a module file named alone) reads every Terraform file of the tree: a
    # file's bytes are decoded only when they say "source", to the text read_text gives.
    from dhlint.discovery import _calling_text

    root = tmp_path / "r"
    root.mkdir()
    calls = root / "calls.tf"
    calls.write_bytes(b'\xef\xbb\xbfmodule "m" {\r\n  source = "../m"\r\n}\r# \xe2x\n')
    plain = root / "plain.tf"
    plain.write_bytes(b'variable "v" {}\r\n')
    outside = tmp_path / "outside.tf"
    outside.write_text('module "o" { source = "./o" }\n')
    (root / "link.tf").symlink_to(outside)
    (root / "inside.tf").symlink_to(calls)
    text = _calling_text(calls, root.resolve(), 1000)
    assert text == calls.read_text(encoding="utf-8-sig", errors="replace")
    assert text == 'module "m" {\n  source = "../m"\n}\n# \ufffdx\n'
    assert _calling_text(root / "inside.tf", root.resolve(), 1000) == text  # a link inside
    assert _calling_text(plain, root.resolve(), 1000) is None  # says no "source"
    assert _calling_text(root / "link.tf", root.resolve(), 1000) is None  # out of the tree
    assert _calling_text(calls, root.resolve(), 10) is None  # over the size limit
    assert _calling_text(root / "gone.tf", root.resolve(), 1000) is None


def test_a_walked_file_is_stated_once(tmp_path, monkeypatch):
    """A file's lstat both tells a link and is the stat its read needs (a second stat per
    file was ~1% of a Terraform run); a link is still read from its target, a FIFO skipped."""
    import os

    root = write_tree(
        tmp_path / "r",
        {"a/main.tf": 'resource "x_y" "z" {}\n', "b.py": "x = 1\n", "sub/t.py": "y = 2\n"},
    )
    (root / "link.py").symlink_to("sub/t.py")
    os.mkfifo(root / "pipe.py")
    calls: list[str] = []
    for name in ("stat", "lstat"):
        real = getattr(os, name)

        def counted(path, *args, _real=real, **kwargs):
            calls.append(os.path.basename(path))
            return _real(path, *args, **kwargs)

        monkeypatch.setattr(os, name, counted)
    found = discover(["."], root, cwd=root)
    monkeypatch.undo()
    assert [f.path for f in found.files] == ["a/main.tf", "b.py", "link.py", "sub/t.py"]
    assert [(d.path, d.message) for d in found.diagnostics] == [
        ("pipe.py", "skipped: not a regular file")
    ]
    for name in ("main.tf", "b.py", "pipe.py"):
        assert calls.count(name) == 1, (name, calls)
