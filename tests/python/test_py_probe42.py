"""What the probe 42 (EV charging and smart parking on GCP: OCPP over websockets, FastAPI,
BigQuery, Redis) found the Python analysis missed or misread."""

from __future__ import annotations

from dhlint.analysis import BuildEnv
from dhlint.models.python import build_models
from dhlint.policy import default_policy
from dhlint.types import SourceFile
from tests.python.test_py_speed_equivalence import _hits


def _prefilter_keeps(files: dict[str, str]) -> None:
    """The pre-filter lets each file through: its facts and hits are the full analysis's."""
    policy = default_policy()
    sources = [SourceFile(p, f"/r/{p}", "python", t) for p, t in files.items()]
    filtered = build_models(sources, BuildEnv(policy=policy, root="/r"))
    full = build_models(
        sources, BuildEnv(policy=policy, root="/r", options={"python_full_analysis": True})
    )
    for before, after in zip(full.models, filtered.models, strict=True):
        assert after.analysed, after.path
        for kind in ("sinks", "endpoints", "tls"):
            assert getattr(after, kind) == getattr(before, kind), (before.path, kind)
    assert _hits(filtered.models) == _hits(full.models)


WEBSOCKETS = """
import json
import os

import aiohttp
import websocket
import websockets
from websocket import create_connection
from websockets.sync.client import connect

FEED = os.environ.get("FEED_URL", "wss://feed.ads.example/x")

async def a(session: dict):
    async with websockets.connect("ws://ads.example/ocpp") as ws:  # expect: DH260, DH660
        await ws.send(json.dumps({"vin": session["vin"]}))  # expect: DH561

async def b(session: dict):
    async with aiohttp.ClientSession() as s:
        async with s.ws_connect("ws://ads.example/x") as ws:  # expect: DH260, DH660
            await ws.send_json({"vin": session["vin"]})  # expect: DH561
            await ws.send_str(session["kwh"])

def c(session: dict):
    ws = create_connection("ws://ads.example/x")  # expect: DH260, DH660
    ws.send(json.dumps({"vin": session["vin"]}))  # expect: DH561

async def d(rec):
    ws = await websockets.connect(FEED)  # expect: DH660
    await ws.send(json.dumps({"email": rec["email"]}))  # expect: DH561

def e(rec):
    with connect("wss://csms.city.gov/x") as ws:
        ws.send(json.dumps({"phone": rec["phone"]}))  # expect: DH561
        ws.send(json.dumps({"kwh": rec["kwh"]}))

def f(rec):
    ws = websocket.WebSocket()
    ws.connect("ws://10.0.0.4/x")  # expect: DH260
    ws.send_text(rec["phone"])  # expect: DH561
    app = websocket.WebSocketApp("ws://localhost:9000/")
    app.send(json.dumps({"station": rec["station_id"]}))
"""


def test_websocket_clients_are_endpoints_and_their_sends_network_sinks(assert_expected):
    # probe42 #1 (min/01): websockets.connect("ws://..."), aiohttp's ws_connect and
    # websocket-client's create_connection were no endpoints and their sends no sinks: OCPP
    # (websocket-only) sent a VIN over ws:// to an unapproved host without a finding.
    result = assert_expected(WEBSOCKETS, policy={"approved_vendors": ["*.city.gov"]})
    lines = WEBSOCKETS.splitlines()
    sent = {
        lines[f.location.start_line - 1].split("  #")[0].strip(): f.message
        for f in result.active
        if f.rule_id == "DH561"
    }
    first = sent['await ws.send(json.dumps({"vin": session["vin"]}))']
    assert "websockets.connect().send" in first and "(ads.example)" in first
    assert (
        "$FEED_URL" in sent['await ws.send(json.dumps({"email": rec["email"]}))']
    )  # the URL's variable goes with the socket to its sends


def test_prefilter_lets_websocket_clients_through():
    _prefilter_keeps(
        {
            "ws_send_json.py": (
                "import websocket\n\n"
                "def f(rec, url):\n"
                "    ws = websocket.create_connection(url)\n"
                "    ws.send_binary(rec['phone'])\n"
            ),
            "ws_aiohttp.py": (
                "import aiohttp\n\n"
                "async def f(rec):\n"
                "    async with aiohttp.ClientSession() as s:\n"
                "        async with s.ws_connect(URL) as ws:\n"
                "            await ws.send_json({'vin': rec['vin']})\n"
            ),
        }
    )


