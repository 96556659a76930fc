/* Security (phone): escort calls in and out; a new call rings and vibrates. */
(function () {
  "use strict";
  const S = window.Staff;
  const P = window.Procedure;
  const { el, label, api } = S;
  const known = new Set();
  let first = true;

  function aidNames(codes) {
    return codes.map((code) => S.data.aids[code] || code).join(", ");
  }

  function toggles(call) {
    // Equipment of the security step, ticked where it matches an aid the visitor needs.
    if (!call.step_record_id || !call.visit.step) return null;
    // Both in the page language: the aids' names and the equipment's shown names.
    const wanted = new Set(call.aids.map((code) => (S.data.aids[code] || "").toLowerCase()));
    const key = call.visit.step.key;
    return el("fieldset", { class: "segmented" }, [
      el("legend", { text: label("provided") }),
      el("div", { class: "segments" }, call.visit.step.equipment.map((item) => el("label", {
        class: "segment" }, [
        el("input", { type: "checkbox", name: "equipment", value: item,
          checked: wanted.has(P.equipmentName(key, item).toLowerCase()) }),
        el("span", { class: "segment-face", text: P.equipmentName(key, item) }),
      ]))),
    ]);
  }

  function card(call) {
    const visit = call.visit;
    const title = call.kind === "in" ? label("escort_in") : label("escort_out");
    const places = call.kind === "in" ? ["ult"] : ["exit", "vehicle"];
    const ticks = toggles(call);
    const buttons = [];
    if (!call.acknowledged_at) {
      buttons.push(S.button(label("acknowledge"), async () => {
        await api("POST", `/escorts/${call.id}/acknowledge`);
        await refresh();
      }, { action: "acknowledge", primary: true, large: true }));
    }
    for (const place of places) {
      buttons.push(S.button(label("done_" + place), async () => {
        const equipment = {};
        if (ticks) {
          for (const box of ticks.querySelectorAll("input")) equipment[box.value] = box.checked;
        }
        await api("POST", `/escorts/${call.id}/done`, { place, equipment });
        S.announce(label("saved"));
        await refresh();
      }, { action: "done-" + place, large: true }));
    }
    return el("li", { class: "card escort-card" + (call.acknowledged_at ? "" : " is-new"),
      "data-call": call.id, "data-kind": call.kind }, [
      el("h3", { text: title }),
      el("p", { class: "card-detail" }, [
        visit.ticket ? el("strong", { text: (visit.pickup_ticket || visit.ticket) + " · " }) : null,
        `${label("visit")} ${call.visit_id}`,
        visit.step && visit.step.due_at && call.step_record_id ? " · " : null,
        visit.step && call.step_record_id ? P.stepTimer(visit.step) : null,
      ]),
      call.aids.length ? el("p", { class: "aids", text: label("aids") + ": " + aidNames(call.aids) }) : null,
      visit.arrival_note ? el("p", { class: "card-detail", text: visit.arrival_note }) : null,
      el("p", { class: "hint", text: call.acknowledged_by
        ? label("acknowledged_by", { name: call.acknowledged_by })
        : label("requested", { time: P.localTime(call.requested_at) }) }),
      ticks,
      el("div", { class: "actions" }, buttons),
    ]);
  }

  async function load() {
    const calls = (await api("GET", "/escorts")).escorts;
    const fresh = calls.filter((call) => !known.has(call.id));
    calls.forEach((call) => known.add(call.id));
    if (fresh.length && !first) {
      P.alarm();
      S.announce(label("new_call"));
    }
    first = false;
    P.renderList(document.getElementById("calls"), calls, (c) => c.id,
      (c) => [c.acknowledged_at, c.visit.step && c.visit.step.key].join("|"), card,
      label("calls_none"));
    await P.loadBoard("security");
  }

  const refresh = S.refresher(load);

  document.getElementById("sound-on").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    await P.unlockSound();
    button.setAttribute("aria-pressed", "true");
    button.textContent = label("sound_ready");
  });

  P.arrivalForm(refresh);
  P.connect(() => refresh());
  P.fetchAlerts();
  refresh();
})();
