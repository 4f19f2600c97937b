"""AWS: boto3 clients and resources (SQS, SNS, SES, Kinesis, DynamoDB), awswrangler."""

from __future__ import annotations

import ast
import dataclasses
import re

from dhlint.models.python_libs.frames import _FILE_WRITERS
from dhlint.models.python_values import (
    UNKNOWN,
    Frame,
    Obj,
    Seq,
    Step,
    Str,
    Val,
    cols_of,
    merge_cols,
    mixture,
)

# boto3's messaging calls (keywords only) and the keywords whose values go out with the message.
_AWS_SENT = ("MessageAttributes", "MessageGroupId", "MessageDeduplicationId")
_AWS_MESSAGES = {
    ("sqs", "send_message"): ("MessageBody", *_AWS_SENT),
    ("sqs", "send_message_batch"): ("Entries",),
    ("sqs", "send_messages"): ("Entries",),  # a resource's Queue (its batch)
    ("sns", "publish"): ("Message", "Subject", *_AWS_SENT),
    ("sns", "publish_batch"): ("PublishBatchRequestEntries",),
    ("ses", "send_email"): ("Message",),
    ("ses", "send_raw_email"): ("RawMessage",),
    ("ses", "send_templated_email"): ("TemplateData",),
    ("ses", "send_bulk_templated_email"): ("DefaultTemplateData", "Destinations"),
    ("sesv2", "send_email"): ("Content",),
    ("sesv2", "send_bulk_email"): ("DefaultContent", "BulkEmailEntries"),
    # Kinesis and Firehose streams: the record (its data; a partition key is sent too)
    ("kinesis", "put_record"): ("Data", "PartitionKey", "ExplicitHashKey"),
    ("kinesis", "put_records"): ("Records",),
    ("firehose", "put_record"): ("Record",),
    ("firehose", "put_record_batch"): ("Records",),
}
# The keys of a Kinesis or Firehose record (put_records', put_record_batch's items, Firehose's
# Record) that are sent.
_RECORD_SENT = frozenset({"Data", "PartitionKey", "ExplicitHashKey"})
# The keywords naming the stream a Kinesis or Firehose put writes to (the inventory joins it to
# the aws_kinesis_stream or aws_kinesis_firehose_delivery_stream of that name).
_STREAM_KEYWORDS = {"kinesis": ("StreamName", "StreamARN"), "firehose": ("DeliveryStreamName",)}


def _stream_name(service: str, kwargs: dict) -> str | None:
    """The stream a put names whole (``StreamName="reads"``, a constant, the name in a
    ``StreamARN``), or None."""
    for keyword in _STREAM_KEYWORDS.get(service, ()):
        value = kwargs.get(keyword)
        if isinstance(value, Str) and value.known and value.text:
            text = value.text
            if keyword == "StreamARN":
                head, _, text = text.partition(":stream/")
                if not head.startswith("arn:"):
                    return None
            return text or None
    return None


# boto3 resources' queues and topics (``boto3.resource("sqs").Queue(url)``): they send as
# the client does (``send_message``, ``publish``), to the queue or topic named when made.
_AWS_RESOURCES = frozenset(
    {("sqs", "Queue"), ("sqs", "get_queue_by_name"), ("sqs", "create_queue"),
     ("sns", "Topic"), ("sns", "create_topic"), ("sns", "PlatformEndpoint"),
     ("sns", "create_platform_endpoint")}
)  # fmt: skip
# DynamoDB's writes of items (a resource's Table and its batch_writer, or the client) and the
# keywords that hold what is written: the item, an update's key and values.
_DYNAMODB_WRITES = {
    "put_item": ("Item",),
    "update_item": ("Key", "ExpressionAttributeValues", "AttributeUpdates"),
    "batch_write_item": ("RequestItems",),
    "transact_write_items": ("TransactItems",),
}


