"""Classify a column or field name as a personal identifier, from the policy's taxonomy.

``classify_name("cust_email", policy)`` -> ``IdentifierMatch("direct", "high", "email")``;
``classify_name("email_sent_count", policy)`` -> ``None``.

How a name is judged:

1. **Normalise** it into word tokens: camelCase, snake_case, kebab-case, spaces and dots are
   split, digits dropped (``zip5``, ``address_line_1``), glued words segmented
   (``firstname``, ``ipaddress``) and abbreviations expanded (``dob``, ``addr``, ``tel``,
   ``lat``/``lng``, ``acct``, ``cust``, ``plate_no``).
2. **Find the head concept**: the taxonomy phrase that ends furthest right (ties: the longest),
   so ``home_address_zip`` is a postal code and ``email_address`` an email.
3. **Judge the words around it**. Words after the concept such as ``count``, ``type``,
   ``flag``, ``version``, ``domain``, ``sent_at`` describe something else about the identifier
   (``email_sent_count``, ``ip_version``, ``phone_type``): no match. Words such as ``number``,
   ``raw``, ``primary`` keep it. Ambiguous concepts (``name``, ``address``, ``age``,
   ``location``) need a person word or nothing in front: ``requester_name`` is a person's name,
   ``street_name``, ``file_name`` and ``agency_name`` are not; ``incident_address`` is a street
   address, ``business_address`` and ``server_address`` are not.
4. **Protected forms are not identifiers**: ``email_token``, ``masked_phone``,
   ``encrypted_ssn`` name the remedy (keyed tokenisation, masking, encryption). Unkeyed
   *hashes* (``email_hash``, ``hashed_mac``) still are: a dictionary of all plates or phone
   numbers reverses them (policy clause DHP-3.2); they match with medium confidence. A card
   number's last four digits (``card_last4``) are the masking PCI DSS allows: not the number.

Decisions on hard cases (kept in ``tests/identifiers/labelled_columns.csv``):

- identifiers of non-person things are not identifiers: ``trip_id``, ``case_number``,
  ``sensor_id``, ``station_name``, ``parking_meter_id``; identifiers keyed to a person are
  direct identifiers (``customer_id``, ``rider_id``, ``account_number``), to a vehicle or
  device are device identifiers (``vehicle_id``, ``bike_id``, ``device_id``, ``toll_tag_id``);
- contact details of organisations are not personal (``business_phone``, ``agency_email``);
- coordinates of fixed infrastructure (``stop_lat``, ``sensor_longitude``) are not personal
  locations; coordinates of events, trips and cameras are (``fixed_place`` gives what the
  former would be in rows keyed to a person: a card's taps at stops, for DH563);
- names of things in code as often as of people (``fname``, ``fullname``, ``client_name``) and
  code abbreviations (``fp``, ``pid``) alone are medium: a table's column so named counts, a
  variable known only by its name does not, unless it is read from a person
  (``customer["full_name"]``, ``user.fullname``: ``person_owner``);
- generalised values are still what they generalise (``age_group`` is a quasi-identifier,
  ``lat_rounded`` a location) with lower confidence: whether they are generalised enough is
  judged from values (datasets) or transforms (Python), not from the name.

The policy's ``identifiers`` lists extend the built-in taxonomy (a city's terms are matched
the same way); ``not_identifiers`` lists names (``*`` wildcards allowed) that are never
identifiers. Results are cached per policy hash and name.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from dhlint.policy import Policy

Category = Literal["direct", "device", "quasi", "location", "biometric", "special"]
Confidence = Literal["high", "medium", "low"]
CATEGORIES: tuple[str, ...] = ("direct", "device", "quasi", "location", "biometric", "special")
# Categories counted in combinations (DH564, DH582): a special attribute (a disability, a health
# condition) narrows a group down as a birth date does.
QUASI_CATEGORIES: tuple[str, ...] = ("quasi", "special")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class IdentifierMatch:
    category: str  # direct | device | quasi | location | biometric | special
    confidence: str  # high | medium | low
    matched: str  # the taxonomy term (or policy term) that matched


# --------------------------------------------------------------------------------------------
# Built-in taxonomy. Each concept: canonical term -> (category, phrases, kind).
# kind: "plain" (unambiguous), "person" (only about a person when nothing or a person word
# precedes it: name, address, age ...), "weak" (matches with low confidence).
# Phrases are written in normalised tokens (after abbreviation expansion).
# --------------------------------------------------------------------------------------------
_CONCEPTS: dict[str, tuple[str, tuple[str, ...], str]] = {
    # direct
    "name": ("direct", ("name",), "person"),
    "first_name": ("direct", ("first name", "given name", "forename"), "plain"),
    "last_name": ("direct", ("last name", "family name", "surname", "maiden name"), "plain"),
    "full_name": ("direct", ("full name", "middle name", "legal name", "nickname"), "plain"),
    "badge_number": ("direct", ("badge", "badge number", "badge id"), "plain"),
    # HUD's HMIS exchange format keys every client record by ``PersonalID``.
    "personal_id": ("direct", ("personal id",), "plain"),
    "medical_record_number": (
        "direct",
        ("mrn", "medical record number", "health plan id", "medicaid id", "medicare id"),
        "plain",
    ),
    "username": ("direct", ("user name", "login name", "screen name", "handle"), "plain"),
    "email": ("direct", ("email", "email address"), "plain"),
    "phone_number": (
        "direct",
        (
            "phone",
            "fax",
            "msisdn",
            "mobile number",
            "cell number",
            "contact number",
            "callback number",
            "callback phone",
        ),
        "plain",
    ),
    "ssn": (
        "direct",
        (
            "ssn",
            "social security",
            "national id",
            "national insurance",
            "nino",
            "passport",
            "itin",
            "tin",
        ),
        "plain",
    ),
    "drivers_license": (
        "direct",
        ("driver license", "hack license", "chauffeur license", "taxi license"),
        "plain",
    ),
    "street_address": (
        "direct",
        ("address", "street address", "address line", "house number", "street number"),
        "address",
    ),
    "license_plate": (
        "direct",
        ("plate", "license plate", "lpn", "registration plate", "vehicle registration"),
        "plain",
    ),
    "vin": ("direct", ("vin", "vehicle identification number"), "plain"),
    "account_number": ("direct", ("account", "account number", "account id"), "plain"),
    "card_number": (
        "direct",
        ("card", "card number", "card id", "smartcard", "credit card", "fare card", "pan"),
        "plain",
    ),
    "transit_card": (
        "direct",
        (
            "transit card",
            "transit card id",
            "transit card number",
            "fare card id",
            "fare card number",
            "fare media",
            "clipper",
            "ventra",
        ),
        "plain",
    ),
    # device
    "mac_address": ("device", ("mac", "mac address", "wifi mac", "bssid client"), "device"),
    "bluetooth_address": (
        "device",
        ("bluetooth", "bluetooth address", "bd address", "device address"),
        "device",
    ),
    "imei": ("device", ("imei", "imsi", "iccid", "meid", "udid"), "plain"),
    "device_id": ("device", ("device id", "device serial", "hardware id"), "device"),
    # LoRaWAN's DevEUI: the EUI-64 burnt into a meter or sensor, as unique and permanent as a
    # MAC address (``dev_eui``, ``devEui``; "dev" reads as "device"). Not the JoinEUI/AppEUI
    # (an application's) nor a gateway's EUI (the city's own radio).
    "device_eui": ("device", ("device eui", "deveui", "end device eui"), "plain"),
    "device": ("device", ("device",), "bare"),
    "advertising_id": (
        "device",
        ("advertising id", "idfa", "idfv", "gaid", "aaid", "maid", "ad id"),
        "plain",
    ),
    "ip_address": ("device", ("ip", "ip address", "remote address", "client address"), "device"),
    "user_agent": ("device", ("user agent",), "weak"),
    # a hash of a browser's or phone's traits (ad-tech tracking): the device's, not a finger's
    "device_fingerprint": (
        "device",
        ("device fingerprint", "browser fingerprint", "canvas fingerprint"),
        "plain",
    ),
    "vehicle_id": (
        "device",
        ("vehicle id", "bike id", "scooter id", "fleet id", "unit id vehicle", "vehicle number"),
        "plain",
    ),
    "taxi_medallion": ("device", ("medallion", "taxi id", "cab id", "taxi number"), "plain"),
    "toll_tag": ("device", ("toll tag", "transponder", "ezpass", "tag id toll"), "plain"),
    "meter_id": ("device", ("ami meter", "smart meter", "meter number", "meter serial"), "weak"),
    # quasi
    "postal_code": ("quasi", ("zip", "postal code", "postcode"), "plain"),
    "birth_date": ("quasi", ("birth date", "birthday", "birth year"), "plain"),
    "age": ("quasi", ("age",), "person"),
    "sex": ("quasi", ("sex", "gender"), "plain"),
    "race": ("quasi", ("race", "ethnicity", "ethnic", "hispanic", "latino"), "plain"),
    "marital_status": ("quasi", ("marital status", "marital"), "plain"),
    # Status fields NYC lists as identifying information (quasi: they narrow a group down).
    "sensitive_attribute": (
        "quasi",
        (
            "nationality",
            "citizenship",
            "veteran status",
            "veteran",
            "public assistance",
            "birthplace",
            "country of birth",
        ),
        "sensitive",
    ),
    # special: what GDPR Art. 9 and 10 call special categories and criminal records, and what
    # human services hold beside them (domestic-violence survivors, whose whereabouts must
    # never leak; immigration status, which a sanctuary city keeps from other agencies).
    # Not identifying alone, but harmful when disclosed: stores holding them need the
    # policy's highest class, and they count as quasi-identifiers in combinations.
    "health_condition": (
        "special",
        (
            "health condition",
            "health status",
            "medical condition",
            "chronic health condition",
            "diagnosis",
            "disabling condition",
            "vaccination status",
            "medication",
        ),
        "sensitive",
    ),
    # distinct attributes, counted apart in combinations (DH564 counts distinct concepts)
    "hiv_status": ("special", ("hiv", "hiv aids", "hiv status"), "sensitive"),
    "mental_health": (
        "special",
        ("mental health", "mental health disorder", "mental illness"),
        "sensitive",
    ),
    "substance_use": (
        "special",
        (
            "substance use",
            "substance use disorder",
            "substance abuse",
            "alcohol abuse",
            "drug abuse",
        ),
        "sensitive",
    ),
    "pregnancy": ("special", ("pregnancy", "pregnancy status"), "sensitive"),
    "disability": (
        "special",
        ("disability", "developmental disability", "physical disability"),
        "sensitive",
    ),
    "sexual_orientation": (
        "special",
        ("sexual orientation", "gender identity", "transgender"),
        "sensitive",
    ),
    "religion": ("special", ("religion", "religious affiliation"), "sensitive"),
    "domestic_violence": (
        "special",
        (
            "domestic violence",
            "domestic violence survivor",
            "domestic violence victim",
            "dv survivor",
            "dv status",
            "currently fleeing",
        ),
        "sensitive",
    ),
    "immigration_status": ("special", ("immigration status", "immigration"), "sensitive"),
    "criminal_history": (
        "special",
        ("criminal history", "criminal record", "conviction", "convictions", "arrest record"),
        "sensitive",
    ),
    "household_size": ("quasi", ("household size", "household income", "income"), "weak"),
    # location
    "latitude": ("location", ("latitude",), "location"),
    "longitude": ("location", ("longitude",), "location"),
    "coordinates": (
        "location",
        (
            "coordinates",
            "latitude longitude",
            "longitude latitude",
            "geolocation",
            "geo location",
            "geom",
            "geometry",
            "wkt",
            "easting",
            "northing",
            "x coordinates",
            "y coordinates",
        ),
        "location",
    ),
    "geohash": ("location", ("geohash", "geo hash", "plus code", "what3words"), "location"),
    "gps_trace": (
        "location",
        ("gps", "gps trace", "trajectory", "breadcrumbs", "route trace", "polyline"),
        "location",
    ),
    "location": ("location", ("location",), "bare"),
    # biometric
    "face_image": (
        "biometric",
        (
            "face",
            "face image",
            "facial",
            "faceprint",
            "face embedding",
            "mugshot",
            "headshot",
            "portrait",
            "profile image",
            "avatar",
        ),
        "plain",
    ),
    "plate_image": (
        "biometric",
        ("plate image", "plate photo", "plate crop", "vehicle image", "overview image"),
        "plain",
    ),
    "fingerprint": ("biometric", ("fingerprint", "palm print", "iris", "retina"), "plain"),
    "voiceprint": ("biometric", ("voiceprint", "voice print", "voice sample", "gait"), "plain"),
    "biometric": ("biometric", ("biometric", "biometrics", "body cam frame"), "plain"),
}

# Words naming a person (or a person's role): ``requester_name``, ``rider_id``, ``victim_age``.
_PERSON = _words(
    """
    customer client user person people individual resident citizen requester reporter caller
    complainant applicant owner registered registrant driver rider passenger patron member
    subscriber holder cardholder payer payee violator offender suspect victim witness arrestee
    defendant patient employee staff officer tenant landlord occupant homeowner contact emergency
    guardian student voter donor volunteer participant respondent recipient
    beneficiary claimant licensee inspector worker technician assignee spouse mother father
    dependent buyer seller submitter account cardholder traveler traveller commuter pedestrian
    cyclist renter borrower taxpayer perpetrator contributor candidate inmate detainee prisoner
    parolee probationer juvenile decedent deceased lobbyist
    """
)
# Endings that make a compound word a person's role (``caregiver``, ``caretaker``,
# ``jobseeker``, ``housekeeper``, ``homeowner``, ``grandmother``): the word is a person word.
_ROLE_ENDINGS = ("giver", "taker", "seeker", "keeper", "owner", "parent", "mother", "father")


def _person_word(word: str) -> bool:
    """A person word (``_PERSON``), or a compound ending as a person's role does."""
    return word in _PERSON or (len(word) > 7 and word.endswith(_ROLE_ENDINGS))


