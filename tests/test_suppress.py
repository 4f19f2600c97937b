import datetime as dt

from dhlint.suppress import EXPIRED, MISSING_REASON, UNKNOWN_RULE, apply, audit, parse_suppressions
from dhlint.types import Finding, Location


def _finding(line: int, scope=None, rule="DH101", path="a.tf") -> Finding:
    return Finding(rule, "error", "high", "m", Location(path, line, 3), "x", scope=scope)


def test_parse_forms_and_reasons():
    text = "\n".join(
        [
            'resource "x" "y" { # dhlint: ignore[DH101] bucket holds timetables',
            '// dhlint: ignore[DH101, dh301] reason="shared" until=2027-01-31',
            "/* dhlint: ignore[DH101] migration */",
            "# dhlint: ignore-file[DH560] generated test data",
            "x = 1  # dhlint: ignore[DH101]",
            "no comment here",
        ]
    )
    sups = parse_suppressions("a.tf", text)
    assert [(s.line, s.rule_ids, s.reason, s.until, s.file_level) for s in sups] == [
        (1, ("DH101",), "bucket holds timetables", None, False),
        (2, ("DH101", "DH301"), "shared", "2027-01-31", False),
        (3, ("DH101",), "migration", None, False),
        (4, ("DH560",), "generated test data", None, True),
        (5, ("DH101",), "", None, False),
    ]


def test_applies_on_line_line_above_and_scope_only():
    sups = {"a.tf": parse_suppressions("a.tf", "\n\n\n\n# dhlint: ignore[DH101] why\n")}
    same = apply([_finding(5)], sups, str)[0]
    below = apply([_finding(6)], sups, str)[0]
    far = apply([_finding(9)], sups, str)[0]
    in_scope = apply([_finding(2, scope=(2, 8))], sups, str)[0]
    other_rule = apply([_finding(5, rule="DH301")], sups, str)[0]
    assert same.suppressed_by and below.suppressed_by and in_scope.suppressed_by
    assert far.suppressed_by is None and other_rule.suppressed_by is None


def test_expired_suppression_silences_nothing_and_is_reported():
    sups = parse_suppressions("a.tf", "# dhlint: ignore[DH101] later until=2026-01-01\n")
    today = dt.date(2026, 11, 25)
    assert apply([_finding(2)], {"a.tf": sups}, str, today)[0].suppressed_by is None
    assert [p.rule_id for p in audit(sups, lambda i: True, today)] == [EXPIRED]
    not_yet = dt.date(2025, 12, 31)
    assert apply([_finding(2)], {"a.tf": sups}, str, not_yet)[0].suppressed_by is not None


def test_audit_reports_missing_reason_and_unknown_rule():
    sups = parse_suppressions("a.py", "x = 1  # dhlint: ignore[DH101,DH9X9]\n")
    problems = audit(sups, lambda i: i == "DH101")
    assert sorted(p.rule_id for p in problems) == [MISSING_REASON, UNKNOWN_RULE]
    assert all(p.location.start_line == 1 for p in problems)


def test_aliases_are_canonicalised():
    sups = {"a.tf": parse_suppressions("a.tf", "# dhlint: ignore[DH100] old id, same rule\n")}
    out = apply([_finding(2)], sups, lambda i: "DH101" if i == "DH100" else i)
    assert out[0].suppressed_by is not None


def test_a_python_comment_above_other_comment_lines_covers_the_statement_below_them(scan):
    """probe43 P9 (min/08): an own-line suppression followed by a comment explaining it covered
    only that comment line (DH004, and the finding reported); as in YAML, comment lines may
    stand between it and the statement, a blank line may not."""
    text = "\n".join(
        [
            "def f(df):",
            '    # dhlint: ignore[DH560] reason="rescue list, MOU 2026-03"',
            "    # Fire department gets door-level data for rescue.",
            "    #",
            "    df.to_csv('a.csv')",
            "    df.to_csv('b.csv')",
            "    # dhlint: ignore[DH560] reason=blank below",
            "",
            "    df.to_csv('c.csv')",
        ]
    )
    sups = {"a.py": parse_suppressions("a.py", text)}
    covered = [apply([_finding(n, path="a.py", rule="DH560")], sups, str)[0] for n in (5, 6, 9)]
    assert [f.suppressed_by is not None for f in covered] == [True, False, False]
    code = """
import pandas as pd

def fire_export(df):
    # dhlint: ignore[DH560] reason="fire dept rescue list, MOU 2026-03"
    # Fire department gets door-level data for rescue.
    df[["email", "zone"]].to_parquet("s3://b/latest.parquet")
"""
    result = scan({"a.py": code}, select=["DH560", "DH004"])
    assert result.active == [] and len(result.suppressed) == 1


