"""Calls: their arguments, what they name, and following a function of the module.

Environment and storage reads, inlining (``_follow``, bounded by
``MAX_INLINE_DEPTH``, stays in ``python_dataflow``).
"""

from __future__ import annotations

import ast
from typing import Any

from dhlint.frontends.python_ast import call_args
from dhlint.models.python_flow.common import _DEFS, EVALUATORS, Env
from dhlint.models.python_libs.public import PUBLIC_KEYWORDS, PUBLIC_METHODS
from dhlint.models.python_values import (
    UNKNOWN,
    Frame,
    Func,
    Obj,
    Ref,
    Seq,
    Str,
    Unknown,
    Val,
    cols_of,
    env_of,
    functions_of,
    join,
    join_all,
)

# Keyword arguments that carry the payload, credentials or settings, not where data goes.
_PAYLOAD_KWARGS = {
    "json", "data", "files", "params", "content", "headers", "auth", "cookies", "Body", "body",
    "Fileobj", "Filename", "filename", "string_data", "bytes_data", "file_obj", "ExtraArgs",
    "region_name", "aws_access_key_id", "aws_secret_access_key", "aws_session_token",
    "profile_name", "config", "timeout", "verify", "cert", "proxies", "project", "credentials",
    "credential", "api_key", "token", "password", "user", "username", "port", "Key", "key",
    "ContentType", "ACL", "sep", "encoding", "compression", "storage_options", "mode",
    # simple_salesforce's credentials (``Salesforce(security_token=...)``)
    "security_token", "session_id", "organizationId", "consumer_key", "consumer_secret",
    "privatekey", "privatekey_file",
}  # fmt: skip
# Clients' sends whose positional argument at this index is what is sent: the local file an
# SFTP or FTP upload reads, a mail's message (its path or text is not where the data goes).
# Clients of vendor SDKs whose host is the vendor's own: a variable given to their calls is a
# credential or an id, never where the data goes.
_FIXED_HOST_SDKS = frozenset({"twilio", "mailchimp", "stripe", "mandrill"})
_SENT_ARGUMENT = {
    ("sftp", "put"): 0, ("sftp", "putfo"): 0, ("ftp", "storbinary"): 1, ("ftp", "storlines"): 1,
    ("smtp", "sendmail"): 2, ("smtp", "send_message"): 0,
}  # fmt: skip
# Object-storage reads: client method -> (positional index of the bucket, keyword of it).
_STORAGE_READS = {
    "get_object": (None, "Bucket"),
    "download_file": (0, "Bucket"),
    "download_fileobj": (0, "Bucket"),
    "download_to_filename": (None, None),
    "download_to_file": (None, None),
    "download_as_bytes": (None, None),
    "download_as_string": (None, None),
    "download_as_text": (None, None),
    "download_blob": (None, None),
    "read_key": (1, "bucket_name"),
    "download": (None, None),
}
# Methods of a bucket / container object that give a handle on one object in it.
_OBJECT_HANDLES = {"blob", "Blob", "Object", "get_blob_client", "get_blob"}
# Calls that read a table from a path or URI (pandas, polars, Spark, Dask...).
_FRAME_READS = {
    "read_csv", "read_parquet", "read_json", "read_excel", "read_feather", "read_orc",
    "read_table", "read_ndjson", "read_ipc", "read_avro", "scan_csv", "scan_parquet",
    "scan_ndjson", "scan_ipc", "csv", "parquet", "json", "orc", "avro", "load", "text",
}  # fmt: skip
_STORAGE_SCHEMES = ("s3", "s3a", "s3n", "gs", "gcs", "abfs", "abfss", "wasb", "wasbs", "az")


