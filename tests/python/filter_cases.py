"""Python files written the ways real pipelines are (aliases, factories, callbacks, import
lists, attributes shared between methods...), each of which the pre-filter (or the slicer, which
left statements out of the analysis until it was removed) once handled differently from a full
analysis. ``test_py_prefilter`` runs them both ways."""

# A module global that a function logs; the cases set it in other functions.
_LAST_LOGGED = (
    "import logging\n"
    "\n"
    "log = logging.getLogger(__name__)\n"
    "LAST = None\n"
    "\n"
    "\n"
    "def debug_dump():\n"
    '    log.debug("last %s", LAST)\n'
    "\n"
    "\n"
)

CASES = {
    "alias_hasher.py": (
        "import hashlib\n"
        "\n"
        "def _md5(v):\n"
        "    return hashlib.md5(v.encode()).hexdigest()\n"
        "\n"
        "mask = _md5\n"
        "\n"
        "def anonymise(r):\n"
        '    return {"id": r["id"], "email": mask(r["email"])}\n'
    ),
    "audit_factory_class.py": (
        "import logging\n"
        "\n"
        "def make_logger(name):\n"
        "    lg = logging.getLogger(name)\n"
        "    lg.setLevel(logging.INFO)\n"
        "    return lg\n"
        "\n"
        "class Notifier:\n"
        "    def __init__(self):\n"
        '        self._audit = make_logger("audit")\n'
        "\n"
        "    def notify(self, email):\n"
        '        self._audit.info("notified %s", email)\n'
    ),
    "audit_factory_module.py": (
        "import logging\n"
        "\n"
        "def get_audit_logger():\n"
        '    return logging.getLogger("audit")\n'
        "\n"
        "audit = get_audit_logger()\n"
        "\n"
        "def record_login(email):\n"
        '    audit.info("login %s", email)\n'
    ),
    "def_columns_merge.py": (
        "import hashlib\n"
        "\n"
        "def digest(v):\n"
        "    return hashlib.md5(v.encode()).hexdigest()\n"
        "\n"
        "alias = digest\n"
        "\n"
        "def order_key(order):\n"
        '    return alias(order["order_ref"])\n'
        "\n"
        "def customer_key(customer):\n"
        '    return digest(customer["email"])\n'
    ),
    "docstring_sslmode.py": (
        '"""Loader. For local runs set sslmode=disable in the DSN."""\n'
        "\n"
        "def load(rows):\n"
        '    print("loaded", len(rows))\n'
    ),
    "duck_sql.py": (
        "def dedupe(con):\n"
        '    return con.sql("SELECT md5(email) AS email_key, count(*) FROM users GROUP BY 1")\n'
    ),
    "dunder_attr.py": (
        "import logging\n"
        "\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "class Account:\n"
        "    def audit(self):\n"
        '        log.info("account %s", self.__email)\n'
    ),
    "factory_hasher.py": (
        "import hashlib\n"
        "\n"
        "def build_hasher(algorithm):\n"
        "    def _h(value):\n"
        "        return hashlib.new(algorithm, value.encode()).hexdigest()\n"
        "    return _h\n"
        "\n"
        'hasher = build_hasher("md5")\n'
        "\n"
        "def anonymise(r):\n"
        '    return {"id": r["id"], "email": hasher(r["email"])}\n'
    ),
    "fine_class_logger.py": (
        "import logging\n"
        "class Job:\n"
        "    def __init__(self):\n"
        '        self._audit = logging.getLogger("audit")\n'
        "    def run(self, email):\n"
        '        self._audit.info("%s", email)\n'
    ),
    "fine_class_url.py": (
        "import requests\n"
        "class Api:\n"
        '    BASE = "http://crm.internal"\n'
        "    def push(self, contact):\n"
        '        requests.post(self.BASE + "/c", json={"email": contact["email"]})\n'
    ),
    "fine_comprehension.py": (
        "import hashlib\n"
        "def keys(emails):\n"
        "    return [hashlib.md5(e.encode()).hexdigest() for e in emails]\n"
    ),
    "fine_decorator.py": (
        "import functools, logging\n"
        "log = logging.getLogger(__name__)\n"
        "def retry(fn):\n"
        "    @functools.wraps(fn)\n"
        "    def inner(*a, **k):\n"
        "        return fn(*a, **k)\n"
        "    return inner\n"
        "@retry\n"
        "def notify(email):\n"
        '    log.info("sent %s", email)\n'
    ),
    "fine_fstring_log.py": (
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "def run(customer):\n"
        "    log.info(f\"processing {customer['phone']}\")\n"
    ),
    "fine_helper_default.py": (
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "def emit(value, level=logging.INFO):\n"
        '    log.log(level, "%s", value)\n'
        "def run(customer):\n"
        '    emit(customer["email"])\n'
    ),
    "fine_with_open.py": (
        "import csv\n"
        "def export(rows):\n"
        '    with open("out.csv", "w") as fh:\n'
        "        w = csv.writer(fh)\n"
        "        for r in rows:\n"
        '            w.writerow([r["customer_id"], r["email"]])\n'
    ),
    "func_docstring_sslmode.py": (
        "import logging\n"
        "\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "def connect(dsn):\n"
        '    """Open a connection; tests use sslmode=disable."""\n'
        '    log.info("connecting")\n'
    ),
    "hash_alias_const.py": (
        "import hashlib\n"
        "\n"
        "HASH = hashlib.sha1\n"
        "\n"
        "def pseudo(email):\n"
        "    return HASH(email.encode()).hexdigest()\n"
    ),
    "hash_default.py": (
        "import hashlib\n"
        "\n"
        "def digest(email, algo=hashlib.md5):\n"
        "    return algo(email.encode()).hexdigest()\n"
    ),
    "hash_from_as.py": (
        "from hashlib import sha256 as _sha\n"
        "\n"
        "def pseudo(email):\n"
        "    return _sha(email.encode()).hexdigest()\n"
    ),
    "hook_first.py": (
        "def latest_hash(hook):\n"
        '    return hook.get_first("SELECT md5(email) AS email_hash FROM users")\n'
    ),
    "imp_boto.py": (
        "import os, boto3\n"
        "\n"
        "def fetch():\n"
        '    s3 = boto3.client("s3")\n'
        '    return s3.get_object(Bucket="raw-exports", Key="users.csv")\n'
    ),
    "imp_ftplib.py": (
        "import io, ftplib\n"
        "\n"
        "def ship(data):\n"
        '    ftp = ftplib.FTP("ftp.partner.example.com")\n'
        '    ftp.storbinary("STOR customers.csv", io.BytesIO(data))\n'
    ),
    "imp_hashlib.py": (
        "import os, hashlib\n"
        "\n"
        "def pseudonymise(email):\n"
        "    return hashlib.md5(email.encode()).hexdigest()\n"
    ),
    "imp_json_stdout.py": (
        "import sys, json\n"
        "\n"
        "def dump(records):\n"
        '    json.dump([{"email": r["email"]} for r in records], sys.stdout)\n'
    ),
    "imp_pandas.py": (
        "import numpy as np, pandas as pd\n"
        "\n"
        "def export():\n"
        '    df = pd.read_csv("customers.csv")\n'
        '    df[["customer_id", "email"]].to_parquet("out.parquet")\n'
    ),
    "imp_paramiko.py": (
        "import os, paramiko\n"
        "\n"
        "def ship(path):\n"
        '    transport = paramiko.Transport(("sftp.partner.example.com", 22))\n'
        "    sftp = paramiko.SFTPClient.from_transport(transport)\n"
        '    sftp.put(path, "/inbound/customers.csv")\n'
    ),
    "imp_requests.py": (
        "import os, requests\n"
        "\n"
        "def push(user):\n"
        '    requests.post(os.environ["CRM_URL"], json={"email": user["email"]})\n'
    ),
    "imp_smtp.py": (
        "import os, smtplib\n"
        "\n"
        "def notify():\n"
        '    server = smtplib.SMTP("mail.corp.example.com", 25)\n'
        '    server.sendmail("etl@corp", ["ops@corp"], "done")\n'
    ),
    "mail_settings.py": (
        "import os\n"
        "\n"
        'SECRET_KEY = os.environ["SECRET_KEY"]\n'
        'INSTALLED_APPS = ["permits"]\n'
        'EMAIL_HOST = "smtp.kcmo.gov"\n'
        "EMAIL_PORT = 25\n"
    ),
    "lambda_anchor.py": (
        "import hashlib\n"
        "\n"
        "digest = lambda v: hashlib.md5(v.encode()).hexdigest()\n"
        "\n"
        "def order_key(order):\n"
        '    return digest(order["order_ref"])\n'
        "\n"
        "def customer_key(customer):\n"
        '    return digest(customer["email"])\n'
    ),
    "lambda_anchor_log.py": (
        "import logging\n"
        "\n"
        "log = logging.getLogger(__name__)\n"
        'trace = lambda msg, value: log.info("%s: %s", msg, value)\n'
        "\n"
        "def load_orders(order):\n"
        '    trace("order", order["order_ref"])\n'
        "\n"
        "def load_customers(customer):\n"
        '    trace("customer", customer["email"])\n'
    ),
    "lambda_hasher.py": (
        "import hashlib\n"
        "\n"
        "mask = lambda v: hashlib.md5(v.encode()).hexdigest()\n"
        "\n"
        "def anonymise(r):\n"
        '    return {"id": r["id"], "email": mask(r["email"])}\n'
    ),
    "lambda_label.py": (
        "from crm.client import fetch_contacts\n"
        "\n"
        'label = lambda c: c["email"]\n'
        "\n"
        "def main():\n"
        "    for contact in fetch_contacts():\n"
        "        print(label(contact))\n"
    ),
    "local_import_alias.py": (
        "def pseudo(email):\n"
        "    from hashlib import sha1 as h\n"
        "    return h(email.encode()).hexdigest()\n"
    ),
    "log_from_as.py": (
        "from logging import warning as alert\n"
        "\n"
        "def check(email):\n"
        '    alert("bad address %s", email)\n'
    ),
    "map_hash.py": (
        "def bucket(emails):\n"
        "    return [h % 16 for h in map(hash, emails)]\n"
        "\n"
        "def load(path):\n"
        "    with open(path) as fh:\n"
        "        return fh.read().splitlines()\n"
    ),
    "method_factory.py": (
        "import requests\n"
        "\n"
        "class CrmClient:\n"
        "    def __init__(self, base_url):\n"
        "        self.base_url = base_url\n"
        "        self.session = self._session()\n"
        "\n"
        "    def _session(self):\n"
        "        s = requests.Session()\n"
        '        s.headers["User-Agent"] = "etl"\n'
        "        return s\n"
        "\n"
        "    def upsert(self, contact):\n"
        '        self.session.post(self.base_url + "/contacts", json={"email": contact["email"]})\n'
    ),
    "niquests_env.py": (
        "import os\n"
        "import niquests\n"
        "\n"
        "def push(user):\n"
        '    niquests.post(os.environ["CRM_URL"], json={"email": user["email"]})\n'
    ),
    "observed_attr.py": (
        "class Batch:\n"
        "    def __init__(self, records):\n"
        "        self.records = records\n"
        "\n"
        "    def validate(self):\n"
        "        for rec in self.records:\n"
        '            if "@" not in rec["email"]:\n'
        '                raise ValueError("bad record")\n'
        "\n"
        "    def dump(self):\n"
        "        print(self.records)\n"
    ),
    "observed_attr_log.py": (
        "import logging\n"
        "\n"
        "logger = logging.getLogger(__name__)\n"
        "\n"
        "class ContactBatch:\n"
        "    def __init__(self, contacts):\n"
        "        self.contacts = contacts\n"
        "\n"
        "    def check(self):\n"
        '        return [c for c in self.contacts if not c.get("phone")]\n'
        "\n"
        "    def report(self):\n"
        '        logger.info("batch: %s", self.contacts)\n'
    ),
    "pipeline_steps.py": (
        "import hashlib\n"
        "\n"
        "def _digest(value):\n"
        "    return hashlib.sha1(value.encode()).hexdigest()\n"
        "\n"
        "PSEUDONYMISE = (_digest)\n"
        "\n"
        "def transform(record):\n"
        '    record["email"] = PSEUDONYMISE(record["email"])\n'
        "    return record\n"
    ),
    "print_alias_module.py": (
        "import sys\n"
        "\n"
        "emit = print\n"
        "\n"
        "def report(users):\n"
        "    for u in users:\n"
        '        emit(u["email"], u["phone"])\n'
    ),
    "print_default.py": (
        'def report(users, emit=print):\n    for u in users:\n        emit(u["email"])\n'
    ),
    "print_default_open.py": (
        "def report(users, emit=print):\n"
        "    for u in users:\n"
        '        emit(u["email"])\n'
        "\n"
        "def load(path):\n"
        "    with open(path) as fh:\n"
        "        return fh.read().splitlines()\n"
    ),
    "print_map.py": (
        "def dump(emails):\n"
        "    list(map(print, emails))\n"
        "\n"
        "def load(path):\n"
        "    with open(path) as fh:\n"
        "        return fh.read().splitlines()\n"
    ),
    "redis_bytes.py": (
        "import redis\n"
        "\n"
        'r = redis.Redis(host="cache")\n'
        "\n"
        "def dump_users():\n"
        '    for key in r.scan_iter("user:*"):\n'
        "        rec = r.hgetall(key)\n"
        '        print(rec[b"email"])\n'
    ),
    "semicolon_import.py": (
        "import os; import hashlib\n"
        "\n"
        "def pseudo(email):\n"
        "    return hashlib.md5(email.encode()).hexdigest()\n"
    ),
    "session_alias.py": (
        "import requests\n"
        "\n"
        "def _make_session():\n"
        "    return requests.Session()\n"
        "\n"
        "get_session = _make_session\n"
        "\n"
        "def push(base_url, user):\n"
        '    get_session().post(base_url + "/users", json={"email": user["email"]})\n'
    ),
    "session_direct_class.py": (
        "import requests\n"
        "\n"
        "class CrmClient:\n"
        "    def __init__(self, base_url):\n"
        "        self.base_url = base_url\n"
        "        self.session = requests.Session()\n"
        "\n"
        "    def upsert(self, contact):\n"
        "        return self.session.post(\n"
        '            f"{self.base_url}/contacts", json={"email": contact["email"]}\n'
        "        )\n"
    ),
    "session_factory_class.py": (
        "import requests\n"
        "\n"
        "def build_session(token):\n"
        "    session = requests.Session()\n"
        '    session.headers.update({"Authorization": f"Bearer {token}"})\n'
        "    return session\n"
        "\n"
        "class CrmClient:\n"
        "    def __init__(self, base_url, token):\n"
        "        self.base_url = base_url\n"
        "        self.session = build_session(token)\n"
        "\n"
        "    def upsert(self, contact):\n"
        "        return self.session.post(\n"
        '            f"{self.base_url}/contacts", json={"email": contact["email"]}\n'
        "        )\n"
    ),
    "session_factory_module.py": (
        "import requests\n"
        "\n"
        "def make_session(token):\n"
        "    s = requests.Session()\n"
        '    s.headers["Authorization"] = "Bearer " + token\n'
        "    return s\n"
        "\n"
        'SESSION = make_session("token")\n'
        "\n"
        "def push_contact(base_url, contact):\n"
        '    SESSION.post(f"{base_url}/contacts", json={"email": contact["email"]})\n'
    ),
    "spaced_log.py": (
        "from app.logs import logger\n"
        "\n"
        "def check(email):\n"
        '    logger.info ("bad address %s", email)\n'
    ),
    "spark_session_param.py": (
        "def export(session):\n"
        '    df = session.sql("SELECT email, phone FROM crm.users")\n'
        '    df.write.parquet("/data/out/users")\n'
    ),
    "ssh_factory.py": (
        "import paramiko\n"
        "\n"
        "def ssh_client():\n"
        "    client = paramiko.SSHClient()\n"
        "    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())\n"
        "    return client\n"
        "\n"
        "def deliver(path):\n"
        "    ssh = ssh_client()\n"
        '    ssh.connect("sftp.partner.example.com", username="etl")\n'
        "    sftp = ssh.open_sftp()\n"
        '    sftp.put(path, "/inbound/export.csv")\n'
    ),
    "sslmode_case.py": ('PG_DSN = "host=db.internal dbname=etl SSLMODE=disable"\n'),
    # probe25 min/01, min/15: TLS switched off in an f-string's literal part or by what it
    # interpolates (a constant), and ODBC's Encrypt / TrustServerCertificate.
    "sslmode_fstring.py": (
        'def connect(db, host):\n    return db.connect(f"host={host} sslmode=disable")\n'
    ),
    "odbc_encrypt_no.py": ('MSSQL = "Server=tcp:kc-sql,1433;Database=cams;Encrypt=no"\n'),
    "odbc_encrypt_constant.py": (
        'MODE = "optional"\n\n\ndef dsn(host):\n    return f"Server={host};ENCRYPT = {MODE}"\n'
    ),
    "odbc_trust_server_certificate.py": (
        "def engine(create, user, host):\n"
        '    return create(f"mssql+pyodbc://{user}@{host}/db?trustServerCertificate=True")\n'
    ),
    "odbc_connect_keywords.py": (
        "import pyodbc\n"
        "from sqlalchemy import create_engine\n"
        "\n"
        "def connect(dsn, url):\n"
        '    a = pyodbc.connect(dsn, Encrypt="no", **{"TrustServerCertificate": "yes"})\n'
        '    return a, create_engine(url, connect_args={"trustservercertificate": True})\n'
    ),
    "steps_loop.py": (
        "import hashlib\n"
        "\n"
        "def _digest(value):\n"
        "    return hashlib.sha1(value.encode()).hexdigest()\n"
        "\n"
        "STEPS = [_digest]\n"
        "\n"
        "def transform(record):\n"
        '    value = record["email"]\n'
        "    for step in STEPS:\n"
        "        value = step(value)\n"
        "    return value\n"
    ),
    "try_oneliner.py": (
        "try: import orjson as json\n"
        "except ImportError: json = None\n"
        "\n"
        "def dump(fh, user):\n"
        '    fh.write(json.dumps({"email": user["email"]}))\n'
    ),
    "zip_param.py": ("def ship_label(street, city, zip):\n    print(street, city, zip)\n"),
    "zip_param_log.py": (
        "import logging\n"
        "\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "def geocode(street, zip):\n"
        '    log.warning("could not geocode %s %s", street, zip)\n'
    ),
    "bs_load_string.py": (
        "def f(hook, row):\n"
        "    hook.\\\n"
        '        load_string(row["email"], key="k", bucket_name="b")\n'
    ),
    "call_dunder.py": (
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "def emit(v):\n"
        '    log.info("%s", v)\n'
        "\n"
        "def run(customer):\n"
        "    emit.__call__(customer.email)\n"
    ),
    "closure_factory_attr.py": (
        "import logging\n"
        "\n"
        "def make_emitter():\n"
        '    lg = logging.getLogger("audit")\n'
        "    def emit(v):\n"
        '        lg.info("%s", v)\n'
        "    return emit\n"
        "\n"
        "audit = make_emitter()\n"
        "\n"
        "def process(customer):\n"
        "    audit(customer.email)\n"
    ),
    "csv_then_checksum.py": (
        "import hashlib\n"
        "import pandas as pd\n"
        "\n"
        "def export(con):\n"
        '    df = pd.read_sql("SELECT email, phone FROM customers", con)\n'
        '    df.to_csv("/tmp/customers.csv", index=False)\n'
        "\n"
        "def checksum():\n"
        '    with open("/tmp/customers.csv", "rb") as f:\n'
        "        return hashlib.md5(f.read()).hexdigest()\n"
    ),
    "csv_then_preview.py": (
        "import pandas as pd\n"
        "\n"
        'OUT = "/tmp/customers.csv"\n'
        "\n"
        "def export(con):\n"
        '    df = pd.read_sql("SELECT email, phone FROM customers", con)\n'
        "    df.to_csv(OUT, index=False)\n"
        "\n"
        "def preview():\n"
        "    with open(OUT) as f:\n"
        "        print(f.read())\n"
    ),
    "dict_payload_obj.py": (
        "import io\n"
        "OUT = io.BytesIO()\n"
        "\n"
        "def add(customer):\n"
        "    OUT.write(customer.email.encode())\n"
        "\n"
        "def digest():\n"
        "    return hash(OUT.getvalue())\n"
    ),
    "file_stage_print.py": (
        "def stage(customer):\n"
        '    with open("/tmp/stage.txt", "w") as f:\n'
        "        f.write(customer.email)\n"
        "\n"
        "def report():\n"
        '    with open("/tmp/stage.txt") as f:\n'
        "        print(f.read())\n"
    ),
    "file_stage_report.py": (
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "def stage(customer):\n"
        '    with open("/tmp/stage.txt", "w") as f:\n'
        "        f.write(customer.email)\n"
        "\n"
        "def report():\n"
        '    with open("/tmp/stage.txt") as f:\n'
        '        log.info("staged %s", f.read())\n'
    ),
    "fn_alias_attr.py": (
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "def emit(v):\n"
        '    log.info("%s", v)\n'
        "\n"
        "handler = emit\n"
        "\n"
        "def run(customer):\n"
        "    handler(customer.email)\n"
    ),
    "fn_alias_hash2.py": (
        "import hashlib\n"
        "\n"
        "def pseudo(v):\n"
        "    return hashlib.sha256(v.encode()).hexdigest()\n"
        "\n"
        "def run(customer):\n"
        "    f = pseudo\n"
        "    return f(customer.email)\n"
    ),
    "fn_alias_local.py": (
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "def emit(v):\n"
        '    log.info("%s", v)\n'
        "\n"
        "def run(customer):\n"
        "    h = emit\n"
        "    h(customer.email)\n"
    ),
    "fn_alias_name_param.py": (
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "def emit(v):\n"
        '    log.info("%s", v)\n'
        "\n"
        "handler = emit\n"
        "\n"
        "def run(email):\n"
        "    handler(email)\n"
    ),
    "fn_default_callback.py": (
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "def emit(v):\n"
        '    log.info("%s", v)\n'
        "\n"
        "def run(customer, fn=emit):\n"
        "    fn(customer.email)\n"
    ),
    "fn_param_callback.py": (
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "def emit(v):\n"
        '    log.info("%s", v)\n'
        "\n"
        "def apply(fn, customer):\n"
        "    fn(customer.email)\n"
        "\n"
        "def run(customer):\n"
        "    apply(emit, customer)\n"
    ),
    "fn_print_wrapper.py": (
        "def show(v):\n    print(v)\n\nout = show\n\ndef run(customer):\n    out(customer.email)\n"
    ),
    "log_backslash.py": ('def f(row, log):\n    log.\\\n        info(row["email"])\n'),
    "log_comment_between.py": ('def f(row, log):\n    (log  # audit\n     .info)(row["email"])\n'),
    "log_paren_wrap.py": ('def f(row, log):\n    (log\n     .info)(row["email"])\n'),
    "log_space_dot.py": ('def f(row, logger):\n    logger .info(row["email"])\n'),
    "log_space_paren.py": ('def f(row, log):\n    log.info (row["email"])\n'),
    "param_frame_get_to_excel.py": (
        "def export(customers):\n"
        '    emails = customers.get("email")\n'
        '    customers.to_excel("/tmp/c.xlsx")\n'
    ),
    "param_frame_to_csv.py": (
        "def export(customers):\n"
        '    customers["email"] = customers["email"].str.lower()\n'
        '    customers.to_csv("/tmp/customers.csv")\n'
    ),
    "param_frame_to_json.py": (
        "def export(customers):\n"
        '    customers.loc[:, "email"] = customers["email"].str.strip()\n'
        '    return customers.to_json("/tmp/c.json")\n'
    ),
    "param_frame_to_parquet.py": (
        "def export(customers):\n"
        '    customers["phone"] = customers["phone"].fillna("")\n'
        '    customers.to_parquet("/data/customers.parquet")\n'
    ),
    "param_frame_to_sql2.py": (
        "def export(customers, con):\n"
        '    customers["email"] = customers["email"].str.lower()\n'
        '    customers.to_sql("people", con)\n'
    ),
    "ret_alias.py": (
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "def contact(c):\n"
        "    return c.email\n"
        "\n"
        "pick = contact\n"
        "\n"
        "def run(customer):\n"
        '    log.info("%s", pick(customer))\n'
    ),
    "ret_callback.py": (
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "def contact(c):\n"
        "    return c.email\n"
        "\n"
        "def field(getter, c):\n"
        "    return getter(c)\n"
        "\n"
        "def run(customer):\n"
        '    log.info("%s", field(contact, customer))\n'
    ),
    "ret_dunder.py": (
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "def contact(c):\n"
        "    return c.email\n"
        "\n"
        "def run(customer):\n"
        '    log.info("%s", contact.__call__(customer))\n'
    ),
    "self_logger_space.py": (
        "class Job:\n"
        "    def run(self, row):\n"
        '        self.logger.warning ("bad %s", row["email"])\n'
    ),
    # probe22 #11: request.client.host is an IP address that no word of the text names; here
    # it is logged in another function than the one that reads it.
    "starlette_client_host.py": (
        "import logging\n"
        "\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "def remember(v):\n"
        '    log.info("seen %s", v)\n'
        "\n"
        "async def session(request):\n"
        "    remember(request .client. host)\n"
    ),
    # The client by another name, its host read elsewhere; unpacked (host, port); by getattr.
    "starlette_client_alias.py": (
        "import logging\n"
        "\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "def remember(peer):\n"
        '    log.info("seen %s", peer.host)\n'
        "\n"
        "async def session(request):\n"
        "    remember(request.client)\n"
    ),
    "starlette_client_unpacked.py": (
        "import logging\n"
        "\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "def remember(pair):\n"
        "    host, _ = pair\n"
        '    log.info("seen %s", host)\n'
        "\n"
        "def peer_of(ws):\n"
        '    return getattr(ws, "client")\n'
        "\n"
        "async def feed(ws):\n"
        "    remember(peer_of(ws))\n"
    ),
    # probe22 #9: Pub/Sub publish sends as Kafka's produce does, also on a receiver named
    # publisher without an import, and through the method taken from a client.
    "self_publisher_publish.py": (
        "class Forwarder:\n"
        "    def __init__(self, publisher, topic):\n"
        "        self.publisher = publisher\n"
        "        self.topic = topic\n"
        "\n"
        "    def forward(self, tap):\n"
        '        self.publisher.publish(self.topic, data=tap["email"].encode())\n'
    ),
    "pubsub_method_taken.py": (
        "from google.cloud import pubsub_v1\n"
        "\n"
        "PUB = pubsub_v1.PublisherClient()\n"
        "\n"
        "def forward(tap):\n"
        "    send = PUB.publish\n"
        '    send("projects/p/topics/t", tap["email"].encode(), rider=tap["card_number"])\n'
    ),
    # probe25 min/14: Event Hubs and Service Bus senders, on a parameter without an import
    "service_bus_sender_param.py": (
        'def forward(sender, row):\n    sender.send_messages([{"to": row["email"]}])\n'
    ),
    "event_hub_batch.py": (
        "from azure.eventhub import EventData\n"
        "\n"
        "def fill(batch, row):\n"
        '    batch.add(EventData(row["email"]))\n'
        "\n"
        "def push(producer, rows):\n"
        "    batch = producer.create_batch()\n"
        "    for r in rows:\n"
        "        fill(batch, r)\n"
        "    producer.send_batch(batch)\n"
    ),
    # probe26 min/04: Django's Model.objects.get/filter rows hold the fields read from them
    # (the ast stage read no source in the file; the slicer once blanked the helper that reads)
    "django_orm_row.py": (
        "import logging\n"
        "from requests311.models import ServiceRequest\n"
        "\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "def where(pk):\n"
        "    sr = ServiceRequest.objects.get(pk=pk)\n"
        '    log.info("at %s", sr.location)\n'
        "\n"
        "def each():\n"
        "    for sr in ServiceRequest.objects.filter(open=True).order_by('-id'):\n"
        '        log.info("at %s", sr.location)\n'
    ),
    "django_orm_helper.py": (
        "import logging\n"
        "from requests311 import models\n"
        "\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "def load(pk):\n"
        "    return models.ServiceRequest.objects.get(pk=pk)\n"
        "\n"
        "def show(pk):\n"
        '    print("at", load(pk).location, "pk", pk)\n'
    ),
    # probe26 min/12: a boto3 SQS or SES client passed to the function that sends
    "boto3_client_param.py": (
        "import boto3\n"
        "\n"
        "def outbox(q, row):\n"
        '    q.send_message(QueueUrl="x", MessageBody=row["email"])\n'
        "\n"
        "def main(rows):\n"
        '    outbox(boto3.client("sqs"), rows[0])\n'
    ),
    "space_dot_send.py": ('def f(row, producer):\n    producer. send("t", row["email"])\n'),
    "stringio_buffer.py": (
        "import io\n"
        "BUF = io.StringIO()\n"
        "\n"
        "def fill(customer):\n"
        "    BUF.write(customer.email)\n"
        "\n"
        "def flush():\n"
        "    print(BUF.getvalue())\n"
    ),
    "upload_space.py": (
        'def f(s3, row):\n    s3. put_object(Bucket="b", Key="k", Body=row["email"])\n'
    ),
    "verify_unpacked_param_session.py": (
        'def get(session, url):\n    return session.get(url, **{"verify": False})\n'
    ),
    "ssl_unpacked_aiohttp.py": (
        'async def fetch(s, url):\n    return await s.get(url, **{"ssl": False})\n'
    ),
    "verify_subscript_set.py": (
        "import requests\n"
        "\n"
        "def get(url):\n"
        '    opts = {"timeout": 5}\n'
        '    opts["verify"] = False\n'
        "    return requests.get(url, **opts)\n"
    ),
    "verify_updated_and_joined.py": (
        "import requests\n"
        "\n"
        "def get(url, insecure):\n"
        '    opts = {"timeout": 5}\n'
        '    opts.update({"verify": False})\n'
        '    other = {"verify": False} if insecure else {}\n'
        "    return requests.get(url, **opts), requests.get(url, **other)\n"
    ),
    "ssl_context_switched_off.py": (
        "import ssl\n"
        "from urllib.request import urlopen\n"
        "\n"
        "def make_context():\n"
        "    ctx = ssl.create_default_context()\n"
        "    ctx.check_hostname = False\n"
        "    ctx.verify_mode = ssl.CERT_NONE\n"
        "    return ctx\n"
        "\n"
        "def fetch(url):\n"
        "    return urlopen(url, context=make_context())\n"
    ),
    "cert_reqs_keyword.py": (
        'import urllib3\n\ndef pool():\n    return urllib3.PoolManager(cert_reqs="CERT_NONE")\n'
    ),
    "cert_reqs_string_unknown_module.py": (
        "def wrap(mod, sock):\n"
        '    a = mod.wrap(sock, cert_reqs="CERT_NONE")\n'
        '    b = mod.wrap(sock, **{"cert_reqs": "CERT_NONE"})\n'
        "    return a, b\n"
    ),
    "cert_none_through_a_constant.py": (
        "import ssl\n"
        "\n"
        "MODE = ssl.CERT_NONE\n"
        "\n"
        "def context():\n"
        "    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n"
        "    ctx.verify_mode = MODE\n"
        "    return ctx\n"
    ),
    "pathlib_write_text_param.py": (
        "from pathlib import Path\n"
        "\n"
        "def save(email):\n"
        '    Path("/tmp/contact.txt").write_text(email)\n'
    ),
    "pathlib_read_back_elsewhere.py": (
        "import logging\n"
        "from pathlib import Path\n"
        "\n"
        'OUT = Path("/tmp") / "stage.txt"\n'
        "\n"
        "def report():\n"
        '    logging.info("%s", OUT.read_text())\n'
        "\n"
        "def stage(row):\n"
        '    OUT.write_text(row["email"])\n'
    ),
    "file_path_through_a_parameter.py": (
        "import logging\n"
        "\n"
        "def report():\n"
        '    with open("/tmp/stage.txt") as fh:\n'
        '        logging.info("%s", fh.read())\n'
        "\n"
        "def save(path, row):\n"
        '    with open(path, "w") as fh:\n'
        '        fh.write(row["email"])\n'
        "\n"
        "def stage(row):\n"
        '    save("/tmp/stage.txt", row)\n'
    ),
    "file_path_name_hidden_by_a_parameter.py": (
        "import logging\n"
        "\n"
        'OUT = "/tmp/other.txt"\n'
        "\n"
        "def report():\n"
        '    with open("/tmp/stage.txt") as fh:\n'
        '        logging.info("%s", fh.read())\n'
        "\n"
        "def save(OUT, row):\n"
        '    with open(OUT, "w") as fh:\n'
        '        fh.write(row["email"])\n'
        "\n"
        "def stage(row):\n"
        '    save("/tmp/stage.txt", row)\n'
    ),
    "verify_key_in_a_constant.py": (
        'import requests\n\nK = "verify"\n\ndef get(u):\n    return requests.get(u, **{K: False})\n'
    ),
    "method_defined_under_if_and_try.py": (
        "import sys\n"
        "\n"
        "class Exporter:\n"
        "    def __init__(self, row):\n"
        '        self.payload = {"email": row[0]}\n'
        "\n"
        "    if sys.version_info >= (3, 8):\n"
        "        def export(self):\n"
        "            print(self.payload)\n"
        "    try:\n"
        "        def again(self):\n"
        "            print(self.payload)\n"
        "    except NameError:\n"
        "        pass\n"
    ),
    "buffer_reached_by_another_name.py": (
        "import io\n"
        "import json\n"
        "\n"
        "B = io.StringIO()\n"
        "\n"
        "def alias(r):\n"
        "    b = B\n"
        '    b.write(r["email"])\n'
        "\n"
        "def default(r, b=B):\n"
        '    b.write(r["phone"])\n'
        "\n"
        "def dumped(r):\n"
        '    json.dump({"ssn": r["ssn"]}, B)\n'
        "\n"
        "class Writer:\n"
        "    def __init__(self):\n"
        "        self.b = B\n"
        "\n"
        "    def w(self, r):\n"
        '        self.b.write(r["plate"])\n'
        "\n"
        "def report():\n"
        "    print(B.getvalue())\n"
    ),
    "file_path_as_keyword.py": (
        "def stage(r):\n"
        '    open("/tmp/t", "w").write(r["email"])\n'
        "\n"
        "def report():\n"
        '    print(open(file="/tmp/t").read())\n'
    ),
    "receiver_shown_or_hashed.py": (
        "def preview(df):\n"
        '    df.copy()[["email"]].show()\n'
        "\n"
        "def mask(df):\n"
        '    return df["phone"].hash(), df["ssn"].sha256(), df.copy()[["plate"]].hash_rows()\n'
        "\n"
        "def audit(df):\n"
        '    df.copy()["license_plate"].map(print)\n'
    ),
    "module_function_on_self.py": (
        "import logging\n"
        "\n"
        "log = logging.getLogger()\n"
        "\n"
        "def report(self):\n"
        "    print(self.val)\n"
        "\n"
        "def stash(self, row):\n"
        '    self.phone = row["phone"]\n'
        "\n"
        "def helper(self, row):\n"
        "    log.info(self.fmt(row))\n"
        "\n"
        "class Job:\n"
        "    def load(self, row):\n"
        '        self.val = row["email"]\n'
        "        stash(self, row)\n"
        "\n"
        "    def fmt(self, row):\n"
        '        return row["ssn"]\n'
        "\n"
        "    def flush(self, row):\n"
        "        report(self)\n"
        "        helper(self, row)\n"
        "        print(self.phone)\n"
    ),
    "buffer_bound_many_ways.py": (
        "import io\n"
        "import json\n"
        "import sys\n"
        "\n"
        "A: io.StringIO = io.StringIO()\n"
        "B, C = io.StringIO(), io.BytesIO()\n"
        "D = io.StringIO() if sys.argv else None\n"
        "make = lambda: io.StringIO()\n"
        "E = make()\n"
        "if True:\n"
        "    F = io.StringIO()\n"
        "\n"
        "def stage(r):\n"
        '    json.dump({"email": r["email"]}, A)\n'
        "    b = B\n"
        '    b.write(r["phone"])\n'
        '    json.dump({"ssn": r["ssn"]}, D)\n'
        '    json.dump({"plate": r["plate"]}, E)\n'
        '    json.dump({"email": r["email"]}, F)\n'
        "\n"
        "def report():\n"
        "    print(A.getvalue(), B.getvalue(), D.getvalue(), E.getvalue(), F.getvalue())\n"
    ),
    "method_alias_bound.py": (
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "class Exporter:\n"
        "    def emit(self, v):\n"
        '        log.info("value %s", v)\n'
        "\n"
        "    def run(self, rec):\n"
        "        h = self.emit\n"
        '        h(rec["email"])\n'
    ),
    "decorator_wrapper_logs_arguments.py": (
        "import logging\n"
        "\n"
        "def main(row):\n"
        '    handle({"email": row["email"]})\n'
        "\n"
        "@logged\n"
        "def handle(row):\n"
        '    return row["zone"]\n'
        "\n"
        "def logged(fn):\n"
        "    def wrapper(*args):\n"
        '        logging.info("calling with %s", args)\n'
        "        return fn(*args)\n"
        "    return wrapper\n"
    ),
    "partial_of_a_sink_helper.py": (
        "import functools\n"
        "import logging\n"
        "\n"
        "def emit(tag, v):\n"
        '    logging.info("%s %s", tag, v)\n'
        "\n"
        "def main(email):\n"
        '    f = functools.partial(emit, "contact")\n'
        "    f(email)\n"
    ),
    # A function that writes what it is passed into module state: the data is in its callers.
    "global_set_from_a_callers_argument.py": _LAST_LOGGED
    + (
        "def remember(value):\n"
        "    global LAST\n"
        "    LAST = value\n"
        "\n"
        "\n"
        "def run(row):\n"
        '    remember(row["passport"])\n'
    ),
    "list_appended_from_a_callers_argument.py": (
        "import json\n"
        "\n"
        "SENT = []\n"
        "\n"
        "\n"
        "def remember(value):\n"
        "    SENT.append(value)\n"
        "\n"
        "\n"
        "def persist(path):\n"
        '    with open(path, "w") as fh:\n'
        "        json.dump(SENT, fh)\n"
        "\n"
        "\n"
        "def run(row):\n"
        '    remember(row["email"])\n'
    ),
    "decorator_wrapper_sets_a_global.py": _LAST_LOGGED
    + (
        "def remember(fn):\n"
        "    def wrapper(value):\n"
        "        global LAST\n"
        "        LAST = value\n"
        "        return fn(value)\n"
        "    return wrapper\n"
        "\n"
        "\n"
        "@remember\n"
        "def validate(passport):\n"
        "    return passport.isalnum()\n"
        "\n"
        "\n"
        "def run(row):\n"
        '    return validate(row["passport"])\n'
    ),
    "builtin_kept_in_an_attribute.py": (
        "class Reporter:\n"
        "    def size(self):\n"
        "        return 0\n"
        "\n"
        "    def __init__(self):\n"
        "        self.sink = print\n"
        "\n"
        "    def run(self, email):\n"
        "        self.sink(email)\n"
    ),
    "module_dict_written_through_a_key.py": (
        "import logging\n"
        "\n"
        "CACHE = {}\n"
        "\n"
        "def show():\n"
        '    logging.info("%s", CACHE["k"])\n'
        "\n"
        "def remember(row):\n"
        '    CACHE["k"] = row["phone"]\n'
    ),
    "module_dict_items_written_into.py": (
        "import logging\n"
        "\n"
        "log = logging.getLogger(__name__)\n"
        "GROUPS = {}\n"
        "BY = {}\n"
        "\n"
        "def report():\n"
        '    log.info("groups %s", GROUPS)\n'
        '    log.info("by %s", BY)\n'
        "\n"
        "def collect(row):\n"
        '    GROUPS[row["ward"]].append(row["email"])\n'
        "\n"
        "def index(row):\n"
        '    BY.setdefault(row["ward"], []).append(row["phone"])\n'
    ),
    "instance_made_in_a_caller.py": (
        "import pandas as pd\n"
        "\n"
        "class Job:\n"
        "    def __init__(self, df):\n"
        "        self.df = df\n"
        "\n"
        "    def run(self):\n"
        '        self.df.to_csv("out.csv")\n'
        "\n"
        "def main():\n"
        '    df = pd.read_csv("in.csv", usecols=["email", "ward"])\n'
        "    job = Job(df)\n"
        "    job.run()\n"
    ),
    "instance_held_by_an_attribute.py": (
        "class Source:\n"
        "    def get(self, row):\n"
        "        return row.email\n"
        "\n"
        "class Job:\n"
        "    def __init__(self):\n"
        "        self.src = Source()\n"
        "\n"
        "    def run(self, row):\n"
        "        print(self.src.get(row))\n"
    ),
    "instance_at_module_level.py": (
        "import logging\n"
        "\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "class Audit:\n"
        "    def record(self, value):\n"
        '        log.info("seen %s", value)\n'
        "\n"
        "AUDIT = Audit()\n"
        "\n"
        "def load(row):\n"
        '    AUDIT.record(row["email"])\n'
    ),
    "instance_from_a_with.py": (
        "class Out:\n"
        "    def __enter__(self):\n"
        "        return self\n"
        "\n"
        "    def __exit__(self, *a):\n"
        "        pass\n"
        "\n"
        "    def put(self, v):\n"
        "        print(v)\n"
        "\n"
        "def go(row):\n"
        "    with Out() as o:\n"
        '        o.put(row["email"])\n'
    ),
    "module_name_rebound_under_global.py": (
        "LATEST = None\n"
        "\n"
        "def show():\n"
        "    print(LATEST)\n"
        "\n"
        "def keep(row):\n"
        "    global LATEST\n"
        '    LATEST = row["ssn"]\n'
    ),
    "handler_enabled_under_global.py": (
        "def emit(v):\n"
        "    print(v)\n"
        "\n"
        "def skip(v):\n"
        "    pass\n"
        "\n"
        "HANDLER = skip\n"
        "\n"
        "def enable():\n"
        "    global HANDLER\n"
        "    HANDLER = emit\n"
        "\n"
        "def process(row):\n"
        '    HANDLER(row["email"])\n'
    ),
    "logger_method_chosen_in_expression.py": (
        "import logging\n"
        "\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "def report(row, verbose):\n"
        "    out = log.info if verbose else log.debug\n"
        '    out("x %s", row["email"])\n'
    ),
    "print_unpacked_from_a_tuple.py": (
        "def process(row):\n"
        "    a, b = print, len\n"
        '    a(row["email"])\n'
        "\n"
        "def process2(row):\n"
        "    for out in (print,):\n"
        '        out(row["phone"])\n'
    ),
    # A parameter annotated with a record class holds its fields (a FastAPI body, typed rows).
    "record_annotated_parameter.py": (
        "import logging\n"
        "from dataclasses import dataclass\n"
        "from typing import NamedTuple\n"
        "log = logging.getLogger()\n"
        "@dataclass\n"
        "class Rec:\n"
        "    phone: str\n"
        "    ward: str\n"
        "class Row(NamedTuple):\n"
        "    email: str\n"
        "def show(r: Rec):\n"
        '    log.info("got %s", r)\n'
        'def show_all(rows: list["Row"], extra: Rec | None):\n'
        "    for row in rows:\n"
        "        print(row)\n"
    ),
    "record_annotated_with_inherited_fields.py": (
        "import logging\n"
        "from dataclasses import dataclass\n"
        "log = logging.getLogger(__name__)\n"
        "@dataclass\n"
        "class Person:\n"
        "    full_name: str\n"
        "@dataclass\n"
        "class Tenant(Person):\n"
        "    unit: str\n"
        "def notify(tenants: list[Tenant]):\n"
        "    for t in tenants:\n"
        '        log.info("notifying %s", t)\n'
    ),
    "bound_logger_context.py": (
        "import structlog\n"
        "slog = structlog.get_logger()\n"
        "def intake(case):\n"
        '    log = slog.bind(email=case["email"])\n'
        '    log.info("received")\n'
    ),
    # flask's request holds the fields a view reads from it anywhere (as a parameter does).
    "flask_request_whole.py": (
        "import logging\n"
        "from flask import request as rq\n"
        "log = logging.getLogger()\n"
        "def view():\n"
        "    body = rq.get_json(silent=True)\n"
        '    if not body.get("phone"):\n'
        "        return None\n"
        '    log.info("got %s", body)\n'
        "def form():\n"
        "    data = rq.form\n"
        '    if data["email"]:\n'
        '        log.info("got %s", data)\n'
    ),
    # A record built from a mapping holds its fields, and its nested records' (a field
    # annotated with another record class, in a string too).
    "record_from_a_mapping.py": (
        "import logging\n"
        "from dataclasses import asdict, dataclass\n"
        "log = logging.getLogger()\n"
        "@dataclass\n"
        "class Complaint:\n"
        "    case_id: str\n"
        "    phone: str\n"
        "def show(row):\n"
        '    log.info("c %s", Complaint(**row))\n'
    ),
    "record_nested_in_a_string_annotation.py": (
        "import logging\n"
        "from dataclasses import asdict, dataclass\n"
        "log = logging.getLogger()\n"
        "@dataclass\n"
        "class Complaint:\n"
        "    case_id: str\n"
        '    home: "Address"\n'
        "@dataclass\n"
        "class Address:\n"
        "    street_address: str\n"
        "def show(c: Complaint):\n"
        '    log.info("c %s", asdict(c))\n'
    ),
    # A record class named in a whole annotation written as a string, or as a mapping's values.
    "record_collection_in_a_string_annotation.py": (
        "import logging\n"
        "from dataclasses import dataclass\n"
        "log = logging.getLogger()\n"
        "@dataclass\n"
        "class Rec:\n"
        "    phone: str\n"
        'def show(recs: "list[Rec]", by: "dict[str, Rec]"):\n'
        "    for rec in recs:\n"
        '        log.info("r %s", rec)\n'
        "    for _key, item in by.items():\n"
        '        log.info("r %s", item)\n'
    ),
    "attribute_from_a_sibling_base.py": (
        "class LogMixin:\n"
        "    def log_it(self):\n"
        '        print("job for", self.ident)\n'
        "\n"
        "class Source:\n"
        "    def __init__(self, row):\n"
        '        self.ident = row["national_id"]\n'
        "\n"
        "class Job(LogMixin, Source):\n"
        "    pass\n"
    ),
    "verify_unpacked.py": (
        "import requests\n"
        "\n"
        'OPTS = {"timeout": 10, "verify": False}\n'
        "\n"
        "def fetch(url):\n"
        "    return requests.get(url, **OPTS)\n"
    ),
    "verify_backslash.py": (
        "import requests\n"
        "\n"
        "def fetch(url):\n"
        "    return requests.get(url, verify \\\n"
        "        =False)\n"
    ),
    # probe52: a FHIR Patient's contact points, printed: no identifier's name in the text
    "fhir_patient_printed.py": (
        "from fhir.resources.patient import Patient\n"
        "\n"
        "def show(raw):\n"
        "    print(Patient.parse_obj(raw).telecom)\n"
    ),
}

