"""DH409 (probe54, a parking platform's ALPR pipeline): an MSK cluster with
``client_authentication { unauthenticated = true }`` let any client that reaches the brokers
read and write the plate-read topics; nothing reported it (DH218 judges the listener's TLS,
DH211 an open port)."""

from __future__ import annotations

from tests.conftest import rule_ids

_CLUSTER = """resource "aws_msk_cluster" "reads" {
  cluster_name           = "reads"
  kafka_version          = "3.5.1"
  number_of_broker_nodes = 3
  broker_node_group_info {
    instance_type   = "kafka.m5.large"
    client_subnets  = ["subnet-0a1b2c3d", "subnet-1a2b3c4d", "subnet-2a3b4c5d"]
    security_groups = ["sg-0a1b2c3d"]
  }
  %s
}
variable "anonymous" {}
"""


def test_an_msk_cluster_open_to_unauthenticated_clients(scan):
    opened = "client_authentication {\n    unauthenticated = true\n  }"
    result = scan({"main.tf": _CLUSTER % opened}, select=["DH409"])
    assert rule_ids(result) == [("DH409", "main.tf", 11)]
    assert "client_authentication.unauthenticated is true" in result.active[0].message
    fine = [
        "client_authentication {\n    unauthenticated = false\n    sasl { iam = true }\n  }",
        "client_authentication {\n    sasl {\n      scram = true\n    }\n  }",
        "client_authentication {\n    unauthenticated = var.anonymous\n  }",
        "",  # no block: not judged (its listener is DH218's)
        opened + '\n  tags = { "data-classification" = "public" }',
    ]
    for block in fine:
        assert rule_ids(scan({"main.tf": _CLUSTER % block}, select=["DH409"])) == [], block