def test_a_comment_at_the_end_of_a_line_covers_that_line_only():
    """The next line is another statement: a violation added below an excepted one is not
    hidden by the exception."""
    text = 'x = 1  # dhlint: ignore[DH101] reason="test data"\ny = 2\n'
    sups = {"a.tf": parse_suppressions("a.tf", text)}
    assert not sups["a.tf"][0].own_line
    assert apply([_finding(1)], sups, str)[0].suppressed_by is not None
    assert apply([_finding(2)], sups, str)[0].suppressed_by is None
    in_scope = apply([_finding(1, scope=(1, 3))], sups, str)[0]
    assert in_scope.suppressed_by is not None


def test_rule_names_and_unreadable_dates():
    text = (
        "# dhlint: ignore[Identifier-In-Logs, dh565] reason=x until=2027-13-45\n"
        "# dhlint: ignore[DH565] reason=y until=31/03/2027\n"
    )
    sups = parse_suppressions("a.py", text)
    assert sups[0].rule_ids == ("identifier-in-logs", "DH565")
    problems = audit(sups, lambda i: True, dt.date(2026, 11, 25))
    assert [(p.rule_id, p.args["until"]) for p in problems] == [
        (EXPIRED, "2027-13-45 (not a date: write until=YYYY-MM-DD)"),
        (EXPIRED, "31/03/2027 (not a date: write until=YYYY-MM-DD)"),
    ]


def test_a_comment_at_the_end_of_a_header_covers_its_block():
    text = (
        "def audit(rows):\n"
        '    for row in rows:  # dhlint: ignore[DH101] reason="debug loop"\n'
        "        x = row\n"
        "\n"
        "        y = row\n"
        "    z = 1\n"
    )
    sups = {"a.tf": parse_suppressions("a.tf", text)}
    assert sups["a.tf"][0].block_end == 5
    covered = [n for n in range(1, 7) if apply([_finding(n)], sups, str)[0].suppressed_by]
    assert covered == [2, 3, 4, 5]


def test_forms_users_write_and_other_tools_comments():
    # ux2 #12/#13: upper case and ids without brackets were silently not suppressions; another
    # tool's directive after the reason was read as part of it. A '#' in the reason stays.
    text = (
        "a = 1  # dhlint: ignore[DH565] support needs it  # noqa: E501\n"
        "b = 2  # DHLINT: IGNORE[dh565] upper case\n"
        "c = 3  # dhlint: ignore DH565, DH560 no brackets\n"
        "d = 4  # dhlint: ignore ticket 12 needs it\n"
        "e = 5  # dhlint: ignore[DH565] see ticket #123  # type: ignore[attr-defined]\n"
        '# dhlint: IGNORE-FILE[DH560] reason="a # b"\n'
        # probe21tf R7: ids apart by spaces; a noqa word in a reason is no directive
        "f = 6  # dhlint: ignore DH101 DH302 both here\n"
        "g = 7  # dhlint: ignore[DH565] see #noqa-123  # noqa\n"
    )
    found = [(s.line, s.rule_ids, s.reason, s.file_level) for s in parse_suppressions("a.py", text)]
    assert found == [
        (1, ("DH565",), "support needs it", False),
        (2, ("DH565",), "upper case", False),
        (3, ("DH565", "DH560"), "no brackets", False),
        (5, ("DH565",), "see ticket #123", False),
        (6, ("DH560",), "a # b", True),
        (7, ("DH101", "DH302"), "both here", False),
        (8, ("DH565",), "see #noqa-123", False),
    ]


