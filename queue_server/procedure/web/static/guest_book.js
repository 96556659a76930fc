/* Receptionist: arrivals, the guest book with its priority ticket, escort to the counter, pick-up. */
(function () {
  "use strict";
  const S = window.Staff;
  const P = window.Procedure;
  const { el, label, api } = S;
  const form = document.getElementById("guest-form");
  const panel = document.getElementById("guest-panel");
  const nik = document.getElementById("guest-nik");
  const categories = Object.fromEntries(S.data.categories.map((c) => [c.code, c]));
  let current = null; // the visit whose guest book entry is open

  function openForm(visit) {
    current = visit;
    form.reset();
    for (const box of form.querySelectorAll('input[name="aids"]')) box.checked = visit.aids.includes(box.value);
    document.getElementById("guest-heading").textContent = label("guest_form_heading", { id: visit.id });
    panel.hidden = false;
    syncCategory();
    document.getElementById("guest-name").focus();
  }

  function syncCategory() {
    const chosen = categories[form.elements.category.value] || {};
    for (const group of form.querySelectorAll(".kinds")) group.hidden = group.dataset.for !== chosen.code;
    form.querySelector(".guardian").hidden = !chosen.child;
  }
  form.addEventListener("change", (event) => { if (event.target.name === "category") syncCategory(); });

  function nikValid() {
    const digits = nik.value.replace(/[\s.-]/g, "");
    const valid = /^[0-9]{16}$/.test(digits);
    document.getElementById("nik-error").hidden = valid;
    nik.setAttribute("aria-invalid", valid ? "false" : "true");
    return valid;
  }
  nik.addEventListener("blur", nikValid);

  function guestData() {
    const values = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((b) => b.value);
    const category = categories[form.elements.category.value];
    return {
      name: form.elements.name.value, nik: nik.value.replace(/[\s.-]/g, ""),
      phone: form.elements.phone.value || null, institution: form.elements.institution.value || null,
      purpose: form.elements.purpose.value, category: category.code,
      kinds: category.kinds.length ? values("kinds") : [], aids: values("aids"),
      companion: form.elements.companion.value || null,
      guardian_name: category.child ? form.elements.guardian_name.value : null,
      guardian_relation: category.child ? form.elements.guardian_relation.value : null,
      guardian_consent: category.child ? form.elements.guardian_consent.checked : false,
    };
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!current) return;
    if (!nikValid()) { nik.focus(); return; }
    if (!form.reportValidity()) return;
    const submit = form.querySelector('button[type="submit"]');
    S.act(submit, async () => {
      const visit = await api("POST", `/visits/${current.id}/steps/guest_book/complete`,
        { guest: guestData(), service: form.elements.service.value });
      panel.hidden = true;
      current = null;
      document.getElementById("issued-panel").hidden = false;
      document.getElementById("issued-number").textContent = visit.ticket;
      S.announce(label("ticket_printed", { number: visit.ticket }));
      await refresh();
      S.watchPrint(visit.print_jobs.ticket, document.getElementById("issued-print"));
    });
  });

  function visitCard(visit, body) {
    return el("li", { class: "card", "data-visit": visit.id }, [
      el("h3", {}, [`${label("visit")} ${visit.id}`, visit.ticket ? ` · ${visit.ticket}` : ""]),
      visit.aids.length ? el("p", { class: "aids", text: label("aids") + ": " +
        visit.aids.map((c) => S.data.aids[c] || c).join(", ") }) : null,
      visit.arrival_note ? el("p", { class: "card-detail", text: visit.arrival_note }) : null,
      el("p", { class: "card-detail" }, [P.stepText(visit.step), " ", P.stepTimer(visit.step)]),
      visit.step.role === "receptionist" ? P.equipment(visit) : null,
      ...body,
    ]);
  }

  async function load() {
    const visits = (await api("GET", "/visits")).visits;
    const waiting = visits.filter((v) => v.step && ["escort_in", "guest_book"].includes(v.step.key));
    document.getElementById("waiting").replaceChildren(...(waiting.length ? waiting.map((visit) =>
      visitCard(visit, visit.step.key === "guest_book"
        ? [S.button(label("fill_guest_book"), async () => openForm(visit),
          { action: "guest-book", primary: true })]
        : [el("p", { class: "hint", text: label("with_security") })]))
      : [el("li", { class: "muted", text: label("waiting_none") })]));
    const ready = visits.filter((v) => v.step && v.step.key === "to_counter");
    document.getElementById("to-counter").replaceChildren(...(ready.length ? ready.map((visit) =>
      visitCard(visit, [S.button(label("to_counter"), async () => {
        await api("POST", `/visits/${visit.id}/steps/to_counter/complete`, {});
        S.announce(label("saved"));
        await refresh();
      }, { action: "to-counter", primary: true })])) : [el("li", { class: "muted", text: label("waiting_none") })]));
    const pickups = (await api("GET", "/requests")).requests.filter((r) => r.visitor_present === false);
    document.getElementById("pickups").replaceChildren(...(pickups.length ? pickups.map((request) => {
      const escort = el("input", { type: "checkbox", name: "escort" });
      return el("li", { class: "card", "data-request": request.id }, [
        el("h3", { text: `${request.number} · ${P.serviceName(request.service, request.service_name)}` }),
        el("p", { class: "card-detail", text: request.result ? label("result_ready") : label("result_pending") }),
        el("div", { class: "segments" }, [el("label", { class: "segment" }, [escort,
          el("span", { class: "segment-face", text: label("pickup_escort") })])]),
        el("div", { class: "actions" }, [S.button(label("pickup"), async () => {
          const done = await api("POST", `/requests/${request.id}/pickup`, { escort: escort.checked });
          document.getElementById("issued-panel").hidden = false;
          document.getElementById("issued-number").textContent = done.ticket.number;
          S.announce(label("pickup_done", { number: done.ticket.number }));
          await refresh();
        }, { action: "pickup", primary: true })]),
      ]);
    }) : [el("li", { class: "muted", text: label("none") })]));
    await P.loadBoard("receptionist");
  }

  const refresh = S.refresher(load);

  P.arrivalForm(refresh);
  P.connect(() => refresh());
  refresh();
})();
