"""Azure resources through the engine (probe35): database exposure, literal connection strings
in app settings, an event hub's class, transport and vendor settings."""

from __future__ import annotations


def _found(result):
    return [(f.location.start_line, f.message) for f in result.active]


_PG = """resource "azurerm_postgresql_flexible_server" "{name}" {{
  name                = "kc-{name}"
  resource_group_name = "rg"
  location            = "centralus"
  version             = "16"
  sku_name            = "GP_Standard_D2s_v3"
{extra}}}
"""


def test_dh403_a_flexible_server_without_a_delegated_subnet_is_public(scan):
    """probe35 min/03: azurerm's public_network_access_enabled is true for a flexible server
    outside a delegated subnet (computed in v3, the argument's default in v4), so a server that
    sets neither is public; a delegated subnet (even one known only at apply) or the argument
    set to false is private."""
    text = "".join(
        _PG.format(name=name, extra=extra)
        for name, extra in (
            ("open", ""),
            ("explicit", "  public_network_access_enabled = true\n"),
            ("vnet", '  delegated_subnet_id = "/subscriptions/x/subnets/pg"\n'),
            ("vnet_later", "  delegated_subnet_id = azurerm_subnet.pg.id\n"),
            ("endpoint_only", "  public_network_access_enabled = false\n"),
        )
    )
    text += """resource "azurerm_mysql_flexible_server" "fares" {
  name                = "kc-fares"
  resource_group_name = "rg"
  location            = "centralus"
  sku_name            = "GP_Standard_D2ds_v4"
}
"""
    result = scan({"main.tf": text}, select=["DH403"])
    assert [(f.location.start_line, f.message) for f in result.active] == [
        (
            1,
            "azurerm_postgresql_flexible_server 'azurerm_postgresql_flexible_server.open': "
            "public_network_access_enabled is not set; the policy requires false (or a "
            "delegated_subnet_id)",
        ),
        (
            14,
            "azurerm_postgresql_flexible_server 'azurerm_postgresql_flexible_server.explicit': "
            "public_network_access_enabled is true; the policy requires false (or a "
            "delegated_subnet_id)",
        ),
        (
            40,
            "azurerm_mysql_flexible_server 'azurerm_mysql_flexible_server.fares': "
            "public_network_access_enabled is not set; the policy requires false (or a "
            "delegated_subnet_id)",
        ),
    ]


def test_dh407_azure_database_firewall_rule_open_to_the_internet(scan):
    """probe35 min/03: a database firewall rule whose range covers every public IPv4 address
    opens the server's port to the internet (PostgreSQL and MySQL flexible, SQL, the single
    servers); Azure's allow-Azure-services rule (0.0.0.0-0.0.0.0), a narrower range and a rule
    of a server known to be private are not judged. A range from a variable points at where it
    is written."""
    text = (
        _PG.format(name="trips", extra="")
        + _PG.format(name="private", extra="  public_network_access_enabled = false\n")
        + """resource "azurerm_postgresql_flexible_server_firewall_rule" "everyone" {
  name             = "allow-all"
  server_id        = azurerm_postgresql_flexible_server.trips.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}
resource "azurerm_postgresql_flexible_server_firewall_rule" "private" {
  name             = "allow-all"
  server_id        = azurerm_postgresql_flexible_server.private.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}
resource "azurerm_postgresql_flexible_server_firewall_rule" "azure" {
  name             = "AllowAzureServices"
  server_id        = azurerm_postgresql_flexible_server.trips.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "0.0.0.0"
}
resource "azurerm_mysql_flexible_server_firewall_rule" "all" {
  name                = "all"
  resource_group_name = "rg"
  server_name         = "kc-fares"
  start_ip_address    = "1.0.0.0"
  end_ip_address      = var.last_ip
}
resource "azurerm_mssql_firewall_rule" "office" {
  name             = "office"
  server_id        = "/subscriptions/x/servers/kc-311"
  start_ip_address = "203.0.113.0"
  end_ip_address   = "203.0.113.255"
}
resource "azurerm_mssql_firewall_rule" "all" {
  name             = "all"
  server_id        = "/subscriptions/x/servers/kc-311"
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}
resource "azurerm_postgresql_firewall_rule" "legacy" {
  name                = "all"
  resource_group_name = "rg"
  server_name         = "kc-legacy"
  start_ip_address    = "0.0.0.0"
  end_ip_address      = "255.255.255.254"
}
variable "last_ip" {
  default = "255.255.255.255"
}
"""
    )
    result = scan({"main.tf": text}, select=["DH407"])
    assert _found(result) == [
        (
            20,
            "azurerm_postgresql_flexible_server_firewall_rule "
            "'azurerm_postgresql_flexible_server_firewall_rule.everyone' opens database port "
            "5432 to 0.0.0.0-255.255.255.255",
        ),
        (
            39,
            "azurerm_mysql_flexible_server_firewall_rule "
            "'azurerm_mysql_flexible_server_firewall_rule.all' opens database port 3306 to "
            "1.0.0.0-255.255.255.255",
        ),
        (
            51,
            "azurerm_mssql_firewall_rule 'azurerm_mssql_firewall_rule.all' opens database "
            "port 1433 to 0.0.0.0-255.255.255.255",
        ),
        (
            58,
            "azurerm_postgresql_firewall_rule 'azurerm_postgresql_firewall_rule.legacy' opens "
            "database port 5432 to 0.0.0.0-255.255.255.254",
        ),
    ]
    assert [(r.location.start_line, r.label) for r in result.active[1].related] == [
        (61, "the value comes from the default of var.last_ip")
    ]


def test_dh407_a_server_in_a_delegated_subnet_known_only_at_apply_is_private(scan):
    """probe45 04 (min/05): a flexible server whose delegated_subnet_id is a reference
    (azurerm_subnet.db.id, known only at apply) is private, as DH403 reads it: its firewall
    rules open nothing. A subnet set on one branch of a conditional only, or a variable whose
    default is null, leaves the server public."""
    rule = """resource "azurerm_postgresql_flexible_server_firewall_rule" "{name}" {{
  name             = "all"
  server_id        = azurerm_postgresql_flexible_server.{name}.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}}
"""
    servers = (
        ("ref", "  delegated_subnet_id = azurerm_subnet.db.id\n"),
        ("varref", "  delegated_subnet_id = var.subnet_id\n"),
        ("maybe", "  delegated_subnet_id = var.private ? azurerm_subnet.db.id : null\n"),
        ("nulldefault", "  delegated_subnet_id = var.no_subnet\n"),
    )
    text = "".join(_PG.format(name=n, extra=e) + rule.format(name=n) for n, e in servers)
    text += """variable "subnet_id" {
  type = string
}
variable "private" {
  type = bool
}
variable "no_subnet" {
  default = null
}
"""
    result = scan({"main.tf": text}, select=["DH407"])
    assert [f.anchor.split(":")[0] for f in result.active] == [
        "azurerm_postgresql_flexible_server_firewall_rule.maybe",
        "azurerm_postgresql_flexible_server_firewall_rule.nulldefault",
    ]


