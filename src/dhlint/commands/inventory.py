"""``dhlint inventory [PATHS]``: which personal data the repository handles, where it goes, and
under which safeguards (a record of processing built from code and infrastructure).

It runs the same analysis as ``dhlint check`` (all enabled rules, with inventory facts), joins
the Python data flows to the Terraform stores and to the workloads that run the code (Kubernetes
manifests, Terraform compute resources), and prints Markdown (default; with a Mermaid flowchart
that GitHub renders) or JSON. Exit 0, or 2 on a usage or configuration error; findings do not
change the exit code (use ``dhlint check`` in CI).

JSON schema (``"schema": "dhlint-inventory/1"``; every list is sorted)::

    {
      "schema": "dhlint-inventory/1",
      "policy": {"name": str, "version": str},
      "categories": [{                       # identifier categories that reach a sink
        "category": "direct" | "device" | "biometric" | "special" | "location" | "quasi",
                                             # + " (keyed pseudonym)": keyed hashes of them
        "identifiers": [str],                # column names at the sinks
        "reads": [{"path", "line", "column", "label",
                   "store": str}],           # where the data is read; "store" if from one
        "transforms": [{"treatment": str,    # raw | keyed | weak-hash:md5 | round:2 | ...
                        "columns": [str], "steps": [{"path", "line", "column", "label"}]}],
        "destinations": [{"kind": "store" | "vendor" | "topic" | "file" | "database" | "log",
                          "id": str,         # s3://bucket, dynamodb://table,
                                             # kinesis://stream, firehose://stream,
                                             # sns://topic,
                                             # mqtt://broker (the city's own), a host, a
                                             # Pub/Sub topic, a path
                          "columns": [str], "treatments": [str],
                          "at": [{"path", "line"}],      # the writing/sending code
                          "via": str}],      # only on a vendor a topic's push subscription
                                             # sends to: that topic
        "stores": [str], "vendors": [str], "topics": [str]}],
      "stores": [{
        "id": str, "scheme": str | null, "bucket": str | null,
        "terraform": {"address", "path", "line", "directory"} | null,   # null: not defined
        "safeguards": {"encryption": "set" | "missing" | "unknown" | "provider-default",
                       "encryption_algorithms": [str], "customer_key": bool,
                       "retention": "set" | "missing" | "unknown", "retention_days": num | null,
                       "retention_via": str,  # a Firehose stream's only: the address of
                                             # the S3 bucket it delivers to, whose expiry
                                             # "retention" is
                       "access_logging": "set" | "missing" | "unknown",  # a table's:
                                             # CloudTrail data events, not judged
                       "classification": str | null} | null,
        "categories": [str], "writes": [{"path", "line", "columns": [str]}],
        "reads": [{"path", "line", "api"}],  # code that reads from the store
        "findings": ["DHnnn path:line"]}],
      "vendors": [{
        "host": str, "approved": bool, "internal": bool,   # internal: cluster/loopback
        "own": {"address", "type", "path", "line"} | null, # the city's own: a resource of the
                                             # scanned Terraform names it (no vendor); a
                                             # path-style bucket's host is "host/bucket"
        "set_by": [{"env", "workload", "path", "line"}],   # deployments that set the endpoint
                                             # (a host they set; else the code's default), or
                                             # a Pub/Sub push subscription ("env":
                                             # "push_endpoint", "workload": its address)
        "categories": [str], "sends": [{"path", "line", "columns": [str]}],
        "findings": ["DHnnn path:line"]}],
      "topics": [{                           # Pub/Sub topics published to (not vendors)
        "id": str,                           # projects/p/topics/t, or "(unresolved Pub/Sub
                                             # topic)"
        "terraform": {"address", "path", "line", "directory"} | null,  # google_pubsub_topic
        "classification": str | null,
        "push": [{"address", "host", "approved": bool, "path", "line"}],  # push subscriptions
        "categories": [str], "sends": [{"path", "line", "columns": [str]}],
        "findings": ["DHnnn path:line"]}],
      "workloads": [{"ref": "Kind/namespace/name",      # or a Terraform resource address
                     "path", "line",
                     "runs": [python paths], "classification": str | null}],
      "findings": [{"rule_id", "severity", "path", "line", "message",
                    "related": [{"path", "line", "label"}]}]   # open findings on the above
    }
"""

from __future__ import annotations

import argparse
import os
import sys

from dhlint.commands.check import add_run_arguments, run_options, run_or_exit_code, write_output

NAME = "inventory"
HELP = "Inventory of personal data: categories, where they are read, stores and vendors reached."
FORMATS = ("markdown", "json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], help="files or directories")
    parser.add_argument(
        "--output-format",
        "--format",
        "-f",
        choices=FORMATS,
        default="markdown",
        dest="output_format",
        help="markdown (default, with a Mermaid diagram) or json",
    )
    parser.add_argument("--output-file", "-o", help="write the inventory here instead of stdout")
    parser.add_argument("--policy", help="policy file (a city's published policy pack)")
    add_run_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from dhlint.engine import CheckOptions
    from dhlint.inventory import report

    options = CheckOptions(
        paths=args.paths, policy_file=args.policy, collect_facts=True, **run_options(args)
    )
    result = run_or_exit_code(options)
    if isinstance(result, int):
        return result
    try:
        doc = report.build(result)
    except Exception as exc:  # a bug in dhlint: one clear line (traceback with DHLINT_DEBUG=1)
        if os.environ.get("DHLINT_DEBUG"):
            raise
        print(f"dhlint: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    for diag in result.diagnostics:
        if diag.level == "error":
            print(f"dhlint: {diag.path}: {diag.message}", file=sys.stderr)
    text = report.render_json(doc) if args.output_format == "json" else report.render_markdown(doc)
    write_output(text, args.output_file)
    return 2 if result.internal_errors else 0
