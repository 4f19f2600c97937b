"""DH690: Python sends to an endpoint read from an environment variable that a deployment (a
Kubernetes manifest, or a Terraform compute resource) sets to a host the policy does not approve
(``policy.is_approved_host``).

The finding sits on the Python call that reads the variable; related locations point at where
the value is written (and at what runs the script: a container, a Lambda handler). Workloads
that set the variable to the same host are one finding naming them all (its anchor is the first
one's), another host is another finding. Workloads
that run the script are preferred; when none visibly does, every workload setting the variable
is considered.
Cluster-internal and loopback hosts are not vendors, nor are the city's own (a host that names a
resource of the run's Terraform: ``dhlint.inventory.own_hosts``). ``params.require_identifiers``:
only calls whose payload carries identifiers (default false: any unapproved destination counts).

A connection made with the variable (``smtplib.SMTP(HOST)``) and a call that sends on it
(``smtp.send_message``) are one transmission: the connection is not reported apart when a
call of the same file sends to the same variable. The message says what the model knows: the
identifiers it traced, or that it traced none (it does not follow every payload, such as an
e-mail's headers), or that the call only names the endpoint.
"""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context, Workspace
from dhlint.detectors.kubernetes._hosts import is_aws_api, is_cluster_internal
from dhlint.inventory import join, own_hosts
from dhlint.inventory.facts import loc_of
from dhlint.inventory.own_hosts import OwnHosts, url_of
from dhlint.types import Hit, HostPart, Related


def unapproved_hosts(env: dict, policy, own: OwnHosts | None = None) -> list[str]:
    """The hosts an env entry sets that are vendors the policy does not approve: not
    cluster-internal, not approved, not an AWS service's API endpoint (``is_aws_api``: one
    that acts in the caller's own account; an SQS queue URL only of an ``approved_accounts``
    account), and not the city's own (``own``: a resource of the run's Terraform)."""
    value = env.get("value", "")
    return [
        h
        for h in env.get("hosts", [])
        if not is_cluster_internal(h)
        and not policy.is_approved_host(h)
        and not is_aws_api(h, url_of(value, h), policy.settings["approved_accounts"])
        and (own is None or own.owner(h, url_of(value, h)) is None)
    ]


def _what(item: join.EnvEndpoint, exposed: list[dict]) -> str:
    if exposed:
        return join.describe(exposed)
    # Not "no identifiers": what is sent may carry some the model does not follow.
    return "data (no identifier traced)" if item.sink else "data (not traced)"


def detect(workspace: Workspace, ctx: Context) -> Iterable[Hit]:
    confidence = ctx.params.get("min_confidence", "medium")
    need_ids = bool(ctx.params.get("require_identifiers", False))
    own = own_hosts.index(workspace, ctx.policy)
    items = list(join.env_endpoints(workspace, ctx.policy, confidence))
    sent = {(i.path, i.read["name"]) for i in items if i.sink is not None}
    for item in items:
        if item.sink is None and (item.path, item.read["name"]) in sent:
            continue  # the connection of a call that sends: that call is reported
        exposed = [c for c in item.identifiers if not c["protected"]]
        if need_ids and not exposed:
            continue
        # One finding per host the call may send to, whatever number of workloads set the
        # variable to it (one fix, one annotation): each setter is a related location.
        by_host: dict[str, list[tuple[dict, dict, dict]]] = {}
        for workload, container, env in item.settings:
            hosts = unapproved_hosts(env, ctx.policy, own)
            if hosts:
                by_host.setdefault(hosts[0], []).append((workload, container, env))
        for host, setters in by_host.items():
            related: list[Related] = []
            for workload, container, env in setters:
                related.append(Related(loc_of(env["loc"]), f"{workload['ref']} sets {env['name']}"))
                if join.runs(container, item.path, workspace):
                    related.append(
                        Related(loc_of(container["loc"]), f"{workload['ref']} runs {item.path}")
                    )
            flow = ()
            if exposed and exposed[0].get("flow"):
                steps = [Related(loc_of(loc), label) for label, loc in exposed[0]["flow"]]
                steps.append(Related(loc_of(item.read["loc"]), f"sent to {host}"))
                flow = tuple(steps)
            first = setters[0][2]
            yield Hit(
                location=loc_of(item.read["loc"]),
                args={
                    "env": first["name"],
                    "host": host,
                    "setters": _setters(setters),
                    "columns": _what(item, exposed),
                },
                # the first setter's, as when each workload was a finding of its own
                anchor=f"{item.read['anchor']}->{first['anchor']}",
                scope=tuple(item.sink["scope"]) if item.sink else None,
                related=tuple(dict.fromkeys(related)),
                flow=flow,
                # the host, for the run-wide step that leaves DH660 the code's default only
                # when a deployment sets the variable to another host (engine)
                hosts=(HostPart(host),),
            )


def _setters(setters: list[tuple[dict, dict, dict]]) -> str:
    """'W (file) sets', 'W (file) and V (file) set', 'W (file), V (file) and 2 others set'."""
    named = list(dict.fromkeys(f"{w['ref']} ({env['loc'][0]})" for w, _, env in setters))
    if len(named) == 1:
        return f"{named[0]} sets"
    shown = named[:2] if len(named) > 3 else named[:-1]
    last = f"{len(named) - 2} other workloads" if len(named) > 3 else named[-1]
    return f"{', '.join(shown)} and {last} set"
