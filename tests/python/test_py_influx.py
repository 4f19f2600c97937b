"""InfluxDB clients: points written are database writes (DH560), the server an endpoint (DH260
in clear, DH660 unapproved). Sensor pipelines store device ids (MAC addresses) as tags."""

from __future__ import annotations

from tests.conftest import rule_lines as _lines

V2 = """
from influxdb_client import InfluxDBClient, Point
from influxdb_client.client.write_api import SYNCHRONOUS


def store(obs):
    client = InfluxDBClient(url="http://influx.city.example:8086", token="t", org="city")
    write = client.write_api(write_options=SYNCHRONOUS)
    write.write(bucket="ped", record=Point("seen").tag("mac_address", obs.mac).field("n", 1))
    write.write("ped", "city", [Point("count").tag("zone", obs.zone).field("n", obs.n)])


def store_tls(obs):
    with InfluxDBClient(url="https://influx.city.example", token="t", org="city") as client:
        client.write_api().write("ped", record=Point("seen").tag("device_id", obs.device))
"""

V1 = """
from influxdb import InfluxDBClient


def store(obs):
    client = InfluxDBClient(host="influx.city.example", port=8086, database="ped")
    client.write_points([{"measurement": "seen", "tags": {"mac_address": obs.mac}}])


def store_tls(obs):
    client = InfluxDBClient(host="influx.city.example", port=8086, ssl=True)
    client.write_points([{"measurement": "count", "fields": {"n": obs.n}}])
"""


def test_influxdb_client_points_are_database_writes_and_http_is_cleartext(scan):
    result = scan({"etl/influx.py": V2})
    assert _lines(result, "DH560") == [9, 15]  # the zone count holds no identifier
    first = next(f for f in result.active if f.rule_id == "DH560")
    assert "'mac_address'" in first.message
    assert "an InfluxDB database (influx.city.example, bucket ped)" in first.message
    assert _lines(result, "DH260") == [7]  # not the https client
    assert _lines(result, "DH660") == [7, 14]


def test_influxdb_1x_is_cleartext_unless_ssl(scan):
    result = scan({"etl/influx1.py": V1})
    assert _lines(result, "DH560") == [7]
    assert "bucket ped" in next(f for f in result.active if f.rule_id == "DH560").message
    assert _lines(result, "DH260") == [6]
    assert _lines(result, "DH261") == []  # ssl=True is no switch off
