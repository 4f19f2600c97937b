"""Detector behaviour through the engine: exact locations, unknowns, branches, suppressions."""

from __future__ import annotations

import pytest

from dhlint.analysis import Context
from dhlint.catalog import load_catalog
from dhlint.policy import default_policy
from tests.conftest import rule_ids

from ._helpers import build


def _located(result):
    return [
        (f.rule_id, f.location.start_line, f.location.start_col, f.location.end_col)
        for f in result.active
    ]


def test_dh407_points_at_the_open_cidr(scan):
    text = """resource "aws_security_group" "db" {
  ingress {
    from_port   = 5000
    to_port     = 6000
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"]
  }
}
resource "aws_security_group_rule" "web" {
  type        = "ingress"
  from_port   = 443
  to_port     = 443
  protocol    = "tcp"
  cidr_blocks = ["0.0.0.0/0"]
}
resource "aws_vpc_security_group_ingress_rule" "all" {
  ip_protocol = "-1"
  cidr_ipv6   = "::/0"
}
"""
    result = scan({"main.tf": text}, select=["DH407"])
    assert _located(result) == [("DH407", 6, 34, 45), ("DH407", 18, 3, 23)]
    assert "5432" in result.active[0].message


def test_dh703_a_secret_in_a_template_branch_not_rendered_is_committed_all_the_same(scan):
    """probe21tf R3: since directives are evaluated (908940f), a password in a branch whose
    condition is false or unknown was no longer seen; a ternary kept both options."""
    line = '"#!/bin/sh\\n%{ if var.debug }export DB_PASSWORD=Kc-permits-Pw2024!%{ endif }\\n"'
    text = f"""variable "debug" {{
  default = false
}}
variable "undecided" {{}}
resource "aws_instance" "off" {{
  user_data = {line}
}}
resource "aws_instance" "unknown" {{
  user_data = {line.replace("var.debug", "var.undecided")}
}}
resource "aws_instance" "clean" {{
  user_data = "#!/bin/sh\\n%{{ if var.debug }}set -x%{{ endif }}\\n"
}}
"""
    result = scan({"main.tf": text}, select=["DH703"])
    assert rule_ids(result) == [("DH703", "main.tf", 6), ("DH703", "main.tf", 9)]


BOOT_TEMPLATE = """#!/bin/sh
echo "site ${site}"
%{ if debug ~}
export DB_PASSWORD=Kc-permits-Pw2024!
%{ endif ~}
%{ if trace ~}
set -x
%{ endif ~}
start
"""


def test_dh703_a_template_branch_not_rendered_through_an_encoding_function(scan):
    """base64encode(templatefile(...)) (a launch template's user_data, a VM's custom_data) lost
    the text of the branches not taken, and base64gzip/textencodebase64 the whole text."""
    text = """variable "undecided" {}
locals {
  kc = { trace = false, site = "kc" }
  on = { debug = true, trace = false, site = var.undecided }
  hq = { debug = true, trace = false, site = "hq" }
}
resource "aws_launch_template" "off" {
  user_data = base64encode(templatefile("boot.tftpl", merge(local.kc, { debug = false })))
}
resource "aws_launch_template" "unknown" {
  user_data = base64encode(templatefile("boot.tftpl", merge(local.kc, { debug = var.undecided })))
}
resource "azurerm_linux_virtual_machine" "gzip" {
  custom_data = base64gzip(templatefile("boot.tftpl", local.on))
}
resource "azurerm_windows_virtual_machine" "utf16" {
  custom_data = textencodebase64(templatefile("boot.tftpl", local.hq), "UTF-16LE")
}
resource "aws_launch_template" "taken" {
  user_data = base64encode(templatefile("boot.tftpl", merge(local.kc, { debug = true })))
}
resource "aws_launch_template" "clean" {
  user_data = base64encode(templatefile("clean.tftpl", { trace = false }))
}
resource "azurerm_linux_virtual_machine" "clean" {
  custom_data = base64gzip(templatefile("clean.tftpl", { trace = var.undecided }))
}
"""
    clean = "#!/bin/sh\n%{ if trace ~}\nset -x\n%{ endif ~}\nexport DB_PASSWORD=${site}\n"
    files = {"main.tf": text, "boot.tftpl": BOOT_TEMPLATE, "clean.tftpl": clean}
    result = scan(files, select=["DH703"])
    assert rule_ids(result) == [("DH703", "main.tf", line) for line in (8, 11, 14, 17, 20)]
    assert {f.message.split(" has a ")[1] for f in result.active} == {
        "secret assignment in user_data",
        "secret assignment in custom_data",
    }


def test_dh703_reads_every_branch_of_several_undecided_conditions(scan):
    """Two undecided %{ if } are now each rendering's (four); twenty stay an unknown part whose
    untaken text holds every branch, a branch a line: run together, "...-B7" and "token=..."
    were "B7token=...", no assignment."""
    two = "#!/bin/sh\n%{ if debug }export DB_PASSWORD=Kc-permits-Pw2024!%{ endif }\n"
    two += "%{ if trace }set -x%{ endif }\nstart\n"
    clean = "".join(f"%{{ if f{i} }}A{i}%{{ else }}B{i}%{{ endif }}" for i in range(20))
    many = clean.replace("A13", "token=Kc-permits-Pw2024!")
    text = """variable "undecided" {}
resource "aws_instance" "two" {
  ami       = "ami-1"
  user_data = templatefile("two.tftpl", { debug = var.undecided, trace = var.undecided.x })
}
resource "aws_instance" "many" {
  ami       = "ami-1"
  user_data = templatefile("many.tftpl", var.undecided)
}
resource "aws_instance" "clean" {
  ami       = "ami-1"
  user_data = templatefile("clean.tftpl", var.undecided)
}
"""
    files = {"main.tf": text, "two.tftpl": two, "many.tftpl": many, "clean.tftpl": clean}
    result = scan(files, select=["DH703"])
    assert rule_ids(result) == [("DH703", "main.tf", 4), ("DH703", "main.tf", 8)]


def test_dh703_reads_the_body_of_a_loop_over_an_unknown_list(scan):
    """probe27 item 5: the body of a %{ for } over an unknown list was an unknown part, not
    read: a literal password in it (in an %{ if } too) was missed; with a known list it was
    found. A value filled from the loop variable stays unknown."""
    loop = "#!/bin/sh\n%{ for u in users ~}\nexport ADMIN_PASSWORD=Kc-Admin-2024x\n"
    loop += "useradd ${u.name}\n%{ endfor ~}\n"
    nested = loop.replace("export", "%{ if u.admin ~}\nexport").replace(
        "useradd", "%{ endif ~}\nuseradd"
    )
    clean = loop.replace("Kc-Admin-2024x", "${u.password}")
    text = """variable "users" {}
resource "aws_instance" "loop" {
  ami       = "ami-1"
  user_data = templatefile("loop.tftpl", { users = var.users })
}
resource "aws_launch_template" "nested" {
  user_data = base64encode(templatefile("nested.tftpl", { users = var.users }))
}
resource "aws_instance" "clean" {
  ami       = "ami-1"
  user_data = templatefile("clean.tftpl", { users = var.users })
}
resource "aws_instance" "clean_nested" {
  ami       = "ami-1"
  user_data = templatefile("clean.tftpl", { users = [{ name = "kc", password = var.users }] })
}
"""
    files = {"main.tf": text, "loop.tftpl": loop, "nested.tftpl": nested, "clean.tftpl": clean}
    result = scan(files, select=["DH703"])
    assert rule_ids(result) == [("DH703", "main.tf", 4), ("DH703", "main.tf", 7)]


def test_dh703_judges_each_rendering_whole_and_a_branch_not_taken_within_its_lines(scan):
    """probe27 item 6: with another unknown part (${tok}), undecided conditions were read only
    as untaken text, each branch on a line of its own, where "DB_PASSWORD=" then the other
    branch's "export DB_USER=" on the next line looked like an assignment. Each rendering is
    now judged whole (up to 4 conditions), which also finds a literal that only a branch puts
    after the name; the untaken text (more conditions) gives an assignment within a line."""
    split = "#!/bin/sh\n%{ if a }export DB_PASSWORD=%{ else }export DB_USER=%{ endif }${tok}\n"
    many = split + "".join(f"%{{ if f{i} }}A{i}%{{ else }}B{i}%{{ endif }}\n" for i in range(5))
    literal = "#!/bin/sh\nexport DB_PASSWORD=%{ if a }${tok}%{ else }Kc-permits-Pw2024!%{ endif }\n"
    after = split.replace("${tok}", "Kc-permits-Pw2024!\necho ${tok}")
    text = """variable "cfg" {}
resource "aws_instance" "split" {
  ami       = "ami-1"
  user_data = templatefile("split.tftpl", { a = var.cfg.a, tok = var.cfg.tok })
}
resource "aws_instance" "many" {
  ami       = "ami-1"
  user_data = templatefile("many.tftpl", var.cfg)
}
resource "aws_launch_template" "literal" {
  user_data = base64encode(templatefile("literal.tftpl", { a = var.cfg.a, tok = var.cfg.tok }))
}
resource "aws_instance" "after" {
  ami       = "ami-1"
  user_data = templatefile("after.tftpl", { a = var.cfg.a, tok = var.cfg.tok })
}
"""
    files = {
        "main.tf": text,
        "split.tftpl": split,
        "many.tftpl": many,
        "literal.tftpl": literal,
        "after.tftpl": after,
    }
    result = scan(files, select=["DH703"])
    assert rule_ids(result) == [("DH703", "main.tf", 11), ("DH703", "main.tf", 15)]


def test_dh703_credential_names_with_a_prefix(scan):
    """probe31 item 5: ``token``, ``secret`` and ``api_key`` had to be whole words, and ``_`` is a
    word character: GITHUB_TOKEN=, CLIENT_SECRET=, API_TOKEN= were never an assignment (a
    prefixed ``password`` was). A name that goes on past the term, and the names DH701 leaves
    out (an idempotency token, the name of an existing secret), are still not credentials."""
    scripts = [
        "export GITHUB_TOKEN=ghp_9f8e7d6c5b4a39281706f5e4d3c2b1a0",  # 1
        "export CLIENT_SECRET=Zx8v-Qw7e.Rt6y_Ui5o",  # 2
        "echo 'API_TOKEN=tok_live_8d7f6e5d4c3b2a19' > /etc/app.env",  # 3
        "export STRIPE_API_KEY=sk_live_51Hx2kq9",  # 4
        "export githubtoken=ghp_9f8e7d6c5b4a39281706",  # 5
        "export TOKEN_TTL=3600000",  # not a credential: about one
        "export SECRET_NAME=db-creds",
        "export CSRF_TOKEN_NAME=x-csrf-token",
        "export CLIENT_TOKEN=kc-idempotent-42",
        "export EXISTING_SECRET=kc-db-credentials",
        "export GITHUB_TOKEN=$(cat /run/secrets/gh)",  # fetched at boot
        "export DEPLOY_TOKEN=${var.token}",
    ]
    text = 'variable "token" {}\n'
    for i, line in enumerate(scripts):
        text += f'resource "aws_instance" "s{i}" {{\n  ami       = "ami-1"\n'
        text += f"  user_data = <<-EOT\n    #!/bin/sh\n    {line}\n  EOT\n}}\n"
    result = scan({"main.tf": text}, select=["DH703"])
    # each resource is 7 lines after the variable's; user_data is its third
    assert rule_ids(result) == [("DH703", "main.tf", 4 + 7 * i) for i in range(5)]


def test_dh703_a_password_passed_through_a_function_in_a_template_file(scan):
    """${trimspace(mqtt_password)} in a template file was an unknown part: the literal passed
    in was not seen (${mqtt_password} was)."""
    text = """resource "aws_instance" "gw" {
  ami       = "ami-1"
  user_data = templatefile("boot.tftpl", { mqtt_password = "L0ra-Gateway-2024!", site = "kc" })
}
resource "aws_instance" "empty" {
  ami       = "ami-1"
  user_data = templatefile("boot.tftpl", { mqtt_password = "", site = "kc" })
}
"""
    boot = (
        '#!/bin/sh\necho "site ${upper(site)}"\n'
        'echo "MQTT_PASSWORD=${trimspace(mqtt_password)}" > /etc/relay.env\n'
    )
    result = scan({"main.tf": text, "boot.tftpl": boot}, select=["DH703"])
    assert rule_ids(result) == [("DH703", "main.tf", 3)]


def test_dh703_reads_the_file_filebase64_encodes(scan):
    """filebase64(path) is the file's text base64 encoded, as base64encode(file(path)) is: its
    start-up script was an unknown value (an unknown function), so a password in it was not
    seen. A file outside the scanned tree or missing stays unknown."""
    text = """resource "aws_instance" "plain" {
  ami       = "ami-1"
  user_data = filebase64("${path.module}/init.sh")
}
resource "aws_launch_configuration" "encoded" {
  image_id         = "ami-1"
  user_data_base64 = filebase64("${path.module}/init.sh")
}
resource "aws_instance" "compare" {
  ami              = "ami-1"
  user_data_base64 = base64encode(file("${path.module}/init.sh"))
}
resource "aws_instance" "key" {
  ami       = "ami-1"
  user_data = filebase64("scripts/key.sh")
}
resource "aws_instance" "clean" {
  ami       = "ami-1"
  user_data = filebase64("${path.module}/clean.sh")
}
resource "aws_instance" "missing" {
  ami       = "ami-1"
  user_data = filebase64("${path.module}/missing.sh")
}
resource "aws_instance" "outside" {
  ami       = "ami-1"
  user_data = filebase64("${path.module}/../../init.sh")
}
"""
    files = {
        "main.tf": text,
        "init.sh": "#!/bin/sh\nexport DB_PASSWORD=Kc-permits-Pw2024!\n/opt/start\n",
        "scripts/key.sh": "#!/bin/sh\necho '-----BEGIN OPENSSH PRIVATE KEY-----' > /k\n",
        "clean.sh": "#!/bin/sh\nexport DB_PASSWORD=$(cat /run/secrets/db)\n/opt/start\n",
    }
    result = scan(files, select=["DH703"])
    assert rule_ids(result) == [("DH703", "main.tf", line) for line in (3, 7, 11, 15)]
    assert [f.message.split(" has a ")[1] for f in result.active] == [
        "secret assignment in user_data",
        "secret assignment in user_data_base64",
        "secret assignment in user_data_base64",
        "private key in user_data",
    ]


def test_dh703_reads_the_text_base64gzip_and_cloud_init_parts_compress(scan):
    """The value of base64gzip(...) is compressed bytes (not computed); the text given to it is
    what DH703 judges (1f9e0dc). data.cloudinit_config.x.rendered (gzip and base64 by default)
    was unknown with no text at all, so a script part holding a password was not seen; its parts'
    text is now kept apart as an encoding function keeps its input's."""
    text = """variable "token" {}
resource "aws_instance" "gzip" {
  ami              = "ami-1"
  user_data_base64 = base64gzip("#!/bin/sh\\nexport DB_PASSWORD=Kc-permits-Pw2024!\\n")
}
resource "aws_instance" "gzip_clean" {
  ami              = "ami-1"
  user_data_base64 = base64gzip("#!/bin/sh\\n/opt/start\\n")
}
data "cloudinit_config" "boot" {
  gzip          = true
  base64_encode = true
  part {
    content_type = "text/cloud-config"
    content      = "package_update: true"
  }
  part {
    content_type = "text/x-shellscript"
    content      = file("${path.module}/init.sh")
  }
}
data "cloudinit_config" "plain" {
  gzip          = false
  base64_encode = false
  part {
    content_type = "text/x-shellscript"
    content      = templatefile("boot.tftpl", { debug = false, trace = false, site = "kc" })
  }
}
data "template_cloudinit_config" "legacy" {
  part {
    content = "#!/bin/sh\\naws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE\\n"
  }
}
data "cloudinit_config" "clean" {
  part {
    content = "#!/bin/sh\\nexport API_TOKEN=${var.token}\\n"
  }
}
resource "aws_instance" "boot" {
  ami              = "ami-1"
  user_data_base64 = data.cloudinit_config.boot.rendered
}
resource "aws_launch_template" "plain" {
  user_data = base64encode(data.cloudinit_config.plain.rendered)
}
resource "aws_instance" "legacy" {
  ami       = "ami-1"
  user_data = data.template_cloudinit_config.legacy.rendered
}
resource "aws_instance" "clean" {
  ami              = "ami-1"
  user_data_base64 = data.cloudinit_config.clean.rendered
}
"""
    files = {
        "main.tf": text,
        "init.sh": "#!/bin/sh\nexport DB_PASSWORD=Kc-permits-Pw2024!\n/opt/start\n",
        "boot.tftpl": BOOT_TEMPLATE,
    }
    result = scan(files, select=["DH703"])
    assert rule_ids(result) == [("DH703", "main.tf", line) for line in (4, 42, 45, 49)]
    assert [f.message.split(" has a ")[1] for f in result.active] == [
        "secret assignment in user_data_base64",
        "secret assignment in user_data_base64",
        "secret assignment in user_data",
        "AWS access key in user_data",
    ]


def test_dh703_base64_and_heredoc_user_data(scan):
    text = """variable "ami" {}
resource "aws_launch_template" "a" {
  user_data = base64encode("#!/bin/sh\\necho '-----BEGIN OPENSSH PRIVATE KEY-----'\\n")
}
resource "aws_instance" "b" {
  ami       = var.ami
  user_data = <<-EOT
    #!/bin/sh
    export API_TOKEN=${var.ami}
    start
  EOT
}
"""
    result = scan({"main.tf": text}, select=["DH703"])
    assert rule_ids(result) == [("DH703", "main.tf", 3)]
    assert "private key" in result.active[0].message


def test_dh605_only_http_subscriptions_and_known_urls(scan):
    text = """variable "url" {}
resource "aws_sns_topic_subscription" "a" {
  topic_arn = "arn:aws:sns:us-east-2:111122223333:t"
  protocol  = "email"
  endpoint  = "someone@vendor.example"
}
resource "aws_sns_topic_subscription" "b" {
  topic_arn = "arn:aws:sns:us-east-2:111122223333:t"
  protocol  = "https"
  endpoint  = var.url
}
resource "aws_cloudwatch_event_api_destination" "c" {
  name                = "crm"
  connection_arn      = "arn:aws:events:us-east-2:111122223333:connection/crm"
  http_method         = "POST"
  invocation_endpoint = "https://hooks.kcmo.gov/crm"
}
"""
    assert rule_ids(scan({"main.tf": text}, select=["DH605"])) == []


def test_dh601_policy_document_and_unknown_account(scan):
    text = """data "aws_caller_identity" "me" {}
data "aws_iam_policy_document" "share" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.me.account_id}:root",
                     "arn:aws:iam::999988887777:role/vendor"]
    }
  }
}
resource "aws_s3_bucket_policy" "p" {
  bucket = "kc-exports"
  policy = data.aws_iam_policy_document.share.json
}
"""
    result = scan({"main.tf": text}, select=["DH601"])
    assert rule_ids(result) == [("DH601", "main.tf", 15)]
    assert "999988887777" in result.active[0].message
    approved = scan(
        {"main.tf": text}, select=["DH601"], policy={"approved_accounts": ["999988887777"]}
    )
    assert rule_ids(approved) == []


def test_dh601_role_trust_policy_names_an_unapproved_account(scan):
    # probe33 min/13: a role the vendor's account may assume, in the three ways it is written
    text = """resource "aws_iam_role" "vendor_support" {
  name = "vendor-support"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::444455556666:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["555566667777"]
    }
  }
}
resource "aws_iam_role" "doc" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
resource "aws_iam_role" "heredoc" {
  assume_role_policy = <<-EOF
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::666677778888:role/ops"}, "Action": "sts:AssumeRole"}]}
  EOF
}
resource "aws_iam_role" "lambda" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action = "sts:AssumeRole"
    }]
  })
}
resource "aws_iam_role" "own" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789012:root" }
      Action = "sts:AssumeRole"
    }]
  })
}
resource "aws_iam_role" "denied" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Deny"
      Principal = { AWS = "999988887777" }
      Action = "sts:AssumeRole"
    }]
  })
}
resource "aws_opensearch_domain_policy" "search" {
  domain_name = "trip-search"
  access_policies = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Principal = { AWS = "777788889999" }
      Action = "es:ESHttpGet"
      Resource = "*"
    }]
  })
}
"""
    policy = {"approved_accounts": ["123456789012"]}
    result = scan({"main.tf": text}, select=["DH601"], policy=policy)
    assert rule_ids(result) == [
        ("DH601", "main.tf", 7),  # jsonencode: at the statement's principal
        ("DH601", "main.tf", 22),
        ("DH601", "main.tf", 25),
        ("DH601", "main.tf", 66),
    ]
    accounts = ["444455556666", "555566667777", "666677778888", "777788889999"]
    assert [a in f.message for f, a in zip(result.active, accounts, strict=True)] == [True] * 4
    assert "aws_iam_role.vendor_support" in result.active[0].message


