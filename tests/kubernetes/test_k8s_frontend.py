"""The YAML frontend: exact node positions, document splitting, and the bomb guards."""

from __future__ import annotations

import pickle

from dhlint.frontends.kubernetes import (
    MAX_DEPTH,
    is_helm_template,
    parse_document,
    parse_file,
    split_documents,
)

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      env:
        - name: NOTE
          value: |
            line one
            line two

        - {name: Q, value: "quoted"}
"""


def test_scalar_positions_are_exact_one_based_end_exclusive():
    root = parse_document(POD)
    assert root is not None
    env = root.get("spec", "containers").items()[0].get("env").items()
    name = env[0].get("name")
    assert (name.line, name.col, name.end_line, name.end_col) == (9, 17, 9, 21)
    key = env[0].key("value")
    assert (key.line, key.col, key.end_line, key.end_col) == (10, 11, 10, 16)
    # A block scalar ends at the end of its last text line, not at the next token.
    block = env[0].get("value")
    assert (block.line, block.col, block.end_line, block.end_col) == (10, 18, 12, 21)
    assert block.text == "line one\nline two\n"
    # Quotes are part of the value's region.
    quoted = env[1].get("value")
    assert (quoted.line, quoted.col, quoted.end_line, quoted.end_col) == (14, 28, 14, 36)
    assert quoted.text == "quoted" and quoted.style == '"'
    # A block mapping ends where its last value ends; a flow mapping at its brace.
    assert (env[0].line, env[0].end_line, env[0].end_col) == (9, 12, 21)
    assert (env[1].line, env[1].col, env[1].end_line, env[1].end_col) == (14, 11, 14, 37)


def test_multi_document_file_keeps_going_after_an_invalid_document():
    text = "a: 1\n---\nb: [1\n---\n\n# comment\nc: 3\n---\n---\nd: {x: 1}\n"
    parsed = parse_file("m.yaml", text)
    assert [(d.index, d.line) for d in parsed.documents] == [(0, 1), (2, 4), (3, 8), (4, 9)]
    assert [d.root.to_python() if d.root else None for d in parsed.documents] == [
        {"a": "1"},
        {"c": "3"},
        None,
        {"d": {"x": "1"}},
    ]
    c = parsed.documents[1].root.get("c")
    assert (c.line, c.col) == (7, 4)
    [(index, error)] = parsed.errors
    assert index == 1 and error.line == 3 and "invalid YAML" in error.message


def test_split_documents_keeps_directives_with_their_document():
    text = "%YAML 1.1\n---\na: 1\n...\n# trailing comment\n---\nb: 2\n"
    assert split_documents(text) == [(0, "%YAML 1.1\n---\na: 1\n...\n"), (5, "---\nb: 2\n")]


def test_tab_indentation_is_an_error_with_its_line():
    parsed = parse_file("t.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n")
    [(_, error)] = parsed.errors
    assert error.line == 4 and error.col >= 1


def test_unknown_tags_are_inert_and_merge_keys_resolve():
    root = parse_document(
        "a: !!python/object/apply:os.system ['echo pwned']\n"
        "base: &b {x: 1, y: 2}\n"
        "c:\n  <<: *b\n  y: 3\n"
    )
    assert root.get("a").tag == "tag:yaml.org,2002:python/object/apply:os.system"
    assert root.get("c").to_python() == {"y": "3", "x": "1"}
    # The merged value points where it is written: the anchor's definition.
    x = root.get("c", "x")
    assert (x.line, x.col) == (2, 14)


def test_alias_bomb_is_refused_without_expanding_it():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    parsed = parse_file("bomb.yaml", "\n".join(lines) + "\n")
    [(_, error)] = parsed.errors
    assert "alias bomb" in error.message and error.line >= 2


def test_deep_nesting_is_refused_not_crashed():
    depth = MAX_DEPTH + 50
    parsed = parse_file("deep.yaml", "x: " + "[" * depth + "]" * depth + "\n")
    [(_, error)] = parsed.errors
    assert "nesting" in error.message and error.line == 1
    # A much deeper file (which segfaults the C composer) is refused just as quickly.
    parsed = parse_file("deeper.yaml", "[" * 200_000 + "]" * 200_000)
    assert parsed.errors and not parsed.documents


def test_recursive_alias_is_an_error():
    parsed = parse_file("r.yaml", "a: &a [1, *a]\n")
    [(_, error)] = parsed.errors
    assert "alias" in error.message


def test_nodes_pickle():
    parsed = parse_file("p.yaml", POD)
    again = pickle.loads(pickle.dumps(parsed))
    assert again.documents[0].root.to_python() == parsed.documents[0].root.to_python()


def test_helm_template_needs_a_chart(tmp_path):
    chart = tmp_path / "charts" / "ingest"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: ingest\nversion: 0.1.0\n")
    template = chart / "templates" / "deployment.yaml"
    text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
    template.write_text(text)
    assert is_helm_template("charts/ingest/templates/deployment.yaml", str(template), text)
    assert parse_file("charts/ingest/templates/deployment.yaml", text, str(template)).helm_template
    # Without Chart.yaml above, a `templates/` directory is just a directory.
    plain = tmp_path / "templates" / "x.yaml"
    plain.parent.mkdir()
    plain.write_text(text)
    assert not is_helm_template("templates/x.yaml", str(plain), text)
    assert not is_helm_template("charts/ingest/values.yaml", str(chart / "values.yaml"), text)


def test_crlf_line_endings_split_documents_and_keep_positions():
    text = "a: 1\r\n---\r\nb: |\r\n  two\r\n---\r\nc: 3\r\n"
    parsed = parse_file("w.yaml", text)
    assert [d.root.to_python() for d in parsed.documents] == [
        {"a": "1"},
        {"b": "two\n"},
        {"c": "3"},
    ]
    block = parsed.documents[1].root.get("b")
    assert (block.line, block.col, block.end_line, block.end_col) == (3, 4, 4, 6)


def test_documents_the_split_missed_are_still_separate():
    from dhlint.frontends.kubernetes import parse_documents

    roots = parse_documents("--- {a: 1}\n--- {b: 2}\n")
    assert [r.to_python() for r in roots] == [{"a": "1"}, {"b": "2"}]
