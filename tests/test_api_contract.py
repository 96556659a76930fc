"""The API document is the truth: schemathesis checks every operation against it.

A seeded, bounded run over every operation, as admin, against a real `queue-server run`:
no 5xx, no response that breaks its schema, no undocumented status code or content type,
schema-valid requests not rejected, schema-breaking requests not accepted, 405 with Allow.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SEEDS = (1,)
EXAMPLES = 60


@pytest.mark.timeout(420)
@pytest.mark.parametrize("seed", SEEDS)
def test_every_operation_keeps_to_the_openapi_document(live_server, tmp_path, seed):
    token = live_server.token("admin")
    executable = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert executable, "schemathesis is a test dependency (pyproject [test])"
    run = subprocess.run(
        [executable, "run", f"{live_server.url}/api/v1/openapi.json",
         "--header", f"Authorization: Bearer {token}", "--checks", "all",
         "--max-examples", str(EXAMPLES), "--seed", str(seed), "--max-failures", "50",
         "--request-timeout", "10", "--generation-database", "none"],
        capture_output=True, text=True, timeout=400, cwd=tmp_path)
    report = run.stdout + run.stderr
    assert run.returncode == 0, report[-12000:]
    assert "No issues found" in report or " passed" in report, report[-3000:]
