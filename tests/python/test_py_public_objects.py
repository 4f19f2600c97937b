"""Stored data made public by Python code: DH460 when raw identifiers are written to what is
made public, DH461 for any other public grant (boto3, s3fs/pandas, google-cloud-storage,
azure-storage-blob, MinIO). Each case marks its findings with ``# expect:``."""

from __future__ import annotations

from tests.conftest import by_rule

SELECT = ("DH46",)

BOTO3 = """
import json

import boto3
import pandas as pd

PUBLIC = "public-read"
s3 = boto3.client("s3")


def export(path):
    people = pd.read_csv(path, usecols=["email", "ward"])
    s3.put_object(Bucket="kc-x", Key="a.csv", Body=people.to_csv(), ACL=PUBLIC)  # expect: DH460
    s3.put_object(Bucket="kc-x", Key="b.csv", Body=people.to_csv(), ACL="private")
    wards = people.drop(columns=["email"])
    s3.put_object(Bucket="kc-x", Key="c.csv", Body=wards.to_csv(), ACL=f"public-{'read'}")  # expect: DH461
    s3.upload_file(path, "kc-y", "d.csv", ExtraArgs={"ACL": "authenticated-read"})  # expect: DH461
    s3.upload_file(path, "kc-y", "e.csv", ExtraArgs={"ServerSideEncryption": "aws:kms"})


def grants(path):
    s3.put_object_acl(Bucket="kc-y", Key="d.csv", ACL="public-read-write")  # expect: DH461
    s3.put_bucket_acl(Bucket="kc-y", ACL="private")
    s3.put_object_acl(Bucket="kc-y", Key="d.csv", GrantRead="uri=http://acs.amazonaws.com/groups/global/AllUsers")  # expect: DH461
    s3.put_object_acl(Bucket="kc-y", Key="d.csv", GrantRead="id=abc123")
    boto3.resource("s3").Object("kc-y", "d.csv").Acl().put(ACL="public-read")  # expect: DH461
    s3.delete_public_access_block(Bucket="kc-y")  # expect: DH461
    off = {"BlockPublicAcls": False, "IgnorePublicAcls": False, "BlockPublicPolicy": False, "RestrictPublicBuckets": False}
    s3.put_public_access_block(Bucket="kc-y", PublicAccessBlockConfiguration=off)  # expect: DH461
    on = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}
    s3.put_public_access_block(Bucket="kc-y", PublicAccessBlockConfiguration=on)


def policies():
    anyone = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::kc-y/*"}
    s3.put_bucket_policy(Bucket="kc-y", Policy=json.dumps({"Statement": [anyone]}))  # expect: DH461
    vpc = {**anyone, "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c"}}}
    s3.put_bucket_policy(Bucket="kc-y", Policy=json.dumps({"Statement": [vpc]}))
    account = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "s3:GetObject"}
    s3.put_bucket_policy(Bucket="kc-y", Policy=json.dumps({"Statement": [account]}))
    text = '{"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "s3:*"}]}'
    s3.put_bucket_policy(Bucket="kc-z", Policy=text)  # expect: DH461
"""  # noqa: E501


def test_boto3_public_acls_grants_policies_and_access_blocks(assert_expected):
    result = assert_expected(BOTO3, select=SELECT)
    messages = dict(by_rule(result)["DH460"])
    assert messages[13] == (
        "put_object makes data in 'kc-x' public (ACL public-read), and identifier column(s) "
        "'email' (direct) are written to it"
    )


# A grant of the whole bucket exposes what any write to it stores; a grant of one object,
# the writes to its bucket in the same function.
BUCKET_WIDE = """
import json

import boto3
import pandas as pd

s3 = boto3.client("s3")


def open_bucket():
    s3.delete_public_access_block(Bucket="kc-plates")  # expect: DH460


def write(path):
    reads = pd.read_csv(path, usecols=["plate", "camera_id"])
    s3.put_object(Bucket="kc-plates", Key="reads.csv", Body=reads.to_csv())
    s3.put_object(Bucket="kc-counts", Key="n.csv", Body=reads[["camera_id"]].to_csv())


def share_one():
    s3.put_object_acl(Bucket="kc-plates", Key="reads.csv", ACL="public-read")  # expect: DH461


def share_same_function(path):
    reads = pd.read_csv(path, usecols=["plate", "camera_id"])
    s3.put_object(Bucket="kc-plates", Key="today.csv", Body=reads.to_csv())
    s3.put_object_acl(Bucket="kc-plates", Key="today.csv", ACL="public-read")  # expect: DH460
    s3.put_object_acl(Bucket="kc-counts", Key="n.csv", ACL="public-read")  # expect: DH461
"""


def test_a_bucket_wide_grant_exposes_every_write_to_the_bucket(assert_expected):
    result = assert_expected(BUCKET_WIDE, select=SELECT)
    first = next(f for f in result.active if f.rule_id == "DH460")
    # where the identifier is written to the bucket is shown
    assert [r.location.start_line for r in first.related] == [16]


PANDAS = """
import pandas as pd
import s3fs


def export(path):
    people = pd.read_csv(path, usecols=["phone", "ward"])
    people.to_csv("s3://kc-out/p.csv", storage_options={"acl": "public-read"})  # expect: DH460
    people.to_parquet("s3://kc-out/p.parquet", storage_options={"s3_additional_kwargs": {"ACL": "public-read"}})  # expect: DH460
    people.to_csv("s3://kc-out/q.csv", storage_options={"anon": False})
    fs = s3fs.S3FileSystem(s3_additional_kwargs={"ACL": "public-read"})  # expect: DH461
    private = s3fs.S3FileSystem(s3_additional_kwargs={"ServerSideEncryption": "AES256"})
"""  # noqa: E501


