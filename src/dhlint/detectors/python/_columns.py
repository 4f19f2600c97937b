"""Shared by the Python detectors: classify model columns against the policy's identifiers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dhlint.identifiers import (
    LAST_FOUR_CONCEPTS,
    classify_name,
    person_owner,
    renamed_data,
    thing_name_alone,
)
from dhlint.models.python import ColumnFact, PythonModel, SinkFact
from dhlint.types import Related

_CONFIDENCE = {"high": 3, "medium": 2, "low": 1}
PROTECTED_PREFIXES = ("keyed", "protected:", "aggregate")


@dataclass(frozen=True)
class Classified:
    column: ColumnFact
    category: str
    matched: str  # the name (at the sink or upstream) that matched
    concept: str  # the taxonomy concept it matched (postal_code for zip and zip_code)
    # An identifier it came from under another name, when the name at the sink matched too
    # ({"account": acct["fare_account_id"]}): what the message says it is from.
    source: str = ""


def is_raw(column: ColumnFact, policy=None) -> bool:
    """As read, or rounded to whole units or decimals, which leaves a text or an integer (a
    plate, a card number, an age) as it was; ``round(age, -1)`` generalises it: not raw.
    Rounded to decimals not known (``round(age, digits)``, "round:?") or configured
    (``round(age, DECIMALS)``, "round:="): may be as it was, raw.
    The last few characters (``card_number[-4:]``) mask a card number only, as PCI DSS allows:
    a plate's or a phone's tail is still theirs."""
    treatment = column.treatment
    if treatment.startswith("round:"):
        digits = treatment.split(":", 1)[1]
        return digits.isdigit() or digits in ("?", "=")
    if treatment.startswith("last:"):
        found = classify(column, policy, "low") if policy is not None else None
        return found is None or found.concept not in LAST_FOUR_CONCEPTS
    return treatment == "raw"


def classify(
    column: ColumnFact,
    policy,
    min_confidence: str = "medium",
    except_concepts: set[str] = frozenset(),
) -> Classified | None:
    """By the name at the sink first, then by the names it was derived from. A name that
    matches one of ``except_concepts`` does not count, but what it came from still does
    (``user_id = row["email"]``)."""
    floor = _CONFIDENCE.get(min_confidence, 2)
    owned = False
    if column.by_name:
        floor = _CONFIDENCE["high"]  # a variable's name is weaker evidence than a column's
        # ... but a thing's name in code (fullname) read from a person (customer["full_name"],
        # user.fullname) is as good as a column's
        owned = bool(column.owner) and person_owner(column.owner, policy)
    for name in (column.name, *column.origins):
        match = classify_name(name, policy)
        if match is not None and renamed_data(match, name, column.origins, policy):
            continue
        if match is not None and match.matched in except_concepts:
            continue
        level = _CONFIDENCE.get(match.confidence, 0) if match is not None else 0
        if owned and level == _CONFIDENCE["medium"] and thing_name_alone(name):
            level = _CONFIDENCE["high"]
        if match is not None and level >= floor:
            source = _renamed_from(column, policy) if name == column.name else ""
            return Classified(column, match.category, name, match.matched, source)
    return None


def _renamed_from(column: ColumnFact, policy) -> str:
    """The first name the column was derived from, other than its own, that names an
    identifier too."""
    for origin in column.origins:
        if origin == column.name:
            continue
        match = classify_name(origin, policy)
        if match is not None and not renamed_data(match, origin, column.origins, policy):
            return origin
    return ""


def classified(
    columns: Iterable[ColumnFact],
    policy,
    categories: Iterable[str],
    min_confidence: str = "medium",
    except_concepts: Iterable[str] = (),
) -> list[Classified]:
    wanted, skipped = set(categories), set(except_concepts)
    out, seen = [], set()
    for column in columns:
        found = classify(column, policy, min_confidence, skipped)
        if found is not None and found.category in wanted and column.name not in seen:
            seen.add(column.name)
            out.append(found)
    return out


def describe(found: list[Classified]) -> str:
    parts = []
    for item in found:
        name = item.column.name
        text = f"'{name}' ({item.category}"
        source = item.matched if item.matched != name else item.source
        if source:
            text += f", from '{source}'"
        parts.append(text + ")")
    return ", ".join(parts)


def sink_text(sink: SinkFact, model: PythonModel | None = None) -> str:
    # A URL built with an environment variable may go elsewhere than its default's host (a
    # manifest may set it: DH690 names that host); say so rather than name the default alone.
    env = ", ".join(f"${name}" for name in sink.env)
    if sink.kind == "network":
        hosts = sink.hosts or ((sink.host,) if sink.host else ())
        if not hosts and sink.target and sink.api.startswith("pubsub."):
            return f"the network (Pub/Sub topic {sink.target})"  # a topic, not a host
        if not hosts and sink.target and sink.api.startswith("sns."):
            # an SNS topic, named by its ARN or by a variable holding it: not a URL
            topic = env and f"from {env}" if "{" in sink.target else sink.target
            return f"the network (SNS topic {topic})" if topic else "the network (an SNS topic)"
        if not hosts and sink.api.startswith(("kinesis.", "firehose.")):
            # a stream, named by the put (StreamName, DeliveryStreamName) or by a variable
            # holding its name: not a URL
            kind = "Kinesis stream" if sink.api[0] == "k" else "Firehose delivery stream"
            name = sink.target or (env and f"from {env}")
            return f"the network ({kind} {name})" if name else f"the network (a {kind})"
        if not hosts and sink.target and sink.api.endswith(" output binding)"):
            # an Azure Functions binding's hub, queue or topic (its namespace is an app setting)
            service = sink.api.rpartition("(")[2].removesuffix(" output binding)")
            return f"the network ({service} '{sink.target}')"
        defaults = _default_hosts(sink, model) if env else set()
        if defaults.intersection(hosts):
            # the host is the variable's default in the code: where the data goes only when
            # the deployment does not set it
            fixed = ", ".join(h for h in hosts if h not in defaults)
            default = ", ".join(h for h in hosts if h in defaults)
            via = f"URL from {env}, default host {default}"
            return f"the network ({fixed}; {via})" if fixed else f"the network ({via})"
        detail = "; ".join(filter(None, (", ".join(hosts), env and f"URL built with {env}")))
        return f"the network ({detail})" if detail else "the network"
    if sink.kind == "log":
        return "a log"
    if sink.kind == "storage":
        detail = "; ".join(filter(None, (sink.host, env and f"location built with {env}")))
        return f"object storage ({detail})" if detail else "object storage"
    if sink.kind == "database" and sink.api.startswith("redis."):  # a key, not a table
        where = ", ".join(filter(None, (sink.host, sink.target and f"key {sink.target}")))
        return f"a Redis database ({where})" if where else "a Redis database"
    if sink.kind == "database" and sink.api.startswith(("elasticsearch.", "opensearch.")):
        engine = "an OpenSearch" if sink.api.startswith("opensearch.") else "an Elasticsearch"
        where = ", ".join(filter(None, (sink.host, sink.target and f"index {sink.target}")))
        return f"{engine} index ({where})" if where else f"{engine} index"
    if sink.kind == "database" and sink.api.startswith("mongodb."):
        where = ", ".join(filter(None, (sink.host, sink.target and f"collection {sink.target}")))
        return f"a MongoDB database ({where})" if where else "a MongoDB database"
    if sink.kind == "database" and sink.api.startswith("influxdb."):
        where = ", ".join(filter(None, (sink.host, sink.target and f"bucket {sink.target}")))
        return f"an InfluxDB database ({where})" if where else "an InfluxDB database"
    if sink.kind == "database":
        return f"a database table ({sink.target})" if sink.target else "a database"
    path = f" (path built with {env})" if env else ""
    return f"file '{sink.target}'{path}" if sink.target else f"a file{path}"


def _default_hosts(sink: SinkFact, model: PythonModel | None) -> set[str]:
    """The hosts of the call's URLs that are an environment variable's default
    (``os.environ.get("API", "https://billing.kcmo.gov")``)."""
    if model is None:
        return set()
    where = (sink.location.start_line, sink.location.start_col)
    return {
        e.host
        for e in model.endpoints
        if e.via == "env-default"
        and e.host
        and (e.location.start_line, e.location.start_col) == where
    }


def flow_for(
    found: list[Classified], sink: SinkFact
) -> tuple[tuple[Related, ...], tuple[Related, ...]]:
    """(related, flow): where the first identifier entered, and its path to the sink."""
    first = found[0].column
    flow = (*tuple(first.flow), Related(sink.location, f"leaves by {sink.api}"))
    related = tuple(
        dict.fromkeys(
            r for item in found for r in item.column.flow[:1] if r.location != sink.location
        )
    )
    return related, flow