def test_dh601_names_every_unapproved_account_of_a_policy(scan):
    # probe38 min/09: only the first was named (the vendor's account hid behind a neighbour's)
    text = """data "aws_iam_policy_document" "images" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::kcpd-alpr-images/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::210987654321:root"]
    }
  }
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::kcpd-alpr-images/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::999988887777:role/platevision-training",
                     "arn:aws:iam::210987654321:role/other"]
    }
  }
}
resource "aws_s3_bucket_policy" "images" {
  bucket = "kcpd-alpr-images"
  policy = data.aws_iam_policy_document.images.json
}
resource "aws_sqs_queue_policy" "q" {
  queue_url = "https://sqs.us-east-2.amazonaws.com/123456789012/reads"
  policy = jsonencode({
    Statement = { Effect = "Allow", Principal = { AWS = ["111111111111", "222222222222"] } }
  })
}
"""
    result = scan(
        {"main.tf": text}, select=["DH601"], policy={"approved_accounts": ["222222222222"]}
    )
    found = [
        (f.location.start_line, f.anchor, f.message.split("account ")[1][:12])
        for f in result.active
    ]
    assert found == [
        (22, "aws_s3_bucket_policy.images@210987654321", "210987654321"),
        (22, "aws_s3_bucket_policy.images@999988887777", "999988887777"),
        (27, "aws_sqs_queue_policy.q@111111111111", "111111111111"),
    ]


def test_dh601_dh602_accounts_the_aws_provider_is_pinned_to_are_the_city_own(scan):
    # probe33 min/05: allowed_account_ids names the City's own account(s)
    text = """provider "aws" {
  region              = "us-east-2"
  allowed_account_ids = ["123456789012"]
}
resource "aws_kms_key" "literal" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789012:root" }
      Action = "kms:*"
      Resource = "*"
    }]
  })
}
resource "aws_s3_bucket_replication_configuration" "dr" {
  role   = "arn:aws:iam::123456789012:role/repl"
  bucket = "src-bucket"
  rule {
    id     = "r"
    status = "Enabled"
    destination {
      bucket  = "arn:aws:s3:::dr-bucket"
      account = "123456789012"
    }
  }
}
"""
    assert rule_ids(scan({"main.tf": text}, select=["DH601", "DH602"])) == []
    unpinned = text.replace('  allowed_account_ids = ["123456789012"]\n', "")
    result = scan({"main.tf": unpinned}, select=["DH601", "DH602"])
    assert rule_ids(result) == [("DH601", "main.tf", 9), ("DH602", "main.tf", 23)]
    assert "the City's own accounts belong too" in result.active[0].message


def test_dh801_dh802_tags(scan):
    text = """variable "tags" {}
resource "aws_s3_bucket" "unknown_tags" {
  bucket = "a"
  tags   = var.tags
}
resource "aws_s3_bucket" "bad_value" {
  bucket = "b"
  tags = {
    "data-classification" = "PII"
  }
}
resource "google_storage_bucket" "no_label" {
  name     = "c"
  location = "US"
  labels = {
    team = "x"
  }
}
"""
    result = scan({"main.tf": text}, select=["DH801", "DH802"])
    assert rule_ids(result) == [("DH802", "main.tf", 9), ("DH801", "main.tf", 15)]


def test_a_class_the_policy_does_not_define_is_judged_as_the_default(scan):
    # probe29 min/05: a misspelt tag got retention.max_days (365), laxer than no tag at all
    # (the default class, personal, 30 days here); Kubernetes already treated it as missing.
    text = """resource "google_storage_bucket" "untagged" {
  name     = "kc-plates-a"
  location = "US"
  logging { log_bucket = "kc-logs" }
  lifecycle_rule {
    action { type = "Delete" }
    condition { age = 200 }
  }
}
resource "google_storage_bucket" "misspelt" {
  name     = "kc-plates-b"
  location = "US"
  labels   = { data-classification = "confidential" }
  logging { log_bucket = "kc-logs" }
  lifecycle_rule {
    action { type = "Delete" }
    condition { age = 200 }
  }
}
resource "google_bigquery_dataset" "misspelt" {
  dataset_id                  = "plates"
  default_table_expiration_ms = 17280000000
  labels                      = { data-classification = "PII" }
}
resource "google_bigquery_dataset" "internal" {
  dataset_id                  = "counts"
  default_table_expiration_ms = 17280000000
  labels                      = { data-classification = "internal" }
}
"""
    policy = {"retention": {"by_class": {"personal": 30, "sensitive": 30}}}
    select = ["DH302", "DH303", "DH802"]
    result = scan({"main.tf": text}, policy=policy, select=select)
    assert rule_ids(result) == [
        ("DH302", "main.tf", 7),
        ("DH802", "main.tf", 13),
        ("DH302", "main.tf", 17),
        ("DH303", "main.tf", 22),
        ("DH802", "main.tf", 23),
    ]
    by_line = {f.location.start_line: f.message for f in result.active}
    assert "within 30 days for 'personal' data" in by_line[17]
    assert by_line[13].endswith(
        "(public, internal, personal, sensitive); it is judged as the default class 'personal'"
    )
    # A class the policy defines keeps its own maximum (internal: max_days, 365): no line 26.


def test_split_lifecycle_by_reference_by_name_and_absent(scan):
    text = """resource "aws_s3_bucket" "a" { bucket = "kc-a" }
resource "aws_s3_bucket" "b" { bucket = "kc-b" }
resource "aws_s3_bucket" "c" { bucket = "kc-c" }
resource "aws_s3_bucket_lifecycle_configuration" "a" {
  bucket = aws_s3_bucket.a.id
  rule {
    id     = "x"
    status = "Enabled"
    expiration { days = 30 }
  }
}
resource "aws_s3_bucket_lifecycle_configuration" "b" {
  bucket = "kc-b"
  rule {
    id     = "x"
    status = "Disabled"
    expiration { days = 30 }
  }
}
"""
    result = scan({"main.tf": text}, select=["DH302"])
    # b's only rule is disabled: as good as absent; c has none.
    assert rule_ids(result) == [("DH302", "main.tf", 2), ("DH302", "main.tf", 3)]


def test_suppression_inside_the_resource_block(scan):
    text = """resource "aws_s3_bucket" "raw" {
  # dhlint: ignore[DH101] test data only, deleted nightly
  bucket = "kc-test"
}
"""
    result = scan({"main.tf": text}, select=["DH101"])
    assert rule_ids(result) == []
    (finding,) = result.suppressed
    assert finding.suppressed_by.reason.startswith("test data only")


def test_values_detector_any_branch_violates(scan):
    text = """variable "public" { type = bool }
resource "aws_db_instance" "db" {
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  storage_encrypted   = true
  publicly_accessible = var.public ? true : false
}
"""
    result = scan({"main.tf": text}, select=["DH403"])
    assert _located(result) == [("DH403", 6, 3, 50)]


def test_dh701_secret_holders_and_generated_values(scan):
    text = """resource "random_password" "db" {
  length = 24
}
resource "azurerm_key_vault_secret" "db" {
  name         = "db-password"
  value        = "literal-in-repo"
  key_vault_id = "/subscriptions/x/vaults/kc"
}
resource "aws_ssm_parameter" "plain" {
  name  = "/kc/region"
  type  = "String"
  value = "us-east-2"
}
resource "aws_ssm_parameter" "secret" {
  name  = "/kc/db"
  type  = "SecureString"
  value = random_password.db.result
}
"""
    assert rule_ids(scan({"main.tf": text}, select=["DH701"])) == [("DH701", "main.tf", 6)]


def test_multi_check_rule_keeps_each_missing_attribute(scan):
    text = 'resource "aws_cloudtrail" "city" {\n  name = "kc"\n  s3_bucket_name = "kc-t"\n}\n'
    result = scan({"main.tf": text}, select=["DH902"])
    assert sorted(f.anchor for f in result.active) == [
        "aws_cloudtrail.city:enable_log_file_validation",
        "aws_cloudtrail.city:is_multi_region_trail",
        "aws_cloudtrail.city:kms_key_id",
    ]
    assert {f.location.start_line for f in result.active} == {1}


def test_dh114_a_workgroup_that_does_not_enforce_its_settings(scan):
    """probe44 P10 (min/07): enforce_workgroup_configuration = false lets each client override
    the workgroup's result encryption; unset (the provider's true) passes. The encryption
    check keeps the resource's address as its anchor (baselines written when it was the
    rule's only check still match); the new check's anchor names its attribute."""
    text = """resource "aws_athena_workgroup" "adhoc" {
  name = "adhoc"
  configuration {
    enforce_workgroup_configuration = false
    result_configuration {
      output_location = "s3://kc-athena-results/adhoc/"
    }
  }
}
resource "aws_athena_workgroup" "default_enforced" {
  name = "enforced"
  configuration {
    result_configuration {
      output_location = "s3://kc-athena-results/enforced/"
      encryption_configuration {
        encryption_option = "SSE_KMS"
      }
    }
  }
}
"""
    result = scan({"main.tf": text}, select=["DH114"])
    assert sorted((f.location.start_line, f.anchor) for f in result.active) == [
        (3, "aws_athena_workgroup.adhoc"),
        (4, "aws_athena_workgroup.adhoc:configuration.enforce_workgroup_configuration"),
    ]


def test_dh903_judges_an_aurora_cluster_and_skips_only_an_instance_of_a_cluster(scan):
    """probe43 P2: an ``aws_rds_cluster`` always has a cluster_identifier (its own name), which
    skipped it; only an instance that is a member of a cluster (its logs are the cluster's) is
    skipped."""
    text = """resource "aws_rds_cluster" "reporting" {
  cluster_identifier = "em-reporting"
  engine             = "aurora-postgresql"
}
resource "aws_rds_cluster" "exported" {
  cluster_identifier              = "em-exported"
  engine                          = "aurora-postgresql"
  enabled_cloudwatch_logs_exports = ["postgresql"]
}
resource "aws_db_instance" "registry" {
  identifier = "em-registry"
  engine     = "postgres"
}
resource "aws_db_instance" "member" {
  identifier         = "em-member"
  cluster_identifier = aws_rds_cluster.reporting.id
}
"""
    result = scan({"main.tf": text}, select=["DH903"])
    # (the anchors, which baselines record, are the resource addresses, as before)
    assert sorted(f.anchor for f in result.active) == [
        "aws_db_instance.registry",
        "aws_rds_cluster.reporting",
    ]


def test_dh202_policy_document_composed_from_source_documents(scan):
    text = """resource "aws_s3_bucket" "b" { bucket = "kc-b" }
data "aws_iam_policy_document" "tls" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
data "aws_iam_policy_document" "combined" {
  source_policy_documents = [data.aws_iam_policy_document.tls.json]
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/etl"]
    }
  }
}
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = data.aws_iam_policy_document.combined.json
}
"""
    assert rule_ids(scan({"main.tf": text}, select=["DH202"])) == []
    unknown = text.replace("data.aws_iam_policy_document.tls.json", "var.base_policy")
    unknown = 'variable "base_policy" {}\n' + unknown.replace(
        'effect    = "Deny"', 'effect    = "Allow"'
    )
    assert rule_ids(scan({"main.tf": unknown}, select=["DH202"])) == []


def test_dh202_two_policies_of_one_bucket_each_must_deny_plain_http(scan):
    # probe38 min/06: S3 keeps one policy per bucket (the one applied last): a Deny in one
    # aws_s3_bucket_policy of two counted for both
    deny = (
        '{ Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "*",'
        ' Condition = { Bool = { "aws:SecureTransport" = "false" } } }'
    )
    allow = '{ Effect = "Allow", Principal = { AWS = "111122223333" }, Action = "s3:GetObject" }'

    def policy(name, statements):
        return (
            f'resource "aws_s3_bucket_policy" "{name}" {{\n  bucket = aws_s3_bucket.b.id\n'
            f"  policy = jsonencode({{ Statement = [{statements}] }})\n}}\n"
        )

    bucket = 'resource "aws_s3_bucket" "b" {\n  bucket = "kc-b"\n}\n'
    text = bucket + policy("tls", deny) + policy("share", allow)
    result = scan({"main.tf": text}, select=["DH202"])
    assert rule_ids(result) == [("DH202", "main.tf", 10)]
    ((where, label),) = [(r.location.start_line, r.label) for r in result.active[0].related]
    assert where == 6 and label.startswith("aws_s3_bucket_policy.tls denies it, but the policy")
    # probe40 P11: the text output shows only the message, so it says why a Deny that is in
    # plain sight does not count
    assert result.active[0].message.endswith(
        "aws_s3_bucket_policy.share has no Deny on aws:SecureTransport = false, and S3 keeps"
        " one policy per bucket: whichever is applied last replaces aws_s3_bucket_policy.tls,"
        " which has it"
    )
    [alone] = scan({"main.tf": bucket}, select=["DH202"]).active
    assert alone.message.endswith("without TLS: it has no bucket policy that denies them")
    both = bucket + policy("tls", deny) + policy("share", f"{allow}, {deny}")
    assert rule_ids(scan({"main.tf": both}, select=["DH202"])) == []
    unknown = 'variable "p" {}\n' + bucket + policy("tls", deny)
    unknown += 'resource "aws_s3_bucket_policy" "x" {\n  bucket = aws_s3_bucket.b.id\n'
    unknown += "  policy = var.p\n}\n"
    assert rule_ids(scan({"main.tf": unknown}, select=["DH202"])) == []


def test_dh701_name_value_pairs(scan):
    """A credential set as a name/value pair: a container's environment (also in the JSON of
    ``container_definitions``) and a Helm release's ``set``; not the name of a Secret."""
    text = """resource "aws_ecs_task_definition" "sync" {
  family = "kc-citation-sync"
  container_definitions = jsonencode([{
    name        = "sync"
    environment = [{ name = "DB_PASSWORD", value = "Citati0n-Sync-2024!" }]
    secrets     = [{ name = "API_TOKEN", valueFrom = "arn:aws:ssm:us-east-2:1:parameter/t" }]
  }])
}
resource "helm_release" "db" {
  name  = "readings-db"
  chart = "postgresql"
  set {
    name  = "auth.existingSecret"
    value = "readings-db-auth"
  }
  set_sensitive {
    name  = "auth.postgresPassword"
    value = "Readings-Admin-2024"
  }
}
resource "kubernetes_deployment" "api" {
  spec {
    template {
      spec {
        container {
          env {
            name  = "LOG_LEVEL"
            value = "info"
          }
          env {
            name  = "SMTP_PASSWORD"
            value = "mail-Pass-2024"
          }
        }
      }
    }
  }
}
resource "helm_release" "ok" {
  name  = "cache"
  chart = "redis"
  set {
    name  = "auth.existingSecret"
    value = "cache-auth"
  }
  set {
    name  = "datadog.apiKeyExistingSecret"
    value = "datadog-secret"
  }
  set {
    name  = "credentials.useSecret"
    value = "true"
  }
  set {
    name  = "tls.passwordsSecret"
    value = "cache-tls-passwords"
  }
}
resource "aws_ecs_task_definition" "flags" {
  family = "kc-flags"
  container_definitions = jsonencode([{
    name        = "app"
    environment = [
      { name = "ENABLE_API_TOKEN", value = "true" },
      { name = "CSRF_TOKEN", value = "1" },
    ]
  }])
}
"""
    result = scan({"main.tf": text}, select=["DH701"])
    assert [(f.location.start_line, f.message.split(" sets ")[1]) for f in result.active] == [
        (3, "container_definitions (DB_PASSWORD) to a literal value"),
        (18, "set_sensitive.value (auth.postgresPassword) to a literal value"),
        (32, "spec.template.spec.container.env.value (SMTP_PASSWORD) to a literal value"),
    ]


def test_instances_that_agree_are_one_finding_for_the_resource(scan):
    """Findings every instance gives alike are reported once, for the resource as written
    (a baseline that names it keeps matching); those of some instances, per instance."""
    text = """resource "aws_rds_cluster_instance" "fares" {
  count               = 2
  identifier          = "kc-fares-${count.index}"
  cluster_identifier  = "kc-fares"
  instance_class      = "db.r6g.large"
  engine              = "aurora-postgresql"
  publicly_accessible = true
}
resource "google_storage_bucket_iam_member" "readers" {
  for_each = toset(["allUsers", "group:planning@kcmo.gov"])
  bucket   = "kc-open-data"
  role     = "roles/storage.objectViewer"
  member   = each.value
}
"""
    result = scan({"main.tf": text}, select=["DH403", "DH404"])
    assert [(f.rule_id, f.location.start_line, f.anchor) for f in result.active] == [
        ("DH403", 7, "aws_rds_cluster_instance.fares:publicly_accessible"),
        ("DH404", 13, 'google_storage_bucket_iam_member.readers["allUsers"]:member'),
    ]
    assert "'aws_rds_cluster_instance.fares'" in result.active[0].message


def _lifecycle(name: str, body: str, days: int = 7) -> str:
    """An S3 bucket with one enabled rule that expires after ``days``; ``body`` is its filter."""
    return f"""resource "aws_s3_bucket" "{name}" {{
  bucket = "kc-{name}"
}}
resource "aws_s3_bucket_lifecycle_configuration" "{name}" {{
  bucket = aws_s3_bucket.{name}.id
  rule {{
    id     = "r"
    status = "Enabled"
{body}
    expiration {{
      days = {days}
    }}
  }}
}}
"""


def test_dh302_a_filtered_s3_expiry_does_not_cover_the_bucket(scan):
    cases = [
        ("staging", 'filter {\n      prefix = "staging/"\n    }'),
        (
            "tagged",
            'filter {\n      tag {\n        key   = "tmp"\n        value = "1"\n      }\n    }',
        ),
        ("small", "filter {\n      object_size_greater_than = 1048576\n    }"),
        (
            "both",
            'filter {\n      and {\n        prefix = ""\n'
            '        tags   = { tmp = "1" }\n      }\n    }',
        ),
        ("legacy", 'prefix = "logs/"'),  # the deprecated rule-level prefix
        ("empty", "filter {}"),  # covers every object
        ("blank", 'filter {\n      prefix = ""\n    }'),  # so does an empty prefix
        ("sizezero", "filter {\n      object_size_greater_than = 0\n    }"),  # no bound
        ("nofilter", ""),
        ("unknown", "filter {\n      prefix = var.prefix\n    }"),  # might be "": not judged
    ]
    text = 'variable "prefix" {}\n' + "".join(_lifecycle(n, "    " + body) for n, body in cases)
    result = scan({"main.tf": text}, select=["DH302"])
    assert [(f.location.start_line, f.anchor) for f in result.active] == [
        (2, "aws_s3_bucket.staging"),
        (18, "aws_s3_bucket.tagged"),
        (37, "aws_s3_bucket.small"),
        (53, "aws_s3_bucket.both"),
        (72, "aws_s3_bucket.legacy"),
    ]
    first = result.active[0]
    assert first.message.endswith(
        "(expiration: only for objects matching a filter, not for every object)"
    )
    assert [r.location.start_line for r in first.related] == [14]  # days = 7 of that rule


