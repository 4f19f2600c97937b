"""OCPP (the ``ocpp`` package): a charge point's messages to its central system.

A ``ChargePoint`` (``ocpp.v16``, ``ocpp.v201``...) is built on a connection, the websocket
opened to the central system (``ChargePoint("CP1", ws)``); its ``call(payload)`` sends the
payload (``call.Authorize(id_tag=...)``, ``call.TransactionEvent(...)``, a dataclass of the
message's fields) over that connection, as ``ws.send`` does.
"""

from __future__ import annotations

from dhlint.models.python_values import (
    UNKNOWN,
    Col,
    Frame,
    Obj,
    Val,
    join,
)


class OcppCalls:
    """The ``ocpp`` library: message payloads, and a ChargePoint's ``call``."""

    def _ocpp_ref(self, qname: str, last: str, args, kwargs, node) -> Val:
        """``call.Authorize(id_tag=tag.id_tag)`` (``ocpp.v16.call``, ``ocpp.v201.call``; the
        older ``AuthorizePayload``): a message whose fields are its keywords, as a dict's."""
        if ".call." not in qname or not last[:1].isupper():
            return UNKNOWN
        cols: dict[str, Col] = {}
        for value in args:  # fields by position: their columns, under their own names
            self._keep_cols(cols, value, node)
        for key, value in kwargs.items():  # as a dict literal's entries
            self.field_cols(cols, key, value, node)
        return Frame("dict", cols, entries=dict(kwargs))

    def _ocpp_point(self, cls: str) -> bool:
        """A module class derived from the library's ``ChargePoint`` (``from ocpp.v16 import
        ChargePoint as cp``; ``class ChargePoint(cp)``)."""
        found = self.ocpp_points.get(cls)
        if found is None:
            imports = self.imports
            found = self.ocpp_points[cls] = any(
                imports.get(base, "").startswith("ocpp.") and imports[base].endswith(".ChargePoint")
                for base in self._mro(cls)[1:]
                if base not in self.bases
            )
        return found

    def _ocpp_built(self, cls: str, args, kwargs) -> None:
        """``ChargePoint(id, connection)``: the connection its calls go over (kept per class,
        as state: a method that ran before the instance was built runs again)."""
        connection = args[1] if len(args) > 1 else kwargs.get("connection")
        if isinstance(connection, Obj) and connection.kind == "websocket":
            self.write_state("ocpp", self.ocpp_links, cls, connection)

    def _ocpp_call(self, cls: str, args, kwargs, node) -> Val:
        """``self.call(payload)`` (or ``cp.call(payload)``) on a ChargePoint: the payload is
        sent to the central system, the host its connection was opened to (unknown when no
        construction with a known websocket is seen)."""
        payload = args[0] if args else kwargs.get("payload")
        if payload is None:
            return UNKNOWN
        link: Val = UNKNOWN
        for owner in (cls, *self.subclasses.get(cls, ())):
            self.read_state("ocpp", owner)
            held = self.ocpp_links.get(owner)
            if held is not None:
                link = held if link is UNKNOWN else join(link, held)
        hosts = link.data.get("hosts", ()) if isinstance(link, Obj) else ()
        target = link.data.get("target") if isinstance(link, Obj) else None
        self._client_sink(
            "network",
            "ocpp.ChargePoint.call",
            payload,
            node,
            hosts,
            target=target,
        )
        return UNKNOWN
