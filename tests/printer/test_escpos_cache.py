"""python-escpos writes its capability pickle in place on first import, so processes that
import it together can read half a file (EOFError). printer.prime_escpos_cache writes it
whole first; escpos then only reads it."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys

from printer import ESCPOS_CACHE_VARIABLE, prime_escpos_cache

IMPORT = ("import os, escpos.capabilities as c; "
          "print(c.pickle_path, os.path.getmtime(c.pickle_path), len(c.CAPABILITIES['profiles']))")


def test_the_pickle_is_written_whole_and_escpos_only_reads_it(tmp_path):
    target = prime_escpos_cache({ESCPOS_CACHE_VARIABLE: str(tmp_path)})
    assert target is not None and target.parent == tmp_path
    written = target.stat().st_mtime
    profiles = pickle.loads(target.read_bytes())["profiles"]
    assert "default" in profiles and len(profiles) > 10
    assert list(tmp_path.iterdir()) == [target]  # no partial file left behind

    env = dict(os.environ, **{ESCPOS_CACHE_VARIABLE: str(tmp_path)})
    runs = [subprocess.Popen([sys.executable, "-c", IMPORT], env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(4)]
    for run in runs:
        out, err = run.communicate(timeout=60)
        assert run.returncode == 0, err
        path, mtime, count = out.split()
        assert path == str(target) and int(count) == len(profiles)
        assert float(mtime) == written  # read, never written again


def test_no_folder_means_nothing_to_prime():
    assert prime_escpos_cache({}) is None
