"""DH207: an RDS instance or Aurora cluster whose parameter group does not require TLS.

PostgreSQL and SQL Server need ``rds.force_ssl = 1``, MySQL and MariaDB
``require_secure_transport = ON`` in the linked parameter group (by reference or name). No
parameter group means the engine default, which accepts plain connections: the finding is on
the database; a linked group without the setting gets the finding on the group, and one that
sets it otherwise (``OFF``), on that value, whose message says so.

A Redshift cluster's linked ``aws_redshift_parameter_group`` is judged alike on
``require_ssl`` (probe40 min/02), and so is a cluster that names AWS's first default group,
``default.redshift-1.0``, whose ``require_ssl`` is false. A cluster without a group is not
judged: since January 2025 AWS gives a new cluster ``default.redshift-2.0``, which requires
TLS, while one created earlier keeps ``default.redshift-1.0``; the Terraform does not say which
(h5/1).

RDS for PostgreSQL 15 and later turns ``rds.force_ssl`` on by default, in the default group and
in a custom group of family ``postgres15`` or later that does not set it: such a database is
not reported. Without ``engine_version`` (and no group naming a family) the version is not
known: an instance created today gets the newest, one created years ago may not, so it is not
judged, as a Redshift cluster without a group is not.
"""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.detectors.terraform._judged import judges
from dhlint.models.terraform import TerraformModel, is_absent, is_unknown
from dhlint.types import Hit

SETTING = {
    "postgres": ("rds.force_ssl", {"1", "true", "on"}),
    "aurora-postgresql": ("rds.force_ssl", {"1", "true", "on"}),
    "sqlserver": ("rds.force_ssl", {"1", "true", "on"}),
    "mysql": ("require_secure_transport", {"1", "on", "true"}),
    "aurora-mysql": ("require_secure_transport", {"1", "on", "true"}),
    "mariadb": ("require_secure_transport", {"1", "on", "true"}),
}
REQUIRED = {"rds.force_ssl": "1", "require_secure_transport": "ON"}
LINK = {
    "aws_db_instance": ("parameter_group_name", ("aws_db_parameter_group",)),
    "aws_rds_cluster": ("db_cluster_parameter_group_name", ("aws_rds_cluster_parameter_group",)),
    "aws_redshift_cluster": ("cluster_parameter_group_name", ("aws_redshift_parameter_group",)),
}
REQUIRED["require_ssl"] = "true"
REDSHIFT = ("require_ssl", {"true", "1", "on"})
# AWS's default Redshift parameter group of before 2025: require_ssl false (its successor,
# default.redshift-2.0, sets it true).
REDSHIFT_DEFAULT_PLAIN = "default.redshift-1.0"
# From this major version RDS for PostgreSQL defaults rds.force_ssl to 1 (AWS documentation,
# "Using SSL with a PostgreSQL DB instance"); Aurora PostgreSQL is not assumed to.
POSTGRES_FORCE_SSL_FROM = 15


def _major(text: object, prefix: str = "") -> int | None:
    """15 for "15", "15.4" or (with ``prefix`` "postgres") "postgres15"; None if not known."""
    if not isinstance(text, str) or not text.startswith(prefix):
        return None
    digits = text[len(prefix) :].split(".", 1)[0]
    return int(digits) if digits.isdigit() else None


def _forces_tls_by_default(db, group=None) -> bool | None:
    """Whether an RDS PostgreSQL database's default rds.force_ssl is on: from its group's
    family, else its engine_version; None when neither says."""
    major = _major(group.values.get("family"), "postgres") if group is not None else None
    if major is None:
        major = _major(db.values.get("engine_version"))
    return None if major is None else major >= POSTGRES_FORCE_SSL_FROM


def _setting(engine: str) -> tuple[str, set[str]] | None:
    for prefix, setting in SETTING.items():
        if engine == prefix:
            return setting
    if engine.startswith("sqlserver"):
        return SETTING["sqlserver"]
    return None


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    for db in model.of_type(*LINK):
        if db.type == "aws_db_instance" and not is_absent(db.values.get("cluster_identifier")):
            continue  # an Aurora member: its cluster's parameter group decides
        engine = db.values.get("engine") if db.type != "aws_redshift_cluster" else "redshift"
        if not isinstance(engine, str):
            continue
        setting = _setting(engine.lower()) if engine != "redshift" else REDSHIFT
        if setting is None:
            continue
        name, accepted = setting
        attr, group_types = LINK[db.type]
        ref = db.values.get(attr)
        unset = f"does not set {name}"
        postgres = engine.lower() == "postgres"
        if is_absent(ref):
            if engine != "redshift" and not (postgres and _forces_tls_by_default(db) is not False):
                yield db.hit(None, parameter=name, state=unset)
            continue
        groups = model.linked(ref, group_types, "name")
        if not groups and engine == "redshift" and ref == REDSHIFT_DEFAULT_PLAIN:
            state = f"is {REDSHIFT_DEFAULT_PLAIN}, whose {name} is false"
            yield db.hit((attr,), parameter=name, state=state)
            continue
        if not groups:
            continue  # an unknown or external group: cannot judge
        group = groups[0]
        params = group.blocks("parameter")
        match = [(path, p) for path, p in params if p.get("name") == name]
        if not match:
            if postgres and _forces_tls_by_default(db, group) is not False:
                continue  # the family's default is on (or the version is not known)
            yield group.hit(None, name=db.address, parameter=name, state=unset)
            continue
        path, param = match[0]
        value = param.get("value")
        if is_unknown(value) or str(value).lower() in accepted:
            continue
        # Say what the group sets: the finding is on that value, not on a missing parameter.
        state = f"sets {name} to '{value}', not {REQUIRED[name]}"
        yield group.hit((*path, "value"), name=db.address, parameter=name, state=state)


detect.judged_types = judges(*LINK)  # type: ignore[attr-defined]
