/* Admin: every running step and deviation live, reassignment by letter, exports, the IKM. */
(function () {
  "use strict";
  const S = window.Staff;
  const P = window.Procedure;
  const { el, label, api } = S;
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: S.data.timezone }).format(new Date());

  async function load() {
    const visits = (await api("GET", "/visits")).visits;
    document.getElementById("active-visits").replaceChildren(...visits.map((visit) => el("tr", {
      "data-visit": visit.id }, [
      el("td", {}, [el("a", { href: "/kunjungan/" + visit.id, text: String(visit.id) })]),
      el("td", { text: visit.pickup_ticket || visit.ticket || "" }),
      el("td", {}, [visit.step ? `${visit.step.position}. ${P.stepText(visit.step)} ` : "",
        visit.step ? P.stepTimer(visit.step) : ""]),
      el("td", { text: visit.step ? label("role_" + visit.step.role) : "" }),
    ])));
    const select = document.getElementById("reassign-visit");
    const chosen = select.value;
    select.replaceChildren(...visits.map((visit) => el("option", { value: String(visit.id),
      text: `${visit.id} · ${visit.ticket || ""}` })));
    if (chosen) select.value = chosen;
    await P.loadBoard("admin");
  }

  const refresh = S.refresher(load);

  const reassign = document.getElementById("reassign-form");
  reassign.addEventListener("submit", (event) => {
    event.preventDefault();
    const f = reassign.elements;
    S.act(reassign.querySelector("button"), async () => {
      await api("POST", `/visits/${f.visit.value}/steps/${f.step.value}/reassign`, {
        to_user_id: Number(f.to.value), from_user_id: Number(f.from.value),
        letter_reference: f.letter.value, reason: f.reason.value || null });
      S.announce(label("reassigned"));
      reassign.reset();
      await refresh();
    });
  });

  const date = document.getElementById("records-date");
  function links() {
    for (const link of document.querySelectorAll("#record-links a[data-kind]")) {
      link.href = `/api/v1/records/${link.dataset.kind}?format=csv&date=${date.value}`;
    }
    document.getElementById("visits-export").href = `/api/v1/visits/export?from=${date.value}&to=${date.value}`;
  }
  date.value = today;
  date.addEventListener("change", links);
  links();

  const ikm = document.getElementById("ikm-form");
  ikm.elements.from.value = today.slice(0, 8) + "01";
  ikm.elements.to.value = today;
  ikm.addEventListener("submit", (event) => {
    event.preventDefault();
    S.act(ikm.querySelector("button"), async () => {
      const report = await api("GET", `/reports/ikm?from=${ikm.elements.from.value}` +
        `&to=${ikm.elements.to.value}&lang=${S.data.language}`);
      document.getElementById("ikm-result").replaceChildren(
        el("p", {}, [`${label("responses")}: ${report.responses} · ${label("ikm")}: `,
          el("strong", { id: "ikm-value", text: report.ikm === null ? "—" : S.formatNumber(report.ikm, 2) }),
          ` · ${label("grade")}: `, el("strong", { id: "ikm-grade",
            text: report.grade ? `${report.grade} (${report.grade_label})` : "—" })]),
        el("table", { class: "data-table" }, [
          el("thead", {}, [el("tr", {}, [el("th", { scope: "col", text: label("element") }),
            el("th", { scope: "col", text: label("nrr") })])]),
          el("tbody", {}, report.elements.map((e) => el("tr", {}, [el("td", { text: e.name }),
            el("td", { text: e.nrr === null ? "—" : S.formatNumber(e.nrr, 2) })]))),
        ]));
    });
  });

  P.connect(() => refresh());
  refresh();
})();