def test_dh302_the_probe_case_prefix_scoped_expiry(scan):
    text = """resource "aws_s3_bucket" "requests" {
  bucket = "kcmo-prod-311-attachments"
}
resource "aws_s3_bucket_lifecycle_configuration" "requests" {
  bucket = aws_s3_bucket.requests.id
  rule {
    id     = "clean-staging"
    status = "Enabled"
    filter {
      prefix = "staging/"
    }
    expiration {
      days = 7
    }
  }
}
"""
    assert rule_ids(scan({"main.tf": text}, select=["DH302"])) == [("DH302", "main.tf", 1)]
    # A second, whole-bucket rule bounds every object: the filtered one is then irrelevant.
    whole = text.replace(
        "  }\n}\n",
        '  }\n  rule {\n    id     = "all"\n    status = "Enabled"\n'
        "    filter {}\n    expiration {\n      days = 30\n    }\n  }\n}\n",
    )
    assert whole.count("rule {") == 2
    assert rule_ids(scan({"main.tf": whole}, select=["DH302"])) == []


def test_dh302_inline_lifecycle_rule_prefix_and_tags(scan):
    text = """resource "aws_s3_bucket" "tmp" {
  bucket = "kc-tmp"
  lifecycle_rule {
    enabled = true
    prefix  = "tmp/"
    expiration {
      days = 7
    }
  }
}
resource "aws_s3_bucket" "tagged" {
  bucket = "kc-tagged"
  lifecycle_rule {
    enabled = true
    tags    = { scratch = "true" }
    expiration {
      days = 7
    }
  }
}
resource "aws_s3_bucket" "all" {
  bucket = "kc-all"
  lifecycle_rule {
    enabled = true
    prefix  = ""
    expiration {
      days = 7
    }
  }
}
"""
    result = scan({"main.tf": text}, select=["DH302"])
    assert rule_ids(result) == [("DH302", "main.tf", 1), ("DH302", "main.tf", 11)]


# A versioned bucket and its lifecycle rule: expiration.days, then what follows it in the rule.
_VERSIONED = """resource "aws_s3_bucket" "v" {{
  bucket = "kc-v"
}}
resource "aws_s3_bucket_versioning" "v" {{
  bucket = aws_s3_bucket.v.id
  versioning_configuration {{
    status = "Enabled"
  }}
}}
resource "aws_s3_bucket_lifecycle_configuration" "v" {{
  bucket = aws_s3_bucket.v.id
  rule {{
    id     = "expire"
    status = "Enabled"
    expiration {{
      days = {days}
    }}
{rest}  }}
}}
"""


def test_dh302_versioning_keeps_previous_versions_without_noncurrent_expiration(scan):
    text = _VERSIONED.format(days=30, rest="")
    result = scan({"main.tf": text}, select=["DH302"])
    assert _located(result) == [("DH302", 16, 7, 16)]  # days = 30: it only adds a delete marker
    (finding,) = result.active
    assert "versioning keeps the previous versions forever" in finding.message
    assert [(r.location.start_line, r.label) for r in finding.related] == [
        (1, "aws_s3_bucket.v"),
        (7, "versioning keeps previous versions"),
    ]
    noncurrent = text.replace(
        "      days = 30\n    }\n",
        "      days = 30\n    }\n    noncurrent_version_expiration {\n"
        "      noncurrent_days = 30\n    }\n",
    )
    assert rule_ids(scan({"main.tf": noncurrent}, select=["DH302"])) == []
    suspended = text.replace('status = "Enabled"\n  }', 'status = "Suspended"\n  }')
    assert suspended.count("Suspended") == 1
    assert rule_ids(scan({"main.tf": suspended}, select=["DH302"])) == []
    no_versioning = text.replace(text[text.index('resource "aws_s3_bucket_versioning"') :], "")
    no_versioning += text[text.index('resource "aws_s3_bucket_lifecycle_configuration"') :]
    assert rule_ids(scan({"main.tf": no_versioning}, select=["DH302"])) == []


def test_dh302_object_lock_default_retention_is_a_floor(scan):
    # probe38 min/05: a lifecycle cannot delete a locked version; the lock's days count
    def bucket(name, retention, expire=30, inline=False):
        head = f'resource "aws_s3_bucket" "{name}" {{\n  bucket = "kc-{name}"\n'
        head += '  tags   = { "data-classification" = "personal" }\n'
        if inline:
            head += '  object_lock_configuration {\n    object_lock_enabled = "Enabled"\n'
            head += f"    rule {{\n      default_retention {{ {retention} }}\n    }}\n  }}\n}}\n"
        else:
            head += "  object_lock_enabled = true\n}\n"
            head += f'resource "aws_s3_bucket_object_lock_configuration" "{name}" {{\n'
            head += f"  bucket = aws_s3_bucket.{name}.id\n"
            head += f"  rule {{\n    default_retention {{ {retention} }}\n  }}\n}}\n"
        return (
            head
            + f"""resource "aws_s3_bucket_lifecycle_configuration" "{name}" {{
  bucket = aws_s3_bucket.{name}.id
  rule {{
    id     = "expire"
    status = "Enabled"
    expiration {{
      days = {expire}
    }}
    noncurrent_version_expiration {{
      noncurrent_days = 1
    }}
  }}
}}
"""
        )

    text = (
        bucket("worm", 'mode = "COMPLIANCE"\n      years = 7')
        + bucket("gov", 'mode = "GOVERNANCE"\n      days = 400')
        + bucket("short", 'mode = "COMPLIANCE"\n      days = 200')
        + bucket("inline", 'mode = "COMPLIANCE"\n        days = 1000', inline=True)
        + bucket("longer", 'mode = "COMPLIANCE"\n      days = 10', expire=500)
    )
    result = scan({"main.tf": text}, select=["DH302"])
    found = {f.message.split("'")[1]: f for f in result.active}
    assert sorted(found) == [
        "aws_s3_bucket.gov",
        "aws_s3_bucket.inline",
        "aws_s3_bucket.longer",
        "aws_s3_bucket.worm",
    ]
    worm = found["aws_s3_bucket.worm"]
    assert "2555 days: Object Lock (COMPLIANCE) keeps every object version" in worm.message
    assert "the lifecycle's 31 days cannot delete" in worm.message
    lines = text.splitlines()
    assert worm.location.start_line == 1 + next(i for i, t in enumerate(lines) if "years" in t)
    assert [r.label for r in worm.related] == [
        "aws_s3_bucket.worm",
        "the lifecycle: 31 days: 30 until a delete marker, then 1 as a previous version",
    ]
    assert "400 days: Object Lock (GOVERNANCE)" in found["aws_s3_bucket.gov"].message
    assert "1000 days: Object Lock (COMPLIANCE)" in found["aws_s3_bucket.inline"].message
    assert "501 days: 500 until a delete marker" in found["aws_s3_bucket.longer"].message


def test_dh302_versioned_retention_is_expiry_plus_noncurrent_expiry(scan):
    noncurrent = "    noncurrent_version_expiration {\n      noncurrent_days = 90\n    }\n"
    text = (
        _VERSIONED.format(days=300, rest=noncurrent)
        + """resource "aws_s3_bucket" "keep" {
  bucket              = "kc-keep"
  object_lock_enabled = true
}
resource "aws_s3_bucket_lifecycle_configuration" "keep" {
  bucket = aws_s3_bucket.keep.id
  rule {
    id     = "expire"
    status = "Enabled"
    expiration {
      days = 30
    }
    noncurrent_version_expiration {
      newer_noncurrent_versions = 3
      noncurrent_days           = 30
    }
  }
}
"""
    )
    result = scan({"main.tf": text}, select=["DH302"])
    # v: 300 days, then 90 as a previous version = 390 > 365, at the larger part (300). keep:
    # object lock means versioning, and keeping the 3 newest previous versions keeps the last
    # ones forever.
    assert _located(result) == [("DH302", 16, 7, 17), ("DH302", 33, 7, 16)]
    assert [(r.location.start_line, r.label) for r in result.active[0].related] == [
        (1, "aws_s3_bucket.v"),
        (7, "versioning keeps previous versions"),
        (19, "90 days as a previous version"),
    ]
    assert "(expiration: 390 days: 300 until a delete marker, then 90 as a previous version)" in (
        result.active[0].message
    )
    assert "versioning keeps the previous versions forever" in result.active[1].message


def test_dh302_versioned_points_at_the_larger_part_and_its_variable(scan):
    """probe30 min/08: 400 days (from terraform.tfvars) until a delete marker, then 7 as a
    previous version: the finding was on the compliant noncurrent_days = 7, without the
    tfvars line. It is on the part that breaks the limit, its origin related; with the larger
    part the previous versions' days, the finding stays there."""
    rule = """resource "aws_s3_bucket_lifecycle_configuration" "{n}" {{
  bucket = aws_s3_bucket.{n}.id
  rule {{
    id     = "all"
    status = "Enabled"
    filter {{}}
    expiration {{
      days = {days}
    }}
    noncurrent_version_expiration {{
      noncurrent_days = {nc}
    }}
  }}
}}
resource "aws_s3_bucket" "{n}" {{
  bucket = "kc-{n}"
  tags   = {{ "data-classification" = "sensitive" }}
}}
resource "aws_s3_bucket_versioning" "{n}" {{
  bucket = aws_s3_bucket.{n}.id
  versioning_configuration {{ status = "Enabled" }}
}}
"""
    text = (
        'variable "days" { type = number }\nvariable "nc_days" { type = number }\n'
        + rule.format(n="b", days="var.days", nc=7)
        + rule.format(n="c", days=30, nc="var.nc_days")
    )
    files = {"main.tf": text, "terraform.tfvars": "days = 400\nnc_days = 200\n"}
    result = scan(files, select=["DH302"])
    assert _located(result) == [("DH302", 10, 7, 22), ("DH302", 35, 7, 36)]
    got = [
        [(r.location.path, r.location.start_line, r.label) for r in f.related]
        for f in result.active
    ]
    assert got == [
        [
            ("main.tf", 17, "aws_s3_bucket.b"),
            ("main.tf", 23, "versioning keeps previous versions"),
            ("main.tf", 13, "7 days as a previous version"),
            ("terraform.tfvars", 1, "the value comes from var.days, set in terraform.tfvars"),
        ],
        [
            ("main.tf", 39, "aws_s3_bucket.c"),
            ("main.tf", 45, "versioning keeps previous versions"),
            ("main.tf", 32, "30 days until a delete marker"),
            ("terraform.tfvars", 2, "the value comes from var.nc_days, set in terraform.tfvars"),
        ],
    ]
    assert "(expiration: 407 days: 400 until a delete marker, then 7 as a previous version)" in (
        result.active[0].message
    )


def test_dh302_inline_versioning_and_lifecycle_rule(scan):
    text = """resource "aws_s3_bucket" "legacy" {
  bucket = "kc-legacy"
  versioning {
    enabled = true
  }
  lifecycle_rule {
    enabled = true
    expiration {
      days = 30
    }
  }
}
resource "aws_s3_bucket" "legacy_ok" {
  bucket = "kc-legacy-ok"
  versioning {
    enabled = true
  }
  lifecycle_rule {
    enabled = true
    expiration {
      days = 30
    }
    noncurrent_version_expiration {
      days = 30
    }
  }
}
resource "aws_s3_bucket" "legacy_off" {
  bucket = "kc-legacy-off"
  versioning {
    enabled = false
  }
  lifecycle_rule {
    enabled = true
    expiration {
      days = 30
    }
  }
}
"""
    result = scan({"main.tf": text}, select=["DH302"])
    assert _located(result) == [("DH302", 9, 7, 16)]
    assert [r.location.start_line for r in result.active[0].related] == [4]


def test_dh205_reports_the_ssl_setting_the_configuration_writes(scan):
    """probe42 min/05: require_ssl = false was reported at the settings header as "ssl_mode
    is not set". A written value that fails is reported at its line, under its own name;
    ssl_mode first (Cloud SQL gives it priority), the header when neither is set."""
    instance = """resource "google_sql_database_instance" "{name}" {{
  name             = "kc-{name}"
  database_version = "POSTGRES_15"
  settings {{
    tier = "db-f1-micro"
    ip_configuration {{
      ipv4_enabled = false
{ip}
    }}
  }}
}}
"""
    cases = [
        ("legacy", "      require_ssl = false"),
        ("neither", ""),
        (
            "both",
            '      ssl_mode    = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"\n      require_ssl = false',
        ),
        ("allow", '      ssl_mode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"'),
        ("mode_wins", '      ssl_mode    = "ENCRYPTED_ONLY"\n      require_ssl = false'),
        ("required", "      require_ssl = true"),
        ("unknown", "      require_ssl = var.ssl"),
    ]
    text = 'variable "ssl" {}\n' + "".join(instance.format(name=n, ip=ip) for n, ip in cases)
    result = scan({"main.tf": text}, select=["DH205"])
    lines = text.splitlines()
    got = [
        (f.anchor, lines[f.location.start_line - 1].strip(), f.message.split(": ", 1)[1])
        for f in result.active
    ]
    requires = "the policy requires ssl_mode ENCRYPTED_ONLY (or require_ssl = true)"
    allow = f"settings.ip_configuration.ssl_mode is ALLOW_UNENCRYPTED_AND_ENCRYPTED; {requires}"
    assert got == [
        (
            "google_sql_database_instance.legacy",
            "require_ssl = false",
            f"settings.ip_configuration.require_ssl is false; {requires}",
        ),
        (
            "google_sql_database_instance.neither",
            "settings {",
            f"settings.ip_configuration.ssl_mode is not set; {requires}",
        ),
        (
            "google_sql_database_instance.both",
            'ssl_mode    = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"',
            allow,
        ),
        (
            "google_sql_database_instance.allow",
            'ssl_mode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"',
            allow,
        ),
    ]


def _gcs(name: str, condition: str, action: str = "Delete") -> str:
    return f"""resource "google_storage_bucket" "{name}" {{
  name     = "kc-{name}"
  location = "US"
  lifecycle_rule {{
    action {{
      type = "{action}"
    }}
    condition {{
      age = 30
{condition}
    }}
  }}
}}
"""


def test_dh302_gcs_retention_policy_and_limited_delete_rules(scan):
    hold = """resource "google_storage_bucket" "hold" {
  name     = "kc-hold"
  location = "US"
  retention_policy {
    retention_period = 2592000
  }
}
"""
    cases = [
        ("prefix", '      matches_prefix = ["tmp/"]'),
        ("archived", '      with_state = "ARCHIVED"'),  # only previous versions
        ("newer", "      num_newer_versions = 3"),  # only objects with 3 newer versions
        ("coldline", '      matches_storage_class = ["COLDLINE"]'),
        ("live", '      with_state = "LIVE"'),  # every live object: counts
        ("any", '      matches_prefix = [""]'),  # an empty prefix matches everything
    ]
    text = hold + "".join(_gcs(n, c) for n, c in cases) + _gcs("cold", "", "SetStorageClass")
    result = scan({"main.tf": text}, select=["DH302"])
    # A retention policy is a minimum hold, it deletes nothing; a SetStorageClass rule neither.
    assert [(f.location.start_line, f.anchor) for f in result.active] == [
        (1, "google_storage_bucket.hold"),
        (8, "google_storage_bucket.prefix"),
        (21, "google_storage_bucket.archived"),
        (34, "google_storage_bucket.newer"),
        (47, "google_storage_bucket.coldline"),
        (86, "google_storage_bucket.cold"),
    ]
    # the hold is named (probe45 10): an expiry added later cannot delete before it
    assert result.active[0].message.endswith(
        "(expiration: not set; the retention policy (not locked) keeps every object 30 days, "
        "and nothing deletes it after)"
    )
    assert [r.location.start_line for r in result.active[1].related] == [16]  # age = 30


def test_dh302_gcs_retention_policy_is_a_floor_beside_a_delete_rule(scan):
    """probe42 min/09: a 10-year retention policy beside a 90-day Delete rule keeps every object
    10 years (GCS deletes nothing under retention); it passed, as if 90 days. Locked or not
    (an unlocked policy holds all the same until someone changes it); a shorter one changes
    nothing; the provider's string form counts too."""

    def bucket(name, period, locked=""):
        return f"""resource "google_storage_bucket" "{name}" {{
  name   = "kc-{name}"
  labels = {{ data-classification = "personal" }}
  retention_policy {{
    retention_period = {period}{locked}
  }}
  lifecycle_rule {{
    condition {{ age = 90 }}
    action {{ type = "Delete" }}
  }}
}}
"""

    text = (
        bucket("locked", 315360000, "\n    is_locked = true")
        + bucket("unlocked", 34560000)  # 400 days
        + bucket("short", 2592000, "\n    is_locked = true")  # 30 days: the 90 count
        + bucket("text", '"31622400"')  # 366 days
        + bucket("odd", 31536001)  # a second over 365 days
        + 'variable "keep" {}\n'
        + bucket("unknown", "var.keep")
    )
    result = scan({"main.tf": text}, select=["DH302"])
    found = {f.anchor: f for f in result.active}
    assert sorted(found) == [
        "google_storage_bucket.locked",
        "google_storage_bucket.odd",
        "google_storage_bucket.text",
        "google_storage_bucket.unlocked",
    ]
    locked = found["google_storage_bucket.locked"]
    assert locked.location.start_line == 5  # the retention_period
    assert locked.message.endswith(
        "(expiration: 3650 days: the retention policy (locked) keeps every object that long; "
        "the lifecycle's 90 days cannot delete an object before it is that old)"
    )
    assert [(r.location.start_line, r.label) for r in locked.related] == [
        (9, "the lifecycle: 90 days")
    ]
    assert "400 days: the retention policy (not locked)" in (
        found["google_storage_bucket.unlocked"].message
    )
    assert "366 days: the retention policy" in found["google_storage_bucket.text"].message
    assert "365.01 days: the retention policy" in found["google_storage_bucket.odd"].message


def _gcs_versioned(name: str, *conditions: str) -> str:
    rules = "".join(
        '  lifecycle_rule {\n    action {\n      type = "Delete"\n    }\n'
        f"    condition {{\n{c}\n    }}\n  }}\n"
        for c in conditions
    )
    return (
        f'resource "google_storage_bucket" "{name}" {{\n  name     = "kc-{name}"\n'
        f'  location = "US"\n  versioning {{\n    enabled = true\n  }}\n{rules}'
        '  labels = {\n    "data-classification" = "personal"\n  }\n}\n'
    )


def test_dh302_versioned_gcs_bucket_needs_its_noncurrent_versions_deleted(scan):
    """probe22 min/10: a Delete rule with with_state = "LIVE" on a versioned bucket only makes
    objects noncurrent. Without with_state (ANY) the same age also deletes the noncurrent
    versions (age counts from creation): that bucket passes, as does one with a rule for the
    noncurrent versions; num_newer_versions never deletes a deleted object's last version."""
    live = '      age        = 90\n      with_state = "LIVE"'
    cases = [
        _gcs_versioned("any", "      age = 90"),  # live and noncurrent versions after 90 days
        _gcs_versioned("live", live),
        _gcs_versioned(
            "newer", live, '      num_newer_versions = 1\n      with_state = "ARCHIVED"'
        ),
        _gcs_versioned(
            "since", live, "      days_since_noncurrent_time = 30"
        ),  # 120 days: within 365
        _gcs_versioned("since_long", live, "      days_since_noncurrent_time = 300"),
        _gcs_versioned("archived", live, '      age        = 400\n      with_state = "ARCHIVED"'),
    ]
    text = "".join(cases)
    result = scan({"main.tf": text}, select=["DH302"])
    got = [(f.location.start_line, f.message.split("(expiration: ")[1][:-1]) for f in result.active]
    assert got == [
        (
            30,
            '90 days, but with_state = "LIVE" only makes objects noncurrent: versioning keeps '
            "them forever without a Delete rule for noncurrent versions",
        ),
        (
            49,
            '90 days, but with_state = "LIVE" only makes objects noncurrent: versioning keeps '
            "them forever without a Delete rule for noncurrent versions",
        ),
        (
            113,
            "390 days: 90 until the live version becomes noncurrent, then 300 as a noncurrent "
            "version",
        ),
        (
            140,
            "400 days: the live version becomes noncurrent at 90, and is deleted at 400 days old",
        ),
    ]
    assert [(r.location.start_line, r.label) for r in result.active[0].related] == [
        (23, "versioning keeps previous versions")
    ]