def test_dh304_an_event_hub_takes_its_namespaces_classification(scan):
    """probe35 min/02: an event hub has no tags; a sensitive namespace's hub (named by v3's
    namespace_name, v4's namespace_id or a literal name) may keep 30 days, not 60; a hub of a
    namespace not in the tree is of the default class."""
    text = """resource "azurerm_eventhub_namespace" "mds" {
  name                = "kcmob-mds"
  location            = "centralus"
  resource_group_name = "rg-mob"
  sku                 = "Premium"
  tags = {
    "data-classification" = "sensitive"
  }
}
resource "azurerm_eventhub" "trips" {
  name                = "trips"
  namespace_name      = azurerm_eventhub_namespace.mds.name
  resource_group_name = "rg-mob"
  partition_count     = 4
  message_retention   = 60
}
resource "azurerm_eventhub" "status" {
  name              = "status"
  namespace_id      = azurerm_eventhub_namespace.mds.id
  partition_count   = 4
  message_retention = 31
}
resource "azurerm_eventhub" "by_name" {
  name                = "vehicles"
  namespace_name      = "kcmob-mds"
  resource_group_name = "rg-mob"
  partition_count     = 4
  message_retention   = 45
}
resource "azurerm_eventhub" "elsewhere" {
  name                = "other"
  namespace_name      = "kcmob-other"
  resource_group_name = "rg-mob"
  partition_count     = 4
  message_retention   = 60
}
"""
    policy = {"retention": {"by_class": {"personal": 180, "sensitive": 30}}}
    result = scan({"main.tf": text}, select=["DH304"], policy=policy)
    assert _found(result) == [
        (
            15,
            "azurerm_eventhub 'azurerm_eventhub.trips' keeps records for 60 days; the policy "
            "allows at most 30 days for 'sensitive' data",
        ),
        (
            21,
            "azurerm_eventhub 'azurerm_eventhub.status' keeps records for 31 days; the policy "
            "allows at most 30 days for 'sensitive' data",
        ),
        (
            28,
            "azurerm_eventhub 'azurerm_eventhub.by_name' keeps records for 45 days; the policy "
            "allows at most 30 days for 'sensitive' data",
        ),
    ]


# Values too long for a line of this file, put into the Terraform text by name.
_LONG = {
    "EH_KEY": "Endpoint=sb://kcmob-mds.servicebus.windows.net/;SharedAccessKeyName=send;"
    "SharedAccessKey=3kQ9vJm0pXr2LwZs8Yt6Nb4Hc1Fd7Ge5Ua0Io2Pe9Rw=",
    "LAKE_KEY": "DefaultEndpointsProtocol=https;AccountName=kcmobraw;"
    "AccountKey=Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg=;EndpointSuffix=core.windows.net",
    "EH_REF": "Endpoint=sb://kcmob-mds.servicebus.windows.net/;SharedAccessKeyName=send;"
    "SharedAccessKey=${azurerm_eventhub_authorization_rule.send.primary_key}",
    "EMULATOR_KEY": "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
    "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;",
    "MANAGED_ID": "Server=tcp:kcmob-sql.database.windows.net;"
    "Authentication=Active Directory Managed Identity;Database=permits",
    "SQL_PASSWORD": "Server=tcp:kcmob-sql.database.windows.net;Database=permits;User ID=portal;"
    "Password=Perm1ts-2026;",
}


def test_dh701_app_settings_and_connection_strings_holding_a_literal_key_or_password(scan):
    """probe35 min/07: a function or web app's settings are judged by what they hold, as DH743
    judges a ConfigMap's values: an Event Hubs SharedAccessKey, a storage AccountKey, a URL or
    ADO string with a password, whatever the setting's name; a Key Vault reference, a key
    interpolated from a resource, the storage emulator's published key and a connection
    without a key are not. A name-matched setting is named once."""
    text = """resource "azurerm_linux_function_app" "ingest" {
  name                 = "kcmob-ingest"
  resource_group_name  = "rg-mob"
  location             = "centralus"
  service_plan_id      = "/subscriptions/x/plan"
  storage_account_name = "kcmobfn"
  site_config {}
  app_settings = {
    EVENTHUB_CONNECTION = "EH_KEY"
    LAKE_CONNECTION     = "LAKE_KEY"
    TRIPS_DB            = "postgresql://mobadmin:Scoot3r!Kc2026@${azurerm_postgresql_flexible_server.trips.fqdn}/mds"
    VEO_MDS_TOKEN       = "veo-live-9f8e7d6c5b4a"
    QUEUE               = "EH_REF"
    VAULTED             = "@Microsoft.KeyVault(SecretUri=https://kcmob.vault.azure.net/secrets/lake/)"
    EMULATOR            = "EMULATOR_KEY"
    MANAGED             = "MANAGED_ID"
  }
}
resource "azurerm_windows_web_app" "portal" {
  name                = "kcmob-portal"
  resource_group_name = "rg-mob"
  location            = "centralus"
  service_plan_id     = "/subscriptions/x/plan"
  site_config {}
  connection_string {
    name  = "Permits"
    type  = "SQLAzure"
    value = "SQL_PASSWORD"
  }
  connection_string {
    name  = "Cache"
    type  = "Custom"
    value = "kcmob.redis.cache.windows.net:6380,ssl=True,abortConnect=False"
  }
}
resource "azurerm_linux_web_app" "clean" {
  name                = "kcmob-clean"
  resource_group_name = "rg-mob"
  location            = "centralus"
  service_plan_id     = "/subscriptions/x/plan"
  site_config {}
  app_settings = {
    LAKE_URL = "https://kcmobraw.blob.core.windows.net/"
  }
}
"""
    for name, value in _LONG.items():
        text = text.replace(f'"{name}"', f'"{value}"')
    result = scan({"main.tf": text}, select=["DH701"])
    assert _found(result) == [
        (
            12,
            "azurerm_linux_function_app 'azurerm_linux_function_app.ingest' sets "
            "app_settings.VEO_MDS_TOKEN, app_settings.EVENTHUB_CONNECTION, "
            "app_settings.LAKE_CONNECTION, app_settings.TRIPS_DB to literal values",
        ),
        (
            28,
            "azurerm_windows_web_app 'azurerm_windows_web_app.portal' sets "
            "connection_string.value (Permits) to a literal value",
        ),
    ]


