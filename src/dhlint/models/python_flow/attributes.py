"""Attributes and subscripts: ``base.attr``, ``base[key]``.

Slices, row masks, frame indexers, a connection's peer.
"""

from __future__ import annotations

import ast
import datetime
import decimal
import re
from collections.abc import Set
from dataclasses import replace
from typing import Any

from dhlint.frontends.python import CLIENT_ADDRESS
from dhlint.frontends.python_ast import Param, Places, call_args, parse_expression
from dhlint.identifiers import classify_name
from dhlint.models.python_flow.common import (
    _ADDRESS_NAMES,
    _APPS,
    _CURRENT_APPS,
    _MASK_METHODS,
    _PROPERTY,
    ALL_APPS,
    Env,
    _app_key,
    _column_names,
    _decorated_with,
    _is_mask,
    _last_name,
    _not_named,
    _unset,
)
from dhlint.models.python_flow.scans import _mask_names
from dhlint.models.python_libraries import _DB_WRITERS, _FILE_WRITERS
from dhlint.models.python_values import (
    RAW,
    UNKNOWN,
    Col,
    Frame,
    ModelSource,
    Num,
    Obj,
    QuerySource,
    RecordSource,
    Ref,
    RelatedSource,
    Seq,
    Series,
    Source,
    Step,
    Str,
    Unknown,
    Val,
    cols_of,
    join_all,
    setting_values,
)

# Frame attributes that are not columns, accessors that keep the frame, and builtins.
_FRAME_SCALAR_ATTRS = {
    "shape", "size", "empty", "columns", "dtypes", "ndim", "index", "schema", "height",
    "width", "rdd", "dtype", "name", "count", "is_empty", "attrs", "flags", "axes",
}  # fmt: skip
_ACCESSORS = {
    "loc", "iloc", "at", "iat", "str", "dt", "cat", "arr", "list", "struct", "T", "na", "values",
    "array",
}  # fmt: skip


def _records_only(value: Seq) -> bool:
    """Whether a joined value holds only instances of the module's classes (nested joins)."""
    return bool(value.items) and all(
        (isinstance(i, Obj) and i.kind == "instance") or (isinstance(i, Seq) and _records_only(i))
        for i in value.items
    )


