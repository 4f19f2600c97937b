"""Each Kubernetes rule through the engine, with exact positions and the near misses."""

from __future__ import annotations

import pytest

from tests.conftest import NOT_VENDOR_HOSTS


def rows(result, rule_id=None):
    return [
        (
            f.rule_id,
            f.location.start_line,
            f.location.start_col,
            f.location.end_line,
            f.location.end_col,
        )
        for f in result.active
        if rule_id is None or f.rule_id == rule_id
    ]


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int, int, int]:
    """The exact region of the nth occurrence of ``needle`` (1-based, end exclusive)."""
    found = [
        (number, line.index(needle) + 1)
        for number, line in enumerate(text.splitlines(), start=1)
        if needle in line
    ]
    line, col = found[nth]
    return (line, col, line, col + len(needle))


def pod(body: str, name: str = "p", labels: str = "{data-classification: internal}") -> str:
    head = f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels: {labels}\nspec:\n"
    return head + body


def test_dh741_flag_value_in_next_item_and_inside_sh_c(scan):
    text = pod(
        "  containers:\n"
        "    - name: c\n"
        "      image: i\n"
        '      command: ["sh", "-c", "PGPASSWORD=hunter2 pg_dump -h db"]\n'
        '      args: ["--db-password", "Curb2024", "--token=$(TOKEN)", "--token-ttl=60"]\n'
    )
    result = scan({"p.yaml": text}, select=["DH741"])
    assert rows(result) == [("DH741", *at(text, "hunter2")), ("DH741", *at(text, '"Curb2024"'))]
    assert result.active[0].anchor == "Pod/default/p:spec.containers[c].args[PGPASSWORD]"


def test_dh741_short_password_flags_of_common_tools(scan):
    text = pod(
        "  containers:\n"
        "    - name: dump\n"
        "      image: registry.kcmo.gov/mirror/mysql:8.0\n"
        '      command: ["sh", "-c", "mysqldump -h db -u backup -pB4ckup1 x > /b/x.sql"]\n'
        "    - name: prompt\n"
        "      image: registry.kcmo.gov/mirror/mysql:8.0\n"
        '      command: ["sh", "-c", "mysql -h db -u backup -p --protocol=tcp"]\n'
        "    - name: notify\n"
        "      image: registry.kcmo.gov/mirror/curl:8.5\n"
        '      args: ["-u", "bot:N0tify1", "--user=bot2:N0tify2", "-u", "bot3", "https://x"]\n'
        "    - name: ssh\n"
        "      image: i\n"
        '      command: ["sshpass", "-p", "Ssh-Pa55", "ssh", "host"]\n'
        "    - name: other\n"
        "      image: i\n"
        '      args: ["-p", "8080", "-u", "app:group"]\n'
    )
    result = scan({"p.yaml": text}, select=["DH741"])
    assert rows(result) == [
        ("DH741", *at(text, "B4ckup1")),
        ("DH741", *at(text, "N0tify1")),
        ("DH741", *at(text, "N0tify2")),
        ("DH741", *at(text, '"Ssh-Pa55"')),  # the item, as for --db-password above
    ]


def test_dh741_redis_password_flags(scan):
    # Redis takes redis.conf directives as flags: requirepass and masterauth set passwords.
    text = pod(
        "  containers:\n"
        "    - name: cache\n"
        "      image: registry.kcmo.gov/mirror/redis:7.2.4\n"
        '      args: ["redis-server", "--requirepass", "Ge0-Cache-2024!",\n'
        '             "--masterauth", "M4ster!"]\n'
        "    - name: shell\n"
        "      image: i\n"
        '      command: ["sh", "-c",\n'
        '                "redis-server --requirepass Sh3ll-Pw && redis-cli -a Cl1-Pw ping"]\n'
        "    - name: refs\n"
        "      image: registry.kcmo.gov/mirror/redis:7.2.4\n"
        '      args: ["redis-server", "--requirepass", "$(REDIS_PASSWORD)", "--masterauth", ""]\n'
        "    - name: probe\n"
        "      image: i\n"
        '      command: ["sh", "-c", "redis-cli -a \\"$REDIS_PASSWORD\\" ping; tar -a x.tgz ."]\n'
        "    - name: env\n"
        "      image: i\n"
        '      command: ["sh", "-c", "requirepass=yes1 run; grep -a requirepass /etc/redis.conf"]\n'
    )
    result = scan({"p.yaml": text}, select=["DH741"])
    assert rows(result) == [
        ("DH741", *at(text, '"Ge0-Cache-2024!"')),
        ("DH741", *at(text, '"M4ster!"')),
        ("DH741", *at(text, "Sh3ll-Pw")),
        ("DH741", *at(text, "Cl1-Pw")),
    ]
    assert [f.message.split("'")[5] for f in result.active] == [
        "requirepass",
        "masterauth",
        "requirepass",
        "-a",
    ]


def test_dh742_configmap_key_and_embedded_line(scan):
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata:\n"
        "  DB_PASSWORD: 'x1y2z3'\n"
        "  app.env: |\n"
        "    LOG_LEVEL=debug\n"
        '    export SMTP_PASSWORD="m41l"  # from the vendor\n'
        "    PASSWORD_MIN_LENGTH=12\n"
    )
    result = scan({"cm.yaml": text}, select=["DH742"])
    assert rows(result) == [("DH742", 5, 16, 5, 24), ("DH742", 8, 27, 8, 31)]
    assert [f.anchor for f in result.active] == [
        "ConfigMap/default/cfg:data.DB_PASSWORD",
        "ConfigMap/default/cfg:data.app.env[SMTP_PASSWORD]",
    ]


def test_dh743_password_span_in_url_and_ado_string(scan):
    text = pod(
        "  containers:\n"
        "    - name: c\n"
        "      image: i\n"
        "      env:\n"
        "        - {name: DATABASE_URL, value: 'mysql://app:Pa55@db.kcmo.gov/x'}\n"
        "        - {name: SQL, value: 'Server=sql1;Password=Rpt#1;Encrypt=true'}\n"
        "        - {name: OK, value: 'postgres://app:$(DB_PASSWORD)@db/x'}\n"
    )
    result = scan({"p.yaml": text}, select=["DH743"])
    assert rows(result) == [("DH743", *at(text, "Pa55")), ("DH743", *at(text, "Rpt#1"))]
    assert "for 'db.kcmo.gov'" in result.active[0].message
    assert "for 'sql1'" in result.active[1].message


def test_dh743_password_in_a_url_query(scan):
    text = pod(
        "  containers:\n"
        "    - name: c\n"
        "      image: i\n"
        "      env:\n"
        "        - {name: JDBC, value: 'jdbc:postgresql://db1:5432/p?user=u&password=Perm1t!'}\n"
        "        - {name: MY, value: 'mysql://db2/x?ssl=true&pwd=S3cret'}\n"
        "        - {name: REF, value: 'jdbc:postgresql://db3/p?user=u&password=$(DB_PASSWORD)'}\n"
        "        - {name: NONE, value: 'jdbc:postgresql://db4/p?user=u&password='}\n"
        "        - {name: PAGE, value: 'https://kcmo.gov/help?topic=password-reset'}\n"
    )
    result = scan({"p.yaml": text}, select=["DH743"])
    assert rows(result) == [("DH743", *at(text, "Perm1t!")), ("DH743", *at(text, "S3cret"))]
    assert "for 'db1'" in result.active[0].message


def test_dh743_password_in_a_libpq_keyword_value_string(scan):
    text = pod(
        "  containers:\n"
        "    - name: c\n"
        "      image: i\n"
        "      env:\n"
        "        - {name: PG_DSN, value: 'host=db1.kcmo.gov dbname=p user=u password=Perm1t!'}\n"
        "        - {name: PG_Q, value: \"dbname=p user=u password='S3 cret'\"}\n"
        "        - {name: REF, value: 'host=db3 user=u password=$(DB_PASSWORD)'}\n"
        "        - {name: NONE, value: 'host=db4 user=u password='}\n"
        "        - {name: HELP, value: 'set password=hunter22 in the form'}\n"
    )
    result = scan({"p.yaml": text}, select=["DH743"])
    assert rows(result) == [("DH743", *at(text, "Perm1t!")), ("DH743", *at(text, "S3 cret"))]
    assert "for 'db1.kcmo.gov'" in result.active[0].message


