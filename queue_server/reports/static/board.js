/* The live board: fetch the snapshot, draw it, fetch again on every event of the staff
   socket (queue and procedure events); no reload. */
(function () {
  "use strict";

  const { api, el, label, connectLive, refresher, showError, clearError, data } = window.Staff;
  const EVENTS = ["ticket_issued", "ticket_called", "ticket_updated", "queue_changed",
    "visit_updated", "escort_requested", "escort_updated", "deviation_recorded",
    "request_returned"];
  const log = window.Staff.testLog("boardLog");

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "–";
    const total = Math.max(0, Math.round(seconds));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const rest = total % 60;
    return hours + ":" + String(minutes).padStart(2, "0") + ":" + String(rest).padStart(2, "0");
  }

  function localTime(iso) {
    return iso ? new Date(iso).toLocaleTimeString(data.language === "en" ? "en-GB" : "id-ID",
      { hour: "2-digit", minute: "2-digit" }) : "";
  }

  function list(id, items, render) {
    const node = document.getElementById(id);
    node.replaceChildren(...(items.length ? items.map(render)
      : [el("li", { class: "muted", text: label("board_none") })]));
  }

  function draw(board) {
    document.getElementById("board-day").textContent = label("board_day", { day: window.Staff.formatDate(board.day, "date") });
    const today = board.today;
    const figures = [["board_issued", today.issued], ["board_served", today.served],
      ["board_no_show", today.no_show], ["board_waiting_now", today.waiting],
      ["board_wait_mean", duration(today.wait_mean)], ["board_wait_longest", duration(today.wait_longest)]];
    document.getElementById("board-today").replaceChildren(...figures.map(([key, value]) =>
      el("div", { class: "figure", "data-key": key }, [el("dt", { text: label(key) }), el("dd", { text: String(value) })])));
    const waiting = board.waiting.map((row) => el("tr", {}, [
      el("th", { scope: "row", text: row.service_name }), el("td", { text: row.category_name }),
      el("td", { text: String(row.waiting) }), el("td", { text: duration(row.longest_wait) })]));
    document.getElementById("board-waiting").replaceChildren(...(waiting.length ? waiting
      : [el("tr", {}, [el("td", { colspan: "4", text: label("board_none") })])]));
    list("board-counters", board.counters, (c) => el("li", { "data-counter": c.code }, [
      el("strong", { text: c.name + ": " }),
      c.ticket ? label("board_serving", { ticket: c.ticket, since: localTime(c.since), officer: c.officer || "–" })
        : label("board_idle")]));
    list("board-escorts", board.escorts || [], (e) => el("li", {
      text: label("board_escort_" + e.kind) + " · " + localTime(e.requested_at) +
        (e.acknowledged ? " · " + label("board_acknowledged") : "") }));
    list("board-late", board.late_steps || [], (s) => el("li", {
      text: label("board_late_step", { step: s.step_name, visit: s.visit_id, over: duration(s.over) }) }));
    list("board-ppid", board.ppid_due || [], (r) => el("li", {
      text: r.number + " · " + label(r.overdue ? "board_overdue" : "board_due_today", { day: window.Staff.formatDate(r.due_internal, "day") }) }));
  }

  const refresh = refresher(async () => {
    const board = await api("GET", "/board?lang=" + encodeURIComponent(data.language || "id"));
    clearError();
    draw(board);
    log.push(board.today);
  }, (failure) => showError(failure));

  connectLive(() => refresh(), EVENTS);
  refresh();
})();
