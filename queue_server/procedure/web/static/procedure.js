/* What only the procedure pages share: step timers, the running board, equipment ticks,
   the escort alarm and the arrival form. Everything else comes from window.Staff. */
(function () {
  "use strict";

  const Staff = window.Staff;
  const { el, label, api, act } = Staff;
  const EVENTS = ["visit_updated", "escort_requested", "escort_updated", "deviation_recorded",
    "request_returned", "survey_submitted", "ticket_called", "print_job_updated"];

  /* A step's, an equipment item's and a service's names in the page language (page data);
     the API sends the stored (Indonesian) text. */
  function stepText(step) {
    const known = Staff.data.steps && Staff.data.steps[step.key || step];
    return known ? known.name : (step.name || String(step));
  }

  function equipmentName(stepKey, item) {
    const known = Staff.data.steps && Staff.data.steps[stepKey];
    return (known && known.equipment_names && known.equipment_names[item]) || item;
  }

  function serviceName(code, fallback) {
    const known = Staff.data.services && Staff.data.services[code];
    return known ? known.name : (fallback || code);
  }

  /* Call onEvent(name, payload) on (re)connect and on every procedure event. */
  function connect(onEvent) {
    return Staff.connectLive(onEvent, EVENTS);
  }

  function duration(seconds) {
    const total = Math.max(0, Math.floor(seconds));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const rest = String(total % 60).padStart(2, "0");
    return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
  }

  function localTime(iso) {
    return Staff.formatDate(iso, "datetime");
  }

  /* A timer that says how long a step has left, or by how much it is late. */
  function stepTimer(step) {
    const node = el("span", { class: "step-timer", "data-due": step.due_at || "" });
    updateTimer(node);
    return node;
  }

  function updateTimer(node) {
    const due = node.dataset.due ? Date.parse(node.dataset.due) : null;
    if (!due) {
      node.textContent = "";
      return;
    }
    const seconds = (Staff.serverNow() - due) / 1000;
    const late = seconds > 0;
    node.classList.toggle("is-late", late);
    node.textContent = late ? label("late_by", { time: duration(seconds) })
      : label("left", { time: duration(-seconds) });
  }

  window.setInterval(() => document.querySelectorAll(".step-timer").forEach(updateTimer), 1000);

  /* A step's short name, its full SOP text on demand (a keyboard-reachable <details>). */
  function stepName(key, position) {
    const step = Staff.data.steps[key] || { name: key, short: key };
    const prefix = position ? `${position}. ` : "";
    if (!step.short || step.short === step.name) {
      return el("span", { class: "step-name", text: prefix + step.name });
    }
    return el("details", { class: "step-name" }, [
      el("summary", { text: prefix + step.short }),
      el("span", { class: "step-full", text: step.name }),
    ]);
  }

  /* True when this role does the step or records it (a visitor's step at the counter). */
  function stepOf(role, key) {
    const step = Staff.data.steps[key];
    return role === "admin" || (!!step && (step.role === role || step.recorded_by.includes(role)));
  }

  /* The running steps of a role (or all, for an admin) and today's deviations. */
  async function loadBoard(role) {
    const running = document.getElementById("running");
    const deviations = document.getElementById("deviations");
    if (!running || !deviations) return;
    const visits = (await api("GET", "/visits")).visits.filter((visit) =>
      visit.step && visit.step.started_at && stepOf(role, visit.step.key));
    running.replaceChildren(...(visits.length ? visits.map((visit) => el("li", {
      class: "running-item", "data-visit": visit.id, "data-step": visit.step.key,
    }, [
      el("a", { href: "/kunjungan/" + visit.id, text: `${label("visit")} ${visit.id}` }),
      " · ", visit.pickup_ticket || visit.ticket ? (visit.pickup_ticket || visit.ticket) + " · " : "",
      stepName(visit.step.key, visit.step.position), " ", stepTimer(visit.step),
    ])) : [el("li", { class: "muted", text: label("running_none") })]));
    const list = (await api("GET", "/deviations")).deviations;
    deviations.replaceChildren(...(list.length ? list.map((item) => el("li", {
      class: "deviation-item", "data-step": item.step,
    }, [
      el("a", { href: "/kunjungan/" + item.visit_id, text: `${label("visit")} ${item.visit_id}` }),
      ` · ${(Staff.data.steps[item.step] || {}).short || item.step_name} · ${item.responsible || "-"} · `,
      el("strong", { text: label("late_by", { time: duration(item.over_seconds) }) }),
    ])) : [el("li", { class: "muted", text: label("deviations_none") })]));
  }

  /* Sound and vibration for alerts; sound needs one tap first on most browsers. */
  const alertSound = new Audio("/static/procedure/alert.mp3");
  const alerts = Staff.testLog("procedureAlerts");
  function alarm() {
    const record = { sound: "blocked", vibrated: false };
    alerts.push(record);
    if (navigator.vibrate) record.vibrated = navigator.vibrate([300, 150, 300]);
    alertSound.currentTime = 0;
    alertSound.play().then(() => { record.sound = "played"; }).catch(() => { record.sound = "blocked"; });
  }

  function unlockSound() {
    alertSound.muted = true;
    return alertSound.play().then(() => {
      alertSound.pause();
      alertSound.muted = false;
      return true;
    }).catch(() => { alertSound.muted = false; return false; });
  }

  /* Fetch alerts (receptionist and security): a visitor who cannot hear or see the TV's
     call is fetched. The event names the ticket and the counter only. */
  const fetches = Staff.testLog("fetchAlerts");
  function fetchAlerts() {
    const list = document.getElementById("fetch-alerts");
    if (!list) return;
    const panel = list.closest("section");
    Staff.connectLive((name, payload) => {
      if (name !== "fetch_requested" || !payload.ticket) return;
      const text = label("fetch_alert", { ticket: payload.ticket,
        counter: payload.counter_name || payload.counter });
      const item = el("li", { class: "card fetch-card is-new", "data-ticket": payload.ticket }, [
        el("p", { class: "fetch-text", text }),
        Staff.button(label("fetch_done"), async () => {
          item.remove();
          panel.hidden = !list.children.length;
        }, { action: "fetch-done" }),
      ]);
      list.prepend(item);
      panel.hidden = false;
      fetches.push(payload.ticket);
      alarm();
      Staff.announce(text);
    }, ["fetch_requested"]);
  }

  /* Put items in a list, keeping the nodes of items whose signature did not change, so
     half-typed text in a card survives a live refresh. */
  function renderList(container, items, key, signature, render, emptyText) {
    if (!items.length) {
      container.replaceChildren(el("li", { class: "muted", text: emptyText }));
      return;
    }
    const existing = new Map();
    for (const node of container.children) {
      if (node.dataset.key) existing.set(node.dataset.key, node);
    }
    container.replaceChildren(...items.map((item) => {
      const id = String(key(item));
      const sign = signature(item);
      const old = existing.get(id);
      if (old && old.dataset.signature === sign) return old;
      const node = render(item);
      node.dataset.key = id;
      node.dataset.signature = sign;
      if (old) keepTyped(old, node);
      return node;
    }));
  }

  /* A card drawn again while someone types in it (a live update of the same visit) keeps
     what they typed and chose: text, text areas and radio choices changed from the values
     the card was drawn with. The server's own state (equipment ticks) is drawn anew. */
  function keepTyped(old, node) {
    // A field is known by its name, else its id, without the number each drawing adds.
    const keyOf = (field) => (field.name || field.id).replace(/-\d+$/, "");
    const fields = (card) => [...card.querySelectorAll("input, textarea")]
      .filter((field) => field.type !== "checkbox" && field.type !== "hidden" && keyOf(field));
    const fresh = fields(node);
    for (const field of fields(old)) {
      const twins = fresh.filter((candidate) => keyOf(candidate) === keyOf(field));
      if (field.type === "radio") {
        if (!field.checked || field.defaultChecked) continue;
        const twin = twins.find((candidate) => candidate.value === field.value);
        if (twin) twin.checked = true;
      } else if (field.value !== field.defaultValue && twins.length === 1) {
        twins[0].value = field.value;
      }
    }
  }


  /* The current step's equipment (kelengkapan) as toggles, ticked as provided on change. */
  function equipment(visit) {
    const items = (visit.step && visit.step.equipment) || [];
    if (!items.length) return null;
    const ticks = visit.step.ticks || {};
    return el("fieldset", { class: "segmented equipment" }, [
      el("legend", { text: label("equipment") }),
      el("div", { class: "segments" }, items.map((item) => {
        const box = el("input", { type: "checkbox", name: "equipment", value: item, checked: !!ticks[item] });
        box.addEventListener("change", () => act(null, () => api("POST",
          `/visits/${visit.id}/steps/${visit.step.key}/equipment`, { item, provided: box.checked })));
        return el("label", { class: "segment" }, [box, el("span", { class: "segment-face",
          text: equipmentName(visit.step.key, item) })]);
      })),
    ]);
  }

  /* The arrival form (procedure/_arrival_form.html): record a visitor at the gate, which
     calls security; then onSaved() refreshes the page. */
  function arrivalForm(onSaved) {
    const form = document.getElementById("arrival-form");
    if (!form) return;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      act(form.querySelector('button[type="submit"]'), async () => {
        const aids = [...form.querySelectorAll('input[name="aids"]:checked')].map((box) => box.value);
        await api("POST", "/visits", { aids, note: form.elements.note.value });
        form.reset();
        Staff.announce(label("arrival_recorded"));
        await onSaved();
      });
    });
  }

  window.Procedure = { connect, duration, localTime, stepTimer, stepName, stepOf, loadBoard,
    alarm, unlockSound, fetchAlerts, renderList, equipment, arrivalForm, stepText, equipmentName,
    serviceName };
})();