def test_dh743_azure_connection_string_keys(scan):
    """An Azure connection string's AccountKey or SharedAccessKey (an env value, ConfigMap data,
    a configuration file in a ConfigMap); not a reference, the key's name, the emulator's
    published key, nor a Secret or Key Vault reference."""
    azurite = (
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
    )
    text = pod(
        "  containers:\n"
        "    - name: c\n"
        "      image: i\n"
        "      env:\n"
        "        - {name: AZURE_STORAGE_CONNECTION_STRING, value: 'DefaultEndpointsProtocol=https;"
        "AccountName=kcbodycam;AccountKey=q8Zy0bM3Qe7b==;EndpointSuffix=core.windows.net'}\n"
        "        - {name: BUS, value: 'Endpoint=sb://kc-bus.servicebus.windows.net/;"
        "SharedAccessKeyName=send;SharedAccessKey=Zm9vYmFy='}\n"
        "        - {name: REF, value: 'AccountName=kcbodycam;AccountKey=$(STORAGE_KEY)'}\n"
        "        - {name: KV, value: '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/"
        "secrets/bus/)'}\n"
        "        - {name: NAME_ONLY, value: 'Endpoint=sb://kc-bus.servicebus.windows.net/;"
        "SharedAccessKeyName=send'}\n"
        f"        - {{name: DEV, value: 'AccountName=devstoreaccount1;AccountKey={azurite}'}}\n"
        "        - name: SECRET\n"
        "          valueFrom: {secretKeyRef: {name: bus, key: connection}}\n"
        "---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hubs}\ndata:\n"
        "  EVENTHUB: 'Endpoint=sb://kc-hubs.servicebus.windows.net/;SharedAccessKeyName=s;"
        "SharedAccessKey=aHVicw==;EntityPath=citations'\n"
        "  app.ini: |\n"
        "    blobs = BlobEndpoint=https://kcclips.blob.core.windows.net/;"
        "SharedAccessSignature=sv=2022-11-02&sig=c2ln\n"
        # probe27 #4: placeholders in documentation and templates are no keys
        "  README.md: |\n"
        "    Set it to `DefaultEndpointsProtocol=https;AccountName=<name>;AccountKey=<key>`\n"
        "    in the Secret.\n"
        "  TEMPLATE: 'AccountName=kcweb;AccountKey={key}'\n"
        "  SAMPLE: 'AccountName=kcweb;AccountKey=YOUR_STORAGE_KEY'\n"
    )
    result = scan({"p.yaml": text}, select=["DH740", "DH742", "DH743"])
    assert rows(result) == [
        ("DH743", *at(text, "q8Zy0bM3Qe7b==")),
        ("DH743", *at(text, "Zm9vYmFy=")),
        ("DH743", *at(text, "aHVicw==")),
        ("DH743", *at(text, "sv=2022-11-02&sig=c2ln")),
    ]
    assert [f.message.split(" embeds ")[1] for f in result.active] == [
        "an account key for 'kcbodycam'",
        "a shared access key for 'kc-bus.servicebus.windows.net'",
        "a shared access key for 'kc-hubs.servicebus.windows.net'",
        "a shared access signature for 'kcclips.blob.core.windows.net'",
    ]


def test_dh743_kafka_jaas_password(scan):
    module = "org.apache.kafka.common.security.scram.ScramLoginModule required"
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: notifier}\ndata:\n"
        "  consumer.properties: |\n"
        "    bootstrap.servers=kafka-0.transit.svc:9093\n"
        f'    sasl.jaas.config={module} username="notifier" password="n0t1f13r-Pw";\n'
        "  producer.properties: |\n"
        f'    sasl.jaas.config={module} username="n" password="${{file:/etc/kafka/pw}}";\n'
    )
    result = scan({"c.yaml": text}, select=["DH743"])
    assert rows(result) == [("DH743", *at(text, "n0t1f13r-Pw"))]
    assert "for 'kafka-0.transit.svc:9093'" in result.active[0].message


def test_dh744_points_at_the_data_key(scan):
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
        "data:\n  password: aHVudGVyMg==\n  empty: ''\n"
    )
    result = scan(
        {"s.yaml": text, "empty.yaml": text.replace("aHVudGVyMg==", "''")}, select=["DH744"]
    )
    assert [
        (f.location.path, f.location.start_line, f.location.start_col) for f in result.active
    ] == [("s.yaml", 4, 1)]
    assert result.active[0].message == (
        "Secret 's' is committed with literal data (password); base64 is not encryption"
    )


def test_dh744_string_data_is_plain_text_not_base64(scan):
    """probe22 min/14: "base64 is not encryption" was said of stringData, which is plain text."""
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata: {name: portal-db}\n"
        "stringData:\n  dsn: postgresql://portal:RideKC-2024@10.40.0.3:5432/accounts\n"
    )
    result = scan({"s.yaml": text}, select=["DH744"])
    assert [(f.location.start_line, f.message) for f in result.active] == [
        (4, "Secret 'portal-db' is committed with literal stringData (dsn)")
    ]


def test_dh640_bare_host_url_host_and_approved_by_policy(scan):
    text = pod(
        "  containers:\n"
        "    - name: c\n"
        "      image: i\n"
        "      env:\n"
        "        - {name: VENDOR_HOST, value: ingest.vendor.example}\n"
        "        - {name: HOOK, value: 'https://hooks.other.example:8443/x'}\n"
        "        - {name: DB_HOST, value: readings-db.sensors.svc}\n"
        "        - {name: LOCAL, value: 'http://10.1.2.3:8080'}\n"
        "        - {name: CITY, value: 'https://api.kcmo.gov/'}\n"
    )
    result = scan({"p.yaml": text}, select=["DH640"])
    assert rows(result) == [
        ("DH640", *at(text, "ingest.vendor.example")),
        ("DH640", *at(text, "hooks.other.example")),
    ]
    approved = scan(
        {"p.yaml": text}, select=["DH640"], policy={"approved_vendors": ["*.example", "*.kcmo.gov"]}
    )
    assert rows(approved) == []


def test_dh640_broker_lists_and_dh240_xml_namespaces(scan):
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bridge}\ndata:\n"
        "  KAFKA_BOOTSTRAP_SERVERS: 'b1.vendor.example:9092,b2.other.example:9092'\n"
        "  MQTT_BROKER: mqtt.vehicles.example\n"
        "  log4j2.xml: |\n"
        '    <Configuration xmlns="http://logging.apache.org/log4j/2.0/config"\n'
        '      xsi:schemaLocation="http://logging.apache.org/x http://logging.apache.org/x.xsd">\n'
        '      <Http url="http://collector.logs.example/in"/>\n'
        "    </Configuration>\n"
    )
    result = scan({"c.yaml": text}, select=["DH640", "DH240"])
    assert rows(result) == [
        ("DH640", *at(text, "b1.vendor.example")),
        ("DH640", *at(text, "b2.other.example")),
        ("DH640", *at(text, "mqtt.vehicles.example")),
        ("DH240", *at(text, "http://collector.logs.example")),
        ("DH640", *at(text, "collector.logs.example")),
    ]


