"""RabbitMQ through pika: a message body published is sent to the server (DH561), the server an
endpoint (DH260 for amqp://, DH660 unapproved)."""

from __future__ import annotations

from tests.conftest import rule_lines as _lines

PIKA = """
import json
import ssl

import pika


def publish(ev):
    conn = pika.BlockingConnection(pika.ConnectionParameters(host="rabbit.city.example"))
    ch = conn.channel()
    ch.basic_publish(exchange="", routing_key="ped", body=json.dumps({"mac_address": ev.mac}))
    ch.basic_publish(exchange="", routing_key="ped", body=json.dumps({"zone": ev.zone}))


def publish_tls(ev):
    ctx = ssl.create_default_context()
    options = pika.SSLOptions(ctx)
    params = pika.ConnectionParameters(host="rabbit.city.example", ssl_options=options)
    with pika.BlockingConnection(params) as conn:
        conn.channel().basic_publish("", "ped", json.dumps({"phone": ev.phone}))


def publish_url(ev):
    conn = pika.BlockingConnection(pika.URLParameters("amqp://rabbit.city.example:5672/%2F"))
    conn.channel().basic_publish("", "ped", json.dumps({"phone": ev.phone}))
    local = pika.BlockingConnection(pika.ConnectionParameters("localhost"))
    local.channel().basic_publish("", "ped", json.dumps({"phone": ev.phone}))
"""


def test_pika_messages_are_network_sends_and_amqp_is_cleartext(scan):
    result = scan({"etl/rabbit.py": PIKA})
    assert _lines(result, "DH561") == [11, 20, 25, 27]  # not the zone count
    first = next(f for f in result.active if f.rule_id == "DH561")
    assert "sent to the network (rabbit.city.example)" in first.message
    assert _lines(result, "DH260") == [9, 24]  # not ssl_options, not localhost
    assert _lines(result, "DH660") == [9, 19, 24]
