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


def prime_escpos_cache(environ: dict | None = None) -> Path | None:
    """Write python-escpos's capability pickle into its cache folder once, atomically.

    python-escpos writes that pickle in place on its first import; a second process
    importing escpos at that moment reads half a file and fails (EOFError: seen when the
    test workers and server processes start together on a fresh machine). Written here
    through a temporary file and a rename, a reader sees no file or the whole file. Call
    it where the folder is chosen, before processes start; None when there is no folder.
    """
    import json
    import pickle
    import platform
    import tempfile
    from importlib import resources

    environ = os.environ if environ is None else environ
    folder = environ.get(ESCPOS_CACHE_VARIABLE)
    if not folder:
        return None
    target = Path(folder) / f"{platform.python_version()}.capabilities.pickle"
    source = resources.files("escpos") / "capabilities.json"
    with resources.as_file(source) as data:
        if target.exists() and target.stat().st_mtime >= data.stat().st_mtime:
            return target
        capabilities = json.loads(data.read_text(encoding="utf-8"))
    handle, partial = tempfile.mkstemp(dir=folder, suffix=".partial")
    with os.fdopen(handle, "wb") as out:
        pickle.dump(capabilities, out)
    os.replace(partial, target)
    return target
