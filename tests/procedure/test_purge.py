"""Retention: guest-book personal data is purged after the period; anonymous counts stay."""
from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from queue_server.platform.database import make_engine, make_session_factory
from queue_server.procedure.models import (
    EscortCall,
    GuestEntry,
    GuestTally,
    InfoRequest,
    InformationReceipt,
    Visit,
    VisitStatus,
)
from queue_server.procedure.personal import DailyPurge
from queue_server.procedure.wiring import run_purge

from ..support import ROOT, load
from .conftest import GUEST, NIK_DIGITS, ok


@pytest.fixture
def config_overrides() -> dict:
    # Tokens outlive the month the clock moves on.
    return {"guest_book": {"retention_days": 30}, "security": {"token_lifetime_hours": 9000}}


def counts(services) -> dict:
    with services.session_factory() as db:
        rows = db.execute(select(GuestEntry.category, func.count(GuestEntry.id))
                          .group_by(GuestEntry.category)).all()
        return dict(rows)


def test_purge_empties_old_personal_data_and_keeps_counts(call, clock, services, visit_at):
    old = visit_at("processing")  # 2 December 2026
    clock.advance(days=25)
    recent = visit_at("processing", guest={**GUEST, "name": "Ahmad", "category": "lansia",
                                           "kinds": []})
    before = counts(services)
    clock.advance(days=6)  # the first visit is now 31 days old, the second 6
    assert run_purge(services) == 1
    assert run_purge(services) == 0  # nothing left to purge: running twice is harmless

    with services.session_factory() as db:
        purged = db.get(GuestEntry, old["visit"]["guest"]["id"])
        kept = db.get(GuestEntry, recent["visit"]["guest"]["id"])
        assert (purged.name, purged.nik, purged.phone, purged.companion, purged.purpose) == (
            None, None, None, None, None)
        assert purged.purged_at is not None
        # Institution, kinds, aids and needs with the day would re-identify the visitor:
        # the institution is gone and the lists are counts per month.
        assert (purged.institution, purged.kinds, purged.aids, purged.communication,
                purged.notice_mode, purged.consent_by) == (None, [], [], [], None, None)
        assert (purged.category, purged.day.isoformat()) == ("disabilitas", "2026-12-02")
        assert kept.nik == NIK_DIGITS and kept.name == "Ahmad"
        assert kept.institution == "SDN 01 Menteng" and kept.aids == ["kursi_roda"]
        visit = db.get(Visit, old["visit"]["id"])
        assert visit.aids == []
        assert all(call.aids == [] for call in db.scalars(select(EscortCall).where(
            EscortCall.visit_id == visit.id)))
        tallies = {(t.month, t.field, t.code): t.count for t in db.scalars(select(GuestTally))}
        assert tallies == {("2026-12", "kinds", "fisik"): 1,
                           ("2026-12", "aids", "kursi_roda"): 1}
    assert counts(services) == before == {"disabilitas": 1, "lansia": 1}
    guest = ok(call("admin", "GET", f"/visits/{old['visit']['id']}"))["visit"]["guest"]
    assert guest["purged"] is True and guest["nik_masked"] is None
    reveal = call("admin", "POST", f"/guests/{guest['id']}/reveal",
                  json={"field": "nik", "reason": "audit"})
    assert reveal.status_code == 409


def test_purge_clears_arrival_notes_and_receipt_names(call, clock, services, visit_at):
    visit_id = visit_at("survey")["visit"]["id"]
    with services.session_factory() as db, db.begin():
        db.get(Visit, visit_id).arrival_note = "Ibu berkursi roda, baju merah"
    clock.advance(days=31)
    run_purge(services)
    with services.session_factory() as db:
        assert db.get(Visit, visit_id).arrival_note is None
        receipt = db.scalars(select(InformationReceipt)).one()
        assert receipt.recipient_name is None and receipt.number.startswith("TTI-")
        # The request register keeps the request, not the requester (Pasal 22 ayat (2)).
        request = db.scalars(select(InfoRequest)).one()
        assert (request.requester_name, request.requester_address,
                request.requester_email) == (None, None, None)
        assert request.subject == "Rapor mutu 2025" and request.info_format is not None


def test_queue_server_purge_command(live_config):
    config = load(live_config)
    engine = make_engine(config.database_url)
    now = datetime.now(UTC)
    with make_session_factory(engine)() as db, db.begin():
        for age in (40, 3):
            day = (now - timedelta(days=age)).date()
            visit = Visit(day=day, status=VisitStatus.COMPLETED, position=11, present=False,
                          aids=[], created_at=now - timedelta(days=age))
            db.add(visit)
            db.flush()
            db.add(GuestEntry(visit_id=visit.id, day=day, name="Tamu", nik=NIK_DIGITS,
                              category="lansia", kinds=[], aids=[], guardian_consent=False,
                              created_at=visit.created_at))
    done = subprocess.run([sys.executable, "-m", "queue_server.cli", "--config",
                           str(live_config), "purge"], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "purged personal data of 1 guest book entries older than 30 days" in done.stdout
    with make_session_factory(engine)() as db:
        assert sorted(e.nik is None for e in db.scalars(select(GuestEntry))) == [False, True]
    engine.dispose()


def test_the_nightly_purge_waits_for_the_set_local_hour():
    from zoneinfo import ZoneInfo

    nightly = DailyPurge(lambda: 0, ZoneInfo("Asia/Jakarta"), hour=2)
    evening = datetime(2026, 12, 2, 13, 0, tzinfo=UTC)  # 20:00 in Jakarta
    assert nightly.seconds_to_next(evening) == timedelta(hours=6).total_seconds()
    early = datetime(2026, 12, 2, 18, 30, tzinfo=UTC)  # 01:30 in Jakarta
    assert nightly.seconds_to_next(early) == 30 * 60
