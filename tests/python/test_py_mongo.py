"""MongoDB clients (pymongo, Motor): documents written to a collection are database writes
(DH560), the server an endpoint (DH260 in clear, DH660 unapproved)."""

from __future__ import annotations

from tests.conftest import rule_lines as _lines

MONGO = """
from pymongo import MongoClient


def save(ev):
    client = MongoClient("mongodb://mongo.city.example:27017/")
    client.ped.detections.insert_one({"mac_address": ev.mac, "zone": ev.zone})
    client["ped"]["zones"].update_one({"_id": ev.id}, {"$set": {"phone": ev.phone}})
    client.ped.counts.insert_one({"zone": ev.zone, "n": ev.n})


def save_tls(ev):
    srv = MongoClient("mongodb+srv://cluster0.city.example/")
    srv.get_database("ped").get_collection("people").insert_many([{"email": ev.email}])
    query = MongoClient("mongodb://db.city.example/?tls=true")
    query.ped.people.replace_one({"_id": ev.id}, {"email": ev.email})
    keyword = MongoClient("db.city.example", 27017, tls=True)
    keyword.ped.people.insert_one(document={"email": ev.email})
    local = MongoClient("localhost", 27017)
    local.ped.cache.insert_one({"email": ev.email})
"""


def test_mongodb_collections_are_databases_and_mongodb_scheme_is_cleartext(scan):
    result = scan({"etl/mongo.py": MONGO})
    assert _lines(result, "DH560") == [7, 8, 14, 16, 18, 20]  # not the counts
    first = next(f for f in result.active if f.rule_id == "DH560")
    assert "a MongoDB database (mongo.city.example, collection ped.detections)" in first.message
    assert _lines(result, "DH260") == [6]  # TLS by +srv, ?tls=true, tls=True; local
    assert _lines(result, "DH660") == [6, 13, 15, 17]