def test_dh208_messaging_namespace_tls_below_1_2(scan):
    """probe35 min/09: an Event Hubs or Service Bus namespace allowing TLS 1.0/1.1 is DH208;
    1.2 (a string or a number) and the default are not."""
    text = """resource "azurerm_eventhub_namespace" "mds" {
  name                = "kcmob-mds"
  location            = "centralus"
  resource_group_name = "rg-mob"
  sku                 = "Standard"
  minimum_tls_version = "1.0"
}
resource "azurerm_servicebus_namespace" "jobs" {
  name                = "kcmob-jobs"
  location            = "centralus"
  resource_group_name = "rg-mob"
  sku                 = "Standard"
  minimum_tls_version = "1.1"
}
resource "azurerm_eventhub_namespace" "ok" {
  name                = "kcmob-ok"
  location            = "centralus"
  resource_group_name = "rg-mob"
  sku                 = "Standard"
  minimum_tls_version = 1.2
}
resource "azurerm_servicebus_namespace" "default" {
  name                = "kcmob-default"
  location            = "centralus"
  resource_group_name = "rg-mob"
  sku                 = "Standard"
}
"""
    result = scan({"main.tf": text}, select=["DH208"])
    assert [(f.location.start_line, f.message.split(": ", 1)[1]) for f in result.active] == [
        (6, "minimum_tls_version is 1.0; the policy requires 1.2 or newer"),
        (13, "minimum_tls_version is 1.1; the policy requires 1.2 or newer"),
    ]


def test_dh210_dh605_function_and_web_app_settings_urls(scan):
    """probe35 min/09: an app setting's URL is judged as a Lambda environment's: http:// to a
    remote host is DH210, a host not approved is DH605; an approved vendor's https URL, the
    city's own storage account and a Key Vault reference are not."""
    text = """resource "azurerm_storage_account" "raw" {
  name                     = "kcmobraw"
  resource_group_name      = "rg-mob"
  location                 = "centralus"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
resource "azurerm_linux_function_app" "ingest" {
  name                 = "kcmob-ingest"
  resource_group_name  = "rg-mob"
  location             = "centralus"
  service_plan_id      = "/subscriptions/x/plan"
  storage_account_name = "kcmobfn"
  site_config {}
  app_settings = {
    RESEARCH_UPLOAD_URL = "http://upload.triplab.umkc-research.example/ingest"
    MDS_LIME_URL        = "https://mds.lime.example/kansas-city/trips"
    LAKE_URL            = "https://kcmobraw.blob.core.windows.net/raw"
    TOKEN               = "@Microsoft.KeyVault(SecretUri=https://kcmob.vault.azure.net/secrets/t/)"
  }
}
resource "azurerm_windows_web_app_slot" "staging" {
  name           = "staging"
  app_service_id = "/subscriptions/x/sites/kcmob-portal"
  site_config {}
  app_settings = {
    TILES = "https://tiles.mapvendor.example/v1"
  }
}
"""
    policy = {"approved_vendors": ["mds.lime.example"]}
    result = scan({"main.tf": text}, select=["DH210", "DH605"], policy=policy)
    assert [(f.rule_id, f.location.start_line, f.message) for f in result.active] == [
        (
            "DH210",
            16,
            "'RESEARCH_UPLOAD_URL' of azurerm_linux_function_app "
            "'azurerm_linux_function_app.ingest' uses unencrypted http:// to "
            "'upload.triplab.umkc-research.example'",
        ),
        (
            "DH605",
            16,
            "azurerm_linux_function_app 'azurerm_linux_function_app.ingest' sends data to "
            "upload.triplab.umkc-research.example, which is not on the policy's approved "
            "vendor list",
        ),
        (
            "DH605",
            27,
            "azurerm_windows_web_app_slot 'azurerm_windows_web_app_slot.staging' sends data to "
            "tiles.mapvendor.example, which is not on the policy's approved vendor list",
        ),
    ]


def test_dh403_cosmos_db_open_to_any_address(scan):
    """probe35 min/09: a Cosmos DB account with public network access (the default) and no IP
    or virtual network filter is reachable from the internet; one with a filter, or with
    public access off, is not."""
    account = """resource "azurerm_cosmosdb_account" "{name}" {{
  name                = "kc-{name}"
  location            = "centralus"
  resource_group_name = "rg"
  offer_type          = "Standard"
{extra}  consistency_policy {{
    consistency_level = "Session"
  }}
  geo_location {{
    location          = "centralus"
    failover_priority = 0
  }}
}}
"""
    text = "".join(
        account.format(name=name, extra=extra)
        for name, extra in (
            ("open", "  public_network_access_enabled = true\n"),
            ("default", ""),
            ("filtered", '  ip_range_filter = ["203.0.113.0/24"]\n'),
            ("vnet", "  is_virtual_network_filter_enabled = true\n"),
            ("private", "  public_network_access_enabled = false\n"),
        )
    )
    result = scan({"main.tf": text}, select=["DH403"])
    expected = "; the policy requires false (or an ip_range_filter or a virtual network filter)"
    assert [(f.location.start_line, f.message) for f in result.active] == [
        (
            6,
            "azurerm_cosmosdb_account 'azurerm_cosmosdb_account.open': "
            "public_network_access_enabled is true" + expected,
        ),
        (
            15,
            "azurerm_cosmosdb_account 'azurerm_cosmosdb_account.default': "
            "public_network_access_enabled is not set" + expected,
        ),
    ]


def test_dh403_a_cosmos_db_ip_filter_admitting_every_address_restricts_nothing(scan):
    """probe41 #4 (min/05): ip_range_filter = ["0.0.0.0/0"] on a public account counted as a
    restriction. A filter admitting every public IPv4 address (a list or azurerm v3's
    comma-separated string, one range or several together) is judged, also beside a virtual
    network filter (either admits); "0.0.0.0" alone (Azure datacenters), a narrower range,
    public access off or an unknown entry are not."""
    account = """resource "azurerm_cosmosdb_account" "{name}" {{
  name                = "kc-{name}"
  location            = "centralus"
  resource_group_name = "rg"
  offer_type          = "Standard"
  ip_range_filter     = {ips}
{extra}}}
"""
    cases = (
        ("all", '["0.0.0.0/0"]', ""),
        ("v3_string", '"203.0.113.7,0.0.0.0/0"', ""),
        ("halves", '["0.0.0.0/1", "128.0.0.0/1"]', ""),
        ("with_vnet", '["10.0.0.1", "0.0.0.0/0"]', "  is_virtual_network_filter_enabled = true\n"),
        ("azure_dcs", '"0.0.0.0"', ""),
        ("office", '["203.0.113.0/24", "0.0.0.0"]', ""),
        ("private", '["0.0.0.0/0"]', "  public_network_access_enabled = false\n"),
        ("unknown", '[var.office_range, "10.0.0.0/8"]', ""),
        ("unknown_but_all", '[var.office_range, "0.0.0.0/0"]', ""),
    )
    text = "".join(account.format(name=n, ips=ips, extra=extra) for n, ips, extra in cases)
    result = scan({"main.tf": text}, select=["DH403"])
    expected = (
        "; the policy requires addresses narrower than the whole internet"
        " (or public_network_access_enabled = false)"
    )
    head = "azurerm_cosmosdb_account 'azurerm_cosmosdb_account."
    assert _found(result) == [
        (6, head + "all': ip_range_filter is 0.0.0.0/0" + expected),
        (13, head + "v3_string': ip_range_filter is 203.0.113.7,0.0.0.0/0" + expected),
        (20, head + "halves': ip_range_filter is 0.0.0.0/1, 128.0.0.0/1" + expected),
        (27, head + "with_vnet': ip_range_filter is 0.0.0.0/0" + expected),
        (64, head + "unknown_but_all': ip_range_filter is 0.0.0.0/0" + expected),
    ]