# A file written in one function and read back in another, its path spelled two ways: the
# analysis links the two (the slicer once had to, too).
_STAGED = (
    "import logging\n"
    "import os\n"
    "from pathlib import Path\n"
    "\n"
    'D = "/tmp"\n'
    'OUT = "/tmp/stage.txt"\n'
    "\n"
    "def report():\n"
    "    with {reader} as fh:\n"
    '        logging.info("%s", fh.read())\n'
    "\n"
    "def stage(row):\n"
    "    with {writer} as fh:\n"
    '        fh.write(row["email"])\n'
)
for _name, _reader, _writer in (
    ("file_path_name_and_string.py", "open(OUT)", 'open("/tmp/stage.txt", "w")'),
    (
        "file_path_joined_and_formatted.py",
        'open(os.path.join(D, "stage.txt"))',
        'open(f"{D}/stage.txt", "w")',
    ),
    ("file_path_pathlib_built.py", "Path(OUT).open()", '(Path(D) / "stage.txt").open("w")'),
):
    CASES[_name] = _STAGED.replace("{reader}", _reader).replace("{writer}", _writer)


def _cls(header: str, size: int, body: str) -> str:
    """A class whose first method is a harmless one, then ``body``: the slicer once kept a
    class's first statement so that the class stayed valid, which would hide a missing link."""
    return f"class {header}:\n    def size(self):\n        return {size}\n\n" + body