class AttributesAndItems:
    """Attributes and subscripts: ``base.attr``, ``base[key]``."""

    def _e_Attribute(self, node: ast.Attribute, env: Env) -> Val:
        return self.attribute(self.eval(node.value, env), node.attr, node)

    def attribute(self, base: Val, attr: str, node: Any) -> Val:
        """``base.attr`` (also ``getattr(base, "attr")``)."""
        vtype = type(base)  # (tested by ``type``: no value is of a subclass of these)
        if vtype is Ref:
            if base.qname == "flask.request" and attr in _FLASK_REQUEST_DATA:
                return self.request_data(f"request.{attr}", node)
            if base.qname in _CURRENT_APPS and attr == "config":
                return self.flask_config(ALL_APPS)
            if base.qname == "flask.request" and attr in ("remote_addr", "access_route"):
                # the client's IP address (a device identifier), as the web server saw it
                step = Step(node, f"the client's address, request.{attr}")
                return Series((Col("remote_addr", ("remote_addr",), RAW, (step,)),))
            qname = f"{base.qname}.{attr}"
            imported = self.project.value(qname, node) if self.project is not None else None
            return imported if imported is not None else Ref(qname)
        if vtype is Frame:
            if base.lib == "rows" and attr in base.cols and attr not in _ROW_METHODS:
                # a record's field named as a table's attribute (a FHIR Patient's name, a
                # query row's name column): the field
                return Series((base.cols[attr],))
            if attr in _ACCESSORS:
                return base
            if attr in ("write", "writeStream"):
                return Obj("spark-writer", {"frame": base, "format": None})
            if attr in _FRAME_SCALAR_ATTRS or attr.startswith("_"):
                return UNKNOWN
            if attr in _FILE_WRITERS or attr in _DB_WRITERS:  # save = df.to_csv
                return Unknown(f"DataFrame.{attr}", receiver=base)
            if base.lib in ("pandas", "spark") and attr.isidentifier():
                col = base.get(attr)
                return Series((col,)) if col is not None else UNKNOWN
            if base.lib == "rows" and attr in base.cols:
                # row.email of a query's rows: BigQuery's and SQLAlchemy's rows have their
                # columns as attributes too (only those named, never another open schema's)
                return Series((base.cols[attr],))
            if (
                base.lib == "rows"
                and base.sources
                and isinstance(base.sources[0], QuerySource)
                and attr not in _ROW_METHODS
                and _model_column(base.sources[0], attr)
            ):
                # ... and a SELECT * row's: the column of that name, as row["email"] is; it
                # may be a related row itself (Django's booking.patron: _related_field)
                col = base.get(attr)
                if col is None:
                    return UNKNOWN
                return Series((replace(col, record=base.sources[0].related(attr)),))
            if (
                base.lib == "rows"
                and not base.cols
                and len(base.sources) == 1
                and base.sources[0].weak
                and attr not in _ROW_METHODS
            ):
                # An item of a parameter (``for c in batch: c.device_mac``): judged by the
                # attribute's name, as a single parameter's c.device_mac is (not evidence of
                # what the parameter holds: its items may be objects, not these records).
                step = Step(node, f"attribute '{attr}' of an item of {base.sources[0].label}")
                return Series((Col(attr, (attr,), RAW, (step,), by_name=True),))
            return UNKNOWN
        if vtype is Series:
            if attr in _FRAME_SCALAR_ATTRS:
                return UNKNOWN
            if (
                len(base.cols) == 1
                and isinstance(base.cols[0].record, RelatedSource)
                and attr not in _VALUE_ATTRS
                and attr not in _ACCESSORS
            ):
                return _related_field(base.cols[0], attr, node)
            if attr in ("year", "quarter", "decade"):  # birth_date.dt.year: generalised
                step = Step(node, f"generalised to the {attr}")
                return Series(tuple(c.treated("bucket", step) for c in base.cols), base.bound)
            return base
        if vtype is Obj and base.kind == "peer":
            return self._peer_host(base, node) if attr == "host" else UNKNOWN
        if vtype is Obj and base.kind == "kafka-message":
            return self.consumed(base) if attr == "value" else UNKNOWN  # kafka-python's
        if attr in _PROCESS_IDS and _is_process(base):
            return Num(0)  # proc.pid: a process's id, as os.getpid()'s (no person's)
        if vtype is Seq and _records_only(base):
            # The records a field may hold (built in places, joined): each one's attribute
            return join_all([self.attribute(i, attr, node) for i in base.items])
        if vtype is Obj and base.kind == "instance":
            cls = base.data["cls"]
            method = self.method(cls, attr)
            if method is not None and not _decorated_with(method.node, *_PROPERTY):
                return Unknown(f"{cls}.{attr}", receiver=base)  # run = job.run
            value = self.as_instance(cls, lambda: self.attribute_of(cls, attr, node))
            return value if value is not None else UNKNOWN
        if vtype is Obj:
            if base.kind in _APPS and attr == "config":
                return self.flask_config(_app_key(base))
            if base.kind == "glue":
                return self.glue_attribute(attr)
            if base.kind == "spark" and attr == "read":
                return Obj("spark-reader", {"lib": "spark"})
            if base.kind == "spark" and attr == "readStream":
                return Obj("spark-reader", {"lib": "spark"})
            if base.kind == "twilio":  # client.messages, client.api.account.calls: a resource
                return Obj("twilio", {**base.data, "resource": attr})
            if base.kind == "salesforce":  # sf.Contact, sf.bulk.Contact: an SObject's API
                return _salesforce_part(base, attr)
            if base.kind in ("mailchimp", "stripe", "mandrill"):  # client.lists: a resource
                return Obj(base.kind, {**base.data, "path": (*base.data.get("path", ()), attr)})
            if base.kind == "celery" and attr == "conf":  # app.conf.update(broker_url=...)
                return Obj("celery-conf", {})
            if base.kind == "portal" and attr in ("action", "content"):
                return base  # ckan.action.resource_create, gis.content.add: the same portal
            if base.kind == "mongo":  # client.city.detections: a database, a collection
                return self.mongo_part(base, attr)
            return (
                Obj(base.kind, base.data)
                if attr in ("builder",)
                else Unknown(f"{base.kind}.{attr}", receiver=base)
            )
        if vtype is Unknown and base.name in ("self", "cls"):
            value = self.attribute_of(self.cls, attr, node)
            if attr in _ADDRESS_NAMES and any(
                attr in self.sockets().attrs.get(c, ()) for c in self._mro(self.cls)
            ):
                return _not_named(value)  # sock.bind(self.address) in a method of the class
            if value is not None and _nothing(value) and self.confidence(attr) is not None:
                # self.email = emails[i]: set to nothing known, named like an identifier:
                # judged by its name, as a variable so set is (``_e_Name``). A name, not a
                # column: made one where it leaves (``_named_cols``), it does not flow through
                # every method (a column there: 14% more steps in ipaddress.py, no finding);
                # not "self.email", which would be taken for an attribute never set (`unset`).
                return Unknown(attr)
            if value is not None:
                return value
        if vtype is Unknown and base.name in self.bases:  # Config.URL
            value, _ = self._attribute_set(base.name, attr)
            if value is not None:
                return value
        if vtype is Unknown and base.name == "super" and self.cls:
            method = self.super_method(attr)
            if method is not None:  # h = super().emit
                return replace(method, bound=Unknown("self"))
        if vtype is Unknown and base.source is not None and _request_data(base, attr):
            return self.request_data(f"{base.name}.{attr}", node)  # Django's request.POST
        if vtype is Unknown and base.source is not None and attr in ("loc", "iloc"):
            return base  # a table that is a parameter: df.loc[:, ["email", "ward"]]
        if (
            attr == "client"
            and vtype is Unknown
            and _written_attribute(node, attr, self.places)  # what the pre-filter looks for
            and self._connection(base)
        ):
            # Starlette's (FastAPI's) request.client, websocket.client: the (host, port) the
            # connection came from (an Address, a named tuple)
            return self.peer(f"{base.name}.client", node)
        if vtype is Unknown and type(base.source) is RecordSource:
            # client = serializer.save(); client.ssn: by its name, as a parameter's obj.ssn (not
            # evidence of what the record holds: logged whole, it is its __str__)
            step = Step(base.source.node, base.source.label)
            return Series((Col(attr, (attr,), RAW, (step,), by_name=True),))
        if vtype is Unknown and base.name:
            value = Unknown(f"{base.name}.{attr}")
            if (
                not base.name.startswith("env:")
                and not attr.startswith("_")
                and self.confidence(attr) is not None
            ):
                # A record's field read as an attribute (loan.library_card_number, a
                # parameter's, an ORM row's): judged by its name wherever it goes, as
                # loan["library_card_number"] is (probe41 min/02) and as a positional log
                # argument's is (_named_cols); not evidence of what the record holds.
                return Series(self._named_cols(value, node))
            return value
        return UNKNOWN

    @staticmethod
    def _peer_host(peer: Obj, node: Any, part: str = ".host") -> Series:
        """A Starlette client's host (``.host``, its first item): the client's IP address, as
        flask's request.remote_addr, named as the column the pre-filter looks for
        (``frontends.python.CLIENT_ADDRESS``)."""
        step = Step(node, f"the client's address, {peer.data['name']}{part}")
        return Series((Col(CLIENT_ADDRESS, (CLIENT_ADDRESS,), RAW, (step,)),))

    def peer(self, name: str, node: Any) -> Obj:
        """A connection's peer, (host, port) (Starlette's ``request.client``, a socket's
        address): whole, it holds its host (``log.info("from %s", addr)``)."""
        peer = Obj("peer", {"name": name})
        peer.data["payload"] = self._peer_host(peer, node, "")
        return peer

    def _connection(self, param: Unknown) -> bool:
        """Whether ``param`` may be a Starlette (FastAPI) connection: a parameter so annotated
        (``Request``, ``WebSocket``, ``HTTPConnection``, also in a string), or named request,
        req, websocket or ws and annotated with nothing else (``request: PrintRequest`` of
        the module, ``req: requests.PreparedRequest``: their client is something else)."""
        node = param.source.node if param.source is not None else None
        if type(node) is not Param or node.annotation is None:
            return param.name in _CONNECTION_NAMES
        annotation = node.annotation
        if self._one_string(annotation):
            annotation = parse_expression(annotation.value)
            if annotation is None:
                return False
        qname = self._annotated_qname(annotation)
        if qname == "typing.Any":
            return param.name in _CONNECTION_NAMES  # says nothing of the type
        return qname.split(".", 1)[0] in ("starlette", "fastapi") and qname.rsplit(".", 1)[-1] in (
            "Request",
            "WebSocket",
            "HTTPConnection",
        )

    def _one_string(self, node: Any) -> bool:
        """A string literal, not bytes, not a concatenation (libcst's ``SimpleString``)."""
        return (
            type(node) is ast.Constant
            and type(node.value) is str
            and len(self.places.string_parts(node)) == 1
        )

    def _slices(self, node: ast.Subscript) -> list[ast.expr]:
        """The items of a subscript (``df.loc[mask, "a"]`` has two; ``d[(a, b)]`` one)."""
        key = node.slice
        if type(key) is ast.Tuple and key.elts:
            first = key.elts[0]
            if (first.lineno, first.col_offset) == (key.lineno, key.col_offset):
                return key.elts  # not parenthesized
        return [key]

    def _subscript_key(self, node: ast.Subscript, env: Env) -> Val:
        items = self._slices(node)
        if len(items) != 1:
            return Seq(tuple(self._slice_value(s, env) for s in items))
        return self._slice_value(items[0], env)

    def _slice_value(self, element: ast.expr, env: Env) -> Val:
        if type(element) is not ast.Slice:
            return self.eval(element, env)
        sl = element
        lower = self.eval(sl.lower, env) if sl.lower is not None else Num(0)
        upper = self.eval(sl.upper, env) if sl.upper is not None else Num(None)
        return Obj("slice", {"lower": lower, "upper": upper})

    def _e_Subscript(self, node: ast.Subscript, env: Env) -> Val:
        base = self.eval(node.value, env)
        key = self._subscript_key(node, env)
        # counts[counts["n"] >= 11], counts.loc[counts["n"] > 10]: no group under k left
        if (
            type(base) is Frame
            and base.grouped == "cells"
            and self.suppressed_cells(key, self._slices(node)[0], keep=True)
        ):
            return replace(base, grouped="suppressed")
        if type(base) is Unknown and base.source is not None and self._row_filter(node.slice, key):
            # A parameter's rows filtered by a boolean mask (reads[reads["dwell_min"] > 120],
            # reads[mask]): the same table, with its columns (probe38 min/04).
            return base
        # Whether a slice keeps one value's last characters: asked of slices only (a lookup).
        tail = type(key) is Obj and key.kind == "slice" and self._one_value(node.value, env)
        value = self.index(base, key, node, tail=tail)
        if type(value) is Series and type(key) is Str and type(base) in (Unknown, Series):
            return self._things_field(node.value, key.text, value)
        return value

    def _things_field(self, owner: ast.expr, key: str, value: Series) -> Series:
        """A name or an address read from a record named as a thing (``job["name"]``,
        ``custom_object["name"]`` of an API's response, ``server["address"]``): that thing's,
        named as the thing's (``job_name``, no identifier), as ``{"name": job}`` is
        (``_a_things_field``). Only those two, whose words in front decide whose they are: an
        event's (a Lambda's payload) disability or email is still the person's. Not a table's
        column (``table["name"]`` of a DataFrame: the base is a Frame)."""
        named = _last_name(owner)
        if not named or not self._a_things_field(key, owner):
            return value
        match = classify_name(key, self.policy)
        if match is None or match.matched not in ("name", "street_address"):
            return value
        name = f"{named.lstrip('_')}_{key}"
        cols = tuple(
            replace(c, name=name, origins=(name,)) if c.name == key else c for c in value.cols
        )
        return Series(cols, value.bound)

    def _selected_from_unknown(self, base: Unknown, key: Seq, node: Any) -> Frame | None:
        """Columns selected by a list of names (``permits[["permit_no", "owner_name"]]``)
        from a table returned by what is not followed (a function of another module): the
        table's, raw, as ``record["email"]`` is a record's field. When the table was passed
        through such a function (``df = generalise_point(df)``), that function may have
        rounded or bucketed columns in place, keeping their names: only direct and device
        identifiers are taken then (a pseudonym is named for what it is: ``case_token``)."""
        names = _column_names(key)
        if not names or base.name.startswith("env:"):
            return None
        operand = node.value if type(node) is ast.Subscript else None
        if type(operand) is ast.Name and self._passed_through(operand.id):
            names = [n for n in names if _direct_or_device(n, self.policy)]
            if not names:
                return None
        owner = base.name.rsplit(".", 1)[-1]
        label = base.name or "a table"
        return Frame(
            "pandas",
            {
                name: Col(
                    name,
                    (name,),
                    RAW,
                    (Step(node, f"column '{name}' of {label}"),),
                    True,
                    unset=_unset(base.name),
                    owner=owner,
                )
                for name in names
            },
        )

    def _passed_through(self, name: str) -> bool:
        """Whether the module sets ``name`` to a call given ``name`` (``df = clean(df)``)."""
        seen = self.__dict__.setdefault("_passed_through_names", {})
        found = seen.get(name)
        if found is None:
            pattern = _PASSED_THROUGH.format(n=re.escape(name))
            found = seen[name] = re.search(pattern, self.text) is not None
        return found

    def _row_filter(self, expr: ast.expr, key: Val) -> bool:
        """Whether ``expr`` is written as a boolean mask (``_is_mask``). A name is looked up
        among the module's masks only when it holds what a mask gives (nothing known)."""
        if type(expr) is ast.Name:
            # Only a name holding what a mask gives (nothing known), and set in the text to
            # something that may be one, is looked for among the module's masks (a walk).
            if key is not UNKNOWN:
                return False
            seen = self.__dict__.setdefault("_mask_set", {})
            found = seen.get(expr.id)
            if found is None:
                pattern = _MASK_SET.format(re.escape(expr.id))
                found = seen[expr.id] = re.search(pattern, self.text) is not None
            if not found:
                return False
        return _is_mask(expr, self._masks)

    def _masks(self) -> Set[str]:
        """The module's names set only to masks, found when a subscript first asks."""
        masks = self.__dict__.get("_mask_names")
        if masks is None:
            masks = self._mask_names = _mask_names(self.tree)
        return masks

    def _one_value(self, expr: ast.expr, env: Env) -> bool:
        """Whether ``expr`` is one value, whose last characters a slice keeps: a record's field
        (``row["card_number"]``, ``rider.card_number``) or a column's strings (``.str``); not
        a table's column (``df["card_number"][-4:]`` is its last four rows) or a list."""
        if type(expr) is ast.Attribute and expr.attr == "str":
            return True
        if type(expr) not in (ast.Subscript, ast.Attribute):
            return False
        owner = expr.value  # type: ignore[union-attr]
        if type(owner) is not ast.Name:
            return False
        held = self.lookup(owner.id, env)
        return not (isinstance(held, Frame) and held.lib in ("pandas", "spark", "polars"))

    def index(self, base: Val, key: Val, node: Any, tail: bool = False) -> Val:
        """``base[key]`` (``node`` places the steps; ``tail``: ``base`` is one value, see
        ``_one_value``)."""
        # (Kinds tested by ``type``: no value is of a subclass of these.)
        btype, ktype = type(base), type(key)
        if btype is Frame:
            return self._frame_index(base, key, node)
        if btype is Series:
            if ktype is Obj and key.kind == "slice":
                lower, upper = key.data["lower"], key.data["upper"]
                if isinstance(upper, Num) and isinstance(upper.value, int) and upper.value >= 0:
                    step = Step(node, f"truncated to {upper.value} characters")
                    return Series(
                        tuple(c.treated(f"truncate:{upper.value}", step) for c in base.cols),
                        base.bound,
                    )
                if (
                    tail
                    and isinstance(upper, Num)
                    and upper.value is None
                    and isinstance(lower, Num)
                    and type(lower.value) is int
                    and -4 <= lower.value < 0
                ):
                    # card_number[-4:]: the last four digits, the masking PCI DSS allows
                    # (a longer tail keeps the number).
                    n = -lower.value
                    step = Step(node, f"cut to its last {n} characters")
                    return Series(
                        tuple(c.treated(f"last:{n}", step) for c in base.cols), base.bound
                    )
            if ktype is Str and key.known and base.cols:
                # A field of a record's field (application["applicant"]["email"]): the
                # nested field, named as its key, with the outer one's flow; read from the
                # outer field, its owner (a field of a record, as the outer one is).
                outer = base.cols[0]
                record = outer.record
                for k in key.options if record is not None else ():
                    if k.text:
                        record.observed.setdefault(k.text, None)  # patient["mrn"]
                return Series(
                    tuple(
                        Col(
                            k.text,
                            (k.text,),
                            outer.treatment,
                            (*outer.flow, Step(node, f"field '{k.text}'")),
                            outer.by_name,
                            outer.unset,
                            outer.name,
                            record=record.part(k.text) if record is not None else None,
                        )
                        for k in key.options
                        if k.text
                    )
                    or base.cols
                )
            return base
        if (btype is Ref and base.qname == "os.environ") or (
            btype is Obj and base.kind == "glue-args"  # getResolvedOptions's
        ):
            name = key.text if ktype is Str and key.known else "?"
            self._env_read(name, node, None)
            return Unknown(f"env:{name}")
        if btype is Obj and base.kind == "cursor-row":
            return base
        if btype is Obj and base.kind == "mongo":  # client["city"]["detections"]
            return self.mongo_part(base, key.text if ktype is Str and key.known else "?")
        if btype is Obj and base.kind == "groupby":
            return self.group_selection(base, key)  # df.groupby(keys)["gallons"]
        if btype is Obj and base.kind == "peer":
            first = ktype is Num and key.value in (0, -2)
            return self._peer_host(base, node) if first else UNKNOWN  # request.client[0]
        if btype is Obj and base.kind == "mapping":
            return base.data["payload"]  # recs["a"] of a dict[str, Rec]: a record
        if (
            btype is Unknown
            and _is_process(base.receiver)
            and ktype is Str
            and key.text in _PROCESS_IDS
        ):
            return Num(0)  # psutil's p.info["pid"]: the process's
        if btype is Unknown and ktype is Str and key.known and key.text:
            # A record whose origin is unknown (a parameter, a message): record["email"],
            # record[self.LABEL] (each name the key may be).
            names = [k.text for k in key.options if k.text]
            if base.source is not None:
                source = base.source
                return Series(
                    tuple(replace(source.col(name), record=source.part(name)) for name in names)
                )
            owner = base.name.rsplit(".", 1)[-1]
            cols = []
            for name in names:
                step = Step(node, f"field '{name}' of {base.name or 'a record'}")
                cols.append(
                    Col(name, (name,), RAW, (step,), True, unset=_unset(base.name), owner=owner)
                )
            return Series(tuple(cols))
        if btype is Unknown and base.source is not None and ktype is Seq:
            # A table whose origin is unknown (a parameter): df[["email", "ward"]], and
            # df.loc[mask, ["email", "ward"]] / df.loc[:, "email"].
            names = _column_names(key)
            if names is None and len(key.items) == 2:
                names = _column_names(key.items[1])
            if names:
                return Frame("pandas", {name: base.source.col(name) for name in names})
        if btype is Unknown and base.source is None and ktype is Seq:
            selected = self._selected_from_unknown(base, key, node)
            if selected is not None:
                return selected
        if btype is Seq and ktype is Obj and key.kind == "slice":
            return base  # rows[i : i + 500]: some of the same rows
        if (
            btype is Unknown
            and ktype is Obj
            and key.kind == "slice"
            and base.name
            and not base.name.startswith("env:")
        ):
            # phone[-10:], rows[:500]: the same value (a phone's last ten digits are the phone),
            # unless the slice truncates or masks it as a field's would be (card_number[-4:])
            named = self._named_cols(base, node)
            cut = self.index(Series(named), key, node, tail=True) if named else base
            if isinstance(cut, Series) and any(c.treatment != RAW for c in cut.cols):
                return cut
            return base
        if btype is Seq and ktype is Num and isinstance(key.value, int):
            return (
                base.items[key.value]
                if -len(base.items) <= key.value < len(base.items)
                else UNKNOWN
            )
        return UNKNOWN

    def _frame_index(self, frame: Frame, key: Val, node: Any) -> Val:
        if isinstance(key, Str) and key.known:
            entries = frame.entries or {}
            held = [entries.get(k.text) for k in key.options]
            found = [frame.get(k.text) for k in key.options]
            if all(v is not None and not cols_of(v) for v in held):
                if self._named_field(held, found):
                    # {"last_name": family}["last_name"]: the field, by its key's name
                    return Series(tuple(found))  # type: ignore[arg-type]
                # A dict literal's setting: CONFIG["endpoint"] is its URL, opts["verify"] False
                return join_all(held)  # type: ignore[arg-type]
            cols = tuple(col for col in found if col is not None)
            return Series(cols) if cols else UNKNOWN
        if isinstance(key, Seq):
            names = [k.text for k in key.items if isinstance(k, Str) and k.known]
            if names and len(names) == len(key.items):
                return frame.select(names)
            # df.loc[mask, ["a", "b"]] / df.loc[:, "a"]
            if len(key.items) == 2:
                return self._frame_index(frame, key.items[1], node)
            return frame
        if isinstance(key, Frame) and key.lib != "dict":
            return frame
        if frame.row and isinstance(key, Num) and type(key.value) is int:
            # row[1] of a tuple row (SELECT card_number, email): the email alone
            names = tuple(frame.cols)  # in the select list's order (``ordered``)
            if -len(names) <= key.value < len(names):
                return Series((frame.cols[names[key.value]],))
            return UNKNOWN
        if isinstance(key, (Unknown, Str)) and frame.lib == "dict":
            values = setting_values(frame)
            if values:  # URLS[operator] of a dict literal of settings: any of its values
                return join_all(values)
        return frame  # a mask, a slice: same columns

    def _named_field(self, held: list[Val | None], found: list[Col | None]) -> bool:
        """Whether a dict literal's entries read by a known key are data named by that key:
        each value is a plain variable or a parameter the analysis knows nothing of
        (``family``, parsed from a message; not a constant, an environment read or a client)
        and each key names an identifier (``last_name``). The key is then what the value is
        (``field_cols`` made the column), as a parameter's ``record["last_name"]`` is."""
        return all(
            type(v) is Unknown
            and v.receiver is None
            and not v.name.startswith("env:")
            and c is not None
            and self.confidence(c.name) is not None
            for v, c in zip(held, found, strict=True)
        )


