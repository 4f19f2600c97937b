"""Messages to people and devices: mail, Twilio, MQTT (paho), Pub/Sub topics.

Mail is smtplib's and Django's; topics are Google Pub/Sub's.
"""

from __future__ import annotations

import ast

from dhlint.models.python_libs.common import _Bound, _one_value
from dhlint.models.python_values import UNKNOWN, Frame, Num, Obj, Seq, Str, Val, mixture

# PublisherClient.publish's keywords that stay in the client (an ordering key is sent, as a
# Kafka message's key is).
_PUBSUB_OPTIONS = frozenset({"retry", "timeout"})


# The Twilio SDK (``twilio.rest.Client``): the resources whose ``create`` sends a message or
# places a call through Twilio's API host, and the keywords that say who to and from (not sent
# data: the message's purpose, ``_twilio_send``).
_TWILIO_HOST = "api.twilio.com"
_TWILIO_SENDS = frozenset({"messages", "calls"})
_TWILIO_PARTIES = frozenset({"to", "from_", "messaging_service_sid", "status_callback"})


class MessagingCalls:
    """Messages to people and devices: mail, Twilio, MQTT (paho), Pub/Sub topics."""

    def _smtp_send(self, name: str, obj: Obj, args, kwargs, node) -> None:
        """smtplib's ``sendmail(from_addr, to_addrs, msg)`` and ``send_message(msg, from_addr,
        to_addrs)``: the message is sent; its addressees are where it goes, its purpose (an
        e-mail to the resident), as Twilio's ``to=`` and SES's ``Destination`` are, and the
        sender is the city's. Addressees gathered from a table or rows (a column's
        ``tolist()``, a comprehension, a list grown in a loop) are sent too: a bulk export."""
        message, addressees = _SMTP_SENDS[name]
        if type(node) is not ast.Call or any(type(a) is ast.Starred for a in node.args):
            payload: Val = Seq(tuple(args))  # positions unknown: all of it
        else:
            sent = [_argument(args, kwargs, *message)]
            to = _argument(args, kwargs, *addressees)
            if to is not None:
                expr = _argument(node.args, _keywords(node), *addressees)
                if not (expr is not None and _addressees(to, expr, self._bound_values)):
                    sent.append(to)
            payload = mixture([value for value in sent if value is not None])
        self._sink("network", f"smtplib.{name}", payload, node, host=obj.data.get("host"))
        self._smtp_cleartext(name, obj, node)

    def _smtp_cleartext(self, name: str, smtp: Obj, node) -> None:
        """A send on an ``smtplib.SMTP`` connection on which ``starttls()`` was not called
        goes in clear: an smtp-plain fact with its hosts (DH260 judges them: this machine's
        are not). Whether it was is state (``_started_tls``): a method that calls it may run
        after the one that sends; the latest run of each entry point counts (any of its
        passes here: a helper called with a plain and a started connection)."""
        self.read_state("smtp-tls", smtp)
        plain = not smtp.data.get("tls", True) and bool(smtp.data.get("hosts"))
        run = self.reading[0] if self.reading else None  # type: ignore[attr-defined]
        entry = self.running[0] if self.running else None  # type: ignore[attr-defined]
        runs = self.smtp_runs.setdefault(id(node), {})  # type: ignore[attr-defined]
        held = runs.get(entry)
        if held is not None and held[0] is run:
            plain = plain or held[1]
        runs[entry] = (run, plain)
        if plain:
            api = f"smtplib.{name}"
            self._fact("tls", node, tls="smtp-plain", api=api, hosts=smtp.data["hosts"])
        elif not any(was for _, was in runs.values()):
            self.pending.pop(("tls", id(node), "smtp-plain"), None)  # type: ignore[attr-defined]

    def _started_tls(self, smtp: Obj) -> None:
        """``starttls()`` on an smtplib connection: its sends are encrypted from now on. State
        (``write_state``): a run that sent on it before (another method, written first) is
        stale, and runs again after this one."""
        smtp.data["tls"] = True
        name = ("smtp-tls", smtp)
        if name in self.watched:
            self.state += 1
            self.written[name] = self.state
            self.wrote.add(name)

    def _django_mail(self, last: str, args, kwargs, node) -> Val:
        """Django's mail (``django.core.mail``): ``send_mail``, ``send_mass_mail``,
        ``mail_admins`` and ``mail_managers`` send at once, an ``EmailMessage`` or
        ``EmailMultiAlternatives`` when ``send()`` is called, through the SMTP server of the
        settings' ``EMAIL_HOST``, as smtplib's ``sendmail`` does. The subject, the text, the
        HTML, the headers and the attachments are sent; the addressees (``recipient_list``,
        ``to``, ``cc``, ``bcc``, ``reply_to``) are where it goes, unless gathered from a column
        or rows (``_addressees``). ``send_mass_mail``'s messages are sent whole: built from
        rows, they are a bulk mailing."""
        sent_at, addressed_at = _DJANGO_MAIL[last]
        if type(node) is not ast.Call or any(type(a) is ast.Starred for a in node.args):
            sent = [*args, *kwargs.values()]  # positions unknown: all of it
        else:
            sent = [v for where in sent_at if (v := _argument(args, kwargs, *where)) is not None]
            keywords = _keywords(node)
            for where in addressed_at:
                to = _argument(args, kwargs, *where)
                if to is None:
                    continue
                expr = _argument(node.args, keywords, *where)
                if not (expr is not None and _addressees(to, expr, self._bound_values)):
                    sent.append(to)
        sent = [self._by_name(value, node) for value in sent]  # send_mail(s, resident.plate...)
        if last in ("EmailMessage", "EmailMultiAlternatives"):
            return Obj("django-mail", {"class": last, "payload": mixture(sent) if sent else None})
        self._sink("network", f"django.core.mail.{last}", mixture(sent), node)
        return UNKNOWN

    def _django_email_settings(self) -> None:
        """Django's settings: mail sent through the SMTP server of ``EMAIL_HOST`` goes in clear
        unless ``EMAIL_USE_TLS`` (STARTTLS) or ``EMAIL_USE_SSL`` is true; both default to
        False. Judged in a module that sets ``EMAIL_HOST`` at its top level and is Django's
        settings (it sets ``INSTALLED_APPS``, ``DATABASES``, ``MIDDLEWARE`` or
        ``ROOT_URLCONF``, or its path names ``settings``), when each switch is False, 0 or None,
        or not set here nor imported with ``*`` (``from .base import *`` may set it), and the
        backend is Django's SMTP one (``EMAIL_BACKEND`` unset or that). The fact is where the
        host is written, with the host names (DH260 judges them: this machine's are not)."""
        env = self.module_env  # type: ignore[attr-defined]
        host = env["EMAIL_HOST"]
        if not (isinstance(host, Str) and host.nodes):
            return
        if not (
            _DJANGO_SETTINGS.intersection(env) or "settings" in self.path.replace("\\", "/").lower()  # type: ignore[attr-defined]
        ):
            return
        backend = env.get("EMAIL_BACKEND")
        if backend is not None and not (isinstance(backend, Str) and backend.text == _SMTP_BACKEND):
            return
        starred = any(
            type(stmt) is ast.ImportFrom and any(a.name == "*" for a in stmt.names)
            for stmt in self.module.body  # type: ignore[attr-defined]
        )
        for switch in ("EMAIL_USE_TLS", "EMAIL_USE_SSL"):
            value = env.get(switch)
            if value is None and not starred:
                continue
            if not (isinstance(value, Num) and value.value in (False, None)):
                return  # true, or not known (read from the environment, imported)
        hosts = [
            option.text.lower()
            for option in host.options
            if option.known and option.text and "{" not in option.text
        ]
        if not hosts:
            return
        where = host.nodes[0]
        line = getattr(where, "lineno", 0)
        saved = self.stmt  # type: ignore[attr-defined]
        for stmt in self.module.body:  # type: ignore[attr-defined]
            if stmt.lineno <= line <= (stmt.end_lineno or stmt.lineno):
                self.stmt = stmt  # the statement it is written in (its suppressions)
        self._fact(
            "tls",
            where,
            tls="smtp-plain",
            api="Django's EMAIL_HOST setting (EMAIL_USE_TLS and EMAIL_USE_SSL off)",
            hosts=tuple(dict.fromkeys(hosts)),
        )
        self.stmt = saved

    def _attached(self, name: str, args, kwargs) -> Val:
        """What a Django ``EmailMessage``'s ``attach(filename, content, mimetype)`` (or
        ``attach(mime_part)``), ``attach_alternative(content, mimetype)`` or
        ``attach_file(path)`` adds to it."""
        if name == "attach_file":
            return self._file_value(args[0] if args else kwargs.get("path"))
        at = 1 if name == "attach" and len(args) != 1 else 0
        value = kwargs.get("content", args[at] if len(args) > at else UNKNOWN)
        if isinstance(value, Obj) and value.kind == "message":  # a MIMEText part
            payload = self.payload(value)
            return payload if isinstance(payload, Val) else UNKNOWN
        return value

    def _addressed(self, message: Val, key: Val, target: ast.expr) -> bool:
        """``msg["To"] = row["email"]`` (also ``Cc``, ``Bcc``) in an e-mail message: its
        addressees (``_addressees``), not what it sends."""
        stmt = self.stmt  # type: ignore[attr-defined]
        return (
            isinstance(message, Obj)
            and message.kind == "message"
            and isinstance(key, Str)
            and key.text.lower() in _ADDRESS_HEADERS
            and type(stmt) is ast.Assign
            and target in stmt.targets
            and _addressees(UNKNOWN, stmt.value, self._bound_values)
        )

    def _twilio_send(self, resource: str, kwargs, node) -> None:
        """The Twilio SDK's ``client.messages.create(to=, from_=, body=)`` (or ``calls``): a
        request to Twilio's REST API, as ``requests.post`` to it is (DH660 judges the host, the
        inventory lists it). What goes out is every keyword but the addressee and the sender
        (``to=``, ``from_=``): an SMS to the resident is the message's
        purpose, as SNS's ``PhoneNumber=`` is; a name in its ``body=`` is sent to Twilio."""
        url = Str(f"https://{_TWILIO_HOST}/2010-04-01", "sdk")
        hosts = self._endpoint(f"twilio {resource}.create", url, node)
        sent = [self._by_name(v, node) for k, v in kwargs.items() if k not in _TWILIO_PARTIES]
        self._sink(
            "network",
            f"twilio {resource}.create",
            mixture(sent),
            node,
            host=_TWILIO_HOST,
            target=url.text,
            hosts=hosts,
        )

    def _paho(self, qname: str, last: str, args, kwargs, node) -> Val:
        """paho-MQTT: ``Client()`` (its methods in ``_obj_method``), and the one-shot
        ``paho.mqtt.publish.single(topic, payload, qos, retain, hostname)``/``multiple(msgs,
        hostname=)``, which connect, send and disconnect."""
        if last == "Client":
            return Obj("mqtt", {"made": True})  # its TLS is what the code sets (tls_set)
        if qname.startswith("paho.mqtt.publish.") and last in ("single", "multiple"):
            host = kwargs.get("hostname", args[4] if last == "single" and len(args) > 4 else None)
            if host is None:
                host = Str("localhost")  # paho's default broker
            tls = kwargs.get("tls", args[10] if last == "single" and len(args) > 10 else None)
            scheme = (
                "mqtt" if tls is None or (isinstance(tls, Num) and tls.value is None) else "mqtts"
            )
            hosts = self._endpoint(
                f"paho.mqtt.publish.{last}", self._host_url(scheme, host), node, from_host=True
            )
            if last == "single":
                payload = args[1] if len(args) > 1 else kwargs.get("payload", UNKNOWN)
            else:
                payload = args[0] if args else kwargs.get("msgs", UNKNOWN)
            self._sink(
                "network",
                f"mqtt.publish.{last}",
                self._by_name(payload, node),
                node,
                host=hosts[0] if hosts else None,
            )
        return UNKNOWN

    def _mqtt_receiver(self, rname: str) -> bool:
        """A receiver named like an MQTT client, in a module that imports paho: ``client`` in
        ``on_connect(client, userdata, ...)``, ``mqttc``, ``self.mqtt``."""
        last = rname.rsplit(".", 1)[-1].lower()
        if "mqtt" not in last and last not in ("client", "mqttc", "_client"):
            return False
        return any(q == "paho" or q.startswith("paho.") for q in self.imports.values())

    def _topic_path(self, args: list, kwargs: dict) -> Val:
        """``topic_path(project, topic)``: ``projects/{project}/topics/{topic}``, the topic the
        inventory names and joins to the Terraform that defines it."""
        project = args[0] if args else kwargs.get("project")
        topic = args[1] if len(args) > 1 else kwargs.get("topic")
        if project is None or topic is None:
            return UNKNOWN
        path = self._concat(self._concat(Str("projects/"), project), Str("/topics/"))
        return self._concat(path, topic)