def test_pandas_and_s3fs_writes_with_a_public_acl(assert_expected):
    assert_expected(PANDAS, select=SELECT)


GCS = """
import pandas as pd
from google.cloud import storage


def publish(path):
    client = storage.Client()
    bucket = client.bucket("kc-gcs")
    people = pd.read_csv(path, usecols=["email", "ward"])
    blob = bucket.blob("people.csv")
    blob.upload_from_string(people.to_csv())
    blob.make_public()  # expect: DH460
    bucket.blob("wards.csv").upload_from_string(people[["ward"]].to_csv(), predefined_acl="publicRead")  # expect: DH461
    bucket.blob("w2.csv").upload_from_string(people[["ward"]].to_csv(), predefined_acl="private")


def grants():
    bucket = storage.Client().bucket("kc-other")
    bucket.make_public(recursive=True, future=True)  # expect: DH461
    blob = bucket.blob("x.csv")
    blob.acl.all().grant_read()  # expect: DH461
    blob.acl.all_authenticated().grant_read()  # expect: DH461
    blob.acl.user("clerk@kcmo.gov").grant_read()
    blob.acl.save()
    policy = bucket.get_iam_policy(requested_policy_version=3)
    policy.bindings.append({"role": "roles/storage.objectViewer", "members": {"allUsers"}})  # expect: DH461
    policy.bindings.append({"role": "roles/storage.objectViewer", "members": {"group:gis@kcmo.gov"}})
    policy["roles/storage.objectViewer"].add("allAuthenticatedUsers")  # expect: DH461
    policy["roles/storage.objectViewer"].add("group:gis@kcmo.gov")
    bucket.set_iam_policy(policy)
"""  # noqa: E501


def test_gcs_make_public_acls_predefined_acls_and_iam_bindings(assert_expected):
    assert_expected(GCS, select=SELECT)


AZURE = """
import os

import pandas as pd
from azure.storage.blob import BlobServiceClient, ContainerClient, PublicAccess

service = BlobServiceClient.from_connection_string(os.environ["AZURE_STORAGE"])


def publish(path):
    service.create_container("kc-311", public_access="container")  # expect: DH460
    requests = pd.read_csv(path, usecols=["requester_email", "category"])
    service.get_blob_client("kc-311", "r.csv").upload_blob(requests.to_csv())


def containers():
    service.create_container("kc-open", public_access="blob")  # expect: DH461
    service.create_container("kc-private")
    service.create_container("kc-private2", public_access=None)
    client = ContainerClient.from_connection_string(os.environ["AZURE_STORAGE"], "kc-tiles")
    client.create_container(public_access=PublicAccess.Container)  # expect: DH461
    client.set_container_access_policy({}, public_access=PublicAccess.Blob)  # expect: DH461
    client.set_container_access_policy({}, public_access=PublicAccess.OFF)
"""


def test_azure_containers_created_or_set_public(assert_expected):
    result = assert_expected(AZURE, select=SELECT)
    (finding,) = [f for f in result.active if f.rule_id == "DH460"]
    assert "'requester_email'" in finding.message and "public_access=container" in finding.message


MINIO = """
import json

from minio import Minio

client = Minio("minio.kcmo.gov", access_key=None, secret_key=None)
READ = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::tiles/*"]},
    ],
}
OWN = {
    "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123:user/etl"]}, "Action": ["s3:GetObject"]},
    ],
}


def policies():
    client.set_bucket_policy("tiles", json.dumps(READ))  # expect: DH461
    client.set_bucket_policy("tiles", json.dumps(OWN))
    client.set_bucket_policy("maps", '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}')  # expect: DH461
    client.set_bucket_policy("maps", '{"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*"}]}')
"""  # noqa: E501


def test_minio_public_bucket_policies_as_text_or_dict(assert_expected):
    assert_expected(MINIO, select=SELECT)


def test_acl_read_from_a_config_module_and_values_not_known(scan):
    files = {
        "etl/settings.py": 'UPLOAD_ACL = "public-read"\n',
        "etl/job.py": (
            "import os\n\nimport boto3\n\nfrom etl.settings import UPLOAD_ACL\n\n\n"
            "def upload(path):\n"
            "    s3 = boto3.client('s3')\n"
            "    s3.upload_file(path, 'kc-x', 'k', ExtraArgs={'ACL': UPLOAD_ACL})\n"
            "    s3.upload_file(path, 'kc-x', 'k', ExtraArgs={'ACL': os.environ['ACL']})\n"
        ),
    }
    result = scan(files, select=list(SELECT))
    assert [(f.rule_id, f.location.path, f.location.start_line) for f in result.active] == [
        ("DH461", "etl/job.py", 10)
    ]


def test_an_open_data_grant_is_silenced_with_a_reason(scan):
    code = (
        "import boto3\n\n"
        "def publish(path):\n"
        "    s3 = boto3.client('s3')\n"
        "    # dhlint: ignore[DH461] open data: street-tree inventory, reviewed 2026-03\n"
        "    s3.upload_file(path, 'kc-open-data', 'trees.csv', ExtraArgs={'ACL': 'public-read'})\n"
    )
    result = scan({"publish.py": code}, select=list(SELECT))
    assert result.active == []
    assert [f.rule_id for f in result.suppressed] == ["DH461"]
