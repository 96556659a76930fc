"""Join an announcement's clips into one cached WAV file."""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from sounds.text import Announcement
from sounds.vocabulary import PAUSE_MILLISECONDS
from sounds.wav import Clip, read_clip, scale, silence, write_clip

# Bump when the composed audio changes for the same clips, to retire old cache files.
CACHE_VERSION = 1
FILE_PREFIX = "call-"
DIGEST_LENGTH = 20
# What file_name_for() returns; check names taken from a URL against it.
CALL_FILE_PATTERN = re.compile(rf"^{FILE_PREFIX}[0-9a-f]{{{DIGEST_LENGTH}}}\.wav$")


class MissingClipsError(LookupError):
    """Some clip keys have no WAV file."""

    def __init__(self, keys: list[str]) -> None:
        super().__init__(f"no clip file for: {', '.join(keys)}")
        self.keys = keys


class AudioComposer:
    """Resolve clip keys to files and join them, caching each result by its content."""

    def __init__(self, clips_dir: Path, cache_dir: Path, *, fallback_dir: Path | None = None,
                 stat_ttl: float = 0.0) -> None:
        """Read "<lang>/<name>" keys from a clips root; `fallback_dir` fills its gaps."""
        self._root = Path(clips_dir)
        self._fallback = Path(fallback_dir) if fallback_dir else None
        self.cache_dir = Path(cache_dir)
        self._loaded: dict[tuple[Path, int, float], Clip] = {}
        self._lock = threading.Lock()
        # A server names every call's file: looking each clip up on disk each time
        # costs ~40 stat calls a call, so a server may trust what it saw for a while.
        self._stat_ttl = stat_ttl
        self._signatures: dict[str, tuple[float, list[object]]] = {}

    def clip_path(self, key: str) -> Path | None:
        """Return the WAV file a clip key plays, or None when there is none."""
        candidates = [self._root / f"{key}.wav"]
        if self._fallback is not None:
            candidates.append(self._fallback / f"{key}.wav")
        return next((path for path in candidates if path.is_file()), None)

    def missing_clips(self, keys: Iterable[str]) -> list[str]:
        """Return the keys, in order and once each, that have no clip file."""
        missing: dict[str, None] = {}
        for key in keys:
            if key not in PAUSE_MILLISECONDS and self.clip_path(key) is None:
                missing[key] = None
        return list(missing)

    def file_name_for(self, announcement: Announcement, volume: float = 1.0) -> str:
        """Return the cache file name compose() writes, without composing."""
        parts: list[object] = [CACHE_VERSION, round(volume, 3)]
        for key in announcement.clips:
            if key in PAUSE_MILLISECONDS:
                parts.append([key, PAUSE_MILLISECONDS[key]])
                continue
            parts.append(self._signature(key))
        digest = hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:DIGEST_LENGTH]
        return f"{FILE_PREFIX}{digest}.wav"

    def _signature(self, key: str) -> list[object]:
        """The clip's path, size and time: a rebuilt clip gives the call a new name."""
        now = time.monotonic()
        seen = self._signatures.get(key)
        if seen is not None and now - seen[0] < self._stat_ttl:
            return seen[1]
        path = self.clip_path(key)
        stat = path.stat() if path is not None else None
        signature = [key, str(path), stat and stat.st_size, stat and stat.st_mtime_ns]
        if self._stat_ttl > 0:
            self._signatures[key] = (now, signature)
        return signature

    def cached_file(self, name: str) -> Path | None:
        """Return a composed file by name, refusing names compose() would never write."""
        if not CALL_FILE_PATTERN.fullmatch(name):
            return None
        path = self.cache_dir / name
        return path if path.is_file() else None

    def compose(self, announcement: Announcement, volume: float = 1.0) -> Path:
        """Return the path of the announcement's WAV, writing it on first use."""
        target = self.cache_dir / self.file_name_for(announcement, volume)
        if target.is_file():
            return target
        missing = self.missing_clips(announcement.clips)
        if missing:
            raise MissingClipsError(missing)
        pieces = [silence(PAUSE_MILLISECONDS[key]) if key in PAUSE_MILLISECONDS
                  else self._load(key, volume).frames for key in announcement.clips]
        # Concurrent callers each write their own temporary file; the rename is atomic.
        return write_clip(target, b"".join(pieces))

    def clip_frames(self, key: str) -> int:
        """Return the frame count a key adds to a composed file."""
        if key in PAUSE_MILLISECONDS:
            return len(silence(PAUSE_MILLISECONDS[key])) // 2
        return self._load(key).frame_count

    def prune(self, keep: int = 500) -> int:
        """Delete all but the `keep` most recently used call files; return how many went."""
        files = sorted(self.cache_dir.glob(f"{FILE_PREFIX}*.wav"),
                       key=lambda path: path.stat().st_mtime, reverse=True)
        for path in files[keep:]:
            path.unlink(missing_ok=True)
        return max(0, len(files) - keep)

    def _load(self, key: str, volume: float = 1.0) -> Clip:
        """Read and scale a clip once, keeping it in memory until its file changes."""
        path = self.clip_path(key)
        if path is None:
            raise MissingClipsError([key])
        # Scaling in pure Python is slow: do it once per clip, not once per call.
        cache_key = (path, os.stat(path).st_mtime_ns, volume)
        with self._lock:
            clip = self._loaded.get(cache_key)
        if clip is None:
            clip = Clip(scale(read_clip(path).frames, volume))
            with self._lock:
                self._loaded[cache_key] = clip
        return clip