# awswrangler's writes into a table (Athena/Glue, databases, DynamoDB).
_WRANGLER_TABLE_WRITES = frozenset({"to_iceberg", "to_sql", "put_df", "put_items"})
# The low-level client's typed values: {"card_number": {"S": value}} holds value as card_number.
_DYNAMODB_TYPES = frozenset({"S", "N", "B", "SS", "NS", "BS", "M", "L", "BOOL", "NULL"})


class AwsCalls:
    """AWS: boto3 clients and resources (SQS, SNS, SES, Kinesis, DynamoDB), awswrangler."""

    def _aws_message(self, service: str, name: str, kwargs, node) -> Val:
        """An SQS message, an SNS notification or an SES e-mail, sent as Kafka's are: what
        goes out with it (``MessageBody``, ``Message``, attributes), not where to (a queue, a
        topic, the addressee's phone or mailbox: an SMS to the resident is the purpose)."""
        sent = _AWS_MESSAGES[(service, name)]
        payload = [self._by_name(kwargs[k], node) for k in sent if k in kwargs]
        if service in _STREAM_KEYWORDS:
            payload = [self._record_data(value, node) for value in payload]
        if payload:
            target = _stream_name(service, kwargs)  # a Kinesis or Firehose stream's name
            topic = kwargs.get("TopicArn", kwargs.get("TargetArn")) if service == "sns" else None
            if topic is not None:  # an SNS topic's ARN ("{...}": from the environment or so)
                target = topic.text if isinstance(topic, Str) and topic.known else "{...}"
            queue = kwargs.get("QueueUrl") if service == "sqs" else None
            if queue is not None:  # an SQS queue's URL (join.named_store: the aws_sqs_queue)
                target = queue.text if isinstance(queue, Str) and queue.known else "{...}"
            self._sink("network", f"{service}.{name}", mixture(payload), node, target=target)
        return UNKNOWN

    def _record_data(self, value: Val, node) -> Val:
        """A Kinesis or Firehose record (``{"Data": ..., "PartitionKey": ...}``, or a list of
        them): what it sends, its data and partition key; ``Data`` is the API's envelope, not a
        field of what is sent."""
        if isinstance(value, Seq):
            return Seq(tuple(self._record_data(item, node) for item in value.items))
        if isinstance(value, Frame) and value.entries and "Data" in value.entries:
            sent = [v for k, v in value.entries.items() if k in _RECORD_SENT]
            return mixture([self._by_name(v, node) for v in sent])
        return value

    def _dynamodb(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        """A DynamoDB table (``boto3.resource("dynamodb").Table(name)``, its ``batch_writer()``)
        or client: an item put or updated is a record written to a database table, as an SQL
        INSERT or UPDATE is."""
        if name == "Table" and obj.data.get("resource"):
            table = args[0] if args else kwargs.get("name")
            return Obj("aws", {"service": "dynamodb", "table": self._host_text(table)})
        if name in ("batch_writer", "__enter__") and "table" in obj.data:
            return obj
        written = _DYNAMODB_WRITES.get(name)
        if written is None:
            return UNKNOWN
        if name == "update_item" and "ExpressionAttributeValues" in kwargs:
            values = _placeholders_named(kwargs, node)  # SET medications = :m: 'medications'
            kwargs = {**kwargs, "ExpressionAttributeValues": values}
        payload = [_dynamodb_values(kwargs[k], node) for k in written if k in kwargs]
        if payload:
            table = kwargs.get("TableName")
            target = table.text if isinstance(table, Str) else obj.data.get("table")
            attributes = _dynamodb_attributes(name, kwargs, node)
            self._sink(
                "database",
                f"dynamodb.{name}",
                mixture(payload),
                node,
                target=target,
                attributes=attributes,
            )
        return UNKNOWN

    def _wrangler(self, qname: str, last: str, args, kwargs, node) -> Val:
        """awswrangler, pandas' I/O on AWS: its readers give a frame as pandas' do (a query's
        SELECT list its columns), its writers export one (``wr.s3.to_parquet(df, path)`` to
        object storage, ``wr.athena.to_iceberg`` or ``wr.<db>.to_sql`` to a table)."""
        service = qname.split(".")[1] if qname.count(".") > 1 else ""
        if last.startswith(("read_", "unload")):
            return self._read(qname, "pandas", args, kwargs, node)
        if service == "s3" and last in _FILE_WRITERS:
            frame = args[0] if args else kwargs.get("df", UNKNOWN)
            path = args[1] if len(args) > 1 else kwargs.get("path")
            target = path.text if isinstance(path, Str) else None
            host = self._bucket(target)
            self._sink("storage", qname, frame, node, target=target, host=host)
        elif last in _WRANGLER_TABLE_WRITES:
            frame = args[0] if args else kwargs.get("df", kwargs.get("items", UNKNOWN))
            table = next((kwargs[k] for k in ("table", "table_name") if k in kwargs), None)
            if table is None:  # to_iceberg(df, database, table), to_sql(df, con, table)
                position = 1 if last.startswith("put_") else 2  # dynamodb.put_df(df, table)
                table = args[position] if len(args) > position else None
            target = table.text if isinstance(table, Str) else None
            self._sink("database", qname, frame, node, target=target)
        return UNKNOWN

    def _boto(self, last: str, args, kwargs, node) -> Val:
        if last in ("client", "resource"):
            service = args[0].text if args and isinstance(args[0], Str) else "?"
            endpoint = kwargs.get("endpoint_url")
            if endpoint is not None:
                self._endpoint(f"boto3.{last}({service}, endpoint_url)", endpoint, node)
            if service == "s3":
                return Obj("s3", {"service": service})
            return Obj(
                "aws", {"service": service, **({"resource": True} if last == "resource" else {})}
            )
        if last in ("Session",):
            return Obj("aws-session")
        return UNKNOWN


def _dynamodb_values(value: Val, node) -> Val:
    """An item, key or values of the DynamoDB client, whose values are typed
    (``{"card_number": {"S": v}}``): each attribute holds what its typed value holds, under
    the attribute's name (not the type's, ``S``)."""
    if not (isinstance(value, Frame) and value.entries):
        return value
    cols = dict(value.cols)
    for key, entry in value.entries.items():
        if not (
            isinstance(entry, Frame)
            and entry.entries
            and len(entry.entries) == 1
            and next(iter(entry.entries)) in _DYNAMODB_TYPES
        ):
            continue
        for col in entry.all_cols():
            if cols.get(col.name) is col:
                del cols[col.name]
        inner = cols_of(next(iter(entry.entries.values())))
        if inner:
            cols[key] = merge_cols(key, inner, Step(node, f"attribute '{key}'"))
    return dataclasses.replace(value, cols=cols)


def _dynamodb_attributes(name: str, kwargs: dict[str, Val], node) -> tuple[str, ...] | None:
    """The attributes a DynamoDB write sets, when all are known (None otherwise): an item put
    as a dict literal whose keys are all known (no ``**spread``), or an update's ``SET`` and
    ``ADD`` targets (``ExpressionAttributeNames`` resolving ``#n``) or ``AttributeUpdates``
    keys. DH390 reads it: an item put whole without the table's TTL attribute never expires."""
    literal = {k.arg: k.value for k in getattr(node, "keywords", ()) if k.arg}
    if name == "put_item":
        return _literal_keys(literal.get("Item"), kwargs.get("Item"))
    if name != "update_item":
        return None
    out: list[str] = []
    if "AttributeUpdates" in kwargs:
        keys = _literal_keys(literal.get("AttributeUpdates"), kwargs["AttributeUpdates"])
        if keys is None:
            return None
        out += keys
    if "UpdateExpression" in kwargs:
        expression = kwargs["UpdateExpression"]
        names = kwargs.get("ExpressionAttributeNames")
        aliases = names.entries if isinstance(names, Frame) and names.entries else {}
        if not isinstance(expression, Str):
            return None
        for option in expression.options:
            if not option.known:
                return None
            for target in _update_targets(option.text):
                if target.startswith("#"):
                    alias = aliases.get(target)
                    if not (isinstance(alias, Str) and alias.known):
                        return None
                    target = alias.text
                out.append(target)
    return tuple(dict.fromkeys(out))


def _literal_keys(written: ast.expr | None, value: Val | None) -> tuple[str, ...] | None:
    """The keys of a dict literal written in the call, when every one is known."""
    if not (type(written) is ast.Dict and isinstance(value, Frame) and value.entries is not None):
        return None
    if any(key is None for key in written.keys) or len(value.entries) != len(written.keys):
        return None  # a **spread, a key the analysis cannot name (or one written twice)
    return tuple(value.entries)


# An update expression's clauses: SET a = :v, b = if_not_exists(b, :z) / REMOVE c / ADD n :one /
# DELETE s :x. The attribute each SET or ADD action writes is its first path's first name.
_UPDATE_CLAUSE = re.compile(r"(?i)\b(SET|REMOVE|ADD|DELETE)\b")


def _update_targets(expression: str) -> list[str]:
    return [target for target, _ in _update_actions(expression)]


_PLACEHOLDER = re.compile(r":\w+")


def _placeholders_named(kwargs: dict[str, Val], node) -> Val:
    """An update's ``ExpressionAttributeValues`` with each value named as the attribute its
    ``SET`` or ``ADD`` action writes (``SET medications = :m``; ``#n`` resolved by
    ``ExpressionAttributeNames``), not as its placeholder ``:m``; a placeholder no action
    names (a condition's), or an expression not known, keeps its name."""
    values = kwargs["ExpressionAttributeValues"]
    expression = kwargs.get("UpdateExpression")
    if not (isinstance(values, Frame) and isinstance(expression, Str)):
        return values
    if len(expression.options) != 1 or not expression.options[0].known:
        return values
    names = kwargs.get("ExpressionAttributeNames")
    aliases = names.entries if isinstance(names, Frame) and names.entries else {}
    named: dict[str, str] = {}
    for target, action in _update_actions(expression.options[0].text):
        if target.startswith("#"):
            alias = aliases.get(target)
            if not (isinstance(alias, Str) and alias.known):
                continue
            target = alias.text
        for placeholder in _PLACEHOLDER.findall(action):
            named.setdefault(placeholder, target)
    if not named.keys() & {*values.cols, *(values.entries or ())}:
        return values
    cols = {}
    for key, col in values.cols.items():
        target = named.get(key)
        if target is None:
            cols[key] = col
        else:
            step = Step(node, f"attribute '{target}'")
            held = (cols[target], col) if target in cols else (col,)  # SET a = :x + :y
            cols[target] = merge_cols(target, held, step)
    entries = values.entries
    if entries is not None:
        entries = {named.get(k, k): v for k, v in entries.items()}
    return dataclasses.replace(values, cols=cols, entries=entries)


def _update_actions(expression: str) -> list[tuple[str, str]]:
    """An update expression's SET and ADD actions: (the attribute written, the action)."""
    parts = _UPDATE_CLAUSE.split(expression)
    out = []
    for verb, body in zip(parts[1::2], parts[2::2], strict=False):
        if verb.upper() not in ("SET", "ADD"):
            continue
        depth, start = 0, 0
        actions = []
        for i, char in enumerate(body):  # split on the commas outside function calls
            depth += char == "("
            depth -= char == ")"
            if char == "," and depth == 0:
                actions.append(body[start:i])
                start = i + 1
        actions.append(body[start:])
        for action in actions:
            match = re.match(r"\s*([#\w]+)", action)
            if match:
                out.append((match.group(1), action))
    return out