def test_dh640_aws_service_apis_and_dh240_link_local_addresses(scan):
    # probe34 min/07, 08 (shared with DH605 and DH210): an AWS service's API endpoint acts in
    # the caller's own account (an SQS queue URL: only an approved account's); a link-local
    # address (the node's metadata endpoint) never leaves the host.
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: permits}\ndata:\n"
        "  SSM_ENDPOINT: https://ssm.us-east-2.amazonaws.com\n"
        "  SECRETS_HOST: secretsmanager-fips.us-east-1.amazonaws.com\n"
        "  OWN_QUEUE: https://sqs.us-east-2.amazonaws.com/210987654321/permits\n"
        "  OTHER_QUEUE: https://sqs.us-east-2.amazonaws.com/999988887777/intake\n"
        "  DROP: https://s3.amazonaws.com/vendor-drop/in\n"
        "  IMDS: http://169.254.169.254/latest/meta-data/\n"
        "  IMDS6: http://[fe80::a9fe:a9fe]/latest/\n"
        "  API: http://api.vendor.example/in\n"
    )
    policy = {"approved_accounts": ["210987654321"]}
    result = scan({"c.yaml": text}, select=["DH640", "DH240"], policy=policy)
    assert rows(result) == [
        ("DH640", *at(text, "sqs.us-east-2.amazonaws.com", 1)),
        ("DH640", *at(text, "s3.amazonaws.com")),
        ("DH240", *at(text, "http://api.vendor.example")),
        ("DH640", *at(text, "api.vendor.example")),
    ]


def test_dh641_registry_matching():
    from dhlint.detectors.kubernetes.images import image_repository, is_approved

    assert image_repository("busybox") == ("docker.io", "docker.io/library/busybox")
    assert image_repository("nginx:1.25") == ("docker.io", "docker.io/library/nginx")
    assert image_repository("ghcr.io/kcmo/app:1@sha256:ab") == ("ghcr.io", "ghcr.io/kcmo/app")
    assert image_repository("localhost:5000/app") == ("localhost:5000", "localhost:5000/app")
    assert is_approved("registry.kcmo.gov/x:1", ["registry.kcmo.gov"])
    assert is_approved("eu.gcr.kcmo.gov/x", ["*.kcmo.gov"])
    assert is_approved("ghcr.io/kcmo/app:1", ["ghcr.io/kcmo"])
    assert not is_approved("ghcr.io/kcmo-fake/app:1", ["ghcr.io/kcmo"])
    assert not is_approved("busybox", ["registry.kcmo.gov"])


def test_dh240_and_dh241_positions(scan):
    text = pod(
        "  containers:\n"
        "    - name: c\n"
        "      image: i\n"
        "      args: ['--insecure', '--feed=http://feeds.kcmo.gov/a', '--m=http://127.0.0.1:9/x']\n"
        "      env:\n"
        "        - {name: PGSSLMODE, value: prefer}\n"
        "        - {name: DSN, value: 'host=db sslmode=disable'}\n"
    )
    result = scan({"p.yaml": text}, select=["DH240", "DH241"])
    assert rows(result) == [
        ("DH241", *at(text, "'--insecure'")),
        ("DH240", *at(text, "http://feeds.kcmo.gov")),
        ("DH241", *at(text, "prefer")),
        ("DH241", *at(text, "sslmode=disable")),
    ]


def test_dh241_namespaced_settings(scan):
    """A setting is matched by the name it ends with, spaces around ``=`` or not; a namespace
    that negates it (DISABLE_SSL) is not a match."""
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tap}\ndata:\n"
        "  consumer.properties: |\n"
        "    bootstrap.servers=kafka-0.kafka.transit.svc:9092\n"
        "    security.protocol=SASL_PLAINTEXT\n"
        "  producer.properties: |\n"
        "    security.protocol = SASL_SSL\n"
        "    ssl.endpoint.identification.algorithm = https\n"
        "  settings.ini: |\n"
        "    [cache]\n"
        "    use_ssl = false\n"
        "    disable_ssl = false\n"
        "    ssl_mode = require\n"
        "  REDIS_TLS_ENABLED: 'no'\n"
        "  DISABLE_TLS: 'false'\n"
        "  KAFKA_SECURITY_PROTOCOL: PLAINTEXT\n"
    )
    starttls = (
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: mail}\ndata:\n"
        "  EMAIL_USE_SSL: 'False'\n  EMAIL_USE_TLS: 'True'\n  RAILS_FORCE_SSL: 'false'\n"
        "  ldap.toml: |\n    use_ssl = false\n    start_tls = true\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata:\n"
        "  application.properties: |\n    server.ssl.enabled=false\n"
        "    management.server.ssl.enabled=false\n"
        "  SERVER_SSL_VERIFY: 'false'\n"
    )
    # STARTTLS instead of implicit TLS, HTTP redirect flags, the pod's own listener: no finding
    text += starttls
    result = scan({"c.yaml": text}, select=["DH241"])
    assert rows(result) == [
        ("DH241", *at(text, "SASL_PLAINTEXT")),
        ("DH241", *at(text, "false")),
        ("DH241", *at(text, "'no'")),  # a quoted scalar: the quotes are its span
        ("DH241", *at(text, "PLAINTEXT", 1)),
        ("DH241", *at(text, "'false'", 2)),  # SERVER_SSL_VERIFY: a check the pod makes
    ]


def test_dh241_any_setting_ending_in_sslmode(scan):
    """probe45 05 (min/06): PG_SSLMODE, POSTGRES_SSLMODE, MYSQL_SSL_MODE or a bare SSLMODE set
    to a mode without TLS (or falling back to clear text; MySQL's DISABLED, PREFERRED) turns
    TLS off as DB_SSLMODE does; a mode that requires TLS, or the setting negated, does not."""
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: api}\ndata:\n"
        "  PG_SSLMODE: disable\n"
        "  POSTGRES_SSLMODE: prefer\n"
        "  MYSQL_SSL_MODE: DISABLED\n"
        "  SSLMODE: allow\n"
        "  REPORTS_PG_SSLMODE: verify-full\n"
        "  MYSQL_REPLICA_SSL_MODE: REQUIRED\n"
        "  NO_SSLMODE: disable\n"
    )
    result = scan({"c.yaml": text}, select=["DH241"])
    assert rows(result) == [
        ("DH241", *at(text, "disable")),
        ("DH241", *at(text, "prefer")),
        ("DH241", *at(text, "DISABLED")),
        ("DH241", *at(text, "allow")),
    ]
    assert [f.message.rsplit("(", 1)[1] for f in result.active] == [
        "PG_SSLMODE=disable)",
        "POSTGRES_SSLMODE=prefer)",
        "MYSQL_SSL_MODE=DISABLED)",
        "SSLMODE=allow)",
    ]


def test_dh241_insecure_skip_verify_settings(scan):
    """probe20 min/10: Go's InsecureSkipVerify as a setting (``*_INSECURE_SKIP_VERIFY``,
    kubectl's ``insecure-skip-tls-verify``) set true; false, or negated, is no finding."""
    text = pod(
        "  containers:\n"
        "    - name: gw\n"
        "      image: registry.kcmo.gov/gw:1\n"
        "      env:\n"
        "        - {name: LNS_INSECURE_SKIP_VERIFY, value: 'true'}\n"
        "        - {name: TLS_INSECURE_SKIP_VERIFY, value: 'false'}\n"
        "        - {name: KUBE_INSECURE_SKIP_TLS_VERIFY, value: '1'}\n"
        "        - {name: NO_INSECURE_SKIP_VERIFY, value: 'true'}\n"
        "        - {name: INSECURE_SKIP_VERIFY_HOSTS, value: 'true'}\n"
    )
    text += (
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: kubeconfig}\ndata:\n"
        "  insecure-skip-tls-verify: 'true'\n"
        "  config.env: |\n    INSECURE_SKIP_VERIFY=false\n    MQTT_INSECURE_SKIP_VERIFY=on\n"
    )
    result = scan({"p.yaml": text}, select=["DH241"])
    line, col, _, end = at(text, "=on")  # an embedded setting: its value's span
    assert rows(result) == [
        ("DH241", *at(text, "'true'")),
        ("DH241", *at(text, "'1'")),
        ("DH241", *at(text, "'true'", 3)),
        ("DH241", line, col + 1, line, end),
    ]
    assert result.active[0].message == (
        "'LNS_INSECURE_SKIP_VERIFY' of Pod 'p' turns off TLS or its verification "
        "(LNS_INSECURE_SKIP_VERIFY=true)"
    )


