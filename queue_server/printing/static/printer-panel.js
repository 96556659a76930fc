/* Receptionist printer panel: each printer's state live, the offline alert, the last ticket's
   preview and "Cetak ulang". Fills <section id="printer-panel">; include with one script tag. */
(function () {
  "use strict";

  const root = document.getElementById("printer-panel");
  if (!root) return;
  const script = document.currentScript;

  const LABELS = {
    id: {
      heading: "Printer", loading: "Memuat status printer…",
      online: "Online", offline: "Offline", paper_low: "Kertas hampir habis",
      paper_out: "Kertas habis", unknown: "Tidak diketahui",
      alert: "Printer {name} offline sejak {since}. Periksa daya, kabel dan kertas; " +
        "tiket dicetak begitu printer kembali.",
      pending: "{count} tiket menunggu dicetak", agent: "lewat agen cetak",
      last: "Tiket terakhir", none: "Belum ada tiket yang dicetak.",
      queued: "Menunggu dicetak", printing: "Sedang dicetak", printed: "Tercetak",
      failed: "Gagal dicetak", reprint: "Cetak ulang", reprinted: "Tiket {number} dicetak ulang.",
      preview: "Pratinjau tiket {number}", error: "Status printer tidak dapat dimuat.",
      reprint_failed: "Cetak ulang gagal: {message}",
    },
    en: {
      heading: "Printers", loading: "Loading printer status…",
      online: "Online", offline: "Offline", paper_low: "Paper low",
      paper_out: "Paper out", unknown: "Unknown",
      alert: "Printer {name} has been offline since {since}. Check power, cable and paper; " +
        "tickets print as soon as it is back.",
      pending: "{count} tickets waiting to print", agent: "via print agent",
      last: "Last ticket", none: "No ticket printed yet.",
      queued: "Waiting to print", printing: "Printing", printed: "Printed",
      failed: "Not printed", reprint: "Reprint", reprinted: "Ticket {number} reprinted.",
      preview: "Preview of ticket {number}", error: "Printer status could not be loaded.",
      reprint_failed: "Reprint failed: {message}",
    },
  };
  const language = (document.documentElement.lang || "id").slice(0, 2) === "en" ? "en" : "id";

  function label(key, values) {
    let text = LABELS[language][key] || key;
    for (const [name, value] of Object.entries(values || {})) {
      text = text.split("{" + name + "}").join(String(value));
    }
    return text;
  }

  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  function localTime(iso) {
    if (!iso) return "";
    return new Date(iso).toLocaleTimeString(language === "en" ? "en-GB" : "id-ID",
      { hour: "2-digit", minute: "2-digit" });
  }

  async function api(method, path) {
    const headers = { Accept: "application/json" };
    const csrf = document.querySelector('meta[name="csrf-token"]');
    if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf.content;
    const response = await fetch("/api/v1" + path, { method, headers, credentials: "same-origin" });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      throw new Error((body && body.error && body.error.message) || response.statusText);
    }
    return body;
  }

  if (script && script.src) {
    document.head.append(el("link", { rel: "stylesheet", href: script.src.replace(/\.js(\?.*)?$/, ".css") }));
  }

  const printers = new Map();
  let lastJob = null;
  const ui = {
    alert: el("div", { class: "pp-alert", role: "alert" }),
    list: el("ul", { class: "pp-list", "aria-live": "polite" }),
    last: el("div", { class: "pp-last" }),
    status: el("p", { class: "pp-status", role: "status" }),
  };
  root.classList.add("panel", "printer-panel");
  root.setAttribute("aria-labelledby", "printer-panel-heading");
  root.replaceChildren(el("h2", { id: "printer-panel-heading", text: label("heading") }),
    ui.alert, ui.list, ui.last, ui.status);
  ui.list.append(el("li", { class: "pp-muted", text: label("loading") }));

  function renderPrinters() {
    const rows = [];
    const alerts = [];
    for (const printer of printers.values()) {
      const details = [];
      if (printer.agent) details.push(label("agent"));
      if (printer.pending_jobs > 0) details.push(label("pending", { count: printer.pending_jobs }));
      rows.push(el("li", { class: "pp-printer", "data-printer": printer.name, "data-state": printer.state }, [
        el("span", { class: "pp-dot", "aria-hidden": "true" }),
        el("span", { class: "pp-name", text: printer.name }),
        el("span", { class: "pp-state", text: label(printer.state) }),
        details.length ? el("span", { class: "pp-detail", text: details.join(" · ") }) : "",
        printer.last_error && printer.state !== "online"
          ? el("span", { class: "pp-error", lang: "en", text: printer.last_error }) : "",
      ]));
      if (printer.alert) {
        alerts.push(el("p", { text: label("alert", { name: printer.name, since: localTime(printer.offline_since) }) }));
      }
    }
    ui.list.replaceChildren(...rows);
    ui.alert.replaceChildren(...alerts);
    ui.alert.hidden = alerts.length === 0;
  }

  function renderLast() {
    if (!lastJob) {
      ui.last.replaceChildren(el("h3", { text: label("last") }), el("p", { class: "pp-muted", text: label("none") }));
      return;
    }
    const button = el("button", { type: "button", class: "button pp-reprint", text: label("reprint") });
    button.addEventListener("click", () => reprint(button));
    const frame = el("iframe", {
      class: "pp-preview", title: label("preview", { number: lastJob.number }),
      src: lastJob.preview_url + "?v=" + lastJob.status,
    });
    ui.last.replaceChildren(
      el("h3", { text: label("last") + ": " + lastJob.number }),
      el("p", { class: "pp-job", "data-status": lastJob.status, text: label(lastJob.status) }),
      frame, button);
  }

  async function reprint(button) {
    if (!lastJob || !lastJob.ticket_id) return;
    button.disabled = true;
    try {
      const job = await api("POST", "/tickets/" + lastJob.ticket_id + "/reprint");
      ui.status.textContent = label("reprinted", { number: job.number });
      showJob(job);
    } catch (error) {
      ui.status.textContent = label("reprint_failed", { message: error.message });
    } finally {
      button.disabled = false;
    }
  }

  function showJob(job) {
    if (job.kind !== "ticket" || (lastJob && job.id < lastJob.id)) return;
    const changed = !lastJob || lastJob.id !== job.id || lastJob.status !== job.status;
    lastJob = job;
    if (changed) renderLast();
  }

  async function load() {
    try {
      const state = await api("GET", "/printers");
      printers.clear();
      for (const printer of state.printers) printers.set(printer.name, printer);
      renderPrinters();
      if (state.last_ticket_job) showJob(state.last_ticket_job);
      else if (!lastJob) renderLast();
    } catch (error) {
      ui.status.textContent = label("error");
    }
  }

  if (typeof window.io === "function") {
    const socket = window.io("/staff");
    socket.on("connect", load);
    socket.on("printer_status", (payload) => {
      printers.set(payload.printer.name, payload.printer);
      renderPrinters();
    });
    socket.on("print_job_updated", (payload) => {
      showJob(payload.job);
      const printer = printers.get(payload.job.printer);
      // Job counts change with every job; fetch them rather than guess.
      if (printer && (payload.job.status === "queued" || payload.job.status === "printed")) load();
    });
  }
  load();
  // A fallback for a dropped socket: the state is small.
  window.setInterval(load, 30000);
})();
