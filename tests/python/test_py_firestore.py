"""Firestore (google.cloud.firestore, firebase_admin): a collection's ``add`` and a document's
``set``/``create``/``update``, also through a batch, store documents in a database, named by
their collection, as a MongoDB collection's writes do (DH560 identifiers, DH563 coordinates)."""

from __future__ import annotations

CODE = """
import firebase_admin
from firebase_admin import firestore
from google.cloud import firestore as gfs

firebase_admin.initialize_app()
db = firestore.client()


def save(body, rid, lat, lon):
    db.collection("reports").add({"category": body["category"], "latitude": lat, "longitude": lon})
    db.collection("reporters").document(rid).set({"phone": body["phone"]}, merge=True)
    db.collection("public_map").document(rid).set({"lat": round(lat, 3), "lon": round(lon, 3)})
    db.collection("reporters").document(rid).update({"email": body["email"]})
    db.document("reporters/" + rid).collection("notes").document().set({"status": "new"})
    batch = db.batch()
    batch.set(db.collection("contacts").document(rid), {"email": body["email"]})
    batch.commit()
    client = gfs.Client()
    client.collection("audit").add({"reporter_token": rid, "action": "create"})
    ref = client.document("cases", rid)
    ref.create(document_data={"phone": body["phone"]})
    return ref.get().to_dict()
"""


def _found(result) -> list[tuple[str, int, str]]:
    return [(f.rule_id, f.location.start_line, f.message) for f in result.active]


def test_firestore_writes_are_database_sinks(scan):
    found = _found(scan({"intake/store.py": CODE}))
    # Not: rounded coordinates (public_map), a status, a keyed token and an action (audit).
    assert [(rule, line) for rule, line, _ in found] == [
        ("DH563", 11),
        ("DH560", 12),
        ("DH560", 14),
        ("DH560", 17),
        ("DH560", 22),
    ]
    tables = [m.split("database table (")[1].split(")")[0] for _, _, m in found]
    assert tables == ["reports", "reporters", "reporters", "contacts", "cases"]
    assert "firestore.create" in found[-1][2]
