"""Browser protections: cross-site form posts refused, security headers on every response,
the client address behind trusted reverse proxies."""
from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from queue_server.platform.errors import DomainError
from queue_server.web.requests import csrf_matches, services

CSRF_FIELD = "csrf_token"
"""The hidden input of the login and logout forms."""
POLICY = ("default-src 'self'; script-src 'self'{scripts}; style-src 'self'; "
          "img-src 'self' data:; media-src 'self' blob:; connect-src 'self' ws: wss:; "
          "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
          "frame-ancestors 'none'")
"""Pages use only same-origin scripts and style sheets, a JSON data block, data: icons,
audio made in the page (blob:) and the Socket.IO connection back to the server."""
HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def inline_script_hashes(app: Flask) -> tuple[str, ...]:
    """CSP sources for the inline <script> blocks written in the app's templates.

    A block without Jinja inside renders exactly as written, so its SHA-256 lets it run
    while any script injected into a page does not. Better still: move it to /static.
    """
    hashes = []
    for name in app.jinja_env.list_templates(extensions=["html"]):
        source = app.jinja_env.loader.get_source(app.jinja_env, name)[0]
        for body in INLINE_SCRIPT.findall(source.replace("\r\n", "\n")):
            if "{{" in body or "{%" in body:
                continue  # rendered differently each time: it cannot run under the policy
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            hashes.append(f"'sha256-{digest}'")
    return tuple(sorted(set(hashes)))


def content_security_policy(app: Flask) -> str:
    policy = app.extensions.get("content_security_policy")
    if policy is None:
        scripts = "".join(" " + source for source in inline_script_hashes(app))
        policy = app.extensions["content_security_policy"] = POLICY.format(scripts=scripts)
    return policy


def security_headers(response: Response) -> Response:
    """After every request: the CSP and the framing, sniffing and referrer headers. A route
    that needs something else (the print preview shown in a frame) sets its own."""
    response.headers.setdefault("Content-Security-Policy",
                                content_security_policy(current_app))
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def behind_proxies(app: Flask, count: int) -> None:
    """Believe X-Forwarded-For, -Proto and -Host from `count` reverse proxies only; with 0
    they are ignored and the client is the peer address. Wraps the Socket.IO middleware
    too, so sockets see the same client address."""
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def own_hosts() -> set[str]:
    """The host[:port] this server answers as: the request's, and office.public_url's."""
    hosts = {request.host.lower()}
    public = urlsplit(services().config.public_url).netloc.lower()
    if public:
        hosts.add(public)
    return hosts


def cross_site() -> bool:
    """Whether the browser says the post comes from another site."""
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if origin is None:
        referrer = request.headers.get("Referer")
        if not referrer:
            return False
        origin = referrer
    return urlsplit(origin).netloc.lower() not in own_hosts()  # "null" too


def check_form_post() -> None:
    """Refuse a login or logout posted from another site (login and logout CSRF).

    Browsers send Origin with every POST (Sec-Fetch-Site in the newer ones): a post from
    another origin is refused, and a post from a browser must carry the form's hidden
    token. A client without either header (a script, curl) is no browser to be tricked.
    """
    if cross_site():
        raise DomainError(403, "csrf", "This form was sent from another site")
    from_browser = "Origin" in request.headers or "Sec-Fetch-Site" in request.headers
    if from_browser and not csrf_matches(request.form.get(CSRF_FIELD)):
        raise DomainError(403, "csrf", "The form has expired; reload the page and try again")
