/* Counter page: call, recall, no-show, call back, transfer and finish tickets; live queue. */
(function () {
  "use strict";

  const Staff = window.Staff;
  const data = Staff.data;
  const code = data.counter;
  const base = "/counters/" + encodeURIComponent(code);
  const byId = (id) => document.getElementById(id);
  const ui = {
    none: byId("current-none"), ticket: byId("current-ticket"), number: byId("current-number"),
    category: byId("current-category"), service: byId("current-service"),
    priority: byId("current-priority"), noShows: byId("no-shows"),
    noShowsEmpty: byId("no-shows-empty"), callNext: byId("call-next"),
    dialog: byId("transfer-dialog"), form: byId("transfer-form"),
    title: byId("transfer-title"), toService: byId("transfer-service"),
    toCounter: byId("transfer-counter"), cancel: byId("transfer-cancel"),
    openTransfer: byId("transfer"),
  };
  const actionButtons = Array.from(document.querySelectorAll(".actions button"));
  const served = new Set(data.counter_services);

  let current = null;
  let busy = false;

  const queueFilter = new URLSearchParams();
  if (data.priority_only) queueFilter.set("class", "priority");
  if (served.size === 1) queueFilter.set("service", Array.from(served)[0]);
  const queuePath = "/queue" + (queueFilter.toString() ? "?" + queueFilter : "");

  function forThisCounter(ticket) {
    return served.has(ticket.service) &&
      (!ticket.target_counter || ticket.target_counter === code) &&
      (!data.priority_only || ticket.priority > 0);
  }

  function renderCurrent(ticket) {
    current = ticket;
    ui.none.hidden = Boolean(ticket);
    ui.ticket.hidden = !ticket;
    if (ticket) {
      ui.number.textContent = ticket.number;
      ui.category.textContent = data.categories[ticket.category] || ticket.category;
      ui.service.textContent = data.services[ticket.service] || ticket.service;
      ui.priority.hidden = !(ticket.priority > 0);
    }
    updateButtons();
  }

  function updateButtons() {
    for (const button of actionButtons) {
      button.disabled = busy || (button.hasAttribute("data-needs-ticket") && !current);
    }
    for (const button of ui.noShows.querySelectorAll("button")) button.disabled = busy;
  }

  function renderNoShows(tickets) {
    const items = tickets.map((ticket) => {
      const button = Staff.el("button", {
        type: "button", class: "button", "data-ticket": ticket.id,
        "aria-label": Staff.label("call_back") + " " + ticket.number,
      }, [Staff.label("call_back")]);
      button.addEventListener("click", () =>
        act(button, "call-back", { ticket_id: ticket.id }, "called_message"));
      return Staff.el("li", { class: "no-show", "data-number": ticket.number }, [
        Staff.el("span", { class: "no-show-number", text: ticket.number }),
        Staff.el("span", { class: "no-show-detail", text: data.services[ticket.service] ||
          ticket.service }),
        button,
      ]);
    });
    ui.noShows.replaceChildren(...items);
    ui.noShowsEmpty.hidden = items.length > 0;
    updateButtons();
  }

  const refresh = Staff.refresher(async () => {
    const [status, queue] = await Promise.all([Staff.api("GET", base), Staff.api("GET", queuePath)]);
    renderCurrent(status.current);
    renderNoShows(status.no_shows);
    // The first page for this counter (the server filters by class and by a single
    // service); with more pages, the counts come from the server.
    Staff.renderQueue(queue.tickets.filter(forThisCounter), null,
      queue.next_cursor ? queue : null);
  });

  async function act(button, action, body, messageKey) {
    if (busy) return null;
    busy = true;
    updateButtons();
    Staff.clearError();
    let result = null;
    try {
      result = await Staff.api("POST", base + "/" + action, body);
      // 204: nobody is waiting for this counter.
      Staff.announce(result === null ? Staff.label("nothing_waiting")
        : Staff.label(messageKey, { number: result.number }));
    } catch (failure) {
      Staff.showError(failure);
    } finally {
      busy = false;
      updateButtons();
    }
    await refresh();
    // Keep the keyboard where it was; a button that is now disabled hands focus to "call next".
    (button && button.isConnected && !button.disabled ? button : ui.callNext).focus();
    return result;
  }

  // A double-click calls one visitor, not two (Staff.onPress ignores its second click).
  Staff.onPress(ui.callNext, () => act(ui.callNext, "call-next", undefined,
    "called_message"));
  Staff.onPress(byId("recall"), (event) =>
    act(event.currentTarget, "recall", undefined, "recalled_message"));
  Staff.onPress(byId("no-show"), (event) =>
    act(event.currentTarget, "no-show", undefined, "no_show_message"));
  Staff.onPress(byId("done"), (event) =>
    act(event.currentTarget, "done", undefined, "done_message"));

  // Transfer dialog: a native modal, with Tab kept inside and Esc closing it.
  function focusables() {
    return Array.from(ui.dialog.querySelectorAll("button, select, input, [href]"))
      .filter((node) => !node.disabled && node.offsetParent !== null);
  }

  ui.openTransfer.addEventListener("click", () => {
    if (!current) return;
    ui.title.textContent = Staff.label("transfer_title", { number: current.number });
    ui.form.reset();
    Staff.clearError("transfer-errors");
    ui.dialog.showModal();
    ui.toService.focus();
  });

  ui.dialog.addEventListener("keydown", (event) => {
    if (event.key !== "Tab") return;
    const nodes = focusables();
    if (nodes.length === 0) return;
    const first = nodes[0];
    const last = nodes[nodes.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });

  ui.dialog.addEventListener("close", () => {
    (ui.openTransfer.disabled ? ui.callNext : ui.openTransfer).focus();
  });

  ui.cancel.addEventListener("click", () => ui.dialog.close());

  ui.form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {};
    if (ui.toService.value) body.service = ui.toService.value;
    if (ui.toCounter.value) body.counter = ui.toCounter.value;
    if (!body.service && !body.counter) {
      Staff.showMessage(Staff.label("transfer_need_target"), "transfer-errors");
      ui.toService.focus();
      return;
    }
    const submit = byId("transfer-submit");
    submit.disabled = true;
    try {
      const result = await Staff.api("POST", base + "/transfer", body);
      ui.dialog.close();
      Staff.clearError();
      Staff.announce(Staff.label("transferred_message", { number: result.number }));
      refresh();
    } catch (failure) {
      Staff.showError(failure, "transfer-errors");
    } finally {
      submit.disabled = false;
    }
  });

  byId("cancel-current").addEventListener("click", async (event) => {
    if (!current) return;
    const opener = event.currentTarget;
    const cancelled = await window.TicketCancel.open(current, opener);
    if (cancelled) {
      await refresh();
      ui.callNext.focus();
    }
  });

  Staff.connectLive(refresh);
  refresh();
})();