# Django's mail functions and messages: (position, keyword) of what is sent, and of the
# addressees (``_django_mail``).
_DJANGO_MAIL = {
    "send_mail": (((0, "subject"), (1, "message"), (8, "html_message")), ((3, "recipient_list"),)),
    "send_mass_mail": (((0, "datatuple"),), ()),
    "mail_admins": (((0, "subject"), (1, "message"), (4, "html_message")), ()),
    "mail_managers": (((0, "subject"), (1, "message"), (4, "html_message")), ()),
    "EmailMessage": (
        ((0, "subject"), (1, "body"), (6, "attachments"), (7, "headers")),
        ((3, "to"), (4, "bcc"), (8, "cc"), (9, "reply_to")),
    ),
    "EmailMultiAlternatives": (
        ((0, "subject"), (1, "body"), (6, "attachments"), (7, "headers"), (8, "alternatives")),
        ((3, "to"), (4, "bcc"), (9, "cc"), (10, "reply_to")),
    ),
}
# Settings that only Django's settings module sets (``_django_email_settings``), and
# Django's SMTP mail backend, the default.
_DJANGO_SETTINGS = frozenset({"INSTALLED_APPS", "DATABASES", "MIDDLEWARE", "ROOT_URLCONF"})
_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# An e-mail message's headers that name its addressees.
_ADDRESS_HEADERS = frozenset({"to", "cc", "bcc"})
# smtplib's sends: (position, keyword) of the message, and of its addressees.
_SMTP_SENDS = {
    "sendmail": ((2, "msg"), (1, "to_addrs")),
    "send_message": ((0, "msg"), (2, "to_addrs")),
}