def test_dh241_skip_verify_family(scan):
    """probe30 min/07: Vault's VAULT_SKIP_VERIFY and the names that say a TLS check is skipped;
    Docker's DOCKER_TLS_VERIFY=0 (still verifies), empty CA bundles and skip-verify=false are
    not turning verification off."""
    text = pod(
        "  containers:\n"
        "    - name: c\n"
        "      image: i\n"
        "      env:\n"
        "        - {name: VAULT_SKIP_VERIFY, value: 'true'}\n"
        "        - {name: NOMAD_SKIP_VERIFY, value: '1'}\n"
        "        - {name: WAYPOINT_SERVER_TLS_SKIP_VERIFY, value: 'on'}\n"
        "        - {name: HELM_SKIP_TLS_VERIFY, value: 'yes'}\n"
        "        - {name: VAULT_SKIP_VERIFY_OFF, value: 'true'}\n"
        "        - {name: DOCKER_TLS_VERIFY, value: '0'}\n"
        "        - {name: CURL_CA_BUNDLE, value: ''}\n"
        "        - {name: REQUESTS_CA_BUNDLE, value: ''}\n"
        "        - {name: TLS_SKIP_VERIFY, value: 'false'}\n"
        "      args: ['-tls-skip-verify', '--skip-tls-verify=true', '--tls-skip-verify=false',\n"
        "             '--insecure-skip-tls-verify=false', '--no-tls-skip-verify']\n"
    )
    result = scan({"p.yaml": text}, select=["DH241"])
    assert rows(result) == [
        ("DH241", *at(text, "'true'")),
        ("DH241", *at(text, "'1'")),
        ("DH241", *at(text, "'on'")),
        ("DH241", *at(text, "'yes'")),
        ("DH241", *at(text, "'-tls-skip-verify'")),  # a whole quoted item: its quotes too
        ("DH241", *at(text, "'--skip-tls-verify=true'")),
    ]
    assert "(VAULT_SKIP_VERIFY=true)" in result.active[0].message


def test_dh242_no_tls_points_at_spec(scan):
    text = (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\n"
        "spec:\n  rules:\n    - host: a.kcmo.gov\n"
    )
    result = scan({"i.yaml": text}, select=["DH242"])
    assert rows(result) == [("DH242", 4, 1, 4, 5)]


def test_dh242_no_tls_names_the_hosts_served(scan):
    """probe22 min/07: every Ingress without tls said "serves any host", even with hosts;
    "any host" stays for a rule without a host and for a default backend."""
    head = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: %s}\nspec:\n"
    docs = [
        head % "hosts" + "  rules:\n    - host: a.kcmo.gov\n    - host: b.kcmo.gov\n",
        head % "catchall" + "  rules:\n    - http: {paths: []}\n",
        head % "mixed" + "  rules:\n    - host: a.kcmo.gov\n    - http: {paths: []}\n",
        head % "default" + "  defaultBackend: {service: {name: web, port: {number: 80}}}\n",
    ]
    result = scan({"i.yaml": "---\n".join(docs)}, select=["DH242"])
    assert [f.message for f in result.active] == [
        "Ingress 'hosts' serves a.kcmo.gov, b.kcmo.gov without TLS",
        "Ingress 'catchall' serves any host without TLS",
        "Ingress 'mixed' serves a.kcmo.gov, any host without TLS",
        "Ingress 'default' serves any host without TLS",
    ]


def _ingress(annotations: str, tls: str = "", host: str = "api.kcmo.gov") -> str:
    return (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
        f"  annotations:\n    x/unused: 'y'\n{annotations}spec:\n{tls}"
        f"  rules:\n    - host: {host}\n"
    )


@pytest.mark.parametrize(
    ("annotations", "tls", "host", "found"),
    [
        # a wildcard covers one label
        ("", "  tls:\n    - hosts: ['*.kcmo.gov']\n", "api.kcmo.gov", False),
        ("", "  tls:\n    - hosts: ['*.kcmo.gov']\n", "API.KCMO.GOV", False),
        ("", "  tls:\n    - hosts: ['*.kcmo.gov']\n", "api.sensors.kcmo.gov", True),
        ("", "  tls:\n    - hosts: ['*.kcmo.gov']\n", "kcmo.gov", True),
        # the controller holds the certificate (AWS load balancer, GKE)
        ("    alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:x\n", "", "a.kcmo.gov", False),
        # GKE's load balancer serves plain HTTP beside HTTPS unless told not to
        ("    networking.gke.io/managed-certificates: web-cert\n", "", "a.kcmo.gov", True),
        (
            "    networking.gke.io/managed-certificates: web-cert\n"
            "    kubernetes.io/ingress.allow-http: 'false'\n",
            "",
            "a.kcmo.gov",
            False,
        ),
        (
            "    networking.gke.io/managed-certificates: web-cert\n"
            "    networking.gke.io/v1beta1.FrontendConfig: https-redirect\n",
            "",
            "a.kcmo.gov",
            False,
        ),
        (
            "    kubernetes.io/ingress.class: gce\n",
            "  tls:\n    - hosts: ['a.kcmo.gov']\n      secretName: web-tls\n",
            "a.kcmo.gov",
            True,
        ),
        (
            "    kubernetes.io/ingress.class: nginx\n",
            "  tls:\n    - hosts: ['a.kcmo.gov']\n      secretName: web-tls\n",
            "a.kcmo.gov",
            False,
        ),
        # ... but its load balancer listens on plain HTTP too, unless told to redirect
        (
            "    alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:x\n"
            '    alb.ingress.kubernetes.io/listen-ports: \'[{"HTTP": 80}, {"HTTPS": 443}]\'\n',
            "",
            "a.kcmo.gov",
            True,
        ),
        (
            "    alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:x\n"
            '    alb.ingress.kubernetes.io/listen-ports: \'[{"HTTP": 80}, {"HTTPS": 443}]\'\n'
            "    alb.ingress.kubernetes.io/ssl-redirect: '443'\n",
            "",
            "a.kcmo.gov",
            False,
        ),
    ],
)
def test_dh242_tls_hosts_and_controller_certificates(scan, annotations, tls, host, found):
    text = _ingress(annotations, tls, host)
    result = scan({"i.yaml": text}, select=["DH242"])
    assert bool(result.active) is found, [f.message for f in result.active]


def test_dh242_says_a_tls_host_is_served_over_plain_http_too(scan):
    """probe42 min/04: a GKE Ingress with a tls section (GKE serves HTTP too unless
    allow-http is "false") or an ssl-redirect: "false" was said to serve its host "without
    TLS", which reads as false next to the tls section. It is served over plain HTTP as well
    as TLS; a host the tls entries do not list is still served without TLS."""
    tls = "  tls:\n    - hosts: ['a.kcmo.gov']\n      secretName: web-tls\n"
    gke = _ingress("    kubernetes.io/ingress.class: gce\n", tls)
    gke = gke.replace(
        "    - host: api.kcmo.gov\n", "    - host: a.kcmo.gov\n    - host: b.kcmo.gov\n"
    )
    nginx = _ingress("    nginx.ingress.kubernetes.io/ssl-redirect: 'false'\n", tls, "a.kcmo.gov")
    result = scan({"gke.yaml": gke, "nginx.yaml": nginx}, select=["DH242"])
    assert [(f.location.path, f.location.start_line, f.message) for f in result.active] == [
        (
            "gke.yaml",
            7,
            "Ingress 'web' serves a.kcmo.gov, b.kcmo.gov over plain HTTP as well as TLS (GKE's "
            'load balancer does unless kubernetes.io/ingress.allow-http is "false" or a '
            "FrontendConfig redirects)",
        ),
        ("gke.yaml", 14, "Ingress 'web' serves b.kcmo.gov without TLS"),
        (
            "nginx.yaml",
            7,
            "Ingress 'web' serves a.kcmo.gov over plain HTTP as well as TLS "
            '(nginx.ingress.kubernetes.io/ssl-redirect: "false")',
        ),
    ]