# Inheritance: methods and attributes found in a base, super(), a sibling through a common
# subclass (class J(M, W): a method of M calls one of W on self), a subclass's hook.
CASES.update(
    {
        "method_inherited.py": _cls(
            "Base",
            0,
            "    def send(self, v):\n        print(v)\n\n",
        )
        + _cls(
            "Child(Base)",
            1,
            '    def go(self, rec):\n        self.send(rec["ssn"])\n',
        ),
        "method_super.py": _cls(
            "Base",
            0,
            '    def send(self, v, producer):\n        producer.send("topic", v)\n\n',
        )
        + _cls(
            "Child(Base)",
            1,
            "    def send(self, v, producer):\n"
            '        super().send(v["phone"], producer)\n'
            "\n"
            "    def run(self, v, producer):\n"
            "        self.send(v, producer)\n",
        ),
        "sibling_method_through_a_common_subclass.py": (
            "import logging\n"
            "log = logging.getLogger(__name__)\n"
            "class M:\n"
            "    def p(self, row):\n"
            '        self.w(row["email"])\n'
        )
        + _cls(
            "W",
            0,
            '    def w(self, v):\n        log.info("%s", v)\n',
        )
        + ("class J(M, W):\n    def run(self, row):\n        self.p(row)\n"),
        "sibling_safe_override_through_a_common_subclass.py": (
            "import logging\nlog = logging.getLogger(__name__)\n"
        )
        + _cls(
            "B",
            0,
            "    def emit(self, v):\n"
            '        log.info("%s", v)\n'
            "\n"
            "    def handle(self, v):\n"
            "        self.emit(v)\n",
        )
        + _cls(
            "Q",
            0,
            "    def emit(self, v):\n        return None\n",
        )
        + ('class J(Q, B):\n    def run(self, row):\n        self.handle(row["email"])\n'),
        "sibling_method_through_a_grandchild.py": (
            "import logging\n"
            "log = logging.getLogger(__name__)\n"
            "class M:\n"
            "    def p(self, row):\n"
            '        self.w(row["phone"])\n'
            "class Mid(M):\n"
            "    pass\n"
        )
        + _cls(
            "W",
            0,
            '    def w(self, v):\n        log.info("%s", v)\n',
        )
        + ("class F(Mid, W):\n    def run(self, row):\n        self.p(row)\n"),
        "base_method_called_by_class_name.py": ("import logging\n\n")
        + _cls(
            "Base",
            0,
            '    def emit(self, v):\n        logging.info("%s", v)\n\n',
        )
        + _cls(
            "Child(Base)",
            1,
            '    def emit(self, v):\n        Base.emit(self, v["email"])\n',
        ),
        "base_method_inherited_called_by_class_name.py": ("import logging\n\n")
        + _cls(
            "Root",
            0,
            '    def emit(self, v):\n        logging.info("%s", v)\n\n',
        )
        + _cls("Base(Root)", 1, "")
        + _cls(
            "child(Base)",
            2,
            '    def emit(self, v):\n        Base.emit(self, v["email"])\n',
        ),
        "generic_base.py": (
            'import logging\nfrom typing import Generic, TypeVar\n\nT = TypeVar("T")\n\n'
        )
        + _cls(
            "R(Generic[T])",
            0,
            '    def record(self, v):\n        logging.info("%s", v)\n\n',
        )
        + _cls(
            "U(R[dict])",
            1,
            '    def save(self, row):\n        self.record(row["email"])\n',
        ),
        "template_method_calls_a_subclass_hook.py": ("import logging\n\n")
        + _cls(
            "Base",
            0,
            "    def run(self, rows):\n"
            "        for r in rows:\n"
            '            self.on_row(r["email"])\n'
            "\n",
        )
        + _cls(
            "Logged(Base)",
            1,
            '    def on_row(self, v):\n        logging.info("%s", v)\n',
        ),
        "attribute_set_by_super_init.py": _cls(
            "Base",
            0,
            '    def __init__(self, row):\n        self.contact = {"email": row["email"]}\n\n',
        )
        + _cls(
            "Child(Base)",
            1,
            "    def __init__(self, row):\n"
            "        super().__init__(row)\n"
            "\n"
            "    def show(self):\n"
            "        print(self.contact)\n",
        ),
        "base_constant_read_by_subclass.py": ("import pandas as pd\n\n")
        + _cls(
            "Base",
            0,
            '    COLUMNS = ["email", "zone"]\n\n',
        )
        + _cls(
            "Child(Base)",
            1,
            "    def export(self):\n"
            '        df = pd.read_csv("in.csv")\n'
            '        df[self.COLUMNS].to_csv("out.csv")\n',
        ),
    }
)

