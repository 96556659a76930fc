/* The visitors' kiosk: choose a service (and a category, when the office offers more than the
   regular queue), get one number per visit (one Idempotency-Key until the kiosk returns to
   the start, so a double tap or a retry gives the same ticket), see and hear it, and return
   to the start. A printer out of paper sends the visitor to reception instead. */
(function () {
  "use strict";

  const Staff = window.Staff;
  const data = Staff.data;
  const STATUS_POLL_MS = 15000;
  const RETRY_DELAY_MS = 500;
  const byId = (id) => document.getElementById(id);
  const screens = {
    start: byId("screen-start"), category: byId("screen-category"), busy: byId("screen-busy"),
    result: byId("screen-result"), noPaper: byId("screen-no-paper"), failed: byId("screen-failed"),
  };
  const ui = {
    number: byId("result-number"), ahead: byId("result-ahead"), estimate: byId("result-estimate"),
    listen: byId("listen"), audio: byId("main-audio"), language: byId("language"),
  };
  // What the kiosk did, for the browser tests (only with ?test-log=1).
  const played = Staff.testLog("kioskPlayed");
  const issuedLog = Staff.testLog("kioskIssued");
  const resets = Staff.testLog("kioskResets");

  let current = "start";
  let visit = null; // {key, service}: one visit to the kiosk, one ticket
  let busy = false;
  let shownTicket = null;
  let timer = null;
  let playing = null; // {stop} while "Dengarkan" speaks

  function newVisit() {
    visit = { key: Staff.randomKey(), service: null };
  }

  function show(name) {
    stopSpeaking();
    current = name;
    for (const [key, node] of Object.entries(screens)) {
      if (node) node.hidden = key !== name; // no category screen for the regular queue alone
    }
    document.body.dataset.screen = name;
    armTimer();
  }

  /* Back to the start, in the office's default language, with a fresh visit. */
  function home(reason) {
    resets.push(reason || "button");
    if (data.language !== data.default_language) {
      window.location.assign("/lang/" + data.default_language + "?next=/anjungan");
      return;
    }
    newVisit();
    show("start");
  }

  /* The result returns after result_seconds, any other screen after idle_seconds untouched;
     never in the middle of reading aloud. */
  function armTimer() {
    window.clearTimeout(timer);
    const atRest = current === "start" && data.language === data.default_language;
    if (atRest || current === "busy") return;
    const seconds = current === "result" ? data.result_seconds : data.idle_seconds;
    timer = window.setTimeout(function expire() {
      if (playing) {
        timer = window.setTimeout(expire, 1000);
        return;
      }
      home(current === "result" ? "result" : "idle");
    }, seconds * 1000);
  }

  function setChoicesDisabled(disabled) {
    for (const button of document.querySelectorAll(".choice")) button.disabled = disabled;
  }

  async function send(category) {
    const body = { service: visit.service, category };
    try {
      return await Staff.api("POST", "/tickets", body, { "Idempotency-Key": visit.key });
    } catch (failure) {
      if (failure.code !== "network" && failure.status < 500) throw failure;
      await new Promise((resolve) => window.setTimeout(resolve, RETRY_DELAY_MS));
      return Staff.api("POST", "/tickets", body, { "Idempotency-Key": visit.key });
    }
  }

  async function issue(category) {
    if (busy) return; // the second tap of a double tap
    busy = true;
    setChoicesDisabled(true);
    show("busy");
    try {
      // Checked first so nobody gets a number the printer cannot give them; the server
      // refuses it too (409 printer_out_of_paper) if the paper ran out meanwhile.
      const status = await Staff.api("GET", "/kiosk");
      if (!status.can_issue) {
        show(status.printer ? "noPaper" : "failed");
        return;
      }
      const ticket = await send(category);
      issuedLog.push(ticket.number);
      showResult(ticket);
    } catch (failure) {
      if (failure.code === "unauthorized") window.location.reload();
      show(failure.code === "printer_out_of_paper" ? "noPaper" : "failed");
    } finally {
      busy = false;
      setChoicesDisabled(false);
    }
  }

  function showResult(ticket) {
    shownTicket = ticket;
    const ahead = Math.max(0, (ticket.position || 1) - 1);
    ui.number.textContent = ticket.number;
    ui.ahead.textContent = ahead === 0 ? Staff.label("kiosk_ahead_none")
      : Staff.label("kiosk_ahead", { count: ahead });
    const estimate = ticket.estimate && ticket.estimate.text;
    ui.estimate.hidden = !estimate;
    ui.estimate.textContent = estimate ? Staff.label("kiosk_estimate", { text: estimate }) : "";
    show("result");
  }

  /* "Dengarkan": the screen's texts from their clips, one after another. */
  async function clipsOfScreen() {
    if (current === "result" && shownTicket) {
      const ticket = shownTicket;
      const query = new URLSearchParams({
        lang: data.language, number: ticket.number,
        ahead: String(Math.max(0, (ticket.position || 1) - 1)),
      });
      if (ticket.estimate && ticket.estimate.low_minutes != null) {
        query.set("low", String(Math.round(ticket.estimate.low_minutes)));
        query.set("high", String(Math.round(ticket.estimate.high_minutes)));
      }
      const speech = await Staff.api("GET", "/kiosk/speech?" + query.toString()).catch(() => null);
      return speech ? speech.urls : [];
    }
    return Array.from(screens[current].querySelectorAll("[data-say]"))
      .map((node) => data.clips[node.textContent.trim()]).filter(Boolean);
  }

  function stopSpeaking() {
    if (playing) playing.stop();
  }

  async function speak() {
    if (playing) {
      stopSpeaking();
      return;
    }
    const state = { stopped: false, stop: null };
    playing = state;
    ui.listen.setAttribute("aria-pressed", "true");
    state.stop = () => {
      state.stopped = true;
      ui.audio.pause();
      ui.audio.removeAttribute("src");
      if (playing === state) playing = null;
      ui.listen.setAttribute("aria-pressed", "false");
    };
    for (const url of await clipsOfScreen()) {
      if (state.stopped) break;
      played.push(url);
      ui.audio.src = url;
      try {
        await ui.audio.play();
        await new Promise((resolve) => {
          ui.audio.onended = resolve;
          ui.audio.onerror = resolve;
          ui.audio.onpause = resolve;
        });
      } catch (error) {
        break; // no sound device or a clip that will not play: the screen still says it
      }
    }
    if (!state.stopped) state.stop();
    armTimer();
  }

  async function watchPrinter() {
    try {
      const status = await Staff.api("GET", "/kiosk");
      if (!status.can_issue && status.printer && current === "start") show("noPaper");
      if (status.can_issue && current === "noPaper") home("paper");
    } catch (failure) {
      if (failure.code === "unauthorized") window.location.reload();
    }
  }

  // A double tap is one press (Staff.onPress ignores its second tap).
  for (const button of document.querySelectorAll("[data-service]")) {
    Staff.onPress(button, () => {
      if (busy) return;
      visit.service = button.dataset.service;
      if (data.categories.length > 1) show("category");
      else issue(data.categories[0].code);
    });
  }
  for (const button of document.querySelectorAll("[data-category]")) {
    Staff.onPress(button, () => issue(button.dataset.category));
  }
  for (const button of document.querySelectorAll("[data-home]")) {
    button.addEventListener("click", () => home("button"));
  }
  ui.listen.setAttribute("aria-pressed", "false");
  ui.listen.addEventListener("click", speak);
  // Any touch keeps the current screen a while longer.
  document.addEventListener("pointerdown", armTimer, true);
  document.addEventListener("keydown", armTimer, true);
  // The kiosk is one page all day: no context menu, no pinch or double-tap zoom.
  document.addEventListener("contextmenu", (event) => event.preventDefault());
  document.addEventListener("dblclick", (event) => event.preventDefault());

  newVisit();
  show("start");
  if (data.language !== data.default_language) armTimer();
  window.setInterval(watchPrinter, STATUS_POLL_MS);
  watchPrinter();
})();