APISERVER = """\
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.30.2
      command:
        - kube-apiserver
        - --audit-log-path=/var/log/audit.log
        - --audit-policy-file=/etc/kubernetes/audit.yaml
        - --audit-log-maxage=30
        - --insecure-port=8080
"""


def test_control_plane_flags_missing_and_bad_values(scan):
    result = scan({"kube-apiserver.yaml": APISERVER}, select=["DH142", "DH243", "DH940"])
    by_rule: dict[str, list] = {}
    for f in result.active:
        by_rule.setdefault(f.rule_id, []).append(f)
    # Missing flags point at the `command` key; bad values at the value itself.
    assert [(f.location.start_line, f.location.start_col) for f in by_rule["DH142"]] == [(10, 7)]
    [maxage] = by_rule["DH940"]
    line, col, _, _ = at(APISERVER, "--audit-log-maxage=30")
    assert rows(result, "DH940") == [("DH940", line, col + 19, line, col + 21)]
    assert maxage.message == (
        "kube-apiserver ('kube-apiserver'): --audit-log-maxage is '30'; the audit log needs a "
        "path, a policy and at least 90 days of retention"
    )
    tls = {f.anchor.rsplit("[", 1)[1].rstrip("]"): f.location.start_line for f in by_rule["DH243"]}
    assert tls["--insecure-port"] == 15 and tls["--tls-cert-file"] == 10
    assert len(tls) == 10  # nine missing flags and the insecure port


def test_dh243_flag_value_as_separate_item_and_kubelet_config(scan):
    etcd = APISERVER.replace("kube-apiserver", "etcd").split("      command:")[0] + (
        "      command: [etcd, --cert-file, /pki/server.crt, --key-file=/pki/server.key,\n"
        "                --client-cert-auth=true, --peer-cert-file=/p.crt,\n"
        "                --peer-key-file=/p.key,\n"
        "                --peer-client-cert-auth, --auto-tls=true]\n"
    )
    kubelet = (
        "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
        "tlsCertFile: /var/lib/kubelet/pki/kubelet.crt\nreadOnlyPort: 10255\n"
        "authentication:\n  x509: {clientCAFile: /pki/ca.crt}\n"
    )
    result = scan({"etcd.yaml": etcd, "kubelet.yaml": kubelet}, select=["DH243"])
    assert [
        (f.location.path, f.location.start_line, f.location.start_col) for f in result.active
    ] == [
        ("etcd.yaml", *at(etcd, "true]")[:2]),
        ("kubelet.yaml", *at(kubelet, "10255")[:2]),
    ]
    assert "--auto-tls is 'true'" in result.active[0].message


def test_dh140_storage_class_positions(scan):
    text = (
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: a}\n"
        "provisioner: ebs.csi.aws.com\n---\n"
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: b}\n"
        "provisioner: kubernetes.io/aws-ebs\nparameters:\n  encrypted: 'false'\n---\n"
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: c}\n"
        "provisioner: rancher.io/local-path\n"
    )
    result = scan({"sc.yaml": text}, select=["DH140"])
    assert rows(result) == [("DH140", 4, 14, 4, 29), ("DH140", 11, 14, 11, 21)]


def test_dh141_dh340_dh840_positions(scan):
    text = (
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: a\n"
        "  labels: {data-classification: sensitive}\n"
        "  annotations: {dhlint.io/retention-days: '120'}\n---\n"
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: b\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
        "  containers: [{name: c, image: i}]\n"
        "  volumes:\n    - name: host\n      hostPath: {path: /srv}\n"
    )
    result = scan({"x.yaml": text}, select=["DH141", "DH340", "DH840"])
    assert rows(result) == [
        ("DH340", *at(text, "'120'")),  # 120 days > 90 for sensitive data
        ("DH340", 10, 1, 10, 9),  # missing annotation, unlabelled = personal by default
        ("DH840", 10, 1, 10, 9),  # missing label on the claim
        ("DH840", 15, 1, 15, 9),  # missing label on the pod
        ("DH141", 21, 7, 21, 15),  # hostPath in an unlabelled (default: personal) pod
    ]
    assert "is '120' (maximum 90 days)" in result.active[0].message


def test_dh440_and_dh642_across_files_and_namespaces(scan):
    deploy = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: a}\n"
        "spec:\n  template:\n    metadata:\n"
        "      labels: {app: web, data-classification: personal}\n"
        "    spec:\n      containers: [{name: c, image: i}]\n"
    )
    svc = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: NS}\n"
        "spec:\n  type: NodePort\n  selector: {app: web}\n"
    )
    netpol = (
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        "metadata: {name: deny, namespace: NS}\n"
        "spec:\n  podSelector:\n    matchExpressions: [{key: app, operator: In, values: [web]}]\n"
        "  policyTypes: [Egress]\n"
    )
    same = scan(
        {"d.yaml": deploy, "s.yaml": svc.replace("NS", "a"), "n.yaml": netpol.replace("NS", "a")},
        select=["DH440", "DH642"],
    )
    assert [(f.rule_id, f.location.path, f.location.start_line) for f in same.active] == [
        ("DH440", "s.yaml", 5)
    ]
    other = scan(
        {"d.yaml": deploy, "s.yaml": svc.replace("NS", "b"), "n.yaml": netpol.replace("NS", "b")},
        select=["DH440", "DH642"],
    )
    assert [(f.rule_id, f.location.path, f.location.start_line) for f in other.active] == [
        ("DH642", "d.yaml", 7)
    ]


def test_kustomize_patches_are_not_judged_for_missing_things(scan):
    files = {
        "overlays/prod/kustomization.yaml": (
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
            "resources: [../../base]\npatches:\n  - path: env-patch.yaml\n"
        ),
        "overlays/prod/env-patch.yaml": (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n"
            "    spec:\n      containers:\n"
            "        - name: c\n          env: [{name: API_TOKEN, value: abc123}]\n"
        ),
    }
    result = scan(files, select=["DH7", "DH8", "DH642"])
    assert [(f.rule_id, f.location.path) for f in result.active] == [
        ("DH740", "overlays/prod/env-patch.yaml")
    ]


@pytest.mark.parametrize("rule", ["DH741", "DH640"])
def test_suppression_in_the_container_block(scan, rule):
    text = pod(
        "  containers:\n"
        "    - name: c  # dhlint: ignore[DH741,DH640] vendor sandbox, rotated daily\n"
        "      image: i\n"
        "      args:\n"
        "        - --token=abc123\n"
        "        - https://x.vendor.example\n"
    )
    result = scan({"p.yaml": text}, select=[rule])
    assert not result.active and result.suppressed


