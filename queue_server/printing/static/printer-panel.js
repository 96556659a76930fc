/* Receptionist printer panel: each printer's state live, the offline alert, the last ticket's
   preview and "Cetak ulang". Fills <section id="printer-panel">; needs staff.js loaded first. */
(function () {
  "use strict";

  const root = document.getElementById("printer-panel");
  if (!root) return;
  const script = document.currentScript;

  const Staff = window.Staff;
  const { el, label, api } = Staff;

  /* The on-screen preview printer by what it is, in the page language; others by name. */
  function printerName(printer) {
    return printer.type === "preview" ? label("printer_type_preview") : printer.name;
  }

  function localTime(iso) {
    return Staff.formatDate(iso, "time");
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
  root.replaceChildren(el("h2", { id: "printer-panel-heading", text: label("printers_heading") }),
    ui.alert, ui.list, ui.last, ui.status);
  ui.list.append(el("li", { class: "pp-muted", text: label("printers_loading") }));

  function renderPrinters() {
    const rows = [];
    const alerts = [];
    for (const printer of printers.values()) {
      const details = [];
      if (printer.agent) details.push(label("printer_via_agent"));
      if (printer.pending_jobs > 0) details.push(label("printer_pending_jobs", { count: printer.pending_jobs }));
      rows.push(el("li", { class: "pp-printer", "data-printer": printer.name, "data-state": printer.state }, [
        el("span", { class: "pp-dot", "aria-hidden": "true" }),
        el("span", { class: "pp-name", text: printerName(printer) }),
        el("span", { class: "pp-state", text: label("printer_state_" + printer.state) }),
        details.length ? el("span", { class: "pp-detail", text: details.join(" · ") }) : "",
        printer.last_error && printer.state !== "online"
          ? el("span", { class: "pp-error", lang: "en", text: printer.last_error }) : "",
      ]));
      if (printer.alert) {
        alerts.push(el("p", { text: label("printer_offline_alert", { name: printerName(printer), since: localTime(printer.offline_since) }) }));
      }
    }
    ui.list.replaceChildren(...rows);
    ui.alert.replaceChildren(...alerts);
    ui.alert.hidden = alerts.length === 0;
  }

  function renderLast() {
    if (!lastJob) {
      ui.last.replaceChildren(el("h3", { text: label("last_ticket") }),
        el("p", { class: "pp-muted", text: label("no_ticket_printed") }));
      return;
    }
    const button = el("button", { type: "button", class: "button pp-reprint", text: label("reprint") });
    Staff.onPress(button, () => reprint(button));
    const frame = el("iframe", {
      class: "pp-preview", title: label("ticket_preview", { number: lastJob.number }),
      src: lastJob.preview_url + "?v=" + lastJob.status,
    });
    ui.last.replaceChildren(
      el("h3", { text: label("last_ticket") + ": " + lastJob.number }),
      el("p", { class: "pp-job", "data-status": lastJob.status, text: label("print_job_" + lastJob.status) }),
      frame, button);
  }

  /* Focus inside the preview frame (it scrolls, so Tab stops there) does not make the frame
     match :focus in this page: mark it while it holds focus, so it shows the focus ring. */
  window.addEventListener("blur", () => window.setTimeout(() => {
    const active = document.activeElement;
    if (active && active.classList.contains("pp-preview")) active.classList.add("has-focus");
  }, 0));
  window.addEventListener("focus", () => {
    for (const frame of root.querySelectorAll(".pp-preview.has-focus")) frame.classList.remove("has-focus");
  });

  async function reprint(button) {
    if (!lastJob || !lastJob.ticket_id) return;
    button.disabled = true;
    try {
      const job = await api("POST", "/tickets/" + lastJob.ticket_id + "/reprint");
      ui.status.textContent = label("reprinted", { number: job.number });
      showJob(job);
    } catch (failure) {
      ui.status.textContent = label("reprint_failed", { message: Staff.errorText(failure) });
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
    } catch (failure) {
      ui.status.textContent = label("printers_error");
    }
  }

  // One load at a time, and one more after it when asked meanwhile: a load answered before
  // a state change but arriving after its event would otherwise put the old state back
  // ("Tersambung" over "Kertas habis") until the next change or the 30 s fallback.
  const refresh = Staff.refresher(load);

  Staff.connectLive((name, payload) => {
    if (name === "connect") {
      refresh();
    } else if (name === "printer_status") {
      printers.set(payload.printer.name, payload.printer);
      renderPrinters();
      refresh();  // read again after any load in flight, which may predate this change
    } else if (name === "print_job_updated") {
      showJob(payload.job);
      const printer = printers.get(payload.job.printer);
      // Job counts change with every job; fetch them rather than guess.
      if (printer && (payload.job.status === "queued" || payload.job.status === "printed")) {
        refresh();
      }
    }
  }, ["printer_status", "print_job_updated"]);
  refresh();
  // A fallback for a dropped socket: the state is small.
  window.setInterval(refresh, 30000);
})();
