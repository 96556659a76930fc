/* Counter officer: the request and its checklist, hand-off to PPID, hand-over, survey, security. */
(function () {
  "use strict";
  const S = window.Staff;
  const P = window.Procedure;
  const { el, label, api } = S;
  const MINE = ["request", "processing", "hand_over", "survey", "call_security"];
  const OPEN_TICKET = ["waiting", "held", "no_show"];
  const COUNTER_KEY = "procedure-counter";
  let uid = 0;

  /* The officer's counter: where a visit's ticket is called when they take the visit. */
  const counterChoice = document.getElementById("my-counter");
  const remembered = window.localStorage.getItem(COUNTER_KEY);
  if (remembered && S.data.counters[remembered]) counterChoice.value = remembered;
  counterChoice.addEventListener("change", () => window.localStorage.setItem(COUNTER_KEY, counterChoice.value));

  function toggle(name, value, text, checked) {
    return el("label", { class: "segment" }, [
      el("input", { type: "checkbox", name, value, checked: !!checked }),
      el("span", { class: "segment-face", text }),
    ]);
  }

  function complete(visit, key, body) {
    return api("POST", `/visits/${visit.id}/steps/${key}/complete`,
      Object.assign({ counter: counterChoice.value }, body || {}));
  }

  /* Take the visit at this counter: its ticket is called here (on the TV only when the
     visitor was not brought to the counter). */
  function takeButton(visit) {
    const number = visit.pickup_ticket || visit.ticket;
    if (!number || visit.step.role !== "officer" || !OPEN_TICKET.includes(visit.ticket_status)) return null;
    const text = label(visit.ticket_status === "held" ? "take_serve" : "take_call", { number });
    return el("div", { class: "actions" }, [S.button(text, async () => {
      await api("POST", `/visits/${visit.id}/steps/${visit.step.key}/acknowledge`,
        { counter: counterChoice.value });
      S.announce(label("taken", { number, counter: S.data.counters[counterChoice.value] }));
      await refresh();
    }, { action: "take" })]);
  }

  function requestForm(visit) {
    uid += 1;
    const services = Object.entries(S.data.services);
    const checklist = el("div", { class: "segments" });
    const serviceGroup = el("div", { class: "segments" }, services.map(([code, service], index) =>
      el("label", { class: "segment" }, [
        el("input", { type: "radio", name: `service-${uid}`, value: code, checked: index === 0 }),
        el("span", { class: "segment-face", text: service.name }),
      ])));
    const fill = () => {
      const code = serviceGroup.querySelector("input:checked").value;
      const names = S.data.services[code].requirement_names || {};
      checklist.replaceChildren(...S.data.services[code].requirements.map((item) =>
        toggle("requirement", item, names[item] || item, false)));
    };
    serviceGroup.addEventListener("change", fill);
    fill();
    const subjectId = `subject-${uid}`;
    const subject = el("textarea", { class: "field", id: subjectId, maxlength: "2000", required: true });
    // Pasal 22 ayat (2): the requester's name and address, the form and the delivery.
    const nameId = `requester-name-${uid}`;
    const name = el("input", { class: "field", id: nameId, maxlength: "200", autocomplete: "off",
      value: (visit.guest && visit.guest.name) || "" });
    const addressId = `requester-address-${uid}`;
    const address = el("textarea", { class: "field", id: addressId, maxlength: "1000", required: true });
    const emailId = `requester-email-${uid}`;
    const email = el("input", { class: "field", id: emailId, type: "email", maxlength: "200", autocomplete: "off" });
    const radios = (group, codes, prefix) => el("div", { class: "segments" }, codes.map((code, index) =>
      el("label", { class: "segment" }, [
        el("input", { type: "radio", name: `${group}-${uid}`, value: code, checked: index === 0 }),
        el("span", { class: "segment-face", text: label(prefix + code) }),
      ])));
    const format = radios("format", S.data.formats, "format_");
    const delivery = radios("delivery", S.data.deliveries, "delivery_");
    const sameDay = toggle("same_day", "yes", label("same_day"), false);
    const submit = S.button(label("record_request"), async () => {
      const requirements = {};
      for (const box of checklist.querySelectorAll("input")) requirements[box.value] = box.checked;
      const saved = await complete(visit, "request", { request: {
        service: serviceGroup.querySelector("input:checked").value, subject: subject.value,
        requester_name: name.value, requester_address: address.value,
        requester_email: email.value || null,
        format: format.querySelector("input:checked").value,
        delivery: delivery.querySelector("input:checked").value,
        requirements, same_day: sameDay.querySelector("input").checked } });
      S.announce(label("request_recorded", { number: saved.request.number, due: S.formatDate(saved.request.due_internal, "day") }));
      showProof(saved.request);
      await refresh();
    }, { action: "record-request", primary: true });
    return [
      el("fieldset", { class: "segmented" }, [el("legend", { text: label("service") }), serviceGroup]),
      el("fieldset", { class: "segmented" }, [el("legend", { text: label("requirements") }), checklist]),
      el("label", { class: "field-label", for: nameId, text: label("requester_name") }), name,
      el("label", { class: "field-label", for: addressId, text: label("requester_address") }), address,
      el("label", { class: "field-label", for: subjectId, text: label("subject") }), subject,
      el("fieldset", { class: "segmented" }, [el("legend", { text: label("info_format") }), format]),
      el("fieldset", { class: "segmented" }, [el("legend", { text: label("delivery") }), delivery]),
      el("label", { class: "field-label", for: emailId, text: label("requester_email") }), email,
      el("div", { class: "segments" }, [sameDay]),
      el("p", { class: "legal", text: label("no_fee") }),
      el("div", { class: "actions" }, [submit]),
    ];
  }

  // The Bukti Permohonan Informasi (Pasal 22 ayat (4)): shown, watched, reprinted on demand.
  let proofRequest = null;
  function showProof(request) {
    proofRequest = request;
    document.getElementById("proof-panel").hidden = false;
    document.getElementById("proof-number").textContent = request.number;
    document.getElementById("proof-due").textContent = label("proof_due", { due: request.statutory_limit });
    S.watchPrint(request.proof_print_job_id, document.getElementById("proof-print"));
  }
  const reprint = document.getElementById("proof-reprint");
  S.onPress(reprint, () => S.act(reprint, async () => {
    if (!proofRequest) return;
    const again = await api("POST", `/requests/${proofRequest.id}/proof`, {});
    S.announce(label("proof_printed", { number: again.number }));
    showProof(again);
  }));

  function body(visit) {
    const step = visit.step.key;
    const request = visit.request;
    if (step === "request") return requestForm(visit);
    if (step === "processing") {
      const parts = [el("p", { class: "card-detail", text: label("in_ppid", { due: S.formatDate(request.due_internal, "day") }) }),
        el("div", { class: "actions" }, [S.button(label("proof_reprint"), async () => {
          const again = await api("POST", `/requests/${request.id}/proof`, {});
          S.announce(label("proof_printed", { number: again.number }));
          showProof(again);
        }, { action: "reprint-proof" })])];
      if (visit.present) {
        const escort = toggle("escort", "yes", label("go_home_escort"), true);
        parts.push(el("div", { class: "segments" }, [escort]), el("div", { class: "actions" }, [
          S.button(label("visitor_goes_home"), async () => {
            await api("POST", `/visits/${visit.id}/leave`, { escort: escort.querySelector("input").checked });
            S.announce(label("went_home"));
            await refresh();
          }, { action: "go-home" })]));
      } else {
        parts.push(el("p", { class: "hint", text: label("went_home") }));
      }
      return parts;
    }
    if (step === "hand_over") {
      return [
        el("p", { class: "card-detail" }, [el("strong", { text: label("result") + ": " }), request.result || ""]),
        el("div", { class: "actions" }, [S.button(label("hand_over"), async () => {
          const done = await complete(visit, "hand_over");
          document.getElementById("receipt-panel").hidden = false;
          document.getElementById("receipt-number").textContent = done.receipt;
          S.announce(label("handed_over", { number: done.receipt }));
          await refresh();
          S.watchPrint(done.print_jobs.receipt, document.getElementById("receipt-print"));
        }, { action: "hand-over", primary: true })]),
      ];
    }
    if (step === "survey") {
      return [el("p", { class: "card-detail", text: label("survey_step") }), el("div", { class: "actions" }, [
        S.button(label("survey_filled"), async () => {
          await complete(visit, "survey", { survey_filled: true });
          await refresh();
        }, { action: "survey-filled", primary: true }),
        S.button(label("survey_declined"), async () => {
          await complete(visit, "survey", { survey_filled: false });
          await refresh();
        }, { action: "survey-declined" }),
      ])];
    }
    return [el("div", { class: "actions" }, [S.button(label("call_security"), async () => {
      await complete(visit, "call_security");
      S.announce(label("security_called"));
      await refresh();
    }, { action: "call-security", primary: true })])];
  }

  function card(visit) {
    const guest = visit.guest || {};
    return el("li", { class: "card" + (visit.step.running_late ? " is-new" : ""), "data-visit": visit.id,
      "data-step": visit.step.key }, [
      el("h3", {}, [visit.pickup_ticket || visit.ticket || "", ` · ${guest.name || ""}`]),
      el("div", { class: "card-detail" }, [
        el("a", { href: "/kunjungan/" + visit.id, text: `${label("visit")} ${visit.id}` }),
        " · ", P.stepName(visit.step.key, visit.step.position), " ", P.stepTimer(visit.step)]),
      visit.request ? el("p", { class: "card-detail", text: `${visit.request.number} · ${visit.request.subject}` }) : null,
      takeButton(visit),
      visit.step.key === "processing" ? null : P.equipment(visit),
      ...body(visit),
    ]);
  }

  async function load() {
    const visits = (await api("GET", "/visits")).visits.filter((v) => v.step && MINE.includes(v.step.key));
    P.renderList(document.getElementById("visits"), visits, (v) => v.id,
      (v) => [v.step.key, v.present, v.ticket, v.pickup_ticket, v.ticket_status,
        v.request && v.request.status, v.step.running_late].join("|"), card, label("counter_none"));
    await P.loadBoard("officer");
  }

  const refresh = S.refresher(load);
  P.connect((name, payload) => {
    if (name === "request_returned") {
      P.alarm();
      S.announce(label("result_returned", { number: payload.number }));
    }
    refresh();
  });
  refresh();
})();
