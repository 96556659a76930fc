/* Draw the display's data on the page; knows nothing of sockets or sound. */
(function () {
  "use strict";

  const I18n = window.DisplayI18n;
  const RECENT_SHOWN = 6;
  const FLASH_MS = 4000;
  // Ticker speed in screen heights per second, so it reads the same on every TV size.
  const TICKER_SPEED = 0.12;
  const SVG_NS = "http://www.w3.org/2000/svg";
  // Legibility: a capital letter at least 1/200 of the viewing distance high (about 17
  // minutes of arc; ISO 9241-3 asks at least 16', 20-22' preferred). README says more.
  const DISTANCE_PER_CAP_HEIGHT = 200;
  // Cap height of the fonts the TV uses, as a share of the font size (DejaVu Sans 0.73,
  // Liberation Sans 0.72): the smaller, so the size holds for either.
  const CAP_HEIGHT_EM = 0.72;
  const DEFAULT_DISTANCE_M = 5;
  const DEFAULT_DIAGONAL_IN = 43;
  // Reduced motion: the running text is shown a page at a time, each this long at least,
  // plus a little per word, so it can be read whole without anything moving.
  const TICKER_PAGE_MIN_MS = 6000;
  const TICKER_MS_PER_WORD = 450;
  const TICKER_PAGE_LINES = 1;
  // The big number's smallest size when the current call's box is full (vh of the font).
  const NUMBER_MIN_VH = 12;
  // The caption's sentences, one per language, each starting with its opening words.
  const CAPTION_OPENINGS = [["id", "Nomor antrean "], ["en", "Queue number "]];

  /** Split a caption into its sentences by language: [{lang, text}]. */
  function captionParts(text) {
    const starts = [];
    for (const [lang, opening] of CAPTION_OPENINGS) {
      let index = text.indexOf(opening);
      while (index >= 0) {
        starts.push({ lang: lang, index: index });
        index = text.indexOf(opening, index + opening.length);
      }
    }
    starts.sort((first, second) => first.index - second.index);
    if (starts.length === 0 || starts[0].index !== 0) return [{ lang: null, text: text }];
    return starts.map((start, position) => ({
      lang: start.lang,
      text: text.slice(start.index, position + 1 < starts.length ? starts[position + 1].index : text.length).trim(),
    }));
  }

  /** The font size, in vh, whose capitals meet the legibility rule on this TV. */
  function legibleFontVh(legibility) {
    const settings = legibility || {};
    const distanceCm = (Number(settings.viewing_distance_m) || DEFAULT_DISTANCE_M) * 100;
    const diagonalCm = (Number(settings.screen_diagonal_in) || DEFAULT_DIAGONAL_IN) * 2.54;
    // The page fills the screen (kiosk mode): its shape is the screen's.
    const heightCm = diagonalCm * window.innerHeight / Math.hypot(window.innerWidth, window.innerHeight);
    const capCm = distanceCm / DISTANCE_PER_CAP_HEIGHT;
    return (capCm / heightCm) * 100 / CAP_HEIGHT_EM;
  }

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
      this.tickerTimer = null;
      this.tickerText = null;
      this.legibleVh = null;
      this.reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
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
        estimates: byId("estimates"),
        estimateList: byId("estimate-list"),
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
      this.renderEstimates(snapshot.estimates);
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
        if (announce || ui.caption.textContent !== (call.text || "")) this.renderCaption(call.text || "");
      }
      this.fit();
    }

    /** Write the caption, each language's sentence marked with its lang for screen readers. */
    renderCaption(text) {
      const parts = captionParts(text).map((part) => {
        const span = this.document.createElement("span");
        span.className = "caption-part";
        if (part.lang) span.lang = part.lang;
        span.textContent = part.text;
        return span;
      });
      this.ui.caption.replaceChildren(...parts);
    }

    /** Size the small texts from the viewing distance in config (display.viewing_distance_m). */
    applyLegibility(legibility) {
      if (legibility) this.legibility = legibility;
      const size = legibleFontVh(this.legibility);
      if (size === this.legibleVh) return;
      this.legibleVh = size;
      this.document.documentElement.style.setProperty("--legible", `${size.toFixed(3)}vh`);
      this.tickerText = null;
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

    /** Per service, the wait of a regular ticket taken now; only services with a figure. */
    renderEstimates(estimates) {
      const rows = (Array.isArray(estimates) ? estimates : []).filter((item) => item && item.regular);
      this.ui.estimates.hidden = rows.length === 0;
      this.ui.estimateList.replaceChildren(...rows.map((item) => {
        const row = this.document.createElement("li");
        row.className = "estimate-item";
        const name = this.document.createElement("span");
        name.className = "estimate-service";
        name.textContent = item.name;
        const range = this.document.createElement("span");
        range.className = "estimate-range";
        range.textContent = item.regular.text;
        row.append(name, range);
        return row;
      }));
    }

    renderTicker(runningText) {
      const text = (runningText || "").replace(/\s+/g, " ").trim();
      const ui = this.ui;
      const paged = this.reducedMotion.matches;
      ui.ticker.hidden = !text;
      ui.ticker.classList.toggle("is-paged", paged);
      const key = `${paged}|${window.innerWidth}x${window.innerHeight}|${text}`;
      if (this.tickerText === key) return;
      this.tickerText = key;
      clearTimeout(this.tickerTimer);
      if (!text) {
        ui.tickerTrack.replaceChildren();
        return;
      }
      if (paged) {
        this.renderTickerPages(text);
        return;
      }
      ui.tickerTrack.textContent = text;
      const seconds = ui.tickerTrack.offsetWidth / (window.innerHeight * TICKER_SPEED);
      ui.ticker.style.setProperty("--ticker-duration", `${Math.max(8, seconds).toFixed(1)}s`);
    }

    /** Reduced motion: the whole text in pages of one line, shown in turn. */
    renderTickerPages(text) {
      const track = this.ui.tickerTrack;
      const probe = this.document.createElement("span");
      probe.className = "ticker-page";
      track.replaceChildren(probe);
      const lineHeight = parseFloat(window.getComputedStyle(probe).lineHeight);
      const fits = (words) => {
        probe.textContent = words.join(" ");
        return probe.getBoundingClientRect().height <= lineHeight * TICKER_PAGE_LINES + 1;
      };
      const pages = [];
      let page = [];
      for (const word of text.split(" ")) {
        if (page.length && !fits(page.concat(word))) {
          pages.push(page);
          page = [];
        }
        page.push(word);
      }
      if (page.length) pages.push(page);
      const nodes = pages.map((words, index) => {
        const node = this.document.createElement("span");
        node.className = "ticker-page";
        node.textContent = words.join(" ");
        node.hidden = index !== 0;
        node.dataset.words = String(words.length);
        return node;
      });
      track.replaceChildren(...nodes);
      if (nodes.length < 2) return;
      let shown = 0;
      const turn = () => {
        nodes[shown].hidden = true;
        shown = (shown + 1) % nodes.length;
        nodes[shown].hidden = false;
        this.tickerTimer = setTimeout(turn, pageMs(nodes[shown]));
      };
      const pageMs = (node) => Math.max(TICKER_PAGE_MIN_MS, Number(node.dataset.words) * TICKER_MS_PER_WORD);
      clearTimeout(this.tickerTimer);
      this.tickerTimer = setTimeout(turn, pageMs(nodes[0]));
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
      this.fitHeight();
    }

    /** When the caption and badge need the room, the big number gives some up, never below
        NUMBER_MIN_VH: it stays far larger than the legibility rule asks. */
    fitHeight() {
      const current = this.ui.current;
      const number = this.ui.number;
      let size = parseFloat(window.getComputedStyle(number).fontSize);
      const floor = window.innerHeight * NUMBER_MIN_VH / 100;
      while (current.scrollHeight > current.clientHeight + 1 && size > floor) {
        size = Math.max(floor, size * 0.94);
        number.style.fontSize = `${size}px`;
      }
    }
  }

  window.DisplayBoard = Board;
})();