# What flask's request carries from the client (a JSON body, a form, the query string).
_FLASK_REQUEST_DATA = frozenset(("json", "form", "args", "values", "data", "files"))
# Django's request.POST/GET, Django REST framework's request.data/query_params.
_DJANGO_REQUEST_DATA = frozenset(("POST", "GET", "query_params"))
_REQUEST_PARAMS = frozenset(("request", "req"))
# What a query's row has as attributes besides its columns (BigQuery's Row, SQLAlchemy's Row).
_ROW_METHODS = frozenset(("get", "items", "keys", "values", "count", "index", "tuple", "t"))
# The attributes of the values a row's field holds (text, numbers, dates, containers, an ORM's
# related manager): ``row.email.lower`` reads no field of a related row.
_VALUE_ATTRS = frozenset(
    {name for t in (str, bytes, int, float, complex, bool, dict, list, set, tuple,
                    datetime.datetime, datetime.timedelta, decimal.Decimal) for name in dir(t)}
    | {"all", "filter", "exclude", "first", "last", "exists", "count", "values",
       "values_list", "order_by", "select_related", "prefetch_related", "annotate", "only",
       "defer", "get", "create", "add", "remove", "set", "clear", "update", "delete", "save",
       "refresh_from_db", "full_clean", "url", "path", "file", "read", "open", "close"}
)  # fmt: skip
# The names of a view's parameter that, unannotated, may be a Starlette connection (its
# client is the address the request came from).
_CONNECTION_NAMES = frozenset(("request", "req", "websocket", "ws"))


