"""axe-core (tests/vendor/axe-core, vendored) run inside the page by Chromium itself."""
from __future__ import annotations

from functools import cache
from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
RUN = """
async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.html.slice(0, 160))}));
}
"""


@cache
def source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """Every axe-core violation on the page once its animations have ended (a screen fading
    in has too little contrast for a moment: under load axe caught the kiosk's result screen
    at opacity 0.5). The script goes in through the DevTools protocol, which the pages'
    Content-Security-Policy does not restrict."""
    page.wait_for_function("() => document.getAnimations().every("
                           "a => a.playState !== 'running' || a.effect?.getTiming().iterations"
                           " === Infinity)", timeout=5_000)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source())
    return page.evaluate(RUN)
