/* The staff pages' one toolkit: labels, API calls with CSRF, alerts, live events, actions.
   The queue pages, the procedure pages and the printer panel all build on window.Staff. */
(function () {
  "use strict";

  const QUEUE_EVENTS = ["ticket_issued", "ticket_called", "ticket_updated", "queue_changed"];
  // Errors whose server text adds nothing for the person at the desk.
  const PLAIN_ERRORS = new Set(["network", "unauthorized", "forbidden", "csrf", "internal"]);
  const SVG_NS = "http://www.w3.org/2000/svg";
  const PRINT_WATCH_TRIES = 20;
  const PRINT_WATCH_MS = 500;

  const dataNode = document.getElementById("page-data");
  const data = dataNode ? JSON.parse(dataNode.textContent) : { labels: {} };
  const localeNode = document.getElementById("locale-data");
  // The page language's one date and number format (web/i18n.py FORMATS) and the office's zone.
  const locale = localeNode ? JSON.parse(localeNode.textContent) : null;
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.content : "";
  const testing = new URLSearchParams(window.location.search).get("test-log") === "1";
  let clockOffset = 0; // the server's clock minus this device's, in ms
  let socket = null;

  function label(key, values) {
    let text = data.labels[key] || key;
    for (const [name, value] of Object.entries(values || {})) {
      text = text.split("{" + name + "}").join(String(value));
    }
    return text;
  }

  /* A moment's calendar parts in the office's time zone. */
  function localParts(moment) {
    const parts = {};
    const format = new Intl.DateTimeFormat("en-US", {
      timeZone: locale.timezone, hourCycle: "h23", year: "numeric", month: "numeric",
      day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
    });
    for (const part of format.formatToParts(moment)) parts[part.type] = Number(part.value);
    return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24,
      minute: parts.minute, second: parts.second, time: true };
  }

  /* A date (YYYY-MM-DD), an ISO moment or a Date in the page's one format, as the server
     writes it (web/i18n.py format_date): style date, day, time, time_seconds, datetime,
     datetime_seconds. */
  function formatDate(value, style) {
    if (!value || !locale) return "";
    const plain = typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);
    const p = plain ? (([year, month, day]) => ({ year, month, day, time: false }))(
      value.split("-").map(Number)) : localParts(value instanceof Date ? value : new Date(value));
    const pad = (number) => String(number).padStart(2, "0");
    const weekday = (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7;
    const values = {
      weekday: locale.weekdays[weekday], day: p.day, dd: pad(p.day), mm: pad(p.month),
      year: p.year, month: locale.months[p.month - 1], month_short: locale.months_short[p.month - 1],
      hh: pad(p.hour), mi: pad(p.minute), ss: pad(p.second),
    };
    const fill = (pattern) => pattern.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
    const chosen = style || "date";
    if (chosen === "datetime" || chosen === "datetime_seconds") {
      const clock = chosen === "datetime" ? locale.time : locale.time_seconds;
      return p.time ? fill(locale.day) + " " + fill(clock) : fill(locale.day);
    }
    if (chosen.startsWith("time") && !p.time) return "";
    return fill(locale[chosen]);
  }

  /* A number with the page language's separators (web/i18n.py format_number). */
  function formatNumber(value, places) {
    if (value === null || value === undefined || value === "") return "";
    const text = places === undefined ? String(value) : Number(value).toFixed(places);
    const [whole, fraction] = text.split(".");
    const thousands = locale ? locale.thousands : ",";
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, thousands);
    return fraction === undefined ? grouped : grouped + (locale ? locale.decimal : ".") + fraction;
  }

  /* A list the page appends what it did to; window[name] shows it only on ?test-log=1. */
  function testLog(name) {
    const records = [];
    if (testing) window[name] = records;
    return records;
  }

  class ApiFailure extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  /* Call the JSON API; resolve to the response body (null for 204), reject with ApiFailure. */
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
    if (response.status === 204) return null;
    const payload = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = (payload && payload.error) || {};
      const code = detail.code || (response.status >= 500 ? "internal" : "unknown");
      throw new ApiFailure(response.status, code, detail.message || response.statusText);
    }
    if (payload && payload.now) clockOffset = Date.parse(payload.now) - Date.now();
    return payload;
  }

  /* Now by the server's clock, as learnt from the last answer that carried it. */
  function serverNow() {
    return Date.now() + clockOffset;
  }

  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children || []) {
      if (child !== null && child !== undefined && child !== false) node.append(child);
    }
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

  /* What went wrong, in the page's language, from the failure's code. */
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
        encodeURIComponent(window.location.pathname) }, [label("log_in")]));
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
    const text = document.getElementById("live-text");
    if (text) text.textContent = label(connected ? "live_connected" : "live_disconnected");
  }

  /* The page's one /staff socket, made on first use; it drives the connection banner. */
  function liveSocket() {
    if (socket || typeof window.io !== "function") return socket;
    socket = window.io("/staff", { transports: ["websocket"] });  // no sticky routing needed
    socket.on("connect", () => setLive(true));
    socket.on("disconnect", () => setLive(false));
    socket.on("connect_error", () => setLive(false));
    return socket;
  }

  /* Call onEvent(name, payload) on (re)connect ("connect") and on each of the events
     (the queue's by default); the caller refetches what it shows. */
  function connectLive(onEvent, events) {
    const live = liveSocket();
    if (!live) {
      setLive(false);
      return null;
    }
    live.on("connect", () => onEvent("connect", {}));
    if (live.connected) onEvent("connect", {});
    for (const name of events || QUEUE_EVENTS) live.on(name, (payload) => onEvent(name, payload || {}));
    return live;
  }

  /* Wrap a loader so overlapping calls collapse into one rerun after the current one. */
  function refresher(load, onError) {
    const failed = onError || ((failure) => showError(failure));
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
            failed(failure);
          }
        } while (again);
      } finally {
        running = false;
      }
    };
  }

  /* Run an action from a button: busy while it runs, its failure shown; null when it failed. */
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

  /* Run handler(event) on a press of node, but not on the second click of a double-click:
     on a fast network the first press has finished by then, and a second ticket, call or
     step would follow. A click is that second click when the browser counts it as part of
     a multi-click (detail above 1) and this node's own press began it, within
     REPEAT_MS: a first press on a button always counts, whatever the browser counts.
     Keyboard presses (detail 0) always count. */
  const REPEAT_MS = 3000;
  const lastPress = new WeakMap();

  function onPress(node, handler) {
    node.addEventListener("click", (event) => {
      const last = lastPress.get(node);
      if (event.detail > 1 && last !== undefined && event.timeStamp - last < REPEAT_MS) return;
      lastPress.set(node, event.timeStamp);
      handler(event);
    });
    // A button the page renders disabled until its script is ready (data-until-script): a
    // press before then would do nothing and say nothing, and the desk would think it done.
    if (node.hasAttribute("data-until-script")) {
      node.removeAttribute("data-until-script");
      node.disabled = false;
    }
  }

  /* A button that runs handler(button) through act(); options: action, primary, large. */
  function button(text, handler, options) {
    const { action, primary, large } = options || {};
    const node = el("button", {
      type: "button", "data-action": action,
      class: "button" + (primary ? " button-primary" : "") + (large ? " button-large" : ""),
    }, [text]);
    onPress(node, () => act(node, () => handler(node)));
    return node;
  }

  function randomKey() {
    // getRandomValues works on plain-http office networks, where randomUUID does not.
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  /* Follow a print job until it is printed or failed, showing its state and preview in note. */
  async function watchPrint(jobId, note) {
    for (let attempt = 0; attempt < PRINT_WATCH_TRIES && jobId && note; attempt += 1) {
      const job = await api("GET", `/print-jobs/${jobId}`).catch(() => null);
      if (!job) return;
      // The job's state and its preview; the printer's own name is a config key, not a word.
      note.replaceChildren(`${label("print_job_" + job.status)} · `,
        el("a", { href: job.preview_url, target: "_blank", text: label("print_preview"),
          "data-status": job.status, "data-printer": job.printer }));
      if (["printed", "failed", "cancelled"].includes(job.status)) return;
      await new Promise((resolve) => window.setTimeout(resolve, PRINT_WATCH_MS));
    }
  }

  /* Show a page of GET /queue. `more` (given when the server has more pages: it answers
     100 tickets a page) is the page's {total, waiting: {priority, regular}}: the counts
     then come from the server and a line says how many are not listed. rowAction(ticket),
     when given, makes the last cell of each row (the reception's cancel). */
  function renderQueue(tickets, highlightId, more, rowAction) {
    const body = document.getElementById("queue-body");
    const counts = { priority: 0, regular: 0 };
    const moreLine = document.getElementById("queue-more");
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
      ].concat(rowAction ? [el("td", { class: "queue-action" }, [rowAction(ticket)])] : []));
    });
    body.replaceChildren(...rows);
    document.getElementById("queue-table").hidden = rows.length === 0;
    document.getElementById("queue-empty").hidden = rows.length > 0;
    const shown = more ? more.waiting : counts;
    document.getElementById("count-priority").textContent = formatNumber(shown.priority);
    document.getElementById("count-regular").textContent = formatNumber(shown.regular);
    if (moreLine) {
      moreLine.hidden = !more || more.total <= rows.length;
      moreLine.textContent = more ? label("queue_more",
        { count: formatNumber(Math.max(0, more.total - rows.length)) }) : "";
    }
  }

  /* A form shows its fields' errors once someone tried to send it (staff.css styles
     form[data-attempted] .field:invalid), and forgets them when it is reset. */
  function markAttempted(form) {
    if (form && form.dataset) form.dataset.attempted = "true";
  }
  document.addEventListener("invalid", (event) => markAttempted(event.target.form), true);
  document.addEventListener("submit", (event) => markAttempted(event.target), true);
  document.addEventListener("reset", (event) => { delete event.target.dataset.attempted; }, true);

  window.Staff = {
    data, label, formatDate, formatNumber, testLog, api, ApiFailure, serverNow, el, icon,
    errorText, showError, showMessage, clearError, announce, connectLive, refresher, act, button, onPress, randomKey, watchPrint, renderQueue,
  };
})();