def test_a_comment_at_the_head_of_a_yaml_document_covers_the_document():
    text = (
        "# dhlint: ignore[DH101] reason=a\n"  # 1: above the first document's first key
        "apiVersion: v1\n"
        "kind: Secret\n"
        "data:\n"
        "  k: v\n"
        "---\n"  # 6
        "apiVersion: v1\n"
        "kind: Pod  # dhlint: ignore[DH101] reason=b\n"  # 8: ends the document's kind line
        "spec:\n"
        "  x: 1  # dhlint: ignore[DH101] reason=c\n"  # 10: not the head
        "# trailing comment\n"
        "---\n"
        "- apiVersion: v1  # dhlint: ignore[DH101] reason=d\n"  # 13: a list, not an object
        "  kind: Pod\n"
    )
    sups = parse_suppressions("a.yaml", text)
    assert [(s.line, s.block_start, s.block_end) for s in sups] == [
        (1, 2, 5),
        (8, 7, 10),
        (10, 0, 0),
        (13, 0, 0),
    ]
    first = {"a.yaml": sups[:1]}
    covered = [
        n for n in range(1, 15) if apply([_finding(n, path="a.yaml")], first, str)[0].suppressed_by
    ]
    assert covered == [1, 2, 3, 4, 5]  # its own line too, as any comment's
    second = {"a.yaml": sups[1:2]}
    covered = [
        n for n in range(1, 15) if apply([_finding(n, path="a.yaml")], second, str)[0].suppressed_by
    ]
    assert covered == [7, 8, 9, 10]
    # The same comments in another language's file: only the line below / the line itself.
    assert [(s.line, s.block_start, s.block_end) for s in parse_suppressions("a.tf", text)] == [
        (1, 0, 0),
        (8, 0, 0),
        (10, 0, 0),
        (13, 0, 0),
    ]


def test_a_comment_above_a_yaml_key_or_list_item_covers_that_node():
    text = (
        "spec:\n"  # 1
        "  env:\n"
        "    - name: A\n"
        "      value: a\n"
        "    # dhlint: ignore[DH101] reason=entry\n"  # 5: above a list item
        "    - name: B\n"
        "      value: b\n"
        "    - name: C\n"  # 8: the next entry is not covered
        "      value: c\n"
        "  # dhlint: ignore[DH101] reason=key\n"  # 10: above a key holding a sequence: its line
        "  ports:\n"
        "  - 1\n"
        "  - 2\n"
        "  other: 3\n"  # 14
        "  # dhlint: ignore[DH101] reason=blank\n"  # 15: a blank line follows: the next line only
        "\n"
        "  last: 4\n"
    )
    sups = parse_suppressions("a.yaml", text)
    assert [(s.line, s.block_start, s.block_end) for s in sups] == [
        (5, 6, 7),
        (10, 0, 0),
        (15, 0, 0),
    ]

    def covered(sup):
        table = {"a.yaml": [sup]}
        lines = range(1, 18)
        return [
            n for n in lines if apply([_finding(n, path="a.yaml")], table, str)[0].suppressed_by
        ]

    assert covered(sups[0]) == [5, 6, 7]
    assert covered(sups[1]) == [10, 11]
    assert covered(sups[2]) == [15, 16]
    # Not in a Terraform or Python file: there a comment covers the line below (and its scope).
    assert [(s.block_start, s.block_end) for s in parse_suppressions("a.tf", text)] == [(0, 0)] * 3


DEPLOYMENT_ENV = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: tap
  labels: {app: tap, data-classification: internal}
spec:
  selector: {matchLabels: {app: tap}}
  template:
    metadata:
      labels: {app: tap, data-classification: internal}
    spec:
      containers:
        - name: consumer
          image: registry.example/tap:1
          env:
            - name: LOG_LEVEL
              value: info
            # dhlint: ignore[DH740] reason="dev cluster only, rotated"
            - name: DB_PASSWORD
              value: "tapconsumer-Pw-2026"
            - name: API_TOKEN
              value: "tok-Literal-2026-abc"