# Where a person lives or is reached, before a part of an address (``home_street``,
# ``mailing_street``, ``resident_apartment``): the part is the person's street address.
_HOME = _words("home mailing residence residential")
_ADDRESS_PARTS = _words("street apartment apt")

# Words that qualify a person's name without naming a thing: ``legal_first_name``.
_NAME_PARTS = _words(
    "first last full middle given family maiden nick display legal preferred primary secondary "
    "alternate alt personal home work mobile cell current previous prior reported raw"
)
# Things that are not people: a name/address/id in front of them is not personal.
_THING = _words(
    """
    file table column field schema database db host server street road route stop station
    business company vendor agency department org organization facility site store park school
    building project product event category class object dataset layer domain queue topic bucket
    container image pod node cluster sensor camera kiosk gateway router switch proxy dns
    network subnet ap access point hotspot service app application job task dag
    pipeline source target sheet tab workbook folder directory path city county state country
    region district ward neighborhood neighbourhood community zone beat precinct tract block
    segment corridor lot garage meter parking asset equipment device model brand make type
    program plan fund grant contract case ticket request complaint inspection permit license
    template report form web url http smtp bluetooth sender relay mail ip mac email place
    polling venue
    """
)
# Infrastructure whose location / network address is not a person's.
_INFRA = _words(
    """
    stop station sensor node kiosk meter hydrant signal facility site asset building sign
    pole gateway router server host ap access point switch proxy dns network subnet
    nat vpc lb load balancer dock depot terminal tower antenna cabinet bridge park school
    store business parcel intersection reader detector counter beacon tree curb zone light
    luminaire controller charger port
    """
)
# After a concept: describes something else about it (a count, a type, a flag).
_NEG_AFTER = _words(
    """
    count counts cnt total type types kind category class status flag flags ind indicator
    verified verification valid validated validity invalid confirmed consent optin opt out
    subscribed unsubscribed sent received opened bounced clicked delivered domain version ver
    protocol proto format length len pct percent rate ratio avg mean median sum min max error
    errors missing null present provided available enabled disabled required allowed changed
    updated modified created source provider carrier template subject body preference pref
    prefs country region state county city brand issuer expiry exp expiration color colour
    make model config setting settings policy rule rules mode precision accuracy quality
    confidence score lookup index column col field header prefix suffix ext extension area
    exchange distance dist km miles duration speed bearing heading dop hdop elevation altitude
    timezone tz offset delta diff bin days hours minutes mins hrs seconds secs ms
    description desc label title zone ward district tract block is has
    blocked blacklist whitelist pattern regex detected
    bit bits size width height use usage file files archive path folder dir
    directory condition applied os firmware manufacturer platform battery
    """
)
# After a concept, only as the last word: a time of something that happened to it.
_NEG_LAST = _words("date time ts timestamp at on datetime day month when")
# After a concept: keeps the meaning.
_KEEP_AFTER = _words(
    """
    number id key value val raw orig original clean cleaned full primary secondary alternate
    line first last middle given family text str string display formatted e normalized norm
    standardized home work mobile cell personal legal preferred current previous prior
    deg degrees dd wgs x y years yrs year address of plus four reported entered
    list data info information record json code stateplane utm epsg nad
    """
)
# Generalised forms: still the identifier, with lower confidence.
_GENERALISED = _words(
    "rounded round generalized generalised binned bucket bucketed group range band truncated "
    "trunc approx approximate coarse dp decimals dec places"
)
_HASHED = _words("hash hashed sha md digest checksum crc")
# A card number's last four digits (card_last4, pan_last_four, last4OfCard) are the masking
# PCI DSS allows to display: not the number. Other identifiers' tails (ssn_last4) stay.
_LAST_FOUR = re.compile(r"last[\W_]*(?:4(?![0-9])|four(?!t))", re.I)
LAST_FOUR_CONCEPTS = frozenset({"card_number", "transit_card"})
# Protected forms: the remedy, not the identifier.
_PROTECTED = _words(
    "token tokenized tokenised pseudonym pseudonymized pseudonymised pseudo masked mask "
    "redacted anon anonymized anonymised anonymous encrypted enc encrypt cipher ciphertext "
    "obfuscated scrambled suppressed deidentified blur blurred pixelated"
)
# First word that makes the whole name a count, a flag or a setting.
_NEG_FIRST = _words(
    """
    is has num n nb no number count cnt total pct percent avg mean median min max sum distinct
    valid invalid missing null opt allow enable use send sent include show hide require requires
    can should did was needs unique dup duplicate duplicated
    """
)