def test_suppression_at_the_head_of_an_object_covers_the_object(scan):
    """probe30 min/09: a comment above an object's first key, or at the end of its
    apiVersion:/kind: line, covers the object's findings of the rules it names (they were
    DH004 "silences nothing"). Not the next document's, not from a line after the first key,
    and one naming a rule without findings in the object is still DH004."""
    secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {n}\nstringData:\n  a.env: x=1\n"
    why = 'dhlint: ignore[DH744] reason="dev-only root creds, rotated weekly"'
    files = {
        "a.yaml": f"# {why}\n" + secret.format(n="a"),
        "b.yaml": secret.format(n="b").replace("kind: Secret", f"kind: Secret  # {why}"),
        "c.yaml": secret.format(n="c").replace("apiVersion: v1", f"apiVersion: v1  # {why}"),
        "d.yaml": f"# the city's dev namespace\n---\n\n# {why}\n" + secret.format(n="d"),
        # negatives: the next document, a comment after the first key, another rule
        "e.yaml": f"# {why}\n" + secret.format(n="e1") + "---\n" + secret.format(n="e2"),
        "f.yaml": secret.format(n="f").replace("kind:", f"# {why}\nkind:"),
        "g.yaml": "# dhlint: ignore[DH740] reason=x\n" + secret.format(n="g"),
    }
    result = scan(files, select=["DH744", "DH740", "DH004"])
    assert [(f.rule_id, f.location.path, f.location.start_line) for f in result.active] == [
        ("DH744", "e.yaml", 13),
        ("DH004", "f.yaml", 2),
        ("DH744", "f.yaml", 6),
        ("DH004", "g.yaml", 1),
        ("DH744", "g.yaml", 6),
    ]
    assert [(f.location.path, f.location.start_line) for f in result.suppressed] == [
        ("a.yaml", 6),
        ("b.yaml", 5),
        ("c.yaml", 5),
        ("d.yaml", 9),
        ("e.yaml", 6),
    ]


def test_env_suppression_is_per_entry(scan):
    text = pod(
        "  containers:\n"
        "    - name: c\n"
        "      image: i\n"
        "      env:\n"
        "        # dhlint: ignore[DH740] sandbox key of the vendor's test tenant\n"
        "        - {name: API_TOKEN, value: abc123}\n"
        "        - {name: DB_PASSWORD, value: abc123}\n"
    )
    result = scan({"p.yaml": text}, select=["DH740"])
    assert [f.location.start_line for f in result.active] == [13]
    assert [f.location.start_line for f in result.suppressed] == [12]


def test_comment_lines_of_embedded_files_and_switch_flags_are_not_findings(scan):
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata:\n"
        "  prometheus.yml: |\n"
        "    # docs: http://prometheus.example.org/docs/config\n"
        "    remote_write:\n"
        "      - url: https://metrics.vendor.example/api/v1/write\n"
        "---\n"
    ) + pod(
        "  containers:\n"
        "    - name: c\n"
        "      image: i\n"
        "      args: [--no-password, input.csv, --prompt-token, out.csv]\n"
    )
    result = scan({"x.yaml": text}, select=["DH240", "DH640", "DH741"])
    assert rows(result) == [("DH640", *at(text, "metrics.vendor.example"))]


def test_service_dot_namespace_hosts_are_cluster_internal(scan):
    text = (
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: telemetry}\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: sensors}\ndata:\n"
        "  OTEL_ENDPOINT: https://otel-collector.telemetry:4317\n"
        "  METRICS: https://prometheus.monitoring:9090\n"
        "  DB_HOST: readings-db.sensors\n"
        "  VENDOR_HOST: api.vendor.example\n"
    )
    result = scan({"c.yaml": text}, select=["DH640"])
    assert rows(result) == [("DH640", *at(text, "api.vendor.example"))]


def test_the_shared_not_vendor_hosts_are_cluster_internal(scan):
    # The same hosts DH660 and DH690 do not call vendors (tests.conftest.NOT_VENDOR_HOSTS).
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: sensors}\ndata:\n"
    text += "".join(f"  HOST_{i}: {host}\n" for i, host in enumerate(NOT_VENDOR_HOSTS))
    text += "".join(f"  URL_{i}: https://{host}/in\n" for i, host in enumerate(NOT_VENDOR_HOSTS))
    text += "  VENDOR_HOST: api.vendor.example\n"
    result = scan({"c.yaml": text}, select=["DH640"])
    assert rows(result) == [("DH640", *at(text, "api.vendor.example"))]


def test_dh340_statefulset_claim_templates(scan):
    text = (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n"
        "  labels: {data-classification: sensitive}\nspec:\n  template:\n    spec:\n"
        "      containers: [{name: pg, image: postgres}]\n"
        "  volumeClaimTemplates:\n"
        "    - metadata:\n        name: data\n"
        "        annotations: {dhlint.io/retention-days: '30'}\n"
        "    - metadata:\n        name: wal\n"
        "        labels: {data-classification: public}\n"
        "    - metadata:\n        name: archive\n"
    )
    result = scan({"db.yaml": text}, select=["DH340"])
    assert rows(result) == [("DH340", *at(text, "metadata", 3))]
    [finding] = result.active
    assert finding.anchor == (
        "StatefulSet/default/db:spec.volumeClaimTemplates[archive]"
        ".metadata.annotations.dhlint.io/retention-days"
    )
    assert "'archive' holds sensitive data" in finding.message


KUSTOMIZE = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"


def test_kustomize_generators_are_judged_as_the_secrets_and_configmaps_they_make(scan):
    text = KUSTOMIZE + (
        "namespace: library\n"
        "secretGenerator:\n"
        "  - name: library-holds-db\n"
        "    literals:\n"
        "      - DB_PASSWORD=L1brary-Holds-Prod\n"
        "      - DB_USER=holds\n"
        "configMapGenerator:\n"
        "  - name: library-holds-config\n"
        "    literals:\n"
        "      - SMTP_PASSWORD=Smtp-Relay-2024\n"
        '      - API_TOKEN="tok-9f8e7d6c1b"\n'
        "      - DATABASE_URL=postgres://holds:Pg-Holds-24@db/holds\n"
    )
    result = scan({"k/kustomization.yaml": text}, select=["DH742", "DH743", "DH744"])
    literals = (*at(text, "- DB_PASSWORD")[:2], *at(text, "DB_USER=holds")[2:])
    assert rows(result) == [
        ("DH744", *literals),
        ("DH742", *at(text, "Smtp-Relay-2024")),
        ("DH742", *at(text, "tok-9f8e7d6c1b")),  # kustomize drops the quotes
        ("DH743", *at(text, "Pg-Holds-24")),
    ]
    assert [f.anchor for f in result.active] == [
        "Secret/library/library-holds-db:stringData",
        "ConfigMap/library/library-holds-config:data.SMTP_PASSWORD",
        "ConfigMap/library/library-holds-config:data.API_TOKEN",
        "ConfigMap/library/library-holds-config:data.DATABASE_URL@db",
    ]
    # Worded as what was written (probe20 min/08): no Secret manifest, no stringData, no base64.
    assert result.active[0].message == (
        "secretGenerator 'library-holds-db' is committed with plain-text literals "
        "(DB_PASSWORD, DB_USER)"
    )


def test_a_kustomization_without_apiversion_and_kind_is_read_as_one(scan):
    """h5/4: kustomize reads a kustomization.yaml with no apiVersion and kind (both optional;
    many are written so), but dhlint took it for other YAML and skipped it silently: a
    secretGenerator's literal password, a configMapGenerator's connection string with one,
    its namespace and its patches were all unknown. Such a file (by its name) is now the
    Kustomization it is for kustomize, with the same findings and effects."""
    body = (
        "namespace: library\n"
        "resources: [../../base]\n"
        "patches:\n  - path: env-patch.yaml\n"
        "secretGenerator:\n"
        "  - name: library-holds-db\n"
        "    literals:\n"
        "      - DB_PASSWORD=L1brary-Holds-Prod\n"
        "configMapGenerator:\n"
        "  - name: library-holds-config\n"
        "    literals:\n"
        "      - DATABASE_URL=postgres://holds:Pg-Holds-24@db/holds\n"
    )
    patch = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n"
        "    spec:\n      containers:\n"
        "        - name: c\n          env: [{name: API_TOKEN, value: abc123}]\n"
    )
    found = {}
    for name, head in (("bare", ""), ("written", KUSTOMIZE)):
        files = {"o/p/kustomization.yaml": head + body, "o/p/env-patch.yaml": patch}
        result = scan(files, select=["DH7", "DH8", "DH642"])
        shift = 2 if name == "written" else 0  # the two lines of the header
        found[name] = [
            (f.rule_id, f.location.path, f.location.start_line, f.anchor) for f in result.active
        ]
        found[name] = [
            (rule, path, line - shift * path.endswith("kustomization.yaml"), anchor)
            for rule, path, line, anchor in found[name]
        ]
        assert result.files == sorted(files), name
    assert found["bare"] == found["written"]
    assert [r[:3] for r in found["bare"]] == [
        ("DH740", "o/p/env-patch.yaml", 9),  # a patch: no DH840/DH642 for what it leaves out
        ("DH744", "o/p/kustomization.yaml", 8),
        ("DH743", "o/p/kustomization.yaml", 12),
    ]
    assert found["bare"][1][3] == "Secret/library/library-holds-db:stringData"
    # other YAML without apiVersion and kind is still not read
    other = scan({"o/p/settings.yaml": body}, select=["DH7"])
    assert other.files == [] and other.active == []


