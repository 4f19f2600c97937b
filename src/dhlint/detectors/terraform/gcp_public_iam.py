"""DH404: GCP data granted to ``allUsers`` or ``allAuthenticatedUsers``.

The rule's ``checks`` are judged as ``terraform.values`` judges them. An authoritative policy
(``google_*_iam_policy``, see ``_gcp_policy``) is judged binding by binding with the check of
its ``_binding`` counterpart on ``members`` (its ``when`` on the binding's role: a project
grant of a role that reads data), by the class of the store the policy is linked to, and
reported on the offending member inside the document.
"""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.detectors.terraform import values
from dhlint.detectors.terraform._gcp_policy import POLICY_TYPES, bindings
from dhlint.models.terraform import TerraformModel
from dhlint.types import Hit, Related


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    yield from values.detect(model, ctx)
    checks = {
        kind: check
        for check in ctx.params.get("checks", [])
        if check.get("path") == "members"
        for kind in check["types"]
    }
    for res in model.of_type(*POLICY_TYPES):
        check = checks.get(POLICY_TYPES[res.type])
        if check is None:
            continue
        personal = ctx.policy.classes_with_personal_data()
        if check.get("classes") == "personal" and res.data_class(ctx.policy) not in personal:
            continue  # open data: the store it grants is classified public
        for binding in bindings(model, res):
            when = check.get("when")
            if when and values.holds(binding.role, when) is not True:
                continue  # a project role that reads no data (or one not known)
            found = [
                (i, m) for i, m in enumerate(binding.members) if values.holds(m, check) is False
            ]
            if not found:
                continue
            index, member = found[0]
            holder = binding.holder
            location = holder.loc((*binding.keypath, index))
            attribute = "policy_data bindings.members"
            if binding.source:
                attribute = f"binding.members of {binding.source}"
            hit = res.hit(
                attribute=attribute,
                actual=member,
                expected=check.get("expected", ""),
                data_class=res.data_class(ctx.policy),
            )
            yield Hit(
                location=location,
                args=hit.args,
                anchor=f"{res.address}:policy_data:{binding.role}",
                scope=holder.scope_of(location),
                related=(Related(res.location, res.address),) if holder is not res else (),
            )


def judged_types(ctx: Context) -> frozenset[str]:
    """``values``' (the rule's checks) and the policies it reads the bindings of."""
    return values.judged_types(ctx) | frozenset(POLICY_TYPES)


detect.judged_types = judged_types  # type: ignore[attr-defined]
