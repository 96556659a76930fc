"""Browser fixtures: one Chromium per session, a fresh context per page."""
from __future__ import annotations

import pytest

from ..support import PASSWORD

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def open_page(browser, live_server):
    """open_page(role=None, path=None, viewport=DESKTOP, javascript=True): a page in its own
    cookie jar (javascript=False: as the page is before its scripts have run)."""
    contexts = []

    def open_(role: str | None = None, path: str | None = None, viewport: dict = DESKTOP,
              javascript: bool = True):
        context = browser.new_context(viewport=viewport, base_url=live_server.url,
                                      java_script_enabled=javascript)
        context.set_default_timeout(10_000)
        contexts.append(context)
        if role:
            response = context.request.post("/login", form={"username": role,
                                                            "password": PASSWORD})
            assert response.ok, response.status
        page = context.new_page()
        if path:
            page.goto(path)
        return page

    yield open_
    for context in contexts:
        context.close()
