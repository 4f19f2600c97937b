"""Intra-procedural flow shapes: chains, helpers, classes, generators, deletes, branches."""

from __future__ import annotations

import pytest

CASES = {
    "method_chain": """
import pandas as pd
(
    pd.read_csv("x.csv", usecols=["plate", "camera", "ts"])
    .rename(columns={"plate": "vehicle"})
    .assign(hour=lambda d: d["ts"])
    .sort_values("ts")
    .to_parquet("out.parquet")  # expect: DH560
)
pd.read_csv("x.csv", usecols=["plate", "camera"]).drop(columns="plate").to_parquet("ok.parquet")
""",
    # probe38 min/04: a parameter's rows filtered by a boolean mask or .query() keep the
    # table's columns (as a .loc[mask, cols] and a module-level frame did); a key that is not
    # a mask (a record's field by an unknown key) still gives nothing, and a client's SQL
    # query() is no row filter: the plate column selected from what it returns and written
    # is reported as the columns a table returned by a call not followed selects are
    # (probe48), not as the client's.
    "row_filters_of_a_parameter_keep_its_columns": """
import logging
import pandas as pd
log = logging.getLogger(__name__)
def masked(reads: pd.DataFrame, hotlist) -> None:
    over = reads[reads["dwell_min"] > 120]
    over[["plate", "block"]].to_csv("a.csv", index=False)  # expect: DH560
    mask = (reads["dwell_min"] > 120) & reads["plate"].notna()
    reads[~mask][["plate", "block"]].to_csv("b.csv", index=False)  # expect: DH560
    reads[reads["plate"].isin(hotlist)][["plate"]].to_csv("c.csv")  # expect: DH560
    reads.loc[reads["dwell_min"] > 120][["plate", "block"]].to_csv("d.csv")  # expect: DH560
    reads.query("dwell_min > 120")[["plate", "block"]].to_csv("e.csv")  # expect: DH560
    reads[reads["dwell_min"] > 120][["block", "dwell_min"]].to_csv("f.csv")
def other(row, key, client):
    log.info("value %s", row[key])
    client.query("SELECT plate FROM reads")[["plate"]].to_csv("g.csv")  # expect: DH560
""",
    "class_attributes_across_methods": """
import pandas as pd
class Exporter:
    def export(self):
        self.reads.to_csv("out.csv")  # expect: DH560
        self._clean().to_csv("clean.csv")
    def load(self):
        self.reads = pd.read_csv("x.csv", usecols=["plate", "camera"])
    def _clean(self):
        return self.reads.drop(columns=["plate"])
""",
    "generator_rows": """
import csv, json
def rows(path):
    with open(path) as fh:
        for r in csv.DictReader(fh):
            yield {"email": r["email"], "topic": r["topic"]}
def main():
    with open("out.jsonl", "w") as out:
        for row in rows("in.csv"):
            out.write(json.dumps(row))  # expect: DH560
""",
    "del_column_and_dict_key": """
import pandas as pd
df = pd.read_csv("x.csv", usecols=["email", "topic"])
del df["email"]
df.to_csv("ok.csv")
def clean(row):
    del row["ssn"]
    return row
def export(rows, fh):
    import json
    for r in rows:
        json.dump(clean(r), fh)
""",
    "dict_comprehension_filters_keys": """
import json
PII = {"email", "phone"}
def export(rows):
    with open("out.json", "w") as fh:
        for r in rows:
            clean = {k: v for k, v in r.items() if k not in PII}
            json.dump(clean, fh)
            r["email"]
            json.dump({k: v for k, v in r.items()}, fh)  # expect: DH560
""",
    "log_extra": """
import logging
log = logging.getLogger(__name__)
def handle(rec):
    log.info("processed", extra={"plate": rec["plate"]})  # expect: DH565
""",
    "try_with_loop_and_walrus": """
import pandas as pd
def run(paths):
    frames = []
    for p in paths:
        try:
            frames.append(pd.read_csv(p, usecols=["imei", "cell_id"]))
        except FileNotFoundError:
            continue
    if (df := pd.concat(frames)) is not None:
        df.to_csv("out.csv")  # expect: DH560
""",
    "recursive_helper_terminates": """
import pandas as pd
def walk(df, n):
    if n == 0:
        return df
    return walk(df, n - 1)
walk(pd.read_csv("x.csv", usecols=["email"]), 3).to_csv("out.csv")  # expect: DH560
""",
    "nested_helper_and_kwargs": """
import pandas as pd
def main():
    def keep(frame, *, cols):
        return frame[cols]
    df = pd.read_csv("x.csv", usecols=["email", "topic"])
    keep(df, cols=["topic"]).to_csv("ok.csv")
    keep(df, cols=["email", "topic"]).to_csv("bad.csv")  # expect: DH560
""",
    "weak_evidence_needs_a_clear_name": """
import logging, platform
import requests
log = logging.getLogger(__name__)
API = "https://api.city-approved-vendor.example"
def report(attrs, get_email):
    requests.post(API, json={"name": platform.python_implementation()})
    requests.post(API, json={"email": get_email()})  # expect: DH561
    log.info("package %s", attrs["name"])
    log.info("maintainer %s", attrs["email"])  # expect: DH565
""",
    # A helper called with no data is followed once and its result reused, until something it
    # may read (a file, an attribute of self, a frame on disk) is written: a call made before the
    # write must not hide what the helper gives after it.
    "helper_read_before_the_file_is_written": """
import logging
log = logging.getLogger(__name__)
def read_stage():
    with open("/tmp/stage.txt") as f:
        return f.read()
def warm():
    read_stage()
def stage(customer):
    with open("/tmp/stage.txt", "w") as f:
        f.write(customer.email)  # expect: DH560
def report(customer):
    log.info("%s %s", customer.name, read_stage())  # expect: DH565
""",
    "method_read_before_the_attribute_is_set": """
import logging
log = logging.getLogger(__name__)
class Job:
    def describe(self):
        return self.latest
    def warm(self):
        self.describe()
    def load(self, rec):
        self.latest = rec["email"]
    def report(self):
        log.info("%s", self.describe())  # expect: DH565
""",
    # A helper called with no data is followed once per constant argument: what it reads
    # from y.json is not what it read from x.json.
    "helper_reading_two_files": """
import json, logging
log = logging.getLogger(__name__)
def stage(r):
    json.dump({"email": r["email"]}, open("x.json", "w"))  # expect: DH560
    json.dump({"zone": r["zone"]}, open("y.json", "w"))
def show():
    read("x.json")
    log.info("%s", read("y.json"))
def read(p):
    return json.load(open(p))
""",
    # Methods reached other ways than self.name(...): an alias of a bound method, a base
    # class's method through self, and super().
    "methods_through_alias_inheritance_and_super": """
import logging
log = logging.getLogger(__name__)
class Exporter:
    def emit(self, v):
        log.info("value %s", v)  # expect: DH565
    def run(self, rec):
        h = self.emit
        h(rec["email"])
class Base:
    def send(self, v):
        print(v)  # expect: DH565
    def quiet(self, v):
        return len(v)
class Child(Base):
    def go(self, rec):
        super().send(rec["phone"])
    def go2(self, rec):
        self.send(rec["ssn"])
        self.quiet(rec["email"])
""",
    # A decorator of the module: calls of the decorated name run the wrapper it returns.
    # A library's decorator, or one that returns something else, leaves the function as it is.
    "decorator_wrappers": """
import functools
import logging
log = logging.getLogger(__name__)
def logged(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        log.info("calling with %s", args)  # expect: DH565
        return fn(*args, **kwargs)
    return wrapper
def audited(fn):
    def wrapper(row):
        log.info("row %s", row)  # expect: DH565
        return fn(row)
    return wrapper
def timed(fn):
    def wrapper(*args):
        log.info("took %s", 3)
        return fn(*args)
    return wrapper
@logged
def handle(row):
    return row["zone"]
@audited
@functools.lru_cache
def handle2(row):
    return row["zone"]
@timed
def handle3(row):
    return row["zone"]
def main(row):
    handle({"email": row["email"]})
    handle2({"phone": row["phone"]})
    handle3({"ssn": row["ssn"]})
""",
    # Module-level objects that functions change: appended to, written through a key, or
    # rebound under ``global``. A function that binds the name itself changes only its own.
    "module_state_changed_in_functions": """
import logging
import pandas as pd
log = logging.getLogger(__name__)
ROWS = []
CACHE = {}
LATEST = None
SEEN = []
def flush():
    pd.DataFrame(ROWS).to_csv("out.csv")  # expect: DH560
def show():
    log.info("%s", CACHE["k"])  # expect: DH565
    log.info("%s", LATEST)  # expect: DH565
    log.info("%s", SEEN)
def collect(row):
    ROWS.append({"email": row["email"]})
def remember(row):
    CACHE["k"] = row["phone"]
def keep(row):
    global LATEST
    LATEST = row["ssn"]
def local_only(row):
    SEEN = []
    SEEN.append(row["email"])
    return len(SEEN)
""",
    # Python's method order (C3): super() goes on from the class that defines the running
    # method, in the order of self's class (a sibling, in a diamond); an explicit Base.m(self)
    # call, super().m taken as a value, and a generic base (Base[T]) count too. A method run
    # for a subclass sees that subclass's attributes, set by a sibling base.
    "method_order_super_and_siblings": """
import logging
from typing import Generic, TypeVar
T = TypeVar("T")
log = logging.getLogger(__name__)
class P:
    def out(self, v):
        print(v)  # expect: DH565
class D(P):
    def out(self, v):
        super().out(v)
class J(D):
    def go(self, row):
        self.out(row["phone"])
class S:
    def emit(self, v):
        log.info("%s", v)
class R(S):
    def emit(self, v):
        return None
class B(S):
    def flush(self, v):
        self.emit(v)
class K(B, R):
    def run(self, row):
        self.flush(row["email"])
class Z:
    def save(self, v):
        return None
class L(Z):
    def save(self, v):
        log.info("%s", v)  # expect: DH565
class Q(Z):
    def save(self, v):
        super().save(v)
class N(Q, L):
    def run(self, row):
        self.save(row["ssn"])
class A:
    def step(self, row):
        self.remember(row)
        self.audit()
    def audit(self):
        log.info("%s", self.last)  # expect: DH565
class M:
    def remember(self, row):
        self.last = row["email"]
class AM(A, M):
    def run(self, row):
        self.step(row)
class G(Generic[T]):
    def record(self, v):
        log.info("%s", v)  # expect: DH565
class GU(G[dict]):
    def save(self, row):
        self.record(row["email"])
class E:
    def emit(self, v):
        log.info("%s", v)  # expect: DH565
class EC(E):
    def emit(self, v):
        E.emit(self, v)
    def run(self, row):
        f = super().emit
        f(row["passport"])
        self.emit(row["plate"])
""",
    # **kwargs holds the keyword arguments no parameter takes, and passes them on.
    "keyword_arguments_collected_and_passed_on": """
import logging
log = logging.getLogger(__name__)
def trace(fn):
    def inner(*args, **kwargs):
        log.debug("kwargs=%s", kwargs)  # expect: DH565
        return fn(*args, **kwargs)
    return inner
@trace
def register(name, phone):
    print(phone)  # expect: DH565
def audit(event, **fields):
    log.info("%s %s", event, fields.get("zone"))
def run(row):
    register(name=row["first_name"], phone=row["phone"])
    audit("seen", zone=row["zone"], email=row["email"])
""",
    # functools.partial: the call runs the function with the bound arguments first.
    "functools_partial": """
import functools
import logging
from functools import partial
log = logging.getLogger(__name__)
def emit(tag, v):
    log.info("%s %s", tag, v)  # expect: DH565
def count(tag, v):
    return len(v)
def main(row):
    functools.partial(emit, "contact")(row["email"])
    f = partial(count, "n")
    f(row["phone"])
""",
    # Decorators of methods and decorator factories (@retry(3)) of the module; a cached
    # property; a module-level placeholder (X = None) set to a frame in a function.
    "decorated_methods_factories_and_placeholders": """
import functools
import logging
import pandas as pd
log = logging.getLogger(__name__)
FRAME = None
def traced(fn):
    def wrapper(self, *args):
        log.info("args %s", args)  # expect: DH565
        return fn(self, *args)
    return wrapper
def retry(times):
    def decorate(fn):
        def wrapper(*args):
            print(times, args)  # expect: DH565
            return fn(*args)
        return wrapper
    return decorate
@retry(3)
def geocode(address):
    return len(address)
class Job:
    def __init__(self, row):
        self.row = row
    @functools.cached_property
    def contact(self):
        return self.row["phone"]
    @traced
    def send(self, v):
        return v
    def run(self, row):
        self.send(row["email"])
        geocode(row["home_address"])
        log.info("%s", self.contact)  # expect: DH565
def build(path):
    global FRAME
    FRAME = pd.read_csv(path, usecols=["email", "ward"])
def publish(out):
    FRAME.to_csv(out, index=False)  # expect: DH560
""",
    # A property read on self runs it; a method or a function kept in an attribute of self is
    # called through it (a function kept there is not bound to self).
    "properties_and_callables_kept_on_self": """
import logging
log = logging.getLogger(__name__)
def shout(v):
    log.info("%s", v)  # expect: DH565
class Job:
    def __init__(self, row):
        self.row = row
        self.handler = self.emit
        self.loud = shout
        self.sink = print
    @property
    def contact(self):
        return self.row["email"]
    def emit(self, value):
        log.info("emitting %s", value)  # expect: DH565
    def run(self, row):
        log.info("contact %s", self.contact)  # expect: DH565
        self.handler(row["phone"])
        self.loud(row["ssn"])
        self.sink(row["plate"])  # expect: DH565
""",
    # An attribute of self assigned again later in the same method, outside any branch,
    # holds the later value only; assigned in a branch, either; set by another method, both.
    "attribute_replaced_in_the_same_method": """
import pandas as pd
class Base:
    def __init__(self, path):
        self.df = pd.read_csv(path, usecols=["email", "phone", "tract"])
class Published(Base):
    def __init__(self, path):
        super().__init__(path)
        self.df = self.df.drop(columns=["email", "phone"])
    def publish(self):
        self.df.to_csv("published.csv", index=False)
class Either:
    def __init__(self, path, full):
        df = pd.read_csv(path, usecols=["email", "zone"])
        self.out = df[["zone"]]
        if full:
            self.out = df[["email", "zone"]]
    def publish(self):
        self.out.to_csv("either.csv", index=False)  # expect: DH560
class Later:
    def __init__(self, path):
        self.df = pd.read_csv(path, usecols=["email", "zone"])
    def run(self, out):
        self.df.to_csv(out + ".raw", index=False)  # expect: DH560
        self.df = self.df.drop(columns=["email"])
        self.df.to_csv(out, index=False)
class Reloaded:
    def __init__(self, path):
        self.df = pd.read_csv(path, usecols=["zone"])
    def reload(self, path):
        self.df = pd.read_csv(path, usecols=["email"])
    def publish(self):
        self.df.to_csv("reloaded.csv", index=False)  # expect: DH560
""",
    # A base's template method calls the hooks its subclasses define (self may be one of
    # theirs); a hook the base itself defines safely does not hide them. A static method called
    # on self gets no self.
    "template_methods_and_static_methods": """
import json
import logging
log = logging.getLogger(__name__)
class Base:
    def run(self, rows):
        for r in rows:
            self.on_row(r["email"])
            self.check(r["phone"])
    def on_row(self, v):
        pass
class Logged(Base):
    def on_row(self, v):
        log.info("%s", v)  # expect: DH565
class Quiet(Base):
    def check(self, v):
        return len(v)
class Store:
    @staticmethod
    def save(obj, path):
        with open(path, "w") as fh:
            json.dump(obj, fh)  # expect: DH560
class Users(Store):
    def export(self, row):
        self.save({"ssn": row["ssn"]}, "u.json")
""",
    # Attributes found in a base class: its constant, and what its __init__ sets when the
    # subclass's __init__ calls it through super().
    "attributes_inherited_from_a_base": """
import pandas as pd
class Base:
    COLUMNS = ["email", "zone"]
    def __init__(self, row):
        self.contact = {"phone": row["phone"]}
class Child(Base):
    def __init__(self, row):
        super().__init__(row)
    def export(self):
        df = pd.read_csv("in.csv")
        df[self.COLUMNS].to_csv("out.csv")  # expect: DH560
    def show(self):
        print(self.contact)  # expect: DH565
""",
    "frame_read_before_it_is_staged": """
import pandas as pd
def staged():
    return pd.read_parquet("stage.parquet")
def check():
    return len(staged())
def stage():
    pd.read_csv("in.csv", usecols=["email", "topic"]).to_parquet("stage.parquet")  # expect: DH560
def publish():
    staged().to_csv("public.csv")  # expect: DH560
""",
    "dict_values_under_computed_keys": """
import json
CACHE = {}
TOTALS = {}
def show():
    print(CACHE)  # expect: DH565
    print(TOTALS)
def remember(row):
    CACHE[row["account_id"]] = row["phone"]
    TOTALS[row["ward"]] = row["trips"]
def export(rows, key):
    with open("out.json", "w") as fh:
        for r in rows:
            json.dump({key: r["email"], "ward": r["ward"]}, fh)  # expect: DH560
            json.dump({key: len(r["email"]), "ward": r["ward"]}, fh)
""",
    "library_method_taken_without_a_call": """
import logging
import requests
log = logging.getLogger(__name__)
session = requests.Session()
def run(row):
    out = log.info
    out("phone %s", row["phone"])  # expect: DH565
    out("ward %s", row["ward"])
    post = session.post
    post("https://api.city-approved-vendor.example/", json={"email": row["email"]})  # expect: DH561
class Reporter:
    def __init__(self):
        self.out = log.warning
    def run(self, row):
        self.out("phone %s", row["phone"])  # expect: DH565
""",
    "one_function_or_another": """
import logging
log = logging.getLogger(__name__)
def skip(value):
    return None
def emit(value):
    log.info("value %s", value)  # expect: DH565
def run(row, quiet):
    handler = emit
    if quiet:
        handler = skip
    handler(row["email"])
    replaced = emit
    replaced = skip
    replaced(row["phone"])
class Pipeline:
    def __init__(self, verbose):
        self.handler = self.skip
        if verbose:
            self.handler = self.emit
    def skip(self, value):
        return None
    def emit(self, value):
        print(value)  # expect: DH565
    def run(self, row):
        self.handler(row["email"])
""",
    "property_overridden_in_a_subclass": """
import logging
log = logging.getLogger(__name__)
class Base:
    def __init__(self, row):
        self.row = row
    @property
    def label(self):
        return self.row["ward"]
    def report(self):
        log.info("record %s", self.label)  # expect: DH565
class ByEmail(Base):
    @property
    def label(self):
        return self.row["email"]
""",
    "decorated_function_nothing_calls": """
import pandas as pd
def snapshot(fn):
    def wrapper(*args):
        df = fn(*args)
        df.to_csv("snapshot.csv", index=False)  # expect: DH560
        return df
    return wrapper
@snapshot
def load(path):
    return pd.read_csv(path, usecols=["resident_name", "ward"])
class Loader:
    @snapshot
    def load(self, path):
        return pd.read_csv(path, usecols=["email", "ward"])
""",
    "module_state_keyed_by_a_callee": """
import logging
log = logging.getLogger(__name__)
STATE = {}
SENT = []
def dump():
    log.info("state %s", STATE)  # expect: DH565
    log.info("sent %s", SENT)  # expect: DH565
def remember(value):
    STATE["latest"] = value
    SENT.append({"to": value})
def run(row):
    remember(row["email"])
""",
    "state_read_before_its_own_run_changes_it": """
import logging
log = logging.getLogger(__name__)
SEEN = []
def process(row):
    log.info("seen %s", SEEN)  # expect: DH565
    SEEN.append(row["email"])
class Tracker:
    def __init__(self):
        self.last = None
    def process(self, rows):
        for row in rows:
            if self.last:
                log.info("previous %s", self.last)  # expect: DH565
            self.last = row["phone"]
class Job:
    def run(self, row):
        print(self.contact)  # expect: DH565
        self.load(row)
    def load(self, row):
        self.contact = {"phone": row["phone"]}
""",
    "partial_of_a_library_function": """
import functools
import logging
import requests
log = logging.getLogger(__name__)
def run(row):
    note = functools.partial(log.info, "row %s")
    note(row["phone"])  # expect: DH565
    note(row["ward"])
class Client:
    def __init__(self):
        self.send = functools.partial(requests.post, "https://api.city-approved-vendor.example/")
    def switch(self):
        self.send = functools.partial(requests.post, "https://tracker.adnetwork.example/c")
    def run(self, row):
        self.send(json={"ward": row["ward"]})  # expect: DH660
""",
    "collections_in_attributes_of_self": """
import json
class Collector:
    def __init__(self):
        self.rows = []
    def flush(self, fh):
        json.dump(self.rows, fh)  # expect: DH560
        print(self.totals)
    def add(self, row):
        self.rows.append({"email": row["email"]})
        self.totals[row["ward"]] = row["trips"]
class Index:
    def show(self):
        print(self.by_email)  # expect: DH565
    def add(self, row):
        self.by_email[row["email"]] = row["trips"]
""",
    "what_a_subclass_sets_read_in_its_base": """
import requests
class Exporter:
    URL = None
    COLUMNS = ["ward"]
    def export(self, df):
        requests.post(self.URL, json=df[self.COLUMNS].to_dict())  # expect: DH561, DH660
    def describe(self):
        print("exporting", self.key_value)  # expect: DH565
class VendorExporter(Exporter):
    URL = "https://tracker.adnetwork.example/collect"
    COLUMNS = ["email", "ward"]
class PhoneExporter(Exporter):
    def __init__(self, row):
        self.row = row
    @property
    def key_value(self):
        return self.row["phone"]
""",
    "subclass_value_replaced_in_the_base_run": """
import pandas as pd
class Base:
    def clean(self):
        self.df = self.df.drop(columns=["email"])
        self.df.to_csv("clean.csv")
    def raw(self):
        self.df.to_csv("raw.csv")  # expect: DH560
class Sub(Base):
    def __init__(self):
        self.df = pd.read_csv("in.csv", usecols=["email", "ward"])
""",
    "subclasses_that_cannot_be_self_here": """
import requests
class Base:
    URL = None
    def send(self, row):
        requests.post(self.URL, json={"ward": row["ward"]})
    def show(self):
        print(self.__key)
    def run(self, row):
        self.prepare(row)
        print(self.value)  # expect: DH565
    def prepare(self, row):
        self.value = row["ward"]
class Sub(Base):
    URL = "https://tracker.adnetwork.example/x"
    def __init__(self, row):
        self.__key = row["email"]
    def send(self, row):
        requests.post("https://data.kcmo.gov/x", json={"ward": row["ward"]})
    def prepare(self, row):
        self.value = row["phone"]
""",
    "class_attributes_by_the_class_name": """
import logging
import requests
log = logging.getLogger(__name__)
class Config:
    URL = None
    sink = None
def send(row):
    requests.post(Config.URL, json={"ward": row["ward"]})  # expect: DH660
def configure():
    Config.URL = "https://ingest.marketing-vendor.example/v1"
    Config.sink = print
def go(row, hook=None):
    Config.sink(row["phone"])  # expect: DH565
    out = hook or log.warning
    out("x %s", row["email"])  # expect: DH565
""",
    "dicts_keyed_by_identifiers": """
from collections import Counter, defaultdict
def tally(rows):
    counts = {}
    seen = Counter()
    wards = defaultdict(int)
    for row in rows:
        counts[row["email"]] += 1
        seen[row["phone"]] = 1
        wards[row["ward"]] += 1
    print(counts)  # expect: DH565
    print(seen)  # expect: DH565
    print(wards)
    print(Counter(r["national_id"] for r in rows))  # expect: DH565
    print({r["email"]: r["trips"] for r in rows})  # expect: DH565
    print({r["ward"]: r["trips"] for r in rows})
def group(rows):
    by_ward = defaultdict(list)
    by_email = {}
    trips = {}
    for r in rows:
        by_ward[r["ward"]].append(r["email"])
        by_email.setdefault(r["email"], []).append(r["trips"])
        trips.setdefault(r["phone"], 0)
    print(by_ward)  # expect: DH565
    print(by_email)  # expect: DH565
    print(trips)  # expect: DH565
    safe = defaultdict(list)
    for r in rows:
        safe[r["ward"]].append(r["trips"])
        safe.setdefault(r["zone"], []).append(r["trips"])
    print(safe)
""",
    "frame_writer_taken_without_a_call": """
import pandas as pd
def export(engine):
    df = pd.read_csv("residents.csv", usecols=["email", "ward"])
    save = df.to_csv
    save("out.csv", index=False)  # expect: DH560
    load = df.to_sql
    load("residents", engine)  # expect: DH560
    safe = df.drop(columns=["email"]).to_parquet
    safe("wards.parquet")
""",
    "column_lists_built_for_a_table_parameter": """
BASE = ["zone"]
COLS = ["zone"] + ["driver_license"]
def a(df):
    df.loc[:, ["email", "ward"]].to_csv("e.csv")  # expect: DH560
    df.loc[df["ward"] == "3", "phone"].to_csv("p.csv")  # expect: DH560
    df.loc[:, ["ward", "zone"]].to_csv("ok.csv")
def b(df, con):
    df[BASE + ["driver_license"]].to_sql("licences", con)  # expect: DH560
    df[COLS].to_sql("licences", con)  # expect: DH560
    df[BASE + ["ward"]].to_sql("wards", con)
def c(df, con, wide):
    cols = ["zone"]
    cols.append("driver_license")
    df[cols].to_sql("licences", con)  # expect: DH560
    keep = ["zone"]
    if wide:
        keep.append("ward")
    keep += ["trips"]
    df[keep].to_sql("wards", con)
""",
    "instances_of_module_classes": """
import pandas as pd
import requests
class Job:
    def __init__(self, df, path="out.csv"):
        self.df = df
        self.path = path
    def run(self):
        self.df.to_csv(self.path)  # expect: DH560
    def columns(self):
        return self.df
class Client:
    def __init__(self, url):
        self.url = url
    def send(self, payload):
        requests.post(self.url, json=payload, timeout=5)  # expect: DH561, DH660
class Source:
    def get(self, row):
        return row["phone"]
class Report:
    def __init__(self):
        self.src = Source()
    def show(self, row):
        print(self.src.get(row))  # expect: DH565
def main(rows):
    df = pd.read_csv("in.csv", usecols=["email", "ward"])
    job = Job(df)
    job.run()
    print(job.columns())  # expect: DH565
    Job(pd.read_csv("w.csv", usecols=["ward"])).run()
    Client("https://crm.vendor.example/v1").send({"email": rows[0]["email"]})
""",
    "strings_that_may_be_one_of_several": """
import requests
class Base:
    URL = "https://api.city-approved-vendor.example/v1"
    def send(self, row):
        requests.post(self.URL, json={"ward": row["ward"]})  # expect: DH660
class Sub(Base):
    URL = "https://tracker.example/x"
class Client:
    def __init__(self):
        self.url = "https://api.city-approved-vendor.example/v1"
    def send(self, row):
        requests.post(f"{self.url}/rows", json={"ward": row["ward"]})  # expect: DH660
class VendorClient(Client):
    def __init__(self):
        self.url = "https://tracker.example"
HOST = "https://api.city-approved-vendor.example"
def switch():
    global HOST
    HOST = "https://tracker.example"
def send(row):
    requests.post(HOST + "/v1", json={"ward": row["ward"]})  # expect: DH660
class Show:
    LABEL = "ward"
    def show(self, row):
        print(row[self.LABEL])  # expect: DH565
class EmailShow(Show):
    LABEL = "email"
COLS = ["id", "ward", "phone"]
def columns(row):
    print({c: row[c] for c in COLS})  # expect: DH565
def safe(row):
    for c in ("id", "ward"):
        print(row[c])
    requests.post("https://api.city-approved-vendor.example/v2", json={"ward": row["ward"]})
""",
    "static_method_under_a_module_decorator": """
def save(fn):
    def wrapper(*args, **kwargs):
        r = fn(*args, **kwargs)
        print(r)  # expect: DH565
        return r
    return wrapper
class Tasks:
    @staticmethod
    @save
    def b(row):
        return row["phone"]
    @staticmethod
    @save
    def c(row):
        return row["ward"]
    def run(self, row):
        return Tasks.c(row)
""",
    "class_attributes_set_through_cls": """
class Exporter:
    target = None
    @classmethod
    def use(cls, path):
        cls.target = open(path, "a")
    def write(self, row):
        self.target.write(row["email"])  # expect: DH560
class Registry:
    latest = None
    seen = []
    @classmethod
    def record(cls, row):
        cls.latest = row["email"]
        cls.seen.append(row["ward"])
    @classmethod
    def dump(cls):
        print(cls.latest)  # expect: DH565
        print(cls.seen)
""",
    "items_popped_from_a_list": """
class Retry:
    def __init__(self):
        self.pending = []
    def retry_one(self):
        if self.pending:
            print("retrying", self.pending.pop())  # expect: DH565
    def fail(self, row):
        self.pending.append(row["email"])
def drain(rows):
    queue = []
    queue.append(rows[0]["phone"])
    print(queue.pop())  # expect: DH565
""",
    "list_items_read_back_by_position": """
def first(rows):
    pending = []
    for r in rows:
        pending.append(r["email"])
    print(pending[0])  # expect: DH565
    print(pending[-1])  # expect: DH565
def labelled(row):
    out = ["ward"]
    out.append(row["phone"])
    print(out[0])
    print(out[1])  # expect: DH565
class Batch:
    def __init__(self):
        self.items = []
    def add(self, row):
        self.items.extend(r["email"] for r in row)
    def show(self):
        print(self.items[0])  # expect: DH565
""",
    "loop_carried_value_read_before_it_is_set": """
import logging
log = logging.getLogger(__name__)
def scan(rows):
    last = None
    for r in rows:
        log.info("previous %s", last)  # expect: DH565
        last = r["email"]
def fine(rows):
    last = None
    for r in rows:
        log.info("previous %s", last)
        last = r["ward"]
def until(queue):
    item = None
    while queue:
        print(item)  # expect: DH565
        item = queue.pop()["phone"]
""",
    "closure_reads_its_scope_as_it_is_when_called": """
def in_loop(rows):
    last = None
    def show():
        print("last seen", last)  # expect: DH565
    for r in rows:
        show()
        last = r["email"]
def in_branch(row):
    def show():
        print("value", v)  # expect: DH565
    if row:
        v = row["email"]
        show()
def called_again(rows):
    last = None
    def show():
        print("last seen", last)  # expect: DH565
    show()
    last = rows[0]["email"]
    show()
def not_its_scope(row):
    def show():
        print("value", w)
    def other():
        w = row["email"]
        show()
    w = "ward"
    other()
""",
    "records_built_from_data": """
import json, logging
from dataclasses import asdict, astuple, dataclass, field
from typing import ClassVar, NamedTuple
import pydantic
log = logging.getLogger(__name__)
@dataclass(frozen=True)
class Base:
    ward: str
@dataclass
class Rider(Base):
    card_id: str
    trips: int = 0
    KIND: ClassVar[str] = "rider"
class Point(NamedTuple):
    phone: str
    zone: str
class Event(pydantic.BaseModel):
    device_mac: str
    zone: str
def riders(rows, fh):
    for row in rows:
        rider = Rider(row["ward"], row["card_number"])
        log.info("ward %s", rider.ward)
        log.info("card %s", rider.card_id)  # expect: DH565
        json.dump(asdict(rider), fh)  # expect: DH560
        fh.write(str(astuple(Rider(row["ward"], "none"))))
def points(row):
    p = Point(row["phone"], row["zone"])
    print(p.zone)
    print(p._asdict())  # expect: DH565
def events(r):
    e = Event(device_mac=r["mac"], zone="z")
    print(e.zone)
    print(e.model_dump_json())  # expect: DH565
""",
    "callable_instance_runs_its_call_method": """
import hashlib, hmac, json, os
KEY = os.environ["PLATE_KEY"].encode()
class Tokenizer:
    def __call__(self, v):
        return hmac.new(KEY, v.encode(), hashlib.sha256).hexdigest()
class Printer:
    def __call__(self, v):
        print(v)  # expect: DH565
def export(r):
    t = Tokenizer()
    with open("out.json", "w") as fh:
        json.dump({"plate": t(r["plate"])}, fh)
def show(r):
    Printer()(r["email"])
""",
    "loop_over_a_few_column_names_treats_each": """
import hashlib, hmac, os
import pandas as pd
KEY = os.environ["K"].encode()
def token(v):
    return hmac.new(KEY, str(v).encode(), hashlib.sha256).hexdigest()
def publish():
    df = pd.read_csv("t.csv", usecols=["trip_id", "lat", "lon"])
    for col in ("lat", "lon"):
        df[col] = df[col].round(3)
    df.to_csv("out.csv")
def drop_pii():
    df = pd.read_csv("r.csv", usecols=["email", "phone", "ward"])
    for col in ["email", "phone"]:
        df = df.drop(columns=[col])
    df.to_csv("out2.csv")
def tokenise_one_of_two():
    df = pd.read_csv("r.csv", usecols=["email", "phone", "ward"])
    for col in ("email", "ward"):
        df[col] = df[col].map(token)
    df.to_csv("out3.csv")  # expect: DH560
""",
    "format_precision_rounds": """
def a(t):
    with open("o.csv", "w") as fh:
        fh.write(f"{t['lat']:.3f},{t['lon']:.3f}\\n")
        fh.write(f"{t['lat']:.6f}\\n")  # expect: DH563
def b(t):
    with open("o.csv", "w") as fh:
        fh.write("%.3f,%.2f\\n" % (t["lat"], t["lon"]))
        fh.write("%.3f,%s\\n" % (t["lat"], t["lon"]))  # expect: DH563
def c(t):
    with open("o.csv", "w") as fh:
        fh.write("{:.3f},{lon:.1f}".format(t["lat"], lon=t["lon"]))
        fh.write("{:.3f},{:.4f}".format(t["lat"], t["lon"]))  # expect: DH563
""",
    "numpy_round_and_elementwise_map_on_a_table": """
import hashlib, hmac, os
import numpy as np
import pandas as pd
KEY = os.environ["K"].encode()
def token(v):
    return hmac.new(KEY, str(v).encode(), hashlib.sha256).hexdigest()
def publish():
    df = pd.read_csv("t.csv", usecols=["trip_id", "lat", "lon"])
    df[["lat", "lon"]] = np.round(df[["lat", "lon"]], 3)
    df.to_csv("out.csv")
    df[["lat", "lon"]] = np.round(df[["lat", "lon"]], 5)
    df.to_csv("fine.csv")  # expect: DH563
def export():
    df = pd.read_csv("r.csv", usecols=["email", "phone", "ward"])
    df[["email", "phone"]] = df[["email", "phone"]].map(token)
    df.to_csv("out.csv")
    df[["email"]] = df[["email"]].applymap(str)
    raw = pd.read_csv("r.csv", usecols=["email", "ward"])
    raw[["email"]] = raw[["email"]].map(lambda v: v.strip())
    raw.to_csv("raw.csv")  # expect: DH560
""",
    "global_set_by_a_call_in_a_module_level_if": """
import requests
URL = None
def configure(url):
    global URL
    URL = url
def send(row):
    requests.post(URL, json={"zone": row["zone"]})  # expect: DH660
if __name__ == "__main__":
    configure("https://collector.tracker.example/v1")
""",
    "copies_chains_and_getattr_keep_the_data": """
import copy, itertools, json, logging
import requests
log = logging.getLogger(__name__)
API = "https://api.city-approved-vendor.example/x"
def send(case, rows):
    rec = {"email": case["email"]}
    requests.post(API, json=copy.deepcopy(rec))  # expect: DH561
    meters = [{"plate": r["plate"]} for r in rows]
    requests.post(API, json=list(itertools.chain(meters, [])))  # expect: DH561
def show(resident):
    print(getattr(resident, "email"))  # expect: DH565
    print(getattr(resident, "ward", None))
class Job:
    def emit(self, v):
        print(v)  # expect: DH565
    def run(self, row):
        getattr(self, "emit")(row["phone"])
def by_level(row, level="info"):
    getattr(log, level)("%s", row["email"])  # expect: DH565
""",
    "dispatch_through_a_dict": """
import logging
import requests
log = logging.getLogger("x")
def send_email(v):
    log.info("email %s", v)  # expect: DH565
HANDLERS = {"email": send_email}
SINKS = {"stdout": lambda v: print(v)}  # expect: DH565
CONFIG = {"endpoint": "https://collector.mobility-insights.example/v1", "retries": 3}
def route(kind, value):
    HANDLERS[kind](value)
def run(row):
    route("email", row["email"])
    SINKS["stdout"](row["phone"])
def push():
    requests.post(CONFIG["endpoint"], json={"n": 1})  # expect: DH660
""",
    "identifiers_in_the_url": """
from urllib.parse import urlencode
import requests
API = "https://api.city-approved-vendor.example/lookup"
def a(row):
    return requests.get(f"{API}?plate={row['plate']}")  # expect: DH561
def b(row):
    return requests.get(API + "/" + row["plate"])  # expect: DH561
def c(row):
    return requests.get(API, params=urlencode({"plate": row["plate"]}))  # expect: DH561
def fine(row):
    return requests.get(f"{API}?ward={row['ward']}")
""",
    "round_each_column_to_its_own_decimals": """
import pandas as pd
def publish():
    df = pd.read_csv("t.csv", usecols=["trip_id", "lat", "lon"]).round({"lat": 5, "lon": 5})
    df.to_csv("out.csv")  # expect: DH563
def fine():
    df = pd.read_csv("t.csv", usecols=["trip_id", "lat", "lon"]).round({"lat": 3, "lon": 2})
    df.to_csv("out.csv")
def half():
    df = pd.read_csv("t.csv", usecols=["trip_id", "lat", "lon"]).round({"lat": 3})
    df.to_csv("out.csv")  # expect: DH563
""",
    "record_fields_named_by_the_class_and_lists_of_records": """
from dataclasses import asdict, dataclass
@dataclass
class Vol:
    ward: str
    email: str
def show(r):
    v = Vol(r["x"], r["y"])
    print(asdict(v))  # expect: DH565
    print(v.email)  # expect: DH565
    print(v.ward)
def roster(rows):
    vols = [Vol(r["ward"], r["contact"]) for r in rows]
    for v in vols:
        print(asdict(v))  # expect: DH565
""",
    "exceptions_carry_their_message": """
import logging, re
log = logging.getLogger(__name__)
EMAIL_RE = re.compile(r"^[^@]+@[^@]+$")
def a(reg):
    exc = ValueError(f"invalid address {reg['email']}")
    log.error("skipping: %s", exc)  # expect: DH565
def check(reg):
    if not EMAIL_RE.match(reg["email"]):
        raise ValueError(f"invalid address {reg['email']}")
    return reg
def clean(regs):
    ok = []
    for reg in regs:
        try:
            ok.append(check(reg))
        except ValueError as exc:
            log.error("skipping: %s", exc)  # expect: DH565
    return ok
def fine(reg):
    try:
        int(reg["ward"])
    except ValueError as exc:
        log.error("bad ward: %s", exc)
""",
    "hash_object_updated": """
import hashlib, hmac, os
KEY = os.environ["K"].encode()
def a(read):
    h = hashlib.sha256()
    h.update(read["plate"].encode())  # expect: DH562
    return h.hexdigest()
def b(read):
    h = hashlib.new("md5")
    h.update(read["email"].encode())  # expect: DH562
    with open("o.txt", "w") as fh:
        fh.write(h.hexdigest())
def keyed(read):
    h = hmac.new(KEY, digestmod=hashlib.sha256)
    h.update(read["plate"].encode())
    return h.hexdigest()
""",
    "emails_and_buffers_carry_what_is_put_in_them": """
import csv, io, smtplib
import boto3
from email.message import EmailMessage
from email.mime.text import MIMEText
s3 = boto3.client("s3")
def upload(calls):
    buf = io.StringIO()
    csv.writer(buf).writerow([calls[0]["phone"]])
    s3.put_object(Bucket="kc-311", Key="c", Body=buf.getvalue().encode("utf-8"))  # expect: DH560
def a(call):
    msg = EmailMessage()
    msg.set_content(call["caller_phone"])
    with smtplib.SMTP_SSL("smtp.kcmo.gov", 465) as smtp:
        smtp.send_message(msg)  # expect: DH561
def b(call):
    with smtplib.SMTP_SSL("smtp.kcmo.gov", 465) as smtp:
        body = MIMEText(call["caller_phone"]).as_string()
        smtp.sendmail("etl@kcmo.gov", ["ops@kcmo.gov"], body)  # expect: DH561
def c(call):
    msg = EmailMessage()
    msg["Subject"] = f"Call from {call['email']}"
    with smtplib.SMTP_SSL("smtp.kcmo.gov", 465) as smtp:
        smtp.send_message(msg)  # expect: DH561
def fine(call):
    msg = EmailMessage()
    msg.set_content(f"{call['ward']}: 1 call")
    with smtplib.SMTP_SSL("smtp.kcmo.gov", 465) as smtp:
        smtp.send_message(msg)
""",
    "aggregations_that_keep_the_values": """
import pandas as pd
def a():
    df = pd.read_csv("x.csv", usecols=["ward", "email", "trips"])
    df.groupby("ward").agg(emails=("email", list)).to_csv("a.csv")  # expect: DH560
    df.groupby("ward").agg(n=("email", "count"), trips=("trips", "sum")).to_csv("ok.csv")
    df.groupby("ward").agg({"email": "first"}).to_csv("b.csv")  # expect: DH560
    df.groupby("ward").agg({"email": "nunique"}).to_csv("ok2.csv")
    df.groupby("ward").agg(n=("email", lambda s: s.nunique())).to_csv("ok3.csv")
    df.groupby("ward").agg(last=("email", lambda s: s.iloc[-1])).to_csv("c.csv")  # expect: DH560
""",
    "a_parameter_attribute_named_like_an_identifier": """
import json
import requests
API = "https://api.city-approved-vendor.example/x"
def send(obj):
    requests.post(API, json={"to": obj.email})  # expect: DH561
def save(obj):
    with open("out.json", "w") as fh:
        json.dump({"to": obj.email}, fh)  # expect: DH560
def fine(obj):
    with open("out.json", "w") as fh:
        json.dump({"to": obj.ward}, fh)
""",
    "keys_set_on_a_dict_from_elsewhere": """
import copy
import requests
from myproj.common import base_payload
URL = "https://api.city-approved-vendor.example/cases"
def a(case):
    body = base_payload()
    body["email"] = case["email"]
    requests.post(URL, json=body)  # expect: DH561
def b(case, template):
    body = copy.deepcopy(template)
    body["to"] = case["email"]
    requests.post(URL, json=body)  # expect: DH561
def c(case, body):
    body["email"] = case["email"]
    print(body)  # expect: DH565
def coarsen(df):
    df["latitude"] = df["latitude"].round(2)
    df["longitude"] = df["longitude"].round(2)
    df.to_parquet("/tmp/loc.parquet")
def fine(df):
    df["latitude"] = df["latitude"].round(5)
    df.to_parquet("/tmp/loc.parquet")  # expect: DH563
""",
    "hash_function_chosen_through_a_dict_or_getattr": """
import hashlib
ALGO = "md5"
HASHERS = {"fast": hashlib.md5, "slow": hashlib.sha512}
def digest(email):
    return getattr(hashlib, ALGO)(email.encode()).hexdigest()  # expect: DH562
def anon(user, kind="fast"):
    return HASHERS[kind](user["email"].encode()).hexdigest()  # expect: DH562
""",
    "warnings_carry_their_message": """
import logging, warnings
logging.captureWarnings(True)
def dedupe(reads):
    seen = set()
    for r in reads:
        plate = r["plate"]
        if plate in seen:
            warnings.warn(f"duplicate plate {plate}")  # expect: DH565
        seen.add(plate)
    warnings.warn("duplicates dropped")
    warnings.warn(message=f"{len(seen)} plates")
""",
    "negative_index_and_slice": """
import pandas as pd
def show(row):
    print([row["email"], row["ward"]][-1])
    print([row["ward"], row["email"]][-1])  # expect: DH565
    print(row["phone"][:3])
    print(row["phone"][:-3])  # expect: DH565
def export(df):
    out = pd.DataFrame({"zip": df["postcode"].str[:3], "z2": df["phone"].str[:-3]})
    out.to_csv("o.csv")  # expect: DH560
""",
    "attribute_set_through_a_chain_of_methods": """
class D:
    def a(self):
        print(self.b)  # expect: DH565
    def b_step(self):
        self.b = self.c
    def c_step(self, row):
        self.c = row["email"]
""",
    "function_or_library_method_or_none_yet": """
import logging
log = logging.getLogger(__name__)
HANDLER = None
def skip(*a):
    pass
def emit(v):
    print(v)  # expect: DH565
def enable():
    global HANDLER
    HANDLER = emit
def process(row, verbose):
    HANDLER(row["email"])
    handler = skip
    if verbose:
        handler = log.info
    handler("x %s", row["phone"])  # expect: DH565
""",
    "one_line_bodies": """
import logging
import pandas as pd
import requests
log = logging.getLogger(__name__)
class Vendor: URL = "https://api.untrusted-vendor.example/reads"
def pick(x): return x[["plate"]]
def show(row): log.info("plate %s", row["plate"])  # expect: DH565
def send(row): requests.post(Vendor.URL, json={"plate": row["plate"]})  # expect: DH561, DH660
def many(row, verbose):
    if verbose: log.info("plate %s", row["plate"])  # expect: DH565
    for k in row: print(row["email"])  # expect: DH565
    with open("x") as fh: fh.write(row["phone"])  # expect: DH560
    while verbose: log.warning(row["ssn"]); break  # expect: DH565
    try: print(row["mac_address"])  # expect: DH565
    except Exception: pass
def main():
    pick(pd.read_csv("x.csv", usecols=["plate", "camera"])).to_csv("out.csv")  # expect: DH560
    pd.read_csv("x.csv", usecols=["camera", "ts"]).to_csv("ok.csv")
""",
    "class_defined_in_a_function": """
import pandas as pd
def main():
    class Exporter:
        def __init__(self, df):
            self.df = df
        def run(self):
            self.df.to_csv("out.csv")  # expect: DH560
        def safe(self):
            self.df.drop(columns=["plate"]).to_csv("ok.csv")
    job = Exporter(pd.read_csv("x.csv", usecols=["plate", "camera"]))
    job.run()
    job.safe()
""",
    "attribute_set_on_an_instance_from_outside": """
import pandas as pd
class Job:
    def run(self):
        self.df.to_csv("out.csv")  # expect: DH560
    def count(self):
        self.n.to_csv("n.csv")
def main():
    job = Job()
    job.df = pd.read_csv("x.csv", usecols=["plate", "camera"])
    job.n = pd.read_csv("x.csv", usecols=["camera"])
    job.run()
    job.count()
""",
    "nested_record_fields": """
import logging
import requests
log = logging.getLogger(__name__)
URL = "https://api.city-approved-vendor.example/sms"
def a(application):
    applicant = application["applicant"]
    log.info("processing %s", applicant["email"])  # expect: DH565
    log.info("status %s", applicant["status"])
def b(application):
    log.info("processing %s", application["applicant"]["email"])  # expect: DH565
def c(event):
    requests.post(URL, json={"to": event["resident"]["phone"]})  # expect: DH561
    requests.post(URL, json={"n": event["resident"]["household_count"]})
""",
    "rows_sent_in_slices": """
import requests
URL = "https://api.city-approved-vendor.example/members"
def batched(subs):
    rows = [(s["email"], s["ward"]) for s in subs]
    for i in range(0, len(rows), 500):
        requests.post(URL, json=rows[i : i + 500])  # expect: DH561
""",
    "rounding_an_open_schema": """
import pandas as pd
def publish(src, dst):
    df = pd.read_csv(src)
    df = df.round({"latitude": 3, "longitude": 3})
    df[["latitude", "longitude", "ward"]].to_csv(dst)
    df[["latitude", "plate"]].to_csv(dst)  # expect: DH560
def publish_all(src, dst):
    df = pd.read_parquet(src).round(3)
    df[["latitude", "longitude"]].to_csv(dst)
    df[["latitude", "plate"]].to_csv(dst)  # expect: DH560
def publish_known(src, dst):
    df = pd.read_csv(src, usecols=["plate", "latitude"])
    df.round(3).to_csv(dst)  # expect: DH560
""",
    "module_exception_messages": """
import logging
log = logging.getLogger(__name__)
class ReadRejected(Exception):
    pass
class PlateTooLong(ReadRejected):
    pass
def custom(read):
    try:
        raise PlateTooLong(f"plate {read['plate']} too long")
    except ReadRejected as exc:
        log.warning("rejected: %s", exc)  # expect: DH565
    try:
        raise ReadRejected(f"camera {read['camera_id']} offline")
    except ReadRejected as exc:
        log.warning("rejected: %s", exc)
""",
    "exception_with_its_own_message": """
import logging
log = logging.getLogger(__name__)
class RowRejected(Exception):
    def __init__(self, row, reason):
        super().__init__(f"row rejected: {reason}")
        self.row = row
def run(rows):
    for row in rows:
        try:
            if "@" not in row["email"]:
                raise RowRejected(row, "bad email format")
        except RowRejected as exc:
            log.warning("skipping: %s", exc)
""",
    "get_on_a_client_passed_in": """
URL = "https://api.geo-enrich.example.com/reverse"
def etag_for(etags):
    return etags.get(URL)
def cached(cache, row):
    hit = cache.get(URL)
    if hit is None:
        cache[URL] = row["email"]
    return hit
def with_get(client, rep):
    point = {"lat": rep["latitude"], "lon": rep["longitude"]}
    client.get(URL, params=point)  # expect: DH563, DH660
def a_record(rep):
    return rep.get("latitude")
""",
    # probe37 min/07 (docker's AuthConfig): what cfg.get(key, {}) gives is a dict, also
    # through a property; its .get(URL) is a lookup. An unnamed client's get stays a request.
    "get_on_a_dict_a_property_returns": """
URL = "https://index.docker.io/v1/"
class AuthConfig(dict):
    @property
    def cred_helpers(self):
        return self.get("credHelpers", {})
    @property
    def http(self):
        return make_session()
    def store(self):
        return self.cred_helpers.get(URL)
    def ping(self):
        return self.http.get(URL)  # expect: DH660
def helpers(config):
    return config.get("credHelpers", {}).get(URL)
def ping():
    return make_session().get(URL)  # expect: DH660
""",
    # probe37 10 (prompt_toolkit's win32 output): a console handle written to a debug log is
    # no user name; a rider's handle still is.
    "a_console_handle_logged": """
import pandas as pd
class Output:
    def __init__(self):
        self.log = open("render.log", "ab")
    def _winapi(self, func, *a):
        self.log.write(", ".join([f"{i!r}" for i in a]).encode("utf-8"))
        return func(*a)
    def enter(self):
        handle = HANDLE(GetStdHandle(-10))
        self._winapi(GetConsoleMode, handle)
def riders(out):
    df = pd.read_csv("riders.csv", usecols=["rider_handle", "trips"])
    df.to_csv(out)  # expect: DH560
""",
    # probe37 09: names of things logged (a file's name, a module's full name, a library
    # client's name) are no person's; a person's full name still is: read from a person, or a
    # column of a table.
    "names_of_things_logged": """
import logging
import pandas as pd
log = logging.getLogger(__name__)
def find_spec(fullname, path=None):
    log.debug("looking for %s", fullname)
def show(fname):
    print("Unable to show file", repr(fname))
class Provider:
    def lookup(self, ext):
        log.debug("endpoint for %s", self._client_name)
        log.info("writing stub loader for %s", ext._full_name)
        for req_name, member_name in ext.items():
            log.info("%s %s", req_name, member_name)
def greet(user, customer, client):
    log.info("hello %s", user.fullname)  # expect: DH565
    log.info("hello %s", customer["full_name"])  # expect: DH565
    log.info("hello %s", customer.get("full_name"))  # expect: DH565
    log.info("client %s", client.fullname)
def residents():
    df = pd.read_csv("residents.csv")
    log.info("first: %s", df["full_name"].iloc[0])  # expect: DH565
""",
    # s37 pyfn (audits of dlt, luigi, pygeoapi): a GCP credentials object's client_email (a
    # service account's), a calling function's caller_name, a generic feature's geometry in a
    # parameter's request data, and a job's name put in a record ({"name": job}) are no
    # person's; read from a person, in a table's column, or given a person, they still are.
    "service_account_caller_and_job_names": """
import json, logging
from urllib.request import urlopen
import pandas as pd
log = logging.getLogger(__name__)
class Provider:
    def __init__(self, credentials):
        self.credentials = credentials
    def read(self, key):
        log.warning(f"{self.credentials.client_email} cannot read {key}")
    def create(self, cursor, request_data):
        in_geometry = request_data.get("geometry")
        log.debug("bind %s", json.dumps(in_geometry))
def deprecated(caller_name: str, flag: bool) -> None:
    log.warning(f"The flag argument to {caller_name} is deprecated")
def graph():
    return json.loads(urlopen("https://scheduler.kcmo.gov/api/graph").read())["response"]
def results():
    jobs = graph()
    for job in jobs:
        yield {"name": job, "status": jobs[job]["status"]}
def people():
    users = graph()
    for user in users:
        yield {"name": user, "status": users[user]["status"]}
def show(user, caller):
    for job in results():
        print("{name}: {status}".format(name=job["name"], status=job["status"]))
    for person in people():
        print("{name}".format(name=person["name"]))  # expect: DH565
    log.info("client %s", user.client_email)  # expect: DH565
    log.info("caller %s", caller["caller_name"])  # expect: DH565
    df = pd.read_csv("clients.csv")
    log.info("first: %s", df["client_email"].iloc[0])  # expect: DH565
""",
    "sqlalchemy_core_inserts": """
from sqlalchemy import Column, MetaData, String, Table, create_engine, insert
contacts = Table("contacts", MetaData(), Column("email", String), Column("ward", String))
engine = create_engine("postgresql:///permits")
def save_known(rows):
    with engine.begin() as conn:
        conn.execute(insert(contacts), [{"email": r["email"]} for r in rows])  # expect: DH560
def save(engine, rows):
    with engine.begin() as conn:
        conn.execute(insert(contacts), [{"email": r["email"]} for r in rows])  # expect: DH560
        conn.execute(insert(contacts), [{"ward": r["ward"]} for r in rows])
def save_one(conn, r):
    conn.execute(contacts.insert().values(email=r["email"], ward=r["ward"]))  # expect: DH560
    conn.execute(insert(contacts).values(ward=r["ward"]))
""",
    "spark_udf_and_struct_columns": """
import hashlib, hmac, os
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
spark = SparkSession.builder.getOrCreate()
KEY = os.environ["PLATE_KEY"].encode()
def token(value):
    return hmac.new(KEY, value.encode(), hashlib.sha256).hexdigest()
token_udf = F.udf(token, "string")
reads = spark.read.parquet("/data/reads")
reads.withColumn("plate", token_udf(F.col("plate"))).write.parquet("/data/share")
value = F.to_json(F.struct("toll_tag", "plaza_id")).alias("value")
reads.select(value).write.parquet("/data/out")  # expect: DH560
""",
    "polars_combined_columns": """
import polars as pl
df = pl.read_csv("reads.csv", columns=["plate", "camera_id", "read_at"])
key = pl.concat_str([pl.col("camera_id"), pl.col("plate")], separator="|").alias("k")
df.select(key, "read_at").write_csv("out.csv")  # expect: DH560
df.select(pl.struct(["camera_id", "plate"]).alias("rec")).write_ndjson("o.ndjson")  # expect: DH560
df.select(pl.struct(["camera_id", "read_at"]).alias("rec")).write_ndjson("ok.ndjson")
""",
    "airflow_hook_query_keyword": """
from airflow.providers.postgres.hooks.postgres import PostgresHook
def export_permits():
    hook = PostgresHook(postgres_conn_id="permits")
    df = hook.get_pandas_df(sql="SELECT street_address, permit_id FROM permits.active")
    df.to_csv("/tmp/permits.csv", index=False)  # expect: DH560
""",
    "dask_dataframes": """
import dask.dataframe as dd
import pandas as pd
def export_meters():
    meters = pd.read_csv("ami_reads.csv", usecols=["ami_meter_id", "kwh"])
    ddf = dd.from_pandas(meters, npartitions=8)
    ddf.to_csv("exports/ami-*.csv", index=False)  # expect: DH560
    ddf[["kwh"]].to_csv("exports/kwh-*.csv", index=False)
def requests():
    df = dd.read_csv("s3://kc-311/raw/*.csv", usecols=["requester_email", "ticket_id"])
    df.to_parquet("s3://kc-311-share/requests/")  # expect: DH560
""",
    "rename_on_a_parameter_frame": """
import pandas as pd
def publish(reads, out):
    reads.rename(columns={"license_plate": "tag"})[["tag", "cam"]].to_json(out)  # expect: DH560
    reads.rename(columns={"cam": "camera"})[["camera"]].to_json(out)
    renamed = reads.withColumnRenamed("email", "contact")
    renamed.select("contact").write.parquet(out)  # expect: DH560
""",
    # A script's own code runs with the module's classes known: their methods, record fields
    # and constants (probe17 min/01a-c; the same calls inside ``def main():`` were found).
    "module_level_code_uses_the_module_classes": """
import json
from dataclasses import asdict, dataclass
import pandas as pd
import requests
class Export:
    def __init__(self, df):
        self.df = df
    def run(self):
        self.df.to_csv("out.csv")  # expect: DH560
@dataclass
class Enrolment:
    full_name: str
    ward: str
def export(recs, out):
    with open(out, "w") as fh:
        json.dump([asdict(e) for e in recs], fh)  # expect: DH560
class Settings:
    EBOOK_API = "https://patrons.ebookhub.example/api/v3"
settings = Settings()
def sync(body):
    requests.put(settings.EBOOK_API, json=body, timeout=60)  # expect: DH660
export([Enrolment(r["full_name"], r["ward"]) for r in json.load(open("in.json"))], "o.json")
if __name__ == "__main__":
    Export(pd.read_csv("in.csv", usecols=["email", "ward"])).run()
    Export(pd.read_csv("in.csv", usecols=["ward"])).run()
""",
    # pop removes the key, as del does; what it returns is the column (probe17 min/02).
    "dict_and_frame_pop": """
import pandas as pd
import requests
URL = "https://api.city-approved-vendor.example/x"
PRIVATE = ("owner_email", "owner_phone")
def send(r):
    row = {"owner_email": r["owner_email"], "breed": r["breed"]}
    row.pop("owner_email", None)
    requests.post(URL, json=row)
def send_each(r):
    row = {"owner_email": r["owner_email"], "owner_phone": r["owner_phone"], "breed": r["b"]}
    for c in PRIVATE:
        row.pop(c, None)
    requests.post(URL, json=row)
def forward(row):
    row.pop("email", None)
    requests.post(URL, json=row)
def popped(r):
    row = {"owner_email": r["owner_email"], "breed": r["breed"]}
    email = row.pop("owner_email")
    requests.post(URL, json={"e": email})  # expect: DH561
def wrong_key(r):
    row = {"owner_email": r["owner_email"], "breed": r["breed"]}
    row.pop("breed")
    requests.post(URL, json=row)  # expect: DH561
def frame():
    df = pd.read_csv("x.csv", usecols=["plate", "ward"])
    df.pop("plate")
    df.to_csv("o.csv")
""",
    # pydantic models built from a mapping, dumped with exclude=/include=, received as an
    # annotated parameter (probe17 min/03-05).
    "pydantic_models": """
import httpx
import logging
from typing import Optional
from pydantic import BaseModel
log = logging.getLogger()
URL = "https://api.city-approved-vendor.example/v1/cases"
class Complaint(BaseModel):
    case_id: str
    caller_phone: str
def push(row):
    httpx.post(URL, json=Complaint(**row).model_dump())  # expect: DH561
    httpx.post(URL, json=Complaint.model_validate(row).model_dump())  # expect: DH561
    httpx.post(URL, json=Complaint.parse_obj(row).dict())  # expect: DH561
    c = Complaint(case_id=row["case_id"], caller_phone=row["caller_phone"])
    httpx.post(URL, json=c.model_dump(exclude={"caller_phone"}))
    httpx.post(URL, json=c.model_dump(include={"case_id"}))
    httpx.post(URL, json=c.model_dump(exclude={"case_id"}))  # expect: DH561
def received(complaint: Complaint, others: list[Complaint], maybe: Optional[Complaint]):
    log.info("received %s", complaint.model_dump())  # expect: DH565
    httpx.post(URL, json=complaint.model_dump(exclude={"caller_phone"}))
    for other in others:
        httpx.post(URL, json={"phone": other.caller_phone})  # expect: DH561
    print(maybe.case_id)
""",
    # probe17 min/07-12: a logger's bound context, JSON-lines writers, TypedDict calls, a
    # record serialised then encoded, itemgetter projections, a record field named like an
    # identifier holding a plain variable (judged by its name, as a dict key is).
    "bound_loggers_and_record_shapes": """
import csv, json, logging
from dataclasses import asdict, dataclass
from operator import itemgetter
from typing import NamedTuple, TypedDict
import boto3, jsonlines, structlog
from loguru import logger
slog = structlog.get_logger()
std = logging.getLogger(__name__)
class TowEvent(TypedDict):
    tow_id: str
    vin: str
class Citation(NamedTuple):
    citation_id: str
    plate: str
@dataclass
class Rec:
    email: str
PICK = itemgetter("first_name", "ward")
def intake(case):
    slog.bind(email=case["email"]).info("received")  # expect: DH565
    adapter = logging.LoggerAdapter(std, {"email": case["email"]})
    adapter.info("received")  # expect: DH565
    logger.bind(phone=case["phone"]).info("queued")  # expect: DH565
    logger.bind(ward=case["ward"]).info("queued")
    slog.bind(email=case["email"]).new(request_id=case["id"]).info("fresh")  # new(): cleared
def append(rows, path, raw, line, out):
    with jsonlines.open(path, mode="a") as writer:
        writer.write({"tow_id": rows[0]["id"], "vin": rows[0]["vin"]})  # expect: DH560
        writer.write_all({"tow_id": r["id"]} for r in rows)
    with open(path, "a") as fh:
        json.dump(TowEvent(tow_id=raw["id"], vin=raw["vin"]), fh)  # expect: DH560
    cid, plate = line.split("|")
    json.dump(Citation(cid, plate)._asdict(), out)  # expect: DH560
def upload(row):
    body = json.dumps(asdict(Rec(row["email"]))).encode()
    boto3.client("s3").put_object(Bucket="b", Key="k", Body=body)  # expect: DH560
def export(src, dest):
    rows = list(map(PICK, csv.DictReader(open(src, newline=""))))
    with open(dest, "w", newline="") as fout:
        csv.writer(fout).writerows(rows)  # expect: DH560
    wards = [itemgetter("ward")(r) for r in csv.DictReader(open(src))]
    json.dump(wards, open(dest + ".json", "w"))
""",
    # probe21py: Flask's request.remote_addr is the client's IP address (a device identifier).
    "flask_client_address": """
import logging
from flask import Flask, request
app = Flask(__name__)
log = logging.getLogger(__name__)
@app.post("/report")
def report():
    log.info("report from %s", request.remote_addr)  # expect: DH565
    ip = request.remote_addr
    print(ip)  # expect: DH565
    log.info("path %s", request.path)
    return {}
""",
    # probe22 #11: Starlette's (FastAPI's) request.client.host and websocket.client.host are the
    # client's IP address, as flask's request.remote_addr is; the port and the path are not.
    "starlette_client_address": """
import logging
import requests
from fastapi import FastAPI, Request, WebSocket
api = FastAPI()
log = logging.getLogger(__name__)
@api.get("/v1/session")
async def session(request: Request) -> dict:
    log.info("session from %s", request.client.host)  # expect: DH565
    ip = request.client.host
    requests.post("https://api.city-approved-vendor.example/s", json={"src": ip})  # expect: DH561
    log.info("port %s path %s", request.client.port, request.url.path)
    return {}
@api.websocket("/ws")
async def feed(websocket: WebSocket):
    print(websocket.client.host)  # expect: DH565
    print(websocket.client.port)
def unrelated(server):
    print(server.client.hostname, server.host)
""",
    # The client through an alias, unpacked (an Address is a named tuple (host, port)), by
    # getattr or by position: its host is the IP address; its port is not.
    "starlette_client_alias": """
import logging
import requests
from fastapi import FastAPI, Request
api = FastAPI()
log = logging.getLogger(__name__)
def remember(peer):
    log.info("seen %s", peer.host)  # expect: DH565
    log.info("port %s", peer.port)
@api.get("/v1/session")
async def session(request: Request) -> dict:
    peer = request.client
    log.info("session from %s", peer.host)  # expect: DH565
    host, port = request.client
    requests.post("https://api.city-approved-vendor.example/s", json={"src": host})  # expect: DH561
    requests.post("https://api.city-approved-vendor.example/s", json={"port": port})
    print(getattr(request, "client")[0])  # expect: DH565
    print(request.client[1])
    remember(request.client)
    return {}
""",
    # A parameter named request or ws is a Starlette connection unannotated or annotated so
    # (a string too, any name then); annotated with another type its client is something else.
    "starlette_client_by_annotation": """
import logging
from typing import Any
import requests
from starlette.requests import HTTPConnection
from starlette.websockets import WebSocket as Socket
log = logging.getLogger(__name__)
class PrintRequest:
    def __init__(self, client):
        self.client = client
def queue(request: PrintRequest, req: requests.PreparedRequest, ws: "Printer"):
    log.info("printer %s %s %s", request.client.host, req.client.host, ws.client.host)
def peer(request: "HTTPConnection", ws: Socket | None, conn: Socket, req: Any):
    log.info("peer %s", request.client.host)  # expect: DH565
    log.info("peer %s", ws.client.host)  # expect: DH565
    log.info("peer %s", conn.client.host)  # expect: DH565
    log.info("peer %s", req.client.host)  # expect: DH565
def untyped(ws, other):
    log.info("peer %s", ws.client.host)  # expect: DH565
    log.info("peer %s", other.client.host)
""",
    # probe20 min/02-03: Flask's app.logger and current_app.logger are loggers; BigQuery's
    # client writes rows into tables (insert_rows(_json), load_table_from_dataframe/json).
    "flask_logger_and_bigquery_writers": """
from flask import Flask, current_app
from google.cloud import bigquery
app = Flask(__name__)
@app.get("/vehicles/<plate>")
def lookup(plate: str):
    app.logger.info("looked up plate %s", plate)  # expect: DH565
    current_app.logger.warning("plate %s", plate)  # expect: DH565
    app.logger.info("lookup done")
    return {}
def store(read: dict, df) -> None:
    bq = bigquery.Client()
    bq.insert_rows_json("proj.anpr.reads", [{"plate": read["plate"]}])  # expect: DH560
    bq.insert_rows("proj.anpr.reads", [{"camera_id": read["camera_id"]}])
    bq.load_table_from_dataframe(df[["plate", "camera_id"]], "proj.anpr.reads")  # expect: DH560
    bq.load_table_from_json(json_rows=[{"ssn": read["ssn"]}], destination="p.d.t")  # expect: DH560
""",
    # probe21py G1: a BigQuery query's rows (iterated, .result(), .to_dataframe()) hold its
    # SELECT's columns, as read_sql's do, by key and by attribute; a client made from a
    # service account's key or a parameter annotated bigquery.Client is one.
    "bigquery_query_rows_and_clients": """
import csv
from typing import Optional
from google.cloud import bigquery
from google.cloud.bigquery import Client
def mailing(path: str) -> None:
    client = bigquery.Client()
    rows = client.query("SELECT email, full_name, ward FROM civic.residents").result()
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        for row in rows:
            w.writerow([row.full_name, row["ward"]])  # expect: DH560
            w.writerow([row.ward, row.job_id])
def copy_table() -> None:
    client = bigquery.Client.from_service_account_json("sa.json")
    df = client.query("SELECT email, ward FROM civic.residents").to_dataframe()
    client.load_table_from_dataframe(df, "partner.shared.residents")  # expect: DH560
    counts = client.query("SELECT ward, COUNT(*) AS n FROM civic.residents GROUP BY ward")
    client.load_table_from_dataframe(counts.to_dataframe(), "partner.shared.counts")
    counts.result().to_dataframe().to_csv("exports/ward_counts.csv")
def annotated(client: bigquery.Client, other: Optional[Client] = None) -> None:
    frame = client.query("SELECT phone, ward FROM t").result().to_dataframe()
    frame.to_parquet("exports/phones.parquet")  # expect: DH560
    frame[["ward"]].to_parquet("exports/wards.parquet")
    wards = client.query("SELECT ward FROM t")
    other.insert_rows_json("p.d.t", [{"ward": r["ward"]} for r in wards])
    ssns = client.query_and_wait("SELECT ssn FROM t")
    other.insert_rows_json("p.d.t", [dict(r) for r in ssns])  # expect: DH560
def from_info(info: dict) -> None:
    client = bigquery.Client.from_service_account_info(info)
    for row in client.query("SELECT national_id, ward FROM civic.residents"):
        print(row.national_id)  # expect: DH565
        print(row.ward)
""",
    # A BigQuery client passed to a helper of the module (positionally, by keyword, a module
    # constant) writes there as it does in the caller; a never-called entry point's
    # unannotated client parameter stays unknown (no guessing by name).
    "bigquery_client_through_parameters": """
import pandas as pd
from google.cloud import bigquery
BQ = bigquery.Client()
def load(client, df, table="partner.shared.residents"):
    client.load_table_from_dataframe(df, table)  # expect: DH560
def entry(client, df):
    client.load_table_from_dataframe(df, "partner.shared.entry")
def main():
    frame = pd.read_csv("residents.csv", usecols=["email", "ward"])
    load(bigquery.Client(), frame)
    load(df=frame[["ward"]], client=BQ)
""",
    # A SELECT * row (or a query the analysis cannot read) has unknown columns: row.email is
    # still the column email, as row["email"] is, for a query's rows only (BigQuery's, a
    # cursor's); not for a CSV row's or a parameter's items, whose attributes are not columns.
    "select_star_rows_by_attribute": """
import csv
import psycopg2
from google.cloud import bigquery
def riders(sql: str) -> None:
    client = bigquery.Client()
    for row in client.query("SELECT * FROM civic.riders").result():
        print(row.email)  # expect: DH565
        print(row["phone"])  # expect: DH565
        print(row.ward, row.keys())
    for row in client.query(sql):  # a query the analysis does not see: no rows of its
        print(row.national_id)
def accounts(rows, path) -> None:
    cur = psycopg2.connect("dbname=accounts").cursor()
    cur.execute("SELECT * FROM accounts")
    for rec in cur.fetchall():
        print(rec.email)  # expect: DH565
        print(rec.ward)
    print(cur.fetchone().phone)  # expect: DH565
    for r in rows:  # an item of a parameter: by its name, as a parameter's r.email (probe29)
        print(r.email, r.ward)  # expect: DH565
    with open(path) as fh:
        for rec in csv.DictReader(fh):
            print(rec.email)
""",
    # probe20 min/01: the policy's protective functions in either spelling (pseudonymise,
    # tokenise); a local one whose body hashes without a key is judged by its body.
    "protective_functions_spelling_and_body": """
import hashlib, hmac, logging, os
import pandas as pd
import requests
from city.pseudo import pseudonymise
from city import tokens
log = logging.getLogger(__name__)
KEY = os.environ["PSEUDO_KEY"].encode()
API = "https://api.city-approved-vendor.example/reads"
def pseudonymize(df):
    df["card_id"] = df["card_id"].map(lambda c: hashlib.sha1(c).hexdigest())  # expect: DH562
    return df
def mask(value):
    return hmac.new(KEY, value.encode(), hashlib.sha256).hexdigest()
def tokenise(text):
    return text.lower().split()  # a word splitter of its own: the other spelling is no warrant
def words(row):
    log.debug("tokens %s", tokenise(row["complainant_email"]))  # expect: DH565
def push(path):
    df = pd.read_parquet(path, columns=["plate", "camera_id"])
    df["plate"] = df["plate"].map(pseudonymise)
    requests.post(API, json=df.to_dict("records"))
    df["plate"] = df["plate"].map(tokens.tokenise)
    requests.post(API, json=df.to_dict("records"))
    raw = pd.read_parquet(path, columns=["plate", "camera_id"])
    requests.post(API, json=raw.to_dict("records"))  # expect: DH561
def export(path):
    df = pseudonymize(pd.read_parquet(path, columns=["card_id", "lat", "lon"]))
    df.to_csv("out.csv")  # expect: DH563
    kept = pd.read_parquet(path, columns=["card_id", "lat", "lon"])
    kept["lat"] = kept["lat"].map(mask)
    kept["lon"] = kept["lon"].map(mask)
    kept["card_id"] = kept["card_id"].map(mask)
    kept.to_csv("ok.csv")
""",
    # probe17 min/15: fp, pid, acc, cc alone are weak evidence (a file object, a process id,
    # an accumulator): a variable or a parameter's field so named is not reported, a column of
    # a table read from a source still is, and so is a longer name (owner_pid).
    "code_abbreviations_alone": """
import logging, subprocess
import pandas as pd
log = logging.getLogger(__name__)
def run(permit, path, fp, acc):
    proc = subprocess.Popen(["convert", path])
    pid = proc.pid
    log.info("converter %s started", pid)
    log.warning("permit %(pid)s expires soon", {"pid": permit["permit_id"]})
    print(fp, acc)
    log.info("owner %s", permit["owner_pid"])  # a person's record id: DH565 lets it be logged
def export():
    df = pd.read_csv("people.csv", usecols=["pid", "ward"])
    df.to_csv("out.csv")  # expect: DH560
""",
    # probe17 min/15-18: a worker's pid is no person id; a geohash or H3 cell is as precise
    # as its size (geohash 7 / h3 9: about 3 decimals); shapely geometries hold their rounded
    # coordinates; field(repr=False) is not in the logged repr, but asdict() has it.
    "process_values_cells_geometries_hidden_fields": """
import json, logging, os
from dataclasses import asdict, dataclass, field
import geohash, h3
from shapely.geometry import Point, mapping
log = logging.getLogger(__name__)
@dataclass
class Delivery:
    delivery_id: str
    phone: str = field(repr=False)
def start():
    log.info("worker started", extra={"pid": os.getpid()})
def cells(t, fh):
    json.dump({"area": geohash.encode(t["end_lat"], t["end_lon"], precision=5)}, fh)
    area = geohash.encode(t["end_lat"], t["end_lon"], precision=8)
    json.dump({"area": area}, fh)  # expect: DH563
    json.dump({"area": h3.latlng_to_cell(t["lat"], t["lon"], 9)}, fh)
    json.dump({"area": h3.latlng_to_cell(t["lat"], t["lon"], 11)}, fh)  # expect: DH563
def feature(r, fh):
    point = Point(round(float(r["longitude"]), 3), round(float(r["latitude"]), 3))
    json.dump({"type": "Feature", "geometry": mapping(point)}, fh)
    exact = Point(float(r["longitude"]), float(r["latitude"]))
    json.dump({"type": "Feature", "geometry": mapping(exact)}, fh)  # expect: DH563
def record(r, fh):
    d = Delivery(r["delivery_id"], r["phone"])
    log.info("delivered %s", d)
    json.dump(asdict(d), fh)  # expect: DH560
""",
    # probe18py R1-R5: inherited record fields through an annotated parameter, a record with
    # its own __init__, asdict() then pop/round, pydantic's Field(exclude=True), SecretStr and
    # field validators, a DictWriter's fieldnames, FastAPI's Body(...) default.
    "records_received_and_serialised": """
import csv, hashlib, hmac, json, logging, os
from dataclasses import asdict, dataclass
import requests
from fastapi import Body
from pydantic import BaseModel, Field, SecretStr, field_validator
log = logging.getLogger(__name__)
KEY = os.environ["K"].encode()
URL = "https://api.city-approved-vendor.example/x"
@dataclass
class Person:
    full_name: str
@dataclass
class Tenant(Person):
    unit: str
@dataclass
class Card:
    card_number: str
    def __init__(self, number):
        self.token = hmac.new(KEY, number.encode(), hashlib.sha256).hexdigest()
@dataclass
class TripEnd:
    trip_id: str
    end_lat: float
    rider_email: str
class Member(BaseModel):
    plan: str
    email: str = Field(exclude=True)
    phone: str
    card: SecretStr
    @field_validator("phone")
    @classmethod
    def tokenise(cls, value):
        return hmac.new(KEY, value.encode(), hashlib.sha256).hexdigest()
def notify(tenants: list[Tenant], held: Card):
    for t in tenants:
        log.info("notifying %s", t)  # expect: DH565
    log.info("held %s", held)
def send(trips: list[TripEnd]):
    body = []
    for t in trips:
        row = asdict(t)
        row.pop("rider_email", None)
        row["end_lat"] = round(row["end_lat"], 3)
        body.append(row)
    requests.post(URL, json=body, timeout=30)
def sync(row, member: Member = Body(...)):
    requests.post(URL, json=Member(**row).model_dump())
    log.info("member %s", member)  # expect: DH565
def export(trips: list[TripEnd], dst):
    with open(dst, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["trip_id"], extrasaction="ignore")
        for t in trips:
            writer.writerow(asdict(t))
def export_some(trips: list[TripEnd], dst, extra):
    with open(dst, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["trip_id", extra], extrasaction="ignore")
        writer.writerows([asdict(t) for t in trips])  # expect: DH560, DH563
""",
    # A plain variable named like an identifier counts by its name in a + concatenation, as
    # in an f-string (probe17 min/14: a salt written in the source is no key).
    "concatenation_judges_a_plain_variable_by_name": """
import hashlib, logging
log = logging.getLogger()
SALT = "kcmo-2024"
def token(plate, email, path):
    a = hashlib.sha256((SALT + plate).encode()).hexdigest()  # expect: DH562
    b = hashlib.sha256(f"{SALT}{plate}".encode()).hexdigest()  # expect: DH562
    log.info("user " + email)  # expect: DH565
    log.info("reading " + path + "/in.csv")
    return a, b
""",
    # A record's field annotated with a record class of the module, read from a mapping (an
    # annotated parameter, model_validate, Model(**row)): asdict/model_dump give the nested
    # record's fields too; complaint.address.ward is the nested record's field alone.
    # probe21py R1: a record class built in two functions (from a mapping, or constructed):
    # its nested record's field was lost in the second (the two records joined).
    "nested_records_built_twice": """
from dataclasses import dataclass
@dataclass
class Address:
    street_address: str
    ward: str
@dataclass
class Contact:
    full_name: str
    address: Address
def first(row: dict) -> None:
    c = Contact(**row)
    print(c.address.street_address)  # expect: DH565
def second(row: dict) -> None:
    c = Contact(**row)
    print(c.address.street_address)  # expect: DH565
    print(c.address.ward)
def third(row: dict) -> None:
    c = Contact(row["name"], Address(row["street"], row["ward"]))
    print(c.address.street_address)  # expect: DH565
""",
    "nested_records": """
import json
import logging
from dataclasses import asdict, dataclass
from typing import Optional
import httpx
from pydantic import BaseModel
log = logging.getLogger(__name__)
URL = "https://api.city-approved-vendor.example/v1/cases"
@dataclass
class Address:
    street_address: str
    ward: str
@dataclass
class Complaint:
    case_id: str
    address: Address
    previous: Optional["Address"] = None
class Contact(BaseModel):
    phone: str
    ward: str
class Case(BaseModel):
    case_id: str
    contacts: list[Contact]
class Ward(BaseModel):
    code: str
    parent: Optional["Ward"] = None
def export(complaint: Complaint, fh):
    json.dump(asdict(complaint), fh)  # expect: DH560
    json.dump({"case": complaint.case_id, "ward": complaint.address.ward}, fh)
    log.info("at %s", complaint.address.street_address)  # expect: DH565
def push(case: Case, row):
    httpx.post(URL, json=case.model_dump())  # expect: DH561
    httpx.post(URL, json=case.model_dump(exclude={"contacts"}))
    httpx.post(URL, json=Case.model_validate(row).model_dump())  # expect: DH561
    httpx.post(URL, json=Case(**row).model_dump(include={"case_id"}))
def wards(ward: Ward):
    log.info("ward %s", ward.model_dump())
""",
    # A parameter annotated with a collection or a mapping of a record class (the values of
    # dict[str, Rec], Mapping, Sequence, Iterable, tuple[Rec, ...], "list[Rec]" as a string)
    # holds records; a mapping's keys are not its records.
    "annotated_collections_of_records": """
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
log = logging.getLogger(__name__)
@dataclass
class Rec:
    case_id: str
    phone: str
def by_key(recs: dict[str, Rec]):
    for key, rec in recs.items():
        log.info("rec %s", rec)  # expect: DH565
        log.info("key %s", key)
def by_map(recs: Mapping[str, Rec]):
    for rec in recs.values():
        log.info("rec %s", rec)  # expect: DH565
    log.info("one %s", recs["a"])  # expect: DH565
    log.info("case %s", recs.get("a").case_id)
    log.info("keys %s", list(recs))
def by_string(recs: "list[Rec]"):
    for rec in recs:
        log.info("rec %s", rec)  # expect: DH565
def by_seq(recs: Sequence[Rec], more: Iterable[Rec], fh):
    log.info("first %s", recs[0])  # expect: DH565
    json.dump([asdict(r) for r in more], fh)  # expect: DH560
def by_tuple(recs: tuple[Rec, ...]):
    for r in recs:
        log.info("r %s", r)  # expect: DH565
def keyed_by_records(counts: dict[Rec, int]):
    for n in counts.values():
        log.info("n %s", n)
""",
}