# Records: a dataclass, a NamedTuple or a pydantic model built from data, its fields read, or
# the whole instance dumped. The classes have no method: the slicer once had to keep them for
# their fields.
CASES.update(
    {
        "dataclass_fields_read.py": (
            "import logging\n"
            "from dataclasses import dataclass\n"
            "\n"
            "log = logging.getLogger(__name__)\n"
            "\n"
            "\n"
            "@dataclass(frozen=True)\n"
            "class Rider:\n"
            "    ward: str\n"
            "    card_id: str\n"
            "\n"
            "\n"
            "def load(row):\n"
            '    return Rider(row["ward"], row["card_number"])\n'
            "\n"
            "\n"
            "def show(row):\n"
            '    log.info("rider %s", load(row).card_id)\n'
        ),
        "dataclass_dumped.py": (
            "import json\n"
            "from dataclasses import asdict, dataclass\n"
            "\n"
            "\n"
            "@dataclass\n"
            "class Base:\n"
            "    ward: str\n"
            "\n"
            "\n"
            "@dataclass\n"
            "class Rider(Base):\n"
            "    card_id: str\n"
            "\n"
            "\n"
            "def export(rows, fh):\n"
            "    for row in rows:\n"
            '        json.dump(asdict(Rider(row["ward"], card_id=row["card_number"])), fh)\n'
        ),
        "pydantic_model_dumped.py": (
            "import requests\n"
            "from pydantic import BaseModel\n"
            "\n"
            "\n"
            "class Event(BaseModel):\n"
            "    device_mac: str\n"
            "    zone: str\n"
            "\n"
            "\n"
            "def send(r):\n"
            '    event = Event(device_mac=r["mac"], zone=r["zone"])\n'
            '    requests.post("https://ingest.example/v1", json=event.model_dump())\n'
        ),
    }
)