def test_dh302_azure_policy_rule_disabled_or_limited(scan):
    text = """resource "azurerm_storage_account" "a" {
  name                     = "kca"
  resource_group_name      = "rg"
  location                 = "centralus"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
resource "azurerm_storage_management_policy" "a" {
  storage_account_id = azurerm_storage_account.a.id
  rule {
    name    = "off"
    enabled = false
    filters {
      blob_types = ["blockBlob"]
    }
    actions {
      base_blob {
        delete_after_days_since_modification_greater_than = 30
      }
    }
  }
  rule {
    name    = "tmp"
    enabled = true
    filters {
      blob_types   = ["blockBlob"]
      prefix_match = ["uploads/tmp"]
    }
    actions {
      base_blob {
        delete_after_days_since_modification_greater_than = 30
      }
    }
  }
}
resource "azurerm_storage_account" "b" {
  name                     = "kcb"
  resource_group_name      = "rg"
  location                 = "centralus"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
resource "azurerm_storage_management_policy" "b" {
  storage_account_id = azurerm_storage_account.b.id
  rule {
    name    = "all"
    enabled = true
    filters {
      blob_types = ["blockBlob"]
    }
    actions {
      base_blob {
        delete_after_days_since_creation_greater_than = 90
      }
    }
  }
}
"""
    result = scan({"main.tf": text}, select=["DH302"])
    # a: one rule is disabled, the other covers only uploads/tmp*; b covers every block blob.
    assert rule_ids(result) == [("DH302", "main.tf", 1)]
    assert [r.location.start_line for r in result.active[0].related] == [31]


def test_dh406_a_container_takes_its_accounts_classification(scan):
    """A container takes no tags: a public account's container may be public; a personal
    account's (by reference, by v4 id or by literal name) or one of no known account may not."""
    text = """resource "azurerm_storage_account" "open" {
  name                            = "kcopendata"
  resource_group_name             = "rg"
  location                        = "centralus"
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  allow_nested_items_to_be_public = true
  tags                            = { "data-classification" = "public" }
}
resource "azurerm_storage_container" "open" {
  name                  = "opendata"
  storage_account_name  = azurerm_storage_account.open.name
  container_access_type = "blob"
}
resource "azurerm_storage_container" "open_v4" {
  name                  = "tiles"
  storage_account_id    = azurerm_storage_account.open.id
  container_access_type = "blob"
}
resource "azurerm_storage_container" "open_by_name" {
  name                  = "csv"
  storage_account_name  = "kcopendata"
  container_access_type = "container"
}
resource "azurerm_storage_account" "tows" {
  name                            = "kctows"
  resource_group_name             = "rg"
  location                        = "centralus"
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  allow_nested_items_to_be_public = false
  tags                            = { "data-classification" = "personal" }
}
resource "azurerm_storage_container" "tows" {
  name                  = "tows"
  storage_account_name  = azurerm_storage_account.tows.name
  container_access_type = "blob"
}
resource "azurerm_storage_container" "tows_v4" {
  name                  = "photos"
  storage_account_id    = azurerm_storage_account.tows.id
  container_access_type = "blob"
}
resource "azurerm_storage_container" "elsewhere" {
  name                  = "drop"
  storage_account_name  = "kcvendordrop"
  container_access_type = "blob"
}
"""
    result = scan({"main.tf": text}, select=["DH406"])
    assert [(f.location.start_line, f.message) for f in result.active] == [
        (
            line,
            f"azurerm_storage_container 'azurerm_storage_container.{name}': container_access_type "
            "is blob; the policy requires private",
        )
        for line, name in ((37, "tows"), (42, "tows_v4"), (47, "elsewhere"))
    ]


def test_dh701_not_secrets(scan):
    """Idempotency tokens, time units, references to a secret store and the name of the
    variable that holds a secret are not literal credentials."""
    text = """resource "aws_efs_file_system" "uploads" {
  creation_token = "kc-court-uploads"
  encrypted      = true
}
resource "aws_cognito_user_pool_client" "portal" {
  name         = "portal"
  user_pool_id = "us-east-2_AbC"
  token_validity_units {
    access_token = "minutes"
  }
}
resource "azurerm_linux_web_app" "app" {
  name = "app-permits"
  app_settings = {
    "DB_PASSWORD"     = "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)"
    "API_TOKEN_ENV"   = "FEED_API_TOKEN"
    "SMTP_PASSWORD"   = "Smtp-Relay-2024"
  }
}
"""
    result = scan({"main.tf": text}, select=["DH701"])
    assert [(f.location.start_line, f.message.split(" sets ")[1]) for f in result.active] == [
        (17, "app_settings.SMTP_PASSWORD to a literal value")
    ]


def test_dh701_kebab_case_names(scan):
    """A Container App secret may only be named in kebab case: ``db-password`` is a credential
    name, in a pair and as a map key; the name of a secret, a switch, and the last part of an
    annotation key or of a Helm value path that names a Kubernetes Secret are not."""
    text = """resource "azurerm_container_app" "ingest" {
  name                         = "bodycam-ingest"
  container_app_environment_id = "env"
  resource_group_name          = "kc-parking"
  revision_mode                = "Single"
  secret {
    name  = "db-password"
    value = "Sup3rS3cret!"
  }
  secret {
    name                = "api-token"
    key_vault_secret_id = "https://kv.vault.azure.net/secrets/api-token"
    identity            = "System"
  }
}
resource "kubernetes_secret" "db" {
  metadata {
    name = "db"
  }
  data = {
    "db-password" = "Readings-Admin-2024"
  }
}
resource "kubernetes_ingress_v1" "portal" {
  metadata {
    name = "portal"
    annotations = {
      "nginx.ingress.kubernetes.io/auth-secret" = "portal-basic-auth"
      "nginx.ingress.kubernetes.io/auth-tls-secret" = "ingress/portal-ca"
    }
  }
}
resource "helm_release" "ingress" {
  name  = "ingress"
  chart = "ingress-nginx"
  set {
    name  = "controller.service.annotations.nginx\\.ingress\\.kubernetes\\.io/auth-secret"
    value = "portal-basic-auth"
  }
  set {
    name  = "db-secret-name"
    value = "readings-db-auth"
  }
  set {
    name  = "use-secret"
    value = "true"
  }
}
"""
    result = scan({"main.tf": text}, select=["DH701"])
    assert [(f.location.start_line, f.message.split(" sets ")[1]) for f in result.active] == [
        (8, "secret.value (db-password) to a literal value"),
        (21, "data.db-password to a literal value"),
    ]


def test_dh701_an_unknown_setting_does_not_hide_a_literal_one(scan):
    """probe26 min/03: an ECS environment entry known only at apply time (a queue's url) made
    the whole jsonencode document unknown, and the literal key beside it was missed. A task
    whose only credential is a reference (an ARN in ``valueFrom``) stays clean."""
    tf = """\
resource "aws_sqs_queue" "outbox" {
  name = "kc311-crm-outbox"
}
resource "aws_ecs_task_definition" "crm_sync" {
  family = "kc311-crm-sync"
  container_definitions = jsonencode([{
    name  = "crm-sync"
    image = "kc311-app:1"
    environment = [
      { name = "QUEUE_URL", value = aws_sqs_queue.outbox.url },
      { name = "CRM_API_KEY", value = "cp_live_8b1f0c2e9d7a" },
    ]
  }])
}
resource "aws_ecs_task_definition" "clean" {
  family = "kc311-clean"
  container_definitions = jsonencode([{
    name  = "clean"
    image = "kc311-app:1"
    environment = [
      { name = "QUEUE_URL", value = aws_sqs_queue.outbox.url },
      { name = "CRM_API_KEY", value = aws_sqs_queue.outbox.arn },
    ]
    secrets = [{ name = "DB_PASSWORD", valueFrom = "arn:aws:ssm:us-east-2:1:parameter/db" }]
  }])
}
"""
    result = scan({"main.tf": tf}, select=["DH701"])
    assert [(f.location.start_line, f.message) for f in result.active] == [
        (
            6,
            "aws_ecs_task_definition 'aws_ecs_task_definition.crm_sync' sets "
            "container_definitions (CRM_API_KEY) to a literal value",
        )
    ]


def test_dh701_names_every_literal_credential_of_a_resource(scan):
    """probe26 min/11: a task with three literal credentials named only the first, so each fix
    revealed the next. The finding stays one per resource (its anchor is the resource's
    address, as before), placed at the first, naming all; each variable that supplied one is
    a related location."""
    tf = """\
variable "crm_key" {
  type    = string
  default = "Zx81-long-random-Key"
}
resource "aws_ecs_task_definition" "crm_sync" {
  family = "kc311-crm-sync"
  container_definitions = jsonencode([{
    name  = "crm-sync"
    image = "x"
    environment = [
      { name = "DB_PASSWORD", value = "Tr0ub4dor-and-3" },
      { name = "SMS_API_TOKEN", value = "tok_live_abcdef123456" },
      { name = "CRM_API_KEY", value = var.crm_key },
    ]
  }])
}
resource "aws_db_instance" "one" {
  identifier = "one"
  password   = "Permits2024!"
}
"""
    result = scan({"main.tf": tf}, select=["DH701"])
    assert [(f.location.start_line, f.message.split(" sets ")[1]) for f in result.active] == [
        (7, "container_definitions (DB_PASSWORD, SMS_API_TOKEN, CRM_API_KEY) to literal values"),
        (19, "password to a literal value"),
    ]
    task = result.active[0]
    assert task.anchor == "aws_ecs_task_definition.crm_sync"
    assert [(r.location.start_line, r.label) for r in task.related] == [
        (3, "the value comes from the default of var.crm_key")
    ]


def test_dh701_a_secret_manager_reference_is_not_a_literal(scan):
    """probe22 min/01: Cloud Run's secret_key_ref.secret (the practice DH701 recommends) was a
    critical "literal value", and a Secret Manager version's ``secret`` (the secret's name)
    hid the literal password in its secret_data. ECS ``valueFrom`` ARNs, Key Vault references
    and Cloud Functions' secret variables name secrets too; a literal beside them is found."""
    tf = """\
variable "db_password" {
  type      = string
  sensitive = true
}
resource "google_secret_manager_secret" "dsn" {
  secret_id = "accounts-dsn"
}
resource "google_secret_manager_secret_version" "dsn" {
  secret      = "projects/ck-prod/secrets/accounts-dsn"
  secret_data = "postgresql://portal:${var.db_password}@10.40.0.3:5432/accounts"
}
resource "google_cloud_run_v2_service" "portal" {
  name     = "wifi-portal"
  location = "us-central1"
  template {
    containers {
      image = "portal:1"
      env {
        name = "DB_DSN"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.dsn.secret_id
            version = "latest"
          }
        }
      }
      env {
        name  = "SMTP_PASSWORD"
        value = "Smtp-Relay-2024"
      }
    }
    volumes {
      name = "certs"
      secret {
        secret = "tls-key"
      }
    }
  }
}
resource "google_cloud_run_v2_job" "export" {
  name     = "export"
  location = "us-central1"
  template {
    template {
      containers {
        image = "export:1"
        env {
          name = "SFTP_PASSWORD"
          value_source {
            secret_key_ref {
              secret  = "sftp-password"
              version = "latest"
            }
          }
        }
      }
    }
  }
}
resource "google_cloudfunctions2_function" "fn" {
  name = "fn"
  service_config {
    secret_environment_variables {
      key        = "API_TOKEN"
      project_id = "p"
      secret     = "api-token"
      version    = "latest"
    }
  }
}
resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([{
    name    = "api"
    secrets = [{ name = "DB_PASSWORD", valueFrom = "arn:aws:secretsmanager:us-east-2:1:secret:db" }]
  }])
}
resource "azurerm_container_app" "app" {
  name = "app"
  secret {
    name                = "db-password"
    key_vault_secret_id = "https://kv.vault.azure.net/secrets/db-password"
    identity            = "System"
  }
}
"""
    result = scan(
        {"main.tf": tf, "terraform.tfvars": 'db_password = "RideKC-accounts-2024!"\n'},
        select=["DH701"],
    )
    got = [
        (
            f.location.start_line,
            f.message.split(" sets ")[1],
            [(r.location.path, r.location.start_line) for r in f.related],
        )
        for f in result.active
    ]
    assert got == [
        (10, "secret_data to a literal value", [("terraform.tfvars", 1)]),
        (29, "template.containers.env.value (SMTP_PASSWORD) to a literal value", []),
    ]


def test_redshift_tls_and_public_workgroup(scan):
    """probe40 P3/P4 (min/01, min/02): a Redshift parameter group with require_ssl = false
    (or without it) is judged as an RDS group without rds.force_ssl (DH207); a Redshift
    Serverless workgroup with publicly_accessible = true as a Redshift cluster (DH403). A
    cluster without a group, a group requiring TLS and a private workgroup pass."""
    tf = """\
resource "aws_redshift_parameter_group" "off" {
  name   = "off"
  family = "redshift-1.0"
  parameter {
    name  = "require_ssl"
    value = "false"
  }
}
resource "aws_redshift_cluster" "off" {
  cluster_identifier           = "off"
  cluster_parameter_group_name = aws_redshift_parameter_group.off.name
}
resource "aws_redshift_parameter_group" "empty" {
  name   = "empty"
  family = "redshift-1.0"
}
resource "aws_redshift_cluster" "empty" {
  cluster_identifier           = "empty"
  cluster_parameter_group_name = "empty"
}
resource "aws_redshift_parameter_group" "on" {
  name   = "on"
  family = "redshift-1.0"
  parameter {
    name  = "require_ssl"
    value = "true"
  }
}
resource "aws_redshift_cluster" "on" {
  cluster_identifier           = "on"
  cluster_parameter_group_name = aws_redshift_parameter_group.on.name
}
resource "aws_redshift_cluster" "bare" {
  cluster_identifier = "bare"
}
resource "aws_redshiftserverless_workgroup" "open" {
  namespace_name      = "sandbox"
  workgroup_name      = "open"
  publicly_accessible = true
}
resource "aws_redshiftserverless_workgroup" "closed" {
  namespace_name = "sandbox"
  workgroup_name = "closed"
}
"""
    result = scan({"main.tf": tf}, select=["DH207", "DH403"])
    assert [
        (f.rule_id, f.location.start_line, f.message.split(": ")[-1]) for f in result.active
    ] == [
        ("DH207", 6, "its parameter group sets require_ssl to 'false', not true"),
        ("DH207", 13, "its parameter group does not set require_ssl"),
        ("DH403", 39, "publicly_accessible is true; the policy requires false"),
    ]


def test_dh207_says_what_the_parameter_group_sets(scan):
    """probe26 min/10: a group setting require_secure_transport to OFF was said "not to set"
    it, while the finding is on ``value = "OFF"``. A group without the parameter, and a
    database without a group, still say it is not set; ON passes."""
    tf = """\
resource "aws_db_parameter_group" "enf" {
  name   = "enf"
  family = "mysql8.0"
  parameter {
    name  = "require_secure_transport"
    value = "OFF"
  }
}
resource "aws_db_instance" "enf" {
  engine               = "mysql"
  parameter_group_name = aws_db_parameter_group.enf.name
}
resource "aws_db_parameter_group" "pg" {
  name   = "pg"
  family = "postgres15"
  parameter {
    name  = "rds.force_ssl"
    value = "0"
  }
}
resource "aws_db_instance" "pg" {
  engine               = "postgres"
  parameter_group_name = aws_db_parameter_group.pg.name
}
resource "aws_db_parameter_group" "empty" {
  name   = "empty"
  family = "mysql8.0"
}
resource "aws_db_instance" "empty" {
  engine               = "mysql"
  parameter_group_name = aws_db_parameter_group.empty.name
}
resource "aws_db_instance" "bare" {
  engine = "mariadb"
}
resource "aws_db_parameter_group" "on" {
  name   = "on"
  family = "mysql8.0"
  parameter {
    name  = "require_secure_transport"
    value = "ON"
  }
}
resource "aws_db_instance" "on" {
  engine               = "mysql"
  parameter_group_name = aws_db_parameter_group.on.name
}
"""
    result = scan({"main.tf": tf}, select=["DH207"])
    assert [(f.location.start_line, f.message.split(": ")[1]) for f in result.active] == [
        (6, "its parameter group sets require_secure_transport to 'OFF', not ON"),
        (18, "its parameter group sets rds.force_ssl to '0', not 1"),
        (25, "its parameter group does not set require_secure_transport"),
        (33, "its parameter group does not set require_secure_transport"),
    ]


def test_dh206_azure_flexible_server_parameters(scan):
    """probe20 min/10: a flexible server's TLS is a server parameter, its own resource."""
    tf = """\
resource "azurerm_postgresql_flexible_server_configuration" "no_tls" {
  name      = "require_secure_transport"
  server_id = "/subscriptions/x/flexibleServers/parking"
  value     = "off"
}
resource "azurerm_postgresql_flexible_server_configuration" "old_tls" {
  name      = "ssl_min_protocol_version"
  server_id = "/subscriptions/x/flexibleServers/parking"
  value     = "TLSv1.1"
}
resource "azurerm_mysql_flexible_server_configuration" "no_tls" {
  name                = "require_secure_transport"
  resource_group_name = "rg"
  server_name         = "permits"
  value               = "OFF"
}
resource "azurerm_mysql_flexible_server_configuration" "tls" {
  name                = "tls_version"
  resource_group_name = "rg"
  server_name         = "permits"
  value               = "TLSv1,TLSv1.2"
}
resource "azurerm_postgresql_flexible_server_configuration" "on" {
  name      = "require_secure_transport"
  server_id = "/subscriptions/x/flexibleServers/parking"
  value     = "on"
}
resource "azurerm_postgresql_flexible_server_configuration" "other" {
  name      = "log_connections"
  server_id = "/subscriptions/x/flexibleServers/parking"
  value     = "off"
}
resource "azurerm_mysql_flexible_server_configuration" "tls_ok" {
  name                = "tls_version"
  resource_group_name = "rg"
  server_name         = "permits"
  value               = "TLSv1.2,TLSv1.3"
}
variable "secure" {
  type = string
}
resource "azurerm_postgresql_flexible_server_configuration" "unknown" {
  name      = "require_secure_transport"
  server_id = "/subscriptions/x/flexibleServers/parking"
  value     = var.secure
}
"""
    result = scan({"main.tf": tf}, select=["DH206"])
    assert rule_ids(result) == [
        ("DH206", "main.tf", 4),
        ("DH206", "main.tf", 9),
        ("DH206", "main.tf", 15),
        ("DH206", "main.tf", 21),
    ]
    assert result.active[0].message == (
        "azurerm_postgresql_flexible_server_configuration "
        "'azurerm_postgresql_flexible_server_configuration.no_tls': require_secure_transport is "
        "off; the policy requires ON"
    )
    assert "tls_version is TLSv1,TLSv1.2; the policy requires TLSv1.2 or newer only" in (
        result.active[3].message
    )


def test_dh305_log_analytics_workspace_receiving_diagnostic_logs(scan):
    """probe20 min/10: a workspace that receives a diagnostic setting's logs (or is named as an
    audit log) keeps them for its retention_in_days, 30 when not set."""
    tf = """\
resource "azurerm_log_analytics_workspace" "ops" {
  name                = "kc-ops"
  location            = "centralus"
  resource_group_name = "rg"
  retention_in_days   = 30
}
resource "azurerm_monitor_diagnostic_setting" "blobs" {
  name                       = "blob-logs"
  target_resource_id         = "/subscriptions/x/storageAccounts/kc/blobServices/default"
  log_analytics_workspace_id = azurerm_log_analytics_workspace.ops.id
}
resource "azurerm_log_analytics_workspace" "audit" {
  name                = "kc-audit"
  location            = "centralus"
  resource_group_name = "rg"
}
resource "azurerm_log_analytics_workspace" "audit_long" {
  name                = "kc-audit-long"
  location            = "centralus"
  resource_group_name = "rg"
  retention_in_days   = 365
}
resource "azurerm_log_analytics_workspace" "metrics" {
  name                = "kc-metrics"
  location            = "centralus"
  resource_group_name = "rg"
  retention_in_days   = 30
}
resource "azurerm_monitor_diagnostic_setting" "vm_metrics" {
  name                       = "vm-metrics"
  target_resource_id         = "/subscriptions/x/virtualMachines/vm1"
  log_analytics_workspace_id = azurerm_log_analytics_workspace.metrics.id
  metric {
    category = "AllMetrics"
  }
  log {
    category = "Audit"
    enabled  = false
  }
}
"""
    result = scan({"main.tf": tf}, select=["DH305"])
    assert rule_ids(result) == [("DH305", "main.tf", 5), ("DH305", "main.tf", 12)]
    assert [f.message for f in result.active] == [
        "azurerm_log_analytics_workspace 'azurerm_log_analytics_workspace.ops' keeps audit "
        "records for 30 days; the policy requires at least 90 days",
        "azurerm_log_analytics_workspace 'azurerm_log_analytics_workspace.audit' keeps audit "
        "records for 30 days (retention_in_days is not set: Azure's default); the policy "
        "requires at least 90 days",
    ]
    # kc-metrics receives only metrics (probe21tf R5): no audit records, not judged; with a
    # log category enabled it is.
    logs = tf.replace("    enabled  = false\n", "")
    assert ("DH305", "main.tf", 27) in rule_ids(scan({"main.tf": logs}, select=["DH305"]))
    # A policy whose minimum is 30 days accepts both.
    relaxed = scan({"main.tf": tf}, select=["DH305"], policy={"retention": {"min_days": 30}})
    assert rule_ids(relaxed) == []


