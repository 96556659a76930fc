"""ESC/POS tickets and receipts, printer connections and the remote print agent; no Flask."""
import os
from pathlib import Path

# python-escpos pickles its capability data into a fresh temporary folder on every
# import unless told where; keep one cache folder instead of littering /tmp.
if "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ:
    _cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "queue-server-escpos"
    try:
        _cache.mkdir(parents=True, exist_ok=True)
        os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(_cache)
    except OSError:
        pass
