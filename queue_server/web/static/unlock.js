/* A screen locked to one page (the survey tablet, the visitors' kiosk): no link or button
   leaves it. An admin leaves it by holding the office name ([data-unlock-hold], or the
   staff top bar's brand) for 3 seconds (or Ctrl+Alt+U on a keyboard) and giving an admin's
   username and password; the server checks them, logs the unlock and ends the screen's
   session. The dialog is web/templates/_unlock.html. */
(function () {
  "use strict";
  const S = window.Staff;
  const HOLD_MS = 3000;
  const dialog = document.getElementById("unlock-dialog");
  const form = document.getElementById("unlock-form");
  const submit = document.getElementById("unlock-submit");
  const hold = document.querySelector("[data-unlock-hold]") ||
    document.querySelector(".topbar .brand");
  let timer = null;

  function open() {
    form.reset();
    S.clearError("unlock-errors");
    if (!dialog.open) dialog.showModal();
    form.elements.username.focus();
  }

  function release() {
    window.clearTimeout(timer);
    timer = null;
  }

  hold.addEventListener("pointerdown", () => {
    release();
    timer = window.setTimeout(open, HOLD_MS);
  });
  for (const name of ["pointerup", "pointerleave", "pointercancel"]) hold.addEventListener(name, release);
  hold.addEventListener("contextmenu", (event) => event.preventDefault());
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey && event.altKey && event.key.toLowerCase() === "u") {
      event.preventDefault();
      open();
    }
  });
  document.getElementById("unlock-cancel").addEventListener("click", () => dialog.close());

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      const result = await S.api("POST", "/auth/unlock", {
        username: form.elements.username.value, password: form.elements.password.value,
      });
      window.location.assign(result.next);
    } catch (failure) {
      form.elements.password.value = "";
      S.showMessage(S.label("error_prefix") + " " + S.errorText(failure), "unlock-errors");
      form.elements.password.focus();
    } finally {
      submit.disabled = false;
    }
  });
})();
