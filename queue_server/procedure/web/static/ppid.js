/* PPID: requests with due dates, overdue first; the result goes back to the counter. */
(function () {
  "use strict";
  const S = window.Staff;
  const P = window.Procedure;
  const { el, label, api } = S;

  function card(request) {
    const resultId = `result-${request.id}`;
    const result = el("textarea", { class: "field", id: resultId, maxlength: "4000" });
    const send = S.button(label("record_result"), async () => {
      await api("POST", `/visits/${request.visit_id}/steps/processing/complete`, { result: result.value });
      S.announce(label("result_sent", { number: request.number }));
      await refresh();
    }, { action: "send-result", primary: true });
    const parts = [
      el("h3", {}, [request.number, " ", request.overdue
        ? el("span", { class: "badge badge-late", text: label("overdue") }) : ""]),
      el("p", { class: "card-detail", text: `${P.serviceName(request.service, request.service_name)} · ${request.subject}` }),
      el("p", { class: "card-detail" }, [
        el("strong", { text: `${label("due_internal")}: ${S.formatDate(request.due_internal, "day")}` }),
        ` · ${label("statutory")}: ${S.formatDate(request.statutory_limit, "day")}`]),
    ];
    if (request.extension_days) {
      parts.push(el("p", { class: "hint", text: label("extended", { days: request.extension_days,
        reason: request.extension_reason }) }));
    }
    if (request.status !== "in_process") {
      parts.push(el("p", { class: "card-detail", text: `${label("result")}: ${request.result}` }));
      return el("li", { class: "card", "data-request": request.id }, parts);
    }
    parts.push(el("label", { class: "field-label", for: resultId, text: label("result") }), result,
      el("div", { class: "actions" }, [send]));
    if (!request.extension_days) {
      const daysId = `days-${request.id}`;
      const reasonId = `reason-${request.id}`;
      const days = el("select", { class: "field", id: daysId }, Array.from(
        { length: S.data.extension_days }, (_, i) => el("option", { value: String(i + 1), text: String(i + 1) })));
      const reason = el("input", { class: "field", id: reasonId, maxlength: "2000" });
      const extend = S.button(label("extend"), async () => {
        await api("POST", `/requests/${request.id}/extend`, { days: Number(days.value), reason: reason.value });
        S.announce(label("extended_ok"));
        await refresh();
      }, { action: "extend" });
      parts.push(el("details", {}, [el("summary", { text: label("extend") }),
        el("label", { class: "field-label", for: daysId, text: label("extend_days", { max: S.data.extension_days }) }), days,
        el("label", { class: "field-label", for: reasonId, text: label("extend_reason") }), reason,
        el("div", { class: "actions" }, [extend])]));
    }
    return el("li", { class: "card" + (request.overdue ? " is-new" : ""), "data-request": request.id }, parts);
  }

  async function load() {
    const requests = (await api("GET", "/requests")).requests;
    P.renderList(document.getElementById("requests"), requests, (r) => r.id,
      (r) => [r.status, r.extension_days, r.overdue].join("|"), card, label("requests_none"));
    await P.loadBoard("ppid");
  }

  const refresh = S.refresher(load);
  P.connect(() => refresh());
  refresh();
})();
