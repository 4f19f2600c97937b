"""Files and object storage: pathlib paths, open files, S3, GCS and Azure objects."""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Sequence

from dhlint.frontends.python_ast import call_args
from dhlint.models.python_libs.azure import _AZURE_HANDLES, _azure_handle, _azure_store
from dhlint.models.python_values import UNKNOWN, Obj, Str, Val, may_be_false, mixture

# MinIO's ``Minio(endpoint, access_key, secret_key, session_token, secure, region, http_client,
# credentials, cert_check)``: the positions of the two TLS switches.
_MINIO_SECURE, _MINIO_CERT_CHECK = 4, 8
# What MinIO stores with an object besides its data: its metadata (x-amz-meta-*) and tags.
_MINIO_STORED = ("metadata", "tags")


class FileCalls:
    """Files and object storage: pathlib paths, open files, S3, GCS and Azure objects."""

    def _storage_method(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        if name in ("client", "resource"):
            return self._boto(name, args, kwargs, node)
        if name in (
            "Bucket",
            "bucket",
            "get_bucket",
            "blob",
            "Object",
            "get_blob_client",
            "get_container_client",
            "Blob",
        ):
            if name in _AZURE_HANDLES:
                return _azure_handle(obj, name, args, kwargs)
            bucket = args[0].text if args and isinstance(args[0], Str) else obj.data.get("bucket")
            return Obj(obj.kind, {**obj.data, "bucket": bucket})
        if name in ("upload_file", "upload_fileobj", "upload_from_filename", "upload_from_file"):
            source = (
                args[0]
                if args
                else kwargs.get("Filename", kwargs.get("Fileobj", kwargs.get("filename")))
            )
            bucket = args[1] if len(args) > 1 else kwargs.get("Bucket")
            host = bucket.text if isinstance(bucket, Str) else obj.data.get("bucket")
            self._sink("storage", f"{obj.kind}.{name}", self._file_value(source), node, host=host)
            return UNKNOWN
        if name in ("load_file", "load_string", "load_bytes", "load_file_obj"):
            source = args[0] if args else kwargs.get("filename", kwargs.get("string_data"))
            bucket = kwargs.get("bucket_name", args[2] if len(args) > 2 else None)
            host = bucket.text if isinstance(bucket, Str) else obj.data.get("bucket")
            self._sink("storage", f"S3Hook.{name}", self._file_value(source), node, host=host)
            return UNKNOWN
        if name in _AZURE_HANDLES:  # a Data Lake file system's, directory's or file's client
            return _azure_handle(obj, name, args, kwargs)
        if name == "upload_blob":
            self._upload_blob(obj, args, kwargs, node)
            return UNKNOWN
        if name in ("upload_data", "append_data"):
            # A Data Lake file's content (append_data: a part, committed by flush_data)
            data = kwargs.get("data", args[0] if args else UNKNOWN)
            host, target = _azure_store(obj)
            api = f"{obj.kind}.{name}"
            self._sink("storage", api, self._file_value(data), node, host=host, target=target)
            return UNKNOWN
        if name == "fput_object":  # MinIO's fput_object(bucket_name, object_name, file_path)
            source = args[2] if len(args) > 2 else kwargs.get("file_path")
            bucket = args[0] if args else kwargs.get("bucket_name")
            host = bucket.text if isinstance(bucket, Str) else obj.data.get("bucket")
            parts = [self._file_value(source), *(kwargs[k] for k in _MINIO_STORED if k in kwargs)]
            self._sink("storage", f"{obj.kind}.{name}", mixture(parts), node, host=host)
            return UNKNOWN
        if name in ("put_object", "put", "upload_from_string"):
            body = kwargs.get(
                "Body", kwargs.get("data", args[0] if args and name != "put_object" else UNKNOWN)
            )
            bucket = kwargs.get("Bucket", kwargs.get("bucket_name"))
            if name == "put_object" and len(args) > 2:
                # MinIO's put_object(bucket_name, object_name, data, length): boto3's takes
                # keywords only, so positional arguments are MinIO's
                body, bucket = args[2], args[0]
            host = bucket.text if isinstance(bucket, Str) else obj.data.get("bucket")
            # the object's metadata and tags are stored with it (a plain variable sent whole
            # is judged by its name)
            parts = [self._by_name(self._file_value(body), node)]
            parts += [kwargs[k] for k in ("Metadata", "Tagging", *_MINIO_STORED) if k in kwargs]
            self._sink("storage", f"{obj.kind}.{name}", mixture(parts), node, host=host)
            return UNKNOWN
        if name in ("set_blob_metadata", "set_blob_tags") and obj.kind == "azure":
            # an Azure blob's metadata or tags, set after its upload: stored with it
            value = args[0] if args else kwargs.get("metadata", kwargs.get("tags"))
            if value is not None:
                host, target = _azure_store(obj)
                api = f"{obj.kind}.{name}"
                self._sink("storage", api, value, node, host=host, target=target)
            return UNKNOWN
        return UNKNOWN

    def _minio(self, qname: str, last: str, args, kwargs, node) -> Val:
        """``Minio("minio.example:9000", secure=False)``: an S3-compatible client whose
        ``put_object``/``fput_object`` store what they are given (``_storage_method``), and
        its server, an endpoint: ``https`` unless ``secure=False`` (DH260 judges a remote
        server in clear, DH660 its host; with the host not known the keyword says it).
        ``cert_check=False`` switches certificate verification off (DH261)."""
        if last != "Minio":
            return UNKNOWN
        endpoint = args[0] if args else kwargs.get("endpoint")
        secure = args[_MINIO_SECURE] if len(args) > _MINIO_SECURE else kwargs.get("secure")
        plain = may_be_false(secure)
        hosts: tuple[str, ...] = ()
        if isinstance(endpoint, Str):
            url = self._host_url("http" if plain else "https", endpoint)
            hosts = self._endpoint(qname, url, node, from_host=True)
        check = (
            args[_MINIO_CERT_CHECK] if len(args) > _MINIO_CERT_CHECK else kwargs.get("cert_check")
        )
        if plain and not hosts:
            self._tls("secure-off", _keyword(node, "secure"), qname)
        if may_be_false(check):
            self._tls("cert-check-off", _keyword(node, "cert_check"), qname)
        return Obj("minio", {"api": qname, "hosts": hosts})

    def path_of(self, parts: Sequence[Val]) -> Obj:
        """A ``pathlib.Path`` of ``parts`` (its text when every part is known)."""
        texts = []
        for part in parts:
            if isinstance(part, Obj) and part.kind == "path" and part.data["path"]:
                texts.append(part.data["path"])  # Path(base) / "out.csv"
            elif isinstance(part, Str) and part.known:
                texts.append(part.text)
            else:
                return Obj("path", {"path": None})
        return Obj("path", {"path": posixpath.join(*texts) if texts else None})

    def _path_method(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        """``Path.write_text``/``write_bytes`` write a file, ``open`` opens one, ``read_text``
        and ``read_bytes`` read back what was written, ``joinpath`` builds another path."""
        path = obj.data["path"]
        if name in ("write_text", "write_bytes"):
            data = args[0] if args else kwargs.get("data", UNKNOWN)
            handle = Obj("file", {"path": path, "write": True})
            self._sink_to_handle(handle, data, f"Path.{name}", node)
            return UNKNOWN
        if name == "open":
            return self._builtin("open", [obj, *args], kwargs, node)
        if name in ("read_text", "read_bytes"):
            if not path:
                return UNKNOWN
            self.read_state("file", path)
            return self.files.get(path, UNKNOWN)
        if name == "joinpath":
            return self.path_of([obj, *args])
        if name in ("resolve", "absolute", "expanduser"):
            return obj
        return Obj("path", {"path": None}) if name.startswith("with_") else UNKNOWN

    def _file_value(self, value: Val | None) -> Val:
        """What a file argument holds: a path written earlier, an open file, in-memory data.
        A path with a runtime part (f"/out/x_{date.today():%Y%m%d}.csv") is the file written
        under the same text, as ``open`` and ``read_csv`` read it."""
        if isinstance(value, Str):
            self.read_state("file", value.text)
            if value.text in self.files:
                return self.files[value.text]
        if isinstance(value, Obj) and value.kind == "file":
            payload = self.payload(value)
            if isinstance(payload, Val):
                return payload
            path = value.data.get("path")
            if path:
                self.read_state("file", path)
            return self.files.get(path, UNKNOWN) if path else UNKNOWN
        return value if value is not None else UNKNOWN

    def _sink_to_handle(self, handle: Val | None, value: Val, api: str, node) -> None:
        path = (
            handle.data.get("path") if isinstance(handle, Obj) and handle.kind == "file" else None
        )
        if not (isinstance(handle, Obj) and handle.data.get("memory")):
            self._sink("file", api, value, node, target=path)
        if path:
            self.write_state("file", self.files, path, value)
        if isinstance(handle, Obj):
            self.add_payload(handle, value)


def _keyword(node, name: str):
    """The keyword argument ``name`` of a call (where a finding about it points), or the call."""
    if type(node) is not ast.Call:
        return node
    return next((arg for arg in call_args(node) if arg.keyword == name), node)