# A hash function chosen through a dict or getattr with a constant's name: the pre-filter sees
# the call as a call of each function it may be.
CASES.update(
    {
        # No identifier-like word at all: a fixed place's coordinates in rows keyed by a token.
        "fixed_place_keyed_rows.py": (
            "import pandas as pd\n"
            "\n"
            "\n"
            "def export(conn):\n"
            '    taps = pd.read_sql("SELECT card_token, tap_ts, stop_lat, stop_lon FROM t", conn)\n'
            '    taps.to_csv("exports/taps.csv", index=False)\n'
        ),
        "hash_through_getattr_constant.py": (
            "import hashlib\n"
            "\n"
            'ALGO = "md5"\n'
            "\n"
            "\n"
            "def digest(email):\n"
            "    return getattr(hashlib, ALGO)(email.encode()).hexdigest()\n"
        ),
        "hash_through_a_dict.py": (
            "import hashlib\n"
            "\n"
            'HASHERS = {"fast": hashlib.md5, "slow": hashlib.sha512}\n'
            "\n"
            "\n"
            'def anon(user, kind="fast"):\n'
            '    return HASHERS[kind](user["email"].encode()).hexdigest()\n'
        ),
        "handler_through_a_dict.py": (
            "def show(v):\n"
            "    print(v)\n"
            "\n"
            "\n"
            'HANDLERS = {"print": show}\n'
            "\n"
            "\n"
            "def run(row):\n"
            '    HANDLERS["print"](row["phone"])\n'
        ),
        # A function put into a module-level object after it is made (a registering
        # decorator, an item set, an append) is called by what reads the object.
        "handler_registered_by_a_decorator.py": (
            "HANDLERS = {}\n"
            "\n"
            "\n"
            "def register(name):\n"
            "    def deco(fn):\n"
            "        HANDLERS[name] = fn\n"
            "        return fn\n"
            "\n"
            "    return deco\n"
            "\n"
            "\n"
            '@register("log")\n'
            "def emit(v):\n"
            "    print(v)\n"
            "\n"
            "\n"
            "def go(row):\n"
            '    HANDLERS["log"](row["email"])\n'
        ),
        "handler_set_into_a_dict.py": (
            "HANDLERS = {}\n"
            "\n"
            "\n"
            "def emit(v):\n"
            "    print(v)\n"
            "\n"
            "\n"
            'HANDLERS["log"] = emit\n'
            "\n"
            "\n"
            "def go(row):\n"
            '    HANDLERS["log"](row["email"])\n'
        ),
        "handler_appended_to_a_list.py": (
            "SINKS = []\n"
            "\n"
            "\n"
            "def emit(v):\n"
            "    print(v)\n"
            "\n"
            "\n"
            "SINKS.append(emit)\n"
            "\n"
            "\n"
            "def go(row):\n"
            "    for sink in SINKS:\n"
            '        sink(row["email"])\n'
        ),
    }
)