def _written_attribute(node: Any, attr: str, places: Places) -> bool:
    """``node`` reads ``attr`` as written: ``x.attr`` or ``getattr(x, "attr")`` with the name in
    a string literal (what the pre-filter's text and ``ast`` stages can see)."""
    if type(node) is ast.Attribute:
        return True
    if type(node) is not ast.Call or len(call_args(node)) < 2:
        return False
    name = call_args(node)[1].value
    return (
        type(name) is ast.Constant
        and type(name.value) is str
        and name.value == attr
        and len(places.string_parts(name)) == 1
    )


# ``pid`` names a person id in the taxonomy, but a process object's pid (or its parent's) is
# the OS's: a process made by a library the analysis knows (subprocess.Popen, psutil,
# multiprocessing), or a value whose name says it is one (proc, process, child_proc; not a
# child's or a worker's: those may be people).
_PROCESS_IDS = frozenset(("pid", "ppid"))
_PROCESS_NAME = re.compile(r"(?:^|[._])(?:procs?|process(?:es)?|popen|subprocess|daemon)\d*$")


def _is_process(value: Val | None) -> bool:
    if isinstance(value, Obj):
        return value.kind == "process"
    return isinstance(value, Unknown) and _PROCESS_NAME.search(value.name) is not None


def _request_data(param: Unknown, attr: str) -> bool:
    """``param.attr`` is data a web request carries (``param`` a view's parameter)."""
    return attr in _DJANGO_REQUEST_DATA or (attr == "data" and param.name in _REQUEST_PARAMS)