def _argument(args, kwargs: dict, position: int, keyword: str):
    """A call's argument given by position or keyword, or None."""
    if keyword in kwargs:
        return kwargs[keyword]
    return args[position] if len(args) > position else None


def _keywords(node: ast.Call) -> dict[str, ast.expr]:
    return {k.arg: k.value for k in node.keywords if k.arg is not None}


def _addressees(value: Val, expr: ast.expr, bound: _Bound, depth: int = 0) -> bool:
    """``to_addrs`` names its addressees one by one: one value (``_one_value``: a text, a
    row's field), a list or tuple literal of such, or a name assigned only such. Not a
    list gathered from a column or rows, nor an empty list filled later."""
    if isinstance(value, Frame):
        return False
    kind = type(expr)
    if kind in (ast.List, ast.Tuple):
        elements = expr.elts  # type: ignore[attr-defined]
        return bool(elements) and all(_one_value(e, bound) for e in elements)
    if kind is ast.Name and depth <= 2:
        values = bound(expr)  # type: ignore[arg-type]
        return all(_addressees(UNKNOWN, v, bound, depth + 1) for v in values)
    return _one_value(expr, bound)


# paho-MQTT's client methods the analysis reads (``_obj_method``'s "mqtt").
_MQTT_METHODS = frozenset(
    {"connect", "connect_async", "connect_srv", "publish", "tls_insecure_set", "tls_set",
     "tls_set_context"}
)  # fmt: skip


def _mqtt_scheme(client: Obj, port: Val | None) -> str:
    """``mqtts`` for a paho client connecting over TLS, ``mqtt`` for one in clear (probe38
    min/08): paho speaks TLS only after ``tls_set()`` (or ``tls_set_context``), whatever the
    port. A client not made in view (a parameter, a callback's) is judged by its port: the
    default 1883 is MQTT's cleartext port, another (8883) is taken to be TLS set elsewhere."""
    if client.data.get("tls"):
        return "mqtts"
    if client.data.get("made"):
        return "mqtt"
    number = port.value if isinstance(port, Num) else None
    return "mqtt" if port is None or number == 1883 else "mqtts"