# A Flask app's config, set in one function and read in another through another name
# (app, application, current_app): the slicer once had to keep the setter and the call that
# runs it on the app (probe21py G2).
CASES.update(
    {
        "flask_config_host_set_elsewhere.py": (
            "import requests\n"
            "from flask import Flask, current_app\n"
            "\n"
            "\n"
            "def configure(application):\n"
            '    application.config["CRM_HOST"] = "leads.crm-partner.example"\n'
            "\n"
            "\n"
            "app = Flask(__name__)\n"
            "configure(app)\n"
            "\n"
            "\n"
            "def send(ward):\n"
            '    host = current_app.config["CRM_HOST"]\n'
            '    requests.post(f"https://{host}/v1", json={"ward": ward})\n'
        ),
        # from_object(Defaults): the config holds Defaults.LAST_CONTACT, set in a function.
        "flask_config_from_object_class.py": (
            "import logging\n"
            "from flask import Flask, current_app\n"
            "\n"
            "log = logging.getLogger(__name__)\n"
            "\n"
            "\n"
            "class Defaults:\n"
            "    LAST_CONTACT = None\n"
            "\n"
            "\n"
            "def remember(row):\n"
            '    Defaults.LAST_CONTACT = row["email"]\n'
            "\n"
            "\n"
            "def create_app():\n"
            "    app = Flask(__name__)\n"
            "    app.config.from_object(Defaults)\n"
            "    return app\n"
            "\n"
            "\n"
            "def report():\n"
            '    log.info("last %s", current_app.config)\n'
        ),
        "flask_config_column_from_mapping.py": (
            "import logging\n"
            "from flask import Flask, current_app\n"
            "\n"
            "log = logging.getLogger(__name__)\n"
            "app = Flask(__name__)\n"
            "\n"
            "\n"
            "def remember(row):\n"
            '    app.config.from_mapping(LAST_CONTACT=row["email"])\n'
            "\n"
            "\n"
            "def report():\n"
            '    log.info("last %s", current_app.config)\n'
        ),
    }
)