def test_audit_log_retention_from_a_variable_names_where_it_is_written(scan):
    """probe35 min/04: DH305 named no origin for a retention from a variable (DH301 does), so a
    commit lowering an audit log's retention in variables.tf or a tfvars passed the hook."""
    files = {
        "main.tf": """resource "azurerm_log_analytics_workspace" "audit" {
  name                = "kcmob-audit-law"
  location            = "centralus"
  resource_group_name = "rg-mob"
  sku                 = "PerGB2018"
  retention_in_days   = var.log_retention_days
}
resource "aws_cloudwatch_log_group" "trail" {
  name              = "/kc/cloudtrail"
  retention_in_days = var.log_retention_days
}
""",
        "variables.tf": """variable "log_retention_days" {
  type    = number
  default = 30
}
""",
    }
    origin = [("variables.tf", 3, "the value comes from the default of var.log_retention_days")]
    expected = [("DH305", "main.tf", 6, origin), ("DH305", "main.tf", 10, origin)]
    assert _related(scan(files, select=["DH305"])) == expected
    # The pre-commit case: variables.tf alone reports both.
    assert _related(scan(files, select=["DH305"], paths=["variables.tf"])) == expected
    # Set in terraform.tfvars: its line.
    files["terraform.tfvars"] = "log_retention_days = 60\n"
    tfvars = [
        (
            "terraform.tfvars",
            1,
            "the value comes from var.log_retention_days, set in terraform.tfvars",
        )
    ]
    assert [r[3] for r in _related(scan(files, select=["DH305"], paths=["terraform.tfvars"]))] == [
        tfvars,
        tfvars,
    ]


ORIGIN_TF = """\
variable "pg_password" {
  type      = string
  sensitive = true
}
variable "cidrs" {
  type    = map(string)
  default = {}
}
variable "analysts" {
  default = "group:analytics@vendor.example"
}
variable "hook" {
  default = "https://hooks.slack.com/services/T0/B0/x"
}
variable "keep_days" {
  default = 2555
}
variable "public" {
  default = false
}
resource "azurerm_postgresql_flexible_server" "parking" {
  name                   = "psql-parking"
  resource_group_name    = "rg"
  location               = "centralus"
  administrator_login    = "admin"
  administrator_password = var.pg_password
}
resource "google_sql_database_instance" "enf" {
  name             = "enf"
  database_version = "MYSQL_8_0"
  settings {
    tier = "db-f1-micro"
    ip_configuration {
      ipv4_enabled = true
      ssl_mode     = "ENCRYPTED_ONLY"
      dynamic "authorized_networks" {
        for_each = var.cidrs
        content {
          name  = authorized_networks.key
          value = authorized_networks.value
        }
      }
    }
  }
}
resource "google_bigquery_dataset_iam_member" "vendor" {
  dataset_id = "anpr"
  role       = "roles/bigquery.dataViewer"
  member     = var.analysts
}
resource "google_bigquery_dataset_iam_member" "written" {
  dataset_id = "anpr"
  role       = "roles/bigquery.dataViewer"
  member     = "group:analytics@vendor.example"
}
resource "google_pubsub_subscription" "push" {
  name  = "push"
  topic = "reads"
  push_config {
    push_endpoint = var.hook
  }
}
resource "google_storage_bucket" "receipts" {
  name     = "kc-receipts"
  location = "US"
  labels   = { "data-classification" = "personal" }
  lifecycle_rule {
    action {
      type = "Delete"
    }
    condition {
      age = var.keep_days
    }
  }
}
"""
ORIGIN_TFVARS = """\
pg_password = "Kerbside-Pg-Admin-2024!"
cidrs       = { "field-tablets" = "0.0.0.0/0", "office" = "10.0.0.0/8" }
"""


def test_values_from_tfvars_or_a_default_point_at_where_they_are_written(scan):
    """probe20 min/04: DH701's related location was the variable block (no default, sensitive:
    it looks clean), not the tfvars line with the password; DH405, DH603, DH605 and DH302 had
    none. A value written in the resource itself gets none (the second DH603)."""
    result = scan(
        {"main.tf": ORIGIN_TF, "terraform.tfvars": ORIGIN_TFVARS},
        select=["DH701", "DH405", "DH603", "DH605", "DH302"],
    )
    got = {
        (f.rule_id, f.location.start_line): [
            (r.location.path, r.location.start_line, r.label) for r in f.related
        ]
        for f in result.active
    }
    assert got == {
        ("DH701", 26): [
            ("terraform.tfvars", 1, "the value comes from var.pg_password, set in terraform.tfvars")
        ],
        ("DH405", 40): [
            (
                "terraform.tfvars",
                2,
                'the value comes from var.cidrs["field-tablets"], set in terraform.tfvars',
            )
        ],
        ("DH603", 49): [("main.tf", 10, "the value comes from the default of var.analysts")],
        ("DH603", 54): [],
        ("DH605", 60): [("main.tf", 13, "the value comes from the default of var.hook")],
        ("DH302", 72): [("main.tf", 16, "the value comes from the default of var.keep_days")],
    }


MAP_ENTRY_TF = """variable "authorized_networks" {
  type = map(string)
  default = {
    "city-noc"    = "198.51.100.0/24"
    "field-techs" = "0.0.0.0/0"
  }
}
resource "google_sql_database_instance" "ops" {
  name             = "ops"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-f1-micro"
    ip_configuration {
      ipv4_enabled = true
      ssl_mode     = "ENCRYPTED_ONLY"
      dynamic "authorized_networks" {
        for_each = var.authorized_networks
        content {
          name  = authorized_networks.key
          value = authorized_networks.value
        }
      }
    }
  }
}
"""


@pytest.mark.parametrize(
    ("tfvars", "where"),
    [
        # The tfvars entry's line, not the map's (lines 1-4) ...
        (
            'authorized_networks = {\n  "city-noc"    = "198.51.100.0/24"\n'
            '  "field-techs" = "0.0.0.0/0"\n}\n',
            ("terraform.tfvars", 3, 3),
        ),
        # ... the default's entry's line, not the default's (lines 3-6) ...
        (None, ("main.tf", 5, 5)),
        # ... and with the value set in tfvars, never the default's entry of the same key.
        ('authorized_networks = { "field-techs" = "0.0.0.0/0" }\n', ("terraform.tfvars", 1, 1)),
    ],
)
def test_a_map_entry_points_at_its_own_line(scan, tfvars, where):
    """probe29 min/11: the related location of a tfvars or default map entry spanned the whole
    map; the message named the entry."""
    files = {"main.tf": MAP_ENTRY_TF}
    if tfvars is not None:
        files["terraform.tfvars"] = tfvars
    result = scan(files, select=["DH405"])
    [finding] = result.active
    [related] = finding.related
    loc = related.location
    assert (loc.path, loc.start_line, loc.end_line) == where
    assert 'var.authorized_networks["field-techs"]' in related.label


def test_a_value_a_module_call_passes_points_at_the_call(scan):
    """probe21tf R1: a child module's variable given by the call pointed at the variable's own
    block, whose default (30) is not the value judged (1000). probe22 min/13: a call that
    passes a root variable on (var.archive_days) points at where that one is written, its
    default or its tfvars line; a value written in the call, at the call's argument."""
    files = {
        "main.tf": """variable "archive_days" {
  default = 1000
}
module "archive" {
  source          = "./modules/bucket"
  expiration_days = var.archive_days
}
module "short" {
  source = "./modules/bucket"
}
variable "keep_days" {
  default = 400
}
module "keep" {
  source          = "./modules/bucket"
  expiration_days = var.keep_days
}
module "literal" {
  source          = "./modules/bucket"
  expiration_days = 2000
}
""",
        "terraform.tfvars": "keep_days = 800\n",
        "modules/bucket/main.tf": """variable "expiration_days" {
  default = 4000
}
resource "aws_s3_bucket" "this" {
  bucket = "kc-archive"
}
resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    id     = "expire"
    status = "Enabled"
    expiration {
      days = var.expiration_days
    }
  }
}
""",
    }
    result = scan(files, select=["DH302"])
    got = sorted(
        (f.anchor, [(r.location.path, r.location.start_line) for r in f.related[1:]])
        for f in result.active
    )
    assert got == [
        ("module.archive.aws_s3_bucket_lifecycle_configuration.this", [("main.tf", 2)]),
        ("module.keep.aws_s3_bucket_lifecycle_configuration.this", [("terraform.tfvars", 1)]),
        ("module.literal.aws_s3_bucket_lifecycle_configuration.this", [("main.tf", 20)]),
        (
            "module.short.aws_s3_bucket_lifecycle_configuration.this",
            [("modules/bucket/main.tf", 2)],
        ),
    ]
    by_anchor = {f.anchor.split(".")[1]: f for f in result.active}
    assert by_anchor["archive"].message.endswith("(expiration: 1000 days)")
    assert by_anchor["keep"].related[-1].label == (
        "the value comes from module.keep.var.expiration_days, set in terraform.tfvars"
    )


def test_dh303_says_the_expiration_is_not_set_and_partition_expiration_does_not_count(scan):
    """probe20 min/05: the message read "default table expiration is not set days"."""
    tf = """\
resource "google_bigquery_dataset" "anpr" {
  dataset_id                      = "anpr_reads"
  default_partition_expiration_ms = 30 * 24 * 60 * 60 * 1000
  labels                          = { "data-classification" = "personal" }
}
resource "google_bigquery_dataset" "long" {
  dataset_id                  = "long"
  default_table_expiration_ms = 400 * 86400000
  labels                      = { "data-classification" = "personal" }
}
resource "google_bigquery_dataset" "ok" {
  dataset_id                  = "ok"
  default_table_expiration_ms = 90 * 86400000
  labels                      = { "data-classification" = "personal" }
}
"""
    result = scan({"main.tf": tf}, select=["DH303"])
    assert rule_ids(result) == [("DH303", "main.tf", 1), ("DH303", "main.tf", 8)]
    assert [f.message for f in result.active] == [
        "google_bigquery_dataset 'google_bigquery_dataset.anpr' has no default table expiration "
        "(default_table_expiration_ms is not set; default_partition_expiration_ms, which is set, "
        "expires only partitions); the policy allows at most 365 days for 'personal' data",
        "google_bigquery_dataset 'google_bigquery_dataset.long' has a default table expiration "
        "of 400 days; the policy allows at most 365 days for 'personal' data",
    ]


def _cloudfront(name: str, origin: str, behaviours: str, certificate: str) -> str:
    return f"""resource "aws_cloudfront_distribution" "{name}" {{
  enabled = true
  origin {{
    domain_name = "{name}.kcmo.gov"
    origin_id   = "o"
{origin}  }}
{behaviours}  restrictions {{
    geo_restriction {{
      restriction_type = "none"
    }}
  }}
  viewer_certificate {{
{certificate}  }}
}}
"""


def test_dh209_cloudfront_viewers_origins_and_certificate(scan):
    """probe26 #13: CloudFront was judged by no rule. Every behaviour and custom origin is judged,
    the default certificate and an old or missing minimum TLS version too; a variable's unknown
    value is no finding."""
    acm = (
        '    acm_certificate_arn      = "arn:aws:acm:us-east-1:111122223333:certificate/x"\n'
        '    ssl_support_method       = "sni-only"\n'
        '    minimum_protocol_version = "TLSv1.2_2021"\n'
    )
    https_origin = (
        "    custom_origin_config {\n"
        "      http_port              = 80\n"
        "      https_port             = 443\n"
        '      origin_protocol_policy = "https-only"\n'
        '      origin_ssl_protocols   = ["TLSv1.2"]\n'
        "    }\n"
    )

    def behaviour(policy: str, ordered: bool = False) -> str:
        block = "ordered_cache_behavior" if ordered else "default_cache_behavior"
        pattern = '    path_pattern           = "/api/*"\n' if ordered else ""
        return (
            f"  {block} {{\n{pattern}"
            '    target_origin_id       = "o"\n'
            f"    viewer_protocol_policy = {policy}\n"
            '    allowed_methods        = ["GET", "HEAD"]\n'
            '    cached_methods         = ["GET", "HEAD"]\n'
            "  }\n"
        )

    good = _cloudfront(
        "good",
        https_origin,
        behaviour('"redirect-to-https"') + behaviour('"https-only"', True),
        acm,
    )
    ordered = _cloudfront(
        "ordered", https_origin, behaviour('"https-only"') + behaviour('"allow-all"', True), acm
    )
    old_origin = _cloudfront(
        "old_origin",
        https_origin.replace('["TLSv1.2"]', '["TLSv1", "TLSv1.1", "TLSv1.2"]'),
        behaviour('"https-only"'),
        acm,
    )
    old_viewers = _cloudfront(
        "old_viewers",
        "",
        behaviour('"https-only"'),
        acm.replace("TLSv1.2_2021", "TLSv1_2016"),
    )
    unset = _cloudfront(
        "unset",
        "",
        behaviour('"https-only"'),
        acm.replace("TLSv1.2_2021", "").splitlines()[0] + "\n",
    )
    unknown = _cloudfront("unknown", "", behaviour("var.viewer_policy"), acm)
    files = {
        "good.tf": good,
        "ordered.tf": ordered,
        "old_origin.tf": old_origin,
        "old_viewers.tf": old_viewers,
        "unset.tf": unset,
        "unknown.tf": 'variable "viewer_policy" {}\n' + unknown,
    }
    result = scan(files, select=["DH209"])
    assert rule_ids(result) == [
        ("DH209", "old_origin.tf", 10),  # origin_ssl_protocols
        ("DH209", "old_viewers.tf", 21),  # minimum_protocol_version
        ("DH209", "ordered.tf", 22),  # the ordered behaviour's viewer_protocol_policy
        ("DH209", "unset.tf", 18),  # viewer_certificate, which does not set it
    ]
    messages = {f.location.path: f.message for f in result.active}
    assert (
        "origin_ssl_protocols is" in messages["old_origin.tf"]
        and "TLSv1" in (messages["old_origin.tf"])
    )
    assert "minimum_protocol_version is TLSv1_2016" in messages["old_viewers.tf"]
    assert "ordered_cache_behavior.viewer_protocol_policy is allow-all" in messages["ordered.tf"]
    assert "minimum_protocol_version is not set" in messages["unset.tf"]


def _related(result):
    return [
        (
            f.rule_id,
            f.location.path,
            f.location.start_line,
            [(r.location.path, r.location.start_line, r.label) for r in f.related],
        )
        for f in result.active
    ]


def test_dh407_points_at_where_a_variable_range_is_written(scan):
    """probe26 min/07: a world-open range from a variable (prod's tfvars adding 0.0.0.0/0 to
    var.migration_cidrs; a dynamic block over a map variable's default) is pointed at, naming
    the list item or map entry, as DH302 and DH701 do. A literal range has no related
    location; a variable without a world-open range gives no finding."""
    tf = """\
variable "migration_cidrs" {
  type    = list(string)
  default = ["10.20.0.0/16"]
}
variable "partners" {
  type = map(string)
  default = {
    "field-tablets" = "10.9.0.0/16"
    "anyone"        = "0.0.0.0/0"
  }
}
variable "office" {
  type    = list(string)
  default = ["10.1.0.0/16"]
}
resource "aws_security_group" "db" {
  name = "db"
  ingress {
    from_port   = 3306
    to_port     = 3306
    protocol    = "tcp"
    cidr_blocks = var.migration_cidrs
  }
}
resource "aws_security_group" "partners" {
  name = "partners"
  dynamic "ingress" {
    for_each = var.partners
    content {
      from_port   = 5432
      to_port     = 5432
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }
  }
}
resource "aws_security_group" "office" {
  name = "office"
  ingress {
    from_port   = 6379
    to_port     = 6379
    protocol    = "tcp"
    cidr_blocks = var.office
  }
}
resource "aws_security_group_rule" "literal" {
  type              = "ingress"
  from_port         = 5432
  to_port           = 5432
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = "sg-1"
}
"""
    tfvars = 'migration_cidrs = ["10.20.0.0/16", "0.0.0.0/0"]\n'
    result = scan({"main.tf": tf, "terraform.tfvars": tfvars}, select=["DH407"])
    assert _related(result) == [
        (
            "DH407",
            "main.tf",
            22,
            [
                (
                    "terraform.tfvars",
                    1,
                    "the value comes from var.migration_cidrs[1], set in terraform.tfvars",
                )
            ],
        ),
        (
            "DH407",
            "main.tf",
            33,
            # the entry's line (probe29 min/11: it was the default's, line 7)
            [("main.tf", 9, 'the value comes from the default of var.partners["anyone"]')],
        ),
        ("DH407", "main.tf", 51, []),
    ]


def test_dh301_points_at_where_a_variable_retention_is_written(scan):
    """probe26 min/07: a module's retention_in_days = var.retention_days, set to 0 by the
    call, and a root variable's default of 400 are pointed at (the call's argument, the
    default); a literal retention has no related location."""
    files = {
        "main.tf": """\
variable "days" {
  type    = number
  default = 400
}
module "logs" {
  source         = "./mod"
  retention_days = 0
}
resource "aws_cloudwatch_log_group" "root" {
  name              = "/app/root"
  retention_in_days = var.days
}
resource "aws_cloudwatch_log_group" "literal" {
  name              = "/app/literal"
  retention_in_days = 0
}
""",
        "mod/main.tf": """\
variable "retention_days" {
  type = number
}
resource "aws_cloudwatch_log_group" "this" {
  name              = "/app/x"
  retention_in_days = var.retention_days
}
""",
    }
    result = scan(files, select=["DH301"])
    assert _related(result) == [
        (
            "DH301",
            "main.tf",
            11,
            [("main.tf", 3, "the value comes from the default of var.days")],
        ),
        ("DH301", "main.tf", 15, []),
        (
            "DH301",
            "mod/main.tf",
            6,
            [("main.tf", 7, "the value comes from module.logs.var.retention_days, set in main.tf")],
        ),
    ]


def test_dh701_dh703_account_and_signing_keys_and_mysql_pwd(scan):
    """probe27 #7, #8: an account key and a signing key (kebab or snake case) are credentials
    (DH701), MySQL's MYSQL_PWD in start-up data a password (DH703); their names, ids and
    references are not."""
    text = """resource "azurerm_container_app" "a" {
  secret {
    name  = "storage-account-key"
    value = "q8Zy0bM3Qe7bXk2Lp9Vw4Rt6Yu8Io0Pa=="
  }
  secret {
    name  = "signing-key"
    value = "x9Kq2LmZ8pR4tV7wY1aB3cD5eF"
  }
}
resource "azurerm_function_app" "f" {
  app_settings = {
    storage_account_key = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA=="
    signing_key_id      = "key-2024"
    account_key_name    = "primary"
  }
}
resource "aws_instance" "db" {
  user_data = "#!/bin/sh\\nexport MYSQL_PWD=Kc-Permits-2024\\nmysql -u admin < /tmp/x.sql\\n"
}
resource "aws_instance" "ok" {
  user_data = "#!/bin/sh\\nexport MYSQL_PWD=$(cat /run/secrets/x)\\nBUILD_PWD=/opt/kc/build\\n"
}
"""
    result = scan({"main.tf": text}, select=["DH701", "DH703"])
    assert rule_ids(result) == [
        ("DH701", "main.tf", 4),  # one finding per resource, naming each credential
        ("DH701", "main.tf", 13),
        ("DH703", "main.tf", 19),
    ]
    first = result.active[0].message
    assert "storage-account-key" in first and "signing-key" in first