@pytest.mark.parametrize("code", CASES.values(), ids=CASES.keys())
def test_flow_shapes(code, assert_expected):
    assert_expected(code)


def test_suppression_inside_a_multiline_sink(scan):
    code = """
import pandas as pd
df = pd.read_csv("x.csv", usecols=["email"])
df.to_csv(
    "restricted/out.csv",  # dhlint: ignore[DH560] restricted store, access logged
    index=False,
)
"""
    result = scan({"etl.py": code}, select=["DH560"])
    assert result.active == []
    (finding,) = result.suppressed
    assert finding.location.start_line == 4
    assert finding.suppressed_by.reason == "restricted store, access logged"


def test_airflow_xcom_between_tasks(assert_expected):
    code = """
import pandas as pd
import requests
from airflow import DAG
from airflow.operators.python import PythonOperator

def send(**context):
    rows = context["ti"].xcom_pull(task_ids="extract", key="reads")
    requests.post("https://api.city-approved-vendor.example/r", json=rows)  # expect: DH561
    total = context["ti"].xcom_pull(task_ids="count")
    requests.post("https://api.city-approved-vendor.example/n", json={"n": total})
    cams = context["ti"].xcom_pull(task_ids="cameras")
    requests.post("https://api.city-approved-vendor.example/c", json=cams)  # expect: DH561

def extract(**context):
    df = pd.read_csv("reads.csv", usecols=["plate", "camera_id"])
    context["ti"].xcom_push(key="reads", value=df.to_dict("records"))

def count(**context):
    return 42

def cameras(**context):
    return pd.read_csv("cams.csv", usecols=["camera_id", "operator_email"]).to_dict("records")

with DAG("alpr") as dag:
    PythonOperator(task_id="extract", python_callable=extract)
    PythonOperator(task_id="count", python_callable=count)
    PythonOperator(task_id="cameras", python_callable=cameras)
    PythonOperator(task_id="send", python_callable=send)
"""
    assert_expected(code)


