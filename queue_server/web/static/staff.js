/* Shared helpers for the staff pages: labels, API calls with CSRF, alerts, live events. */
(function () {
  "use strict";

  const LIVE_EVENTS = ["ticket_issued", "ticket_called", "ticket_updated", "queue_changed"];
  // Errors whose server text adds nothing for the person at the desk.
  const PLAIN_ERRORS = new Set(["network", "unauthorized", "forbidden", "csrf", "internal"]);
  const SVG_NS = "http://www.w3.org/2000/svg";

  const dataNode = document.getElementById("page-data");
  const data = dataNode ? JSON.parse(dataNode.textContent) : { labels: {} };
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.content : "";

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

  async function api(method, path, body, headers) {
    const options = {
      method, credentials: "same-origin",
      headers: Object.assign({ Accept: "application/json" }, headers || {}),
    };
    if (method !== "GET") options.headers["X-CSRF-Token"] = csrf;
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch("/api/v1" + path, options);
    } catch (error) {
      throw new ApiFailure(0, "network", String(error));
    }
    if (response.status === 204) return { status: 204, data: null };
    let payload = null;
    try {
      payload = await response.json();
    } catch (error) {
      payload = null;
    }
    if (!response.ok) {
      const detail = (payload && payload.error) || {};
      const code = detail.code || (response.status >= 500 ? "internal" : "unknown");
      throw new ApiFailure(response.status, code, detail.message || response.statusText);
    }
    return { status: response.status, data: payload };
  }

  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  function icon(name) {
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("class", "icon");
    svg.setAttribute("aria-hidden", "true");
    const use = document.createElementNS(SVG_NS, "use");
    use.setAttribute("href", "#icon-" + name);
    svg.append(use);
    return svg;
  }

  function errorText(failure) {
    const key = "error_" + failure.code;
    return data.labels[key] ? label(key) : label("error_unknown");
  }

  function renderAlert(regionId, code, body) {
    const region = document.getElementById(regionId || "errors");
    if (!region) return;
    const dismiss = el("button", {
      type: "button", class: "button button-quiet-dark alert-dismiss", "aria-label": label("dismiss"),
    }, ["×"]);
    dismiss.addEventListener("click", () => region.replaceChildren());
    region.replaceChildren(el("div", { class: "alert", "data-code": code }, [
      el("div", { class: "alert-body" }, body), dismiss,
    ]));
  }

  function showError(failure, regionId) {
    const body = [el("p", { class: "alert-text", text: label("error_prefix") + " " + errorText(failure) })];
    if (failure.message && !PLAIN_ERRORS.has(failure.code)) {
      // The API speaks English; its detail helps whoever supports the office.
      body.push(el("p", { class: "alert-detail", lang: "en", text: failure.message }));
    }
    if (failure.code === "unauthorized") {
      body.push(el("a", { class: "button button-primary", href: "/login?next=" +
        encodeURIComponent(window.location.pathname) }, [label("login_submit")]));
    }
    renderAlert(regionId, failure.code, body);
  }

  function showMessage(text, regionId) {
    renderAlert(regionId, "message", [el("p", { class: "alert-text", text })]);
  }

  function clearError(regionId) {
    const region = document.getElementById(regionId || "errors");
    if (region) region.replaceChildren();
  }

  function announce(text) {
    const region = document.getElementById("status");
    if (!region) return;
    // Clearing first makes a screen reader speak a repeated message again.
    region.textContent = "";
    window.setTimeout(() => { region.textContent = text; }, 30);
  }

  function setLive(connected) {
    const indicator = document.getElementById("live-state");
    if (!indicator) return;
    indicator.dataset.state = connected ? "connected" : "disconnected";
    document.getElementById("live-text").textContent =
      label(connected ? "live_connected" : "live_disconnected");
  }

  /* Run onChange on (re)connect and on every queue event; the caller refetches. */
  function connectLive(onChange) {
    if (typeof window.io !== "function") {
      setLive(false);
      return null;
    }
    const socket = window.io("/staff");
    socket.on("connect", () => { setLive(true); onChange("connect"); });
    socket.on("disconnect", () => setLive(false));
    socket.on("connect_error", () => setLive(false));
    for (const name of LIVE_EVENTS) socket.on(name, () => onChange(name));
    return socket;
  }

  /* Wrap a loader so overlapping calls collapse into one rerun after the current one. */
  function refresher(load, onError) {
    let running = false;
    let again = false;
    return async function refresh() {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          try {
            await load();
          } catch (failure) {
            onError(failure);
          }
        } while (again);
      } finally {
        running = false;
      }
    };
  }

  function randomKey() {
    // getRandomValues works on plain-http office networks, where randomUUID does not.
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  function renderQueue(tickets, highlightId) {
    const body = document.getElementById("queue-body");
    const counts = { priority: 0, regular: 0 };
    const rows = tickets.map((ticket) => {
      counts[ticket.priority > 0 ? "priority" : "regular"] += 1;
      const number = el("td", { class: "queue-number" }, [ticket.number]);
      if (ticket.priority > 0) {
        number.append(" ", el("span", { class: "badge badge-priority" }, [icon("priority"),
          label("priority")]));
      }
      return el("tr", {
        "data-ticket": ticket.id, "data-number": ticket.number,
        class: ticket.id === highlightId ? "is-new" : null,
      }, [
        number,
        el("td", { text: data.categories[ticket.category] || ticket.category }),
        el("td", { text: data.services[ticket.service] || ticket.service }),
        el("td", {
          text: ticket.target_counter ? (data.counters[ticket.target_counter] || ticket.target_counter)
            : label("any_counter_short"),
        }),
      ]);
    });
    body.replaceChildren(...rows);
    document.getElementById("queue-table").hidden = rows.length === 0;
    document.getElementById("queue-empty").hidden = rows.length > 0;
    document.getElementById("count-priority").textContent = counts.priority;
    document.getElementById("count-regular").textContent = counts.regular;
  }

  window.Staff = {
    data, label, api, ApiFailure, el, icon, showError, showMessage, clearError, announce, connectLive,
    refresher, randomKey, renderQueue,
  };
})();