def test_dh407_names_the_variable_each_block_names(scan):
    """probe28 #5: two ingress blocks of one group, each from its own variable, both held a
    world-open range; both findings named the first declared variable."""
    tf = """\
variable "admin_cidrs" {
  type    = list(string)
  default = ["10.20.0.0/16"]
}
variable "report_cidrs" {
  type    = list(string)
  default = ["0.0.0.0/0"]
}
resource "aws_security_group" "db" {
  name = "kc311-db"
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = var.admin_cidrs
  }
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = var.report_cidrs
  }
}
"""
    tfvars = 'admin_cidrs = ["10.20.0.0/16", "0.0.0.0/0"]\n'
    result = scan({"main.tf": tf, "terraform.tfvars": tfvars}, select=["DH407"])
    assert _related(result) == [
        ("DH407", "main.tf", 15, [("terraform.tfvars", 1,
         "the value comes from var.admin_cidrs[1], set in terraform.tfvars")]),
        ("DH407", "main.tf", 21, [("main.tf", 7,
         "the value comes from the default of var.report_cidrs[0]")]),
    ]  # fmt: skip


LAMBDA_ENV = """resource "aws_s3_bucket" "exports" {
  bucket = "kc-fare-exports"
}
variable "crm" {
  default = "hooks.rider-crm.example.com"
}
variable "unknown_host" {}
resource "aws_lambda_function" "wifi_counter" {
  function_name = "wifi-counter"
  handler       = "handler.handler"
  runtime       = "python3.12"
  role          = "arn:aws:iam::123456789012:role/wifi-counter"
  filename      = "wifi.zip"
  environment {
    variables = {
      COUNTS_ENDPOINT = "http://counts.kcata.org/api/v1/counts"
      CRM_URL         = "https://${var.crm}/in"
      EXPORT_URL      = "https://kc-fare-exports.s3.us-east-2.amazonaws.com/x/"
      METRICS_URL     = "http://localhost:9090/metrics"
      INTERNAL_URL    = "https://ledger.internal/api"
      PRIVATE_URL     = "http://10.0.3.7:8080/x"
      OTHER_URL       = "https://${var.unknown_host}/in"
      PARTNER_URL     = "https://api.${var.unknown_host}/in"
      QUEUE_ARN       = "arn:aws:sqs:us-east-2:123456789012:q"
    }
  }
}
resource "aws_ecs_task_definition" "ingest" {
  family = "tap-ingest"
  container_definitions = jsonencode([{
    name  = "ingest"
    image = "registry.kcata.org/taps/ingest:1.0"
    environment = [
      { name = "PORTAL_URL", value = "http://portal.kcata.org/api" },
      { name = "VENDOR_URL", value = "https://ingest.analytics-vendor.example/v1" },
    ]
  }])
}
"""


def test_dh605_dh210_lambda_and_ecs_environment_urls(scan):
    # probe33 min/14: a function's environment judged as a ConfigMap's (DH640, DH240)
    policy = {"approved_vendors": ["*.kcata.org"]}
    result = scan({"main.tf": LAMBDA_ENV}, select=["DH605", "DH210"], policy=policy)
    assert rule_ids(result) == [
        ("DH210", "main.tf", 16),  # COUNTS_ENDPOINT http:// (an approved host: still cleartext)
        ("DH605", "main.tf", 17),  # CRM_URL through a variable
        ("DH210", "main.tf", 21),  # PRIVATE_URL: cleartext inside the VPC too
        ("DH210", "main.tf", 30),  # PORTAL_URL of the container
        ("DH605", "main.tf", 30),  # VENDOR_URL of the container (container_definitions)
    ]
    messages = [f.message for f in result.active]
    assert "'COUNTS_ENDPOINT' of aws_lambda_function" in messages[0]
    assert "hooks.rider-crm.example.com" in messages[1]
    assert "'PORTAL_URL' of aws_ecs_task_definition" in messages[3]
    assert "ingest.analytics-vendor.example" in messages[4]
    # the city's own bucket is a vendor without the bucket's Terraform (here: another file)
    alone = LAMBDA_ENV.replace(
        'resource "aws_s3_bucket" "exports" {\n  bucket = "kc-fare-exports"\n}\n', ""
    )
    result = scan({"main.tf": alone}, select=["DH605"], policy=policy)
    assert [f.args["host"] for f in result.active] == [
        "hooks.rider-crm.example.com",
        "kc-fare-exports.s3.us-east-2.amazonaws.com",
        "ingest.analytics-vendor.example",
    ]
    files = {"main.tf": alone, "store/main.tf": LAMBDA_ENV.split("variable")[0]}
    result = scan(files, select=["DH605"], policy=policy)
    assert len(result.active) == 2
    # the value a variable supplied is shown where it is written
    crm = next(f for f in result.active if f.args["host"] == "hooks.rider-crm.example.com")
    assert [(r.location.start_line, r.label) for r in crm.related] == [
        (2, "the value comes from the default of var.crm")
    ]


def test_dh605_dh210_names_aws_apis_and_link_local_hosts_in_an_environment(scan):
    # probe34 min/06, 07, 08: a schema's id and an XML namespace (as DH640 and DH240 skip them
    # in a manifest), an AWS service's API endpoint (acts in the caller's own account; an SQS
    # queue of the provider's pinned account) and link-local addresses (instance metadata, the
    # ECS agent's credentials) are no vendor and no plain-text transfer.
    text = """provider "aws" {
  region              = "us-east-2"
  allowed_account_ids = ["210987654321"]
}
resource "aws_lambda_function" "api" {
  function_name = "permits-api"
  role          = "arn:aws:iam::210987654321:role/permits"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "api.zip"
  environment {
    variables = {
      SCHEMA       = "http://json-schema.org/draft-07/schema#"
      XMLNS        = "http://www.w3.org/2001/XMLSchema-instance"
      QUEUE_URL    = "https://sqs.us-east-2.amazonaws.com/210987654321/permits"
      SSM_ENDPOINT = "https://ssm.us-east-2.amazonaws.com"
      STS          = "https://sts.amazonaws.com"
      OTHER_QUEUE  = "https://sqs.us-east-2.amazonaws.com/999988887777/intake"
      BUCKET       = "https://s3.us-east-2.amazonaws.com/vendor-drop/in"
      CONFIG       = "<c xmlns:xsi='http://schemas.vendor-example.com/x'/>"
      VENDOR       = "https://hooks.vendor-example.com/in"
    }
  }
}
resource "aws_ecs_task_definition" "worker" {
  family = "permits-worker"
  container_definitions = jsonencode([{
    name  = "worker"
    image = "registry.kcmo.gov/permits-worker:1"
    environment = [
      { name = "AWS_CONTAINER_CREDENTIALS_FULL_URI", value = "http://169.254.170.23/v1/creds" },
      { name = "IMDS_URL", value = "http://169.254.169.254/latest/meta-data/" },
      { name = "PORTAL_URL", value = "http://data.kcmo.gov/api" },
    ]
  }])
}
"""
    result = scan({"main.tf": text}, select=["DH605", "DH210"])
    assert [(f.rule_id, f.location.start_line) for f in result.active] == [
        ("DH605", 18),  # another account's queue
        ("DH605", 19),  # a bucket the run does not define
        ("DH605", 21),
        ("DH210", 27),  # PORTAL_URL only
    ]
    assert [f.args["host"] for f in result.active[:3]] == [
        "sqs.us-east-2.amazonaws.com",
        "s3.us-east-2.amazonaws.com",
        "hooks.vendor-example.com",
    ]
    assert "'PORTAL_URL'" in result.active[3].message
    # The queue's account is the City's when the policy approves it, too.
    policy = {"approved_accounts": ["999988887777"]}
    result = scan({"main.tf": text}, select=["DH605"], policy=policy)
    assert [f.location.start_line for f in result.active] == [19, 21]
    # Without the pinned provider, the first queue is another account's as well.
    unpinned = text.replace('  allowed_account_ids = ["210987654321"]\n', "")
    result = scan({"main.tf": unpinned}, select=["DH605"], policy=policy)
    assert [f.location.start_line for f in result.active] == [14, 18, 20]


def test_dh605_an_iot_topic_rule_http_action_to_an_unapproved_host(scan):
    # probe38 min/13: every plate read published under alpr/+/reads POSTed to a vendor
    def rule(name, url, enabled="true"):
        return f"""resource "aws_iot_topic_rule" "{name}" {{
  name        = "{name}"
  enabled     = {enabled}
  sql         = "SELECT * FROM 'alpr/+/reads'"
  sql_version = "2016-03-23"
  http {{
    url = "{url}"
  }}
}}
"""

    text = (
        rule("vendor", "https://api.corridor-insights.io/v2/iot")  # 1-9
        + rule("approved", "https://api.city-approved-vendor.example/iot")  # 10-18
        + rule("off", "https://api.corridor-insights.io/v2/iot", enabled="false")  # 19-27
    )
    policy = {"approved_vendors": ["api.city-approved-vendor.example"]}
    result = scan({"main.tf": text}, select=["DH605"], policy=policy)
    assert rule_ids(result) == [("DH605", "main.tf", 7)]
    assert "sends data to api.corridor-insights.io" in result.active[0].message


def test_dh605_an_iot_topic_rule_error_action_to_an_unapproved_host(scan):
    # The error action receives every message an action failed to deliver: a vendor's URL
    # there is the same transfer as in the rule's http action (one finding per rule).
    def rule(name, action, error_url, enabled="true"):
        return f"""resource "aws_iot_topic_rule" "{name}" {{
  name        = "{name}"
  enabled     = {enabled}
  sql         = "SELECT * FROM 'alpr/+/reads'"
  sql_version = "2016-03-23"
  {action}
  error_action {{
    http {{
      url = "{error_url}"
    }}
  }}
}}
"""

    to_sqs = 'sqs {\n    queue_url = "https://sqs.us-east-2.amazonaws.com/111122223333/reads"\n'
    to_sqs += '    role_arn = "arn:aws:iam::111122223333:role/iot"\n    use_base64 = false\n  }'
    both = 'http {\n    url = "https://api.corridor-insights.io/v2/iot"\n  }'
    text = (
        rule("errors", to_sqs, "https://errors.corridor-insights.io/dlq")  # 1-16, url: 13
        + rule("both", both, "https://errors.corridor-insights.io/dlq")  # 17-29, urls: 23, 27
        + rule("approved", to_sqs, "https://api.city-approved-vendor.example/dlq")  # 30-45
        + rule("off", to_sqs, "https://errors.corridor-insights.io/dlq", enabled="false")
    )
    policy = {
        "approved_vendors": ["api.city-approved-vendor.example"],
        "approved_accounts": ["111122223333"],
    }
    result = scan({"main.tf": text}, select=["DH605"], policy=policy)
    assert rule_ids(result) == [("DH605", "main.tf", 13), ("DH605", "main.tf", 23)]
    assert "sends data to errors.corridor-insights.io" in result.active[0].message
    assert "sends data to api.corridor-insights.io" in result.active[1].message


def test_dh210_a_push_endpoint_in_clear_text(scan):
    # An IoT rule's http action, an SNS http subscription, a Pub/Sub push subscription, an
    # EventBridge API destination and an Event Grid webhook to http:// send every message in
    # clear text; https, localhost, a disabled rule, an SQS subscription and a host not known
    # are not judged.
    text = """variable "host" {}
resource "aws_iot_topic_rule" "reads" {
  name        = "reads"
  enabled     = true
  sql         = "SELECT * FROM 'alpr/+/reads'"
  sql_version = "2016-03-23"
  http {
    url = "http://ingest.kcmo.gov/alpr"
  }
  error_action {
    http {
      url = "http://errors.kcmo.gov/alpr"
    }
  }
}
resource "aws_iot_topic_rule" "off" {
  name        = "off"
  enabled     = false
  sql         = "SELECT * FROM 'alpr/+/reads'"
  sql_version = "2016-03-23"
  http {
    url = "http://ingest.kcmo.gov/alpr"
  }
}
resource "aws_sns_topic_subscription" "cases" {
  topic_arn = "arn:aws:sns:us-east-2:111122223333:kc-311-cases"
  protocol  = "http"
  endpoint  = "http://cases.kcmo.gov/sns/311"
}
resource "aws_sns_topic_subscription" "tls" {
  topic_arn = "arn:aws:sns:us-east-2:111122223333:kc-311-cases"
  protocol  = "https"
  endpoint  = "https://cases.kcmo.gov/sns/311"
}
resource "google_pubsub_subscription" "reads" {
  name  = "reads"
  topic = "reads"
  push_config {
    push_endpoint = "http://push.kcmo.gov/reads"
  }
}
resource "aws_cloudwatch_event_api_destination" "local" {
  name                = "local"
  invocation_endpoint = "http://localhost:8080/events"
  http_method         = "POST"
  connection_arn      = "arn:aws:events:us-east-2:111122223333:connection/x"
}
resource "aws_cloudwatch_event_api_destination" "unknown" {
  name                = "unknown"
  invocation_endpoint = "http://${var.host}/events"
  http_method         = "POST"
  connection_arn      = "arn:aws:events:us-east-2:111122223333:connection/x"
}
resource "azurerm_eventgrid_event_subscription" "permits" {
  name  = "permits"
  scope = "/subscriptions/x"
  webhook_endpoint {
    url = "http://hooks.kcmo.gov/permits"
  }
}
"""
    result = scan({"main.tf": text}, select=["DH210"])
    assert rule_ids(result) == [
        ("DH210", "main.tf", 8),
        ("DH210", "main.tf", 12),
        ("DH210", "main.tf", 28),
        ("DH210", "main.tf", 39),
        ("DH210", "main.tf", 58),
    ]
    assert result.active[0].message == (
        "'http.url' of aws_iot_topic_rule 'aws_iot_topic_rule.reads' uses unencrypted http:// "
        "to 'ingest.kcmo.gov'"
    )
    assert "'error_action.http.url'" in result.active[1].message
    assert len({f.anchor for f in result.active}) == 5


def test_dh408_search_domain_and_function_url_open_to_anyone(scan):
    # probe33 min/15: an OpenSearch domain whose policy allows '*' and a function URL without auth
    def domain(name, extra="", policy=True, tag="personal"):
        statement = '{ Effect = "Allow", Principal = { AWS = "*" }, Action = "es:*"%s }'
        cond = ', Condition = { IpAddress = { "aws:SourceIp" = ["203.0.113.0/24"] } }'
        body = [f'resource "aws_opensearch_domain" "{name}" {{', f'  domain_name = "{name}"']
        body.append(f'  tags = {{ "data-classification" = "{tag}" }}')
        if extra:
            body.append(f"  {extra}")
        if policy:
            st = statement % (cond if policy == "cond" else "")
            body.append(f"  access_policies = jsonencode({{ Statement = [{st}] }})")
        return "\n".join([*body, "}"]) + "\n"

    text = (
        domain("open")  # 1-5
        + domain("invpc", extra='vpc_options { subnet_ids = ["subnet-1"] }')  # 6-11
        + domain("narrowed", policy="cond")  # 12-16
        + domain("public", tag="public")  # 17-21
        + domain("split", policy=False)  # 22-25
        + """resource "aws_opensearch_domain_policy" "split" {
  domain_name     = aws_opensearch_domain.split.domain_name
  access_policies = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*" }] })
}
resource "aws_lambda_function_url" "open" {
  function_name      = "fare-account-api"
  authorization_type = "NONE"
}
resource "aws_lambda_function_url" "iam" {
  function_name      = "fare-account-api"
  authorization_type = "AWS_IAM"
}
"""
    )
    result = scan({"main.tf": text}, select=["DH408"])
    assert rule_ids(result) == [
        ("DH408", "main.tf", 4),
        ("DH408", "main.tf", 28),
        ("DH408", "main.tf", 32),
    ]
    split = result.active[1]
    assert "aws_opensearch_domain.split" in split.message
    assert [r.location.start_line for r in split.related] == [22]


def test_dh408_a_source_ip_condition_admitting_every_address_narrows_nothing(scan):
    # probe38 min/01: Principal AWS "*" whose only condition is aws:SourceIp 0.0.0.0/0
    def domain(name, cidrs):
        return f"""resource "aws_opensearch_domain" "{name}" {{
  domain_name = "{name}"
  tags        = {{ "data-classification" = "sensitive" }}
  access_policies = jsonencode({{ Statement = [{{
    Effect = "Allow", Principal = {{ AWS = "*" }}, Action = "es:ESHttp*",
    Condition = {{ IpAddress = {{ "aws:SourceIp" = {cidrs} }} }}
  }}] }})
}}
"""

    text = (
        domain("any4", '"0.0.0.0/0"')  # 1-8
        + domain("any6", '["10.0.0.0/8", "::/0"]')  # 9-16
        + domain("office", '["203.0.113.0/24"]')  # 17-24
        + """variable "cidrs" { default = ["0.0.0.0/0"] }
resource "aws_opensearch_domain" "var" {
  domain_name = "var"
  tags        = { "data-classification" = "sensitive" }
}
resource "aws_opensearch_domain_policy" "var" {
  domain_name = aws_opensearch_domain.var.domain_name
  access_policies = jsonencode({ Statement = [{
    Effect = "Allow", Principal = { AWS = "*" }, Action = "es:ESHttp*",
    Condition = {
      IpAddress = { "aws:SourceIp" = var.cidrs }
    }
  }] })
}
resource "aws_opensearch_domain" "andvpce" {
  domain_name = "andvpce"
  tags        = { "data-classification" = "sensitive" }
  access_policies = jsonencode({ Statement = [{
    Effect = "Allow", Principal = { AWS = "*" }, Action = "es:ESHttp*",
    Condition = {
      IpAddress    = { "aws:SourceIp" = "0.0.0.0/0" }
      StringEquals = { "aws:SourceVpce" = "vpce-1a2b3c" }
    }
  }] })
}
"""
    )
    result = scan({"main.tf": text}, select=["DH408"])
    assert rule_ids(result) == [
        ("DH408", "main.tf", 4),
        ("DH408", "main.tf", 12),
        ("DH408", "main.tf", 32),
    ]
    assert "source IP condition that admits every address" in result.active[0].message


def test_dh408_a_public_bucket_policy_on_a_personal_bucket(scan):
    # probe38 min/18: Principal "*" s3:GetObject gave only DH402 (the missing guard rail)
    def bucket(name, tag="personal", statement='Principal = "*", Action = "s3:GetObject"', pab=""):
        text = f"""resource "aws_s3_bucket" "{name}" {{
  bucket = "kc-{name}"
  tags   = {{ "data-classification" = "{tag}" }}
}}
resource "aws_s3_bucket_policy" "{name}" {{
  bucket = aws_s3_bucket.{name}.id
  policy = jsonencode({{ Statement = [{{ Effect = "Allow", {statement}, Resource = "*" }}] }})
}}
"""
        if pab:
            text += f"""resource "aws_s3_bucket_public_access_block" "{name}" {{
  bucket = aws_s3_bucket.{name}.id
  {pab}
}}
"""
        return text

    text = (
        bucket("reads")  # 1-8
        + bucket("weakpab", pab="block_public_acls = true")  # 9-20
        + bucket("blocked", pab="block_public_policy = true")  # 21-32
        + bucket("restricted", pab="restrict_public_buckets = true")  # 33-44
        + bucket("opendata", tag="public")  # 45-52
        + bucket(  # 53-60
            "vpce",
            statement='Principal = "*", Condition = { StringEquals = { "aws:SourceVpce" = "v" } }',
        )
        + bucket("roles", statement='Principal = { AWS = "arn:aws:iam::123456789012:role/etl" }')
        # 61-68; 69-72 below
        + """resource "aws_s3_bucket" "inline" {
  bucket = "kc-inline"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { AWS = "*" } }] })
}
"""
    )
    result = scan({"main.tf": text}, select=["DH408"])
    assert rule_ids(result) == [
        ("DH408", "main.tf", 7),
        ("DH408", "main.tf", 15),
        ("DH408", "main.tf", 71),
    ]
    reads = result.active[0]
    assert (
        "'aws_s3_bucket.reads'" in reads.message
        and "(s3:GetObject) with no condition" in reads.message
    )
    assert [r.location.start_line for r in reads.related] == [1]
    # an account-wide public access block that refuses public policies covers every bucket
    account = (
        'resource "aws_s3_account_public_access_block" "all" {\n  block_public_policy = true\n}\n'
    )
    assert rule_ids(scan({"main.tf": text + account}, select=["DH408"])) == []


