"""Join an announcement's clips into one cached MP3 file, by joining their frames.

A clip is `<lang>/<name>.mp3` (what `sounds.build` writes and the package ships) or
`<lang>/<name>.wav` (an office's own recording, 22050 Hz mono 16-bit): a WAV is encoded
once, when first loaded, and kept in memory. In one folder the newer of the two wins.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from sounds import mp3
from sounds.text import Announcement
from sounds.vocabulary import PAUSE_MILLISECONDS
from sounds.wav import read_clip

# Bump when the composed audio changes for the same clips, to retire old cache files.
CACHE_VERSION = 2
FILE_PREFIX = "call-"
DIGEST_LENGTH = 20
# What file_name_for() returns; check names taken from a URL against it.
CALL_FILE_PATTERN = re.compile(rf"^{FILE_PREFIX}[0-9a-f]{{{DIGEST_LENGTH}}}\.mp3$")


class MissingClipsError(LookupError):
    """Some clip keys have no clip file."""

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
        self._loaded: dict[tuple[Path, int], bytes] = {}
        self._lock = threading.Lock()
        # A server names every call's file: looking each clip up on disk each time
        # costs ~40 stat calls a call, so a server may trust what it saw for a while.
        self._stat_ttl = stat_ttl
        self._resolved: dict[str, tuple[float, tuple[Path, int, int] | None]] = {}

    def clip_path(self, key: str) -> Path | None:
        """Return the file a clip key plays, or None when there is none."""
        found = self._resolve(key)
        return found[0] if found else None

    def _resolve(self, key: str) -> tuple[Path, int, int] | None:
        """(path, mtime, size) of the clip a key plays: the instance folder first, and in
        a folder the newer of <key>.mp3 and <key>.wav."""
        now = time.monotonic()
        seen = self._resolved.get(key)
        if seen is not None and now - seen[0] < self._stat_ttl:
            return seen[1]
        found = None
        for folder in (self._root, self._fallback):
            if folder is None:
                continue
            candidates = []
            for path in (folder / f"{key}{mp3.SUFFIX}", folder / f"{key}.wav"):
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                if stat.S_ISREG(info.st_mode):
                    candidates.append((info.st_mtime_ns, info.st_size, path))
            if candidates:
                mtime, size, path = max(candidates)
                found = (path, mtime, size)
                break
        if self._stat_ttl > 0:
            self._resolved[key] = (now, found)
        return found

    def missing_clips(self, keys: Iterable[str]) -> list[str]:
        """Return the keys, in order and once each, that have no clip file."""
        missing: dict[str, None] = {}
        for key in keys:
            if key not in PAUSE_MILLISECONDS and self.clip_path(key) is None:
                missing[key] = None
        return list(missing)

    def file_name_for(self, announcement: Announcement) -> str:
        """Return the cache file name compose() writes, without composing."""
        parts: list[object] = [CACHE_VERSION]
        for key in announcement.clips:
            if key in PAUSE_MILLISECONDS:
                parts.append([key, PAUSE_MILLISECONDS[key]])
                continue
            parts.append(self._signature(key))
        digest = hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:DIGEST_LENGTH]
        return f"{FILE_PREFIX}{digest}{mp3.SUFFIX}"

    def _signature(self, key: str) -> list[object]:
        """The clip's path, size and time: a rebuilt clip gives the call a new name."""
        found = self._resolve(key)
        if found is None:
            return [key, "None", None, None]
        path, mtime, size = found
        return [key, str(path), size, mtime]

    def cached_file(self, name: str) -> Path | None:
        """Return a composed file by name, refusing names compose() would never write."""
        if not CALL_FILE_PATTERN.fullmatch(name):
            return None
        path = self.cache_dir / name
        return path if path.is_file() else None

    def compose(self, announcement: Announcement) -> Path:
        """Return the path of the announcement's MP3, writing it on first use.

        The TV applies display.audio.volume itself, so one file serves every volume.
        """
        target = self.cache_dir / self.file_name_for(announcement)
        if target.is_file():
            return target
        missing = self.missing_clips(announcement.clips)
        if missing:
            raise MissingClipsError(missing)
        # Concurrent callers each write their own temporary file; the rename is atomic.
        return mp3.write_file(target, b"".join(self.clip_bytes(key)
                                               for key in announcement.clips))

    def clip_bytes(self, key: str) -> bytes:
        """Return the MP3 frames a key adds to a composed file."""
        if key in PAUSE_MILLISECONDS:
            return mp3.silence(PAUSE_MILLISECONDS[key])
        return self._load(key)

    def prune(self, keep: int = 500) -> int:
        """Delete all but the `keep` most recently used call files; return how many went."""
        files = sorted(self.cache_dir.glob(f"{FILE_PREFIX}*{mp3.SUFFIX}"),
                       key=lambda path: path.stat().st_mtime, reverse=True)
        for path in files[keep:]:
            path.unlink(missing_ok=True)
        return max(0, len(files) - keep)

    def _load(self, key: str) -> bytes:
        """Read a clip's frames once, keeping them in memory until its file changes."""
        found = self._resolve(key)
        if found is None:
            raise MissingClipsError([key])
        path, mtime, _size = found
        cache_key = (path, mtime)
        with self._lock:
            frames = self._loaded.get(cache_key)
        if frames is None:
            if path.suffix == ".wav":  # an office's recording: encode it once, here
                frames = mp3.encode(read_clip(path).frames)
            else:
                frames = mp3.frames_of(path.read_bytes())
            with self._lock:
                self._loaded[cache_key] = frames
        return frames