def test_dh302_cosmos_db_containers_without_a_ttl_keep_items_forever(scan):
    """probe (h6/4): a Cosmos DB container holding personal data with no default_ttl (items
    never expire), default_ttl = -1 (only items the code gives a ttl expire) or an analytical
    store kept forever (analytical_storage_ttl = -1) or longer than the maximum passed DH302,
    which judged buckets and storage accounts only. The class is the account's (no tags on a
    container): a public account's containers have no maximum."""
    container = """resource "azurerm_cosmosdb_sql_container" "{name}" {{
  name                = "{name}"
  account_name        = {account}
  resource_group_name = "rg"
  database_name       = "db"
  partition_key_paths = ["/id"]
{extra}}}
"""
    text = """resource "azurerm_cosmosdb_account" "trips" {
  name                = "kc-trips"
  location            = "centralus"
  resource_group_name = "rg"
  offer_type          = "Standard"
  tags = {
    "data-classification" = "sensitive"
  }
}
"""
    cases = [
        ("none", ""),
        ("minus", "  default_ttl = -1\n"),
        ("ok", "  default_ttl = 2592000\n  analytical_storage_ttl = 2592000\n"),
        ("analytical", "  default_ttl = 2592000\n  analytical_storage_ttl = -1\n"),
        ("long", "  default_ttl = 2592000\n  analytical_storage_ttl = 8640000\n"),
        ("unknown", "  default_ttl = var.ttl\n"),
    ]
    for name, extra in cases:
        text += container.format(
            name=name, account="azurerm_cosmosdb_account.trips.name", extra=extra
        )
    text += 'variable "ttl" {}\n'
    found = [
        (line, m.split("(expiration: ")[1])
        for line, m in _found(scan({"main.tf": text}, select=["DH302"]))
    ]
    assert found == [
        (10, "default_ttl not set, items never expire)"),
        (23, "default_ttl = -1, an item expires only if the code gives it a ttl)"),
        (41, "analytical_storage_ttl = -1, the analytical store keeps every item forever)"),
        (50, "100 days)"),
    ]
    message = _found(scan({"main.tf": text}, select=["DH302"]))[0][1]
    assert "within 90 days for 'sensitive' data" in message
    public = text.replace('"sensitive"', '"public"')
    assert scan({"main.tf": public}, select=["DH302"]).active == []


def test_dh302_an_account_immutability_policy_is_a_floor_beside_a_delete_rule(scan):
    """probe42 (item 1, Azure alike): an account's version-level immutability policy keeps
    every blob version its period_since_creation_in_days; a management policy deleting after
    90 days cannot delete a protected one. Unlocked or Locked; Disabled protects nothing."""
    account = """resource "azurerm_storage_account" "{name}" {{
  name                     = "kc{name}"
  resource_group_name      = "rg"
  location                 = "centralus"
  account_tier             = "Standard"
  account_replication_type = "GRS"
  tags                     = {{ "data-classification" = "personal" }}
  immutability_policy {{
    allow_protected_append_writes = false
    state                         = "{state}"
    period_since_creation_in_days = 3650
  }}
}}
resource "azurerm_storage_management_policy" "{name}" {{
  storage_account_id = azurerm_storage_account.{name}.id
  rule {{
    name    = "expire"
    enabled = true
    filters {{
      blob_types = ["blockBlob"]
    }}
    actions {{
      base_blob {{
        delete_after_days_since_creation_greater_than = 90
      }}
    }}
  }}
}}
"""
    text = "".join(account.format(name=s, state=s.title()) for s in ("locked", "unlocked"))
    text += account.format(name="disabled", state="Disabled")
    found = [
        (line, m.split("(expiration: ")[1])
        for line, m in _found(scan({"main.tf": text}, select=["DH302"]))
    ]
    assert found == [
        (
            11,
            "3650 days: the immutability policy (Locked) keeps every blob version that long; "
            "the lifecycle's 90 days cannot delete a protected one)",
        ),
        (
            39,
            "3650 days: the immutability policy (Unlocked) keeps every blob version that long; "
            "the lifecycle's 90 days cannot delete a protected one)",
        ),
    ]


def test_dh302_cosmos_db_mongo_cassandra_and_gremlin_containers_are_judged_alike(scan):
    """h5 #2: DH302 judged SQL API containers' default_ttl only, so a MongoDB collection, a
    Cassandra table or a Gremlin graph of a sensitive account kept its items forever
    unnoticed. Each is judged as a SQL container is, by its own TTL attribute
    (default_ttl_seconds for a collection) and the account's class (a Cassandra table's
    through its keyspace); a public account's have no maximum."""
    text = """resource "azurerm_cosmosdb_account" "iot" {
  name                = "kc-iot"
  location            = "centralus"
  resource_group_name = "rg"
  offer_type          = "Standard"
  tags                = { "data-classification" = "sensitive" }
}
resource "azurerm_cosmosdb_mongo_collection" "readings" {
  name                = "readings"
  resource_group_name = "rg"
  account_name        = azurerm_cosmosdb_account.iot.name
  database_name       = "iot"
  default_ttl_seconds = -1
}
resource "azurerm_cosmosdb_mongo_collection" "ok" {
  name                = "ok"
  resource_group_name = "rg"
  account_name        = azurerm_cosmosdb_account.iot.name
  database_name       = "iot"
  default_ttl_seconds = 2592000
}
resource "azurerm_cosmosdb_cassandra_keyspace" "ks" {
  name                = "ks"
  resource_group_name = "rg"
  account_name        = azurerm_cosmosdb_account.iot.name
}
resource "azurerm_cosmosdb_cassandra_table" "trips" {
  name                  = "trips"
  cassandra_keyspace_id = azurerm_cosmosdb_cassandra_keyspace.ks.id
  default_ttl           = 15552000
  schema {
    column {
      name = "id"
      type = "ascii"
    }
    partition_key { name = "id" }
  }
}
resource "azurerm_cosmosdb_gremlin_graph" "riders" {
  name                = "riders"
  resource_group_name = "rg"
  account_name        = azurerm_cosmosdb_account.iot.name
  database_name       = "g"
  partition_key_path  = "/id"
}
"""
    found = [
        (line, m.split("(expiration: ")[1])
        for line, m in _found(scan({"main.tf": text}, select=["DH302"]))
    ]
    assert found == [
        (13, "default_ttl_seconds = -1, an item expires only if the code gives it a ttl)"),
        (30, "180 days)"),
        (39, "default_ttl not set, items never expire)"),
    ]
    public = text.replace('"sensitive"', '"public"')
    assert scan({"main.tf": public}, select=["DH302"]).active == []


_SA = """resource "azurerm_storage_account" "{name}" {{
  name                     = "kc{name}"
  resource_group_name      = "rg"
  location                 = "centralus"
  account_tier             = "Standard"
  account_replication_type = "LRS"
{extra}}}
"""


