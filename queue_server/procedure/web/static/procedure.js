/* Shared helpers of the procedure pages: API with CSRF, labels, live events, step timers. */
(function () {
  "use strict";

  const EVENTS = ["visit_updated", "escort_requested", "escort_updated", "deviation_recorded",
    "request_returned", "survey_submitted", "ticket_called", "print_job_updated"];
  const dataNode = document.getElementById("page-data");
  const data = dataNode ? JSON.parse(dataNode.textContent) : { labels: {} };
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.content : "";
  let offset = 0; // server clock minus this device's clock, in ms

  function label(key, values) {
    let text = data.labels[key] || key;
    for (const [name, value] of Object.entries(values || {})) {
      text = text.split("{" + name + "}").join(String(value));
    }
    return text;
  }

  class ApiFailure extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function api(method, path, body) {
    const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") options.headers["X-CSRF-Token"] = csrf;
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch("/api/v1" + path, options);
    } catch (error) {
      throw new ApiFailure(0, "network", label("network"));
    }
    const payload = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = (payload && payload.error) || {};
      throw new ApiFailure(response.status, detail.code || "error", detail.message || response.statusText);
    }
    if (payload && payload.now) offset = Date.parse(payload.now) - Date.now();
    return payload;
  }

  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children || []) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  function say(text) {
    const region = document.getElementById("status");
    if (!region) return;
    region.textContent = "";
    window.setTimeout(() => { region.textContent = text; }, 30);
  }

  function showError(failure) {
    const region = document.getElementById("errors");
    if (!region) return;
    const close = el("button", { type: "button", class: "button button-quiet-dark" }, ["×"]);
    close.setAttribute("aria-label", label("close"));
    close.addEventListener("click", () => region.replaceChildren());
    region.replaceChildren(el("div", { class: "alert", "data-code": failure.code || "error" }, [
      el("p", { class: "alert-text", text: label("error") + " " + (failure.message || failure) }), close]));
  }

  function clearError() {
    const region = document.getElementById("errors");
    if (region) region.replaceChildren();
  }

  /* Run an action from a button: busy while it runs, errors shown, success announced. */
  async function act(button, work) {
    clearError();
    if (button) button.disabled = true;
    try {
      return await work();
    } catch (failure) {
      showError(failure);
      return null;
    } finally {
      if (button && button.isConnected) button.disabled = false;
    }
  }

  function setLive(connected) {
    const indicator = document.getElementById("live-state");
    if (!indicator) return;
    indicator.dataset.state = connected ? "connected" : "disconnected";
    const textNode = document.getElementById("live-text");
    if (textNode) textNode.textContent = label(connected ? "live_connected" : "live_disconnected");
  }

  /* Call onEvent(name, payload) on (re)connect and on every procedure event. */
  function connect(onEvent) {
    if (typeof window.io !== "function") {
      setLive(false);
      return null;
    }
    const socket = window.io("/staff");
    socket.on("connect", () => { setLive(true); onEvent("connect", {}); });
    socket.on("disconnect", () => setLive(false));
    socket.on("connect_error", () => setLive(false));
    for (const name of EVENTS) socket.on(name, (payload) => onEvent(name, payload || {}));
    return socket;
  }

  function serverNow() {
    return Date.now() + offset;
  }

  function duration(seconds) {
    const total = Math.max(0, Math.floor(seconds));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const rest = String(total % 60).padStart(2, "0");
    return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
  }

  function localTime(iso) {
    if (!iso) return "";
    return new Intl.DateTimeFormat("id-ID", { timeZone: data.timezone, hour: "2-digit",
      minute: "2-digit", day: "numeric", month: "short" }).format(new Date(iso));
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
    const seconds = (serverNow() - due) / 1000;
    const late = seconds > 0;
    node.classList.toggle("is-late", late);
    node.textContent = late ? label("late_by", { time: duration(seconds) })
      : label("left", { time: duration(-seconds) });
  }

  window.setInterval(() => document.querySelectorAll(".step-timer").forEach(updateTimer), 1000);

  /* The running steps of a role (or all, for an admin) and today's deviations. */
  async function loadBoard(role) {
    const running = document.getElementById("running");
    const deviations = document.getElementById("deviations");
    if (!running || !deviations) return;
    const visits = (await api("GET", "/visits")).visits.filter((visit) =>
      visit.step && visit.step.started_at && (role === "admin" || visit.step.role === role));
    running.replaceChildren(...(visits.length ? visits.map((visit) => el("li", {
      class: "running-item", "data-visit": visit.id,
    }, [
      el("a", { href: "/kunjungan/" + visit.id, text: `${label("visit_label")} ${visit.id}` }),
      " · ", visit.ticket ? visit.ticket + " · " : "", visit.step.position + ". " + visit.step.name,
      " ", stepTimer(visit.step),
    ])) : [el("li", { class: "muted", text: label("running_none") })]));
    const list = (await api("GET", "/deviations")).deviations;
    deviations.replaceChildren(...(list.length ? list.map((item) => el("li", {
      class: "deviation-item", "data-step": item.step,
    }, [
      el("a", { href: "/kunjungan/" + item.visit_id, text: `${label("visit_label")} ${item.visit_id}` }),
      ` · ${item.step_name} · ${item.responsible || "-"} · `,
      el("strong", { text: label("late_by", { time: duration(item.over_seconds) }) }),
    ])) : [el("li", { class: "muted", text: label("deviations_none") })]));
  }

  /* Sound and vibration for alerts; sound needs one tap first on most browsers. */
  const alertSound = new Audio("/static/procedure/alert.ogg");
  window.procedureAlerts = [];
  function alarm() {
    const record = { sound: "blocked", vibrated: false };
    window.procedureAlerts.push(record);
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

  /* Rerun a loader on demand, never two at once. */
  function refresher(load) {
    let running = false;
    let again = false;
    return async function refresh() {
      if (running) { again = true; return; }
      running = true;
      try {
        do {
          again = false;
          try { await load(); } catch (failure) { showError(failure); }
        } while (again);
      } finally {
        running = false;
      }
    };
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
      return node;
    }));
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
        return el("label", { class: "segment" }, [box, el("span", { class: "segment-face", text: item })]);
      })),
    ]);
  }

  window.Procedure = { data, label, api, el, say, showError, clearError, act, connect, duration,
    localTime, stepTimer, loadBoard, alarm, unlockSound, refresher, renderList, equipment };
})();
