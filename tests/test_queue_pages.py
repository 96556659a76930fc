"""GET /api/v1/queue in pages (cursor, filters), and call-next found through an index."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event, insert, text

from queue_server.tickets.models import Ticket, TicketStatus, WaitingCount

ISSUED = [("INFO", "umum"), ("KONSUL", "lansia"), ("INFO", "anak"), ("SURAT", "umum"),
          ("INFO", "umum"), ("KONSUL", "umum"), ("INFO", "disabilitas"), ("SURAT", "lansia"),
          ("INFO", "umum"), ("KONSUL", "anak")]


def issue_all(client, auth):
    for service, category in ISSUED:
        response = client.post("/api/v1/tickets", json={"service": service, "category": category},
                               headers=auth("receptionist"))
        assert response.status_code == 201


def pages(client, auth, query: str = "", limit: int = 3):
    """Every page of the queue, following next_cursor."""
    result, cursor = [], None
    while True:
        path = f"/api/v1/queue?limit={limit}{query}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(path, headers=auth("officer"))
        assert response.status_code == 200, response.json
        result.append(response.json)
        cursor = response.json["next_cursor"]
        if cursor is None:
            return result


def expected_order(query_service=None, kind=None):
    """Call order (priority first, FIFO within a class) with each ticket's place in its
    service, worked out by hand from ISSUED (ids are 1..10 in issue order)."""
    tickets = [(1 if category != "umum" else 0, index + 1, service)
               for index, (service, category) in enumerate(ISSUED)]
    ordered = sorted(tickets, key=lambda t: (-t[0], t[1]))
    places, result = {}, []
    for priority, ticket_id, service in ordered:
        places[service] = places.get(service, 0) + 1
        if (query_service in (None, service)) and (
                kind is None or (priority > 0) == (kind == "priority")):
            result.append((ticket_id, places[service]))
    return result


def test_pages_follow_the_call_order_with_each_place_in_its_service(client, auth):
    issue_all(client, auth)
    got = pages(client, auth)
    assert [len(page["tickets"]) for page in got] == [3, 3, 3, 1]
    assert [(t["id"], t["position"]) for page in got for t in page["tickets"]] \
        == expected_order()
    assert all(page["total"] == 10 for page in got)
    assert got[0]["waiting"] == {"priority": 5, "regular": 5}


def test_filters_by_service_and_class_keep_the_places_in_the_service(client, auth):
    issue_all(client, auth)
    for service, kind in (("INFO", None), (None, "regular"), ("KONSUL", "priority"),
                          ("INFO", "regular")):
        query = (f"&service={service}" if service else "") + (f"&class={kind}" if kind else "")
        got = pages(client, auth, query, limit=2)
        assert [(t["id"], t["position"]) for page in got for t in page["tickets"]] \
            == expected_order(service, kind), query
        assert got[0]["total"] == len(expected_order(service, kind))


def test_a_page_moves_on_when_tickets_ahead_are_called(client, auth):
    issue_all(client, auth)
    first = client.get("/api/v1/queue?limit=4", headers=auth("officer")).json
    client.post("/api/v1/counters/2/call-next", headers=auth("officer"))  # takes id 2
    second = client.get(f"/api/v1/queue?limit=4&cursor={first['next_cursor']}",
                        headers=auth("officer")).json
    # The page continues after the first page's last ticket; places count what waits now.
    # (Call order: priority 2, 3, 7, 8, 10, then 1, 4, 5, 6, 9; counter 2 took 2, KONSUL.)
    assert [t["id"] for t in first["tickets"]] == [2, 3, 7, 8]
    assert [t["id"] for t in second["tickets"]] == [10, 1, 4, 5]
    assert [t["position"] for t in second["tickets"]] == [1, 3, 2, 4]


def test_a_bad_cursor_or_limit_answers_422_json(client, auth):
    issue_all(client, auth)
    for query in ("cursor=", "cursor=abc", "cursor=AAAAAQAAAAE%3D", "cursor=" + "A" * 12, "limit=0",
                  "limit=501", "limit=x", "class=vip", "service=NOPE"):
        response = client.get(f"/api/v1/queue?{query}", headers=auth("officer"))
        assert response.status_code == 422, query
        assert response.json["error"]["code"] in ("invalid", "unknown_service"), query
    # Any cursor of the documented form is a place in the call order.
    assert client.get("/api/v1/queue?cursor=AAAAAQAAAAI", headers=auth("officer")).json[
        "tickets"][0]["id"] == 3


def test_the_default_page_is_100_and_says_where_to_go_on(client, auth, services):
    now = datetime(2026, 11, 30, 1, tzinfo=UTC)
    with services.session_factory() as db, db.begin():
        db.execute(insert(Ticket.__table__), [
            {"number": f"A-{n:03d}", "public_id": f"p{n}", "prefix": "A", "day": now.date(),
             "sequence": n, "service": "INFO", "category": "umum", "priority": 0,
             "status": TicketStatus.WAITING, "created_at": now} for n in range(1, 131)])
        db.execute(insert(WaitingCount.__table__), [
            {"service": "INFO", "priority": 0, "waiting": 130}])
    first = client.get("/api/v1/queue", headers=auth("officer")).json
    assert len(first["tickets"]) == 100 and first["total"] == 130
    rest = client.get(f"/api/v1/queue?cursor={first['next_cursor']}",
                      headers=auth("officer")).json
    assert [t["position"] for t in rest["tickets"]] == list(range(101, 131))
    assert rest["next_cursor"] is None


def explain(connection, statement: str, parameters) -> str:
    raw = connection.connection.dbapi_connection
    cursor = raw.cursor()
    if connection.dialect.name == "sqlite":
        cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        plan = " / ".join(str(row[-1]) for row in cursor.fetchall())
    else:
        cursor.execute("EXPLAIN " + statement, parameters)
        plan = " / ".join(row[0] for row in cursor.fetchall())
    cursor.close()
    return plan


def test_call_next_finds_the_next_ticket_through_an_index(services, clock):
    """Every query call-next sends to the tickets table searches an index; none sorts or
    scans the waiting tickets (a plan read with 3,000 waiting, after ANALYZE)."""
    now = clock()
    with services.session_factory() as db, db.begin():
        db.execute(insert(Ticket.__table__), [
            {"number": f"X-{n}", "public_id": f"s{n}", "prefix": "X", "day": now.date(),
             "sequence": n, "service": ("INFO", "KONSUL", "SURAT")[n % 3],
             "category": "lansia" if n % 4 == 0 else "umum", "priority": int(n % 4 == 0),
             "status": TicketStatus.WAITING if n % 5 else TicketStatus.SERVED,
             "created_at": now} for n in range(1, 3751)])
        db.execute(text("INSERT INTO waiting_counts (service, priority, waiting) "
                        "SELECT service, priority, COUNT(*) FROM tickets "
                        "WHERE status = 'waiting' GROUP BY service, priority"))
        db.execute(text("ANALYZE"))
    seen: list[tuple[str, object]] = []
    with services.session_factory() as db:
        connection = db.connection()

        def capture(_conn, _cursor, statement, parameters, _context, _many):
            if "FROM tickets" in statement and statement.lstrip().upper().startswith("SELECT"):
                seen.append((statement, parameters))

        event.listen(connection, "before_cursor_execute", capture)
        for counter in ("1", "2", "3", "2", "2", "2"):
            with db.begin_nested():
                services.queue.desk.call_next(db, None, counter)
        event.remove(connection, "before_cursor_execute", capture)
        assert len(seen) >= 6
        for statement, parameters in seen:
            plan = explain(connection, statement, parameters)
            assert "ix_tickets_queue" in plan or "pk_tickets" in plan \
                or "PRIMARY KEY" in plan or "ix_tickets_service_queue" in plan, plan
            assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan
            assert "Seq Scan" not in plan and "SCAN tickets" not in plan, plan
        db.rollback()