def _azurerm(version):
    return f"""terraform {{
  required_providers {{
    azurerm = {{
      source  = "hashicorp/azurerm"
      version = "{version}"
    }}
  }}
}}
"""


def test_dh604_an_account_without_the_argument_under_azurerm_v3(scan):
    """h5 #3: azurerm made cross_tenant_replication_enabled true before v4.0, so an account that
    leaves it out is replicable to other tenants when the module's version constraints allow
    v3; with v4 only, or no constraint (terraform init installs the newest), it is not; a
    constraint in a called module counts (Terraform picks one version for all)."""
    accounts = _SA.format(name="unset", extra="") + _SA.format(
        name="off", extra="  cross_tenant_replication_enabled = false\n"
    )
    on = _SA.format(name="on", extra="  cross_tenant_replication_enabled = true\n")

    def found(files):
        return _found(scan(files, select=["DH604"]))

    v3 = found({"main.tf": accounts, "versions.tf": _azurerm("~> 3.100")})
    assert v3 == [
        (
            1,
            "azurerm_storage_account 'azurerm_storage_account.unset': "
            "cross_tenant_replication_enabled is not set, and azurerm before v4.0 (which the "
            "module's version constraint '~> 3.100' allows) makes it true; the policy requires "
            "false",
        )
    ]
    related = scan({"main.tf": accounts, "versions.tf": _azurerm("~> 3.100")}, select=["DH604"])
    assert [
        (r.location.path, r.location.start_line, r.label) for r in related.active[0].related
    ] == [("versions.tf", 3, "hashicorp/azurerm version ~> 3.100")]
    assert [line for line, _ in found({"main.tf": accounts, "v.tf": _azurerm(">= 3.0")})] == [1]
    # A 0.12-style constraint (a string) and one set in a called module.
    old = 'terraform {\n  required_providers {\n    azurerm = "~> 3.0"\n  }\n}\n'
    assert [line for line, _ in found({"main.tf": accounts, "v.tf": old})] == [1]
    child = {
        "main.tf": 'module "store" {\n  source = "./store"\n}\n',
        "store/main.tf": accounts,
        "store/versions.tf": _azurerm(">= 3.50"),
    }
    assert [
        (f.location.path, f.location.start_line) for f in scan(child, select=["DH604"]).active
    ] == [("store/main.tf", 1)]
    assert found({"main.tf": accounts, "v.tf": _azurerm("~> 4.0")}) == []
    assert found({"main.tf": accounts}) == []
    # >= 3.0 here, ~> 4.1 in the called module: only v4 meets both.
    both = {**child, "store/versions.tf": _azurerm("~> 4.1"), "v.tf": _azurerm(">= 3.0")}
    assert found(both) == []
    # Explicitly true is reported whatever the version.
    assert [line for line, _ in found({"main.tf": on, "v.tf": _azurerm("~> 4.0")})] == [7]


def test_dh212_dh210_read_an_app_services_connection_string_blocks(scan):
    """probe41 #9 (min/07): DH212 read a web app's app_settings only; a connection_string block
    (App Service hands it to the app as SQLAZURECONNSTR_<name>) with Encrypt=False, or a
    plain http:// URL in one (DH210), passed. Both now read the blocks, slots included."""
    text = """resource "azurerm_linux_web_app" "portal" {
  name                = "citylib-portal"
  resource_group_name = "rg"
  location            = "eastus2"
  service_plan_id     = "plan-id"
  https_only          = true
  connection_string {
    name  = "patrons"
    type  = "SQLAzure"
    value = "Server=tcp:patrons.example.net,1433;Database=p;Password=${var.pw};Encrypt=False;"
  }
  connection_string {
    name  = "holds"
    type  = "SQLAzure"
    value = "Server=tcp:holds.database.windows.net,1433;Database=h;Encrypt=True;"
  }
}

resource "azurerm_windows_function_app_slot" "staging" {
  name                 = "staging"
  function_app_id      = "app-id"
  storage_account_name = "sa"
  connection_string {
    name  = "feed"
    type  = "Custom"
    value = "http://reports.example.net/feed"
  }
}
"""
    result = scan({"main.tf": text}, select=["DH210", "DH212"])
    assert [(f.rule_id, f.location.start_line, f.message) for f in result.active] == [
        (
            "DH212",
            10,
            "'patrons' of azurerm_linux_web_app 'azurerm_linux_web_app.portal' turns off TLS or "
            "its verification (Encrypt=False)",
        ),
        (
            "DH210",
            26,
            "'feed' of azurerm_windows_function_app_slot "
            "'azurerm_windows_function_app_slot.staging' uses unencrypted http:// to "
            "'reports.example.net'",
        ),
    ]


_APP = """resource "{type}" "{name}" {{
  name                = "kc-{name}"
  resource_group_name = "rg"
  location            = "centralus"
{extra}}}
"""


def test_dh213_azure_apps_and_gateways_that_allow_plain_http_or_old_tls(scan):
    """probe41 #8 (min/06): a web app with https_only = false (the provider's default too) and
    site_config.minimum_tls_version = "1.0", and an application gateway whose ssl_policy is
    AppGwSslPolicy20150501 (TLS 1.0), had no finding. Apps and gateways holding personal data
    (by their tag; none: the default class) are judged; public ones, unknown values and a
    gateway without an ssl_policy (its default depends on the API version) are not."""
    cases = (
        ("azurerm_linux_web_app", "default", ""),
        ("azurerm_linux_web_app", "http", "  https_only = false\n"),
        ("azurerm_linux_web_app", "public", '  tags = { data-classification = "public" }\n'),
        ("azurerm_linux_web_app", "later", "  https_only = var.https_only\n"),
        (
            "azurerm_windows_function_app_slot",
            "tls11",
            '  https_only = true\n  site_config {\n    minimum_tls_version = "1.1"\n  }\n',
        ),
        (
            "azurerm_app_service",
            "legacy",
            '  https_only = true\n  site_config {\n    min_tls_version = "1.0"\n  }\n',
        ),
        (
            "azurerm_linux_function_app",
            "good",
            '  https_only = true\n  site_config {\n    minimum_tls_version = "1.2"\n  }\n',
        ),
        (
            "azurerm_application_gateway",
            "agw_old",
            '  ssl_policy {\n    policy_type = "Predefined"\n'
            '    policy_name = "AppGwSslPolicy20150501"\n  }\n',
        ),
        (
            "azurerm_application_gateway",
            "agw_custom",
            '  ssl_policy {\n    policy_type          = "Custom"\n'
            '    min_protocol_version = "TLSv1_0"\n  }\n',
        ),
        (
            "azurerm_application_gateway",
            "agw_profile",
            '  ssl_profile {\n    name = "residents"\n    ssl_policy {\n'
            '      policy_name = "AppGwSslPolicy20170401"\n    }\n  }\n',
        ),
        (
            "azurerm_application_gateway",
            "agw_good",
            '  ssl_policy {\n    policy_type = "Predefined"\n'
            '    policy_name = "AppGwSslPolicy20220101"\n  }\n',
        ),
        ("azurerm_application_gateway", "agw_default", ""),
        (
            "azurerm_application_gateway",
            "agw_public",
            '  ssl_policy {\n    policy_name = "AppGwSslPolicy20150501"\n  }\n'
            '  tags = { data-classification = "public" }\n',
        ),
    )
    text = "".join(_APP.format(type=t, name=n, extra=extra) for t, n, extra in cases)
    result = scan({"main.tf": text}, select=["DH213"])
    found = [(f.location.start_line, f.message.split(": ", 1)[1]) for f in result.active]
    https = "; the policy requires true (the provider's default is false, which serves plain HTTP)"
    tls = "; the policy requires 1.2 or newer"
    agw = (
        "; the policy requires AppGwSslPolicy20220101 or AppGwSslPolicy20220101S (TLS 1.2 or newer)"
    )
    assert found == [
        (1, "https_only is not set" + https),
        (10, "https_only is false" + https),
        (30, "site_config.minimum_tls_version is 1.1" + tls),
        (39, "site_config.min_tls_version is 1.0" + tls),
        (57, "ssl_policy.policy_name is AppGwSslPolicy20150501" + agw),
        (66, "ssl_policy.min_protocol_version is TLSv1_0; the policy requires TLSv1_2 or newer"),
        (76, "ssl_profile.ssl_policy.policy_name is AppGwSslPolicy20170401" + agw),
    ]
    assert result.active[0].message.startswith(
        "azurerm_linux_web_app 'azurerm_linux_web_app.default': "
    )