# Token-level abbreviations.
_ABBREV = {
    "addr": "address",
    "adr": "address",
    "address": "address",
    "addresses": "address",
    "emails": "email",
    "mail": "mail",
    "eml": "email",
    "ph": "phone",
    "tel": "phone",
    "telephone": "phone",
    "phones": "phone",
    "phn": "phone",
    "mob": "mobile",
    "cellphone": "phone",
    "fname": "first name",
    "lname": "last name",
    "mname": "middle name",
    "nm": "name",
    "nme": "name",
    "names": "name",
    "dob": "birth date",
    "bdate": "birth date",
    "birthdate": "birth date",
    "birthdt": "birth date",
    "yob": "birth year",
    "dt": "date",
    "lat": "latitude",
    "lati": "latitude",
    "lon": "longitude",
    "lng": "longitude",
    "longitude": "longitude",
    "latitude": "latitude",
    "lats": "latitude",
    "lngs": "longitude",
    "coord": "coordinates",
    "coords": "coordinates",
    "coordinate": "coordinates",
    "latlon": "latitude longitude",
    "latlng": "latitude longitude",
    "latlong": "latitude longitude",
    "lonlat": "longitude latitude",
    "lnglat": "longitude latitude",
    "geog": "geom",
    "geo": "geo",
    "zipcode": "zip",
    "zip": "zip",
    "zip4": "zip",
    "postalcode": "postal code",
    "postcode": "postcode",
    "acct": "account",
    "acc": "account",
    "accnt": "account",
    "accountno": "account number",
    "no": "number",
    "num": "number",
    "nbr": "number",
    "nr": "number",
    "nmbr": "number",
    "numb": "number",
    "cust": "customer",
    "clnt": "client",
    "usr": "user",
    "emp": "employee",
    "empl": "employee",
    "pax": "passenger",
    "perp": "perpetrator",
    "vic": "victim",
    "req": "requester",
    "requestor": "requester",
    "reqstr": "requester",
    "drivers": "driver",
    "drv": "driver",
    "licence": "license",
    "lic": "license",
    "licenses": "license",
    "dl": "driver license",
    "dln": "driver license",
    "lp": "plate",
    "lpr": "plate",
    "plates": "plate",
    "plt": "plate",
    "soc": "social",
    "sec": "security",
    "bt": "bluetooth",
    "ble": "bluetooth",
    "btaddr": "bluetooth address",
    "bdaddr": "bd address",
    "bd": "bd",
    "macaddr": "mac address",
    "ipaddr": "ip address",
    "ipv": "ip",
    "dev": "device",
    # not "devices": alone it is most often a count (hourly devices seen at an access point)
    "hw": "hardware",
    "ua": "user agent",
    "useragent": "user agent",
    "ad": "ad",
    "ads": "ad",
    "ident": "id",
    "identifier": "id",
    "uid": "user id",
    "userid": "user id",
    "pid": "person id",
    "gndr": "gender",
    "sexe": "sex",
    "eth": "ethnicity",
    "ethnicities": "ethnicity",
    "races": "race",
    "ages": "age",
    "hh": "household",
    "hhsize": "household size",
    "hshld": "household",
    "hash": "hash",
    "hsh": "hash",
    "sha256": "sha",
    "md5": "md",
    "tkn": "token",
    "tok": "token",
    "enc": "encrypted",
    "pseudo": "pseudonym",
    "img": "image",
    "imgs": "image",
    "pic": "image",
    "photo": "image",
    "photos": "image",
    "picture": "image",
    "jpg": "image",
    "thumbnail": "image",
    "thumb": "image",
    "snapshot": "image",
    "crop": "image",
    "fingerprints": "fingerprint",
    "fp": "fingerprint",
    "cnt": "count",
    "qty": "count",
    "typ": "type",
    "ver": "version",
    "flg": "flag",
    "ind": "indicator",
    "ts": "timestamp",
    "tstamp": "timestamp",
    "st": "street",
    "str": "street",
    "strt": "street",
    "hse": "house",
    "cc": "card",
    "ccn": "card number",
    "ssno": "ssn",
    "svc": "service",
    "srv": "service",
    "loc": "location",
    "locn": "location",
    "gis": "gis",
    "x": "x",
    "y": "y",
    "wgs": "wgs",
}
# Abbreviations that, standing alone, programmers and sensor feeds mostly use for something
# else: ``fp`` a file object, ``pid`` a process's (or a parcel's) number, ``acc`` an accumulator
# or an accuracy, ``cc`` a compiler or a copy list, ``eth`` a network interface, ``ph`` a water
# sample's pH. Alone they match with medium confidence: a column of a known table named so is
# still an identifier, a name that is the only evidence (a variable, a parameter's field) is not;
# ``cust_fp`` or ``owner_pid`` keep their full weight. (``uid``, ``dl`` and ``lp`` stay: in
# rows they are user ids, licences and plates too often; ``fname``: _THING_NAMES_ALONE.) A bare
# ``handle`` is a file's, a window's, a console's or an event loop callback's in code far more
# often than a person's user name (probe37 10); ``user_handle``, ``twitter_handle`` keep theirs.
_CODE_ABBREVIATIONS = frozenset({"fp", "pid", "acc", "cc", "eth", "ph", "handle", "handles"})
# Names of things in code as often as of people (probe37 09): ``fname`` a file's name,
# ``fullname``/``full_name`` a module's or an attribute's dotted name, ``client_name`` a library
# client's, ``member_name`` a class member's, ``req_name``/``raw_name`` a package's. Alone they
# match with medium confidence, as the code abbreviations do: a column of a known table (a
# frame's ``full_name``) still counts, a variable known only by its name does not, and one
# read from a person (``customer["full_name"]``, ``user.fullname``) counts again
# (``owned_by_person``). ``first_name``, ``customer_name``, ``user_name`` keep high. Also
# (s37): ``client_email`` a cloud service account's (GCP's credentials object), ``caller_name``
# a calling function's, ``geometry``/``geom`` any feature's or widget's shape (a generic
# provider's request data): a GeoDataFrame's geometry column still counts. (s38) ``account``/
# ``account_id`` a cloud's or a service's account (AWS's, Snowflake's, an ads account: real code,
# airflow providers, awswrangler), ``account_name`` such an account's label, ``client_id`` an
# OAuth application's, ``display_name`` a device's, a camera's or a zone's (Home Assistant's
# integrations) as often as a user's: a transit card's ``account_id`` column,
# ``customer.account_id`` and ``user.display_name`` still count.
_THING_NAMES_ALONE = frozenset(
    {("fname",), ("fullname",), ("full", "name"), ("client", "name"), ("member", "name"),
     ("req", "name"), ("raw", "name"), ("client", "email"), ("caller", "name"), ("geometry",),
     ("geom",), ("account",), ("account", "id"), ("account", "name"), ("client", "id"),
     ("display", "name")}
)  # fmt: skip
# Words that alone are as often something else as an identifier: a bare ``cell`` is a mobile
# number, a spreadsheet's cell, a grid's cell or a cell tower. Low confidence: reported by no
# rule by itself; ``cell_phone``, ``cell_number``, ``home_cell`` keep their weight.
_AMBIGUOUS_ALONE = frozenset({"cell"})
# Before ``cell``: a grid's or a sheet's cell, not a phone (``geohash_cell``, ``h3_cell``,
# ``grid_cell``, ``table_cell``; probe29 min/01).
_GRID = _words(
    "geohash geo grid hex hexagon h3 s2 tile map heat heatmap raster quadkey spatial sheet "
    "spreadsheet excel table"
)
# Before a final ``cell``: where a trip starts or ends, so a grid's cell (an origin-destination
# table's ``start_cell``, ``pickup_cell``, ``to_cell``: H3 hexagons; probe35 min/01). Phones
# have no start or end; ``from_cell_number`` (an SMS sender's) and ``home_cell`` stay phones.
_POSITION = _words(
    "start end begin origin orig destination dest from to pickup dropoff src dst source target"
)
# Before ``handle``: what a program holds a handle to (a file, a window, a connection, a
# process; a node or step of a pipeline's graph), not a person's user name (``file_handle``,
# ``db_handle``: real code, s35; ``node_handle``, ``step_handle``: s36).
_CODE_OBJECTS = _words(
    "file fh fd fp io stream pipe socket sock conn connection db database cursor session "
    "window wnd win process proc thread lock mutex event loop task timer callback signal "
    "lib library dll module obj object resource res request req response resp http output "
    "input out log logger tmp temp zip tar archive csv json hdf mmap pointer ptr statement "
    "stmt query job transaction txn operation upload download node graph step op asset "
    "pipeline plugin widget element"
)
# Phrases rewritten after token expansion.
_PHRASES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("date", "of", "birth"), ("birth", "date")),
    (("birth", "day"), ("birthday",)),
    (("year", "of", "birth"), ("birth", "year")),
    (("place", "of", "birth"), ("birthplace",)),
    (("e", "mail"), ("email",)),
    (("email", "id"), ("email",)),
    (("mail", "address"), ("email", "address")),
    (("mail",), ("email",)),  # only when alone: see _expand
    (("social", "security", "number"), ("ssn",)),
    (("social", "security"), ("ssn",)),
    (("zip", "code"), ("zip",)),
    (("post", "code"), ("postcode",)),
    (("postal", "code"), ("postcode",)),
    (("ip", "address"), ("ip", "address")),
    (("x", "coordinates"), ("x", "coordinates")),
    (("mobile", "phone"), ("phone",)),
    (("cell", "phone"), ("phone",)),
    (("mobile",), ("phone",)),  # only when alone or before number
    (("cell",), ("phone",)),
    (("license", "plate", "number"), ("license", "plate")),
    (("plate", "number"), ("plate",)),
    (("registration", "number"), ("vehicle", "registration")),
    (("the", "geom"), ("geom",)),
    (("geo", "point"), ("geom",)),
    (("point", "geom"), ("geom",)),
    (("access", "point"), ("ap",)),
    (("state", "plane"), ("stateplane",)),
    (("geo", "x"), ("x", "coordinates")),
    (("geo", "y"), ("y", "coordinates")),
    (("wi", "fi"), ("wifi",)),
    (("wireless",), ("wifi",)),
    (("first", "nm"), ("first", "name")),
    (("sur", "name"), ("surname",)),
    (("nick", "name"), ("nickname",)),
    (("given", "names"), ("given", "name")),
    (("tax", "id"), ("tin",)),
)
# Extra words the segmenter may split glued names into (besides all taxonomy words).
_SEGMENT_EXTRA = _words(
    "first last full middle given family user customer number count type date time status "
    "flag sent received verified valid code home work street house line phone email address "
    "name account card plate license driver device vehicle bike scooter transit fare client "
    "person rider member patient owner contact birth social security postal latitude longitude "
    "mobile cell mac ip id key hash hashed token masked raw source destination origin pickup "
    "dropoff start end trip request case report ticket file table host server station sensor "
    "business company agency city state country version protocol domain"
)
_NO_SEGMENT = frozenset({"age", "st", "str", "sex", "no", "nr", "ph", "dt", "tel", "x", "y", "e"})