REDIS = """
import json
import os

import redis
from redis.asyncio import from_url

cache = redis.Redis(host="10.0.0.9", port=6379)
remote = redis.StrictRedis("cache.ads.example", 6379, ssl=True)  # expect: DH660
local = redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0"))

def remember(driver):
    record = json.dumps({"email": driver["email"]})
    cache.set(f"driver:{driver['driver_account_id']}", record)  # expect: DH560
    cache.hset("plates", driver["license_plate"], driver["email"])  # expect: DH560
    cache.hset("d", mapping={"vin": driver["vin"]})  # expect: DH560
    pipe = cache.pipeline()
    pipe.setex("s", 60, driver["phone"])  # expect: DH560
    pipe.execute()
    cache.set("visits", driver["visits"])
    cache.get(driver["email"])
    remote.lpush("q", driver["name"], driver["plate_number"])  # expect: DH560

async def announce(driver):
    r = from_url("rediss://cache.city.gov")
    await r.publish("drivers", driver["email"])  # expect: DH560
    await local.xadd("s", {"vin": driver["vin"]})  # expect: DH560
"""


def test_redis_writes_are_database_sinks_and_its_server_an_endpoint(assert_expected):
    # probe42 #4 (min/03): raw e-mail, plate and VIN cached in Redis (set, hset...) gave no
    # finding: redis-py was no sink. Its server is judged as a host as a Kafka broker is.
    result = assert_expected(
        REDIS, select=("DH5", "DH6"), policy={"approved_vendors": ["*.city.gov"]}
    )
    messages = [f.message for f in result.active if f.rule_id == "DH560"]
    assert any("a Redis database (10.0.0.9, key plates) by redis.hset" in m for m in messages)
    assert any("(cache.ads.example, key q)" in m for m in messages)


def test_prefilter_lets_redis_clients_through():
    _prefilter_keeps(
        {
            "redis_hset.py": (
                "import redis\n\n"
                "r = redis.Redis(host='cache.ads.example')\n\n"
                "def f(rec):\n"
                "    r.hset('plates', rec['license_plate'], 1)\n"
            ),
        }
    )


TLS = """
import os
import ssl

import aiohttp
import asyncpg
import pymongo
import redis
from redis import Redis
from redis.asyncio import from_url

a = redis.Redis(host="cache.example", port=6379, ssl=False)  # expect: DH260
b = redis.from_url("redis://cache.example:6379/0")  # expect: DH260
c = redis.Redis(host=os.environ["REDIS_HOST"], port=6379, ssl=False)  # expect: DH260
d = redis.Redis(host=os.environ["REDIS_HOST"], port=6378, ssl=True)
e = Redis(host="localhost", ssl=False)
f = redis.Redis(host="10.0.0.9")  # expect: DH260
g = Redis("cache.city.gov", 6380, ssl=True, ssl_cert_reqs=None)  # expect: DH261
h = redis.Redis(host="cache.city.gov", ssl=True, ssl_cert_reqs="none")  # expect: DH261
i = from_url("rediss://cache.city.gov:6380/0?ssl_cert_reqs=none")  # expect: DH261
j = redis.Redis(host="cache.city.gov", ssl=True, ssl_cert_reqs=ssl.CERT_NONE)  # expect: DH261
k = from_url("rediss://cache.city.gov:6380/0")
m = redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0"))
n = pymongo.MongoClient("mongo.city.gov", ssl=False)  # expect: DH260

async def q():
    await asyncpg.connect(host="pg.city.gov", ssl=False)  # expect: DH260
    async with aiohttp.ClientSession() as s:
        await s.get("https://x.city.gov", ssl=False)  # expect: DH261
"""


def test_ssl_false_of_redis_pymongo_asyncpg_is_cleartext_not_unverified(assert_expected):
    # probe42 #5 (min/02): redis.Redis(ssl=False) was DH261 "certificate verification is
    # switched off": redis-py's ssl=False (its default) is no TLS at all, a cleartext channel
    # (DH260) to a host other than this machine, as redis:// is; rediss:// is TLS, and
    # ssl_cert_reqs=None is the certificate check switched off. pymongo's and asyncpg's
    # ssl=False turn TLS off too; aiohttp's turns the check off (DH261, as before).
    result = assert_expected(TLS, select=("DH26",))
    lines = TLS.splitlines()
    said = {lines[f.location.start_line - 1][:2]: f.message for f in result.active}
    assert said["a "] == "redis.Redis uses a cleartext channel (redis://cache.example)"
    assert said["c "] == "redis.Redis uses a cleartext channel (ssl=False)"
    assert "ssl_cert_reqs none" in said["g "]


def test_ocpp_id_tag_is_a_direct_identifier(assert_expected):
    # probe42 (minor): OCPP 1.6's idTag is the RFID card a driver charges with, as a transit
    # card is: a direct identifier in the default taxonomy. (OCPP 2.0.1's idToken is not: a
    # name ending in "token" names a keyed token, the remedy, as email_token does, or OpenID
    # Connect's id_token; a city lists it itself: see the next test.)
    from dhlint.identifiers import classify_name

    policy = default_policy()
    for name in ("id_tag", "idTag", "IdTag"):
        match = classify_name(name, policy)
        assert match is not None and match.category == "direct", name
    code = """
import json
import websockets

async def relay(session: dict):
    async with websockets.connect("wss://csms.city.gov/ocpp") as ws:
        await ws.send(json.dumps({"idTag": session["idTag"], "kwh": 1}))  # expect: DH561
"""
    result = assert_expected(code, policy={"approved_vendors": ["*.city.gov"]})
    assert "'idTag' (direct)" in result.active[0].message