def test_a_tuple_row_of_a_select_is_read_by_position(scan):
    # probe22 #7: row[1] of a row fetched through a connection opened in a with block was the
    # whole row, so 'to' was named after the first SELECT column (card_number) for an e-mail.
    # A row (fetchone, a loop over the cursor) is by position; a list of rows (fetchall) is not.
    code = """
import logging
import psycopg
import requests
from pydantic import BaseModel
log = logging.getLogger(__name__)
class Rider(BaseModel):
    card_number: str
    email: str
def get_rider(card_number: str) -> Rider:
    with psycopg.connect("dbname=accounts") as conn:
        row = conn.execute("SELECT card_number, email FROM riders WHERE x = %s", (1,)).fetchone()
    return Rider(card_number=row[0], email=row[1])
def register(rider: Rider) -> None:
    requests.post("https://api.city-approved-vendor.example/n", json={"to": rider.email})
def wards():
    with psycopg.connect("dbname=accounts") as conn:
        cur = conn.execute("SELECT ward, email FROM riders")
        for r in cur:
            log.info("ward %s", r[0])
            log.info("mail %s", r[-1])
        log.info("ward %s", cur.fetchone()[0])
        log.info("row %s", cur.fetchall()[0])
def owners():
    # two items named alike (probe24 min/01): positions are not known, the row stays whole
    with psycopg.connect("dbname=accounts") as conn:
        cur = conn.execute("SELECT o.name, v.name, o.phone FROM owners o JOIN vehicles v")
        log.info("phone %s", cur.fetchone()[2])
"""
    found = scan({"etl.py": code}, select=["DH561", "DH565"]).active
    messages = {f.location.start_line: f.message.split(" sent ")[0] for f in found}
    assert "'phone'" in messages.pop(28)
    assert sorted(messages) == [15, 21, 23]
    assert messages[15] == "Identifier column(s) 'to' (direct, from 'email')"
    assert "'email'" in messages[21] and "'email'" in messages[23]


