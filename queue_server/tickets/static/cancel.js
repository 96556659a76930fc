/* Cancelling a ticket issued by mistake: a confirm dialog that asks for the reason, shared by
   the reception and counter pages. TicketCancel.open(ticket, opener) resolves with the
   cancelled ticket (and its history), or null when staff keep it. */
(function () {
  "use strict";

  const Staff = window.Staff;
  const byId = (id) => document.getElementById(id);
  const ui = {
    dialog: byId("cancel-dialog"), form: byId("cancel-form"), title: byId("cancel-title"),
    reason: byId("cancel-reason"), submit: byId("cancel-submit"), keep: byId("cancel-keep"),
  };
  let pending = null;

  function finish(result) {
    const done = pending;
    pending = null;
    if (ui.dialog.open) ui.dialog.close();
    if (done) {
      if (done.opener && done.opener.isConnected && !done.opener.disabled) done.opener.focus();
      done.resolve(result);
    }
  }

  /* What became of the print job, from the cancellation's line in the history. */
  function printNote(ticket) {
    const line = (ticket.history || []).filter((entry) => entry.action === "cancelled").pop();
    const jobs = line && line.details && line.details.print_jobs;
    if (!jobs) return "";
    if (jobs.left && jobs.left.length) return " " + Staff.label("cancelled_print_left");
    if (jobs.withdrawn && jobs.withdrawn.length) return " " + Staff.label("cancelled_print_withdrawn");
    return "";
  }

  function open(ticket, opener) {
    return new Promise((resolve) => {
      pending = { ticket, opener, resolve };
      ui.title.textContent = Staff.label("cancel_title", { number: ticket.number });
      ui.form.reset();
      Staff.clearError("cancel-errors");
      ui.dialog.showModal();
      ui.reason.focus();
    });
  }

  ui.keep.addEventListener("click", () => finish(null));
  ui.dialog.addEventListener("cancel", (event) => { event.preventDefault(); finish(null); });

  ui.form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!pending) return;
    const reason = ui.reason.value.trim();
    if (!reason) {
      Staff.showMessage(Staff.label("cancel_need_reason"), "cancel-errors");
      ui.reason.focus();
      return;
    }
    ui.submit.disabled = true;
    try {
      const result = await Staff.api("POST", `/tickets/${pending.ticket.id}/cancel`, { reason });
      Staff.clearError();
      Staff.announce(Staff.label("cancelled_message", { number: result.number }) + printNote(result));
      finish(result);
    } catch (failure) {
      Staff.showError(failure, "cancel-errors");
    } finally {
      ui.submit.disabled = false;
    }
  });

  window.TicketCancel = { open };
})();
