/* A ticket's public status page (/t/<code>): live while the ticket waits or is called.

   The /ticket socket sends the ticket's public status on connect (so a reconnect
   resynchronises) and whenever the ticket changes; "queue_changed" says the place may have
   moved, and a waiting page asks again after a short random delay (so a room of phones
   does not ask at the same instant). While the socket is down the page polls
   /api/v1/t/<code> instead. The lines go into a polite live region, replaced only when
   their text changes. Without JavaScript the page still has its "Muat ulang" link.

   When the ticket is called the page covers the screen ("Giliran Anda — Loket 2"), writes
   the call into an assertive live region, vibrates, and plays the chime and the spoken
   call with the TV's own announcer (display/announcer.js) from the parts the server
   composes; "Dengarkan lagi" plays it again. While the ticket is live the screen is kept
   awake (Wake Lock, where the browser has it). With ?test-log=1 the page's record of what
   it did is window.ticketLog, as the TV's is window.displayLog. */
(function () {
  "use strict";
  const POLL_MS = 15000;
  const SPREAD_MS = [250, 1500];
  const RETRY_MS = 3000;
  // A call older than this when the page first sees it is not announced again.
  const FRESH_CALL_MS = 2 * 60 * 1000;
  const VIBRATION = [400, 150, 400, 150, 400];
  const CLASSES = { state: "please-wait", ahead: "ahead", estimate: "ticket-estimate", detail: "ticket-detail" };
  const byId = (id) => document.getElementById(id);
  const root = byId("ticket-status");
  const lines = byId("ticket-lines");
  const ui = {
    refreshBox: byId("ticket-refresh"), liveHint: byId("ticket-live"), offline: byId("ticket-offline"),
    sound: byId("ticket-sound"), turn: byId("ticket-turn"), turnHeading: byId("ticket-turn-heading"),
    turnCounter: byId("ticket-turn-counter"), listen: byId("ticket-listen"),
    close: byId("ticket-turn-close"), announce: byId("ticket-announce"), number: byId("ticket-number"),
  };
  const code = root.dataset.code;
  const language = document.documentElement.lang || "id";
  const endpoint = "/api/v1/t/" + encodeURIComponent(code) + "?lang=" + encodeURIComponent(language);
  const log = {
    plays: [], ends: [], spoken: [], announcements: [], vibrations: [], wakeLock: [],
    statuses: [], connection: [], probe: null,
  };
  if (new URLSearchParams(window.location.search).get("test-log") === "1") window.ticketLog = log;
  const announcer = typeof window.Announcer === "function"
    ? new window.Announcer(log, (needed) => { ui.sound.hidden = !needed; }, {
      onSpeak: (item, segment) => log.spoken.push({
        seq: item.seq, kind: segment.kind, lang: segment.lang, url: segment.url, at: Date.now(),
      }),
    })
    : null;
  let shown = lines.innerText.trim();
  let socket = null;
  let pollTimer = null;
  let askTimer = null;
  let expiryTimer = null;
  let finished = false;
  let current = null; // the call on screen
  let wakeLock = null;
  let dismissed = null; // the call whose screen the visitor closed: not shown again
  const handled = new Set();
  const behind = [root, document.querySelector("header")];
  // The call already on the page when it loaded: announced only if it is still fresh.
  const loadedSeq = root.dataset.callSeq ? Number(root.dataset.callSeq) : null;

  function renderLines(status) {
    const text = status.lines.map((line) => line.text).join("\n");
    if (text === shown) return;
    shown = text;
    lines.replaceChildren(...status.lines.map((line) => {
      const node = document.createElement("p");
      node.className = CLASSES[line.kind] || "";
      if (line.value && line.text.endsWith(line.value)) {
        // The range ends the line: kept whole ("± 10-15 menit"), never broken at its dash.
        const value = document.createElement("span");
        value.className = "nowrap";
        value.textContent = line.value;
        node.append(line.text.slice(0, line.text.length - line.value.length), value);
      } else {
        node.textContent = line.text;
      }
      return node;
    }));
  }

  function render(status) {
    if (!status || !Array.isArray(status.lines)) return;
    log.statuses.push({ status: status.status, seq: status.call ? status.call.seq : null, at: Date.now() });
    root.dataset.status = status.status;
    renderLines(status);
    renderCall(status.call);
    watchExpiry(status.recall_until);
    if (!status.live) finish();
  }

  /* The call screen: shown while the ticket is called, announced once per call. */
  function renderCall(call) {
    if (!call) {
      current = null;
      showTurn(false);
      return;
    }
    const isNew = !current || current.seq !== call.seq;
    current = call;
    ui.turnHeading.textContent = call.headline;
    ui.turnCounter.textContent = call.counter_name;
    ui.listen.hidden = !(announcer && call.audio);
    ui.close.hidden = false;
    const wasHidden = ui.turn.hidden;
    if (!isNew && dismissed === call.seq) return;
    showTurn(true);
    if (isNew && !handled.has(call.seq)) {
      handled.add(call.seq);
      const stale = call.seq === loadedSeq && Date.now() - Date.parse(call.called_at) > FRESH_CALL_MS;
      if (!stale && call.announced !== false) alertTurn(call);
    }
    if (wasHidden || isNew) ui.turnHeading.focus();
  }

  /* The call screen covers the page: what is behind it takes no focus meanwhile. */
  function showTurn(on) {
    ui.turn.hidden = !on;
    for (const node of behind) if (node) node.inert = on;
  }

  function alertTurn(call) {
    ui.turn.classList.remove("is-new");
    void ui.turn.offsetWidth; // restart the flash
    ui.turn.classList.add("is-new");
    ui.announce.textContent = "";
    window.setTimeout(() => { ui.announce.textContent = call.spoken; }, 50);
    vibrate();
    speak(call);
  }

  function speak(call) {
    if (!announcer || !call.audio) return;
    const result = announcer.enqueue({ seq: call.seq, number: call.number, counter: call.counter, audio: call.audio });
    log.announcements.push({ seq: call.seq, result: result, at: Date.now() });
  }

  function vibrate() {
    const result = typeof navigator.vibrate === "function" ? navigator.vibrate(VIBRATION) : "unsupported";
    log.vibrations.push({ pattern: VIBRATION, result: result, at: Date.now() });
  }

  /* Keep the phone's screen on while the visitor waits (where the browser allows it). */
  async function keepAwake() {
    if (finished || wakeLock || document.visibilityState !== "visible") return;
    if (!("wakeLock" in navigator)) {
      log.wakeLock.push({ result: "unsupported", at: Date.now() });
      return;
    }
    try {
      wakeLock = await navigator.wakeLock.request("screen");
      log.wakeLock.push({ result: "held", at: Date.now() });
      wakeLock.addEventListener("release", () => { wakeLock = null; });
    } catch (error) {
      log.wakeLock.push({ result: (error && error.name) || "error", at: Date.now() });
    }
  }

  function letSleep() {
    if (wakeLock) wakeLock.release().catch(() => {});
    wakeLock = null;
  }

  /* A no-show can be called back until recall_until: after that, ask once more. */
  function watchExpiry(until) {
    window.clearTimeout(expiryTimer);
    const at = until ? Date.parse(until) : NaN;
    if (Number.isFinite(at)) expiryTimer = window.setTimeout(poll, Math.max(1000, at - Date.now() + 1000));
  }

  /* The ticket is served, missed for good or cancelled: nothing more will change. */
  function finish() {
    finished = true;
    stopPolling();
    window.clearTimeout(askTimer);
    window.clearTimeout(expiryTimer);
    letSleep();
    if (socket) socket.disconnect();
    if (ui.refreshBox) ui.refreshBox.hidden = true;
    if (ui.offline) ui.offline.hidden = true;
  }

  async function poll() {
    try {
      const response = await fetch(endpoint, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (response.status === 404) {
        window.location.reload(); // the page says the code is unknown or no longer valid
        return;
      }
      if (response.ok) render(await response.json());
    } catch (error) {
      // Offline for now: the next poll tries again.
    }
  }

  function startPolling() {
    if (finished || pollTimer !== null) return;
    pollTimer = window.setInterval(poll, POLL_MS);
    poll();
  }

  function stopPolling() {
    if (pollTimer !== null) window.clearInterval(pollTimer);
    pollTimer = null;
  }

  function askSoon() {
    if (finished || askTimer !== null || root.dataset.status !== "waiting") return;
    const delay = SPREAD_MS[0] + Math.random() * (SPREAD_MS[1] - SPREAD_MS[0]);
    askTimer = window.setTimeout(() => {
      askTimer = null;
      if (socket && socket.connected) socket.emit("refresh");
    }, delay);
  }

  function setLive(on) {
    log.connection.push({ state: on ? "connected" : "disconnected", at: Date.now() });
    // Observable without touching the page, which would count as a user gesture.
    console.info(`ticket: connection ${on ? "connected" : "disconnected"}`);
    if (ui.offline) ui.offline.hidden = on || finished;
    if (on) stopPolling();
    else startPolling();
  }

  function connect() {
    // Websocket only: behind nginx no process needs to be sticky (README, several processes).
    socket = window.io("/ticket", { transports: ["websocket"], auth: { ticket: code, lang: language } });
    socket.on("connect", () => setLive(true));
    socket.on("disconnect", (reason) => {
      if (finished) return;
      setLive(false);
      // Socket.IO does not reconnect by itself after a server-side disconnect.
      if (reason === "io server disconnect") window.setTimeout(() => socket.connect(), RETRY_MS);
    });
    socket.on("connect_error", () => {
      if (finished) return;
      setLive(false);
      // A refused connection (the server restarting) is final for the client: keep trying.
      if (!socket.active) window.setTimeout(() => socket.connect(), RETRY_MS);
    });
    socket.on("status", render);
    socket.on("queue_changed", askSoon);
  }

  ui.sound.addEventListener("click", () => announcer && announcer.unlock());
  ui.listen.addEventListener("click", () => {
    if (!current) return;
    if (announcer) announcer.unlock();
    speak(current);
  });
  ui.close.addEventListener("click", () => {
    dismissed = current ? current.seq : null;
    showTurn(false);
    ui.number.focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !ui.turn.hidden) ui.close.click();
  });
  document.addEventListener("visibilitychange", keepAwake);

  if (ui.liveHint) ui.liveHint.hidden = false; // by socket or by polling, the page keeps up
  if (announcer) announcer.probe();
  keepAwake();
  if (typeof window.io !== "function") {
    startPolling();
    return;
  }
  connect();
})();
