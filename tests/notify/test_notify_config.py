"""The notify section is checked at start-up; each error names its key."""
from __future__ import annotations

import pytest

from queue_server.app import parse_config
from queue_server.notify.gateway import HttpGateway, Outgoing, render_body
from queue_server.notify.settings import GatewaySettings
from queue_server.platform.config_values import ConfigError

from ..support import OFFICE, office_data
from .conftest import notify_section


def parse(section: dict, environ: dict | None = None):
    data = office_data()
    data["notify"] = section
    return parse_config(data, OFFICE, environ=environ or {})


def test_messages_are_off_by_default_and_need_nothing():
    data = office_data()
    data.pop("notify", None)
    settings = parse_config(data, OFFICE, environ={}).notify
    assert settings.enabled is False and settings.ahead_threshold == 3


@pytest.mark.parametrize("change,key", [
    ({"gateway": {"url": None}}, "notify.gateway.url"),
    ({"gateway": {"url": "ftp://gateway/send"}}, "notify.gateway.url"),
    ({"gateway": {"url": "http://gateway/send?to={phone}"}}, "notify.gateway.url"),
    ({"gateway": {"method": "GET"}}, "notify.gateway.method"),
    ({"gateway": {"content_type": "application/xml"}}, "notify.gateway.content_type"),
    ({"gateway": {"body": '{"to": "{phone}"}'}}, "notify.gateway.body"),
    ({"gateway": {"body": '{"to": {phone}, "text": "{message}"}'}}, "notify.gateway.body"),
    ({"gateway": {"timeout_seconds": 0}}, "notify.gateway.timeout_seconds"),
    ({"gateway": {"auth_header": "X-Api-Key"}}, "notify.gateway.auth_env"),
    ({"gateway": {"auth_header": "X-Api-Key", "auth_env": "NOT_SET"}},
     "notify.gateway.auth_env"),
    ({"ahead_threshold": 0}, "notify.ahead_threshold"),
    ({"max_attempts": "many"}, "notify.max_attempts"),
    ({"enabled": "ya"}, "notify.enabled"),
    ({"messages": {"called": {"id": "Nomor {nomor}"}}}, "notify.messages.called.id"),
])
def test_a_wrong_value_names_its_key(change, key):
    section = notify_section()
    for name, value in change.items():
        section[name] = {**section[name], **value} if isinstance(value, dict) \
            and isinstance(section.get(name), dict) else value
    with pytest.raises(ConfigError) as error:
        parse(section)
    assert error.value.key == key


def test_a_misspelt_key_is_refused():
    section = notify_section()
    section["ahead_treshold"] = 2
    with pytest.raises(ConfigError, match="did you mean notify.ahead_threshold"):
        parse(section)


def test_the_auth_value_comes_from_the_environment_and_stays_out_of_repr():
    settings = parse(notify_section(gateway={"auth_header": "Authorization",
                                             "auth_env": "GATEWAY_TOKEN"}),
                     {"GATEWAY_TOKEN": "Bearer rahasia"}).notify
    assert settings.gateway.auth_value == "Bearer rahasia"
    assert "rahasia" not in repr(settings)
    headers = HttpGateway(settings.gateway).headers(Outgoing(1, "k1", "+628", "x"))
    assert headers["Authorization"] == "Bearer rahasia" and headers["Idempotency-Key"] == "k1"


def test_the_body_is_escaped_for_its_content_type():
    message = Outgoing(1, "k", "+6281234567890", 'Nomor antrean A-001: "Loket 2" & 3')
    json_body = render_body(GatewaySettings(body='{"to": "{phone}", "text": "{message}"}'),
                            message)
    assert json_body == ('{"to": "+6281234567890", '
                         '"text": "Nomor antrean A-001: \\"Loket 2\\" & 3"}')
    form = render_body(GatewaySettings(content_type="application/x-www-form-urlencoded",
                                       body="phone={phone}&msg={message}&id={key}"), message)
    assert form == ("phone=%2B6281234567890&msg=Nomor+antrean+A-001%3A+%22Loket+2%22+%26+3"
                    "&id=k")
