"""Browser protections: no login or logout from another site, a Content-Security-Policy
and the framing, sniffing and referrer headers on every response, Secure cookies on
request, and every page still working under the policy in a real Chromium."""
from __future__ import annotations

import re

import pytest

from .support import PASSWORD

GOOD = {"username": "officer", "password": PASSWORD}
EVIL = "https://evil.example"


def form_token(client, path: str = "/login") -> str:
    page = client.get(path, follow_redirects=True).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def logged_in(client) -> bool:
    return client.get("/api/v1/me").status_code == 200


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/login", "/api/v1/display/state", "/display",
                                  "/static/staff.js", "/nope", "/api/v1/nope", "/resepsionis"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    policy = directives(response)
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["default-src"] == "default-src 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"]
    assert "'unsafe-eval'" not in policy["script-src"]


def test_an_inline_script_in_a_template_runs_by_its_hash_only(client):
    policy = directives(client.get("/login"))["script-src"]
    assert re.fullmatch(r"script-src 'self'( 'sha256-[A-Za-z0-9+/]+=*')*", policy), policy


def test_a_login_posted_from_another_site_is_refused(client, users):
    for headers in ({"Origin": EVIL}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Referer": EVIL + "/trap.html"}):
        response = client.post("/login", data={**GOOD, "csrf_token": form_token(client)},
                               headers=headers)
        assert response.status_code == 403, headers
        assert not logged_in(client), headers


def test_a_browser_login_needs_the_forms_token(client, users):
    origin = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    assert client.post("/login", data=GOOD, headers=origin).status_code == 403
    assert client.post("/login", data={**GOOD, "csrf_token": "guess"},
                       headers=origin).status_code == 403
    assert not logged_in(client)
    ok = client.post("/login", data={**GOOD, "csrf_token": form_token(client)},
                     headers=origin)
    assert ok.status_code == 302 and logged_in(client)


def test_public_url_counts_as_this_site(client, users, services):
    public = services.config.public_url  # what staff type, behind a proxy that sets Host
    ok = client.post("/login", data={**GOOD, "csrf_token": form_token(client)},
                     headers={"Origin": public})
    assert ok.status_code == 302 and logged_in(client)


def test_a_logout_posted_from_another_site_is_refused(client, users):
    client.post("/login", data=GOOD)
    token = form_token(client, "/loket")
    refused = client.post("/logout", data={"csrf_token": token}, headers={"Origin": EVIL})
    assert refused.status_code == 403 and logged_in(client)
    stale = client.post("/logout", data={"csrf_token": "old"},
                        headers={"Origin": "http://localhost"})
    assert stale.status_code == 403 and logged_in(client)
    done = client.post("/logout", data={"csrf_token": token},
                       headers={"Origin": "http://localhost"})
    assert done.status_code == 302 and not logged_in(client)


def test_the_login_and_logout_forms_carry_the_token(client, users):
    assert 'name="csrf_token"' in client.get("/login").get_data(as_text=True)
    client.post("/login", data=GOOD)
    page = client.get("/loket", follow_redirects=True).get_data(as_text=True)
    logout_form = re.search(r'<form class="logout".*?</form>', page, re.DOTALL).group(0)
    assert 'name="csrf_token"' in logout_form


def session_cookie(response) -> str:
    return next(value for value in response.headers.getlist("Set-Cookie")
                if value.startswith("session="))


def test_cookies_are_httponly_and_lax_and_not_secure_by_default(client, users):
    cookie = session_cookie(client.post("/login", data=GOOD))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


@pytest.mark.parametrize("config_overrides", [{"security": {"cookie_secure": True}}])
def test_cookie_secure_marks_the_cookie_secure(client, users):
    cookie = session_cookie(client.post("/login", data=GOOD,
                                        base_url="https://localhost"))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("value", ["yes", 1])
def test_a_bad_cookie_secure_names_the_key(tmp_path, value):
    from queue_server.app import parse_config
    from queue_server.platform.config_values import ConfigError

    from .support import config_data
    data = config_data("sqlite://", tmp_path / "instance", security={"cookie_secure": value})
    with pytest.raises(ConfigError, match=r"^security\.cookie_secure: "):
        parse_config(data, tmp_path / "config.yaml")


PAGES = ["/admin", "/resepsionis", "/loket", "/loket/1", "/keamanan", "/buku-tamu",
         "/layanan", "/ppid", "/survei", "/prosedur", "/display"]
VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation",
  (event) => window.cspViolations.push(event.violatedDirective + " " + event.blockedURI));
"""


def test_every_page_works_under_the_policy_in_a_browser(browser, live_server):
    # The visit timeline too, with its live connection.
    visit = live_server.api("POST", "/visits", live_server.token("receptionist"),
                            json={"aids": ["kursi_roda"]}).json()
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    context.add_init_script(VIOLATIONS)
    console: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda message: console.append(message.text))
        page.goto("/login")
        # The real form: the browser sends Origin and the hidden token.
        page.fill("#username", "admin")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile("/admin$"))
        for path in [*PAGES, f"/kunjungan/{visit['id']}"]:
            page.goto(path)
            page.wait_for_load_state("load")
            page.wait_for_timeout(300)  # what the scripts do after loading counts too
            assert page.evaluate("window.cspViolations") == [], path
        assert [text for text in console if "Content Security Policy" in text] == []
        page.goto("/admin")
        page.locator("form.logout button").click()
        page.wait_for_url(re.compile("/login$"))
        assert context.request.get("/api/v1/me").status == 401
    finally:
        context.close()