@dataclass(frozen=True)
class _Concept:
    term: str
    category: str
    tokens: tuple[str, ...]
    kind: str  # plain | person | device | location | bare | weak | policy


_ACRONYM_END = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_PATH_SEP = re.compile(r"[.>]")
_SPACE = re.compile(r"\s")
_SPECIAL = (  # (letters every match holds, lowered; the pattern; what replaces a match)
    ("ipv", re.compile(r"(?i)ipv[46]"), " ip "),
    ("sha", re.compile(r"(?i)sha-?(1|224|256|384|512)"), " sha "),
    ("md5", re.compile(r"(?i)md5"), " md "),
    ("164", re.compile(r"(?i)\be-?164\b"), " e "),
)
# Digits are dropped, except in the H3 and S2 grids' names (``h3_cell``: a hexagon).
_WORD = re.compile(r"(?i:h3|s2)(?![0-9])|[A-Za-z]+")


def _camel_split(name: str) -> str:
    return _CAMEL.sub(r"\1 \2", _ACRONYM_END.sub(r"\1 \2", name))


def _raw_tokens(name: str) -> list[str]:
    name = name.strip().strip("`\"'[]")
    if not name.isascii():  # ``Téléphone`` -> ``Telephone``
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    # ``schema.table.column`` and ``record->>'field'``: the last part names the column
    # (not in labels with spaces such as ``Cust. Name``).
    if ("." in name or ">" in name) and not _SPACE.search(name):
        name = _PATH_SEP.split(name)[-1] or name
    # Each pattern tried only on a name holding its letters (ASCII here: lowered alike), and
    # the camel case split only on one with a capital: most names are neither (each regex
    # call cost more than these tests).
    lower = name.lower()
    for hint, pattern, replacement in _SPECIAL:
        if hint in lower:
            name = pattern.sub(replacement, name)
    if not name.islower():
        name = _camel_split(name)
    return [t.lower() for t in _WORD.findall(name)]


