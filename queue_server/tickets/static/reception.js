/* Receptionist page: one press of a category button issues a ticket; the queue stays live. */
(function () {
  "use strict";

  const Staff = window.Staff;
  // Network hiccups are retried with the same Idempotency-Key, so a retry never makes a twin.
  const RETRY_DELAYS_MS = [300, 1000];
  const byId = (id) => document.getElementById(id);
  const buttons = Array.from(document.querySelectorAll(".category-button"));
  const ui = {
    retryBox: byId("retry-box"), retryButton: byId("retry-button"),
    none: byId("issued-none"), ticket: byId("issued-ticket"), number: byId("issued-number"),
    ahead: byId("issued-ahead"), detail: byId("issued-detail"), estimate: byId("issued-estimate"),
    link: byId("issued-link"), notify: byId("issued-notify"),
    phone: byId("notify-phone"), consent: byId("notify-consent"),
    actions: byId("issued-actions"), cancel: byId("issued-cancel"),
  };

  // A press whose outcome is unknown (network or server failure): retrying it reuses its key.
  let unconfirmed = null;
  let busy = false;
  let lastIssuedId = null;
  let lastIssued = null;

  const sleep = (ms) => new Promise((resolve) => window.setTimeout(resolve, ms));

  function selectedService() {
    const checked = document.querySelector('input[name="service"]:checked');
    return checked ? checked.value : null;
  }

  function outcomeUnknown(failure) {
    return failure.code === "network" || failure.status >= 500;
  }

  async function send(press) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await Staff.api("POST", "/tickets",
          Object.assign({ service: press.service, category: press.category }, press.contact),
          { "Idempotency-Key": press.key });
      } catch (failure) {
        if (!outcomeUnknown(failure) || attempt >= RETRY_DELAYS_MS.length) throw failure;
        await sleep(RETRY_DELAYS_MS[attempt]);
      }
    }
  }

  function setBusy(on, press) {
    busy = on;
    for (const button of buttons) {
      button.disabled = on;
      button.setAttribute("aria-busy", on && button === press.button ? "true" : "false");
    }
    ui.retryButton.disabled = on;
  }

  function showIssued(ticket) {
    const ahead = Math.max(0, (ticket.position || 1) - 1);
    ui.number.textContent = ticket.number;
    ui.ahead.textContent = ahead === 0 ? Staff.label("ahead_none")
      : Staff.label("ahead_count", { count: ahead });
    ui.detail.textContent = (Staff.data.categories[ticket.category] || ticket.category) + " · " +
      (Staff.data.services[ticket.service] || ticket.service);
    // The estimated wait, in this page's language; none when there is too little data.
    const estimate = ticket.estimate;
    ui.estimate.hidden = !estimate;
    ui.estimate.textContent = estimate ? Staff.label("ticket_estimate", {
      range: Staff.label("estimate_range", { low: estimate.low_minutes, high: estimate.high_minutes }),
    }) : "";
    // The same link as the printed QR code, to send to the visitor by message.
    ui.link.href = ticket.status_url;
    ui.notify.hidden = !ticket.notify_phone;
    ui.notify.textContent = ticket.notify_phone
      ? Staff.label("notify_to", { phone: ticket.notify_phone }) : "";
    ui.ticket.dataset.ticket = ticket.id;
    ui.none.hidden = true;
    ui.ticket.hidden = false;
    lastIssued = ticket;
    ui.actions.hidden = false;
  }

  function showCancelled(ticket) {
    if (lastIssued && lastIssued.id === ticket.id) {
      ui.actions.hidden = true;
      ui.ahead.textContent = Staff.label("queue_status_cancelled");
    }
    refresh();
  }

  async function cancel(ticket, opener) {
    const cancelled = await window.TicketCancel.open(ticket, opener);
    if (cancelled) showCancelled(cancelled);
  }

  function cancelButton(ticket) {
    const button = Staff.el("button", {
      type: "button", class: "button", "aria-haspopup": "dialog",
      "aria-label": Staff.label("cancel_ticket_number", { number: ticket.number }),
    }, [Staff.label("cancel_ticket")]);
    button.addEventListener("click", () => cancel(ticket, button));
    return button;
  }

  ui.cancel.addEventListener("click", () => { if (lastIssued) cancel(lastIssued, ui.cancel); });

  async function issue(press) {
    if (busy) return;
    setBusy(true, press);
    Staff.clearError();
    ui.retryBox.hidden = true;
    try {
      const result = await send(press);
      unconfirmed = null;
      forgetContact();  // the next visitor's ticket must never carry this number
      lastIssuedId = result.id;
      showIssued(result);
      refresh();
    } catch (failure) {
      unconfirmed = outcomeUnknown(failure) ? press : null;
      ui.retryBox.hidden = unconfirmed === null;
      Staff.showError(failure);
    } finally {
      setBusy(false, press);
      // Disabling the pressed button dropped its focus; give it back for the next press.
      (unconfirmed ? ui.retryButton : press.button).focus();
    }
  }

  // The visitor's phone, sent only with their consent; kept in the form for one ticket.
  function contact() {
    if (!ui.phone || !ui.consent.checked || !ui.phone.value.trim()) return {};
    const language = document.querySelector('input[name="notify_language"]:checked');
    return { phone: ui.phone.value.trim(), notify_consent: true,
             notify_language: language ? language.value : null };
  }

  function forgetContact() {
    if (!ui.phone) return;
    ui.phone.value = "";
    ui.consent.checked = false;
  }

  // A double-click issues one ticket (Staff.onPress ignores its second click).
  for (const button of buttons) {
    Staff.onPress(button, () => {
      const service = selectedService();
      const category = button.dataset.category;
      const retrying = unconfirmed && unconfirmed.service === service &&
        unconfirmed.category === category;
      issue(retrying ? Object.assign(unconfirmed, { button })
        : { key: Staff.randomKey(), service, category, button, contact: contact() });
    });
  }

  ui.retryButton.addEventListener("click", () => {
    if (unconfirmed) issue(unconfirmed);
  });

  const refresh = Staff.refresher(async () => {
    // The first page (100 in call order) and the server's counts of the rest.
    const queue = await Staff.api("GET", "/queue");
    Staff.renderQueue(queue.tickets, lastIssuedId, queue.next_cursor ? queue : null,
      cancelButton);
  });

  Staff.connectLive(refresh);
  refresh();
})();
