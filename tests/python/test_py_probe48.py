"""Flows the probe 48 (a city's open-data publishing pipeline: Snowflake and Postgres
extracts, pandas and geopandas, CKAN, Socrata, ArcGIS Online, a public S3 bucket) found
missed."""

from __future__ import annotations

GEOPANDAS = """
import geopandas as gpd
import pandas as pd


def monthly_geojson(out):
    raw = pd.read_csv("requests.csv")
    gdf = gpd.GeoDataFrame(
        raw[["category", "status"]],
        geometry=gpd.points_from_xy(raw["longitude"], raw["latitude"]),
        crs="EPSG:4326",
    )
    gdf.to_file(out, driver="GeoJSON")  # expect: DH563


def reprojected(out):
    raw = pd.read_csv("requests.csv")
    points = gpd.GeoSeries.from_xy(raw["lon"], raw["lat"], crs=4326)
    gpd.GeoDataFrame(raw[["category"]], geometry=points).to_crs(3857).to_file(out)  # expect: DH563


def to_postgis(engine):
    raw = pd.read_csv("requests.csv")
    points = gpd.points_from_xy(x=raw["longitude"], y=raw["latitude"])
    gdf = gpd.GeoDataFrame(raw[["category"]], geometry=points)
    gdf.to_postgis("requests", engine)  # expect: DH563


def rounded(out):
    raw = pd.read_csv("requests.csv")
    raw["latitude"] = raw["latitude"].round(3)
    raw["longitude"] = raw["longitude"].round(3)
    points = gpd.points_from_xy(raw["longitude"], raw["latitude"])
    gdf = gpd.GeoDataFrame(raw[["category"]], geometry=points)
    gdf.to_file(out, driver="GeoJSON")


def boardings_by_stop(out):
    taps = pd.read_csv("taps.csv")
    agg = taps.groupby(["stop_id", "stop_lat", "stop_lon"]).size().reset_index(name="n")
    agg = agg[agg["n"] >= 11]
    gdf = gpd.GeoDataFrame(agg, geometry=gpd.points_from_xy(agg["stop_lon"], agg["stop_lat"]))
    gdf.to_file(out)


def parcels(out):
    gdf = gpd.read_file("parcels.shp")
    gdf[["parcel_id", "owner_name"]].to_file(out)  # expect: DH560
"""


def test_geopandas_points_carry_their_coordinates_to_its_writers(assert_expected):
    # probe48 01: geopandas was not modelled: a GeoDataFrame built with points_from_xy of raw
    # coordinates and written by to_file (GeoJSON for a portal) or to_postgis was never a sink.
    # Now its readers are pandas' readers, its points carry the coordinate columns (rounded or
    # not) into the frame, and to_file/to_postgis are a file's and a database's writers.
    # Rounded points and a stops table's fixed places (no person in the rows) stay unreported.
    result = assert_expected(GEOPANDAS, select=("DH560", "DH563"))
    messages = " | ".join(f.message for f in result.active)
    assert "'longitude' (location), 'latitude' (location) leave to a file" in messages
    assert "leave to a database table (requests)" in messages
    assert "written to a file by DataFrame.to_file" in messages


SELECTED = """
from opendata.privacy import generalise_point
from opendata.warehouse import read_permits


def monthly(month, outdir):
    permits = read_permits("SELECT * FROM permits.issued", month=month)
    out = permits[["permit_no", "issued_on", "owner_name", "valuation"]]
    out.to_csv(outdir / "permits.csv", index=False)  # expect: DH560


def counts(month, outdir):
    permits = read_permits("SELECT * FROM permits.issued", month=month)
    permits[["permit_no", "permit_type", "valuation"]].to_csv(outdir / "types.csv")


def generalised(month, outdir):
    df = read_permits("SELECT * FROM permits.issued", month=month)
    df = generalise_point(df)
    out = df[["permit_no", "owner_name", "latitude", "longitude"]]
    out.to_csv(outdir / "points.csv", index=False)  # expect: DH560


def generalised_only(month, outdir):
    df = read_permits("SELECT * FROM permits.issued", month=month)
    df = generalise_point(df)
    df[["permit_no", "latitude", "longitude"]].to_csv(outdir / "points.csv", index=False)
"""


def test_columns_selected_from_a_table_returned_by_another_module(assert_expected):
    # probe48 02: a table returned by a function of another module (read_permits) is not
    # followed, so the columns its export selects by name were not known: the permit
    # owner's name went to the published CSV unreported. Now they are the table's, raw. A
    # table passed through such a function (df = generalise_point(df)) may have had its
    # coordinates rounded in place: only direct and device identifiers are taken from it.
    result = assert_expected(SELECTED, select=("DH560", "DH563"))
    assert all("'owner_name' (direct)" in f.message for f in result.active)


