/* Counter officer: the request and its checklist, hand-off to PPID, hand-over, survey, security. */
(function () {
  "use strict";
  const P = window.Procedure;
  const { el, label, api } = P;
  const MINE = ["request", "processing", "hand_over", "survey", "call_security"];
  let uid = 0;

  function button(text, action, handler, primary) {
    const node = el("button", { type: "button", class: "button" + (primary ? " button-primary" : ""),
      "data-action": action }, [text]);
    node.addEventListener("click", () => P.act(node, () => handler(node)));
    return node;
  }

  function toggle(name, value, text, checked) {
    return el("label", { class: "segment" }, [
      el("input", { type: "checkbox", name, value, checked: !!checked }),
      el("span", { class: "segment-face", text }),
    ]);
  }

  function complete(visit, key, body) {
    return api("POST", `/visits/${visit.id}/steps/${key}/complete`, body || {});
  }

  async function watchPrint(jobId) {
    const note = document.getElementById("receipt-print");
    for (let attempt = 0; attempt < 20 && jobId; attempt += 1) {
      const job = await api("GET", `/print-jobs/${jobId}`).catch(() => null);
      if (!job) return;
      note.replaceChildren(`${job.printer}: ${job.status} `,
        el("a", { href: job.preview_url, target: "_blank", text: label("preview"), "data-status": job.status }));
      if (job.status === "printed" || job.status === "failed") return;
      await new Promise((resolve) => window.setTimeout(resolve, 500));
    }
  }

  function requestForm(visit) {
    uid += 1;
    const services = Object.entries(P.data.services);
    const checklist = el("div", { class: "segments" });
    const serviceGroup = el("div", { class: "segments" }, services.map(([code, service], index) =>
      el("label", { class: "segment" }, [
        el("input", { type: "radio", name: `service-${uid}`, value: code, checked: index === 0 }),
        el("span", { class: "segment-face", text: service.name }),
      ])));
    const fill = () => {
      const code = serviceGroup.querySelector("input:checked").value;
      checklist.replaceChildren(...P.data.services[code].requirements.map((item) =>
        toggle("requirement", item, item, false)));
    };
    serviceGroup.addEventListener("change", fill);
    fill();
    const subjectId = `subject-${uid}`;
    const subject = el("textarea", { class: "field", id: subjectId, maxlength: "2000", required: true });
    const sameDay = toggle("same_day", "yes", label("same_day"), false);
    const submit = button(label("record_request"), "record-request", async () => {
      const requirements = {};
      for (const box of checklist.querySelectorAll("input")) requirements[box.value] = box.checked;
      const saved = await complete(visit, "request", { request: {
        service: serviceGroup.querySelector("input:checked").value, subject: subject.value,
        requirements, same_day: sameDay.querySelector("input").checked } });
      P.say(label("request_recorded", { number: saved.request.number, due: saved.request.due_internal }));
      await refresh();
    }, true);
    return [
      el("fieldset", { class: "segmented" }, [el("legend", { text: label("service") }), serviceGroup]),
      el("fieldset", { class: "segmented" }, [el("legend", { text: label("requirements") }), checklist]),
      el("label", { class: "field-label", for: subjectId, text: label("subject") }), subject,
      el("div", { class: "segments" }, [sameDay]),
      el("p", { class: "legal", text: label("no_fee") }),
      el("div", { class: "actions" }, [submit]),
    ];
  }

  function body(visit) {
    const step = visit.step.key;
    const request = visit.request;
    if (step === "request") return requestForm(visit);
    if (step === "processing") {
      const parts = [el("p", { class: "card-detail", text: label("in_ppid", { due: request.due_internal }) })];
      if (visit.present) {
        const escort = toggle("escort", "yes", label("go_home_escort"), true);
        parts.push(el("div", { class: "segments" }, [escort]), el("div", { class: "actions" }, [
          button(label("go_home"), "go-home", async () => {
            await api("POST", `/visits/${visit.id}/leave`, { escort: escort.querySelector("input").checked });
            P.say(label("went_home"));
            await refresh();
          })]));
      } else {
        parts.push(el("p", { class: "hint", text: label("went_home") }));
      }
      return parts;
    }
    if (step === "hand_over") {
      return [
        el("p", { class: "card-detail" }, [el("strong", { text: label("result") + ": " }), request.result || ""]),
        el("div", { class: "actions" }, [button(label("hand_over"), "hand-over", async () => {
          const done = await complete(visit, "hand_over");
          document.getElementById("receipt-panel").hidden = false;
          document.getElementById("receipt-number").textContent = done.receipt;
          P.say(label("handed_over", { number: done.receipt }));
          await refresh();
          watchPrint(done.print_jobs.receipt);
        }, true)]),
      ];
    }
    if (step === "survey") {
      return [el("p", { class: "card-detail", text: label("survey_step") }), el("div", { class: "actions" }, [
        button(label("survey_filled"), "survey-filled", async () => {
          await complete(visit, "survey", { survey_filled: true });
          await refresh();
        }, true),
        button(label("survey_declined"), "survey-declined", async () => {
          await complete(visit, "survey", { survey_filled: false });
          await refresh();
        }),
      ])];
    }
    return [el("div", { class: "actions" }, [button(label("call_security"), "call-security", async () => {
      await complete(visit, "call_security");
      P.say(label("security_called"));
      await refresh();
    }, true)])];
  }

  function card(visit) {
    const guest = visit.guest || {};
    return el("li", { class: "card" + (visit.step.running_late ? " is-new" : ""), "data-visit": visit.id,
      "data-step": visit.step.key }, [
      el("h3", {}, [visit.pickup_ticket || visit.ticket || "", ` · ${guest.name || ""}`]),
      el("p", { class: "card-detail" }, [
        el("a", { href: "/kunjungan/" + visit.id, text: `${label("visit_label")} ${visit.id}` }),
        ` · ${visit.step.position}. ${visit.step.name} `, P.stepTimer(visit.step)]),
      visit.request ? el("p", { class: "card-detail", text: `${visit.request.number} · ${visit.request.subject}` }) : null,
      visit.step.key === "processing" ? null : P.equipment(visit),
      ...body(visit),
    ]);
  }

  async function load() {
    const visits = (await api("GET", "/visits")).visits.filter((v) => v.step && MINE.includes(v.step.key));
    P.renderList(document.getElementById("visits"), visits, (v) => v.id,
      (v) => [v.step.key, v.present, v.ticket, v.pickup_ticket, v.request && v.request.status,
        v.step.running_late].join("|"), card, label("counter_none"));
    await P.loadBoard("officer");
  }

  const refresh = P.refresher(load);
  P.connect((name, payload) => {
    if (name === "request_returned") {
      P.alarm();
      P.say(label("result_returned", { number: payload.number }));
    }
    refresh();
  });
  refresh();
})();