# ``name = ...`` (or ``&=``, ``|=``) on a line that compares, negates, combines or tests:
# what may set ``name`` to a mask (``_row_filter``'s cheap test before ``_mask_names``).
# ``df = clean(df)``, ``df = privacy.generalise(df, decimals=3)``: a name set to a call of it.
_PASSED_THROUGH = r"(?<![\w.]){n}\s*=\s*[\w.]+\((?:[^()\n]*[^\w.])?{n}\b(?!\s*[.\[])"
_MASK_SET = (
    r"(?<![\w.]){}\s*[&|]?=(?!=)[^\n]*(?:[<>~&|]|[=!]=|\.(?:"
    + "|".join(sorted(_MASK_METHODS))
    + r")\b)"
)


def _model_column(source: Source, attr: str) -> bool:
    """Whether a row's attribute may be a column: any, but for a model of the module's rows."""
    return type(source) is not ModelSource or not source.columns or attr in source.columns


def _salesforce_part(client: Obj, attr: str) -> Val:
    """``sf.bulk`` (the Bulk API) and ``sf.Contact`` (an SObject, whose writes send records to
    Salesforce); ``sf.bulk.Contact`` both. Only SObjects' writes are sends."""
    if "sobject" in client.data:
        return Unknown(f"salesforce.{attr}", receiver=client)
    if attr == "bulk":
        return Obj("salesforce", {**client.data, "bulk": True})
    if attr[:1].isupper() or attr.endswith("__c"):
        return Obj("salesforce", {**client.data, "sobject": attr})
    return Unknown(f"salesforce.{attr}", receiver=client)


def _direct_or_device(name: str, policy: Any) -> bool:
    """Whether ``name`` names a direct or a device identifier (under ``policy``)."""
    match = classify_name(name, policy)
    return match is not None and match.category in ("direct", "device")


def _related_field(outer: Col, attr: str, node: Any) -> Series:
    """``booking.patron.card_number``: a field of a row's field that is a related row (a
    Django foreign key, an ORM relationship), named as the attribute, with the outer field's
    flow; read from the outer field, its owner, as a record's nested field is."""
    record = outer.record
    assert isinstance(record, RelatedSource)
    record.observed.setdefault(attr, None)
    step = Step(node, f"field '{attr}' of '{outer.name}'")
    return Series(
        (
            Col(
                attr,
                (attr,),
                outer.treatment,
                (*outer.flow, step),
                outer.by_name,
                outer.unset,
                outer.name,
                record=record.related(attr),
            ),
        )
    )


def _nothing(value: Val) -> bool:
    """An unknown value with nothing to tell: no name, no source, no library object."""
    return (
        type(value) is Unknown
        and value.name in ("", "?")
        and value.source is None
        and value.receiver is None
    )
