"""classify_name: normalisation, hard negatives, policy extension and exclusion."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dhlint.identifiers import (
    CATEGORIES,
    IdentifierMatch,
    classify_name,
    confidence_of,
    names_a_thing,
    normalise,
    person_owner,
)
from dhlint.policy import default_policy, policy_from_mapping

POLICY = default_policy()


@pytest.mark.parametrize(
    ("name", "category", "matched"),
    [
        ("cust_email", "direct", "email"),
        ("CustomerEmail", "direct", "email"),
        ("e-mail", "direct", "email"),
        ("requester_name", "direct", "name"),
        ("firstName", "direct", "first_name"),
        ("LASTNAME", "direct", "last_name"),
        ("dob", "quasi", "birth_date"),
        ("DateOfBirth", "quasi", "birth_date"),
        ("home_addr", "direct", "street_address"),
        ("plate_no", "direct", "license_plate"),
        ("mac_addr", "device", "mac_address"),
        ("clientIPAddress", "device", "ip_address"),
        ("lat", "location", "latitude"),
        ("pickup_lng", "location", "longitude"),
        ("zip5", "quasi", "postal_code"),
        ("ph", "direct", "phone_number"),
        ("tel", "direct", "phone_number"),
        ("utility_account_no", "direct", "account_number"),
        ("transit_card_id", "direct", "transit_card"),
        ("rider_id", "direct", "person_id"),
        ("plate_image", "biometric", "plate_image"),
        ("Cust. Name", "direct", "name"),
        ("Téléphone", "direct", "phone_number"),
        ("requester.email", "direct", "email"),
        ("immigration_status", "special", "immigration_status"),
        ("public_assistance_flag", "quasi", "sensitive_attribute"),
        ("place_of_birth", "quasi", "sensitive_attribute"),
        # special categories (GDPR Art. 9/10) and HUD's HMIS exchange format's columns
        ("disability_type", "special", "disability"),
        ("religion", "special", "religion"),
        ("HIVAIDS", "special", "hiv_status"),
        ("SubstanceUseDisorder", "special", "substance_use"),
        ("MentalHealthDisorder", "special", "mental_health"),
        ("DisablingCondition", "special", "health_condition"),
        ("diagnosis_code", "special", "health_condition"),
        ("DomesticViolenceSurvivor", "special", "domestic_violence"),
        ("CurrentlyFleeing", "special", "domestic_violence"),
        ("dv_status", "special", "domestic_violence"),
        ("sexual_orientation", "special", "sexual_orientation"),
        ("criminal_history", "special", "criminal_history"),
        ("PersonalID", "direct", "personal_id"),
        # a browser's or phone's traits hashed for tracking: a device's, not a finger's
        ("device_fingerprint", "device", "device_fingerprint"),
        ("browserFingerprint", "device", "device_fingerprint"),
        ("fingerprint", "biometric", "fingerprint"),
        ("fingerprint_template", "biometric", "fingerprint"),
        ("client_fingerprint_template", "biometric", "fingerprint"),  # a client's finger
        ("device_fingerprint_minutiae", "biometric", "fingerprint"),
        # LoRaWAN's DevEUI (The Things Stack's dev_eui, ChirpStack's devEui): a meter's EUI-64
        ("dev_eui", "device", "device_eui"),
        ("devEui", "device", "device_eui"),
        ("DevEUI", "device", "device_eui"),
        ("deveui", "device", "device_eui"),
    ],
)
def test_identifiers(name: str, category: str, matched: str) -> None:
    match = classify_name(name, POLICY)
    assert match is not None, name
    assert (match.category, match.matched) == (category, matched)


@pytest.mark.parametrize(
    "name",
    [
        "devices",  # a count of them, as a BigQuery SELECT names it (probe23 min/07)
        "email_sent_count",
        "ip_version",
        "ip_protocol",
        "phone_type",
        "plate_type",
        "address_type",
        "file_name",
        "table_name",
        "street_name",
        "agency_name",
        "trip_id",
        "stop_lat",
        "server_ip",
        "request_age",
        "business_phone",
        "email_token",
        "masked_phone",
        "is_email_verified",
        "num_emails",
        "location_id",
        "parent_id",
        "ip_range",
        "zip_file_path",
        "hearing_aids",  # the words of a special category's phrase, not the phrase
        "conviction_date",
        "disability_count",
        "join_eui",  # LoRaWAN's JoinEUI/AppEUI: an application's, not a meter's
        "app_eui",
        "gateway_eui",  # the city's own radio
        "dev_eui_count",
        "",
    ],
)
def test_not_identifiers(name: str) -> None:
    assert classify_name(name, POLICY) is None


def test_confidence_axes() -> None:
    assert classify_name("email", POLICY) == IdentifierMatch("direct", "high", "email")
    # Unkeyed hashes are reversible by dictionary: still identifiers, with less certainty.
    assert classify_name("email_sha256", POLICY) == IdentifierMatch("direct", "medium", "email")
    assert classify_name("age_group", POLICY) == IdentifierMatch("quasi", "medium", "age")
    assert classify_name("user_agent", POLICY).confidence == "low"


def test_code_abbreviations_alone_are_medium() -> None:
    # fp, pid, acc, cc, eth, ph alone are mostly a file object, a process id, an accumulator,
    # a compiler, an interface, a pH: a column so named is still an identifier (medium), a
    # variable known only by its name is not (variables need high confidence).
    for name, concept in (("fp", "fingerprint"), ("pid", "person_id"), ("PID", "person_id"),
                          ("acc", "account_number"), ("cc", "card_number"),
                          ("ph", "phone_number")):  # fmt: skip
        match = classify_name(name, POLICY)
        assert (match.matched, match.confidence) == (concept, "medium"), name
    # In a longer name, or not among them, the abbreviation keeps its weight.
    for name in ("cust_fp", "owner_pid", "uid", "lp", "dl", "phone"):
        assert classify_name(name, POLICY).confidence == "high", name
    # A city that lists the abbreviation itself means it.
    policy = policy_from_mapping({"identifiers": {"direct": ["pid"]}}, "city.yaml")
    assert classify_name("pid", policy).confidence == "high"
    assert classify_name("fp", policy).confidence == "medium"


def test_a_bare_handle_is_medium_a_users_handle_high() -> None:
    # probe37 10: prompt_toolkit's console handle written to a debug log was a user name
    # (DH560). Alone, a handle is a file's, a window's or a callback's in code; a user's is
    # still one.
    match = classify_name("handle", POLICY)
    assert (match.matched, match.confidence) == ("username", "medium")
    assert classify_name("user_handle", POLICY).confidence == "high"
    assert classify_name("customer_handle", POLICY).confidence == "high"


def test_names_of_things_alone_are_medium_a_persons_high() -> None:
    # probe37 09: fname (a file's), fullname (a module's), client_name (a library client's),
    # member_name, req_name, raw_name were logged names of people (DH565). Alone they are
    # medium: a column of a table still counts, a variable known only by its name does not.
    for name in ("fname", "fullname", "full_name", "_full_name", "FullName", "client_name",
                 "clientName", "member_name", "req_name", "raw_name"):  # fmt: skip
        match = classify_name(name, POLICY)
        assert (match.category, match.confidence) == ("direct", "medium"), name
    for name in ("first_name", "customer_name", "customer_full_name", "user_name",
                 "requester_name", "last_name", "lname"):  # fmt: skip
        assert classify_name(name, POLICY).confidence == "high", name


def test_names_of_a_service_account_a_caller_and_a_shape_alone_are_medium() -> None:
    # s37 pyfn: dlt's client_email (a GCP service account's), caller_name (a calling
    # function's), pygeoapi's geometry (a generic feature's): alone medium, as client_name is;
    # a person's (customer_email, requester_name) or a coordinate's name keep high.
    for name in ("client_email", "clientEmail", "caller_name", "callerName", "geometry", "geom"):
        match = classify_name(name, POLICY)
        assert match is not None and match.confidence == "medium", name
    for name in ("customer_email", "requester_name", "caller_phone", "latitude", "the_geom"):
        match = classify_name(name, POLICY)
        assert match is not None and match.confidence == "high", name


def test_a_cloud_account_an_oauth_client_id_and_a_display_name_alone_are_medium() -> None:
    # s38 pyfn2: AWS's account_id (airflow's MWAA operator, awswrangler), a Snowflake account,
    # a Facebook ads account_id, an OAuth client_id (simple_salesforce) logged or sent were
    # reported by their variable's name. Alone medium: a column still counts, a variable known
    # only by its name does not; a person's account keeps high.
    # Home Assistant's devices, cameras and zones have a display_name as users do.
    for name in ("account", "account_id", "accountId", "AccountID", "account_name", "client_id",
                 "clientId", "display_name", "displayName"):  # fmt: skip
        match = classify_name(name, POLICY)
        assert match is not None and match.confidence == "medium", name
    for name in ("account_number", "customer_account_id", "driver_account_id", "utility_account",
                 "rider_id", "customer_id", "user_display_name"):  # fmt: skip
        match = classify_name(name, POLICY)
        assert match is not None and match.confidence == "high", name


def test_a_services_login_is_no_identifier() -> None:
    # s38 pyfn2: superset's IAM database user (db_username) logged: the login a program
    # connects with, a deployment's setting. A user's (app_username, username) keeps its match.
    for name in ("db_username", "smtp_username", "proxy_username", "database_username",
                 "service_account", "service_account_id", "sftp_username"):  # fmt: skip
        assert classify_name(name, POLICY) is None, name
    for name in ("username", "app_username", "customer_username", "login_name"):
        match = classify_name(name, POLICY)
        assert match is not None and match.matched == "username", name


def test_a_value_named_as_a_thing() -> None:
    for name in ("job", "self.task", "table", "host", "dag_file"):
        assert names_a_thing(name, POLICY), name
    for name in ("user", "customer", "row", "record", "value", "caregiver", ""):
        assert not names_a_thing(name, POLICY), name


def test_a_person_owner() -> None:
    for name in ("user", "customer", "cust", "app_user", "self.rider", "resident"):
        assert person_owner(name, POLICY), name
    for name in ("client", "self", "ext", "member", "worker", "rows", "module", ""):
        assert not person_owner(name, POLICY), name


def test_plurals_and_compound_roles_classify_as_their_words() -> None:
    # probe43 P4 (min/09): plurals of special categories were "none" while the singulars were
    # special (direct identifiers' plurals were listed one by one); a caregiver's name and a
    # home's street were not personal; phone_numbers was low while phones was high.
    expected = {
        "medications": ("special", "health_condition"),
        "medical_conditions": ("special", "health_condition"),
        "health_conditions": ("special", "health_condition"),
        "diagnoses": ("special", "health_condition"),
        "disabilities": ("special", "disability"),
        "caregiver_name": ("direct", "name"),
        "caretaker_phone": ("direct", "phone_number"),
        "home_street": ("direct", "street_address"),
        "resident_apt": ("direct", "street_address"),
        "phone_numbers": ("direct", "phone_number"),
    }
    for name, (category, matched) in expected.items():
        match = classify_name(name, POLICY)
        assert match is not None, name
        assert (match.category, match.matched, match.confidence) == (category, matched, "high")
    assert person_owner("caregiver", POLICY)
    # a bare concept's plural alone is a count; a thing's street and a placeholder's name are
    # not a person's; words ending in s that are no plural stay as they are
    for name in ("devices", "locations", "street", "street_name", "placeholder_name", "status"):
        assert classify_name(name, POLICY) is None, name


def test_a_grid_cell_is_no_phone_and_a_bare_cell_is_ambiguous() -> None:
    # probe29 min/01: a geohash heat map's ``cell`` was read as a phone number.
    for name in ("geohash_cell", "h3_cell", "H3Cell", "s2_cell", "grid_cell", "heatmap_cell",
                 "geohashCell", "table_cell", "grid_cell_number"):  # fmt: skip
        assert classify_name(name, POLICY) is None, name
    # Alone it is as often a grid's, a sheet's or a tower's: low, reported by no rule alone.
    assert classify_name("cell", POLICY) == IdentifierMatch("direct", "low", "phone_number")
    for name in ("cell_phone", "cell_number", "cellphone", "mobile", "home_cell", "customerCell"):
        assert classify_name(name, POLICY) == IdentifierMatch("direct", "high", "phone_number")
    # A city that lists the word itself means it; ``address2`` keeps dropping its digit.
    policy = policy_from_mapping({"identifiers": {"direct": ["cell"]}}, "city.yaml")
    assert classify_name("cell", policy).confidence == "high"
    assert normalise("address2", POLICY) == ["address"]


def test_a_cell_where_a_trip_starts_or_ends_is_a_grid_cell() -> None:
    # probe35 min/01: an origin-destination table of H3 hexagons (``start_cell``, ``end_cell``)
    # was read as phone numbers.
    for name in ("start_cell", "end_cell", "origin_cell", "orig_cell", "dest_cell",
                 "destination_cell", "pickup_cell", "dropoff_cell", "from_cell", "to_cell",
                 "StartCell", "pickupCell", "endcell", "trip_start_cell"):  # fmt: skip
        assert classify_name(name, POLICY) is None, name
    for name in ("cell_phone", "cell_number", "cellphone", "mobile", "home_cell", "rider_cell"):
        assert classify_name(name, POLICY) == IdentifierMatch("direct", "high", "phone_number")
    assert classify_name("cell", POLICY) == IdentifierMatch("direct", "low", "phone_number")
    # An SMS sender's or recipient's number, a phone said in full, a mobile: still phones.
    for name in ("from_cell_number", "to_cell_phone", "start_cell_phone", "to_mobile"):
        assert classify_name(name, POLICY).matched == "phone_number", name


def test_a_face_of_a_thing_is_no_face() -> None:
    # probe38 min/03: a street block's face (block_face, the unit of curb and parking data), a
    # curb's, a font's (typeface) or a price (face_value) was a biometric face image (high).
    for name in ("block_face", "blockFace", "block_face_id", "curb_face", "typeface",
                 "face_value", "faceValue", "clock_face", "street_face"):  # fmt: skip
        assert classify_name(name, POLICY) is None, name
    for name in ("face", "face_image", "face_embedding", "face_crop", "face_photo", "face_id",
                 "user_face", "driver_face", "face_template", "FaceImage"):  # fmt: skip
        assert classify_name(name, POLICY) == IdentifierMatch("biometric", "high", "face_image")


def test_normalise() -> None:
    assert normalise("custDOB", POLICY) == ["customer", "birth", "date"]
    assert normalise("EmailAddress1", POLICY) == ["email", "address"]
    assert normalise("firstname", POLICY) == ["first", "name"]


def test_normalise_reads_special_words_and_paths() -> None:
    # versions, digests and E.164 as their words, in any case; the last part of a path
    assert normalise("client_ipv4", POLICY) == ["client", "ip"]
    assert normalise("PhoneE164", POLICY) == ["phone", "e"]
    assert normalise("emailSHA256", POLICY) == ["email", "sha"]
    assert normalise("email_md5", POLICY) == ["email", "md"]
    assert normalise("record->>email", POLICY) == ["email"]
    assert normalise("db.users.email", POLICY) == ["email"]


def test_normalise_splits_glued_words_whole() -> None:
    # the fewest known words that make the whole word; a word they cannot all make is kept
    assert normalise("streetaddressline", POLICY) == ["street", "address", "line"]
    assert normalise("lastnamesuffix", POLICY) == ["last", "name", "suffix"]
    assert normalise("homeaddressxq", POLICY) == ["homeaddressxq"]
    assert normalise("xqzwvkjhab", POLICY) == ["xqzwvkjhab"]


def test_policy_extends_and_excludes() -> None:
    policy = policy_from_mapping(
        {
            "identifiers": {"direct": ["hotlist_entry"], "quasi": ["tenure"]},
            "not_identifiers": ["requester_name", "*_zip"],
        },
        "city.yaml",
    )
    assert classify_name("hotlist_entry", POLICY) is None
    assert classify_name("alpr_hotlist_entry", policy).category == "direct"
    assert classify_name("HotlistEntry", policy).matched == "hotlist_entry"
    assert classify_name("tenure_years", policy).category == "quasi"
    assert classify_name("requester_name", policy) is None
    assert classify_name("home_zip", policy) is None
    assert classify_name("requester_name", POLICY) is not None
    # The default policy's results are unchanged (caches are per policy hash).
    assert classify_name("home_zip", POLICY).category == "quasi"


def test_cached_confidences_are_per_policy() -> None:
    # The Python pre-filter's run-wide cache: each policy answers from its own.
    policy = policy_from_mapping(
        {"identifiers": {"direct": ["hotlist_entry"]}, "not_identifiers": ["home_zip"]}, "city.yaml"
    )
    default, city = confidence_of(POLICY), confidence_of(policy)
    for _ in range(2):  # the second time from the caches
        assert default("hotlist_entry") is None and city("hotlist_entry") == "high"
        assert default("home_zip") == classify_name("home_zip", POLICY).confidence
        assert city("home_zip") is None
        assert default("row_count") is None


def test_city_can_file_a_builtin_term_under_another_category() -> None:
    policy = policy_from_mapping({"identifiers": {"direct": ["vehicle_id"]}}, "city.yaml")
    assert classify_name("vehicle_id", POLICY).category == "device"
    assert classify_name("vehicle_id", policy) == IdentifierMatch("direct", "high", "vehicle_id")
    # Listing a default under its own category changes nothing.
    same = policy_from_mapping({"identifiers": {"quasi": ["zip"]}}, "city.yaml")
    assert classify_name("business_zip", same) is None
    assert classify_name("home_zip", same) == classify_name("home_zip", POLICY)


def test_a_policy_term_holding_a_protected_word_is_an_identifier() -> None:
    # s32 h6 #4: a city's term with a word that names a remedy in other names (OCPP 2.0.1's
    # id_token: "token") was dropped as a protected form; the term is the city's own: in it
    # the word names the identifier. Elsewhere the word still protects.
    policy = policy_from_mapping({"identifiers": {"direct": ["id_token"]}}, "city.yaml")
    assert classify_name("idToken", policy) == IdentifierMatch("direct", "high", "id_token")
    assert classify_name("driver_id_token", policy).category == "direct"
    assert classify_name("id_token", POLICY) is None
    assert classify_name("email_token", policy) is None
    assert classify_name("masked_id_token", policy) is None  # masked: still the remedy


def test_a_policy_listing_a_weak_builtin_term_counts_it_in_full() -> None:
    """household_size alone says little (low); a policy that lists it (the default one does)
    counts it as any listed term, its other phrases (income) staying weak."""
    assert classify_name("household_size", POLICY) == IdentifierMatch(
        "quasi", "high", "household_size"
    )
    assert classify_name("household_income", POLICY).confidence == "low"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_never_raises(name: str) -> None:
    match = classify_name(name, POLICY)
    assert match is None or match.category in CATEGORIES


def test_trigger_words_cover_every_labelled_identifier() -> None:
    """A pre-filter built on trigger_words never drops a name the classifier would match."""
    import csv
    import re
    from pathlib import Path

    from dhlint.identifiers import trigger_words

    words = trigger_words(POLICY)
    assert {"email", "dob", "lat", "plate", "mac", "zip"} <= words
    labels = Path(__file__).with_name("labelled_columns.csv")
    with labels.open(encoding="utf-8") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    for name in names:
        if classify_name(name, POLICY) is None:
            continue
        lowered = re.sub(r"[^a-z]", " ", name.lower())
        assert any(w in lowered for w in words), name


def test_every_default_policy_term_classifies_as_its_category() -> None:
    for category, names in POLICY.identifiers.items():
        for name in names:
            match = classify_name(name, POLICY)
            assert match is not None and match.category == category, (name, match)


def test_fixed_places_and_protected_keys() -> None:
    from dhlint.identifiers import fixed_place, protected_key

    # a fixed place's coordinate: what it would be without the infrastructure word, medium
    for name, matched in (("stop_lat", "latitude"), ("ap_lon", "longitude")):
        assert classify_name(name, POLICY) is None
        place = fixed_place(name, POLICY)
        assert place is not None and (place.category, place.matched) == ("location", matched)
        assert place.confidence == "medium"
    for name in ("trip_lat", "stop_id", "station_name", "stop_lat_count", "lat_token"):
        assert fixed_place(name, POLICY) is None, name
    # the protected form of a person's or device's identifier, not of a credential
    for name in ("card_token", "rider_pseudonym", "device_token", "masked_phone"):
        assert protected_key(name, POLICY), name
    for name in ("csrf_token", "api_token", "token", "card_number", "trip_token"):
        assert not protected_key(name, POLICY), name


def test_fixed_places_and_protected_keys_are_kept_by_name() -> None:
    # Asked of every column of every sink by the location rule: each name is judged once per
    # policy, and a name asked again gives what the first question gave.
    from dhlint.identifiers import _taxonomy

    taxonomy = _taxonomy(POLICY)
    names = ("stop_lat", "trip_lat", "card_token", "api_token", "x_stop_lon_y")
    first = [(taxonomy.fixed_place(n), taxonomy.protected_key(n)) for n in names]
    assert first == [(taxonomy._fixed_place(n), taxonomy._protected_key(n)) for n in names]
    judged = []
    fixed, protected = taxonomy._fixed_place, taxonomy._protected_key
    taxonomy._fixed_place = lambda n: judged.append(n) or fixed(n)  # type: ignore[method-assign]
    taxonomy._protected_key = lambda n: judged.append(n) or protected(n)  # type: ignore[method-assign]
    try:
        again = [(taxonomy.fixed_place(n), taxonomy.protected_key(n)) for n in names]
    finally:
        del taxonomy._fixed_place, taxonomy._protected_key
    assert again == first and judged == []


def test_fixed_place_test_agrees_with_fixed_place() -> None:
    # The pre-filter's cached test skips names without a location word's trigger: it must
    # never skip one that fixed_place matches.
    from dhlint.identifiers import fixed_place, fixed_place_test
    from tests.identifiers.test_labelled_columns import load_labels

    test = fixed_place_test(POLICY)
    names = [name for name, _, _ in load_labels()]
    names += ["stop_long", "station_geo_x", "ap_coords", "sensor_geom", "kiosk_plus_code"]
    names += ["dock_latlng", "sensor_northing", "stopLatitude", "stoplat", "tower_gps"]
    assert any(fixed_place(n, POLICY) for n in names)
    for name in names:
        assert test(name) == (fixed_place(name, POLICY) is not None), name


def test_a_name_the_policy_lists_wins_over_the_protected_form_word() -> None:
    # probe44 P4 (min/11): a city listing device_token and push_token as device identifiers
    # (a phone's push address) and apns_token as direct got "none" for each: the built-in
    # reading of "token" (a protected form) overrode the city's own list.
    policy = policy_from_mapping(
        {"identifiers": {"device": ["device_token", "push_token"], "direct": ["apns_token"]}},
        "city.yaml",
    )
    found = {
        name: (m.category, m.confidence) if (m := classify_name(name, policy)) else None
        for name in (
            "device_token", "pushToken", "apns_token", "parent_device_token",
            "masked_device_token", "card_token", "student_token",
        )
    }  # fmt: skip
    assert found == {
        "device_token": ("device", "high"),
        "pushToken": ("device", "high"),
        "apns_token": ("direct", "high"),
        "parent_device_token": ("device", "medium"),
        "masked_device_token": None,  # another protected word the list does not hold
        "card_token": None,
        "student_token": None,
    }
    # Without the city's list the built-in reading stands.
    assert classify_name("device_token", default_policy()) is None