def test_kustomize_generator_literals_are_judged_for_endpoints_too(scan):
    """probe30 (README): DH240, DH241 and DH640 read a generator's literals as the ConfigMap's
    values, each on its literal's line; a loopback URL is not a finding."""
    text = KUSTOMIZE + (
        "configMapGenerator:\n"
        "  - name: overrides\n"
        "    literals:\n"
        "      - GEOCODER_URL=http://geocoder-dev.cad-dev.svc:8080/geocode\n"
        "      - PGSSLMODE=disable\n"
        "      - FEED_URL=https://feed.vendor.example/v1\n"
        "      - LOCAL_URL=http://127.0.0.1:8080/\n"
    )
    result = scan({"k/kustomization.yaml": text}, select=["DH240", "DH241", "DH640"])
    assert rows(result) == [
        ("DH240", *at(text, "http://geocoder-dev.cad-dev.svc:8080")),
        ("DH241", *at(text, "disable")),
        ("DH640", *at(text, "feed.vendor.example")),
    ]


def test_kustomize_generators_without_literal_credentials_are_not_findings(scan):
    text = KUSTOMIZE + (
        "secretGenerator:\n"
        "  - name: from-files\n"
        "    envs: [db.env]\n"  # gitignored: not in the repository, not read
        "    files: [tls.crt]\n"
        "  - name: sa-token\n"
        "    type: kubernetes.io/service-account-token\n"
        "    literals: [token=abc123]\n"
        "  - name: odd\n"
        "    literals: [NO_EQUALS_SIGN, EMPTY=]\n"
        "configMapGenerator:\n"
        "  - name: settings\n"
        "    literals:\n"
        "      - LOG_LEVEL=info\n"
        "      - TOKEN_TTL_SECONDS=900\n"
        "      - DB_PASSWORD_FILE=/run/secrets/db/password\n"
        "      - DB_PASSWORD=\n"
        "      - DATABASE_URL=postgres://holds@db/holds\n"
    )
    result = scan(
        {
            "kustomization.yaml": text,
            "db.env": "DB_PASSWORD=L1brary-Holds-Prod\n",
            ".gitignore": "*.env\n",
        },
        select=["DH742", "DH743", "DH744"],
    )
    assert rows(result) == []


def test_kustomize_generator_finding_is_suppressed_on_its_literal(scan):
    text = KUSTOMIZE + (
        "configMapGenerator:\n"
        "  - name: c\n"
        "    literals:\n"
        "      # dhlint: ignore[DH742] sandbox relay of the vendor's test tenant\n"
        "      - SMTP_PASSWORD=Smtp-Relay-2024\n"
        "      - MQTT_PASSWORD=Mqtt-2024x\n"
    )
    result = scan({"kustomization.yaml": text}, select=["DH742"])
    assert rows(result) == [("DH742", *at(text, "Mqtt-2024x"))]
    assert [f.location.start_line for f in result.suppressed] == [7]


TELEMETRY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: telemetry
  labels: {app: telemetry, data-classification: personal}
spec:
  template:
    metadata:
      labels: {app: telemetry, data-classification: personal}
    spec:
      containers:
        - {name: t, image: registry.kcmo.gov/streetlights/telemetry:1.0.4}
"""
EGRESS = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: telemetry-egress, namespace: NS}
spec:
  podSelector: {matchLabels: {app: telemetry}}
  policyTypes: [Egress]
  egress:
    - ports: [{port: 53, protocol: UDP}]
"""


@pytest.mark.parametrize(
    "kustomization, policy_namespace",
    [
        ("namespace: streetlights\nresources: [deployment.yaml, networkpolicy.yaml]\n", "x"),
        ("namespace: streetlights\nresources:\n  - deployment.yaml\n", "streetlights"),
    ],
    ids=["overrides-the-written-namespace", "sets-a-missing-namespace"],
)
def test_kustomization_namespace_puts_its_resources_in_it(scan, kustomization, policy_namespace):
    files = {
        "kustomization.yaml": KUSTOMIZE + kustomization,
        "deployment.yaml": TELEMETRY,
        "networkpolicy.yaml": EGRESS.replace("NS", policy_namespace),
    }
    assert rows(scan(files, select=["DH642"])) == []


def test_kustomization_namespace_reaches_a_base_through_an_overlay(scan):
    files = {
        "base/kustomization.yaml": KUSTOMIZE + "resources: [deployment.yaml]\n",
        "base/deployment.yaml": TELEMETRY,
        "overlays/prod/kustomization.yaml": (
            KUSTOMIZE + "namespace: streetlights\nresources: [../../base, netpol.yaml]\n"
        ),
        "overlays/prod/netpol.yaml": EGRESS.replace("NS", "streetlights"),
    }
    assert rows(scan(files, select=["DH642"])) == []


@pytest.mark.parametrize(
    "kustomization",
    [
        "resources: [deployment.yaml, networkpolicy.yaml]\n",  # no namespace: as written
        "namespace: streetlights\nresources: [networkpolicy.yaml]\n",  # not listed
        "namespace: streetlights\nresources: [../deployment.yaml]\n",  # another file
    ],
    ids=["no-namespace", "deployment-not-listed", "path-elsewhere"],
)
def test_kustomization_namespace_only_for_what_it_lists(scan, kustomization):
    files = {
        "kustomization.yaml": KUSTOMIZE + kustomization,
        "deployment.yaml": TELEMETRY,
        "networkpolicy.yaml": EGRESS.replace("NS", "streetlights"),
    }
    result = scan(files, select=["DH642"])
    assert [(f.rule_id, f.location.path, f.location.start_line) for f in result.active] == [
        ("DH642", "deployment.yaml", 9)
    ]
    assert result.active[0].anchor.startswith("Deployment/default/telemetry:")


def test_a_base_shared_by_overlays_in_different_namespaces_stays_with_their_policies(scan):
    """The usual layout: one base, overlays dev and prod with their own namespaces and their
    own egress policy. The base is one object in the model (kept where it is written), so the
    overlays' objects stay where they are written too: the policy still covers the base."""
    deployment = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: patient-api\n"
        "  labels: {app: patient-api, data-classification: personal}\n"
        "spec:\n  selector:\n    matchLabels: {app: patient-api}\n  template:\n"
        "    metadata:\n      labels: {app: patient-api, data-classification: personal}\n"
        "    spec:\n      containers:\n        - {name: api, image: registry.kcmo.gov/x:1}\n"
    )
    policy = (
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        "metadata: {name: restrict-egress}\nspec:\n  podSelector: {}\n"
        "  policyTypes: [Egress]\n  egress:\n    - ports: [{port: 53, protocol: UDP}]\n"
    )
    kust = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
    files = {
        "base/deployment.yaml": deployment,
        "base/kustomization.yaml": kust + "resources: [deployment.yaml]\n",
        "overlays/dev/netpol.yaml": policy,
        "overlays/dev/kustomization.yaml": kust
        + "namespace: health-dev\nresources: [../../base, netpol.yaml]\n",
        "overlays/prod/netpol.yaml": policy,
        "overlays/prod/kustomization.yaml": kust
        + "namespace: health-prod\nresources: [../../base, netpol.yaml]\n",
    }
    assert rows(scan(files, select=["DH642"])) == []


