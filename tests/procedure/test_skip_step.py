"""A step marked not needed (the visitor came in alone and declined an escort)."""
from __future__ import annotations

import pytest

from queue_server.platform.config import ConfigError
from queue_server.procedure.settings import parse_procedure

from ..support import office_data
from .conftest import GUEST, ok, step

REASON = "Datang didampingi keluarga atau pendamping"


def arrival(call) -> int:
    return ok(call("receptionist", "POST", "/visits", json={"aids": []}), 201)["id"]


def skip(call, role: str, visit_id: int, key: str = "escort_in", **body):
    return call(role, "POST", f"/visits/{visit_id}/steps/{key}/skip", json=body)


def test_reception_marks_the_escort_not_needed_and_fills_the_guest_book(call, clock):
    visit_id = arrival(call)
    [escort] = ok(call("security", "GET", "/escorts"))["escorts"]
    assert escort["visit_id"] == visit_id
    # Late on purpose: a step that was not needed is no deviation.
    clock.advance(minutes=9)
    visit = ok(skip(call, "receptionist", visit_id, reason=REASON))
    assert visit["step"]["key"] == "guest_book"
    # Security's phone no longer shows the call.
    assert ok(call("security", "GET", "/escorts"))["escorts"] == []
    ok(step(call, "receptionist", visit_id, "guest_book", guest=GUEST, service="INFO"))

    timeline = ok(call("admin", "GET", f"/visits/{visit_id}"))
    escort_in = timeline["steps"][1]
    assert escort_in["details"]["skipped"] is True
    assert escort_in["details"]["skip_reason"] == REASON
    assert escort_in["completed_by"] == "Petugas receptionist" and escort_in["ended_at"]
    assert escort_in["deviation"] is None and timeline["deviation_count"] == 0
    assert ok(call("admin", "GET", "/deviations"))["deviations"] == []


def test_security_may_mark_it_too(call):
    visit_id = arrival(call)
    assert ok(skip(call, "security", visit_id, reason="Menolak didampingi"))["step"]["key"] \
        == "guest_book"


def test_skipping_needs_a_reason_the_right_role_and_the_current_step(call):
    visit_id = arrival(call)
    response = skip(call, "receptionist", visit_id, reason="   ")
    assert response.status_code == 422 and "reason" in response.json["error"]["message"]
    response = skip(call, "officer", visit_id, reason=REASON)
    assert response.status_code == 403 and "receptionist, security" in \
        response.json["error"]["message"]
    # A step that lists no skip_by cannot be skipped, and the guest book comes later.
    response = skip(call, "receptionist", visit_id, key="guest_book", reason=REASON)
    assert response.status_code == 403 and "nobody" in response.json["error"]["message"]
    ok(skip(call, "receptionist", visit_id, reason=REASON))
    response = skip(call, "receptionist", visit_id, reason=REASON)
    assert response.status_code == 409 and "already done" in response.json["error"]["message"]
    assert ok(call("receptionist", "GET", f"/visits/{visit_id}"))["visit"]["position"] == 3


def test_skip_by_is_checked_and_named():
    section = office_data()["procedure"]
    steps = section["steps"]
    assert [s.key for s in parse_procedure(section).steps if s.skip_by] == ["escort_in"]
    bad_role = [*steps[:1], {**steps[1], "skip_by": ["visitor"]}, *steps[2:]]
    with pytest.raises(ConfigError, match=r"^procedure\.steps\[1\]\.skip_by\[0\]: must be one"):
        parse_procedure({**section, "steps": bad_role})
    records = [*steps[:2], {**steps[2], "skip_by": ["receptionist"]}, *steps[3:]]
    with pytest.raises(ConfigError, match=r"^procedure\.steps\[2\]\.skip_by: a step that writes"):
        parse_procedure({**section, "steps": records})