def test_dh118_a_sensitive_cosmos_db_account_without_a_customer_managed_key(scan):
    """probe41 #12 (min/11): a Cosmos DB account of sensitive data (library search history)
    without key_vault_key_id is encrypted with Microsoft's key only; DH118 judged storage
    accounts and disks. A key (Key Vault or, azurerm v4, a managed HSM's), a class the policy
    does not name for a customer key, or a key known only at apply pass."""
    account = """resource "azurerm_cosmosdb_account" "{name}" {{
  name                = "kc-{name}"
  location            = "centralus"
  resource_group_name = "rg"
  offer_type          = "Standard"
{extra}  tags = {{ data-classification = "{cls}" }}
}}
"""
    cases = (
        ("searches", "", "sensitive"),
        ("keyed", '  key_vault_key_id = "https://kv.vault.azure.net/keys/s"\n', "sensitive"),
        ("hsm", '  managed_hsm_key_id = "https://hsm.managedhsm.azure.net/keys/s"\n', "sensitive"),
        ("later", "  key_vault_key_id = azurerm_key_vault_key.s.versionless_id\n", "sensitive"),
        ("events", "", "personal"),
    )
    text = "".join(account.format(name=n, extra=e, cls=c) for n, e, c in cases)
    result = scan({"main.tf": text}, select=["DH118"])
    assert _found(result) == [
        (
            1,
            "azurerm_cosmosdb_account 'azurerm_cosmosdb_account.searches': key_vault_key_id is "
            "not set; the policy requires a customer-managed key (key_vault_key_id)",
        )
    ]


def test_dh306_azure_sql_long_term_backups_kept_longer_than_the_maximum(scan):
    """probe41 #12 (min/11): an Azure SQL database of sensitive data keeping yearly backups
    ten years (P10Y) and weekly ones 520 weeks had no finding (DH306 did not read Azure's
    long-term retention, ISO 8601 durations). One finding per database, at the longest;
    point-in-time days are judged alike (35 days under a policy keeping sensitive data 21
    days); within the maximum, PT0S (none), an unknown value or a class without a maximum
    pass."""
    database = """resource "azurerm_mssql_database" "{name}" {{
  name      = "{name}"
  server_id = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Sql/servers/lib"
{extra}  tags = {{ data-classification = "{cls}" }}
}}
"""

    def ltr(**kw):
        inner = "".join(f'    {k} = "{v}"\n' for k, v in kw.items())
        return f"  long_term_retention_policy {{\n{inner}  }}\n"

    cases = (
        ("patrons", ltr(weekly_retention="P520W", yearly_retention="P10Y"), "sensitive"),
        ("loans", ltr(monthly_retention="P13M"), "personal"),
        ("pitr", "  short_term_retention_policy {\n    retention_days = 35\n  }\n", "sensitive"),
        ("year", ltr(monthly_retention="P12M", weekly_retention="PT0S"), "personal"),
        ("off", ltr(yearly_retention="PT0S"), "sensitive"),
        (
            "later",
            "  long_term_retention_policy {\n    yearly_retention = var.keep\n  }\n",
            "personal",
        ),
        ("catalogue", ltr(yearly_retention="P10Y"), "public"),
    )
    text = "".join(database.format(name=n, extra=e, cls=c) for n, e, c in cases)
    policy = {"retention": {"by_class": {"sensitive": 21}}}
    result = scan({"main.tf": text}, policy=policy, select=["DH306"])
    head = "azurerm_mssql_database 'azurerm_mssql_database."
    assert _found(result) == [
        (
            6,
            head + "patrons' keeps database backups for 3650 days; the policy allows at most "
            "21 days for 'sensitive' data",
        ),
        (
            14,
            head + "loans' keeps database backups for 395.4 days; the policy allows at most "
            "365 days for 'personal' data",
        ),
        (
            22,
            head + "pitr' keeps database backups for 35 days; the policy allows at most "
            "21 days for 'sensitive' data",
        ),
    ]


def test_dh306_azure_database_servers_and_cosmos_db_backups(scan):
    """probe45 08: an Azure PostgreSQL flexible server of sensitive data keeping backups 35 days
    (backup_retention_days) under a policy allowing 30 had no finding (DH306 read only Cloud
    SQL, RDS and Azure SQL); MySQL and the single servers alike, and a Cosmos DB account's
    periodic backups (retention_in_hours, 24 to the day). Within the maximum, unset (the
    providers' 7 days, 8 hours) or continuous backups pass."""
    text = """resource "azurerm_postgresql_flexible_server" "cases" {
  name                  = "rpd-cases"
  resource_group_name   = "rg"
  location              = "eastus2"
  sku_name              = "GP_Standard_D2s_v3"
  backup_retention_days = 35
  tags = { data-classification = "sensitive" }
}
resource "azurerm_mysql_flexible_server" "fares" {
  name                  = "kc-fares"
  resource_group_name   = "rg"
  location              = "eastus2"
  sku_name              = "GP_Standard_D2ds_v4"
  backup_retention_days = 30
  tags = { data-classification = "sensitive" }
}
resource "azurerm_postgresql_server" "legacy" {
  name                  = "kc-legacy"
  resource_group_name   = "rg"
  location              = "eastus2"
  sku_name              = "GP_Gen5_2"
  version               = "11"
  backup_retention_days = 35
  tags = { data-classification = "sensitive" }
}
resource "azurerm_postgresql_flexible_server" "default" {
  name                = "rpd-default"
  resource_group_name = "rg"
  location            = "eastus2"
  sku_name            = "GP_Standard_D2s_v3"
  tags = { data-classification = "sensitive" }
}
resource "azurerm_cosmosdb_account" "periodic" {
  name                = "rpd-periodic"
  location            = "eastus2"
  resource_group_name = "rg"
  offer_type          = "Standard"
  backup {
    type                = "Periodic"
    interval_in_minutes = 240
    retention_in_hours  = 744
  }
  tags = { data-classification = "sensitive" }
}
resource "azurerm_cosmosdb_account" "continuous" {
  name                = "rpd-continuous"
  location            = "eastus2"
  resource_group_name = "rg"
  offer_type          = "Standard"
  backup {
    type = "Continuous"
    tier = "Continuous30Days"
  }
  tags = { data-classification = "sensitive" }
}
"""
    policy = {"retention": {"by_class": {"sensitive": 30}}}
    result = scan({"main.tf": text}, policy=policy, select=["DH306"])
    tail = "; the policy allows at most 30 days for 'sensitive' data"
    assert _found(result) == [
        (
            6,
            "azurerm_postgresql_flexible_server 'azurerm_postgresql_flexible_server.cases' "
            "keeps database backups for 35 days" + tail,
        ),
        (
            23,
            "azurerm_postgresql_server 'azurerm_postgresql_server.legacy' keeps database "
            "backups for 35 days" + tail,
        ),
        (
            41,
            "azurerm_cosmosdb_account 'azurerm_cosmosdb_account.periodic' keeps database "
            "backups for 31 days" + tail,
        ),
    ]