# Django's mail sends (s30 h4 #2): imported by name or as the module ``mail``.
CASES.update(
    {
        "django_send_mail.py": (
            "from django.core.mail import send_mail\n"
            "\n"
            "\n"
            "def towed(resident):\n"
            '    send_mail("Towed", f"Plate {resident.plate}", "x@kcmo.gov", [resident.email])\n'
        ),
        "django_mail_module.py": (
            "from django.core import mail\n"
            "\n"
            "\n"
            "def towed(resident):\n"
            '    msg = mail.EmailMessage("Towed", "Your car.", to=[resident.email])\n'
            '    msg.attach("plate.txt", resident.plate, "text/plain")\n'
            "    msg.send()\n"
        ),
    }
)

# Method names the ast stage takes for sinks only where the module names what makes them one
# (loggers, files, producers), and URLs read only at a text's start (s31 h1, issue 7): the
# near misses, each a sink or an endpoint the analysis finds.
CASES.update(
    {
        "logger_attribute_error.py": (
            "class Reader:\n"
            "    def read(self, row):\n"
            '        self.log.error("bad %s", row["email"])\n'
        ),
        "logger_by_getattr.py": (
            "def read(rec, row):\n"
            '    print("read")\n'
            '    getattr(rec, "logger").error("bad %s", row["email"])\n'
        ),
        "logger_alias_of_attribute.py": (
            "class Reader:\n"
            "    def read(self, row):\n"
            "        out = self._logger\n"
            '        print("read")\n'
            '        out.warning("bad %s", row["email"])\n'
        ),
        "own_error_prints.py": (
            "class Reader:\n"
            "    def error(self, msg):\n"
            "        print(msg)\n"
            "\n"
            "    def read(self, row):\n"
            '        self.error("bad %s" % row["email"])\n'
        ),
        "warnings_warn.py": (
            "import warnings\n"
            "\n"
            "\n"
            "def read(row):\n"
            '    print("read")\n'
            "    warnings.warn(f\"bad {row['email']}\")\n"
        ),
        "file_opened_elsewhere.py": (
            "def handle(path):\n"
            '    return open(path, "a")\n'
            "\n"
            "\n"
            "def save(path, row):\n"
            "    fh = handle(path)\n"
            '    fh.write(row["email"])\n'
        ),
        "path_open_write.py": (
            "from pathlib import Path\n"
            "\n"
            "\n"
            "def save(p, row):\n"
            '    Path(p).open("w").write(row["email"])\n'
        ),
        "producer_send.py": (
            'def ship(producer, row):\n    producer.send("topic", {"phone": row["phone"]})\n'
        ),
        "url_template_format.py": (
            'SCHEME, HOST = "http", "api.vendor.example"\n'
            "\n"
            "\n"
            "def fetch(client, row):\n"
            '    url = "{}://{}/v1".format(SCHEME, HOST)\n'
            '    return client.post(url, json={"plate": row["plate"]})\n'
        ),
        "url_in_note_cut.py": (
            'NOTE = "see http://api.vendor.example/v1"\n'
            "\n"
            "\n"
            "def fetch(client, row):\n"
            '    print("fetching")\n'
            '    return client.post(NOTE.removeprefix("see "), json={"plate": row["plate"]})\n'
        ),
    }
)

# probe44: an AWS Glue script that imports awsglue alone (its write is a GlueContext method,
# its columns a mapping's strings), a Glue job's arguments read for a network call, and
# Kafka clients whose transport alone is a finding.
CASES.update(
    {
        "glue_only_catalog_write.py": (
            "from awsglue.context import GlueContext\n"
            "from awsglue.transforms import ApplyMapping\n"
            "\n"
            "glue = GlueContext(None)\n"
            'src = glue.create_dynamic_frame.from_catalog(database="d", table_name="t")\n'
            'mapping = [("student_name", "string", "student_name", "string")]\n'
            "m = ApplyMapping.apply(frame=src, mappings=mapping)\n"
            'glue.write_dynamic_frame.from_catalog(frame=m, database="c", table_name="x")\n'
        ),
        "glue_args_post.py": (
            "import sys\n"
            "import urllib.request\n"
            "from awsglue.utils import getResolvedOptions\n"
            "\n"
            'args = getResolvedOptions(sys.argv, ["API"])\n'
            'urllib.request.urlopen(args["API"], data=b"1")\n'
        ),
        "kafka_default_plaintext.py": (
            "from kafka import KafkaProducer\n"
            "\n"
            'p = KafkaProducer(bootstrap_servers="b1.msk.example:9092")\n'
        ),
        "kafka_verify_off.py": (
            "from confluent_kafka import Producer\n"
            "\n"
            'p = Producer({"security.protocol": "SSL",'
            ' "enable.ssl.certificate.verification": False})\n'
        ),
    }
)

# Shapes the text stage or the ast stage dropped that the analysis reports (issue 7, found by
# a differential probe of filtered against full analysis on mutated fixtures): a warning (the
# analysis logs warnings.warn's message), a logger reached through getattr, an alias or a
# helper's parameter (the text showed no "log." call), a URL cut out of a longer text or made
# by an edit (no "://" after a quote), and a call of an expression naming the sink, writer,
# getter or source ((log.info if v else log.debug)(m), (hook or print)(m), partial(...)(m)).
CASES.update(
    {
        "warn_fstring.py": (
            'import warnings\n\n\ndef check(email):\n    warnings.warn(f"bad address {email}")\n'
        ),
        "warn_imported_by_name.py": (
            "from warnings import warn\n"
            "\n"
            "\n"
            "def check(row):\n"
            '    warn("bad row %s" % row["email"])\n'
        ),
        "warn_explicit.py": (
            "import warnings\n"
            "\n"
            "\n"
            "def check(row):\n"
            '    warnings.warn_explicit(row["phone"], UserWarning, "etl.py", 1)\n'
        ),
        "logger_by_getattr.py": (
            'def report(rec, row):\n    getattr(rec, "logger").error("failed %s", row["email"])\n'
        ),
        "logger_alias.py": (
            "class Job:\n"
            "    def run(self, row):\n"
            "        out = self._logger\n"
            '        out.warning("failed %s", row["email"])\n'
        ),
        "logger_passed_to_a_helper.py": (
            "def _emit(lg, *args):\n"
            "    lg.warning(*args)\n"
            "\n"
            "\n"
            "class Job:\n"
            "    def run(self, row):\n"
            '        _emit(self.log, "failed %s", row["email"])\n'
        ),
        "logger_method_by_getattr.py": (
            "from app.logs import logger\n"
            "\n"
            "\n"
            "def check(email):\n"
            '    getattr(logger, "info")("bad address %s", email)\n'
        ),
        "url_cut_by_removeprefix.py": (
            "import requests\n"
            "\n"
            'RAW = "endpoint=http://api.vendor.example/v1"\n'
            "\n"
            "\n"
            "def push(payload):\n"
            '    requests.post(RAW.removeprefix("endpoint="), json=payload)\n'
        ),
        "url_in_brackets.py": (
            "import requests\n"
            "\n"
            'RAW = "<http://api.vendor.example/v1>"\n'
            "\n"
            "\n"
            "def push(payload):\n"
            '    requests.post(RAW.removeprefix("<").removesuffix(">"), json=payload)\n'
        ),
        "url_made_by_replace.py": (
            "import requests\n"
            "\n"
            "\n"
            "def push(payload):\n"
            '    requests.post("http|//api.vendor.example/v1".replace("|", ":"), json=payload)\n'
        ),
        "url_split_between_slashes.py": (
            "import requests\n"
            "\n"
            'BASE = "http:/" + "/api.vendor.example"\n'
            "\n"
            "\n"
            "def push(payload):\n"
            '    requests.post(BASE + "/v1", json=payload)\n'
        ),
        "call_of_a_conditional.py": (
            "import logging\n"
            "\n"
            "log = logging.getLogger(__name__)\n"
            "\n"
            "\n"
            "def notify(row, verbose):\n"
            '    (log.info if verbose else log.debug)("notified %s", row["email"])\n'
        ),
        "call_of_an_or.py": (
            'def notify(row, hook=None):\n    (hook or print)("notified", row["email"])\n'
        ),
        "call_of_a_partial.py": (
            "import functools\n"
            "import logging\n"
            "\n"
            "log = logging.getLogger(__name__)\n"
            "\n"
            "\n"
            "def notify(email):\n"
            '    functools.partial(log.info, "notified %s")(email)\n'
        ),
        "call_of_a_walrus.py": (
            "import logging\n"
            "\n"
            "log = logging.getLogger(__name__)\n"
            "\n"
            "\n"
            "def notify(email):\n"
            '    (emit := log.info)("notified %s", email)\n'
            "    return emit\n"
        ),
        "writer_of_a_conditional.py": (
            "def export(customers, fmt):\n"
            '    customers["email"] = customers["email"].str.lower()\n'
            '    (customers.to_csv if fmt == "csv" else customers.to_json)("/tmp/customers.out")\n'
        ),
        "getter_of_a_conditional.py": (
            "class Source:\n"
            "    def get(self, row):\n"
            "        return row.email\n"
            "\n"
            "\n"
            "class Job:\n"
            "    def __init__(self):\n"
            "        self.src = Source()\n"
            "\n"
            "    def run(self, row, cached):\n"
            "        print((self.src.get if cached else self.src.get)(row))\n"
        ),
        "manager_of_a_conditional.py": (
            "from requests311 import models\n"
            "\n"
            "\n"
            "def load(pk, archived):\n"
            "    manager = models.ServiceRequest.objects\n"
            "    return (manager.get if archived else models.ServiceRequest.objects.get)(pk=pk)\n"
            "\n"
            "\n"
            "def show(pk):\n"
            '    print("at", load(pk, False).location)\n'
        ),
    }
)


