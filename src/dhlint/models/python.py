"""Python model: one per file, facts about data flow rather than syntax.

The detectors read these facts only:

- ``sinks``: data leaving the program (files, databases, object storage, network, logs) with
  the columns that may reach it, each with its lineage (the source column names it derives
  from), its treatment on the way (raw, keyed hash, unkeyed hash, rounding, ...) and the flow
  (source -> transforms) for SARIF code flows;
- ``hashes``: unkeyed hashes applied to values derived from columns;
- ``endpoints``: network endpoints (HTTP URLs, storage client endpoints, mail/FTP hosts) with
  the URL resolved from literals, module constants, f-strings and environment defaults;
- ``tls``: switched-off certificate checks and ``sslmode=disable``;
- ``public``: objects, buckets and containers the code makes public (a public ACL, a bucket
  policy or IAM binding for anyone, public access blocks removed, a public container);
- ``env_reads``: environment variables read (name, place, literal default);
- ``reads``: data read from object storage (URI or bucket, and the variables they come from);
- ``credentials``: literal credentials (``python_credentials``, DH760), found in every file
  whether or not the pre-filter lets it through to the data-flow analysis.

Column names are kept as written: classification against the policy's identifiers is the
detectors' job, so one model serves any policy.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from dhlint.analysis import BuildEnv, BuildResult
from dhlint.types import Diagnostic, FrontendError, Location, Related, SourceFile

# Treatments of a column on its way to a sink.
RAW = "raw"  # as read (or copied, cast, lower-cased...)
KEYED = "keyed"  # HMAC or another keyed function
# "protected:<fn>" policy protective function; "weak-hash:<algo>" unkeyed hash;
# "round:<n>" rounded to n decimals ("round:?": to decimals not known; "round:=": to a named
# constant not resolved, the project's configured decimals); "truncate:<n>" first n
# characters; "last:<n>" the last n (at most 4) characters; "bucket" binned;
# "aggregate" reduced to a statistic.


@dataclass(frozen=True)
class ColumnFact:
    name: str  # the name at the sink
    origins: tuple[str, ...]  # source column (or variable) names it derives from
    treatment: str
    flow: tuple[Related, ...] = ()  # source first, then transforms
    by_name: bool = False  # known only from a variable's name: judged on high confidence only
    owner: str = ""  # by name, read from a named value (``user.fullname``: user): Col.owner


@dataclass(frozen=True)
class SinkFact:
    kind: str  # file | database | storage | network | log
    api: str  # e.g. "DataFrame.to_csv", "requests.post", "logging.info"
    location: Location
    anchor: str
    scope: tuple[int, int]
    columns: tuple[ColumnFact, ...]
    host: str | None = None  # network and storage sinks, when known
    target: str | None = None  # file path, table or URL, when known
    # Environment variables whose value reaches the URL, host, bucket or path arguments
    # (directly, through a variable, a module constant, an f-string, concatenation, urljoin).
    env: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()  # every host a network call may reach, ``host`` first
    # A DynamoDB write's attributes, when all are known (an item put as a dict literal, an
    # update's SET targets); None when not known or not such a write.
    attributes: tuple[str, ...] | None = None
    # What is written is a grouping's statistics (counts by ZIP, age band, sex): "cells" with
    # no filter of the groups under k seen, "suppressed" with one (``Frame.grouped``).
    grouped: str = ""


@dataclass(frozen=True)
class HashFact:
    algo: str  # md5 | sha1 | sha256 | hash() | ...
    location: Location
    anchor: str
    scope: tuple[int, int]
    columns: tuple[ColumnFact, ...]  # what was hashed
    # A secret read at run time hashed with them (``sha256(PEPPER + id)``, PEPPER from the
    # environment or a secret store): what it is, for the message. Empty when none is seen.
    secret: str = ""
    # A key written in the code (``hmac.new(PLATE_KEY, ...)``, ``blake2b(v, key=b"...")``):
    # how the call names it ("'PLATE_KEY'", "a literal") and where it is written.
    key: str = ""
    key_at: Location | None = None


@dataclass(frozen=True)
class EndpointFact:
    api: str  # requests.post | boto3.client(endpoint_url) | smtplib.SMTP ...
    url: str  # as resolved; unknown parts are "{...}"
    scheme: str
    host: str | None  # None when the host part is not known
    # literal | constant | class-constant | settings-default | f-string | env-default |
    # concatenation | sdk (a vendor SDK's fixed API host: Twilio's)
    via: str
    location: Location
    anchor: str
    scope: tuple[int, int]
    related: tuple[Related, ...] = ()  # where the URL (or its default) is written
    env: tuple[str, ...] = ()  # environment variables the URL is built from
    # What the code wrote when it names a host, not a URL (a Kafka broker "kafka.x:9093", an
    # SMTP/FTP/SFTP host): ``url`` adds a scheme the code did not write. Empty: ``url``.
    written: str = ""


@dataclass(frozen=True)
class EnvReadFact:
    """``os.environ["X"]``, ``os.environ.get("X", default)``, ``os.getenv("X")``."""

    name: str
    location: Location
    default: str | None = None  # a literal default, when given


@dataclass(frozen=True)
class ReadFact:
    """Data read from object storage (``pd.read_csv("s3://...")``, ``spark.read.parquet``,
    boto3 ``get_object``/``download_file``, GCS ``download_*``)."""

    kind: str  # storage
    api: str
    location: Location
    anchor: str
    scope: tuple[int, int]
    target: str | None = None  # the URI as resolved; unknown parts are "{...}"
    host: str | None = None  # the bucket, when known
    env: tuple[str, ...] = ()  # environment variables the URI or bucket comes from


@dataclass(frozen=True)
class TlsFact:
    # verify-false | sslmode-disable (-allow, -prefer) | unverified-context |
    # check-hostname-false | cert-none | encrypt-off | trust-server-certificate | tls-insecure
    # (paho-MQTT) | connection-verify-false (azure-core) | smtp-plain (a mail sent on an
    # smtplib.SMTP connection without starttls()) | smtp-opportunistic (on an aiosmtplib one
    # that upgrades only if the server offers STARTTLS) | kafka-plaintext |
    # kafka-sasl-plaintext | kafka-default (a Kafka client's security protocol, with its
    # brokers' hosts) | kafka-check-hostname | kafka-verify-off | kafka-identification-none |
    # ssh-auto-add | ssh-warning (paramiko's AutoAddPolicy, WarningPolicy: any server key taken)
    kind: str
    api: str
    location: Location
    anchor: str
    scope: tuple[int, int]
    hosts: tuple[str, ...] = ()  # smtp-*, kafka-*: the hosts the connection may reach


@dataclass(frozen=True)
class PublicFact:
    """A call that makes stored data public: ``s3.put_object(..., ACL="public-read")``,
    ``blob.make_public()``, ``create_container(..., public_access="container")``..."""

    grant: str  # what makes it public, as the message says it: "ACL public-read"
    api: str  # the call: "put_object_acl", "make_public"...
    location: Location
    anchor: str
    scope: tuple[int, int]
    bucket: str | None = None  # the bucket or container, when known
    # Whether the grant covers the whole bucket (or container), not one object: then what any
    # write to the bucket stores is exposed.
    whole: bool = False


@dataclass
class PythonModel:
    path: str
    analysed: bool  # False: the pre-filter found nothing to analyse
    sinks: list[SinkFact] = field(default_factory=list)
    hashes: list[HashFact] = field(default_factory=list)
    endpoints: list[EndpointFact] = field(default_factory=list)
    tls: list[TlsFact] = field(default_factory=list)
    public: list[PublicFact] = field(default_factory=list)
    env_reads: list[EnvReadFact] = field(default_factory=list)
    reads: list[ReadFact] = field(default_factory=list)  # storage reads
    credentials: list = field(default_factory=list)  # python_credentials.CredentialFact


# The lowest classifier confidence any Python rule acts on (the catalogue's `min_confidence`
# params are "medium"; variable names need "high"). The pre-filter must not be stricter.
PREFILTER_CONFIDENCE = ("high", "medium")


# The tests made for a run's policy (by its hash, the confidences and the stage), with the
# answers they gave: every file's build asks for the test again.
_TESTS: dict[tuple, Callable[[str], bool]] = {}


def identifier_test(
    policy, confidences=PREFILTER_CONFIDENCE, ast_stage: bool = False
) -> Callable[[str], bool]:
    """Whether a word of the text is a name the classifier takes for an identifier.

    With ``ast_stage`` the test carries a ``confident`` variant (high confidence only), which
    turns on the pre-filter's second stage on the ``ast`` tree (``build_models`` does unless
    the option ``python_ast_prefilter`` is False). Made once per policy for the run."""
    key = (None if policy is None else policy.hash, tuple(confidences), ast_stage)
    test = _TESTS.get(key)
    if test is None:
        if len(_TESTS) > 32:
            _TESTS.clear()
        test = _TESTS[key] = _identifier_test(policy, confidences, ast_stage)
    return test


def _identifier_test(policy, confidences: Sequence[str], ast_stage: bool) -> Callable[[str], bool]:
    from dhlint.identifiers import (
        confidence_of,
        fixed_place_test,
        person_owner,
        thing_name_alone,
    )

    level = confidence_of(policy)  # cached: the pre-filter asks about every word
    # A fixed place's coordinate (stop_lat) counts too, at medium confidence: DH563 reads it
    # in rows keyed to a person (a card's taps), which the name alone does not show.
    place = fixed_place_test(policy) if "medium" in confidences else None
    # Each word's answer, kept: a dict lookup, where the two tests cost two more Python calls
    # (the pre-filter asks about each word of each file it reads; files share most of them).
    answers: dict[str, bool] = {}

    def test(word: str) -> bool:
        found = answers.get(word)
        if found is None:
            found = level(word) in confidences or (place is not None and place(word))
            if len(answers) < 100_000:  # (as ``identifiers._Levels``)
                answers[word] = found
        return found

    def confident(word: str, owned: bool = True) -> bool:
        """Names known only as variables need high confidence ... but a thing's name
        (fullname) read from a person counts: user.fullname, a Person's. ``owned``: whether
        the file names a person that may own it (``_columns.classify``'s ``person_owner``)."""
        if "high" not in confidences:
            return level(word) in confidences
        found = level(word)
        return found == "high" or (owned and found == "medium" and thing_name_alone(word))

    if ast_stage:
        test.confident = confident  # type: ignore[attr-defined]
        confident.person = lambda name: person_owner(name, policy)  # type: ignore[attr-defined]
    return test


def build_models(files: Sequence[SourceFile], env: BuildEnv) -> BuildResult:
    """One model per file; a file that does not parse gives a diagnostic, the rest go on."""
    from dhlint.frontends import python as frontend
    from dhlint.models.python_imports import checked_tree, lookups

    # The files of a build are read at one moment: an import of their pre-filters, analyses
    # and the modules they read, looked up from the same directory, is looked up once.
    with lookups():
        result = _build_models(files, env)
    # The last file's tree (a unit's only one), for a read of it as a module later in the run
    last = files[-1] if files else None
    tree = frontend.kept_tree(last.text) if last is not None and last.abspath else None
    if tree is not None:
        checked_tree(last.abspath, last.text, tree)
    return result


def _build_models(files: Sequence[SourceFile], env: BuildEnv) -> BuildResult:
    from dhlint.frontends import python as frontend

    words = identifier_test(env.policy, ast_stage=env.options.get("python_ast_prefilter", True))
    force = bool(env.options.get("python_full_analysis"))
    result = BuildResult()
    for source in files:
        _share_module_tree(frontend, source)
        try:
            if not force and not _needs_analysis(frontend, source, words, env.root, result):
                frontend.check_syntax(source.text)
                model = PythonModel(source.path, analysed=False)
                model.credentials = _credentials(frontend, source, result)
                result.models.append(model)
                continue
            credentials = _credentials(frontend, source, result)
            # The stdlib tree the pre-filter (or the credential check) built: the analysis runs
            # on it, not parsed again.
            module = frontend.parsed(source.text)
            from dhlint.models.python_dataflow import analyse_module
            from dhlint.models.python_values import OverBudget, TooLarge
        except frontend.NewerSyntax as exc:
            result.diagnostics.append(
                Diagnostic(
                    source.path, exc.message, exc.line, exc.col, level="warning", kind="skipped"
                )
            )
            continue
        except FrontendError as exc:
            result.diagnostics.append(
                Diagnostic(source.path, exc.message, exc.line, exc.col, kind="parse-error")
            )
            continue
        try:
            model = analyse_module(
                module, source.path, env.policy, source.text, source.abspath, result.extra_inputs
            )
        except RecursionError as exc:
            if _syntax_depth(module) >= DEEP_SYNTAX:
                result.diagnostics.append(
                    Diagnostic(
                        source.path,
                        "Python file too deeply nested to analyse",
                        level="warning",
                        kind="skipped",
                    )
                )
                continue
            # Not the file's syntax: the analysis itself (calls followed, values built).
            where = _analysed_function(exc)
            message = f"not fully checked: the analysis recursed too deep{where}"
            _unanalysed(source.path, message, credentials, result)
            continue
        except TooLarge as exc:
            where = _analysed_function(exc)
            grew = "ran past its budget" if isinstance(exc, OverBudget) else "grew too large"
            message = f"not fully checked: the analysis {grew}{where} ({exc})"
            _unanalysed(source.path, message, credentials, result)
            continue
        except Exception as exc:  # a bug in the analysis must not hide the other files
            message = f"internal error in Python analysis: {type(exc).__name__}: {exc}"
            result.diagnostics.append(Diagnostic(source.path, message, kind="internal"))
            continue
        model.credentials = credentials
        result.models.append(model)
    return result


# Levels of syntax (nodes in nodes) from which the analysis, which recurses through
# statements and expressions, may run out of Python's stack (1,000 frames, a few a level).
DEEP_SYNTAX = 100


def _syntax_depth(tree: ast.AST) -> int:
    """The deepest node's level (on a stack of our own: the tree may be deep)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _analysed_function(exc: BaseException) -> str:
    """``" in FUNCTION"``, the function run as an entry point when ``exc`` was raised (read
    from the traceback's frames: the analyzer's own record of it is unwound by then)."""
    name, tb = "", exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_name == "_run_function" and "func" in frame.f_locals:
            name = f"{frame.f_locals.get('prefix', '')}{frame.f_locals['func'].name}"
        tb = tb.tb_next
    return f" in {name}" if name else ""


def _unanalysed(path: str, message: str, credentials: list, result: BuildResult) -> None:
    """A file whose analysis stopped: not fully checked, its credentials still reported."""
    result.diagnostics.append(Diagnostic(path, message, kind="timeout"))
    model = PythonModel(path, analysed=False)
    model.credentials = credentials
    result.models.append(model)


def _share_module_tree(frontend, source: SourceFile) -> None:
    """A file another file's analysis read as a project module (a package's modules import
    one another) is not parsed again: the same text's tree, made the same way, is the
    pre-filter's and the analysis's (``python_imports.parsed_tree``)."""
    from dhlint.models.python_imports import parsed_tree

    tree = parsed_tree(source.abspath, source.text) if source.abspath else None
    if tree is not None:
        frontend.share_tree(source.text, tree)


def _needs_analysis(
    frontend, source: SourceFile, words: Callable, root: str, result: BuildResult
) -> bool:
    """The pre-filter's answer for the file, read with the project modules it imports from:
    the analysis takes their constants (``python_imports``) as if written in the file."""
    if frontend.needs_analysis(source.text, words):
        return True
    if not source.abspath or "import" not in source.text:
        return False
    from dhlint.models.python_imports import imported_texts

    modules = imported_texts(source.text, source.abspath, root, result.extra_inputs)
    if not modules:
        return False
    joined = "\n".join((source.text, *(text for _path, text in modules)))
    # Its tree, if the pre-filter's second stage asks, is made of the texts' own, each parsed
    # once (the file's for its analysis or syntax check, a module's for its reads), not of
    # the joined text parsed again: 106 parses, 6% of a run on python-packages.
    own: list = []

    def make() -> ast.Module | None:
        own.append(frontend._stdlib_tree(source.text))
        return _joined_tree(own[0], modules)

    frontend.tree_maker(joined, make)
    try:
        return frontend.needs_analysis(joined, words)
    finally:
        frontend.tree_maker(None)
        if own and isinstance(own[0], ast.Module):  # the file's own, asked for next
            frontend.share_tree(source.text, own[0])


def _joined_tree(
    own: ast.Module | tuple | None, modules: list[tuple[str, str]]
) -> ast.Module | None:
    """The tree of a file's text (its tree ``own``) joined with the texts of the modules it
    imports (file, text each: ``_needs_analysis``) when each parses alone: the joined text's,
    but for the positions of the modules' nodes (their own texts'), which the pre-filter does
    not read. None when one does not parse alone: the joined text is parsed (its error, if
    any, is the pre-filter's answer, as before)."""
    from dhlint.models.python_imports import module_tree

    if not isinstance(own, ast.Module):
        return None
    body = list(own.body)
    for path, text in modules:
        tree = module_tree(path, text)
        if tree is None:
            return None
        body += tree.body
    return ast.Module(body=body, type_ignores=[])


def _credentials(frontend, source: SourceFile, result: BuildResult) -> list:
    """DH760's facts, on the stdlib tree of the whole text (the pre-filter's or the syntax
    check's, cached: not parsed again; a file that does not parse has none)."""
    from dhlint.models.python_credentials import candidate_lines, credential_facts

    lines = candidate_lines(source.text)
    if not lines:
        return []
    tree = frontend._stdlib_tree(source.text)
    if not isinstance(tree, ast.Module):
        return []
    try:
        return credential_facts(tree, source.text, source.path, lines)
    except RecursionError:
        return []
    except Exception as exc:  # a bug here must not hide the file's other findings
        message = f"internal error in Python credential check: {type(exc).__name__}: {exc}"
        result.diagnostics.append(Diagnostic(source.path, message, kind="internal"))
        return []
