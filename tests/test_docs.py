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
