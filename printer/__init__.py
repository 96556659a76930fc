"""ESC/POS tickets and receipts, printer connections and the remote print agent; no Flask."""
from __future__ import annotations

import os
from pathlib import Path

ESCPOS_CACHE_VARIABLE = "ESCPOS_CAPABILITIES_PICKLE_DIR"


def escpos_cache_environment(environ: dict | None = None) -> dict[str, str]:
    """The environment entry that gives python-escpos one capability cache folder.

    python-escpos pickles its capability data into a fresh temporary folder on every
    import unless the variable names a folder. An entry point (the `queue-server`
    command) applies this before anything imports escpos; a library import changes
    nothing in the process environment.
    """
    environ = os.environ if environ is None else environ
    if ESCPOS_CACHE_VARIABLE in environ:
        return {}
    cache = Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "queue-server-escpos"
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        return {}
    return {ESCPOS_CACHE_VARIABLE: str(cache)}