GENERATOR_FILES = KUSTOMIZE + (
    "namespace: police\n"
    "configMapGenerator:\n"
    "  - name: push-config\n"
    "    envs:\n"
    "      - push.env\n"
    "      - ../../outside.env\n"
    "    files:\n"
    "      - pg.properties\n"
    "      - tls.conf=settings/tls.conf\n"
    "secretGenerator:\n"
    "  - name: push-db\n"
    "    envs: [db.env]\n"
)
PUSH_ENV = (
    "# vendor push\n"
    "VENDOR_URL=https://ingest.vendor.example/v1\n"
    "\n"
    "PGSSLMODE=disable\n"
    "REDIS_SSL\n"  # no value: kustomize takes it from its own environment
    "LOG_LEVEL=info\n"
)


def test_kustomize_generator_envs_and_files_are_read(scan, tmp_path):
    # envs: KEY=VALUE lines, files: the file's text under its name (or the key given); before,
    # only literals were read and these settings were judged nowhere. Findings are on the
    # entry naming the file (the kustomization is the scanned file; a suppression goes there).
    files = {
        "k/base/kustomization.yaml": GENERATOR_FILES,
        "k/base/push.env": PUSH_ENV,
        "k/base/pg.properties": "jdbc.url=jdbc:postgresql://db:5432/alpr?sslmode=require\n",
        "k/base/settings/tls.conf": "verify_ssl=false\n",
        "k/base/db.env": "DB_PASSWORD=Pol1ce-Push-2024\n",
        "outside.env": "TLS=false\n",  # two directories up, still in the tree: read
    }
    result = scan(files, select=["DH241", "DH640", "DH744"])
    assert sorted((f.rule_id, f.location.path, f.location.start_line) for f in result.active) == [
        ("DH241", "k/base/kustomization.yaml", 7),  # PGSSLMODE=disable in push.env
        ("DH241", "k/base/kustomization.yaml", 8),  # TLS=false in outside.env
        ("DH241", "k/base/kustomization.yaml", 11),  # verify_ssl=false in tls.conf
        ("DH640", "k/base/kustomization.yaml", 7),  # VENDOR_URL
        ("DH744", "k/base/kustomization.yaml", 14),  # the Secret's DB_PASSWORD
    ]
    messages = {f.message for f in result.active if f.rule_id == "DH241"}
    assert "'PGSSLMODE' of ConfigMap 'push-config' turns off TLS or its verification " in "".join(
        messages
    )
    assert any("'tls.conf' of ConfigMap 'push-config'" in m for m in messages)


def test_kustomize_generator_files_outside_the_tree_or_missing_are_not_read(scan, tmp_path):
    outside = tmp_path / "secret.env"
    outside.write_text("TLS=false\n")
    text = GENERATOR_FILES.replace("../../outside.env", str(outside)).replace(
        "push.env", "missing.env"
    )
    result = scan({"k/base/kustomization.yaml": text}, select=["DH241", "DH640", "DH744"])
    assert result.active == []
    assert not result.diagnostics


@pytest.mark.parametrize(
    ("egress", "says"),
    [
        ("    - to: [{ipBlock: {cidr: 0.0.0.0/0}}]\n      ports: [{port: 443}]\n", " on port 443"),
        ("    - ports: [{port: 443}, {port: 8443}]\n", " on ports 443, 8443"),
        ("    - {}\n", ""),
    ],
    ids=["cidr-443", "no-peer-two-ports", "empty-rule"],
)
def test_an_open_egress_policy_is_named_with_the_ports_it_opens(scan, egress, says):
    """probe35: a policy allowing only 443 to 0.0.0.0/0 was said to allow "all egress"; it
    still lets the pod send data anywhere (reported), but on that port only."""
    deployment = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: mds-ingest\n"
        "  labels: {app: mds-ingest, data-classification: personal}\n"
        "spec:\n  selector:\n    matchLabels: {app: mds-ingest}\n  template:\n"
        "    metadata:\n      labels: {app: mds-ingest, data-classification: personal}\n"
        "    spec:\n      containers:\n        - {name: api, image: registry.kcmo.gov/x:1}\n"
    )
    policy = (
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        "metadata: {name: egress}\nspec:\n  podSelector: {}\n"
        "  policyTypes: [Egress]\n  egress:\n" + egress
    )
    result = scan({"d.yaml": deployment, "np.yaml": policy}, select=["DH642"])
    [finding] = result.active
    assert finding.message.endswith(
        "egress is unrestricted: NetworkPolicy 'egress' allows egress to any destination" + says
    )


def test_dh141_a_device_node_or_a_read_only_mount_stores_nothing(scan):
    # probe38 min/07: the camera's /dev/video0 (CharDevice) and a read-only /run/udev were
    # "host directories"; the spool directory the agent writes to stays a finding
    text = """apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: camera-agent
  labels: {data-classification: sensitive}
spec:
  template:
    spec:
      containers:
        - name: agent
          image: registry.kcmo.gov/alpr/agent:1
          volumeMounts:
            - {name: video, mountPath: /dev/video0}
            - {name: video1, mountPath: /dev/video1}
            - {name: udev, mountPath: /run/udev, readOnly: true}
            - {name: spool, mountPath: /var/spool/alpr}
            - {name: shm, mountPath: /dev/shm}
            - {name: disk, mountPath: /dev/sdb}
        - name: sidecar
          image: registry.kcmo.gov/alpr/sidecar:1
          volumeMounts:
            - {name: spool, mountPath: /spool, readOnly: true}
      volumes:
        - {name: video, hostPath: {path: /dev/video0, type: CharDevice}}
        - {name: video1, hostPath: {path: /dev/video1}}
        - {name: udev, hostPath: {path: /run/udev}}
        - {name: spool, hostPath: {path: /var/spool/alpr, type: DirectoryOrCreate}}
        - {name: shm, hostPath: {path: /dev/shm}}
        - {name: disk, hostPath: {path: /dev/sdb, type: BlockDevice}}
"""
    result = scan({"ds.yaml": text}, select=["DH141"])
    paths = [f.message.split("host directory '")[1].split("'")[0] for f in result.active]
    assert paths == ["/var/spool/alpr", "/dev/shm", "/dev/sdb"]


def test_dh241_mail_starttls_off_is_tls_off_unless_the_mail_is_secured_otherwise(scan):
    """s31 h6 #2: Django's (Flask-Mail's) EMAIL_USE_TLS=False (MAIL_USE_TLS) in a ConfigMap or
    an env was no finding (EMAIL_ namespaces any switch away), though the app then sends its
    mail in clear, which DH260 reports for the same settings in Python. Now it is TLS off,
    unless implicit TLS is on beside it (EMAIL_USE_SSL=True) or the mail server is this host
    (EMAIL_HOST=localhost: a relay in the pod); EMAIL_USE_SSL=False alone stays no finding."""
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: mail}\ndata:\n"
        "  EMAIL_HOST: smtp.kcmo.gov\n  EMAIL_USE_TLS: 'False'\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: flask}\ndata:\n"
        "  MAIL_SERVER: smtp.kcmo.gov\n  MAIL_USE_TLS: '0'\n  MAIL_USE_SSL: 'false'\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssl}\ndata:\n"
        "  EMAIL_HOST: smtp.kcmo.gov\n  EMAIL_USE_TLS: 'false'\n  EMAIL_USE_SSL: 'true'\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: relay}\ndata:\n"
        "  EMAIL_HOST: localhost\n  EMAIL_USE_TLS: 'false'\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: implicit}\ndata:\n"
        "  EMAIL_USE_SSL: 'false'\n"
    )
    result = scan({"c.yaml": text}, select=["DH241"])
    assert rows(result) == [("DH241", *at(text, "'False'")), ("DH241", *at(text, "'0'"))]
    assert result.active[0].message.endswith("(EMAIL_USE_TLS=False)")