class _Taxonomy:
    """The built-in concepts plus a policy's lists, compiled for matching."""

    def __init__(
        self,
        extra: dict[str, list[str]],
        not_identifiers: list[str],
    ) -> None:
        concepts: list[_Concept] = []
        for term, (category, phrases, kind) in _CONCEPTS.items():
            for phrase in phrases:
                concepts.append(_Concept(term, category, tuple(phrase.split()), kind))
        self.vocab = set(_SEGMENT_EXTRA) | set(_ABBREV) | _PERSON | _NEG_AFTER
        for concept in concepts:
            self.vocab.update(t for t in concept.tokens if not t.startswith("<"))
        # Words whose plural is read as the word (``medications``, ``disabilities``,
        # ``diagnoses``, ``phone_numbers``): all known words but a bare concept's, whose
        # plural alone is most often a count (``devices`` seen at an access point).
        bare = {t for c in concepts if c.kind == "bare" for t in c.tokens}
        self.singulars = frozenset(self.vocab - bare)
        # the words ``_segment`` splits a glued word into (14 letters at most)
        self._pieces = frozenset(w for w in self.vocab if len(w) >= 2 and w not in _NO_SEGMENT)
        builtin: dict[tuple[str, ...], set[str]] = {}
        for concept in concepts:
            builtin.setdefault(concept.tokens, set()).add(concept.category)
        for category, names in extra.items():
            for raw in names:
                # Hash words are dropped from names before matching: drop them here too.
                tokens = tuple(t for t in self._normalise(raw) if t not in _HASHED)
                if not tokens:
                    continue
                if category in builtin.get(tokens, ()):
                    # The built-in concept, with its judgement of context; one it holds weak
                    # (household_size alone says little) counts in full when the policy lists it.
                    concepts = [
                        replace(c, kind="plain")
                        if c.tokens == tokens and c.category == category and c.kind == "weak"
                        else c
                        for c in concepts
                    ]
                    continue
                # A city's term, or a built-in term the city files under another category.
                concepts.append(_Concept(raw, category, tokens, "policy"))
                builtin.setdefault(tokens, set()).add(category)
        self.concepts = concepts
        self.fingerprint = next(c for c in concepts if c.term == "fingerprint")
        self.max_len = max(len(c.tokens) for c in concepts)
        self.by_tokens: dict[tuple[str, ...], list[_Concept]] = {}
        for concept in concepts:
            self.by_tokens.setdefault(concept.tokens, []).append(concept)
        self.exact_not: set[str] = set()
        self.glob_not: list[str] = []
        for raw in not_identifiers:
            if "*" in raw or "?" in raw:
                self.glob_not.append(raw.lower())
            else:
                self.exact_not.add("_".join(_raw_tokens(raw)))
        self._cache: dict[str, IdentifierMatch | None] = {}
        self.levels = _Levels(self)  # see ``confidence_of``
        self._places: dict[str, bool] = {}
        # ``fixed_place`` and ``protected_key`` by name: the location rule asks them of each
        # column and origin of every sink, the same few names over and over (on the
        # benchmark's python-packages, 2% of a run before they were kept)
        self._fixed: dict[str, IdentifierMatch | None] = {}
        self._protected: dict[str, bool] = {}
        self.owners: dict[str, bool] = {}  # see ``person_owner``
        self._triggers: tuple[str, ...] | None = None
        self._trigger_rx: re.Pattern | None = None
        # A code abbreviation the policy lists itself (``pid`` as a person id) keeps its weight.
        self.listed = {"_".join(_raw_tokens(raw)) for names in extra.values() for raw in names}
        # Names the policy lists that hold a protected form's word (``device_token``,
        # ``push_token``: a phone's push address, not a tokenised value): the city's list wins
        # over the built-in reading of the word, in the name and in a longer one holding it.
        self.listed_protected = {
            tokens
            for names in extra.values()
            for raw in names
            if _PROTECTED.intersection(
                tokens := tuple(t for t in self._normalise(raw) if t not in _HASHED)
            )
        }

    # -- normalisation -----------------------------------------------------------------
    def _segment(self, token: str) -> list[str]:
        """Split a glued word (``firstname``) into known words, else keep it: the fewest words
        that make it, the first found when several do (shorter first words first)."""
        if token in self.vocab or len(token) < 6:
            return [token]
        pieces = self._pieces
        best: dict[int, list[str]] = {0: []}  # end -> the fewest words that make token[:end]
        reached = [0]  # the ends in ``best``, ascending
        for end in range(2, len(token) + 1):
            found = None
            # only from a known end (most are not: a pass per start was most of the time)
            for start in reached:
                if start > end - 2:
                    break
                if start < end - 14 or token[start:end] not in pieces:
                    continue
                prev = best[start]
                if found is None or len(prev) + 1 < len(found):
                    found = [*prev, token[start:end]]
            if found is not None:
                best[end] = found
                reached.append(end)
        return best.get(len(token)) or [token]

    def _singular(self, word: str) -> str:
        """A plural of a known word as the word (``disabilities``, ``diagnoses``,
        ``addresses``, ``numbers``), else ``word``."""
        if len(word) < 3 or word.endswith("ss"):
            return word
        candidates = [word[:-1]]
        if word.endswith("es"):
            candidates[:0] = [word[:-2]]
            if word.endswith("ies"):
                candidates[:0] = [word[:-3] + "y"]
            elif word.endswith("ses"):
                candidates[:0] = [word[:-2] + "is"]
        for candidate in candidates:
            if candidate in self.singulars:
                return candidate
        return word

    def _normalise(self, name: str, raw_tokens: list[str] | None = None) -> list[str]:
        tokens: list[str] = []
        for raw in _raw_tokens(name) if raw_tokens is None else raw_tokens:
            for piece in self._segment(raw):
                if piece[-1:] == "s" and piece not in self.vocab:
                    piece = self._singular(piece)
                tokens.extend(_ABBREV.get(piece, piece).split())
        if len(tokens) > 1 and tokens[-1] == "long":  # ``incident_long``, ``lat_long``
            tokens[-1] = "longitude"
        if tokens[:2] == ["tag", "number"]:  # parking citations: the plate (not rabies_tag_no)
            tokens[:2] = ["plate"]
        return _rewrite(tokens)

    # -- matching ----------------------------------------------------------------------
    def classify(self, name: str) -> IdentifierMatch | None:
        if name in self._cache:
            return self._cache[name]
        result = self._classify(name)
        if len(self._cache) < 100_000:
            self._cache[name] = result
        return result

    def level(self, name: str) -> str | None:
        """The confidence of ``name``'s match, None when it is not personal."""
        match = self.classify(name)  # cached
        return match.confidence if match is not None else None

    def _excluded(self, name: str, raw_tokens: list[str]) -> bool:
        if not self.exact_not and not self.glob_not:
            return False
        key = "_".join(raw_tokens)
        if key in self.exact_not:
            return True
        lowered = name.lower()
        return any(
            fnmatch.fnmatchcase(lowered, g) or fnmatch.fnmatchcase(key, g) for g in self.glob_not
        )

    def _classify(self, name: str) -> IdentifierMatch | None:
        raw_tokens = _raw_tokens(name)
        if self._excluded(name, raw_tokens):
            return None
        tokens = self._normalise(name, raw_tokens)
        if not tokens:
            return None
        if tokens[0] in _NEG_FIRST and len(tokens) > 1:
            return None
        hashed = bool(_HASHED.intersection(tokens))
        tokens = [t for t in tokens if t not in _HASHED]
        if _PROTECTED.intersection(tokens) and not self._listed_form(tokens):
            return None
        found = self._head(tokens)
        if found is None:
            return None
        concept, start, end = found
        if concept.term in LAST_FOUR_CONCEPTS and _LAST_FOUR.search(name):
            return None  # card_last4: the masked form PCI DSS allows, not the card number
        before, after = tokens[:start], tokens[end:]
        match = self._judge(concept, before, after, hashed)
        if (
            match is not None
            and match.confidence == "high"
            and len(raw_tokens) == 1
            and raw_tokens[0] in _CODE_ABBREVIATIONS
            and raw_tokens[0] not in self.listed
        ):
            return replace(match, confidence="medium")
        if (
            match is not None
            and match.confidence == "high"
            and tuple(raw_tokens) in _THING_NAMES_ALONE
        ):  # (not ``self.listed``: the default policy lists ``full_name``, as a column's)
            return replace(match, confidence="medium")
        if (
            match is not None
            and len(raw_tokens) == 1
            and raw_tokens[0] in _AMBIGUOUS_ALONE
            and raw_tokens[0] not in self.listed
        ):
            return replace(match, confidence="low")
        return match

    def _listed_form(self, tokens: list[str]) -> bool:
        """Whether every protected form's word of ``tokens`` is part of a name the policy
        lists (``parent_device_token`` with ``device_token`` listed; not
        ``masked_device_token``)."""
        if not self.listed_protected:
            return False
        covered: set[int] = set()
        for listed in self.listed_protected:
            size = len(listed)
            for start in range(len(tokens) - size + 1):
                if tuple(tokens[start : start + size]) == listed:
                    covered.update(range(start, start + size))
        return all(i in covered for i, t in enumerate(tokens) if t in _PROTECTED)

    def fixed_place(self, name: str) -> IdentifierMatch | None:
        """A coordinate of fixed infrastructure (``stop_lat``, ``ap_longitude``), which the
        classifier does not take for a person's location, as the location it would be without
        the infrastructure word (medium confidence); None for anything else."""
        if name in self._fixed:
            return self._fixed[name]
        found = self._fixed_place(name)
        if len(self._fixed) < 100_000:
            self._fixed[name] = found
        return found

    def _fixed_place(self, name: str) -> IdentifierMatch | None:
        if self.classify(name) is not None:
            return None
        raw_tokens = _raw_tokens(name)
        tokens = self._normalise(name, raw_tokens)
        if not tokens or self._excluded(name, raw_tokens) or _PROTECTED.intersection(tokens):
            return None
        hashed = bool(_HASHED.intersection(tokens))
        tokens = [t for t in tokens if t not in _HASHED]
        found = self._head(tokens)
        if found is None or found[0].category != "location":
            return None
        concept, start, end = found
        before = tokens[:start]
        if not any(t in _INFRA for t in before):
            return None
        match = self._judge(concept, [t for t in before if t not in _INFRA], tokens[end:], hashed)
        return replace(match, confidence="medium") if match is not None else None

    def is_fixed_place(self, name: str) -> bool:
        """``fixed_place`` as a cached yes or no (the Python pre-filter asks about every word):
        only a name holding a location concept's word, or an abbreviation of one, can be."""
        found = self._places.get(name)
        if found is None:
            found = self._place_trigger().search(name.lower()) is not None and (
                self.fixed_place(name) is not None
            )
            if len(self._places) < 100_000:
                self._places[name] = found
        return found

    def _place_triggers(self) -> tuple[str, ...]:
        """Substrings one of which every name a location concept matches holds: each phrase's
        distinctive words (not ``x``, ``code``...: each phrase has another) and the
        abbreviations that expand to them (``lat``, ``lng``; ``long`` holds ``lon``)."""
        if self._triggers is None:
            generic = {"x", "y", "code", "hash", "route"}
            words = {
                t for c in self.concepts if c.category == "location" for t in c.tokens
            } - generic
            words |= {a for a, e in _ABBREV.items() if words.intersection(e.split())}
            self._triggers = tuple(sorted(words))
        return self._triggers

    def _place_trigger(self) -> re.Pattern:
        """A pattern that finds any of ``_place_triggers`` in a name: one search, seven times
        faster than a test of each in turn, for every word the pre-filter asks about."""
        if self._trigger_rx is None:
            self._trigger_rx = re.compile("|".join(map(re.escape, self._place_triggers())))
        return self._trigger_rx

    def protected_key(self, name: str) -> bool:
        """Whether ``name`` is the protected form of a person's or a device's identifier
        (``card_token``, ``rider_pseudonym``, ``device_token``): not an identifier itself, but
        rows carrying it are still one person's or one device's."""
        found = self._protected.get(name)
        if found is None:
            found = self._protected_key(name)
            if len(self._protected) < 100_000:
                self._protected[name] = found
        return found

    def _protected_key(self, name: str) -> bool:
        tokens = self._normalise(name)
        if not _PROTECTED.intersection(tokens):
            return False
        rest = [t for t in tokens if t not in _PROTECTED and t not in _HASHED]
        if not rest:
            return False
        if any(t in _PERSON for t in rest):
            return True
        match = self.classify("_".join(rest))
        return match is not None and match.category in ("direct", "device")

    def _head(self, tokens: list[str]) -> tuple[_Concept, int, int] | None:
        best: tuple[int, int, int, _Concept] | None = None  # (end, length, priority, concept)
        for start in range(len(tokens)):
            for length in range(1, min(self.max_len, len(tokens) - start) + 1):
                window = tuple(tokens[start : start + length])
                candidates = list(self.by_tokens.get(window, ()))
                if length == 2 and _person_word(window[0]) and window[1] in _PERSON_KEYS:
                    candidates.append(_PERSON_ID)
                if length == 2 and _person_word(window[0]) and window[1] == "contact":
                    candidates.append(_PERSON_CONTACT)
                if (
                    length == 1
                    and start
                    and window[0] in _ADDRESS_PARTS
                    and (tokens[start - 1] in _HOME or _person_word(tokens[start - 1]))
                ):
                    candidates.append(_HOME_STREET)  # home_street: the person's address
                for concept in candidates:
                    priority = 1 if concept.kind == "policy" else 0
                    key = (start + length, length, priority)
                    if best is None or key > best[:3]:
                        best = (*key, concept)
        if best is None:
            return None
        end, length, _, concept = best
        return concept, end - length, end

    def _judge(
        self, concept: _Concept, before: list[str], after: list[str], hashed: bool
    ) -> IdentifierMatch | None:
        kind = concept.kind
        if concept.term == "age" and after[:1] == ["at"]:
            after = []  # ``age_at_arrest``: the person's age
        if concept.term == "device_fingerprint" and not _BIOMETRIC_KEEP.isdisjoint(after):
            concept = self.fingerprint  # ``device_fingerprint_template``: a finger's after all
        if concept.category == "biometric":
            if concept.tokens == ("face",) and (
                after[:1] == ["value"]
                or any(t in _THING or t in _INFRA or t in _FACES_OF_THINGS for t in before)
            ):
                return None  # block_face, curb_face, typeface, face_value: not a person's face
            after = [t for t in after if t not in _BIOMETRIC_KEEP]
        elif kind == "sensitive":  # ``public_assistance_flag`` is the attribute itself
            after = [t for t in after if t not in _STATUS_WORDS]
        elif concept.term == "ip_address" and any(t in _NETWORK_WORDS for t in after):
            return None  # ``ip_range``, ``ip_cidr``: a network, not a device
        # Words after the concept: a count, type, flag or time of it is something else.
        if any(t in _NEG_AFTER for t in after):
            return None
        if after and after[-1] in _NEG_LAST:
            return None
        generalised = any(t in _GENERALISED for t in after) or any(t in _ADJECTIVES for t in before)
        unknown_after = [t for t in after if t not in _KEEP_AFTER and t not in _GENERALISED]
        plain_before = [t for t in before if t not in _ADJECTIVES]
        thing_before = [t for t in plain_before if t in _THING]
        people_before = [t for t in plain_before if _person_word(t) or t in _NAME_PARTS]
        unknown_before = [
            t
            for t in plain_before
            if t not in _THING
            and t not in people_before
            and not (concept.category == "location" and t in _MOVEMENT)
        ]
        if kind == "person":  # name, age: only a person's when a person word or nothing precedes
            owned = bool(plain_before) and _person_word(plain_before[-1])  # property_owner_name
            if ((thing_before or unknown_before) and not owned) or unknown_after:
                return None
        elif kind == "address":  # a street address unless it is a thing's (ip, business, server)
            thing_before = [t for t in thing_before if t not in _PREMISE]
            if thing_before and not any(t in _PERSON for t in plain_before):
                return None
            if unknown_after:
                return None
        elif kind == "device":  # a person's device, not the city's infrastructure
            if any(t in _INFRA for t in plain_before):
                return None
        elif kind in ("location", "bare"):
            if any(t in _INFRA for t in plain_before) or unknown_after:
                return None
            if kind == "bare" and (after or any(t not in _MOVEMENT for t in plain_before)):
                return None
        elif (
            concept.category == "direct"
            and concept.term not in ("license_plate", "vin")
            and any(t in _ORG for t in plain_before)
        ):
            return None  # contact details and accounts of organisations
        elif concept.term in _LOGINS and any(t in _SERVICES for t in plain_before):
            return None  # db_username, smtp_username, service_account: a program's login
        if concept.category in ("quasi", "special") and thing_before:
            return None  # ``business_zip``, ``station_zip``: not a person's
        confidence = "high"
        if unknown_after or kind == "weak":
            confidence = "low"
        elif hashed or generalised or unknown_before or kind == "bare":
            confidence = "medium"
        elif concept.tokens == ("name",) and not people_before:
            # A bare ``name`` is as often a file's, a column's or a key's. A bare ``address``
            # is high: a resident's, an email or an IP address are all personal; a thing's
            # has the thing in front (``server_address``) (probe26 min/01).
            confidence = "medium"
        return IdentifierMatch(concept.category, confidence, concept.term)