"""


def test_a_comment_above_an_env_entry_covers_that_entry_only(scan):
    # probe33 min/10: the comment above "- name: DB_PASSWORD" silenced nothing (and DH004 said
    # "remove it"); the literal token of the next entry stays reported.
    result = scan({"dep.yaml": DEPLOYMENT_ENV}, select=["DH740", "DH004"])
    assert [(f.rule_id, f.location.start_line) for f in result.active] == [("DH740", 22)]
    assert [(f.rule_id, f.location.start_line) for f in result.suppressed] == [("DH740", 20)]


def test_a_comment_above_a_yaml_key_covers_it_only_when_it_holds_a_scalar():
    # probe34 min/05: above a key holding a mapping or a sequence the comment covers that key's
    # line only (an exception for one entry must not hide the others); above a key whose value
    # is a scalar, that key with its block scalar or continuation lines.
    text = (
        "spec:\n"  # 1
        "  # dhlint: ignore[DH101] reason=mapping\n"
        "  template:\n"
        "    name: a\n"
        "  # dhlint: ignore[DH101] reason=sequence indented deeper\n"  # 5
        "  env:\n"
        "    - name: A\n"
        "  # dhlint: ignore[DH101] reason=flow mapping\n"
        "  labels: {a: b,\n"
        "    c: d}\n"  # 10
        "  # dhlint: ignore[DH101] reason=anchored mapping\n"
        "  base: &base\n"
        "    a: 1\n"
        "  # dhlint: ignore[DH101] reason=block scalar\n"
        "  script: |\n"  # 15
        "    echo one\n"
        "    echo two\n"
        "  # dhlint: ignore[DH101] reason=plain scalar on the next line\n"
        "  note:\n"
        "    some text\n"  # 20
        "  # dhlint: ignore[DH101] reason=scalar\n"
        "  # another comment\n"
        '  password: "x"\n'
        "  # dhlint: ignore[DH101] reason=null\n"
        "  empty:\n"  # 25
        "  items:\n"
        "    # dhlint: ignore[DH101] reason=item\n"
        "    - a:\n"
        "        b: 1\n"
        "    - c\n"  # 30
    )
    sups = parse_suppressions("a.yaml", text)
    assert [(s.line, s.block_start, s.block_end) for s in sups] == [
        (2, 0, 0),
        (5, 0, 0),
        (8, 0, 0),
        (11, 0, 0),
        (14, 15, 17),
        (18, 19, 20),
        (21, 23, 23),
        (24, 25, 25),
        (27, 28, 29),
    ]


DEPLOYMENT_ENV_KEY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: permits
  labels:
    data-classification: internal
spec:
  selector:
    matchLabels: {app: permits}
  template:
    metadata:
      labels: {app: permits, data-classification: internal}
    spec:
      containers:
        - name: api
          image: registry.kcmo.gov/permits:1
          # dhlint: ignore[DH740] reason="local dev database password, not used in prod"
          env:
            - name: DB_PASSWORD
              value: "devpassword123"
            - name: STRIPE_API_KEY
              value: "sk_live_51HxYzAbCdEfGhIjKlMnOpQrStUvWx"
"""


def test_a_comment_above_env_hides_no_entry(scan):
    # probe34 min/05: a comment above "env:" meant for the dev DB password hid the live Stripe
    # key of the next entry too (and was not reported). It covers the "env:" line only: both
    # literals are reported, and the misplaced comment is unused.
    result = scan({"dep.yaml": DEPLOYMENT_ENV_KEY}, select=["DH740", "DH004"])
    assert [(f.rule_id, f.location.start_line) for f in result.active] == [
        ("DH004", 17),
        ("DH740", 20),
        ("DH740", 22),
    ]
    assert result.suppressed == []


