"""DH211: a firewall rule that opens a clear-text protocol's port (MQTT 1883, RTSP 554,
Modbus 502...) to the whole internet."""

from tests.conftest import rule_ids

OPEN = """
resource "aws_security_group_rule" "mqtt" {
  type              = "ingress"
  from_port         = 1883
  to_port           = 1883
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8", "0.0.0.0/0"]
  security_group_id = "sg-1"
}

resource "azurerm_network_security_rule" "controllers" {
  name                        = "bms"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Udp"
  source_port_range           = "*"
  destination_port_range      = "47000-48000"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
  resource_group_name         = "kc"
  network_security_group_name = "kc-bms"
}
"""

CLOSED = """
resource "aws_security_group" "broker" {
  name = "kc-sensors"
  ingress {
    from_port   = 8883
    to_port     = 8883
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 1883
    to_port     = 1883
    protocol    = "tcp"
    cidr_blocks = ["10.40.0.0/16"]
  }
  ingress {
    from_port   = 502
    to_port     = 502
    protocol    = "tcp"
    ipv6_cidr_blocks = ["fd00::/8"]
  }
}
"""

EVERYTHING = """
resource "aws_security_group" "open" {
  name = "kc-legacy"
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""


def test_clear_text_ports_open_to_the_world_are_reported_with_their_protocol(scan):
    result = scan({"main.tf": OPEN}, select=["DH211"])
    assert rule_ids(result) == [("DH211", "main.tf", 7), ("DH211", "main.tf", 19)]
    messages = [f.message for f in result.active]
    assert messages == [
        "'aws_security_group_rule.mqtt' opens port 1883 (MQTT, clear text) to 0.0.0.0/0",
        "'azurerm_network_security_rule.controllers' opens port 47808 (BACnet, clear text) "
        "to Internet",
    ]


def test_tls_ports_private_ranges_and_all_port_rules_are_not(scan):
    assert rule_ids(scan({"main.tf": CLOSED}, select=["DH211"])) == []
    # Every port open names no protocol: the database-port rule reports it, not this one.
    result = scan({"main.tf": EVERYTHING}, select=["DH211", "DH407"])
    assert [f.rule_id for f in result.active] == ["DH407"]


def test_the_port_and_range_may_come_from_tfvars(scan):
    tf = """
variable "broker_port" {}
variable "allowed" {}
resource "google_compute_firewall" "broker" {
  name          = "kc-mqtt"
  network       = "default"
  source_ranges = var.allowed
  allow {
    protocol = "tcp"
    ports    = [var.broker_port]
  }
}
"""
    tfvars = 'broker_port = "1883"\nallowed = ["0.0.0.0/0"]\n'
    result = scan({"main.tf": tf, "terraform.tfvars": tfvars}, select=["DH211"])
    (finding,) = result.active
    assert "port 1883 (MQTT, clear text) to 0.0.0.0/0" in finding.message
    assert ("terraform.tfvars", 2) in {
        (r.location.path, r.location.start_line) for r in finding.related
    }


def test_kafka_and_zookeeper_clear_text_ports(scan):
    """probe44 P11 (min/06): Kafka's plaintext listener (9092) and ZooKeeper (2181) open to the
    world are clear text like AMQP's 5672; MSK's TLS ports (9094, 9096, 9098) and ZooKeeper's
    TLS port (2182) are not."""
    text = """
resource "aws_security_group" "msk" {
  name = "schooltrans-msk"
  ingress {
    from_port   = 9092
    to_port     = 9092
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 2181
    to_port     = 2181
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 9094
    to_port     = 9098
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 2182
    to_port     = 2182
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""
    result = scan({"main.tf": text}, select=["DH211"])
    assert [f.message for f in result.active] == [
        "'aws_security_group.msk' opens port 9092 (Kafka, clear text) to 0.0.0.0/0",
        "'aws_security_group.msk' opens port 2181 (ZooKeeper, clear text) to 0.0.0.0/0",
    ]


def test_health_clear_text_ports(scan):
    """probe52: an ePCR gateway's HL7 v2 listener (MLLP, 2575) and DICOM (104, 11112) open to
    any address are clear text carrying patients' records (one finding per rule, at its first
    such port); DICOM's TLS port (2762) and MLLP open only to a partner's range are not."""
    text = """
resource "azurerm_network_security_group" "gateway" {
  name                = "ems-hl7-nsg"
  location            = "centralus"
  resource_group_name = "ems"

  security_rule {
    name                       = "hl7-mllp"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "2575"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "hl7-from-hospital"
    priority                   = 105
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "2575"
    source_address_prefix      = "10.20.0.0/16"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "dicom"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_ranges    = ["104", "11112", "2762"]
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }
}
"""
    result = scan({"main.tf": text}, select=["DH211"])
    assert [f.message for f in result.active] == [
        "'azurerm_network_security_group.gateway' opens port 2575 (HL7 MLLP, clear text) to *",
        "'azurerm_network_security_group.gateway' opens port 104 (DICOM, clear text) to Internet",
    ]
    only_tls = text.replace('["104", "11112", "2762"]', '["2762"]')
    assert len(scan({"main.tf": only_tls}, select=["DH211"]).active) == 1
