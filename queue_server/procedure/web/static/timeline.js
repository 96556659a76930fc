/* A visit's timeline: live (it reloads when this visit changes) and the admin's NIK reveal. */
(function () {
  "use strict";
  const S = window.Staff;
  const P = window.Procedure;
  const form = document.getElementById("reveal-form");
  let connected = false;

  function typing() {
    return !!form && form.elements.reason.value.trim() !== "";
  }

  // The first connect only lights the banner; a reconnect or a change of this visit
  // reloads the page, unless the admin is typing a reason to reveal the NIK.
  P.connect((name, payload) => {
    if (name === "connect") {
      if (connected && !typing()) window.location.reload();
      connected = true;
      return;
    }
    if (payload.visit_id === S.data.visit_id && !typing()) window.location.reload();
  });

  if (!form) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    S.act(form.querySelector("button"), async () => {
      const shown = await S.api("POST", `/guests/${form.dataset.entry}/reveal`,
        { field: "nik", reason: form.elements.reason.value });
      document.getElementById("nik-shown").textContent = shown.value;
    });
  });
})();
