"""The API document is the truth: schemathesis checks every operation against it.

A seeded, bounded run over every operation, as admin, against a real `queue-server run`:
no 5xx, no response that breaks its schema, no undocumented status code or content type,
schema-valid requests not rejected, schema-breaking requests not accepted, 405 with Allow.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SEEDS = (1,)
EXAMPLES = 60
PROCEDURE = r"/api/v1/(visits|requests|objections|escorts|deviations|procedure|guests|data-subjects)"
HALVES = {"procedure": ["--include-path-regex", PROCEDURE],
          "queue-reports-and-the-rest": ["--exclude-path-regex", PROCEDURE]}
CONFIG = """
[[operations]]
include-path-regex = "/api/v1/reports/"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "422"]
"""
"""A report's period is two dates the schema cannot relate (to before from, more than 366
days): a schema-valid pair may rightly get 422 (tests/reports test each case)."""
"""The operations in two halves of about equal run time, so the suite's two workers can each
take one (a single run took 150-180 s of the suite's critical path). Each half is a
separate server, so one half's writes never meet the other's."""


@pytest.mark.timeout(420)
@pytest.mark.parametrize("half", sorted(HALVES))
@pytest.mark.parametrize("seed", SEEDS)
def test_every_operation_keeps_to_the_openapi_document(live_server, tmp_path, seed, half):
    token = live_server.token("admin")
    executable = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert executable, "schemathesis is a test dependency (pyproject [test])"
    (tmp_path / "schemathesis.toml").write_text(CONFIG)
    run = subprocess.run(
        [executable, "--config-file", str(tmp_path / "schemathesis.toml"), "run", f"{live_server.url}/api/v1/openapi.json",
         "--header", f"Authorization: Bearer {token}", "--checks", "all",
         "--max-examples", str(EXAMPLES), "--seed", str(seed), "--max-failures", "50",
         "--request-timeout", "10", "--generation-database", "none", *HALVES[half]],
        capture_output=True, text=True, timeout=400, cwd=tmp_path)
    report = run.stdout + run.stderr
    assert run.returncode == 0, report[-12000:]
    assert "No issues found" in report or " passed" in report, report[-3000:]
    # The filter matched something: a renamed path must not silently empty a half.
    selected = re.search(r"Operations:\s+(\d+) selected", report)
    assert selected and int(selected.group(1)) > 0, report[-3000:]
