"""Messages to people and devices: mail, Twilio, MQTT (paho), Pub/Sub topics, RabbitMQ (pika).

Mail is smtplib's and Django's; topics are Google Pub/Sub's.
"""

from __future__ import annotations

import ast

from dhlint.models.python_libs.common import _Bound, _one_value
from dhlint.models.python_libs.http_clients import _without_fields
from dhlint.models.python_values import (
    UNKNOWN,
    Frame,
    Num,
    Obj,
    Ref,
    Seq,
    Str,
    Val,
    cols_of,
    mixture,
)

# PublisherClient.publish's keywords that stay in the client (an ordering key is sent, as a
# Kafka message's key is).
_PUBSUB_OPTIONS = frozenset({"retry", "timeout"})


# The Twilio SDK (``twilio.rest.Client``): the resources whose ``create`` sends a message or
# places a call through Twilio's API host, and the keywords that say who to and from (not sent
# data: the message's purpose, ``_twilio_send``).
_TWILIO_HOST = "api.twilio.com"
_TWILIO_SENDS = frozenset({"messages", "calls"})
_TWILIO_PARTIES = frozenset({"to", "from_", "messaging_service_sid", "status_callback"})


# Slack's and SendGrid's SDKs: their API hosts, the Slack methods that post a message (what
# names where it goes is not sent data), and SendGrid's ``Mail`` fields that address it.
_SLACK_HOST = "slack.com"
_SLACK_POSTS = frozenset(
    {"chat_postMessage", "chat_postEphemeral", "chat_scheduleMessage", "chat_update",
     "files_upload", "files_upload_v2"}
)  # fmt: skip
_SLACK_PARTIES = frozenset({"channel", "channels", "token", "user", "ts", "post_at"})
_SENDGRID_HOST = "api.sendgrid.com"
_SENDGRID_PARTIES = frozenset({"from_email", "to_emails", "is_multiple"})

# simple_salesforce: an SObject's writes (``sf.Contact.create(record)``) and the Bulk API's
# (``sf.bulk.Contact.insert(records)``) send records to the org's Salesforce host.
_SALESFORCE_WRITES = frozenset({"create", "update", "upsert"})
_SALESFORCE_BULK_WRITES = frozenset({"insert", "update", "upsert"})
# Mailchimp's Marketing API SDKs (``mailchimp_marketing.Client``, mailchimp3's ``MailChimp``):
# the API is at ``<dc>.api.mailchimp.com`` (the data centre of the account's API key;
# api.mailchimp.com when it is not known here). A method that adds or changes members or
# starts a batch carries its last argument (the body) there; reads (get_*, list_*, all) send
# nothing.
_MAILCHIMP_HOST = "api.mailchimp.com"
_MAILCHIMP_SENDS = ("add_", "set_", "update", "batch_", "create", "start", "post_")
_MAILCHIMP_BODY = frozenset({"body", "data"})
# Mandrill (Mailchimp Transactional): ``mandrill.Mandrill(key).messages.send(message={...})``,
# ``send_template(template_name, template_content, message)``, ``send_raw(raw_message)`` post
# to mandrillapp.com. The message's position in each call, and its fields that address the
# mail (whom it is for is its purpose, as SendGrid's ``to_emails`` is): not sent data.
_MANDRILL_HOST = "mandrillapp.com"
_MANDRILL_SENDS = {"send": 0, "send_template": 2, "send_raw": 0}
_MANDRILL_MESSAGE = frozenset({"message", "raw_message", "template_content"})
_MANDRILL_PARTIES = frozenset({"to", "fromemail", "fromname", "bccaddress", "subaccount"})
# Stripe: ``stripe.<Resource>.create/modify(**params)`` (module-level, the classic API) and a
# ``stripe.StripeClient``'s ``client.<resource>.create/update(params=...)`` send the params to
# api.stripe.com; the keywords that are request options, not data, are not sent data.
_STRIPE_HOST = "api.stripe.com"
_STRIPE_WRITES = frozenset({"create", "modify", "update", "create_async", "modify_async",
                            "update_async"})  # fmt: skip
_STRIPE_OPTIONS = frozenset(
    {"api_key", "stripe_account", "stripe_version", "idempotency_key", "expand", "options",
     "api_base", "stripe_context"}
)  # fmt: skip
# Open-data portals' SDKs: sodapy's Socrata client, ckanapi's RemoteCKAN, the ArcGIS API's GIS
# and FeatureLayer. Their methods that publish data -> the arguments that carry it (a position,
# or None when only keywords do).
_PORTAL_SENDS: dict[str, dict[str, int | None]] = {
    "socrata": {"upsert": 1, "replace": 1, "create_non_data_file": 1,
                "replace_non_data_file": 2},
    "ckan": {name: None for name in (
        "resource_create", "resource_update", "resource_patch", "package_create",
        "package_update", "package_patch", "datastore_create", "datastore_upsert")},
    "arcgis": {"edit_features": None, "add": None, "append": None},
}  # fmt: skip
_PORTAL_DATA = frozenset(
    {"payload", "upload", "records", "resources", "adds", "updates", "data", "file",
     "files", "edits"}
)  # fmt: skip
_ARCGIS_ONLINE = "https://www.arcgis.com"  # GIS() without a URL: ArcGIS Online


# pika's connections, and its connection parameters (``ssl_options`` makes them TLS).
_PIKA_CONNECTIONS = frozenset(
    {"BlockingConnection", "SelectConnection", "AsyncioConnection", "TornadoConnection"}
)


