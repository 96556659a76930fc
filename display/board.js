/* Draw the display's data on the page; knows nothing of sockets or sound. */
(function () {
  "use strict";

  const I18n = window.DisplayI18n;
  const RECENT_SHOWN = 6;
  const FLASH_MS = 4000;
  // Ticker speed in screen heights per second, so it reads the same on every TV size.
  const TICKER_SPEED = 0.12;
  const SVG_NS = "http://www.w3.org/2000/svg";

  /** Shrink a one-line element's font until its text fits its box. */
  function fitText(node) {
    node.style.fontSize = "";
    let size = parseFloat(window.getComputedStyle(node).fontSize);
    while (node.scrollWidth > node.clientWidth && size > 12) {
      size *= 0.92;
      node.style.fontSize = `${size}px`;
    }
  }

  class Board {
    /** Find the page's elements. */
    constructor(document) {
      const byId = (id) => document.getElementById(id);
      this.document = document;
      this.language = I18n.DEFAULT_LANGUAGE;
      this.timeZone = I18n.DEFAULT_TIME_ZONE;
      this.clockOffsetMs = 0;
      this.clockText = "";
      this.flashTimer = null;
      this.ui = {
        banner: byId("disconnected-banner"),
        office: byId("office-name"),
        clockDate: byId("clock-date"),
        clockTime: byId("clock-time"),
        current: byId("current"),
        number: byId("current-number"),
        counter: byId("current-counter"),
        priority: byId("current-priority"),
        caption: byId("caption"),
        recent: byId("recent-list"),
        waitingPriority: byId("waiting-priority"),
        waitingRegular: byId("waiting-regular"),
        ticker: byId("ticker"),
        tickerTrack: byId("ticker-track"),
        unlock: byId("unlock-sound"),
      };
    }

    label(key) {
      return I18n.label(this.language, key);
    }

    counterName(call) {
      return call.counter_name || `${this.label("counter")} ${call.counter}`;
    }

    /** Show the page before any data has come. */
    showConnecting() {
      this.renderLabels();
      this.ui.counter.textContent = this.label("connecting");
      this.renderClock();
    }

    /** Redraw everything from a snapshot. */
    renderAll(snapshot) {
      this.document.body.classList.remove("is-connecting");
      this.renderLabels();
      this.ui.office.textContent = (snapshot.office && snapshot.office.name) || "";
      this.clockText = "";
      this.renderClock();
      this.renderCurrent(snapshot.current, false);
      this.renderRecent(snapshot.current, snapshot.recent);
      this.renderWaiting(snapshot.waiting);
      this.renderTicker(snapshot.running_text);
    }

    renderLabels() {
      this.document.documentElement.lang = this.language;
      this.document.title = this.label("page_title");
      for (const node of this.document.querySelectorAll("[data-label]")) {
        node.textContent = this.label(node.dataset.label);
      }
    }

    /** Show the current call; announce rewrites the live region even when the text is unchanged. */
    renderCurrent(call, announce) {
      const ui = this.ui;
      ui.current.classList.toggle("is-priority", Boolean(call && call.priority));
      ui.current.classList.toggle("is-empty", !call);
      ui.priority.hidden = !(call && call.priority);
      if (!call) {
        ui.number.textContent = "–";
        ui.counter.textContent = this.label("no_call");
        ui.caption.textContent = "";
      } else {
        ui.number.textContent = call.number;
        ui.counter.textContent = this.counterName(call);
        // Rewriting the live region makes screen readers speak it: only for a new call or a change.
        if (announce || ui.caption.textContent !== call.text) ui.caption.textContent = call.text || "";
      }
      this.fit();
    }

    /** List the latest calls before the current one, one line per ticket number. */
    renderRecent(current, recent) {
      const seen = new Set(current ? [current.number] : []);
      const rows = [];
      for (const call of recent) {
        if (seen.has(call.number)) continue;
        seen.add(call.number);
        rows.push(call);
        if (rows.length === RECENT_SHOWN) break;
      }
      this.ui.recent.replaceChildren(...rows.map((call) => this.recentItem(call)));
      if (rows.length === 0) {
        const empty = this.document.createElement("li");
        empty.className = "recent-empty";
        empty.textContent = this.label("no_recent");
        this.ui.recent.append(empty);
      }
      this.dropCutRows();
    }

    /** Remove the rows that do not fit whole: half a ticket number misleads. */
    dropCutRows() {
      const panel = this.ui.recent.parentElement;
      const limit = panel.getBoundingClientRect().bottom - parseFloat(window.getComputedStyle(panel).paddingBottom);
      let last = this.ui.recent.lastElementChild;
      while (last && last !== this.ui.recent.firstElementChild && last.getBoundingClientRect().bottom > limit) {
        last.remove();
        last = this.ui.recent.lastElementChild;
      }
    }

    recentItem(call) {
      const item = this.document.createElement("li");
      item.className = call.priority ? "recent-item is-priority" : "recent-item";
      const number = this.document.createElement("span");
      number.className = "recent-number";
      number.textContent = call.number;
      const counter = this.document.createElement("span");
      counter.className = "recent-counter";
      counter.textContent = this.counterName(call);
      item.append(number, counter);
      if (call.priority) item.append(this.priorityTag());
      return item;
    }

    priorityTag() {
      const tag = this.document.createElement("span");
      tag.className = "priority-tag";
      const icon = this.document.createElementNS(SVG_NS, "svg");
      icon.setAttribute("class", "icon");
      icon.setAttribute("aria-hidden", "true");
      const use = this.document.createElementNS(SVG_NS, "use");
      use.setAttribute("href", "#icon-priority");
      icon.appendChild(use);
      const word = this.document.createElement("span");
      word.textContent = this.label("priority_tag");
      tag.append(icon, word);
      return tag;
    }

    renderWaiting(waiting) {
      const counts = waiting || {};
      this.ui.waitingPriority.textContent = String(counts.priority ?? 0);
      this.ui.waitingRegular.textContent = String(counts.regular ?? 0);
    }

    renderTicker(runningText) {
      const text = (runningText || "").trim();
      const ui = this.ui;
      ui.ticker.hidden = !text;
      if (ui.tickerTrack.textContent !== text) ui.tickerTrack.textContent = text;
      if (text) {
        const seconds = ui.tickerTrack.offsetWidth / (window.innerHeight * TICKER_SPEED);
        ui.ticker.style.setProperty("--ticker-duration", `${Math.max(8, seconds).toFixed(1)}s`);
      }
    }

    /** Show the office's local date and time, following the server's clock. */
    renderClock() {
      const now = new Date(Date.now() + this.clockOffsetMs);
      const clock = I18n.formatClock(now, this.language, this.timeZone);
      const text = `${clock.date} ${clock.time}`;
      if (text === this.clockText) return;
      this.clockText = text;
      this.ui.clockDate.textContent = clock.date;
      this.ui.clockTime.textContent = clock.time;
    }

    /** Flash the current number for a few seconds (the CSS honours reduced motion). */
    flash() {
      const current = this.ui.current;
      current.classList.remove("is-new");
      void current.offsetWidth; // restart the CSS animation
      current.classList.add("is-new");
      clearTimeout(this.flashTimer);
      this.flashTimer = setTimeout(() => current.classList.remove("is-new"), FLASH_MS);
    }

    /** Show the connection state; when lost, the data stays marked stale until fresh data comes. */
    showConnection(connection, disconnected) {
      this.document.body.dataset.connection = connection;
      this.ui.banner.hidden = !disconnected;
      if (disconnected) this.document.body.classList.add("is-stale");
    }

    markFresh() {
      this.document.body.classList.remove("is-stale");
    }

    showUnlock(needed) {
      this.ui.unlock.hidden = !needed;
      if (needed) this.ui.unlock.focus();
    }

    /** Refit the big one-line texts, after a change of text or screen size. */
    fit() {
      fitText(this.ui.number);
      fitText(this.ui.counter);
    }
  }

  window.DisplayBoard = Board;
})();