class Calls:
    """Calls: their arguments, what they name, and following a function of the module."""

    # ------------------------------------------------------------------ calls
    def _args(self, node: ast.Call, env: Env) -> tuple[list[Val], dict[str, Val]]:
        args, kwargs, _from_env = self._call_args(node, env)
        return args, kwargs

    def _call_args(self, node: ast.Call, env: Env) -> tuple[list[Val], dict[str, Val], bool]:
        """A call's positional and keyword arguments, and whether one may be built from an
        environment variable (then ``_call_env`` has something to record)."""
        args: list[Val] = []
        kwargs: dict[str, Val] = {}
        from_env = False
        if not node.keywords:  # (most calls) their positional arguments, without ``Arg``s
            evaluators = EVALUATORS  # (``eval``'s table read here: a call fewer per argument)
            for expr in node.args:
                starred = type(expr) is ast.Starred
                if starred:
                    expr = expr.value  # type: ignore[attr-defined]
                method = evaluators.get(type(expr))
                value = method(self, expr, env) if method is not None else self.eval(expr, env)
                kind = type(value)
                if starred and kind is Seq:
                    args.extend(value.items)
                    from_env = True
                else:
                    args.append(value)
                if (kind is Str and value.env) or (kind is Unknown and value.name[:4] == "env:"):
                    from_env = True
            return args, kwargs, from_env
        for arg in call_args(node):
            value = self.eval(arg.value, env)
            kind = type(value)  # (the analysis makes no value of a subclass of these)
            if arg.keyword is not None:
                kwargs[arg.keyword] = value
            elif arg.star == "*" and kind is Seq:
                args.extend(value.items)
                from_env = True  # (its items not looked at: ``_call_env`` does)
            elif arg.star == "**":
                if kind is Frame and value.entries:
                    kwargs.update(value.entries)
                    from_env = True
            else:
                args.append(value)
            if (kind is Str and value.env) or (kind is Unknown and value.name[:4] == "env:"):
                from_env = True
        return args, kwargs, from_env

    def _e_Call(self, node: ast.Call, env: Env) -> Val:
        args, kwargs, from_env = self._call_args(node, env)
        if node.keywords:  # (``_tls_kwargs`` reads only keywords)
            self._tls_kwargs(node, kwargs)
        func = node.func
        receiver: Val | None = None
        public = False
        if type(func) is ast.Attribute:
            value = func.value
            method = EVALUATORS.get(type(value))  # (as ``_call_args`` does)
            receiver = method(self, value, env) if method is not None else self.eval(value, env)
            name = func.attr
            public = name in PUBLIC_METHODS
            if type(receiver) is Ref:
                result = self.call_ref(f"{receiver.qname}.{name}", args, kwargs, node, env)
            else:
                result = self.call_method(receiver, name, args, kwargs, node, env)
            if name == "pop" and type(func.value) is ast.Name:
                self._pop(func.value.id, receiver, args, env)
        else:
            method = EVALUATORS.get(type(func))
            callee = method(self, func, env) if method is not None else self.eval(func, env)
            called = self.call_value(callee, args, kwargs, node, env)
            if called is not None:
                result = called
            elif type(callee) is Unknown and callee.name:
                if self._is_class(callee) and not self._protective_name(callee.name, local=True):
                    mapping = self._unpacked(node, env) if self.is_record(callee.name) else None
                    result = self._construct(callee.name, args, kwargs, node, mapping)
                else:
                    result = self._call_unknown(callee.name, args, kwargs, node)
            else:
                result = UNKNOWN
        if from_env or type(receiver) is Obj or type(result) is Frame:
            self._call_env(node, receiver, args, kwargs, result)
        if public or (kwargs and not PUBLIC_KEYWORDS.isdisjoint(kwargs)):
            self._public_grant(node, receiver, args, kwargs)
        return result

    def _unpacked(self, node: ast.Call, env: Env) -> Val | None:
        """The value of a ``**row`` argument whose keys are not known (``_args`` drops it)."""
        for arg in call_args(node):
            if arg.star == "**":
                value = self.eval(arg.value, env)
                if not (isinstance(value, Frame) and value.entries):
                    return value
        return None

    def _pop(self, variable: str, receiver: Val, args: list[Val], env: Env) -> None:
        """``row.pop("email", None)``, ``df.pop("email")``: the key leaves the dict or frame (a
        parameter's record too: what it holds is what the function reads, less this)."""
        names = self._names(args[:1])
        if isinstance(receiver, Unknown) and receiver.source is not None:
            receiver = Frame("rows", {}, (receiver.source,))
        if names and isinstance(receiver, Frame):
            env[variable] = receiver.without(names)

    def call_value(self, callee: Val, args: list[Val], kwargs, node, env: Env) -> Val | None:
        """A call of a value that names what it calls: an import, a function of the module,
        one function or another, a ``functools.partial``, a library object's method taken
        without a call (``out = log.info``). None for any other value."""
        kind = type(callee)  # (no value is of a subclass of these)
        if kind is Ref:
            return self.call_ref(callee.qname, args, kwargs, node, env)
        if kind is Func:
            return self.call_func(callee, args, kwargs, node)
        if kind is Seq and functions_of(callee):
            return join_all([self.call_value(f, args, kwargs, node, env) for f in callee.items])
        if kind is Obj and callee.kind == "itemgetter" and args:
            return self.itemgetter(callee, args[0], node)
        if kind is Obj and callee.kind == "partial":
            bound = callee.data
            args, kwargs = [*bound["args"], *args], {**bound["kwargs"], **kwargs}
            return self.call_value(bound["func"], args, kwargs, node, env)
        if kind is Unknown and callee.receiver is not None:
            method = callee.name.rsplit(".", 1)[-1]
            return self.call_method(callee.receiver, method, args, kwargs, node, env)
        if kind is Obj and callee.kind == "instance":  # tokenize(v): __call__
            cls = callee.data["cls"]
            if self.method(cls, "__call__") is not None:
                return self.instance_method(cls, "__call__", args, kwargs, node, env)
        return None

    def _env_read(self, name: str, node: Any, default: str | None) -> None:
        if name == "?":
            return
        self.env_reads.setdefault((name, id(node)), (name, node, default))

    def _call_env(self, node: ast.Call, receiver: Val | None, args, kwargs, result: Val) -> None:
        """The variables reaching a call's location arguments (URL, bucket, path), kept for its
        sink and endpoint facts; client objects built from them carry them on. Storage reads are
        recorded here too."""
        # (Values are tested by ``type``: this runs at every call, and the analysis makes no
        # value of a subclass of these. ``env_of`` of other values is empty.)
        obj = type(receiver) is Obj
        names: list[str] = list(env_of(receiver)) if obj else []
        sent = -1  # the argument a client sends (sftp.put's local file), not where to
        if obj and type(node.func) is ast.Attribute:
            sent = _SENT_ARGUMENT.get((receiver.kind, node.func.attr), -1)  # type: ignore[union-attr]
        for index, value in enumerate(args):
            kind = type(value)
            from_env = (kind is Str and value.env) or (kind is Unknown and value.name[:4] == "env:")
            if from_env and index != sent:
                names.extend(env_of(value))
        for key, value in kwargs.items():
            kind = type(value)
            from_env = (kind is Str and value.env) or (kind is Unknown and value.name[:4] == "env:")
            if from_env and key not in _PAYLOAD_KWARGS:
                names.extend(env_of(value))
        if names and obj and receiver.kind in _FIXED_HOST_SDKS:  # type: ignore[union-attr]
            names = []  # its credentials, the sender's number: the SDK's host is fixed
        if names:
            found = tuple(dict.fromkeys(names))
            old = self.call_envs.get(id(node), ())
            self.call_envs[id(node)] = tuple(dict.fromkeys(old + found))
            if type(result) is Obj and result is not receiver:
                result.data["env"] = tuple(dict.fromkeys((*result.data.get("env", ()), *found)))
        if (
            obj
            and type(result) is Obj
            and result is not receiver
            and "bucket" in receiver.data  # a bucket object (its name may be unknown)
            and type(node.func) is ast.Attribute
            and node.func.attr in _OBJECT_HANDLES
        ):
            # bucket.blob("x.csv") names an object in the receiver's bucket, not a bucket.
            result.data["bucket"] = receiver.data["bucket"]
        if obj or type(result) is Frame:  # what ``_storage_read`` reads
            self._storage_read(node, receiver, args, kwargs, result)

    @staticmethod
    def _api_name(func: ast.expr) -> str:
        """``spark.read.option("header", True).csv`` -> ``spark.read.csv``."""
        names: list[str] = []
        expr, skip = func, False
        while True:
            if type(expr) is ast.Attribute:
                if not skip:
                    names.append(expr.attr)
                skip, expr = False, expr.value
            elif type(expr) is ast.Call:
                skip, expr = True, expr.func
            else:
                if type(expr) is ast.Name:
                    names.append(expr.id)
                break
        return ".".join(reversed(names))

    def _storage_read(self, node: ast.Call, receiver: Val | None, args, kwargs, result) -> None:
        func = node.func
        method = func.attr if type(func) is ast.Attribute else ""
        if (
            isinstance(receiver, Obj)
            and method in _STORAGE_READS
            and (receiver.kind in ("s3", "gcs", "azure") or "s3" in receiver.kind)
        ):
            index, keyword = _STORAGE_READS[method]
            bucket = kwargs.get(keyword) if keyword else None
            if bucket is None and index is not None and len(args) > index:
                bucket = args[index]
            host = bucket.text if isinstance(bucket, Str) and bucket.known else None
            if bucket is None:
                host = receiver.data.get("bucket")
            names = env_of(bucket) + env_of(receiver)
            api = f"{receiver.kind}.{method}"
            self._fact("read", node, api=api, target=None, host=host, env=names)
            return
        name = method or (func.id if type(func) is ast.Name else "")
        if not isinstance(result, Frame) or not (
            name in _FRAME_READS or any(s.node is node for s in result.sources)
        ):
            return
        path = args[0] if args else None
        for key in ("path", "filepath_or_buffer", "source", "paths", "io", "path_or_buf"):
            if path is None:
                path = kwargs.get(key)
        if isinstance(path, Seq) and path.items:
            path = path.items[0]
        names = env_of(path)
        text = path.text if isinstance(path, Str) else None
        scheme = text.split("://", 1)[0].lower() if text and "://" in text else None
        if scheme not in _STORAGE_SCHEMES and not names:
            return
        api = self._api_name(func)
        bucket = self._bucket(text)
        host = bucket if bucket and "{" not in bucket else None
        self._fact("read", node, api=api, target=text, host=host, env=names)

    def call_func(self, func: Func, args: list[Val], kwargs: dict[str, Val], node) -> Val:
        if self._protective_name(func.name, local=True):
            # Trusted by its name, unless its body is here and hashes without a key: a local
            # ``def pseudonymize(df)`` that applies sha1 is what its body says.
            if type(func.node) in _DEFS:
                result = self._follow(func, args, kwargs, node)
                if any(c.treatment.startswith("weak-hash:") for c in cols_of(result)):
                    return result
            return self._protect(args, func.name, node)
        return self._follow(func, args, kwargs, node)

    def _inline(self, func: Func, args: list[Val], kwargs: dict[str, Val], key: int) -> Val:
        saved_top = self.top
        if func.top is not None:
            self.top = func.top
        try:
            return self._inline_body(func, args, kwargs, key)
        finally:
            self.top = saved_top

    def _inline_body(self, func: Func, args, kwargs, key: int) -> Val:
        self.steps += 1  # a lambda's body is an expression: counted here
        scope = self._closure_env(func)
        env: Env = dict(scope) if scope else {}
        self.active.add(key)
        self.running.append(key)
        self.depth += 1
        # (The name saved and restored by hand, as ``_run_function`` does: a generator-based
        # context manager costs four calls more per call followed, 65,000 of them in a run of
        # bench/corpus/python)
        saved_name = self.func_name
        try:
            if type(func.node) is ast.Lambda:
                self._bind_lambda(func.node, env, args, kwargs)
                return self.eval(func.node.body, env)
            self._bind_params(func.node, env, args, kwargs)
            cls = self.method_class.get(id(func.node))
            # A method's facts are named as when it runs as an entry point (Exporter.export:)
            self.func_name = f"{cls}.{func.name}" if cls else func.name
            returns = self._suite(func.node.body, env)
            result: Val = UNKNOWN
            for value in returns:
                result = join(result, value)
            return result
        finally:
            self.func_name = saved_name
            self.depth -= 1
            self.running.pop()
            self.active.discard(key)