def test_dh302_dh390_name_the_lock_beside_a_missing_expiry(scan):
    """probe45 10 (min/07): an evidence account whose only delete rule is limited to a prefix,
    with a Locked 7-year immutability policy: DH302 said only 'for objects matching a filter',
    so its advice (an unfiltered rule) moved the finding to the lock, and DH390 on the same
    account said 'expiry: not set'. Both now say what DH302 sees, the lock too (related)."""
    tf = """resource "azurerm_storage_account" "evidence" {
  name                     = "rpdevidence"
  resource_group_name      = "rg"
  location                 = "eastus2"
  account_tier             = "Standard"
  account_replication_type = "GRS"
  immutability_policy {
    allow_protected_append_writes = false
    state                         = "Locked"
    period_since_creation_in_days = 2555
  }
}
resource "azurerm_storage_management_policy" "evidence" {
  storage_account_id = azurerm_storage_account.evidence.id
  rule {
    name    = "tmp-cleanup"
    enabled = true
    filters {
      prefix_match = ["raw-frames/tmp/"]
      blob_types   = ["blockBlob"]
    }
    actions {
      base_blob {
        delete_after_days_since_modification_greater_than = 1
      }
    }
  }
}
"""
    py = """from azure.storage.blob import BlobServiceClient

svc = BlobServiceClient(account_url="https://rpdevidence.blob.core.windows.net")


def put(row) -> None:
    svc.get_blob_client("raw-frames", "x.txt").upload_blob(row["plate_number"])
"""
    result = scan({"main.tf": tf, "a.py": py}, select=["DH302", "DH390"])
    said = (
        "only for objects matching a filter, not for every object; the immutability policy "
        "(Locked) keeps every blob version 2555 days, and nothing deletes it after)"
    )
    by_rule = {f.rule_id: f for f in result.active}
    assert by_rule["DH302"].message.endswith(f"(expiration: {said}")
    assert by_rule["DH390"].message.endswith(f"(expiry: {said}")
    assert [(r.location.start_line, r.label) for r in by_rule["DH302"].related][-1] == (
        10,
        "the immutability policy (Locked) keeps every blob version 2555 days, whatever the "
        "lifecycle says",
    )


_MI = """resource "azurerm_mssql_managed_instance" "{name}" {{
  name                = "kc-{name}-mi"
  resource_group_name = "rg"
  location            = "centralus"
  license_type        = "BasePrice"
  sku_name            = "GP_Gen5"
  storage_size_in_gb  = 256
  subnet_id           = azurerm_subnet.mi.id
  vcores              = 8
{extra}}}
"""
_SYNAPSE = """resource "azurerm_synapse_workspace" "{name}" {{
  name                                 = "kc-{name}-syn"
  resource_group_name                  = "rg"
  location                             = "centralus"
  storage_data_lake_gen2_filesystem_id = "https://kclake.dfs.core.windows.net/synapse"
{extra}}}

resource "azurerm_synapse_firewall_rule" "{name}_all" {{
  name                 = "AllowAll"
  synapse_workspace_id = azurerm_synapse_workspace.{name}.id
  start_ip_address     = "0.0.0.0"
  end_ip_address       = "255.255.255.255"
}}
"""
_NSG_RULE = """resource "azurerm_network_security_rule" "{name}" {{
  name                        = "{name}"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "{port}"
  source_address_prefix       = "{source}"
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = "nsg"
}}
"""


def test_sql_managed_instance_and_synapse_exposure_and_tls(scan):
    """probe47: an Azure SQL Managed Instance with its public data endpoint on and TLS 1.0
    allowed, a Synapse workspace left public (its default) with a firewall rule admitting every
    address, and a network security rule opening the Managed Instance's public endpoint port
    (3342) to the internet passed DH403, DH206 and DH407: none of these resources (nor the
    port) was known. The defaults (endpoint off, TLS 1.2), public access turned off and a rule
    from the virtual network stay clear."""
    text = "".join(
        _MI.format(name=name, extra=extra)
        for name, extra in (
            ("open", '  public_data_endpoint_enabled = true\n  minimum_tls_version = "1.0"\n'),
            ("private", ""),
            ("pinned", '  public_data_endpoint_enabled = false\n  minimum_tls_version = "1.2"\n'),
        )
    )
    text += _SYNAPSE.format(name="public", extra="")
    text += _SYNAPSE.format(name="closed", extra="  public_network_access_enabled = false\n")
    text += _NSG_RULE.format(name="mi_public", port="3342", source="Internet")
    text += _NSG_RULE.format(name="mi_vnet", port="3342", source="VirtualNetwork")
    result = scan({"main.tf": text}, select=["DH403", "DH206", "DH407"])
    found = sorted((f.rule_id, f.message) for f in result.active)
    assert found == [
        (
            "DH206",
            "azurerm_mssql_managed_instance 'azurerm_mssql_managed_instance.open': "
            "minimum_tls_version is 1.0; the policy requires 1.2 or newer",
        ),
        (
            "DH403",
            "azurerm_mssql_managed_instance 'azurerm_mssql_managed_instance.open': "
            "public_data_endpoint_enabled is true; the policy requires false",
        ),
        (
            "DH403",
            "azurerm_synapse_workspace 'azurerm_synapse_workspace.public': "
            "public_network_access_enabled is not set; the policy requires false",
        ),
        (
            "DH407",
            "azurerm_network_security_rule 'azurerm_network_security_rule.mi_public' opens "
            "database port 3342 to Internet",
        ),
        (
            "DH407",
            "azurerm_synapse_firewall_rule 'azurerm_synapse_firewall_rule.public_all' opens "
            "database port 1433 to 0.0.0.0-255.255.255.255",
        ),
    ]