def test_ocpp_id_token_listed_by_a_city_is_a_direct_identifier(assert_expected):
    # s32 h6 #4: OCPP 2.0.1's idToken (the RFID card's id, {"idToken": ..., "type":
    # "ISO14443"}) shares its name with OpenID Connect's id_token (a signed credential), and a
    # "token" word names the remedy (email_token): the default taxonomy cannot tell them
    # apart, so it lists neither (README, rules/policy.yaml). A city with OCPP code lists
    # id_token itself; that was silently dropped (the protected word cleared the city's own
    # term), now a term the policy lists is judged with its protected word, so idToken,
    # id_token and driver_id_token are direct, and email_token or access_token stay clear.
    from dhlint.identifiers import classify_name
    from dhlint.policy import policy_from_mapping

    city = {"approved_vendors": ["*.city.gov"], "identifiers": {"direct": ["id_token"]}}
    policy = policy_from_mapping(city, "dhlint.yaml")
    for name in ("id_token", "idToken", "IdToken", "driver_id_token"):
        match = classify_name(name, policy)
        assert match is not None and match.category == "direct", name
        assert classify_name(name, default_policy()) is None, name
    for name in ("email_token", "access_token", "token", "masked_id"):
        assert classify_name(name, policy) is None, name
    code = """
import json
import logging
import websockets
log = logging.getLogger(__name__)

async def relay(event: dict):
    async with websockets.connect("wss://csms.city.gov/ocpp") as ws:
        token = {"idToken": event["idToken"], "type": "ISO14443"}
        await ws.send(json.dumps([2, "42", "Authorize", {"idToken": token}]))  # expect: DH561
    log.info("authorised %s", event["id_token"])  # expect: DH565
"""
    result = assert_expected(code, policy=city)
    assert "'idToken' (direct)" in result.active[0].message
    unlisted = code.replace("# expect: DH561", "").replace("# expect: DH565", "")
    assert_expected(unlisted, policy={"approved_vendors": ["*.city.gov"]})


OCPP_POINT = """
import asyncio

import websockets
from ocpp.v16 import ChargePoint as cp
from ocpp.v16 import call


class ChargePoint(cp):
    async def authorize(self, tag):
        return await self.call(call.Authorize(id_tag=tag.id_tag))  # expect: DH561

    async def boot(self):
        await self.call(call.BootNotification(charge_point_model="M1", charge_point_vendor="V"))


async def main(tag, session):
    url = "ws://csms.vendor.example/ocpp/CP1"
    async with websockets.connect(url) as ws:  # expect: DH260, DH660
        point = ChargePoint("CP1", ws)
        await asyncio.gather(point.start(), point.authorize(tag), point.boot())
        stop = call.StopTransaction(meter_stop=1, id_tag=session["id_tag"], transaction_id=2)
        await point.call(stop)  # expect: DH561
"""


def test_ocpp_charge_point_calls_send_to_its_central_system(assert_expected):
    # s33 h5 #2: ocpp's ChargePoint sends each call(payload) over the websocket it was built
    # on; the payload (call.Authorize(id_tag=...)) was an unknown library value and
    # self.call an unknown method, so the card's id_tag sent to the vendor's central system
    # was never judged. Now the payload is a message of its keyword fields and the call a
    # network send to the host of the ChargePoint's connection (ChargePoint("CP1", ws)), from
    # a method (self.call) or outside (point.call); a message of no personal field is clear.
    result = assert_expected(OCPP_POINT)
    sent = [f.message for f in result.active if f.rule_id == "DH561"]
    assert len(sent) == 2 and all(
        "(csms.vendor.example) by ocpp.ChargePoint.call" in m for m in sent
    )
    assert "'id_tag' (direct)" in sent[0]
    # v2.0.1, the connection unknown (built elsewhere): still a send to the network
    v201 = """
from ocpp.v201 import ChargePoint as BaseChargePoint
from ocpp.v201 import call


class Station(BaseChargePoint):
    async def started(self, event):
        await self.call(call.TransactionEvent(event_type="Started", vin=event.vin))  # expect: DH561
"""
    result = assert_expected(v201)
    assert "'vin' (direct) sent to the network by ocpp.ChargePoint.call" in result.active[0].message
    # a class named ChargePoint that is not ocpp's: its call is not a send
    mine = v201.replace(
        "from ocpp.v201 import ChargePoint as BaseChargePoint", "class BaseChargePoint:\n    pass"
    )
    assert_expected(mine.replace("  # expect: DH561", ""))
    _prefilter_keeps({"station.py": v201, "point.py": OCPP_POINT})