# Adjectives of generalisation in front of a concept: ``rounded_lat``, ``approx_age``.
_ADJECTIVES = _words("rounded generalized generalised binned bucketed truncated approx coarse")
# Where a person is (was): ``pickup_location``, ``start_centroid_location``.
_MOVEMENT = _words(
    "start end pickup dropoff origin destination event trip centroid gps home work current "
    "last first device user rider driver customer person"
)
# Premises whose address is a customer's (utility ``service_address``).
_PREMISE = _words("service premise property residence")
_STATUS_WORDS = _words("flag flags ind indicator status code yn type category")
_NETWORK_WORDS = _words("range cidr subnet block prefix mask netmask pool allowlist")
# After a biometric concept: still the biometric.
_BIOMETRIC_KEEP = _words("template embedding vector minutiae url uri path file blob bytes")
# Before a bare ``face`` (besides things and infrastructure: ``block_face``, the side of a
# street block parking and curb data are kept by; ``curb_face``; ``typeface``): a thing's face,
# not a person's (probe38 min/03). ``face_value`` is a price.
_FACES_OF_THINGS = _words(
    "clock dial watch cube coin font wall rock cliff kerb front north south east west"
)
# A login or an account a program connects with (``db_username``, ``smtp_username``,
# ``proxy_username``, ``service_account``; real code: superset's IAM database user): a
# deployment's setting, no data subject's. ``app_username`` (an app's user) keeps its weight.
_LOGINS = frozenset({"username", "account_number"})
_SERVICES = _words("db database sql smtp imap pop ftp sftp ssh proxy server host broker service")
_PERSON_KEYS = _words("id number key barcode uuid guid")
_PERSON_ID = _Concept("person_id", "direct", ("<person>", "id"), "plain")
_PERSON_CONTACT = _Concept("contact_details", "direct", ("<person>", "contact"), "plain")
_HOME_STREET = _Concept("street_address", "direct", ("<home>", "street"), "address")
_ORG = _words(
    "business company vendor agency department dept org organization organisation facility "
    "site store office school corporate firm contractor merchant provider city "
    "county government station park"
)


