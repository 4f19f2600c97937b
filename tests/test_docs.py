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