def test_dh212_data_factory_linked_service_connection_strings(scan):
    """probe47: a Data Factory linked service's connection_string with Encrypt=False and
    TrustServerCertificate=True (the factory copying a case-management database's records in
    clear) passed DH212, which read only functions' and containers' environments. The string
    is now one setting named connection_string; TLS kept on, or a string known only at apply,
    stays clear."""
    text = """
resource "azurerm_data_factory_linked_service_azure_sql_database" "clear" {
  name              = "ls-clear"
  data_factory_id   = "adf"
  connection_string = "Data Source=cases-mi,3342;Encrypt=False;TrustServerCertificate=True"
}

resource "azurerm_data_factory_linked_service_postgresql" "pg" {
  name              = "ls-pg"
  data_factory_id   = "adf"
  connection_string = "host=pg.example.org;port=5432;database=benefits;sslmode=disable"
}

resource "azurerm_data_factory_linked_service_sql_server" "tls" {
  name              = "ls-tls"
  data_factory_id   = "adf"
  connection_string = "Data Source=sql.example.org;Initial Catalog=cases;Encrypt=True"
}

variable "conn" {}

resource "azurerm_data_factory_linked_service_synapse" "later" {
  name              = "ls-later"
  data_factory_id   = "adf"
  connection_string = var.conn
}
"""
    result = scan({"main.tf": text}, select=["DH212", "DH210"])
    assert [(f.rule_id, f.location.start_line, f.message) for f in result.active] == [
        (
            "DH212",
            5,
            "'connection_string' of azurerm_data_factory_linked_service_azure_sql_database "
            "'azurerm_data_factory_linked_service_azure_sql_database.clear' turns off TLS or "
            "its verification (Encrypt=False)",
        ),
        (
            "DH212",
            5,
            "'connection_string' of azurerm_data_factory_linked_service_azure_sql_database "
            "'azurerm_data_factory_linked_service_azure_sql_database.clear' turns off TLS or "
            "its verification (TrustServerCertificate=True)",
        ),
        (
            "DH212",
            11,
            "'connection_string' of azurerm_data_factory_linked_service_postgresql "
            "'azurerm_data_factory_linked_service_postgresql.pg' turns off TLS or its "
            "verification (sslmode=disable)",
        ),
    ]


_COSMOS = """resource "azurerm_cosmosdb_account" "{name}" {{
  name                = "ems-{name}"
  location            = "centralus"
  resource_group_name = "ems"
  offer_type          = "Standard"
{extra}  consistency_policy {{
    consistency_level = "Session"
  }}
  geo_location {{
    location          = "centralus"
    failover_priority = 0
  }}
}}
"""


def test_cosmos_db_account_minimal_tls_version(scan):
    """probe52: an EMS dispatch Cosmos DB account accepting TLS 1.0 or 1.1 clients
    (minimal_tls_version Tls, Tls11) passed DH206, which knew Azure SQL, PostgreSQL and MySQL
    only. Tls12 and the provider's default (not set: Tls12) stay clear."""
    text = "".join(
        _COSMOS.format(name=name, extra=extra)
        for name, extra in (
            ("tls10", '  minimal_tls_version = "Tls"\n'),
            ("tls11", '  minimal_tls_version = "Tls11"\n'),
            ("tls12", '  minimal_tls_version = "Tls12"\n'),
            ("default", ""),
        )
    )
    result = scan({"main.tf": text}, select=["DH206"])
    assert [f.message for f in result.active] == [
        "azurerm_cosmosdb_account 'azurerm_cosmosdb_account.tls10': minimal_tls_version is Tls; "
        "the policy requires Tls12",
        "azurerm_cosmosdb_account 'azurerm_cosmosdb_account.tls11': minimal_tls_version is "
        "Tls11; the policy requires Tls12",
    ]


_DATABRICKS = """resource "azurerm_databricks_workspace" "{name}" {{
  name                = "kc-{name}"
  resource_group_name = "rg"
  location            = "centralus"
  sku                 = "premium"
{extra}}}
"""


def test_dh403_databricks_workspace_public_network_access(scan):
    """s37: a Databricks workspace left public (public_network_access_enabled unset, the
    provider's true, or written true) passed DH403, which judged Synapse's same setting but
    not Databricks. Turned off (Private Link only) it stays clear; a value known only at
    apply is not judged."""
    text = "".join(
        _DATABRICKS.format(name=name, extra=extra)
        for name, extra in (
            ("default", ""),
            ("open", "  public_network_access_enabled = true\n"),
            ("private", "  public_network_access_enabled = false\n"),
            ("later", "  public_network_access_enabled = var.public\n"),
        )
    )
    result = scan({"main.tf": text}, select=["DH403"])
    assert _found(result) == [
        (
            1,
            "azurerm_databricks_workspace 'azurerm_databricks_workspace.default': "
            "public_network_access_enabled is not set; the policy requires false (reached "
            "through its private endpoint)",
        ),
        (
            12,
            "azurerm_databricks_workspace 'azurerm_databricks_workspace.open': "
            "public_network_access_enabled is true; the policy requires false (reached "
            "through its private endpoint)",
        ),
    ]


_SFTP = """resource "azurerm_data_factory_linked_service_sftp" "{name}" {{
  name                = "ls-{name}"
  data_factory_id     = "adf"
  authentication_type = "Basic"
  host                = "sftp.vendor.example"
  port                = 22
  username            = "kc"
  password            = var.sftp_password
{extra}}}
"""


def test_dh212_data_factory_sftp_linked_service_without_host_key_validation(scan):
    """s37: a Data Factory SFTP linked service with skip_host_key_validation = true (the
    factory uploading records to whatever server answers at the vendor's address) passed
    DH212, which read only connection strings and environments. The switch written true is
    reported at its line under an anchor of its own; unset, false with
    a pinned host_key_fingerprint, or a value known only at apply, stays clear."""
    text = 'variable "sftp_password" {}\nvariable "skip" {}\n' + "".join(
        _SFTP.format(name=name, extra=extra)
        for name, extra in (
            ("unchecked", "  skip_host_key_validation = true\n"),
            ("default", ""),
            (
                "pinned",
                '  skip_host_key_validation = false\n  host_key_fingerprint = "SHA256:abc"\n',
            ),
            ("later", "  skip_host_key_validation = var.skip\n"),
        )
    )
    result = scan({"main.tf": text}, select=["DH212"])
    assert [(f.location.start_line, f.message, f.anchor) for f in result.active] == [
        (
            11,
            "'skip_host_key_validation' of azurerm_data_factory_linked_service_sftp "
            "'azurerm_data_factory_linked_service_sftp.unchecked' turns off TLS or its "
            "verification (skip_host_key_validation = true: the SFTP server's host key is not "
            "checked)",
            "azurerm_data_factory_linked_service_sftp.unchecked#skip_host_key_validation",
        )
    ]
