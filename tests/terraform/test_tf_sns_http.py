"""DH210: an SNS subscription with protocol http sends in clear text even when its endpoint is
known only at apply (s32 h7 #2)."""

from __future__ import annotations

from tests.conftest import rule_ids

_SUB = """variable "hook" {{}}
resource "aws_lb" "api" {{
  name = "api"
}}
resource "aws_sns_topic_subscription" "alerts" {{
  topic_arn = "arn:aws:sns:us-east-2:111122223333:kc-alerts"
  protocol  = {protocol}
  endpoint  = {endpoint}
}}
"""


def _dh210(scan, protocol, endpoint):
    text = _SUB.format(protocol=protocol, endpoint=endpoint)
    result = scan({"main.tf": text}, select=["DH210"])
    return [
        (line, f.message) for (_, _, line), f in zip(rule_ids(result), result.active, strict=True)
    ]


def test_an_http_subscription_whose_endpoint_is_known_only_at_apply(scan):
    for endpoint in ('"http://${aws_lb.api.dns_name}/hook"', "var.hook"):
        [(line, message)] = _dh210(scan, '"http"', endpoint)
        assert line == 8
        assert message.endswith("uses unencrypted http:// to 'an address known only at apply'")
    # https, or a protocol known only at apply: not judged
    assert _dh210(scan, '"https"', "var.hook") == []
    assert _dh210(scan, "var.hook", "var.hook") == []
    # a literal URL is judged by its own scheme and host, as before
    [(_, message)] = _dh210(scan, '"http"', '"http://alerts.kcmo.gov/hook"')
    assert message.endswith("to 'alerts.kcmo.gov'")
