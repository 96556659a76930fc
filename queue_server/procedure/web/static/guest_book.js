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

  const values = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((b) => b.value);
  const nikRequiredFor = new Set(S.data.nik_required_for);

  /* UU 27/2022 Pasal 26: a visitor with a disability (a group with kinds, or a
     communication need) gets the notice in a way they perceive, and consent is recorded. */
  function perceivable() {
    const chosen = categories[form.elements.category.value] || {};
    return (chosen.kinds || []).length > 0 || values("communication").length > 0;
  }

  function syncCategory() {
    const chosen = categories[form.elements.category.value] || {};
    for (const group of form.querySelectorAll(".kinds")) group.hidden = group.dataset.for !== chosen.code;
    const needsNotice = perceivable();
    form.querySelector(".perceivable").hidden = !needsNotice;
    for (const input of form.querySelectorAll('.perceivable input')) input.required = needsNotice;
    form.querySelector(".guardian").hidden = !(chosen.child ||
      (needsNotice && form.elements.consent_by.value === "guardian"));
    form.querySelector('input[name="guardian_consent"]').closest(".segments").hidden = !chosen.child;
  }
  form.addEventListener("change", (event) => {
    if (["category", "communication", "consent_by"].includes(event.target.name)) syncCategory();
  });

  /* The legal-basis notice, read aloud to the visitor from its pre-built clip. */
  const readNotice = document.getElementById("read-notice");
  if (readNotice) {
    const clip = document.getElementById("legal-basis-audio");
    readNotice.addEventListener("click", () => {
      clip.currentTime = 0;
      clip.play().catch(() => {});
      const aloud = form.querySelector('input[name="notice_mode"][value="read_aloud"]');
      if (aloud) aloud.checked = true;
    });
  }

  function nikRequired() {
    return nikRequiredFor.has(form.elements.service.value);
  }

  function nikValid() {
    const digits = nik.value.replace(/[\s.-]/g, "");
    const valid = (!digits && !nikRequired()) || /^[0-9]{16}$/.test(digits);
    document.getElementById("nik-error").hidden = valid;
    nik.setAttribute("aria-invalid", valid ? "false" : "true");
    return valid;
  }

  /* Soft checks from the server: warnings to look again, never a refusal. */
  async function nikWarnings() {
    const list = document.getElementById("nik-warnings");
    const digits = nik.value.replace(/[\s.-]/g, "");
    list.replaceChildren();
    list.hidden = true;
    if (!/^[0-9]{16}$/.test(digits)) return;
    const checked = await api("POST", "/guests/nik-check", { nik: digits });
    list.replaceChildren(...checked.warnings.map((code) => el("li", { text: label(code) })));
    list.hidden = !checked.warnings.length;
  }
  nik.addEventListener("blur", () => { if (nikValid()) nikWarnings().catch(() => {}); });

  function guestData() {
    const category = categories[form.elements.category.value];
    const byGuardian = perceivable() && form.elements.consent_by.value === "guardian";
    const guardian = category.child || byGuardian;
    return {
      name: form.elements.name.value, nik: nik.value.replace(/[\s.-]/g, "") || null,
      phone: form.elements.phone.value || null, institution: form.elements.institution.value || null,
      purpose: form.elements.purpose.value, category: category.code,
      kinds: category.kinds.length ? values("kinds") : [], aids: values("aids"),
      companion: form.elements.companion.value || null,
      guardian_name: guardian ? form.elements.guardian_name.value : null,
      guardian_relation: guardian ? form.elements.guardian_relation.value : null,
      guardian_consent: category.child ? form.elements.guardian_consent.checked : false,
      communication: values("communication"),
      notice_mode: perceivable() ? form.elements.notice_mode.value || null : null,
      consent_by: perceivable() ? form.elements.consent_by.value || null : null,
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

  /* Mark the current step not needed (the visitor came alone and declined an escort, or
     came with family), with the reason; no deviation is recorded. */
  function skipForm(visit) {
    const step = S.data.steps[visit.step.key];
    if (!step || !step.skip_by.includes(S.data.role)) return null;
    const reasonId = `skip-reason-${visit.id}`;
    const noteId = `skip-note-${visit.id}`;
    const reason = el("select", { class: "field", id: reasonId, name: "reason" },
      ["declined", "family", "other"].map((code) => el("option", { value: code,
        text: label("skip_reason_" + code) })));
    const note = el("input", { class: "field", id: noteId, name: "note", maxlength: "400",
      autocomplete: "off" });
    const submit = S.button(label("skip_step"), async () => {
      const text = note.value.trim();
      if (reason.value === "other" && !text) {
        S.showMessage(label("skip_note_needed"));
        note.focus();
        return;
      }
      const chosen = reason.value === "other" ? text
        : label("skip_reason_" + reason.value) + (text ? `: ${text}` : "");
      await api("POST", `/visits/${visit.id}/steps/${visit.step.key}/skip`, { reason: chosen });
      S.announce(label("step_skipped"));
      await refresh();
    }, { action: "skip-step" });
    return el("details", { class: "step-skip-box" }, [
      el("summary", { text: label("skip_step") }),
      el("div", { class: "step-skip" }, [
        el("label", { class: "field-label", for: reasonId, text: label("skip_reason") }), reason,
        el("label", { class: "field-label", for: noteId, text: label("skip_note") }), note,
        el("div", { class: "actions" }, [submit]),
      ]),
    ]);
  }

  function visitCard(visit, body) {
    return el("li", { class: "card", "data-visit": visit.id }, [
      el("h3", {}, [`${label("visit")} ${visit.id}`, visit.ticket ? ` · ${visit.ticket}` : ""]),
      visit.aids.length ? el("p", { class: "aids", text: label("aids") + ": " +
        visit.aids.map((c) => S.data.aids[c] || c).join(", ") }) : null,
      visit.arrival_note ? el("p", { class: "card-detail", text: visit.arrival_note }) : null,
      el("div", { class: "card-detail" }, [P.stepName(visit.step.key, visit.step.position), " ",
        P.stepTimer(visit.step)]),
      visit.step.role === "receptionist" ? P.equipment(visit) : null,
      ...body,
    ]);
  }

  async function load() {
    const visits = (await api("GET", "/visits")).visits;
    const waiting = visits.filter((v) => v.step && ["escort_in", "guest_book"].includes(v.step.key));
    // Kept node by node while nothing changes, so a half-typed reason survives a refresh.
    P.renderList(document.getElementById("waiting"), waiting, (v) => v.id,
      (v) => [v.step.key, v.step.started_at, v.aids.join(",")].join("|"), (visit) =>
        visitCard(visit, visit.step.key === "guest_book"
          ? [S.button(label("fill_guest_book"), async () => openForm(visit),
            { action: "guest-book", primary: true })]
          : [el("p", { class: "hint", text: label("with_security") }), skipForm(visit)]),
      label("waiting_none"));
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
  document.getElementById("sound-on").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    await P.unlockSound();
    button.setAttribute("aria-pressed", "true");
    button.textContent = label("sound_ready");
  });

  P.connect(() => refresh());
  P.fetchAlerts();
  refresh();
})();