class MessagingCalls:
    """Messages to people and devices: mail, Twilio, MQTT (paho), Pub/Sub topics, RabbitMQ."""

    def _pika(self, qname: str, last: str, args, kwargs, node) -> Val:
        """``pika.ConnectionParameters(host=...)`` (clear text unless ``ssl_options``) and
        ``pika.URLParameters("amqp://...")``: where a connection goes; ``BlockingConnection(
        params)``: a connection to that server, an endpoint (``amqp://`` is clear text:
        DH260; DH660 judges the host), whose channels' ``basic_publish`` sends the body."""
        if last == "URLParameters":
            url = args[0] if args else kwargs.get("url")
            return Obj("amqp-params", {"url": url, "host": False})
        if last == "ConnectionParameters":
            host = args[0] if args else kwargs.get("host")
            ssl = kwargs.get("ssl_options")
            tls = ssl is not None and not (isinstance(ssl, Num) and ssl.value is None)
            url = self._host_url("amqps" if tls else "amqp", host)
            return Obj("amqp-params", {"url": url, "host": True})
        if last not in _PIKA_CONNECTIONS:
            return UNKNOWN
        params = args[0] if args else kwargs.get("parameters")
        hosts: tuple[str, ...] = ()
        if isinstance(params, Obj) and params.kind == "amqp-params":
            from_host = params.data["host"]
            hosts = self._endpoint(qname, params.data["url"], node, from_host=from_host)
        return Obj("amqp", {"api": qname, "hosts": hosts})

    def _amqp_method(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        """A pika connection's ``channel()`` and a channel's ``basic_publish(exchange,
        routing_key, body)``: the body is sent to the server (DH561)."""
        if name in ("channel", "__enter__"):
            return obj
        if name != "basic_publish":
            return UNKNOWN
        body = args[2] if len(args) > 2 else kwargs.get("body")
        if body is not None:
            key = args[1] if len(args) > 1 else kwargs.get("routing_key")
            hosts = obj.data.get("hosts", ())
            self._client_sink(
                "network",
                "pika.basic_publish",
                body,
                node,
                hosts,
                target=key.text if isinstance(key, Str) and key.known else None,
            )
        return UNKNOWN

    def _smtp_method(self, obj: Obj, name: str, args, kwargs, node, env) -> Val:
        """A method of an smtplib or aiosmtplib connection: a send (``_smtp_send``),
        ``starttls()`` (unless a condition it is under is known false: ``_runs_here``), or
        ``connect()``, which gives the host of a connection made without one
        (``smtplib.SMTP()``, ``aiosmtplib.SMTP()``) or another, and for aiosmtplib its TLS."""
        lib = obj.data.get("lib", "smtplib")
        if name in _SMTP_SENDS or (lib == "aiosmtplib" and name in _AIOSMTP_SYNC_SENDS):
            self._smtp_send(_AIOSMTP_SYNC_SENDS.get(name, name), obj, args, kwargs, node)
        elif name == "starttls":
            if not obj.data.get("tls") and self._runs_here(node, env):
                obj.data.update(opportunistic=False, started=True)
                self._started_tls(obj)
        elif name == "connect":
            self._smtp_connect(obj, args, kwargs, node, env)
        return obj if name in ("__enter__", "__aenter__") else UNKNOWN

    def _smtp_connect(self, obj: Obj, args, kwargs, node, env) -> None:
        """``connect(host, port)`` (smtplib: ``host`` defaults to this machine) or aiosmtplib's
        ``connect(hostname=, port=, use_tls=, start_tls=)`` (each overriding what the
        constructor was given; its host defaults to this machine too). A connection's hosts
        and TLS are state (``_smtp_changed``), as ``starttls()`` is."""
        if obj.data.get("lib") == "aiosmtplib":
            if kwargs.get("socket_path") is not None or kwargs.get("sock") is not None:
                obj.data.update(hosts=(), host=None)
                return self._smtp_changed(obj)
            keywords = _keywords(node) if type(node) is ast.Call else {}
            self._aiosmtp_tls(obj.data, kwargs, keywords, env)
            host = kwargs.get("hostname")
            if host is None and obj.data.get("hosts") is not None:
                return self._smtp_changed(obj)  # the constructor's host
            api = "aiosmtplib.SMTP.connect"
        else:
            host = args[0] if args else kwargs.get("host")
            api = "smtplib.SMTP.connect"
        if host is None or (isinstance(host, Num) and host.value is None):
            host = Str("localhost")  # both libraries' default
        scheme = "smtps" if obj.data.get("implicit") else "smtp"
        hosts = self._endpoint(api, self._host_url(scheme, host), node, from_host=True)
        obj.data.update(host=self._host_text(host), hosts=hosts)
        self._smtp_changed(obj)

    def _aiosmtp(self, last: str, args, kwargs, node, env) -> Val:
        """aiosmtplib: ``SMTP(hostname=, port=, use_tls=, start_tls=)``, whose methods are
        smtplib's (``_smtp_method``; it connects in ``connect()`` or ``async with``), and
        ``send(message, sender=, recipients=, hostname="localhost", ...)``, which connects,
        sends and quits. A Unix socket (``socket_path=``, ``sock=``) is this machine's."""
        if last not in ("SMTP", "send"):
            return UNKNOWN
        keywords = _keywords(node) if type(node) is ast.Call else {}
        data: dict = {"lib": "aiosmtplib", "host": None, "hosts": None, "tls": False}
        self._aiosmtp_tls(data, kwargs, keywords, env)
        host = kwargs.get("hostname")
        if last == "send":
            data.update(hosts=(), api="aiosmtplib.send")
            if host is None:
                host = Str("localhost")  # send's default
        local = kwargs.get("socket_path") is not None or kwargs.get("sock") is not None
        if host is not None and not local:
            scheme = "smtps" if data.get("implicit") else "smtp"
            url = self._host_url(scheme, host)
            hosts = self._endpoint(f"aiosmtplib.{last}", url, node, from_host=True)
            data.update(host=self._host_text(host), hosts=hosts)
        smtp = Obj("smtp", data)
        if last == "SMTP":
            return smtp
        self._smtp_send("send", smtp, args, kwargs, node)
        return UNKNOWN

    def _aiosmtp_tls(self, data: dict, kwargs, keywords, env) -> None:
        """aiosmtplib's TLS: ``use_tls=True`` (TLS from the start) or ``start_tls=True``
        (STARTTLS, required) encrypt; ``start_tls=False`` sends in clear; ``start_tls`` unset
        or None (the default since aiosmtplib 2.0) upgrades only if the server offers STARTTLS
        (``opportunistic``: a server without it, or an attacker who strips the offer, gets
        the mail in clear; before 2.0 the default was False). A switch whose value is not known
        (a setting, a parameter) is taken as on, as ``starttls()`` under a condition is
        (``_runs_here``). ``connect()``'s keywords override the constructor's."""
        for key in ("use_tls", "start_tls"):
            if key not in kwargs:
                continue
            value = kwargs[key]
            if _flag(value):
                value = value.value
            else:
                value = self._static(keywords[key], env, 0) if key in keywords else _NOT_KNOWN
            if value is _NOT_KNOWN:
                value = True  # may be on
            if key == "use_tls":
                data["implicit"] = bool(value)
            else:
                data["start"] = None if value is None else bool(value)
        on = bool(data.get("implicit")) or data.get("start") is True or bool(data.get("started"))
        data["tls"] = on
        data["opportunistic"] = not on and data.get("start") is None

    def _runs_here(self, node, env) -> bool:
        """Whether a call (``starttls()``) runs, as far as the conditions it is under tell:
        False when one of them (an ``if``'s, an ``elif``'s, a conditional expression's, the
        left of an ``and``) is known to be false where it must be true, or the other way
        round (``_static``: a literal, a module constant, a variable assigned one, an
        environment variable's default compared with a text). Otherwise (a setting's value,
        a parameter's) it is taken to run: a switch that may be on is not reported."""
        if getattr(node, "end_lineno", None) is None:
            return True  # not written as such (no place to look for conditions)
        guards = self.guards.get(id(node))  # type: ignore[attr-defined]
        if guards is None:
            guards = self.guards[id(node)] = _guards(self.module, node)  # type: ignore[attr-defined]
        for test, wanted in guards:
            value = self._static(test, env, 0)
            if value is not _NOT_KNOWN and bool(value) is not wanted:
                return False
        return True

    def _static(self, expr: ast.expr, env, depth: int):
        """The value of a condition's expression when the code says it (a literal, a name
        bound to one, an environment variable's default, ``not``, ``and``/``or``, ``==``,
        ``!=``, ``in``, ``is``, ``lower()``...), else ``_NOT_KNOWN``."""
        kind = type(expr)
        if kind is ast.Constant:
            return expr.value  # type: ignore[attr-defined]
        if depth > 4:
            return _NOT_KNOWN
        if kind is ast.UnaryOp and type(expr.op) is ast.Not:  # type: ignore[attr-defined]
            value = self._static(expr.operand, env, depth + 1)  # type: ignore[attr-defined]
            return value if value is _NOT_KNOWN else not value
        if kind is ast.BoolOp:
            return self._static_bool(expr, env, depth)  # type: ignore[arg-type]
        if kind is ast.Compare:
            return self._static_compare(expr, env, depth)  # type: ignore[arg-type]
        if kind in (ast.Tuple, ast.List, ast.Set):
            items = [self._static(e, env, depth + 1) for e in expr.elts]  # type: ignore[attr-defined]
            return _NOT_KNOWN if _NOT_KNOWN in items else tuple(items)
        if kind is ast.Call:
            return self._static_call(expr, env, depth)  # type: ignore[arg-type]
        if kind in (ast.Name, ast.Attribute, ast.Subscript):
            value = self.lookup(expr.id, env) if kind is ast.Name else self.eval(expr, env)  # type: ignore[attr-defined]
            if _flag(value):
                return value.value
            if isinstance(value, Str) and value.known and not value.alts and not value.cols:
                return value.text
            if kind is ast.Name:
                return self._static_name(expr, env, depth)  # type: ignore[arg-type]
        return _NOT_KNOWN

    def _static_bool(self, expr: ast.BoolOp, env, depth: int):
        """``a and b`` / ``a or b``: Python's value when the operands decide it (an operand
        false in an ``and``, true in an ``or``, decides whatever the unknown ones before it)."""
        deciding = type(expr.op) is not ast.And  # the truth that ends the evaluation
        unknown = False
        value = _NOT_KNOWN
        for operand in expr.values:
            value = self._static(operand, env, depth + 1)
            if value is _NOT_KNOWN:
                unknown = True
            elif bool(value) is deciding:
                return deciding if unknown else value
        return _NOT_KNOWN if unknown else value

    def _static_compare(self, expr: ast.Compare, env, depth: int):
        if len(expr.ops) != 1:
            return _NOT_KNOWN
        left = self._static(expr.left, env, depth + 1)
        right = self._static(expr.comparators[0], env, depth + 1)
        if left is _NOT_KNOWN or right is _NOT_KNOWN:
            return _NOT_KNOWN
        op = type(expr.ops[0])
        try:
            if op is ast.Eq:
                return left == right
            if op is ast.NotEq:
                return left != right
            if op is ast.In:
                return left in right
            if op is ast.NotIn:
                return left not in right
            if op is ast.Is:
                return left is right
            if op is ast.IsNot:
                return left is not right
        except TypeError:
            pass
        return _NOT_KNOWN

    def _static_call(self, expr: ast.Call, env, depth: int):
        """``os.getenv("SMTP_TLS", "false")`` (its default), its ``lower()``, ``strip()``,
        ``upper()`` or ``casefold()``, and ``bool()``/``str()`` of a known value."""
        func = expr.func
        if type(func) is ast.Attribute and func.attr in _TEXT_CASES and not expr.args:
            value = self._static(func.value, env, depth + 1)
            return getattr(value, func.attr)() if isinstance(value, str) else _NOT_KNOWN
        if type(func) is ast.Attribute:
            callee = self.eval(func.value, env)
            qname = f"{callee.qname}.{func.attr}" if isinstance(callee, Ref) else ""
        elif type(func) is ast.Name:
            callee = self.lookup(func.id, env)  # type: ignore[attr-defined]
            qname = callee.qname if isinstance(callee, Ref) else ""
        else:
            return _NOT_KNOWN
        if qname in ("builtins.bool", "builtins.str") and len(expr.args) == 1:
            value = self._static(expr.args[0], env, depth + 1)
            if value is _NOT_KNOWN:
                return _NOT_KNOWN
            return bool(value) if qname == "builtins.bool" else str(value)
        if qname in ("os.getenv", "os.environ.get"):
            default = expr.args[1] if len(expr.args) == 2 else None
            default = next((k.value for k in expr.keywords if k.arg == "default"), default)
            if default is not None:  # no default: None unset, but the deployment sets it
                return self._static(default, env, depth + 1)  # unset, the value is this
        return _NOT_KNOWN

    def _static_name(self, name: ast.Name, env, depth: int):
        """A name whose value the analysis does not hold as such (``USE_TLS =
        os.getenv(...) == "true"``): the value of what it is assigned, when every assignment
        gives the same (in the function it is read in, else at the module's top level)."""
        values = [self._static(v, env, depth + 1) for v in _assigned(self.module, name, env)]
        if not values or _NOT_KNOWN in values:
            return _NOT_KNOWN
        first = values[0]
        return first if all(v == first and bool(v) is bool(first) for v in values) else _NOT_KNOWN

    def _smtp_send(self, name: str, obj: Obj, args, kwargs, node) -> None:
        """smtplib's ``sendmail(from_addr, to_addrs, msg)`` and ``send_message(msg, from_addr,
        to_addrs)`` (aiosmtplib's: ``sendmail(sender, recipients, message)``,
        ``send_message(message, sender=, recipients=)``): the message is sent; its addressees
        are where it goes, its purpose (an
        e-mail to the resident), as Twilio's ``to=`` and SES's ``Destination`` are, and the
        sender is the city's. Addressees gathered from a table or rows (a column's
        ``tolist()``, a comprehension, a list grown in a loop) are sent too: a bulk export."""
        lib = obj.data.get("lib", "smtplib")
        message, addressees = (_AIOSMTP_SENDS if lib == "aiosmtplib" else _SMTP_SENDS)[name]
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
        api = obj.data.get("api") or f"{lib}.{name}"
        self._sink("network", api, payload, node, host=obj.data.get("host"))
        self._smtp_cleartext(api, obj, node)

    def _smtp_handler(self, api: str, args, kwargs, node) -> Val:
        """logging's ``SMTPHandler(mailhost, fromaddr, toaddrs, subject, credentials, secure)``
        mails the records it is given to ``mailhost`` (a host or a (host, port) tuple): an
        endpoint (DH660 its host), in clear unless it is given both ``credentials`` and
        ``secure`` (only then does it call ``starttls()``; it never speaks SMTPS): an
        smtp-plain fact, as a send on an ``smtplib.SMTP`` without ``starttls()`` (DH260)."""
        mailhost = args[0] if args else kwargs.get("mailhost")
        if isinstance(mailhost, Seq):
            mailhost = mailhost.items[0] if mailhost.items else None
        hosts = self._endpoint(api, self._host_url("smtp", mailhost), node, from_host=True)
        credentials = args[4] if len(args) > 4 else kwargs.get("credentials")
        secure = args[5] if len(args) > 5 else kwargs.get("secure")
        if hosts and (_absent(credentials) or _absent(secure)):
            self._fact("tls", node, tls="smtp-plain", api=api, hosts=hosts)
        return UNKNOWN

    def _smtp_cleartext(self, api: str, smtp: Obj, node) -> None:
        """A send on an ``smtplib.SMTP`` connection on which ``starttls()`` was not called
        goes in clear: an smtp-plain fact with its hosts (DH260 judges them: this machine's
        are not); on an aiosmtplib connection without ``start_tls=True`` (nor ``use_tls``,
        nor ``starttls()``), an smtp-opportunistic one: aiosmtplib then upgrades only if the
        server offers STARTTLS (``start_tls=False``: smtp-plain). Whether it was is state
        (``_started_tls``): a method that calls it may run
        after the one that sends; the latest run of each entry point counts (any of its
        passes here: a helper called with a plain and a started connection)."""
        self.read_state("smtp-tls", smtp)
        plain = not smtp.data.get("tls", True) and bool(smtp.data.get("hosts"))
        kind = "smtp-opportunistic" if smtp.data.get("opportunistic") else "smtp-plain"
        run = self.reading[0] if self.reading else None  # type: ignore[attr-defined]
        entry = self.running[0] if self.running else None  # type: ignore[attr-defined]
        runs = self.smtp_runs.setdefault(id(node), {})  # type: ignore[attr-defined]
        held = runs.get(entry)
        if held is not None and held[0] is run:
            plain = plain or held[1]
        runs[entry] = (run, plain)
        if plain:
            self._fact("tls", node, tls=kind, api=api, hosts=smtp.data["hosts"])
        elif not any(was for _, was in runs.values()):
            for kind in ("smtp-plain", "smtp-opportunistic"):
                self.pending.pop(("tls", id(node), kind), None)  # type: ignore[attr-defined]

    def _started_tls(self, smtp: Obj) -> None:
        """``starttls()`` on an smtplib connection: its sends are encrypted from now on. State
        (``write_state``): a run that sent on it before (another method, written first) is
        stale, and runs again after this one."""
        smtp.data["tls"] = True
        self._smtp_changed(smtp)

    def _smtp_changed(self, smtp: Obj) -> None:
        """A connection's TLS or hosts changed: the runs that sent on it before are stale."""
        name = ("smtp-tls", smtp)
        if name in self.watched:  # type: ignore[attr-defined]
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
                # read from the environment with a default (os.getenv("EMAIL_USE_TLS",
                # "false") == "true"): judged by the default, as a condition is (_static)
                known = [
                    self._static(v, env, 0)
                    for v in _assignments(self.module, switch, top_only=True)  # type: ignore[attr-defined]
                ]
                if not known or any(v is _NOT_KNOWN or v for v in known):
                    return  # true, or not known (a setting read without default, imported)
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

    def _celery_settings(self) -> None:
        """Celery's broker and result backend URLs set in a configuration module: Django's
        settings (as ``_django_email_settings`` tells them; ``CELERY_BROKER_URL``) or Celery's
        ``celeryconfig.py`` (``broker_url``). Each is where the workers and the code that
        queues tasks send the tasks' arguments (and results): an endpoint, as
        ``Celery(broker=...)`` gives (DH260 judges ``redis://`` and ``amqp://``, DH660 the
        host). Reported where the URL is written, the default of an environment read too."""
        env = self.module_env  # type: ignore[attr-defined]
        path = self.path.replace("\\", "/")  # type: ignore[attr-defined]
        django = _DJANGO_SETTINGS.intersection(env) or "settings" in path.lower()
        if not (django or path.rsplit("/", 1)[-1] in _CELERY_CONFIG_FILES):
            return
        saved = self.stmt  # type: ignore[attr-defined]
        for stmt in self.module.body:  # type: ignore[attr-defined]
            targets = stmt.targets if type(stmt) is ast.Assign else ()
            for target in targets:
                name = target.id if type(target) is ast.Name else ""
                url = env.get(name) if name in _CELERY_URL_SETTINGS else None
                if isinstance(url, Str):
                    self.stmt = stmt  # the statement it is written in (its suppressions)
                    where = url.nodes[0] if url.nodes else target
                    self._endpoint(f"Celery's {name} setting", url, where)
        self.stmt = saved

    def _celery_conf(self, name: str, args, kwargs, node) -> Val:
        """A Celery app's ``app.conf.update(broker_url=..., result_backend=...)`` (or a dict of
        them), ``app.conf.setdefault("broker_url", url)``: the broker and result backend, as
        ``Celery(broker=...)`` gives them (DH260 the scheme, DH660 the host)."""
        given = dict(kwargs)
        if name == "setdefault" and len(args) == 2 and isinstance(args[0], Str):
            given[args[0].text] = args[1]
        elif args and isinstance(args[0], Frame) and args[0].entries:
            given.update(args[0].entries)
        for setting, url in given.items():
            if setting in _CELERY_URL_SETTINGS:
                self._endpoint(f"celery app.conf.{name}({setting}=)", url, node)
        return UNKNOWN

    def _celery_conf_attribute(self, target: ast.Attribute, value: Val, env) -> None:
        """``app.conf.broker_url = url`` on a Celery app (``_celery_conf``)."""
        owner = self.eval(target.value, env)  # type: ignore[attr-defined]
        if isinstance(owner, Obj) and owner.kind == "celery-conf":
            self._endpoint(f"celery app.conf.{target.attr}", value, target)

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

    def _vendor_sdk(self, qname: str, last: str, args, kwargs, node) -> Val:
        """Slack's ``WebClient()`` and ``WebhookClient(url)``, SendGrid's
        ``SendGridAPIClient()`` and its ``Mail(...)`` message (what it carries, less the
        addresses: ``_vendor_send``)."""
        if qname.startswith("slack_sdk") and last in ("WebClient", "AsyncWebClient"):
            return Obj("slack", {})
        if qname.startswith("slack_sdk") and last in ("WebhookClient", "AsyncWebhookClient"):
            return Obj("slack", {"url": args[0] if args else kwargs.get("url")})
        if qname.startswith("sendgrid") and last == "SendGridAPIClient":
            return Obj("sendgrid", {})
        if qname.startswith("sendgrid") and last == "Mail":
            sent = [v for k, v in kwargs.items() if k not in _SENDGRID_PARTIES]
            sent += args[2:]  # Mail(from_email, to_emails, subject, plain_text, html)
            return Obj("sendgrid-mail", {"sent": mixture(sent)})
        return UNKNOWN

    def _portal_client(self, qname: str, last: str, args, kwargs, node) -> Val:
        """An open-data portal's client, with the URL it publishes to: sodapy's
        ``Socrata(domain, app_token)`` (a domain: https), ckanapi's ``RemoteCKAN(address)``,
        the ArcGIS API's ``GIS(url)`` (ArcGIS Online when none) and ``FeatureLayer(url)``."""
        given = args[0] if args else None
        if qname.startswith("sodapy") and last == "Socrata":
            domain = given if given is not None else kwargs.get("domain")
            if isinstance(domain, Str) and "://" not in domain.text:
                domain = self._host_url("https", domain)
            return Obj("portal", {"lib": "socrata", "url": domain})
        if qname.startswith("ckanapi") and last == "RemoteCKAN":
            address = given if given is not None else kwargs.get("address")
            return Obj("portal", {"lib": "ckan", "url": address})
        if qname.startswith("arcgis") and last == "GIS":
            url = given if given is not None else kwargs.get("url")
            return Obj("portal", {"lib": "arcgis", "url": url or Str(_ARCGIS_ONLINE, "sdk")})
        if qname.startswith("arcgis") and last in ("FeatureLayer", "Table"):
            url = given if given is not None else kwargs.get("url")
            return Obj("portal", {"lib": "arcgis", "url": url})
        return UNKNOWN

    def _portal_send(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        """A portal client's publishing call (``_PORTAL_SENDS``): a request to the portal's
        host (DH660 judges it, the inventory lists it) carrying the records or the file
        uploaded (DH561 judges what they hold). A path given as the data is the file the
        module wrote there."""
        lib = obj.data["lib"]
        sends = _PORTAL_SENDS[lib]
        if name not in sends:
            return UNKNOWN
        position = sends[name]
        sent = [v for k, v in kwargs.items() if k in _PORTAL_DATA]
        if position is not None and len(args) > position:
            sent.append(args[position])
        sent = [self._written_file(v) for v in sent]
        api = f"{lib} {name}"
        url = obj.data.get("url")
        hosts = self._endpoint(api, url, node)
        target = url.text if isinstance(url, Str) else None
        self._client_sink("network", api, mixture(sent), node, hosts, target=target)
        return UNKNOWN

    def _written_file(self, value: Val) -> Val:
        """What the module wrote at a path given as data (``data="out/311.geojson"``)."""
        if isinstance(value, Str) and value.known:
            self.read_state("file", value.text)
            return self.files.get(value.text, value)
        return value

    def _vendor_send(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        """A message to Slack (``chat_postMessage(channel=, text=, blocks=)``, a webhook's
        ``send(text=)``) or through SendGrid (``send(Mail(...))``): a request to the vendor's
        API, as ``requests.post`` to it is (DH660 judges the host, DH561 what it carries)."""
        if obj.kind == "slack" and (name in _SLACK_POSTS or (name == "send" and "url" in obj.data)):
            sent = [v for k, v in kwargs.items() if k not in _SLACK_PARTIES] + list(args)
            given = obj.data.get("url")
            url = given if isinstance(given, Str) else Str(f"https://{_SLACK_HOST}/api", "sdk")
            api = f"slack {name}"
        elif obj.kind == "sendgrid" and name == "send" and args:
            message = args[0]
            sent = [message.data["sent"] if isinstance(message, Obj) and "sent" in message.data
                    else message]  # fmt: skip
            url, api = Str(f"https://{_SENDGRID_HOST}/v3/mail/send", "sdk"), "sendgrid send"
        else:
            return UNKNOWN
        self._send_by_name(api, url, sent, node)
        return UNKNOWN

    def _send_by_name(self, api: str, url: Str, sent: list[Val], node) -> None:
        """A vendor SDK's send of ``sent`` to ``url``'s host (DH561 judges what it holds, its
        plain variables by their names; DH660 the host)."""
        hosts = self._endpoint(api, url, node)
        values = mixture([self._by_name(v, node) for v in sent])
        self._client_sink("network", api, values, node, hosts, target=url.text)

    def _salesforce(self, last: str, kwargs) -> Val:
        """simple_salesforce's ``Salesforce(username=, password=, security_token=, domain=)``
        (or ``instance_url=``/``instance=``): a client of the org's Salesforce host, the one it
        logs in to (``login.salesforce.com``, ``test.salesforce.com``, ``<domain>.salesforce.com``)
        unless its instance is given. Its credentials are not where the data goes."""
        if last != "Salesforce":
            return UNKNOWN
        url = kwargs.get("instance_url")
        if not isinstance(url, Str):
            instance, domain = kwargs.get("instance"), kwargs.get("domain")
            if isinstance(instance, Str) and instance.known:
                url = Str(f"https://{instance.text}", "sdk")
            else:
                known = isinstance(domain, Str) and domain.known and domain.text
                url = Str(f"https://{known or 'login'}.salesforce.com", "sdk")
        return Obj("salesforce", {"url": url})

    def _salesforce_write(self, obj: Obj, name: str, args, node) -> Val:
        """``sf.Contact.create(record)``, ``update(id, record)``, ``upsert(key, record)`` and the
        Bulk API's ``sf.bulk.Contact.insert(records)`` (``update``, ``upsert``): the records go
        to Salesforce, as a ``requests.post`` of them would (DH561 the data, DH660 the host)."""
        sobject = obj.data.get("sobject")
        writes = _SALESFORCE_BULK_WRITES if obj.data.get("bulk") else _SALESFORCE_WRITES
        if sobject is None or name not in writes or not args:
            return UNKNOWN
        record = args[0] if obj.data.get("bulk") or name == "create" else args[-1]
        api = f"simple_salesforce {'bulk.' if obj.data.get('bulk') else ''}{sobject}.{name}"
        url = obj.data["url"]
        hosts = self._endpoint(api, url, node)
        self._sink(
            "network",
            api,
            self._by_name(record, node),
            node,
            host=hosts[0] if hosts else None,
            target=url.text,
            hosts=hosts,
        )
        return UNKNOWN

    def _mailchimp(self, last: str, args, kwargs) -> Val:
        """A Mailchimp Marketing API client: ``mailchimp_marketing.Client(config)`` or
        mailchimp3's ``MailChimp(...)``. A ``server`` in the config names the data centre
        (``us21.api.mailchimp.com``)."""
        if last not in ("Client", "MailChimp"):
            return UNKNOWN
        config = args[0] if args else kwargs.get("config")
        server = config.entries.get("server") if isinstance(config, Frame) else None
        dc = server.text if isinstance(server, Str) and server.known and server.text else ""
        host = f"{dc}.{_MAILCHIMP_HOST}" if dc.isalnum() else _MAILCHIMP_HOST
        return Obj("mailchimp", {"url": Str(f"https://{host}/3.0", "sdk")})

    def _mailchimp_send(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        """``client.lists.set_list_member(list_id, hash, body)``, ``add_list_member``,
        ``batch_list_members``, mailchimp3's ``client.lists.members.create(list_id, data)``:
        the body goes to Mailchimp (DH561 judges what it holds, DH660 the host). Ids and
        hashes before it name the list and the member."""
        if not name.startswith(_MAILCHIMP_SENDS) or name == "set_config":
            return UNKNOWN
        sent = [v for k, v in kwargs.items() if k in _MAILCHIMP_BODY]
        if not sent and args:
            sent = [args[-1]]
        if not sent:
            return UNKNOWN
        resource = ".".join(obj.data.get("path", ()))
        api = f"mailchimp {resource + '.' if resource else ''}{name}"
        url = obj.data["url"]
        self._send_by_name(api, url, sent, node)
        return UNKNOWN

    def _mandrill_send(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        """``client.messages.send(message)``, ``send_template(name, content, message)``,
        ``send_raw(raw_message)``: the message, less its addressees (``_MANDRILL_PARTIES``),
        and a template's content go to Mandrill (DH561 judges what they hold, DH660 the host).
        """
        if obj.data.get("path", ())[-1:] != ("messages",) or name not in _MANDRILL_SENDS:
            return UNKNOWN
        sent = [v for k, v in kwargs.items() if k in _MANDRILL_MESSAGE]
        if len(args) > _MANDRILL_SENDS[name]:
            sent.append(args[_MANDRILL_SENDS[name]])
        if name == "send_template" and len(args) > 1:
            sent.append(args[1])
        if not sent:
            return UNKNOWN
        sent = [_without_fields(v, _mandrill_parties) for v in sent]
        api = f"mandrill messages.{name}"
        url = Str(f"https://{_MANDRILL_HOST}/api/1.0", "sdk")
        self._send_by_name(api, url, sent, node)
        return UNKNOWN

    def _stripe(self, qname: str, last: str, args, kwargs, node) -> Val:
        """Stripe: ``stripe.StripeClient(key)`` (its resources' writes: ``_stripe_send``) and
        the module-level API's ``stripe.Customer.create(email=..., metadata={...})``,
        ``stripe.checkout.Session.create(...)``, ``stripe.Customer.modify(id, ...)``."""
        if last == "StripeClient":
            return Obj("stripe", {})
        resource = qname.split(".")[-2] if qname.count(".") >= 2 else ""
        if resource[:1].isupper() and last in _STRIPE_WRITES:
            self._stripe_send(f"stripe.{resource}.{last}", args[1:], kwargs, node)
        return UNKNOWN

    def _stripe_send(self, api: str, args, kwargs, node) -> None:
        """A write to Stripe's API: every parameter but the request options (and the id of the
        object changed, not passed here) is sent to api.stripe.com (DH561 the data; DH660
        the host: approve it in the policy where Stripe is the city's processor)."""
        params = kwargs.get("params")
        sent = [params] if params is not None else []
        sent += [self._by_name(v, node) for k, v in kwargs.items()
                 if k not in _STRIPE_OPTIONS and k != "params"]  # fmt: skip
        sent += list(args)
        url = Str(f"https://{_STRIPE_HOST}/v1", "sdk")
        hosts = self._endpoint(api, url, node)
        self._client_sink("network", api, mixture(sent), node, hosts, target=url.text)

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
# Celery's broker and result backend URLs as settings (``_celery_settings``): Celery 4+'s
# names, Django's with the CELERY_ namespace (``config_from_object(..., namespace="CELERY")``),
# and Celery 3's upper-case ones.
_CELERY_URL_SETTINGS = frozenset(
    {"broker_url", "broker_read_url", "broker_write_url", "result_backend",
     "CELERY_BROKER_URL", "CELERY_BROKER_READ_URL", "CELERY_BROKER_WRITE_URL",
     "CELERY_RESULT_BACKEND", "BROKER_URL"}
)  # fmt: skip
# The files Celery's own docs name as its configuration module (``config_from_object``).
_CELERY_CONFIG_FILES = frozenset({"celeryconfig.py", "celery_config.py"})
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
# ... aiosmtplib's (its sendmail's arguments and send_message's message are positional only,
# the rest keywords: no position 9), and ``aiosmtplib.send``'s; its blocking forms.
_AIOSMTP_SENDS = {
    "sendmail": ((2, "message"), (1, "recipients")),
    "send_message": ((0, "message"), (9, "recipients")),
    "send": ((0, "message"), (9, "recipients")),
}
_AIOSMTP_SYNC_SENDS = {"sendmail_sync": "sendmail", "send_message_sync": "send_message"}
# The text methods a condition may call on an environment variable's value (``_static_call``).
_TEXT_CASES = frozenset({"lower", "upper", "strip", "casefold"})
# What ``_static`` gives for a value the code does not say.
_NOT_KNOWN = object()


def _flag(value: Val) -> bool:
    """A value the analysis holds as a switch's: True, False or None (a number it holds may
    stand for one it does not know, ``os.getpid()``'s: read from the code instead)."""
    return isinstance(value, Num) and (value.value is None or type(value.value) is bool)


def _inside(node, outer) -> bool:
    """Whether ``node`` is written inside ``outer`` (by their positions)."""
    return (outer.lineno, outer.col_offset) <= (node.lineno, node.col_offset) and (
        node.end_lineno,
        node.end_col_offset,
    ) <= (outer.end_lineno, outer.end_col_offset)


def _guards(module: ast.Module, node) -> tuple[tuple[ast.expr, bool], ...]:
    """The conditions under which ``node`` runs in the innermost function around it (or the
    module), each with the value it must have: an ``if``'s test (False for its ``else``, an
    ``elif`` being an ``if`` in it), a conditional expression's, the operands before it in an
    ``and`` (True) or an ``or`` (False). Found by positions, from the module down."""
    path: list[tuple[ast.expr, bool]] = []
    body: list = module.body
    while body:
        stmt = next((s for s in body if _inside(node, s)), None)
        if stmt is None:
            break
        kind = type(stmt)
        if kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            if kind is not ast.ClassDef:
                path = []  # a function's own conditions only
            body = stmt.body
            continue
        if kind is ast.If and not _inside(node, stmt.test):
            inside = any(_inside(node, s) for s in stmt.body)
            path.append((stmt.test, inside))
            body = stmt.body if inside else stmt.orelse
            continue
        parts = [
            *getattr(stmt, "body", ()),
            *getattr(stmt, "orelse", ()),
            *getattr(stmt, "finalbody", ()),
            *(s for h in getattr(stmt, "handlers", ()) for s in h.body),
            *(s for c in getattr(stmt, "cases", ()) for s in c.body),
        ]
        if any(_inside(node, s) for s in parts):
            body = parts
            continue
        for part in ast.walk(stmt):  # the statement the call is in
            if type(part) is ast.IfExp and _inside(node, part) and not _inside(node, part.test):
                path.append((part.test, _inside(node, part.body)))
            elif type(part) is ast.BoolOp and _inside(node, part):
                for index, operand in enumerate(part.values):
                    if _inside(node, operand):
                        wanted = type(part.op) is ast.And
                        path.extend((v, wanted) for v in part.values[:index])
                        break
        break
    return tuple(path)


def _assigned(module: ast.Module, name: ast.Name, env) -> list[ast.expr]:
    """What the assignments to ``name`` give it: in the innermost function around it, or,
    when it assigns none (nor has it as a parameter), at the module's top level."""
    scope: ast.AST = module
    for node in ast.walk(module):
        if (
            type(node) in (ast.FunctionDef, ast.AsyncFunctionDef)
            and _inside(name, node)
            and (scope is module or _inside(node, scope))
        ):
            scope = node
    found = _assignments(scope, name.id)
    if scope is not module:
        params = scope.args  # type: ignore[attr-defined]
        every = [*params.posonlyargs, *params.args, *params.kwonlyargs, params.vararg, params.kwarg]
        if found or any(p is not None and p.arg == name.id for p in every):
            return found
        found = _assignments(module, name.id, top_only=True)
    return found


def _assignments(scope: ast.AST, name: str, top_only: bool = False) -> list[ast.expr]:
    nodes = scope.body if top_only else ast.walk(scope)  # type: ignore[attr-defined]
    values: list[ast.expr] = []
    for node in nodes:
        kind = type(node)
        if kind is ast.Assign:
            if any(type(t) is ast.Name and t.id == name for t in node.targets):
                values.append(node.value)
        elif kind is ast.AnnAssign and node.value is not None:
            if type(node.target) is ast.Name and node.target.id == name:
                values.append(node.value)
        elif kind in (ast.AugAssign, ast.NamedExpr):
            target = node.target
            if type(target) is ast.Name and target.id == name:
                return [ast.Name(id="<unknown>")]  # changed as it goes: not one value
    return values


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


def _mandrill_parties(message: Frame, keys: dict[str, str]) -> list[str]:
    """A Mandrill message's fields that address it (``_without_fields``), and the columns its
    recipients' dicts (``"to": [{"email": e, "name": n}]``) gave it."""
    found = []
    for word in _MANDRILL_PARTIES.intersection(keys):
        key = keys[word]
        given = {id(col) for col in cols_of(message.entries[key])}
        found += [key, *(name for name, col in message.cols.items() if id(col) in given)]
    return found


def _absent(value: Val | None) -> bool:
    """An optional argument not given, or given as None."""
    return value is None or (isinstance(value, Num) and value.value is None)
