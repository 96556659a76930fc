"""One visitor through all 10 steps by the API, with a hand-moved clock."""
from __future__ import annotations

from sqlalchemy import select

from queue_server.printing.models import PrintJob

from .conftest import GUEST, NIK_DIGITS, NIK_MASKED, REQUESTER, ok, step

CHECKLIST = {"Kartu identitas": True, "Formulir permohonan informasi": True,
             "Surat kuasa (bila diwakilkan)": False}


def refused(response, status: int, words: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert words in response.json["error"]["message"]


def test_whole_procedure_step_by_step(call, clock, services, user_ids, second_user):
    ppid2 = second_user("ppid", "ppid2")

    # 1. Arrives, states the purpose: reception records it; security is called.
    refused(call("officer", "POST", "/visits", json={"aids": []}), 403, "recorded by")
    visit = ok(call("receptionist", "POST", "/visits",
                    json={"aids": ["kursi_roda"], "note": "Di gerbang timur"}), 201)
    visit_id = visit["id"]
    assert visit["position"] == 2 and visit["step"]["key"] == "escort_in"

    # 2. Security escorts to the ULT: 7 min 13 s against 5 min.
    [escort] = ok(call("security", "GET", "/escorts"))["escorts"]
    assert escort["kind"] == "in" and escort["aids"] == ["kursi_roda"]
    refused(step(call, "receptionist", visit_id, "guest_book", guest=GUEST, service="INFO"),
            409, "Out of order")
    refused(step(call, "officer", visit_id, "escort_in"), 403, "security")
    clock.advance(minutes=1, seconds=2)
    ok(call("security", "POST", f"/escorts/{escort['id']}/acknowledge"))
    clock.advance(minutes=6, seconds=11)
    ok(call("security", "POST", f"/escorts/{escort['id']}/done",
            json={"place": "ult", "equipment": {"Kursi roda": True, "Payung": False}}))

    # 3. Guest book and priority ticket, inside the standard.
    refused(step(call, "security", visit_id, "guest_book", guest=GUEST, service="INFO"), 403,
            "receptionist")
    clock.advance(minutes=4)
    visit = ok(step(call, "receptionist", visit_id, "guest_book", guest=GUEST, service="INFO"))
    assert visit["ticket"] == "P-001"
    assert visit["guest"]["nik_masked"] == NIK_MASKED and "nik" not in visit["guest"]
    with services.session_factory() as db:
        job = db.scalars(select(PrintJob).where(PrintJob.kind == "ticket")).one()
        assert job.payload["number"] == "P-001"
        assert job.payload["category_name"] == "Prioritas"  # not "disabilitas"

    # 4. Escorted to the priority counter.
    clock.advance(minutes=1, seconds=30)
    ok(step(call, "receptionist", visit_id, "to_counter"))

    # 5. The counter records the request: 12 min 40 s against 10 min.
    # The ticket is held while staff bring the visitor: no counter's call-next takes it.
    for counter in ("1", "2"):
        assert call("officer", "POST", f"/counters/{counter}/call-next").status_code == 204
    refused(step(call, "ppid", visit_id, "request", request={}), 403, "officer")
    clock.advance(minutes=12, seconds=40)
    visit = ok(step(call, "officer", visit_id, "request", request={
        **REQUESTER, "subject": "Rapor mutu SDN 01 Menteng 2025", "requirements": CHECKLIST}))
    request = visit["request"]
    assert request["number"] == "PMH-20261202-001"
    assert request["requirements_complete"] is False and request["fee"] == 0
    # Wednesday + 3 working days is Monday; + 10 is Wednesday two weeks on.
    assert request["due_internal"] == "2026-12-07"
    assert request["due_statutory"] == "2026-12-16"

    # 6. PPID processes; the visitor goes home meanwhile, escorted out.
    refused(step(call, "officer", visit_id, "processing", result="x"), 403, "ppid")
    refused(step(call, "officer", visit_id, "hand_over"), 409, "comes later")
    ok(call("officer", "POST", f"/visits/{visit_id}/leave", json={"escort": True}))
    going_home = ok(call("security", "GET", "/escorts"))["escorts"]
    assert [(c["kind"], c["step_record_id"]) for c in going_home] == [("out", None)]
    ok(call("security", "POST", f"/escorts/{going_home[0]['id']}/done", json={"place": "exit"}))
    ok(call("admin", "POST", f"/visits/{visit_id}/steps/processing/reassign", json={
        "to_user_id": ppid2, "letter_reference": "ST-045/ULT/XII/2026",
        "from_user_id": user_ids["ppid"], "reason": "Petugas PPID cuti"}))
    refused(step(call, "ppid", visit_id, "processing", result="x"), 403, "reassigned")
    clock.advance(days=2, hours=3)
    ok(step(call, "ppid2", visit_id, "processing", result="Salinan rapor mutu 2025"))

    # The visitor comes back on Friday: a priority ticket linked to the request.
    refused(step(call, "officer", visit_id, "hand_over"), 409, "waits for the visitor")
    clock.advance(hours=1)
    refused(call("officer", "POST", f"/requests/{request['id']}/pickup"), 403, "reception")
    pickup = ok(call("receptionist", "POST", f"/requests/{request['id']}/pickup",
                     json={"escort": True}), 201)
    assert pickup["ticket"]["number"] == "P-001"  # a new day, numbers start again
    escort_in = ok(call("security", "GET", "/escorts"))["escorts"]
    ok(call("security", "POST", f"/escorts/{escort_in[0]['id']}/done", json={"place": "ult"}))

    # 7. Hand-over with the printed receipt.
    clock.advance(minutes=3)
    visit = ok(step(call, "officer", visit_id, "hand_over"))
    assert visit["request"]["status"] == "handed_over"
    with services.session_factory() as db:
        [proof, receipt] = db.scalars(select(PrintJob).where(PrintJob.kind == "receipt")
                                      .order_by(PrintJob.id)).all()
    assert proof.payload["title"] == "BUKTI PERMOHONAN INFORMASI"
    assert receipt.payload["title"] is None  # the tanda terima informasi
    assert receipt.payload["request_number"] == "PMH-20261202-001"
    assert receipt.payload["visitor_label"] == "P-001"
    assert NIK_DIGITS not in str(receipt.payload) and "Siti" not in str(receipt.payload)

    # 8. The visitor fills the survey; the counter records that it was filled.
    refused(step(call, "security", visit_id, "survey"), 403, "officer")
    clock.advance(minutes=4)
    ok(step(call, "officer", visit_id, "survey", survey_filled=True))

    # 9. The counter calls security.
    clock.advance(minutes=1)
    ok(step(call, "officer", visit_id, "call_security"))
    [escort_out] = ok(call("security", "GET", "/escorts"))["escorts"]
    assert escort_out["kind"] == "out" and escort_out["step_record_id"] is not None

    # 10. Escorted to the vehicle: the visit is complete.
    clock.advance(minutes=2)
    ok(call("security", "POST", f"/escorts/{escort_out['id']}/done", json={"place": "vehicle"}))
    refused(step(call, "security", visit_id, "escort_out"), 409, "completed")

    timeline = ok(call("admin", "GET", f"/visits/{visit_id}"))
    assert timeline["procedure"]["number"] == "PMP-07.01.CFM.01/Manual.0331/C7.16/0T.02.02/2024"
    assert timeline["visit"]["status"] == "completed"
    steps = timeline["steps"]
    assert [s["key"] for s in steps] == [
        "arrival", "escort_in", "guest_book", "to_counter", "request", "processing",
        "hand_over", "survey", "call_security", "escort_out"]
    assert all(s["started_at"] and s["ended_at"] for s in steps)
    assert [s["completed_by"] for s in steps] == [
        "Petugas receptionist", "Petugas security", "Petugas receptionist",
        "Petugas receptionist", "Petugas officer", "Petugas ppid2", "Petugas officer",
        "Petugas officer", "Petugas officer", "Petugas security"]
    assert steps[1]["acknowledged_by"] == "Petugas security"
    assert steps[1]["equipment_ticks"][0]["item"] == "Kursi roda"
    assert {t["item"]: t["provided"] for t in steps[1]["equipment_ticks"]} == {
        "Kursi roda": True, "Payung": False}
    assert timeline["deviation_count"] == 2
    assert steps[1]["deviation"]["over_seconds"] == 2 * 60 + 13
    assert steps[1]["deviation"]["actual_seconds"] == 7 * 60 + 13
    assert steps[1]["deviation"]["responsible"] == "Petugas security"
    assert steps[4]["deviation"]["over_seconds"] == 2 * 60 + 40
    assert steps[4]["deviation"]["responsible"] == "Petugas officer"
    assert steps[5]["deviation"] is None  # Friday is inside the 3 working days
    assert steps[5]["reassignments"] == [{
        "from": "Petugas ppid", "to": "Petugas ppid2", "letter_reference": "ST-045/ULT/XII/2026",
        "reason": "Petugas PPID cuti", "by": "Petugas admin",
        "at": steps[5]["reassignments"][0]["at"]}]
    assert steps[7]["details"] == {"survey_filled": True}
    assert timeline["receipt"]["number"].startswith("TTI-20261204-")
    assert [c["kind"] for c in timeline["escorts"]] == ["in", "out", "in", "out"]
    assert NIK_DIGITS not in str(timeline)