PORTALS = """
import pandas as pd
from arcgis.features import FeatureLayer
from arcgis.gis import GIS
from ckanapi import RemoteCKAN
from sodapy import Socrata

LAYER = "https://services.arcgis.com/city/arcgis/rest/services/Requests/FeatureServer/0"


def socrata(token):
    df = pd.read_csv("requests.csv")
    client = Socrata("data.example-city.org", token)
    rows = df[["case_id", "reporter_phone"]].to_dict(orient="records")
    client.upsert("abcd-1234", rows)  # expect: DH561, DH660
    own = Socrata("data.kcmo.org", token)
    own.replace("abcd-1234", df[["case_id", "category"]].to_dict(orient="records"))


def ckan(key):
    df = pd.read_csv("permits.csv")
    portal = RemoteCKAN("https://opendata.kcmo.gov", apikey=key)
    df[["permit_no", "owner_name"]].to_csv("out/permits.csv")  # expect: DH560
    with open("out/permits.csv", "rb") as fh:
        portal.action.resource_create(package_id="p", name="Permits", upload=fh)  # expect: DH561
    portal.action.package_show(id="permits")
    df[["permit_no", "permit_type"]].to_csv("out/types.csv")
    with open("out/types.csv", "rb") as fh:
        portal.action.resource_create(package_id="p", name="Types", upload=fh)


def arcgis_online(user, password):
    df = pd.read_csv("requests.csv")
    layer = FeatureLayer(LAYER, GIS("https://kcmo.maps.arcgis.com", user, password))
    adds = [{"attributes": {"category": r["category"]}} for _, r in df.iterrows()]
    layer.edit_features(adds=adds)  # expect: DH660
"""


def test_open_data_portal_clients_publish_to_their_hosts(assert_expected):
    # probe48 03: the portals' SDKs were not modelled: sodapy's Socrata(domain).upsert/replace,
    # ckanapi's RemoteCKAN(url).action.resource_create(upload=...)/datastore_upsert(records=...)
    # and the ArcGIS API's FeatureLayer(url).edit_features(adds=...)/gis.content.add(data=...)
    # sent nothing anywhere, so a portal not approved and the identifiers published to it had
    # no finding. Now each is a request to the portal's host carrying the records or the file
    # uploaded (the one the module wrote at that path). Approved hosts (data.kcmo.org,
    # opendata.kcmo.gov) with no identifier, and reads (package_show), are not reported.
    result = assert_expected(PORTALS, select=("DH560", "DH561", "DH660"))
    messages = " | ".join(f.message for f in result.active)
    assert "sent to the network (data.example-city.org) by socrata upsert" in messages
    assert "sent to the network (opendata.kcmo.gov) by ckan resource_create" in messages
    assert "arcgis edit_features reaches 'services.arcgis.com'" in messages


QUERIED = """
import logging
import textwrap

import requests

from opendata.warehouse import read_snowflake, run

log = logging.getLogger(__name__)

TAPS_SQL = '''
SELECT card_number, tap_ts, route_id, stop_id, fare_type
FROM OPS.TRANSIT.TAPS WHERE tap_ts::date = %(day)s
'''


def push_raw_taps(day):
    taps = read_snowflake(TAPS_SQL, {"day": day})
    requests.post(  # expect: DH561
        "https://api.city-approved-vendor.example/raw",
        json={"day": day, "taps": taps.to_dict(orient="records")},
        timeout=60,
    )


def routes(day):
    rows = read_snowflake(sql="SELECT route_id, count(*) AS n FROM OPS.TRANSIT.TAPS GROUP BY 1")
    requests.post("https://api.city-approved-vendor.example/routes", json=rows.to_dict("records"))


def logged(day):
    log.info(textwrap.dedent("SELECT card_number, tap_ts FROM OPS.TRANSIT.TAPS"))


def touch(day):
    done = run("UPDATE OPS.TRANSIT.LOADS SET done = true WHERE card_number IS NULL")
    requests.post("https://api.city-approved-vendor.example/done", json={"done": done})
"""


def test_a_function_of_another_module_given_a_select_returns_its_rows(assert_expected):
    # probe48 04: read_snowflake(TAPS_SQL, params), the warehouse helper of another module,
    # returned nothing known, so the card numbers its SELECT reads went to a vendor unreported.
    # A function not followed given a SELECT written in the code now returns the query's
    # columns, as an Airflow hook's get_records(sql) does. A SELECT of no identifier, a
    # statement that is no SELECT, and the standard library's textwrap.dedent(SELECT) (text,
    # logged) give nothing to report.
    result = assert_expected(QUERIED, select=("DH561", "DH565"))
    assert "'card_number' (direct)" in result.active[0].message