def test_the_last_four_digits_of_a_card_number_are_masked(scan):
    # probe22 #7: card_number[-4:] (and a name such as card_last4) is the masking PCI DSS
    # allows; the full number, a longer tail and another identifier's tail (a plate's, a
    # phone's, probe21py c11's mask_tail) stay reported.
    code = """
import requests
from pydantic import BaseModel
URL = "https://api.city-approved-vendor.example/n"
class Rider(BaseModel):
    card_number: str
    token: str
def notify(rider: Rider, row):
    card_last4 = rider.card_number[-4:]
    requests.post(URL, json={"to": rider.token, "card_last4": card_last4})
    requests.post(URL, json={"last4": row["card_number"][-4:], "pan_last_four": row["pan_last4"]})
    requests.post(URL, json={"card_last4": rider.card_number})
    requests.post(URL, json={"tail": row["card_number"][-6:]})
    requests.post(URL, json={"ssn_last4": row["ssn_last4"]})
    requests.post(URL, json={"plate": "*" * 4 + row["plate"][-3:], "phone": row["phone"][-4:]})
def recent(path, rows):
    # a table's last four rows, a list's last four items: four whole card numbers (probe24)
    df = pd.read_csv(path, usecols=["card_number", "amount"])
    requests.post(URL, data=df["card_number"][-4:].to_json())
    requests.post(URL, data=df["card_number"].iloc[-4:].to_json())
    requests.post(URL, json=[r["card_number"] for r in rows][-4:])
    requests.post(URL, data=df["card_number"].str[-4:].to_json())
"""
    found = scan(
        {"etl.py": code.replace("import requests", "import pandas as pd\nimport requests")},
        select=["DH561"],
    ).active
    messages = {f.location.start_line: f.message.split(" sent ")[0] for f in found}
    assert messages == {
        13: "Identifier column(s) 'card_last4' (direct, from 'card_number')",
        14: "Identifier column(s) 'tail' (direct, from 'card_number')",
        15: "Identifier column(s) 'ssn_last4' (direct)",
        16: "Identifier column(s) 'plate' (direct), 'phone' (direct)",
        20: "Identifier column(s) 'card_number' (direct)",
        21: "Identifier column(s) 'card_number' (direct)",
        22: "Identifier column(s) 'card_number' (direct)",
    }
