/* PPID: requests with due dates, overdue first; the result goes back to the counter;
   refusals (Pasal 17) with their written notice, and objections (Pasal 35-36). */
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
        ? el("span", { class: "badge badge-late", text: label("overdue") }) : "", " ",
      request.past_statutory_limit
        ? el("span", { class: "badge badge-late past-limit", text: label("past_limit") }) : ""]),
      el("p", { class: "card-detail", text: `${P.serviceName(request.service, request.service_name)} · ${request.subject}` }),
      el("p", { class: "card-detail requester", text: [request.requester_name, request.requester_address]
        .filter(Boolean).join(" · ") }),
      el("p", { class: "card-detail", text: [request.format && label("format_" + request.format),
        request.delivery && label("delivery_" + request.delivery)].filter(Boolean).join(" · ") }),
      el("p", { class: "card-detail" }, [
        el("strong", { text: `${label("due_internal")}: ${S.formatDate(request.due_internal, "day")}` }),
        ` · ${label("statutory")}: ${S.formatDate(request.statutory_limit, "day")}`]),
    ];
    if (request.extension_days) {
      parts.push(el("p", { class: "hint", text: label("extended", { days: request.extension_days,
        reason: request.extension_reason }) }));
    }
    parts.push(objectionForm(request, "open"));
    if (request.status !== "in_process") {
      parts.push(el("p", { class: "card-detail", text: `${label("result")}: ${request.result}` }));
      return el("li", { class: "card", "data-request": request.id }, parts);
    }
    parts.push(el("label", { class: "field-label", for: resultId, text: label("result") }), result,
      el("div", { class: "actions" }, [send]), refuseForm(request));
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

  function refuseForm(request) {
    const articleId = `article-${request.id}`;
    const reasonId = `refuse-reason-${request.id}`;
    const article = el("select", { class: "field", id: articleId }, S.data.exemptions.map((letter) =>
      el("option", { value: letter, text: letter })));
    const reason = el("textarea", { class: "field", id: reasonId, maxlength: "4000" });
    const refuse = S.button(label("refuse"), async () => {
      await api("POST", `/requests/${request.id}/refuse`, { article: article.value, reason: reason.value });
      S.announce(label("refused_ok", { number: request.number }));
      await refresh();
    }, { action: "refuse" });
    return el("details", {}, [el("summary", { text: label("refuse") }),
      el("label", { class: "field-label", for: articleId, text: label("refuse_article") }), article,
      el("label", { class: "field-label", for: reasonId, text: label("refuse_reason") }), reason,
      el("div", { class: "actions" }, [refuse])]);
  }

  function objectionForm(request, where) {
    const groundId = `${where}-ground-${request.id}`;
    const noteId = `${where}-objection-note-${request.id}`;
    const ground = el("select", { class: "field", id: groundId }, Object.entries(S.data.objection_grounds)
      .map(([letter, text]) => el("option", { value: letter, text: `${letter}. ${text}` })));
    const note = el("textarea", { class: "field", id: noteId, maxlength: "4000" });
    const lodge = S.button(label("objection"), async () => {
      const saved = await api("POST", `/requests/${request.id}/objections`, { ground: ground.value, note: note.value || null });
      S.announce(label("objection_recorded", { number: saved.number, due: saved.due_date }));
      await refresh();
    }, { action: "objection" });
    return el("details", {}, [el("summary", { text: label("objection") }),
      el("label", { class: "field-label", for: groundId, text: label("objection_ground") }), ground,
      el("label", { class: "field-label", for: noteId, text: label("objection_note") }), note,
      el("div", { class: "actions" }, [lodge])]);
  }

  function refusalCard(request) {
    return el("li", { class: "card", "data-refused": request.id }, [
      el("h3", { text: request.number }),
      el("p", { class: "card-detail", text: request.subject }),
      el("p", { class: "card-detail", text: `${label("refuse_article")} ${request.refusal_article}: ${request.refusal_reason}` }),
      el("p", {}, [el("a", { href: `/api/v1/requests/${request.id}/refusal-notice`, text: label("refusal_notice") })]),
      objectionForm(request, "refused"),
    ]);
  }

  function objectionCard(objection) {
    return el("li", { class: "card", "data-objection": objection.id }, [
      el("h3", {}, [objection.number, " ", objection.past_due_date
        ? el("span", { class: "badge badge-late", text: label("overdue") }) : ""]),
      el("p", { class: "card-detail", text: `${objection.request_number} · ${objection.ground}. ${objection.ground_text}` }),
      objection.note ? el("p", { class: "card-detail", text: objection.note }) : null,
      el("p", { class: "card-detail" }, [el("strong", { text: `${label("objection_due")}: ${objection.due_date}` })]),
    ]);
  }

  async function load() {
    const [open, refused, objections] = await Promise.all([api("GET", "/requests"),
      api("GET", "/requests/refused"), api("GET", "/objections")]);
    P.renderList(document.getElementById("requests"), open.requests, (r) => r.id,
      (r) => [r.status, r.extension_days, r.overdue, r.past_statutory_limit].join("|"), card,
      label("requests_none"));
    P.renderList(document.getElementById("refusals"), refused.requests, (r) => r.id,
      (r) => r.refused_at, refusalCard, label("refusals_none"));
    P.renderList(document.getElementById("objections"), objections.objections, (o) => o.id,
      (o) => [o.number, o.past_due_date].join("|"), objectionCard, label("objections_none"));
    await P.loadBoard("ppid");
  }

  const refresh = S.refresher(load);
  P.connect(() => refresh());
  refresh();
})();