_PHRASES_BY_FIRST: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
for _src, _dst in _PHRASES:
    _PHRASES_BY_FIRST.setdefault(_src[0], []).append((_src, _dst))


def _rewrite(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] in ("handle", "handles") and out and out[-1] in _CODE_OBJECTS:
            out.append("codehandle")  # ``file_handle``: an open file's, not a user name
            i += 1
            continue
        for src, dst in _PHRASES_BY_FIRST.get(tokens[i], ()):
            n = len(src)
            if tuple(tokens[i : i + n]) != src:
                continue
            if (
                n == 1
                and src[0] == "mail"
                and len(tokens) > 1
                and tokens[i + 1 : i + 2]
                not in (
                    ["address"],
                    [],
                )
            ):
                continue  # ``mailing``/``mail_date``: not an email
            if src[0] == "cell" and out and out[-1] in _GRID:
                out.append("gridcell")  # a geohash's or a sheet's cell, not a phone
                i += 1
                break
            if n == 1 and src[0] in ("mobile", "cell"):
                nxt = tokens[i + 1 : i + 2]
                if nxt not in ([], ["number"]):
                    continue
                if src[0] == "cell" and not nxt and out and out[-1] in _POSITION:
                    out.append("gridcell")  # ``start_cell``: a trip's origin hexagon
                    i += 1
                    break
            out.extend(dst)
            i += n
            break
        else:
            out.append(tokens[i])
            i += 1
    return out


_BY_POLICY: dict[str, _Taxonomy] = {}


def _taxonomy(policy: Policy | None) -> _Taxonomy:
    if policy is None:
        policy = _default()
    key = policy.hash
    taxonomy = _BY_POLICY.get(key)
    if taxonomy is None:
        settings = policy.settings
        taxonomy = _Taxonomy(
            {c: list(settings.get("identifiers", {}).get(c, [])) for c in CATEGORIES},
            list(settings.get("not_identifiers", [])),
        )
        if len(_BY_POLICY) > 32:
            _BY_POLICY.clear()
        _BY_POLICY[key] = taxonomy
    return taxonomy


