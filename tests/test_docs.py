from dhlint.devtools.gen_docs import main
from tests.conftest import REPO


def test_generated_docs_are_up_to_date():
    """README rule tables and docs/rules/ match rules/ (run python -m dhlint.devtools.gen_docs)."""
    assert main(["--check", "--root", str(REPO)]) == 0


def test_readme_names_the_two_commands_and_ci_runs_the_second():
    readme = (REPO / "README.md").read_text()
    install_and_run = "python -m pip install . && dhlint check fixtures/"
    tests = (
        "python -m pip install -e '.[test]' && ruff check . && ruff format --check . "
        "&& python -m pytest"
    )
    assert install_and_run in readme and tests in readme
    assert tests in (REPO / ".ci" / "run").read_text()


def test_compiled_catalogue_gives_the_same_rules_and_a_stale_copy_is_ignored(tmp_path):
    import shutil

    import yaml

    from dhlint.catalog import COMPILED, load_catalog, parse_rule

    base = REPO / "rules" / "catalog"
    assert (REPO / "rules" / COMPILED).is_file()
    from_yaml = tuple(
        sorted(
            (
                parse_rule(yaml.safe_load(p.read_text("utf-8")), str(p))
                for p in base.glob("DH*.yaml")
            ),
            key=lambda r: r.id,
        )
    )
    assert load_catalog() == from_yaml
    # The same order inside every mapping too (the docs render controls in file order).
    assert [list(r.controls) for r in load_catalog()] == [list(r.controls) for r in from_yaml]
    assert load_catalog(str(base)) == from_yaml
    # A copy whose YAML changed after the JSON was written reads that file's YAML.
    shutil.copytree(REPO / "rules", tmp_path / "rules")
    edited = sorted((tmp_path / "rules" / "catalog").glob("DH1*.yaml"))[0]
    text = edited.read_text("utf-8")
    title = yaml.safe_load(text)["title"]
    edited.write_text(text.replace(title, "An edited title", 1), encoding="utf-8")
    rules = {r.id: r for r in load_catalog(str(tmp_path / "rules" / "catalog"))}
    assert rules[edited.stem.split("-", 1)[0]].title == "An edited title"
    assert len(rules) == len(from_yaml)


def test_compiled_default_policy_is_the_yaml_and_a_stale_copy_is_ignored(tmp_path):
    import yaml

    from dhlint.policy import COMPILED_POLICY, _default_settings, compiled_policy
    from dhlint.resources import copied_data, read_copy

    source = REPO / "rules" / "policy.yaml"
    raw = source.read_bytes()
    from_yaml = yaml.safe_load(raw.decode("utf-8"))
    shipped = read_copy(REPO / "rules" / COMPILED_POLICY)
    assert copied_data(shipped, raw) == from_yaml  # the shipped copy is current ...
    assert _default_settings() == from_yaml
    assert list(_default_settings()) == list(from_yaml)  # ... in the YAML's order too
    # A copy made from other YAML, or not a copy at all, is not used.
    copy = tmp_path / COMPILED_POLICY
    copy.write_text(compiled_policy(source), encoding="utf-8")
    assert copied_data(read_copy(copy), raw) == from_yaml
    assert copied_data(read_copy(copy), raw.replace(b"365", b"366", 1)) is None
    for text in ("not json", "[]", '{"format": 2, "sha256": "x"}'):
        copy.write_text(text, encoding="utf-8")
        assert read_copy(copy) == {}
    assert read_copy(tmp_path / "missing.json") == {}
