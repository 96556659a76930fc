/* A ticket's public status page (/t/<code>): live while the ticket waits or is called.

   The /ticket socket sends the ticket's public status on connect and whenever the ticket
   changes; "queue_changed" says the place may have moved, and a waiting page asks again
   after a short random delay (so a room of phones does not ask at the same instant).
   While the socket is down the page polls /api/v1/t/<code> instead. The lines go into a
   polite live region, replaced only when their text changes. Without JavaScript the page
   still has its "Muat ulang" link. */
(function () {
  "use strict";
  const POLL_MS = 15000;
  const SPREAD_MS = [250, 1500];
  const CLASSES = { state: "please-wait", ahead: "ahead", detail: "ticket-detail" };
  const root = document.getElementById("ticket-status");
  const lines = document.getElementById("ticket-lines");
  const refreshBox = document.getElementById("ticket-refresh");
  const liveHint = document.getElementById("ticket-live");
  const code = root.dataset.code;
  const language = document.documentElement.lang || "id";
  const endpoint = "/api/v1/t/" + encodeURIComponent(code) + "?lang=" + encodeURIComponent(language);
  let shown = lines.innerText.trim();
  let socket = null;
  let pollTimer = null;
  let askTimer = null;
  let finished = false;

  function render(status) {
    root.dataset.status = status.status;
    const text = status.lines.map((line) => line.text).join("\n");
    if (text !== shown) {
      shown = text;
      lines.replaceChildren(...status.lines.map((line) => {
        const node = document.createElement("p");
        node.className = CLASSES[line.kind] || "";
        node.textContent = line.text;
        return node;
      }));
    }
    if (!status.live) finish();
  }

  /* The ticket is served, missed or cancelled: nothing more will change. */
  function finish() {
    finished = true;
    stopPolling();
    window.clearTimeout(askTimer);
    if (socket) socket.disconnect();
    if (refreshBox) refreshBox.hidden = true;
  }

  async function poll() {
    try {
      const response = await fetch(endpoint, { headers: { Accept: "application/json" } });
      if (response.status === 404) {
        finish();
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
    if (on) stopPolling();
    else startPolling();
  }

  if (liveHint) liveHint.hidden = false; // by socket or by polling, the page keeps up
  if (typeof window.io !== "function") {
    startPolling();
    return;
  }
  socket = window.io("/ticket", { transports: ["websocket"], auth: { ticket: code, lang: language } });
  socket.on("connect", () => setLive(true));
  socket.on("disconnect", () => { if (!finished) setLive(false); });
  socket.on("connect_error", () => { if (!finished) setLive(false); });
  socket.on("status", render);
  socket.on("queue_changed", askSoon);
})();