# Names built from pieces that are not identifiers alone (``python_fragments``): the text holds
# "national" and "_id", never "national_id".
CASES.update(
    {
        "key_from_fstring.py": (
            "import logging\n"
            "\n"
            "log = logging.getLogger(__name__)\n"
            "\n"
            "\n"
            "def show(rec):\n"
            '    kind = "national"\n'
            '    log.info("value %s", rec[f"{kind}_id"])\n'
        ),
        "key_from_concatenation.py": (
            "import logging\n"
            "\n"
            "\n"
            "def show(rec):\n"
            '    logging.info("value %s", rec["national" + "_id"])\n'
        ),
        "key_from_percent.py": (
            "import logging\n"
            "\n"
            'KIND = "national"\n'
            "\n"
            "\n"
            "def show(rec):\n"
            '    logging.info("value %s", rec["%s_id" % KIND])\n'
        ),
        "key_from_format.py": (
            "import logging\n"
            "\n"
            "\n"
            'def show(rec, kind="national"):\n'
            '    logging.info("value %s", rec["{}_id".format(kind)])\n'
        ),
        "key_from_augmented_assignment.py": (
            "import logging\n"
            "\n"
            "\n"
            "def show(rec):\n"
            '    col = "national"\n'
            '    col += "_id"\n'
            '    logging.info("value %s", rec[col])\n'
        ),
        "key_from_replace.py": (
            "import logging\n"
            "\n"
            "\n"
            "def show(rec):\n"
            '    logging.info("value %s", rec["national-id".replace("-", "_")])\n'
        ),
        # Split inside a word, and returned through a decorator's wrapper, which the ast
        # stage's closure does not follow.
        "key_split_in_a_word_through_a_wrapper.py": (
            "def save(fn):\n"
            "    def wrapper(*args, **kwargs):\n"
            "        r = fn(*args, **kwargs)\n"
            "        print(r)\n"
            "        return r\n"
            "\n"
            "    return wrapper\n"
            "\n"
            "\n"
            "class Tasks:\n"
            "    @staticmethod\n"
            "    @save\n"
            "    def b(row):\n"
            "        return row[f\"{'ph'}one\"]\n"
            "\n"
            "    @staticmethod\n"
            "    @save\n"
            "    def c(row):\n"
            '        return row["ward"]\n'
            "\n"
            "    def run(self, row):\n"
            "        return Tasks.c(row)\n"
        ),
    }
)

# Vendor SDKs with a fixed host: a request with no identifier in sight is still DH660's.
CASES.update(
    {
        "stripe_fee_only.py": (
            "import stripe\n"
            "\n"
            "def charge(amount, booking):\n"
            '    return stripe.PaymentIntent.create(amount=amount, currency="usd",\n'
            '                                       metadata={"booking": booking})\n'
        ),
        # Celery's broker URL as a setting (Django's settings, Celery's configuration module)
        "bookings_settings.py": (
            "import os\n"
            "\n"
            'CELERY_BROKER_URL = os.environ.get("BROKER", "redis://cache.city.example:6379/0")\n'
        ),
        "celeryconfig.py": ('broker_url = "amqp://mq.city.example:5672//"\n'),
        "celery_app.py": (
            "from celery import Celery\n"
            "\n"
            'app = Celery("x", broker="redis://" + "cache.city.example:6379/0")\n'
        ),
        "celery_conf_attribute.py": (
            "from celery import Celery\n"
            "\n"
            'app = Celery("x")\n'
            'app.conf.broker_url = "redis://" + "cache.city.example:6379/0"\n'
        ),
        "mandrill_receipt.py": (
            "import mandrill\n"
            "\n"
            "def receipt(key, address):\n"
            '    msg = {"to": [{"email": address}], "text": "Paid."}\n'
            "    mandrill.Mandrill(key).messages.send(message=msg)\n"
        ),
        "pyarrow_contacts.py": (
            "import pyarrow as pa\n"
            "import pyarrow.parquet as pq\n"
            "\n"
            "def dump(emails):\n"
            '    pq.write_table(pa.Table.from_pydict({"email": emails}), "c.parquet")\n'
        ),
        "smtp_handler.py": (
            "from logging.handlers import SMTPHandler\n"
            "\n"
            'HANDLER = SMTPHandler(("smtp.vendor.example", 25), "a@b.c", ["d@e.f"], "err")\n'
        ),
        "mailchimp_tags_only.py": (
            "from mailchimp_marketing import Client\n"
            "\n"
            "mc = Client()\n"
            "\n"
            "def tag(list_id, member):\n"
            '    mc.lists.update_list_member_tags(list_id, member, {"tags": []})\n'
        ),
    }
)

# probe48's libraries (geopandas, the open-data portals' SDKs), which the pre-filter did not
# list: a GeoDataFrame written with an owner's name, and a publish to ArcGIS Online (GIS()
# with no URL written) were skipped, while the analysis reports them (DH560, DH660).
CASES.update(
    {
        "geopandas_owner.py": (
            "import geopandas as gpd\n"
            "\n"
            "def export(path):\n"
            "    gdf = gpd.read_file(path)\n"
            '    gdf[["owner_name", "geometry"]].to_file("out.geojson")\n'
        ),
        "arcgis_online.py": (
            "from arcgis.gis import GIS\n"
            "\n"
            "gis = GIS()\n"
            "\n"
            "def publish():\n"
            '    gis.content.add({"title": "t"}, data="out.csv")\n'
        ),
        "socrata_domain.py": (
            "from sodapy import Socrata\n"
            "\n"
            'client = Socrata("data.city.example", None)\n'
            "\n"
            "def publish(rows):\n"
            '    client.upsert("abcd-1234", rows)\n'
        ),
    }
)

# A thing's name (fullname, fname) known only by its name is judged at medium confidence when
# read from a person (``_columns.classify``'s owner): the pre-filter once took every such name
# at medium; now only in a file that names a person, so these must stay analysed.
CASES.update(
    {
        "thing_name_read_from_a_person.py": ("def show(app_user):\n    print(app_user.fullname)\n"),
        "thing_name_read_from_a_person_held.py": (
            "import logging\n"
            "\n"
            "log = logging.getLogger(__name__)\n"
            "\n"
            "def show(rows):\n"
            "    for customer in rows:\n"
            "        label = customer.fname\n"
            '        log.info("%s", label)\n'
        ),
    }
)

# A TLS switch named in a string is read as one only as a key of a dict unpacked into a call:
# the pre-filter now keeps such a string only in a module that unpacks one (no import here).
CASES["verify_key_unpacked_without_import.py"] = (
    'K = "verify"\n'
    "\n"
    "def get(session, u):\n"
    "    opts = {}\n"
    "    opts[K] = False\n"
    "    return session.get(u, **opts)\n"
)

# A text holding a URL after other characters is a URL only once edited: the pre-filter keeps
# it when it may reach an edit's receiver or argument (through a helper's parameter, a class
# attribute), not when the module edits other texts only.
CASES.update(
    {
        "url_in_note_cut_by_a_helper.py": (
            'NOTE = "see http://api.vendor.example/v1"\n'
            "\n"
            "\n"
            "def cut(text):\n"
            '    return text.removeprefix("see ")\n'
            "\n"
            "\n"
            "def fetch(client, row):\n"
            '    return client.post(cut(NOTE), json={"plate": row["plate"]})\n'
        ),
        "url_in_class_note_cut.py": (
            "class Feed:\n"
            '    note = "see http://api.vendor.example/v1"\n'
            "\n"
            "    def fetch(self, client, row):\n"
            '        url = self.note.removeprefix("see ")\n'
            '        return client.post(url, json={"plate": row["plate"]})\n'
        ),
    }
)

# Columns a method makes from its keywords' names (pandas' assign, polars' with_columns), on a
# copy of a parameter's table with no source in the file: the keyword is a column's name, judged
# at medium confidence as a key is, not a variable's (high only).
CASES.update(
    {
        "assign_keyword_column.py": (
            "def label(table, lookup):\n"
            "    out = table.copy().assign(name=lookup())\n"
            "    print(out)\n"
        ),
        "with_columns_keyword_column.py": (
            "def label(table, lookup):\n"
            "    out = table.with_columns(name=lookup())\n"
            "    print(out)\n"
        ),
    }
)