def test_dh601_dh602_related_location_is_where_the_account_is_written(scan):
    # probe33 min/08: the account comes from terraform.tfvars, directly and through a module
    files = {
        "main.tf": """variable "partner_account_id" { type = string }
module "share" {
  source     = "./modules/share"
  account_id = var.partner_account_id
}
resource "aws_s3_bucket_replication_configuration" "direct" {
  role   = "arn:aws:iam::123456789012:role/repl"
  bucket = "src-bucket"
  rule {
    id     = "r"
    status = "Enabled"
    destination {
      bucket  = "arn:aws:s3:::partner-bucket"
      account = var.partner_account_id
    }
  }
}
""",
        "modules/share/main.tf": """variable "account_id" { type = string }
resource "aws_sqs_queue_policy" "q" {
  queue_url = "https://sqs.us-east-2.amazonaws.com/123456789012/q"
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${var.account_id}:root" }
      Action    = "sqs:SendMessage"
      Resource  = "*"
    }]
  })
}
""",
        "terraform.tfvars": 'partner_account_id = "444455556666"\n',
    }
    result = scan(files, select=["DH601", "DH602"])
    found = {
        (f.rule_id, f.location.path): [(r.location.path, r.location.start_line) for r in f.related]
        for f in result.active
    }
    assert found == {
        ("DH602", "main.tf"): [("terraform.tfvars", 1)],
        ("DH601", "modules/share/main.tf"): [("terraform.tfvars", 1)],
    }


def test_related_map_entry_line_through_a_module_call(scan):
    # probe33 min/07: a --var-file map passed on through a module call, and a literal map given
    # as the call's argument: the related location is the entry's own line, not the whole map
    module = """resource "aws_security_group" "db" {
  name = "db"
  dynamic "ingress" {
    for_each = var.admin_cidrs
    content {
      from_port   = 5432
      to_port     = 5432
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }
  }
}
variable "admin_cidrs" { type = map(string) }
"""
    files = {
        "main.tf": """variable "admin_cidrs" {
  type    = map(string)
  default = { office = "10.20.0.0/16" }
}
module "db" {
  source      = "./modules/db"
  admin_cidrs = var.admin_cidrs
}
module "literal" {
  source = "./modules/db"
  admin_cidrs = {
    office = "10.20.0.0/16"
    any    = "0.0.0.0/0"
  }
}
""",
        "modules/db/main.tf": module,
        "env/dev.tfvars": 'admin_cidrs = {\n  office = "10.20.0.0/16"\n  vpn    = "0.0.0.0/0"\n}\n',
    }
    result = scan(files, select=["DH407"], var_files=["env/dev.tfvars"])
    related = sorted(
        (r.location.path, r.location.start_line, r.location.end_line)
        for f in result.active
        for r in f.related
    )
    assert related == [("env/dev.tfvars", 3, 3), ("main.tf", 13, 13)]


def test_gcp_project_topic_subscription_and_table_grants_are_judged(scan):
    """probe36 #1: DH404/DH603 read bucket and dataset IAM only, so a project-level
    dataViewer for allAuthenticatedUsers (every dataset of the project), an outside user at
    project level, a topic's allUsers subscriber and a table's allUsers viewer passed. A
    project grant is judged when its role reads data (logging.viewer is not), by the class
    of its google_project (open data, labelled public, is not flagged), as a topic, a
    subscription and a table by theirs (a table not declared: its dataset's)."""
    text = """resource "google_project_iam_binding" "bq" {
  project = "water-ami-prod"
  role    = "roles/bigquery.dataViewer"
  members = ["allAuthenticatedUsers", "user:consultant@meterinsights.example"]
}
resource "google_project_iam_member" "logs" {
  project = "water-ami-prod"
  role    = "roles/logging.viewer"
  member  = "allUsers"
}
resource "google_pubsub_topic" "readings" {
  name   = "ami-readings"
  labels = { data-classification = "personal" }
}
resource "google_pubsub_topic_iam_member" "sub" {
  topic  = google_pubsub_topic.readings.id
  role   = "roles/pubsub.subscriber"
  member = "allUsers"
}
resource "google_pubsub_subscription_iam_binding" "s" {
  subscription = "readings-sub"
  role         = "roles/pubsub.subscriber"
  members      = ["group:ops@vendor.example"]
}
resource "google_bigquery_dataset" "ds" {
  dataset_id = "ds"
  labels     = { data-classification = "personal" }
}
resource "google_bigquery_table_iam_member" "tbl" {
  dataset_id = google_bigquery_dataset.ds.dataset_id
  table_id   = "readings"
  role       = "roles/bigquery.dataViewer"
  member     = "allUsers"
}
resource "google_project" "open" {
  name       = "open"
  project_id = "kc-open-data"
  labels     = { data-classification = "public" }
}
resource "google_project_iam_member" "open" {
  project = google_project.open.project_id
  role    = "roles/storage.objectViewer"
  member  = "allUsers"
}
resource "google_pubsub_topic" "open" {
  name   = "open-feed"
  labels = { data-classification = "public" }
}
resource "google_pubsub_topic_iam_member" "open" {
  topic  = "open-feed"
  role   = "roles/pubsub.subscriber"
  member = "allUsers"
}
"""
    result = scan({"main.tf": text}, select=["DH404", "DH603"])
    assert sorted((f.rule_id, f.location.start_line) for f in result.active) == [
        ("DH404", 4),
        ("DH404", 18),
        ("DH404", 33),
        ("DH603", 4),
        ("DH603", 23),
    ]


def test_a_retention_computed_from_a_variable_names_where_the_variable_is_set(scan):
    """probe36 #2: ``default_table_expiration_ms = var.days * 86400000`` (the form DH303's
    fix text recommends) lost the link to the tfvars line: the related location is found by
    the judged value, and 730 days in ms is no variable's value. So the DH303 had no related
    location, and a commit changing only the tfvars (pre-commit) passed. The number variable
    named on the attribute's line is now its origin (DH302 from var.years * 365 too)."""
    files = {
        "modules/ds/main.tf": """variable "days" { type = number }
variable "years" { type = number }
resource "google_bigquery_dataset" "this" {
  dataset_id                  = "readings"
  default_table_expiration_ms = var.days * 86400000
  labels                      = { data-classification = "personal" }
}
resource "google_storage_bucket" "raw" {
  name     = "raw"
  location = "US"
  labels   = { data-classification = "personal" }
  lifecycle_rule {
    condition { age = var.years * 365 }
    action { type = "Delete" }
  }
}
""",
        "env/main.tf": """variable "raw_days" { type = number }
module "ds" {
  source = "../modules/ds"
  days   = var.raw_days
  years  = 3
}
""",
        "env/terraform.tfvars": "raw_days = 730\n",
    }
    label = "the value is computed from module.ds.var.days, set in env/terraform.tfvars"
    assert _related(scan(files, select=["DH302", "DH303"], paths=["env/terraform.tfvars"])) == [
        ("DH303", "modules/ds/main.tf", 5, [("env/terraform.tfvars", 1, label)])
    ]
    result = scan(files, select=["DH302"])
    assert [r[3] for r in _related(result)] == [
        [("env/main.tf", 5, "the value is computed from module.ds.var.years, set in env/main.tf")]
    ]


def test_serverless_environments_are_read_for_credentials_and_endpoints(scan):
    """probe36 #4, #5: a password in a URL set in a Lambda, Cloud Run or Cloud Functions
    environment (DATABASE_URL=postgresql://u:PW@host/db) was not found (DH701 judged names
    only; app_settings were read for what they hold), and DH210/DH605 read Lambda, ECS and
    Azure app settings environments but not Cloud Run's or Cloud Functions'. A value taken
    from Secret Manager (value_source) is not judged."""
    url = "postgresql://portal:Wtr-Portal-2024!@10.20.0.5:5432/billing"
    text = f"""resource "google_cloud_run_v2_service" "portal" {{
  name     = "portal"
  location = "us-central1"
  template {{
    containers {{
      image = "us-docker.pkg.dev/p/portal/portal:1"
      env {{
        name  = "DATABASE_URL"
        value = "{url}"
      }}
      env {{
        name  = "BILLING_API_URL"
        value = "http://billing.water.example/api"
      }}
      env {{
        name = "TOKEN"
        value_source {{
          secret_key_ref {{
            secret  = "token"
            version = "latest"
          }}
        }}
      }}
    }}
  }}
}}
resource "google_cloudfunctions2_function" "alert" {{
  name     = "alert"
  location = "us-central1"
  service_config {{
    environment_variables = {{
      ANALYTICS_URL = "https://collect.hydro-marketing.example/events"
      DATABASE_URL  = "{url}"
    }}
  }}
}}
resource "google_cloudfunctions_function" "old" {{
  name    = "old"
  runtime = "python311"
  environment_variables = {{
    BILLING_API_URL = "http://billing.water.example/api"
    DATABASE_URL    = "postgresql://portal@10.20.0.5:5432/billing"
  }}
}}
resource "aws_lambda_function" "cmp" {{
  function_name = "cmp"
  role          = "arn:aws:iam::123456789012:role/x"
  environment {{
    variables = {{
      DATABASE_URL = "{url}"
    }}
  }}
}}
"""
    result = scan({"main.tf": text}, select=["DH701", "DH210", "DH605"])
    assert sorted((f.rule_id, f.location.start_line) for f in result.active) == [
        ("DH210", 13),
        ("DH210", 41),
        ("DH605", 13),
        ("DH605", 32),
        ("DH605", 41),
        ("DH701", 9),
        ("DH701", 33),
        ("DH701", 50),
    ]


def test_dh702_a_key_file_the_repository_ignores_is_not_committed(scan):
    """probe36 #7: ``credentials = file("dev-sa.json")`` was DH702 when the git-ignored key
    was on disk (a laptop) and nothing when it was not (CI), so the hook blocked what CI
    passed; the message named provider ''. A file a .gitignore ignores is not read (as
    kustomize's generators do); a key file committed with the configuration still is."""
    files = {
        "main.tf": 'provider "google" {\n  credentials = file("dev-sa.json")\n}\n',
        "dev-sa.json": '{"type": "service_account", "private_key": "-----BEGIN KEY"}\n',
    }
    assert scan({**files, ".gitignore": "dev-sa.json\n"}, select=["DH702"]).active == []
    found = scan(files, select=["DH702"]).active
    assert [(f.location.start_line, f.message) for f in found] == [
        (2, "Provider 'google' sets credentials to a literal credential")
    ]


def test_gcp_authoritative_policy_bindings_are_judged(scan):
    """h5 #1: google_*_iam_policy with policy_data from a data "google_iam_policy" document
    was not judged, so its allAuthenticatedUsers binding or an outside vendor's passed.
    Each binding of the document is judged as a _binding resource of the same store is (a
    project's by its role: logging.viewer reads no data; a project labelled public holds
    open data), on the member inside the document, the policy resource related; a document
    written in place (jsonencode) alike."""
    data = """data "google_iam_policy" "prod" {
  binding {
    role = "roles/bigquery.dataViewer"
    members = [
      "group:analysts@kcmo.org",
      "allAuthenticatedUsers",
      "user:consultant@meterinsights.example",
    ]
  }
  binding {
    role    = "roles/logging.viewer"
    members = ["allUsers", "user:auditor@logs.example"]
  }
}
data "google_iam_policy" "open" {
  binding {
    role    = "roles/storage.objectViewer"
    members = ["allUsers"]
  }
}
"""
    main = """resource "google_project_iam_policy" "prod" {
  project     = "water-ami-prod"
  policy_data = data.google_iam_policy.prod.policy_data
}
resource "google_project" "open" {
  name       = "open"
  project_id = "kc-open-data"
  labels     = { data-classification = "public" }
}
resource "google_project_iam_policy" "open" {
  project     = google_project.open.project_id
  policy_data = data.google_iam_policy.open.policy_data
}
resource "google_storage_bucket_iam_policy" "exports" {
  bucket = "kc-311-exports"
  policy_data = jsonencode({
    bindings = [{
      role    = "roles/storage.objectViewer"
      members = ["group:ops@vendor.example", "allUsers"]
    }]
  })
}
"""
    result = scan({"data.tf": data, "main.tf": main}, select=["DH404", "DH603"])
    found = sorted(
        (
            f.rule_id,
            f.location.path,
            f.location.start_line,
            [(r.location.path, r.location.start_line) for r in f.related],
        )
        for f in result.active
    )
    assert found == [
        ("DH404", "data.tf", 6, [("main.tf", 1)]),
        ("DH404", "main.tf", 19, []),
        ("DH603", "data.tf", 7, [("main.tf", 1)]),
        ("DH603", "main.tf", 19, []),
    ]
    messages = {f.message for f in result.active}
    assert (
        "google_project_iam_policy 'google_project_iam_policy.prod': binding.members of "
        "data.google_iam_policy.prod is allAuthenticatedUsers; the policy requires no "
        "allUsers/allAuthenticatedUsers grant of a data-reading role" in messages
    )
    # A suppression comment inside the data block covers the finding located there.
    suppressed = data.replace(
        '"allAuthenticatedUsers",',
        '"allAuthenticatedUsers", # dhlint: ignore[DH404] open by contract 2026-3',
    )
    result = scan({"data.tf": suppressed, "main.tf": main}, select=["DH404"])
    assert [(f.location.path, f.location.start_line) for f in result.active] == [("main.tf", 19)]


def test_dh119_managed_cluster_secrets_without_the_citys_key(scan):
    # h5 #4: GKE, EKS and AKS encrypt etcd with their own keys; a cluster handling sensitive
    # data must envelope-encrypt its Secrets with the City's key (DHP-1.1), as its stores.
    sensitive = '{\n    "data-classification" = "sensitive"\n  }'
    text = f"""variable "state" {{}}
resource "google_container_cluster" "plain" {{
  name            = "plain"
  resource_labels = {sensitive}
}}
resource "google_container_cluster" "decrypted" {{
  name            = "decrypted"
  resource_labels = {sensitive}
  database_encryption {{
    state = "DECRYPTED"
  }}
}}
resource "google_container_cluster" "keyed" {{
  name            = "keyed"
  resource_labels = {sensitive}
  database_encryption {{
    state    = "ENCRYPTED"
    key_name = "projects/kc/locations/us/keyRings/gke/cryptoKeys/secrets"
  }}
}}
resource "google_container_cluster" "unknown" {{
  name            = "unknown"
  resource_labels = {sensitive}
  database_encryption {{
    state    = var.state
    key_name = "projects/kc/locations/us/keyRings/gke/cryptoKeys/secrets"
  }}
}}
resource "google_container_cluster" "untagged" {{
  name = "untagged"
}}
resource "aws_eks_cluster" "plain" {{
  name     = "plain"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  tags     = {sensitive}
}}
resource "aws_eks_cluster" "keyed" {{
  name     = "keyed"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  tags     = {sensitive}
  encryption_config {{
    resources = ["secrets"]
    provider {{
      key_arn = "arn:aws:kms:us-east-2:111122223333:key/abcd"
    }}
  }}
}}
resource "azurerm_kubernetes_cluster" "plain" {{
  name = "plain"
  tags = {sensitive}
}}
resource "azurerm_kubernetes_cluster" "keyed" {{
  name = "keyed"
  tags = {sensitive}
  key_management_service {{
    key_vault_key_id = "https://kc-kv.vault.azure.net/keys/aks/0123456789abcdef"
  }}
}}
"""
    result = scan({"main.tf": text}, select=["DH119"])
    assert rule_ids(result) == [
        ("DH119", "main.tf", 2),
        ("DH119", "main.tf", 14),
        ("DH119", "main.tf", 40),
        ("DH119", "main.tf", 60),
    ]
    assert result.active[0].message == (
        "google_container_cluster 'google_container_cluster.plain': database_encryption.state "
        "is not set; the policy requires Secrets encrypted with the City's Cloud KMS key "
        "(database_encryption, state ENCRYPTED; Google encrypts etcd with its own key only)"
    )
    assert "database_encryption.state is DECRYPTED" in result.active[1].message
    assert "encryption_config.provider.key_arn is not set" in result.active[2].message
    # A policy that asks the City's key for personal data too: the untagged cluster as well.
    wider = {"encryption": {"customer_key_for": ["personal", "sensitive"]}}
    result = scan({"main.tf": text}, select=["DH119"], policy=wider)
    assert len(result.active) == 5
    assert "'google_container_cluster.untagged'" in result.active[2].message


@pytest.mark.parametrize(
    "dataset_ref", ["google_bigquery_dataset.hud.dataset_id", '"hud_reporting"']
)
def test_a_bigquery_table_without_labels_takes_its_datasets_class(scan, dataset_ref):
    """probe39 #3: a table is classified by its own labels, else its dataset's (the dataset
    named by reference or by its literal id): a table of a public dataset granted to allUsers
    is open data (no DH404) and is classified (no DH801); a table of a personal dataset is
    not; a table's own label wins over its dataset's."""
    text = f"""resource "google_bigquery_dataset" "hud" {{
  dataset_id = "hud_reporting"
  labels     = {{ data-classification = "public" }}
}}
resource "google_bigquery_dataset" "cases" {{
  dataset_id = "cases"
  labels     = {{ data-classification = "personal" }}
}}
resource "google_bigquery_table" "aggregate_counts" {{
  dataset_id = {dataset_ref}
  table_id   = "aggregate_counts"
}}
resource "google_bigquery_table_iam_member" "pub" {{
  dataset_id = {dataset_ref}
  table_id   = google_bigquery_table.aggregate_counts.table_id
  role       = "roles/bigquery.dataViewer"
  member     = "allUsers"
}}
resource "google_bigquery_table" "enrollments" {{
  dataset_id = google_bigquery_dataset.cases.dataset_id
  table_id   = "enrollments"
}}
resource "google_bigquery_table_iam_member" "leak" {{
  dataset_id = "cases"
  table_id   = google_bigquery_table.enrollments.table_id
  role       = "roles/bigquery.dataViewer"
  member     = "allUsers"
}}
resource "google_bigquery_table" "extract" {{
  dataset_id = google_bigquery_dataset.hud.dataset_id
  table_id   = "extract"
  labels     = {{ data-classification = "personal" }}
}}
resource "google_bigquery_table_iam_member" "extract" {{
  dataset_id = "hud_reporting"
  table_id   = google_bigquery_table.extract.table_id
  role       = "roles/bigquery.dataViewer"
  member     = "allAuthenticatedUsers"
}}
resource "google_bigquery_table" "orphan" {{
  dataset_id = "elsewhere"
  table_id   = "orphan"
}}
"""
    result = scan({"main.tf": text}, select=["DH404", "DH801"])
    assert sorted((f.rule_id, f.location.start_line) for f in result.active) == [
        ("DH404", 27),
        ("DH404", 38),
        ("DH801", 40),
    ]


def test_dh212_any_setting_ending_in_sslmode(scan):
    """probe45 05 (min/06), as DH241: a Lambda's PG_SSLMODE=disable or MYSQL_SSL_MODE=PREFERRED
    turns TLS off; verify-full does not."""
    text = """resource "aws_lambda_function" "sync" {
  function_name = "sync"
  handler       = "sync.handler"
  runtime       = "python3.12"
  role          = "arn:aws:iam::111122223333:role/sync"
  filename      = "sync.zip"
  environment {
    variables = {
      PG_SSLMODE      = "disable"
      MYSQL_SSL_MODE  = "PREFERRED"
      REPORTS_SSLMODE = "verify-full"
    }
  }
}
"""
    result = scan({"main.tf": text}, select=["DH212"])
    found = sorted(
        (f.location.start_line, f.message.rsplit("(", 1)[1].rstrip(")")) for f in result.active
    )
    assert found == [(9, "PG_SSLMODE=disable"), (10, "MYSQL_SSL_MODE=PREFERRED")]