@lru_cache(maxsize=1)
def _default() -> Policy:
    from dhlint.policy import default_policy

    return default_policy()


def classify_name(name: str, policy: Policy | None = None) -> IdentifierMatch | None:
    """The identifier category of a column/field name, or ``None`` when it is not personal."""
    if not name or not isinstance(name, str):
        return None
    return _taxonomy(policy).classify(name)


def fixed_place(name: str, policy: Policy | None = None) -> IdentifierMatch | None:
    """A fixed place's coordinate (``stop_lat``): the location match it would be without the
    infrastructure word, medium confidence. By itself not personal (a stops table); in rows
    keyed to a person or a device (a card tap, a Wi-Fi sighting) it is where that one was."""
    if not name or not isinstance(name, str):
        return None
    return _taxonomy(policy).fixed_place(name)


def renamed_data(
    match: IdentifierMatch, name: str, origins: Iterable[str], policy: Policy | None = None
) -> bool:
    """Whether ``name``, matched only by the bare word ``location`` (a coordinate pair in
    Chicago's 311 data, but also a place's text), names data traced to other columns none of
    which is a location (``{"location": site_address}``): those columns' names judge it,
    not the key (probe26 min/06: a street address reported as too precise coordinates)."""
    if match.matched != "location":
        return False
    others = [o for o in origins if o and o != name]
    return bool(others) and not any(
        ((found := classify_name(o, policy)) is not None and found.category == "location")
        or fixed_place(o, policy) is not None
        for o in others
    )


def fixed_place_test(policy: Policy | None = None) -> Callable[[str], bool]:
    """Whether a name is a fixed place's coordinate (``fixed_place``), cached for the run."""
    return _taxonomy(policy).is_fixed_place


def protected_key(name: str, policy: Policy | None = None) -> bool:
    """Whether ``name`` is a protected form of a person's or device's id (``card_token``)."""
    if not name or not isinstance(name, str):
        return False
    return _taxonomy(policy).protected_key(name)


@lru_cache(maxsize=4096)
def thing_name_alone(name: str) -> bool:
    """Whether ``name`` is medium only as a thing's name in code (``fullname``,
    ``client_name``: _THING_NAMES_ALONE): read from a person it counts in full."""
    return tuple(_raw_tokens(name)) in _THING_NAMES_ALONE


# Person words that in code are as often a program's: a library's client, a class's member or
# owner, a worker process, a resolver's candidate, a pub/sub subscriber, an account of a cloud.
_CODE_ROLES = _words(
    "client member owner worker candidate subscriber inspector account holder registered "
    "emergency contact"
)


def person_owner(name: str, policy: Policy | None = None) -> bool:
    """Whether ``name``, a value a field or attribute is read from (``user`` in
    ``user.fullname``, ``customer`` in ``customer["full_name"]``), names a person: its last
    word is a person word (``customer``, ``cust``, ``rider``, ``app_user``), not one that in
    code is as often a program's (``client``, ``member``, ``worker``)."""
    if not name or not isinstance(name, str):
        return False
    taxonomy = _taxonomy(policy)
    found = taxonomy.owners.get(name)
    if found is None:
        found = False
        for part in name.split():  # a parameter and its record class (``t Tenant``): either
            tokens = taxonomy._normalise(part)
            if tokens and _person_word(tokens[-1]) and tokens[-1] not in _CODE_ROLES:
                found = True
        if len(taxonomy.owners) < 100_000:
            taxonomy.owners[name] = found
    return found


def names_a_thing(name: str, policy: Policy | None = None) -> bool:
    """Whether ``name``, a value's (``job``, ``self.task``), names a thing that is no person
    (``_THING``: a job, a table, a host): the fields a record gives it (``{"name": job}``)
    are that thing's."""
    if not name or not isinstance(name, str):
        return False
    tokens = _taxonomy(policy)._normalise(name.rsplit(".", 1)[-1])
    return bool(tokens) and tokens[-1] in _THING and not _person_word(tokens[-1])


def counts_people(name: str) -> bool:
    """Whether ``name`` is a plural of people (``registrants``, ``patients``, ``people``,
    ``n_residents`` aside): what a column of a table of counts is named as often as ``n``."""
    tokens = _raw_tokens(name)
    if not tokens:
        return False
    last = tokens[-1]
    if last in ("people", "persons"):
        return True
    return len(last) > 4 and last.endswith("s") and _person_word(last[:-1])


def confidence_of(policy: Policy | None = None) -> Callable[[str], str | None]:
    """A function giving a name's match confidence (``classify_name(name).confidence``, or
    None). Cached per policy for the whole run: the Python pre-filter asks about every word
    of every file, and files share most of their words."""
    return _taxonomy(policy).levels.__getitem__


class _Levels(dict):
    """Name -> ``_Taxonomy.level`` of it, filled as names are asked about: a name asked
    again (the analysis asks 600,000 times in a run of bench/corpus/python) costs a lookup,
    not two Python calls."""

    def __init__(self, taxonomy: _Taxonomy) -> None:
        super().__init__()
        self._taxonomy = taxonomy

    def __missing__(self, name: str) -> str | None:
        level = self._taxonomy.level(name)
        if len(self) < 100_000:  # (as ``_Taxonomy.classify``'s cache)
            self[name] = level
        return level


# Plain concepts that name a service's own settings as often as a resident's: a login name
# (a database or service user) and an account (a cloud or billing account).
_SETTING_ALSO = frozenset({"username", "account_number"})


def names_a_person_alone(name: str, policy: Policy | None = None) -> bool:
    """Whether a name by itself, with no other context, names a person's identifier: a match
    of an unambiguous ("plain") concept that no service setting is also called (``phone``,
    ``email``, ``ssn``), or of a term the policy adds. Not the concepts whose meaning the
    words around them decide (``address``, ``name``, ``ip_address``, ``device_id``) nor a
    login or account, which name a service's own settings too."""
    match = classify_name(name, policy)
    if match is None:
        return False
    concept = _CONCEPTS.get(match.matched)
    if concept is None:
        return True  # a policy's own term
    return concept[2] == "plain" and match.matched not in _SETTING_ALSO


def trigger_words(policy: Policy | None = None) -> frozenset[str]:
    """Lower-case words (as written in names) without which no name can match.

    For cheap pre-filters: a text that contains none of them (as a substring of a longer
    word, for words over three letters) holds no identifier name. Over-matches by design.
    """
    taxonomy = _taxonomy(policy)
    concept_words = {t for c in taxonomy.concepts for t in c.tokens if not t.startswith("<")}
    words = set(concept_words) | set(_PERSON)
    for short, expansion in _ABBREV.items():
        if set(expansion.split()) & (concept_words | _PERSON):
            words.add(short)
    for source, target in _PHRASES:
        if set(target) & concept_words:
            words.update(source)
    # plurals read as the word (``_Taxonomy._singular``) not holding it: disabilit(ies), diagnos(es)
    words.update(w[:-1] for w in concept_words if w.endswith("y") and len(w) > 4)
    words.update(w[:-2] for w in concept_words if w.endswith("is") and len(w) > 5)
    return frozenset(w for w in words if len(w) >= 2)


def normalise(name: str, policy: Policy | None = None) -> list[str]:
    """The word tokens a name is matched on (for debugging and ``dhlint classify``)."""
    return _taxonomy(policy)._normalise(name)
