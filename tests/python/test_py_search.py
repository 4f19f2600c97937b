"""Elasticsearch and OpenSearch clients: documents indexed are database writes (DH560), their
servers are endpoints (DH260 in clear, DH660 unapproved), ``verify_certs=False`` is DH261.
A smart-camera pipeline indexes detections (MAC addresses, face crops) this way."""

from __future__ import annotations

from tests.conftest import by_rule as _by_rule

ES = """
from elasticsearch import Elasticsearch, helpers


def index(ev):
    es = Elasticsearch("https://es.city.example:9200", verify_certs=False)
    es.index(index="detections", document={"mac_address": ev.mac, "zone": ev.zone})
    es.index("legacy", {"mac_address": ev.mac})  # Elasticsearch 7: index, body
    helpers.bulk(es, [{"_index": "detections", "mac_address": ev.mac}])
    es.index(index="counts", document={"zone": ev.zone, "count": ev.n})
"""

OPENSEARCH = """
from opensearchpy import OpenSearch


def clear(ev):
    client = OpenSearch(hosts=[{"host": "search.city.example", "port": 9200}], use_ssl=False)
    client.update(index="people", id=ev.id, body={"doc": {"phone": ev.phone}})


def secure(ev):
    client = OpenSearch(hosts=[{"host": "search.city.example", "port": 443}], use_ssl=True)
    client.index(index="zones", body={"zone": ev.zone})


def local(ev):
    client = OpenSearch(hosts=["localhost:9200"])
    client.index(index="zones", body={"zone": ev.zone})
"""


def test_elasticsearch_documents_are_database_writes_and_verify_certs_is_a_tls_switch(scan):
    found = _by_rule(scan({"etl/es.py": ES}))
    writes = found["DH560"]
    assert [line for line, _ in writes] == [7, 8, 9]  # not the counts (no identifier)
    assert "an Elasticsearch index (es.city.example, index detections)" in writes[0][1]
    assert "index legacy" in writes[1][1]
    assert [line for line, _ in found["DH261"]] == [6]
    assert [line for line, _ in found["DH660"]] == [6]
    assert "DH260" not in found  # https


def test_opensearch_host_without_tls_is_cleartext(scan):
    found = _by_rule(scan({"etl/os.py": OPENSEARCH}))
    assert [line for line, _ in found["DH260"]] == [6]  # use_ssl=False; not 11 nor localhost
    assert "http://search.city.example" in found["DH260"][0][1]
    assert [line for line, _ in found["DH560"]] == [7]
    assert "an OpenSearch index (search.city.example, index people)" in found["DH560"][0][1]
    assert sorted(line for line, _ in found["DH660"]) == [6, 11]
