/* Waiting-room display: keep the snapshot in step with the server, show and announce calls. */
(function () {
  "use strict";

  const I18n = window.DisplayI18n;
  const ConnectionState = Object.freeze({
    // STALE: the socket is open but the server's heartbeat stopped (its event stream,
    // e.g. Redis between server processes, is gone): the screen may be out of date.
    CONNECTING: "connecting", CONNECTED: "connected", DISCONNECTED: "disconnected", STALE: "stale",
  });
  const SnapshotSource = Object.freeze({ HTTP: "http", SOCKET: "socket" });

  const RECENT_KEPT = 30;
  const HANDLED_KEPT = 200;
  // A call missed during a short outage is still worth announcing; an old one is not.
  const MISSED_CALL_MAX_AGE_MS = 2 * 60 * 1000;
  const RETRY_MS = 3000;
  const STATE_WAIT_MS = 3000;
  // How long a call that skipped a seq waits for the calls before it (handleCall).
  const GAP_WAIT_MS = 1000;
  const early = new Map();
  let gapTimer = null;
  const RESYNC_INTERVAL_MS = 5 * 60 * 1000;
  // The server beats every 2 s; after this long without a beat the TV says it is not live.
  const HEARTBEAT_SILENCE_MS = 5000;
  // The TV runs for months without a reload: keep only the latest records.
  const LOG_KEPT = 500;

  // What the page did, from load on: the page records its own play attempts, because a
  // test's evaluate() counts as a user gesture and would unlock sound.
  const log = {
    plays: [], ends: [], calls: [], shown: [], snapshots: [], connection: [], announcements: [],
    spoken: [], drops: [], notices: [], probe: null,
  };
  const params = new URLSearchParams(window.location.search);
  // Only the tests and bench/display_latency.py read it: they open the page with ?test-log=1.
  const testing = params.get("test-log") === "1";
  if (testing) window.displayLog = log;
  // Tests end each sound themselves (window.displayAudio.finish()) with ?test-audio=manual.
  const manualAudio = testing && params.get("test-audio") === "manual";
  const filter = { counters: params.get("counters") || "", display: params.get("display") || "" };

  const state = {
    snapshot: null,
    seq: null,
    connection: ConnectionState.CONNECTING,
    // After a (re)connect the server may have restarted with a lower seq: trust its next snapshot.
    acceptAnySnapshot: true,
    // Whether the socket has sent a snapshot since the connection was last lost.
    socketSnapshotFresh: false,
    // Calls up to this seq were made before the page first saw the office: never announce them.
    floorSeq: null,
    handledSeqs: new Set(),
  };

  const board = new window.DisplayBoard(document);
  const announcer = new window.Announcer(log, (needed) => board.showUnlock(needed), {
    manualAudio: manualAudio,
    onSpeak: recordSpoken,
  });
  if (manualAudio) {
    const ManualAudio = window.Announcer.ManualAudio;
    window.displayAudio = {
      finish: () => Boolean(ManualAudio.playing && (ManualAudio.playing.end() || true)),
      playing: () => (ManualAudio.playing ? ManualAudio.playing.src : null),
    };
  }
  let socket = null;
  let stateTimer = null;
  let lastBeatAt = Date.now();
  let lastNoticeAt = Date.now();
  let noticeDeferred = false;

  /** The counter the screen shows for a ticket number, or null when it shows none. */
  function shownCounter(number) {
    const snapshot = state.snapshot;
    if (!snapshot) return null;
    const calls = (snapshot.current ? [snapshot.current] : []).concat(snapshot.recent);
    const call = calls.find((item) => item.number === number);
    return call ? String(call.counter) : null;
  }

  function recordSpoken(item, segment) {
    log.spoken.push({
      seq: item.seq === undefined ? null : item.seq, number: item.number || null,
      counter: item.counter || null, kind: segment.kind, lang: segment.lang, url: segment.url,
      at: Date.now(), shown: item.number ? shownCounter(item.number) : null,
    });
  }

  function emptySnapshot() {
    return {
      office: {}, running_text: "", counters: [], current: null, recent: [],
      waiting: { priority: 0, regular: 0 },
    };
  }

  function isShown(counterCode) {
    const counters = state.snapshot ? state.snapshot.counters : [];
    // An empty list means the server named no subset: show every counter.
    return counters.length === 0 || counters.some((counter) => String(counter.code) === String(counterCode));
  }

  function setConnection(connection) {
    if (state.connection === connection) return;
    state.connection = connection;
    log.connection.push({ state: connection, at: Date.now() });
    // Observable without touching the page, which would count as a user gesture.
    console.info(`display: connection ${connection}`);
    board.showConnection(connection, connection === ConnectionState.DISCONNECTED
      || connection === ConnectionState.STALE);
    if (connection === ConnectionState.DISCONNECTED || connection === ConnectionState.STALE) {
      state.acceptAnySnapshot = true;
      state.socketSnapshotFresh = false;
    }
  }

  function remember(seq) {
    state.handledSeqs.add(seq);
    if (state.handledSeqs.size > HANDLED_KEPT) {
      state.handledSeqs.delete(state.handledSeqs.values().next().value);
    }
  }

  /** Return the shown calls of the snapshot that this page has not handled and that are still fresh. */
  function missedCalls(serverTime) {
    const now = Number.isFinite(serverTime) ? serverTime : Date.now() + board.clockOffsetMs;
    return state.snapshot.recent
      .filter((call) => call.live !== false)
      .filter((call) => call.seq > state.floorSeq && !state.handledSeqs.has(call.seq))
      .filter((call) => isShown(call.counter))
      .filter((call) => now - Date.parse(call.called_at) < MISSED_CALL_MAX_AGE_MS)
      .sort((first, second) => first.seq - second.seq);
  }

  function applySnapshot(snapshot, source) {
    if (!snapshot || typeof snapshot.seq !== "number") return;
    const restarted = state.seq !== null && snapshot.seq < state.seq;
    if (restarted && !state.acceptAnySnapshot) return;
    if (source === SnapshotSource.SOCKET) {
      state.acceptAnySnapshot = false;
      state.socketSnapshotFresh = true;
      clearTimeout(stateTimer);
      board.markFresh();
    }
    state.snapshot = Object.assign(emptySnapshot(), snapshot);
    state.snapshot.counters = Array.isArray(snapshot.counters) ? snapshot.counters : [];
    state.snapshot.recent = Array.isArray(snapshot.recent) ? snapshot.recent : [];
    state.seq = snapshot.seq;
    for (const seq of early.keys()) if (seq <= snapshot.seq) early.delete(seq);
    board.language = I18n.languageOf(snapshot.language);
    if (snapshot.office && snapshot.office.timezone) board.timeZone = snapshot.office.timezone;
    const serverTime = Date.parse(snapshot.server_time);
    // The TV box may have no time source of its own: follow the server's clock.
    if (Number.isFinite(serverTime)) board.clockOffsetMs = serverTime - Date.now();
    announcer.configure(snapshot.audio);
    board.applyLegibility(snapshot.legibility);
    // Calls the server says are no longer live (transferred, finished, called again) are
    // not spoken, even if they came in a call event a moment ago.
    const stale = state.snapshot.recent.filter((call) => call.live === false).map((call) => call.seq);
    const dropped = announcer.dropSeqs(stale);
    if (dropped) log.drops.push({ seqs: stale, dropped: dropped, at: Date.now(), source: "snapshot" });
    log.snapshots.push({ seq: snapshot.seq, source: source, at: Date.now() });
    // Calls already made when the page loaded, or before a server reset, are history, not news.
    if (state.floorSeq === null || restarted) {
      state.floorSeq = snapshot.seq;
      state.handledSeqs.clear();
    }
    const missed = missedCalls(serverTime);
    board.renderAll(state.snapshot);
    // Calls made while the page was away are still announced, so nobody misses their turn.
    for (const call of missed) {
      remember(call.seq);
      announce(call);
    }
    if (missed.includes(state.snapshot.current)) {
      board.renderCurrent(state.snapshot.current, true);
      board.flash();
    }
  }

  function announce(call) {
    const result = announcer.enqueue(call);
    const queued = result === window.Announcer.EnqueueResult.QUEUED
      || result === window.Announcer.EnqueueResult.REPLACED;
    log.announcements.push({
      seq: call.seq, number: call.number, counter: call.counter, url: call.audio_url,
      queued: queued, result: result, at: Date.now(),
    });
  }

  /** A ticket is no longer called (transferred, served, no-show, cancelled): never speak it. */
  function handleTicket(ticket) {
    if (!ticket || !ticket.number || ticket.status === "called") return;
    const dropped = announcer.drop(ticket.number);
    log.drops.push({ number: ticket.number, status: ticket.status, dropped: dropped, at: Date.now() });
  }

  /** Speak the running text every notice.every_minutes, only while nothing else is spoken. */
  function tickNotice() {
    const notice = state.snapshot && state.snapshot.notice;
    if (!notice || !(notice.every_minutes > 0)) return;
    if (Date.now() - lastNoticeAt < notice.every_minutes * 60000) return;
    if (!announcer.idle()) {
      if (!noticeDeferred) log.notices.push({ result: "deferred", at: Date.now() });
      noticeDeferred = true;
      return;
    }
    noticeDeferred = false;
    lastNoticeAt = Date.now();
    const started = announcer.enqueueNotice(notice);
    log.notices.push({ result: started ? "started" : "off", url: notice.url, at: Date.now() });
  }

  /** Calls that came before the one ahead of them (held in `early`): through Redis, calls made in different
   * processes can cross. Held a moment for the ones before them; if those do not come, one
   * snapshot brings them all, oldest first (never a snapshot per call: 50 TVs asking at once
   * used up a process's database connections). */
  function handleCall(call) {
    if (!call || typeof call.seq !== "number") return;
    log.calls.push({ seq: call.seq, number: call.number, counter: call.counter, at: Date.now() });
    if (state.seq !== null && call.seq <= state.seq) return;
    if (state.seq !== null && call.seq > state.seq + 1) {
      early.set(call.seq, call);
      if (!gapTimer) gapTimer = setTimeout(catchUp, GAP_WAIT_MS);
      return;
    }
    applyCall(call);
    for (let next = early.get(state.seq + 1); next; next = early.get(state.seq + 1)) {
      early.delete(next.seq);
      applyCall(next);
    }
    if (!early.size && gapTimer) {
      clearTimeout(gapTimer);
      gapTimer = null;
    }
  }

  function catchUp() {
    gapTimer = null;
    if (!early.size) return;
    early.clear();
    requestSnapshot();
  }

  function applyCall(call) {
    const first = state.seq === null;
    state.seq = call.seq;
    remember(call.seq);
    if (first) requestSnapshot();
    if (!isShown(call.counter)) return;
    if (!state.snapshot) {
      state.snapshot = emptySnapshot();
      board.renderAll(state.snapshot);
    }
    const snapshot = state.snapshot;
    snapshot.current = call;
    snapshot.recent = [call].concat(snapshot.recent.filter((old) => old.seq !== call.seq))
      .slice(0, RECENT_KEPT);
    board.renderCurrent(call, true);
    board.renderRecent(call, snapshot.recent);
    board.flash();
    announce(call);
    window.requestAnimationFrame(() => {
      log.shown.push({ seq: call.seq, number: call.number, at: Date.now() });
    });
  }

  /** The server is live: leave the stale state, and catch up if calls went by unheard. */
  function handleHeartbeat(beat) {
    lastBeatAt = Date.now();
    const wasStale = state.connection === ConnectionState.STALE;
    if (wasStale) setConnection(ConnectionState.CONNECTED);
    const behind = beat && typeof beat.seq === "number" && state.seq !== null && beat.seq > state.seq;
    if (wasStale || behind) requestSnapshot();
  }

  function watchHeartbeat() {
    const silent = Date.now() - lastBeatAt > HEARTBEAT_SILENCE_MS;
    if (silent && socket && socket.connected && state.connection === ConnectionState.CONNECTED) {
      setConnection(ConnectionState.STALE);
    }
  }

  function handleQueueChanged(change) {
    if (!change || !change.waiting || !state.snapshot) return;
    state.snapshot.waiting = change.waiting;
    board.renderWaiting(change.waiting);
  }

  function snapshotUrl() {
    const query = new URLSearchParams();
    if (filter.counters) query.set("counters", filter.counters);
    if (filter.display) query.set("display", filter.display);
    const text = query.toString();
    return `/api/v1/display/state${text ? `?${text}` : ""}`;
  }

  function fetchSnapshot() {
    return fetch(snapshotUrl(), { cache: "no-store" })
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      })
      .then((snapshot) => applySnapshot(snapshot, SnapshotSource.HTTP));
  }

  function loadFirstSnapshot() {
    fetchSnapshot().catch(() => {
      if (!state.snapshot) setTimeout(loadFirstSnapshot, RETRY_MS);
    });
  }

  function requestSnapshot() {
    if (socket && socket.connected) socket.emit("snapshot");
    else fetchSnapshot().catch(() => {});
  }

  function connect() {
    // Websocket only: behind a load balancer one connection is one process, so no sticky
    // routing is needed (README, Production serving).
    socket = window.io("/display", {
      transports: ["websocket"], auth: { counters: filter.counters, display: filter.display },
    });
    socket.on("connect", () => {
      lastBeatAt = Date.now();
      setConnection(ConnectionState.CONNECTED);
      // The server sends state on connect (it may arrive just before this event); ask if it does not.
      clearTimeout(stateTimer);
      if (!state.socketSnapshotFresh) stateTimer = setTimeout(() => socket.emit("snapshot"), STATE_WAIT_MS);
    });
    socket.on("disconnect", (reason) => {
      setConnection(ConnectionState.DISCONNECTED);
      // Socket.IO does not reconnect by itself after a server-side disconnect.
      if (reason === "io server disconnect") setTimeout(() => socket.connect(), RETRY_MS);
    });
    socket.on("connect_error", () => {
      setConnection(ConnectionState.DISCONNECTED);
      // A refused namespace connection is final for the client: keep trying anyway.
      if (!socket.active) setTimeout(() => socket.connect(), RETRY_MS);
    });
    socket.on("state", (snapshot) => applySnapshot(snapshot, SnapshotSource.SOCKET));
    socket.on("heartbeat", handleHeartbeat);
    socket.on("call", handleCall);
    socket.on("queue_changed", handleQueueChanged);
    socket.on("ticket", handleTicket);
  }

  function start() {
    board.showConnecting();
    board.ui.unlock.addEventListener("click", () => announcer.unlock());
    window.addEventListener("resize", () => {
      if (!state.snapshot) return;
      board.applyLegibility(state.snapshot.legibility);
      board.fit();
      board.renderRecent(state.snapshot.current, state.snapshot.recent);
      board.renderTicker(state.snapshot.running_text);
    });
    setInterval(() => board.renderClock(), 1000);
    setInterval(watchHeartbeat, 1000);
    setInterval(tickNotice, 1000);
    setInterval(() => {
      if (socket && socket.connected) socket.emit("snapshot");
      for (const records of Object.values(log)) {
        if (Array.isArray(records) && records.length > LOG_KEPT) records.splice(0, records.length - LOG_KEPT);
      }
    }, RESYNC_INTERVAL_MS);
    announcer.probe();
    loadFirstSnapshot();
    connect();
  }

  start();
})();
