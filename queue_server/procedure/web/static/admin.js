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
      el("td", {}, visit.step ? [P.stepName(visit.step.key, visit.step.position), " ",
        P.stepTimer(visit.step)] : []),
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
  const ikmExport = () => {
    document.getElementById("ikm-export").href =
      `/api/v1/reports/ikm?format=csv&from=${ikm.elements.from.value}&to=${ikm.elements.to.value}`;
  };
  ikm.addEventListener("change", ikmExport);
  ikmExport();
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
        el("p", { class: "hint", id: "ikm-weight", text: `${label("ikm_weight")}: ${report.weight_text}` }),
        el("table", { class: "data-table" }, [
          el("thead", {}, [el("tr", {}, [el("th", { scope: "col", text: label("element") }),
            el("th", { scope: "col", text: label("nrr") }),
            el("th", { scope: "col", text: label("element_grade") })])]),
          el("tbody", {}, report.elements.map((e) => el("tr", { "data-element": e.key }, [
            el("td", { text: e.name }),
            el("td", { text: e.nrr === null ? "—" : S.formatNumber(e.nrr, 2) }),
            el("td", { text: e.grade ? `${e.grade} (${e.grade_label})` : "—" })]))),
        ]));
    });
  });

  /* Data-subject requests (UU 27/2022 Pasal 5-8): each action sends the reason typed. */
  const subject = document.getElementById("subject-form");
  const result = document.getElementById("subject-result");
  const correct = document.getElementById("subject-correct");
  const subjectActions = document.getElementById("subject-actions");
  const reason = () => subject.elements.reason.value;
  const chosenEntries = () => [...result.querySelectorAll('input[name="entry"]:checked')]
    .map((box) => Number(box.value));

  function showEntries(entries) {
    result.replaceChildren(entries.length ? el("table", { class: "data-table" }, [
      el("thead", {}, [el("tr", {}, ["", label("visit"), label("date"), label("name"),
        label("nik"), label("institution")].map((text) => el("th", { scope: "col", text })))]),
      el("tbody", {}, entries.map((entry) => el("tr", { "data-entry": entry.id }, [
        el("td", {}, [el("input", { type: "checkbox", name: "entry", value: String(entry.id),
          checked: !entry.purged, "aria-label": `${label("visit")} ${entry.visit_id}` })]),
        el("td", { text: String(entry.visit_id) }), el("td", { text: entry.day }),
        el("td", { text: entry.name || "—" }), el("td", { text: entry.nik_masked || "—" }),
        el("td", { text: entry.institution || "—" }),
      ]))),
    ]) : el("p", { class: "muted", text: label("subject_none") }));
    correct.hidden = subjectActions.hidden = !entries.length;
  }

  async function find() {
    const f = subject.elements;
    const found = await api("POST", "/data-subjects/search", {
      nik: f.nik.value || null, name: f.name.value || null, reason: reason() });
    showEntries(found.entries);
  }

  subject.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!subject.reportValidity()) return;
    S.act(subject.querySelector("button"), find);
  });
  correct.addEventListener("submit", (event) => {
    event.preventDefault();
    const [entry] = chosenEntries();
    if (!entry || !subject.reportValidity()) return;
    S.act(correct.querySelector("button"), async () => {
      await api("PATCH", `/guests/${entry}`, { reason: reason(), changes: {
        [correct.elements.field.value]: correct.elements.value.value || null } });
      S.announce(label("saved"));
      correct.reset();
      await find();
    });
  });
  document.getElementById("subject-export").addEventListener("click", (event) => {
    if (!subject.reportValidity()) return;
    S.act(event.currentTarget, async () => {
      const data = await api("POST", "/data-subjects/export",
        { entry_ids: chosenEntries(), reason: reason() });
      const link = el("a", { href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)],
        { type: "application/json" })), download: "data-subjek.json" });
      link.click();
      URL.revokeObjectURL(link.href);
    });
  });
  document.getElementById("subject-erase").addEventListener("click", (event) => {
    if (!subject.reportValidity() || !window.confirm(label("subject_erase_confirm"))) return;
    S.act(event.currentTarget, async () => {
      await api("POST", "/data-subjects/erase", { entry_ids: chosenEntries(), reason: reason() });
      S.announce(label("subject_erased"));
      await find();
    });
  });

  P.connect(() => refresh());
  refresh();
})();