def test_a_comment_above_a_container_hides_none_of_its_env_entries(scan):
    # A list item that holds a sequence is a container of entries, not one entry: a comment
    # above "- name: api" covers that line only (its env literals stay reported), while one
    # above "- name: DB_PASSWORD" still covers that entry.
    comment = '# dhlint: ignore[DH740] reason="local dev database password, not used in prod"'
    text = DEPLOYMENT_ENV_KEY.replace(f"          {comment}\n", "").replace(
        "        - name: api\n", f"        {comment}\n        - name: api\n"
    )
    result = scan({"dep.yaml": text}, select=["DH740", "DH004"])
    assert [(f.rule_id, f.location.start_line) for f in result.active] == [
        ("DH004", 15),
        ("DH740", 20),
        ("DH740", 22),
    ]
    one = DEPLOYMENT_ENV_KEY.replace(
        f"          {comment}\n          env:\n", f"          env:\n            {comment}\n"
    )
    result = scan({"dep.yaml": one}, select=["DH740", "DH004"])
    assert [(f.rule_id, f.location.start_line) for f in result.active] == [("DH740", 22)]
    assert [f.location.start_line for f in result.suppressed] == [20]


def test_the_quick_mention_check_agrees_with_the_case_insensitive_pattern():
    from dhlint.suppress import _MENTION, _mentioned

    texts = [
        "x = 1\n",
        "# DHLINT: IGNORE[DH101] reason=x\n",
        "# DhLiNt: ignore\n",
        "# dhl\u0131nt: ignore[DH101]\n",  # a dotless i: the pattern takes it
        "# DHL\u0130NT: ignore[DH101]\n",  # a dotted capital I
        "# dhl int\n",
        "dh lint",
        "",
    ]
    for text in texts:
        assert _mentioned(text) == (_MENTION.search(text) is not None), text


def test_an_unknown_rule_is_shown_as_written_with_the_closest_known_ones():
    """probe: the mistyped id was shown lower-cased (DH1O1 as 'dh1o1') and without a hint."""
    names = ["DH101", "DH102", "DH760", "python-literal-credential", "k8s-env-literal-credential"]
    text = "x = 1  # dhlint: ignore[DH1O1, Python-Literal-Credentail, DH7600, B105] typos\n"
    problems = audit(parse_suppressions("a.py", text), lambda i: i in names, names=names)
    assert [(p.args["written"], p.args["suggestion"]) for p in problems] == [
        ("DH1O1", " (did you mean DH101?)"),
        ("Python-Literal-Credentail", " (did you mean python-literal-credential?)"),
        ("DH7600", " (did you mean DH760?)"),
        ("B105", ""),
    ]


def test_the_unknown_rule_message_through_the_engine(scan):
    result = scan({"a.py": "x = 1  # dhlint: ignore[DH1O1] typo\n"}, select=["DH002"])
    assert [f.message for f in result.active] == [
        "Suppression names unknown rule 'DH1O1'; it silences nothing (did you mean DH101?)"
    ]
    # the anchor (baselines, fingerprints) as before: the ids as dhlint reads them
    assert result.active[0].anchor == "suppression:ids=dh1o1,rule=dh1o1"


def test_a_suppression_written_inside_a_yaml_block_scalar_is_text_not_a_comment():
    # probe37 min/14: a rule's remediation (a ConfigMap's howto, the catalogue's examples)
    # quoting a suppression is a block scalar's text; comments around it still count.
    text = (
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "data:\n"
        "  howto: |\n"
        "    Suppress with that reason\n"
        "    (`# dhlint: ignore[DH240] mTLS by the mesh`).\n"  # 6: text
        "    MODE: batch  # dhlint: ignore[DH740] migration until=2020-01-31\n"  # 7: text
        "\n"
        "  MODE: batch  # dhlint: ignore[DH740] a comment after the scalar\n"  # 9
        "  notes: >-\n"
        "    folded # dhlint: ignore[DH101] text\n"  # 11: text
        "examples:\n"
        "  - |\n"
        "    # dhlint: ignore[DH101] text\n"  # 14: text
        "  - x  # dhlint: ignore[DH101] a comment\n"  # 15
        "pipe: 'a|b'  # dhlint: ignore[DH101] after a quoted pipe\n"  # 16
    )
    assert [s.line for s in parse_suppressions("a.yaml", text)] == [9, 15, 16]
    # In another language's file every one is a comment.
    assert len(parse_suppressions("a.py", text)) == 7