def test_dh212_tls_turned_off_in_a_terraform_workloads_environment(scan):
    """probe39 #7 (min/05): a Cloud Run service's DATABASE_URL=...?sslmode=disable and
    DB_SSLMODE=disable got no finding, though the same env in a Deployment gets DH241. Judged
    as DH241 judges a workload's, in the environments DH210 reads (Lambda, ECS, Azure app
    settings too), at the value's line; STARTTLS on beside EMAIL_USE_SSL=false is not TLS off,
    nor is verify-full; a value from a variable is related to it."""
    text = """variable "db_url" {
  default = "postgres://app@10.0.0.5/cases?sslmode=prefer"
}
resource "google_cloud_run_v2_service" "web" {
  name     = "hmis-web"
  location = "us-central1"
  template {
    containers {
      image = "web:1"
      env {
        name  = "DATABASE_URL"
        value = "postgres://hmis_app@10.20.0.5:5432/hmis?sslmode=disable"
      }
      env {
        name  = "DB_SSLMODE"
        value = "disable"
      }
      env {
        name  = "EMAIL_USE_SSL"
        value = "false"
      }
      env {
        name  = "EMAIL_USE_TLS"
        value = "true"
      }
      env {
        name  = "REPORTS_DB"
        value = "postgres://r@10.20.0.6/r?sslmode=verify-full"
      }
    }
  }
}
resource "aws_lambda_function" "sync" {
  function_name = "sync"
  handler       = "sync.handler"
  runtime       = "python3.12"
  role          = "arn:aws:iam::111122223333:role/sync"
  filename      = "sync.zip"
  environment {
    variables = {
      DATABASE_URL                 = var.db_url
      NODE_TLS_REJECT_UNAUTHORIZED = "0"
    }
  }
}
resource "aws_ecs_task_definition" "ingest" {
  family = "ingest"
  container_definitions = jsonencode([{
    name  = "ingest"
    image = "ingest:1"
    environment = [
      { name = "KAFKA_SECURITY_PROTOCOL", value = "PLAINTEXT" },
    ]
  }])
}
resource "azurerm_linux_web_app" "portal" {
  name                = "portal"
  resource_group_name = "rg"
  location            = "centralus"
  service_plan_id     = "plan"
  site_config {}
  app_settings = {
    SQL_CONN = "Server=tcp:db.example.org;Encrypt=False;TrustServerCertificate=True"
  }
}
"""
    result = scan({"main.tf": text}, select=["DH212"])
    found = sorted(
        (f.location.start_line, f.message.rsplit("(", 1)[1].rstrip(")")) for f in result.active
    )
    assert found == [
        (12, "sslmode=disable"),
        (16, "DB_SSLMODE=disable"),
        (41, "sslmode=prefer"),
        (42, "NODE_TLS_REJECT_UNAUTHORIZED=0"),
        (48, "KAFKA_SECURITY_PROTOCOL=PLAINTEXT"),  # the container definitions' line
        (63, "Encrypt=False"),
        (63, "TrustServerCertificate=True"),
    ]
    lambda_url = next(f for f in result.active if "prefer" in f.message)
    assert [(r.location.start_line, r.label) for r in lambda_url.related] == [
        (2, "the value comes from the default of var.db_url")
    ]
    assert len({f.anchor for f in result.active}) == len(result.active)


def test_dh212_mail_starttls_off_is_tls_off_unless_the_mail_is_secured_otherwise(scan):
    """s31 h6 #2: EMAIL_USE_TLS = "False" in a function's environment was no finding (EMAIL_
    namespaces any switch away), though the app then sends its mail in clear (DH260 reports
    Django's settings in Python). Now TLS off, as in a Kubernetes workload (DH241), unless
    EMAIL_USE_SSL is true beside it or the mail server is this host."""
    lambda_ = """resource "aws_lambda_function" "NAME" {
  function_name = "NAME"
  handler       = "app.handler"
  runtime       = "python3.12"
  role          = "arn:aws:iam::111122223333:role/notify"
  filename      = "app.zip"
  environment {
    variables = {
      EMAIL_HOST    = "SERVER"
      EMAIL_USE_TLS = "False"
      EXTRA
    }
  }
}
"""
    text = "".join(
        lambda_.replace("NAME", name).replace("SERVER", host).replace("EXTRA", extra)
        for name, host, extra in (
            ("clear", "smtp.kcmo.gov", ""),
            ("ssl", "smtp.kcmo.gov", 'EMAIL_USE_SSL = "true"'),
            ("relay", "localhost", ""),
        )
    )
    result = scan({"main.tf": text}, select=["DH212"])
    assert [(f.location.start_line, f.message) for f in result.active] == [
        (
            10,
            "'EMAIL_USE_TLS' of aws_lambda_function 'aws_lambda_function.clear' turns off TLS "
            "or its verification (EMAIL_USE_TLS=False)",
        )
    ]


def test_dh212_reads_the_settings_dh241_reads():
    """DH212 judges a Terraform workload's environment as DH241 judges a Kubernetes one's."""
    from dhlint.catalog import load_catalog

    rules = {r.id: r for r in load_catalog()}
    for key in ("patterns", "settings"):
        assert rules["DH212"].params[key] == rules["DH241"].params[key], key
    assert rules["DH212"].params["environments"] == rules["DH210"].params["environments"]


def test_dh305_judges_gcp_log_buckets_that_hold_audit_logs(scan):
    """probe39 #11: an application's log bucket (30 days, no sink routes audit logs to it)
    was said to keep 'audit records'. A GCP log bucket is an audit log when a sink routes
    audit logs (or every log) to it, by reference or by its id in the destination, when it is
    the project's _Default bucket, or when it is named as audit logs."""
    text = """resource "google_logging_project_bucket_config" "app" {
  project        = "p"
  location       = "global"
  bucket_id      = "hmis-app"
  retention_days = 30
}
resource "google_logging_project_sink" "app" {
  name        = "app"
  destination = "logging.googleapis.com/projects/p/locations/global/buckets/hmis-app"
  filter      = "resource.type=\\"cloud_run_revision\\""
}
resource "google_logging_project_bucket_config" "security" {
  project        = "p"
  location       = "global"
  bucket_id      = "hmis-security"
  retention_days = 30
}
resource "google_logging_project_sink" "security" {
  name        = "security"
  destination = "logging.googleapis.com/projects/p/locations/global/buckets/hmis-security"
  filter      = "logName:\\"cloudaudit.googleapis.com\\""
}
resource "google_logging_project_bucket_config" "everything" {
  project        = "p"
  location       = "global"
  bucket_id      = "hmis-all"
  retention_days = 30
}
resource "google_logging_organization_sink" "all" {
  name        = "all"
  org_id      = "123"
  destination = "logging.googleapis.com/${google_logging_project_bucket_config.everything.id}"
}
resource "google_logging_project_bucket_config" "default" {
  project        = "p"
  location       = "global"
  bucket_id      = "_Default"
  retention_days = 30
}
resource "google_logging_project_bucket_config" "named" {
  project        = "p"
  location       = "global"
  bucket_id      = "hmis-audit"
  retention_days = 30
}
"""
    result = scan({"main.tf": text}, select=["DH305"])
    assert sorted(f.anchor for f in result.active) == [
        "google_logging_project_bucket_config.default",
        "google_logging_project_bucket_config.everything",
        "google_logging_project_bucket_config.named",
        "google_logging_project_bucket_config.security",
    ]


def test_dh306_database_backups_kept_longer_than_the_maximum(scan):
    """probe39 #8 (min/08): Cloud SQL kept 3650 daily backups of personal data and no rule read
    it. Judged against the class's maximum (Cloud SQL: retained_backups, one a day; RDS and
    Aurora: backup_retention_period days); backups not enabled, the default and open data are
    not; a value from a variable is related to it."""
    text = """variable "keep" {
  default = 400
}
resource "google_sql_database_instance" "cases" {
  name             = "cases"
  database_version = "POSTGRES_15"
  settings {
    tier        = "db-custom-2-7680"
    user_labels = { data-classification = "personal" }
    backup_configuration {
      enabled = true
      backup_retention_settings {
        retained_backups = var.keep
        retention_unit   = "COUNT"
      }
    }
  }
}
resource "google_sql_database_instance" "off" {
  name             = "off"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-custom-2-7680"
    backup_configuration {
      enabled = false
      backup_retention_settings {
        retained_backups = 3650
      }
    }
  }
}
resource "google_sql_database_instance" "open" {
  name             = "open"
  database_version = "POSTGRES_15"
  settings {
    tier        = "db-custom-2-7680"
    user_labels = { data-classification = "public" }
    backup_configuration {
      backup_retention_settings {
        retained_backups = 3650
      }
    }
  }
}
resource "google_sql_database_instance" "plain" {
  name             = "plain"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-custom-2-7680"
  }
}
resource "aws_db_instance" "plates" {
  identifier              = "plates"
  engine                  = "postgres"
  instance_class          = "db.t3.medium"
  backup_retention_period = 35
  tags                    = { "data-classification" = "sensitive" }
}
resource "aws_rds_cluster" "trips" {
  cluster_identifier      = "trips"
  engine                  = "aurora-postgresql"
  backup_retention_period = 14
  tags                    = { "data-classification" = "sensitive" }
}
"""
    policy = {"retention": {"by_class": {"sensitive": 21}}}
    result = scan({"main.tf": text}, policy=policy, select=["DH306"])
    assert [(f.location.start_line, f.anchor) for f in result.active] == [
        (13, "google_sql_database_instance.cases"),
        (56, "aws_db_instance.plates"),
    ]
    cases = result.active[0]
    assert "keeps database backups for 400 days" in cases.message
    assert [(r.location.start_line, r.label) for r in cases.related] == [
        (2, "the value comes from the default of var.keep")
    ]


def test_a_glue_jobs_default_arguments_are_its_environment(scan):
    """probe40 P9 (min/09): a Glue job reads its default_arguments as its parameters
    (getResolvedOptions), as a Lambda function reads its environment: a vendor's URL there
    (DH605), a plain-text one (DH210) and a setting that turns TLS off (DH212) are judged as
    in a function's environment; an S3 path or a job option is not."""
    text = """resource "aws_glue_job" "clean" {
  name     = "clean"
  role_arn = "arn:aws:iam::123456789012:role/glue"
  command { script_location = "s3://b/clean_job.py" }
  default_arguments = {
    "--GEOCODER_URL" = "http://geo.mapvendor.example/v2/geocode"
    "--DB_URL"       = "postgresql://db.internal:5432/x?sslmode=disable"
    "--STATE_IIS"    = "https://iis.state.example/fhir"
    "--job-language" = "python"
    "--TempDir"      = "s3://b/tmp/"
  }
}
"""
    result = scan({"main.tf": text}, policy={"approved_vendors": ["iis.state.example"]})
    assert rule_ids(result) == [
        ("DH210", "main.tf", 6),
        ("DH605", "main.tf", 6),
        ("DH212", "main.tf", 7),
    ]


def test_dh601_lake_formation_grants_and_the_catalogs_resource_policy(scan):
    """probe40 P9 (min/09): a Lake Formation grant of SELECT on every table to a role of
    another account, and the Glue Data Catalog's resource policy allowing another account,
    share the catalog's data with that account: judged as DH601 judges a bucket policy."""
    text = """resource "aws_lakeformation_permissions" "pilot" {
  principal   = "arn:aws:iam::444455556666:role/outbreakiq-reader"
  permissions = ["SELECT"]
  table {
    database_name = "surveillance"
    wildcard      = true
  }
}
resource "aws_lakeformation_permissions" "own" {
  principal   = "arn:aws:iam::111122223333:role/epi-analyst"
  permissions = ["SELECT"]
  table {
    database_name = "surveillance"
    wildcard      = true
  }
}
resource "aws_lakeformation_permissions" "iam" {
  principal   = "IAM_ALLOWED_PRINCIPALS"
  permissions = ["ALL"]
  database {
    name = "surveillance"
  }
}
resource "aws_glue_resource_policy" "catalog" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::777788889999:root" },
      Action = "glue:GetTable", Resource = "*" }]
  })
}
"""
    result = scan({"main.tf": text}, policy={"approved_accounts": ["111122223333"]})
    assert rule_ids(result) == [("DH601", "main.tf", 2), ("DH601", "main.tf", 27)]
    assert [f.anchor for f in result.active] == [
        "aws_lakeformation_permissions.pilot@444455556666",
        "aws_glue_resource_policy.catalog@777788889999",
    ]


# Vendor keys in their published formats, built here (not written whole in the test source).
STRIPE = "sk_live_" + "51HxKc2eZvKYlo2CqT9wXa"
SENDGRID = "SG." + "aB3" * 7 + "c." + "dE4" * 14 + "f"
SLACK = "xoxb-" + "123456789012-abcdefghijKLMN"


def test_dh701_dh702_vendor_keys_in_their_own_format_whatever_the_name(scan):
    """h5/2: a vendor's key in its published format (Stripe sk_live_, SendGrid SG., Slack
    xoxb-...) was recognised in Python only (DH760): in Terraform it was a finding only under
    a credential's name, so PAYMENTS = "sk_live_..." in a Lambda's environment, an app
    setting, a container's environment pair or a provider's bot_token passed. The values are
    now judged by the test DH760 applies (dhlint.credentials.known_secret), whatever their
    names; a test key, AWS's documentation example, a key inside a sentence and tags are not."""
    tf = f"""\
variable "payments" {{
  type    = string
  default = "{STRIPE}"
}}
resource "aws_lambda_function" "pay" {{
  function_name = "kc-pay"
  role          = "arn:aws:iam::123456789012:role/x"
  environment {{
    variables = {{
      PAYMENTS = var.payments
      STRIPE_TEST = "sk_test_51HxKc2eZvKYlo2CqT9wXa"
      EXAMPLE = "AKIAIOSFODNN7EXAMPLE"
      HELP = "keys look like {STRIPE} in the dashboard"
    }}
  }}
  tags = {{ note = "{STRIPE}" }}
}}
resource "azurerm_linux_web_app" "mail" {{
  name                = "kc-mail"
  resource_group_name = "kc"
  location            = "centralus"
  service_plan_id     = "x"
  site_config {{}}
  app_settings = {{
    MAIL_PROVIDER = "{SENDGRID}"
  }}
}}
resource "aws_ecs_task_definition" "notify" {{
  family = "kc-notify"
  container_definitions = jsonencode([{{
    name        = "notify"
    image       = "notify:1"
    environment = [{{ name = "SLACK_HOOK", value = "{SLACK}" }}]
  }}])
}}
provider "slack" {{
  bot_token = "{SLACK}"
}}
"""
    result = scan({"main.tf": tf}, select=["DH701", "DH702"])
    assert [(f.rule_id, f.location.start_line, f.message) for f in result.active] == [
        (
            "DH701",
            10,
            "aws_lambda_function 'aws_lambda_function.pay' sets "
            "environment.variables.PAYMENTS to a Stripe live secret key",
        ),
        (
            "DH701",
            25,
            "azurerm_linux_web_app 'azurerm_linux_web_app.mail' sets "
            "app_settings.MAIL_PROVIDER to a SendGrid API key",
        ),
        (
            "DH701",
            30,
            "aws_ecs_task_definition 'aws_ecs_task_definition.notify' sets "
            "container_definitions (SLACK_HOOK) to a Slack token",
        ),
        ("DH702", 37, "Provider 'slack' sets bot_token to a literal credential"),
    ]
    lambda_hit = result.active[0]
    assert [(r.location.start_line, r.label) for r in lambda_hit.related] == [
        (3, "the value comes from the default of var.payments")
    ]


def test_redshift_cluster_naming_the_first_default_parameter_group(scan):
    """h5/1: a Redshift cluster naming AWS's default group of before 2025,
    default.redshift-1.0 (require_ssl false), was not judged: the name links to no
    aws_redshift_parameter_group. It is reported on the attribute. default.redshift-2.0
    (require_ssl true) and a cluster without a group (given default.redshift-2.0 when created
    since January 2025, default.redshift-1.0 before: the Terraform does not say) are not."""
    tf = """\
resource "aws_redshift_cluster" "old" {
  cluster_identifier           = "old"
  cluster_parameter_group_name = "default.redshift-1.0"
}
resource "aws_redshift_cluster" "new" {
  cluster_identifier           = "new"
  cluster_parameter_group_name = "default.redshift-2.0"
}
resource "aws_redshift_cluster" "bare" {
  cluster_identifier = "bare"
}
"""
    result = scan({"main.tf": tf}, select=["DH207"])
    assert [(f.location.start_line, f.location.start_col, f.message) for f in result.active] == [
        (
            3,
            3,
            "Database 'aws_redshift_cluster.old' accepts unencrypted connections: its parameter "
            "group is default.redshift-1.0, whose require_ssl is false",
        )
    ]


def test_a_rule_is_not_asked_of_a_model_without_the_types_it_judges(scan, monkeypatch):
    # values.detect and presence.detect find nothing in a model holding none of their checks'
    # types: the runner does not ask them there (units._detector_of); what they find is the
    # same.
    import functools

    from dhlint import units

    real = units.load_detector
    asked = []

    def load_detector(name):
        detect = real(name)

        @functools.wraps(detect)  # keeps what the detector says of itself
        def spy(model, ctx):
            asked.append((ctx.rule.id, model.directory))
            return detect(model, ctx)

        return spy

    monkeypatch.setattr(units, "load_detector", load_detector)
    monkeypatch.setattr(units, "_DETECTORS", {})
    db = 'resource "aws_db_instance" "d" {\n  publicly_accessible = true\n}\n'
    logs = 'resource "aws_cloudwatch_log_group" "g" {\n  retention_in_days = 400\n}\n'
    bucket = 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'
    result = scan(
        {"db/main.tf": db, "logs/main.tf": logs, "bucket/main.tf": bucket},
        select=["DH403", "DH901"],  # values (databases), presence (a bucket's access logs)
    )
    assert sorted(asked) == [("DH403", "db"), ("DH901", "bucket")]
    found = sorted((f.rule_id, f.location.path) for f in result.active)
    assert found == [("DH403", "db/main.tf"), ("DH901", "bucket/main.tf")]


JUDGED_BY_TYPE = {  # rule -> the types its detector says it judges (beyond values' rules)
    "DH101": {"aws_s3_bucket"},
    "DH102": {"aws_s3_bucket"},
    "DH202": {"aws_s3_bucket"},
    "DH207": {"aws_db_instance", "aws_rds_cluster", "aws_redshift_cluster"},
    "DH402": {"aws_s3_bucket"},
    "DH602": {"aws_s3_bucket", "aws_s3_bucket_replication_configuration"},
}


def test_detectors_that_judge_resources_of_some_types_say_them():
    """A unit holding none of these types does not ask the rule (``units._checks_for``)."""
    from dhlint.units import _detector_of

    policy = default_policy()
    rules = {r.id: r for r in load_catalog()}
    for rule_id, expected in JUDGED_BY_TYPE.items():
        judged = _detector_of(rules[rule_id], Context(rule=rules[rule_id], policy=policy))[1]
        assert judged == expected, rule_id
    for rule_id in ("DH301", "DH302", "DH303", "DH304", "DH306", "DH404", "DH801", "DH802"):
        rule = rules[rule_id]
        assert _detector_of(rule, Context(rule=rule, policy=policy))[1], rule_id


def test_a_detector_finds_nothing_in_a_model_holding_none_of_the_types_it_judges():
    """Every Terraform rule whose detector says its types, run on the models of every rule's
    Terraform examples (bad and good): where the model holds none of them, no finding."""
    from dhlint.units import _detector_of, detector_language

    policy = default_policy()
    rules = [r for r in load_catalog() if detector_language(r) == "terraform"]
    models = []
    for rule in rules:
        for example in (*rule.bad, *rule.good):
            tf = {n: t for n, t in example.files.items() if n.endswith((".tf", ".tfvars"))}
            if tf:
                models += build(tf).models
    judging = []
    for rule in rules:
        ctx = Context(rule=rule, policy=policy)
        detect, judged = _detector_of(rule, ctx)
        if judged is not None:
            judging.append((rule.id, detect, ctx, judged))
    assert len(judging) > 50 and len(models) > 200
    asked = 0
    for model in models:
        for rule_id, detect, ctx, judged in judging:
            if model.types().isdisjoint(judged):
                asked += 1
                assert list(detect(model, ctx)) == [], (rule_id, model.directory)
    assert asked > 10_000
