/* Speak call announcements one after another, truthful and timely under a backlog.

   A call is spoken in parts the server composes (tv/announcer.py Announcer.parts): the
   chime, then each language's sentence. The TV chooses the parts when it speaks them:
   - the chime once for a run of calls (not again when the next call follows at once);
   - the first language always, in its short form when calls wait behind this one;
   - the other languages and the repeats only while the queue is short (short_queue);
   - a waiting call of a ticket called again elsewhere is replaced by the newest call, and
     one of a ticket transferred, finished or parked since is dropped; a call being spoken
     that the screen no longer agrees with is stopped.
   The running text (notice) is spoken only when nothing else is, and gives way to a call. */
(function () {
  "use strict";

  const PlayResult = Object.freeze({ PLAYING: "playing", BLOCKED: "blocked", ERROR: "error" });
  const EndResult = Object.freeze({
    ENDED: "ended", ERROR: "error", STALLED: "stalled", SUPERSEDED: "superseded",
  });
  const ItemKind = Object.freeze({ CALL: "call", NOTICE: "notice" });
  const EnqueueResult = Object.freeze({
    QUEUED: "queued", REPLACED: "replaced", DUPLICATE: "duplicate", OFF: "off",
  });

  // The audio file may still be being written when the call arrives: retry a little.
  const MAX_ATTEMPTS = 3;
  const RETRY_DELAY_MS = 800;
  // A stream that makes no progress this long will never end by itself.
  const STALL_LIMIT_MS = 15000;
  const WATCHDOG_INTERVAL_MS = 1000;
  // A call starting within this long of the last sound belongs to the same run: no chime.
  const RUN_GAP_MS = 2000;

  /** Build a short silent WAV, used to learn whether the browser allows sound. */
  function silentWavUrl() {
    const sampleRate = 8000;
    const samples = 800;
    const buffer = new ArrayBuffer(44 + samples * 2);
    const view = new DataView(buffer);
    const text = (offset, value) => {
      for (let i = 0; i < value.length; i += 1) view.setUint8(offset + i, value.charCodeAt(i));
    };
    text(0, "RIFF");
    view.setUint32(4, 36 + samples * 2, true);
    text(8, "WAVEfmt ");
    view.setUint32(16, 16, true);
    view.setUint16(20, 1, true);
    view.setUint16(22, 1, true);
    view.setUint32(24, sampleRate, true);
    view.setUint32(28, sampleRate * 2, true);
    view.setUint16(32, 2, true);
    view.setUint16(34, 16, true);
    text(36, "data");
    view.setUint32(40, samples * 2, true);
    return URL.createObjectURL(new Blob([buffer], { type: "audio/wav" }));
  }

  /** A stand-in for Audio whose sound ends only when a test says so (?test-audio=manual). */
  class ManualAudio {
    constructor() {
      this.listeners = {};
      this.played = { length: 0 };
      this.volume = 1;
      this.src = "";
      this.ticks = 0;
    }

    // Always moving, so the stall watchdog leaves a held sound alone.
    get currentTime() {
      this.ticks += 1;
      return this.ticks;
    }

    addEventListener(type, listener) {
      (this.listeners[type] = this.listeners[type] || []).push(listener);
    }

    play() {
      this.played = { length: 1 };
      ManualAudio.playing = this;
      return Promise.resolve();
    }

    pause() {
      if (ManualAudio.playing === this) ManualAudio.playing = null;
    }

    removeAttribute() {}

    end() {
      if (ManualAudio.playing === this) ManualAudio.playing = null;
      for (const listener of this.listeners.ended || []) listener();
    }
  }
  ManualAudio.playing = null;

  class Announcer {
    /**
     * log: the page's record; onNeedsGestureChange(needed); options.onSpeak(item, segment)
     * when a part starts to sound; options.manualAudio: the test clock above.
     */
    constructor(log, onNeedsGestureChange, options) {
      const settings = options || {};
      this.log = log;
      this.onNeedsGestureChange = onNeedsGestureChange || function () {};
      this.onSpeak = settings.onSpeak || function () {};
      this.makeAudio = settings.manualAudio ? () => new ManualAudio() : () => new Audio();
      this.queue = [];
      this.playing = null;
      this.retryTimer = null;
      this.blocked = false;
      this.needsGesture = false;
      this.enabled = true;
      this.volume = 1;
      this.shortQueue = 0;
      this.lastSoundAt = null;
    }

    /** Apply the snapshot's audio settings. */
    configure(settings) {
      if (!settings) return;
      this.enabled = settings.enabled !== false;
      const volume = Number(settings.volume);
      this.volume = Number.isFinite(volume) ? Math.min(1, Math.max(0, volume)) : 1;
      const shortQueue = Number(settings.short_queue);
      this.shortQueue = Number.isInteger(shortQueue) && shortQueue >= 0 ? shortQueue : 0;
      if (this.playing) this.playing.audio.volume = this.volume;
      if (!this.enabled) this.queue.length = 0;
      this.reportGesture();
    }

    /** The item being spoken (or retried, or blocked): the first one once it has started. */
    current() {
      const first = this.queue[0];
      return first && first.step > 0 ? first : null;
    }

    waiting() {
      const current = this.current();
      return this.queue.filter((item) => item !== current);
    }

    /** Whether nothing is being spoken or waits to be. */
    idle() {
      return this.queue.length === 0 && !this.playing && !this.retryTimer;
    }

    /** Queue a call's announcement; return an EnqueueResult. */
    enqueue(call) {
      if (!this.enabled || !(call.audio_url || call.audio)) return EnqueueResult.OFF;
      const item = {
        kind: ItemKind.CALL, seq: call.seq, number: call.number, counter: String(call.counter),
        url: call.audio_url, audio: call.audio || null, step: 0, attempts: 0,
      };
      // A notice never keeps a call waiting.
      this.queue = this.queue.filter((queued) => queued.kind !== ItemKind.NOTICE
        || queued === this.current());
      const current = this.current();
      if (current && current.kind === ItemKind.NOTICE) this.stop(EndResult.SUPERSEDED);
      const waiting = this.waiting();
      const same = waiting.find((queued) => queued.kind === ItemKind.CALL && queued.number === call.number);
      if (same && same.counter === item.counter) return EnqueueResult.DUPLICATE;
      if (same) {
        // The ticket was called again elsewhere: say the newest call, in the old one's place.
        this.queue[this.queue.indexOf(same)] = item;
        return EnqueueResult.REPLACED;
      }
      const speaking = this.current();
      if (speaking && speaking.number === call.number && speaking.counter !== item.counter) {
        // What is being said no longer matches the screen: stop it, say the newest first.
        this.queue.splice(this.queue.indexOf(speaking) + 1, 0, item);
        this.stop(EndResult.SUPERSEDED);
        return EnqueueResult.REPLACED;
      }
      this.queue.push(item);
      this.pump();
      return EnqueueResult.QUEUED;
    }

    /** Forget the announcements of a ticket that is no longer called; return how many. */
    drop(number) {
      return this.dropWhere((item) => item.kind === ItemKind.CALL && item.number === number);
    }

    /** Forget the announcements of these calls (the snapshot says they are not live). */
    dropSeqs(seqs) {
      const stale = new Set(seqs);
      return stale.size ? this.dropWhere((item) => item.kind === ItemKind.CALL && stale.has(item.seq)) : 0;
    }

    dropWhere(test) {
      const current = this.current();
      const before = this.queue.length;
      this.queue = this.queue.filter((item) => item === current || !test(item));
      let dropped = before - this.queue.length;
      if (current && test(current)) {
        this.stop(EndResult.SUPERSEDED);
        dropped += 1;
      }
      return dropped;
    }

    /** Speak the running text now: only when idle (the caller checks idle()). */
    enqueueNotice(notice) {
      if (!this.enabled || !notice || !notice.url) return false;
      this.queue.push({ kind: ItemKind.NOTICE, url: notice.url, audio: null, step: 0, attempts: 0 });
      this.pump();
      return true;
    }

    /** Return the numbers still waiting to be announced, oldest first. */
    pending() {
      return this.waiting().filter((item) => item.kind === ItemKind.CALL).map((item) => item.number);
    }

    /** Resume after a user gesture: play what is waiting. */
    unlock() {
      this.blocked = false;
      this.needsGesture = false;
      this.reportGesture();
      if (this.queue.length === 0) {
        // Playing inside the gesture is what lets later announcements play on their own.
        new Audio(silentWavUrl()).play().catch(() => {});
      }
      this.pump();
    }

    /** Try a silent sound on load so a blocked TV asks for its click before the first call. */
    probe() {
      const at = Date.now();
      return new Audio(silentWavUrl()).play().then(
        () => this.recordProbe(PlayResult.PLAYING, at),
        (error) => {
          const blocked = error && error.name === "NotAllowedError";
          this.recordProbe(blocked ? PlayResult.BLOCKED : PlayResult.ERROR, at);
          if (blocked) {
            this.needsGesture = true;
            this.reportGesture();
          }
        },
      );
    }

    recordProbe(result, at) {
      this.log.probe = { result: result, at: at };
      console.info(`display: probe ${result}`);
    }

    reportGesture() {
      this.onNeedsGestureChange(this.enabled && (this.needsGesture || this.blocked));
    }

    pump() {
      if (this.playing || this.retryTimer || this.blocked) return;
      while (this.queue.length > 0) {
        const item = this.queue[0];
        const segment = item.segment || this.nextSegment(item);
        if (segment) {
          item.segment = segment;
          this.start(item, segment);
          return;
        }
        this.queue.shift();
      }
    }

    /** Whether few enough calls wait behind the one speaking for the optional parts. */
    isShort() {
      return this.waiting().filter((item) => item.kind === ItemKind.CALL).length <= this.shortQueue;
    }

    chimeDue() {
      return this.lastSoundAt === null || Date.now() - this.lastSoundAt > RUN_GAP_MS;
    }

    /** The next part of an item to sound, decided now from the queue behind it; null when done. */
    nextSegment(item) {
      const audio = item.audio;
      const languages = audio && Array.isArray(audio.languages) ? audio.languages : [];
      const step = item.step;
      item.step += 1;
      if (step === 0) {
        const chime = item.kind === ItemKind.CALL && audio && audio.chime;
        if (chime && this.chimeDue()) return { url: chime, kind: "chime", lang: null };
        return this.nextSegment(item);
      }
      if (languages.length === 0) {
        // A notice, or a call with only its whole file: one part.
        return step === 1 ? { url: item.url, kind: item.kind === ItemKind.NOTICE ? "notice" : "whole", lang: null } : null;
      }
      const index = step - 1;
      const rounds = Math.max(1, Number(audio.repeats) || 1);
      if (index >= rounds * languages.length) return null;
      const part = languages[index % languages.length];
      if (index === 0) {
        return this.isShort()
          ? { url: part.full, kind: "full", lang: part.lang }
          : { url: part.short, kind: "short", lang: part.lang };
      }
      // Under a backlog the first language, once, is all a call gets.
      return this.isShort() ? { url: part.full, kind: "full", lang: part.lang } : null;
    }

    start(item, segment) {
      const audio = this.makeAudio();
      audio.preload = "auto";
      audio.volume = this.volume;
      audio.src = segment.url;
      segment.attempts = (segment.attempts || 0) + 1;
      const attempt = {
        item: item, segment: segment, audio: audio, settled: false, progressAt: Date.now(), position: 0,
      };
      this.playing = attempt;
      audio.addEventListener("ended", () => this.finish(attempt, EndResult.ENDED));
      audio.addEventListener("error", () => this.fail(attempt, EndResult.ERROR));
      audio.play().then(
        () => {
          if (attempt.settled) return;
          this.record(segment.url, PlayResult.PLAYING);
          this.onSpeak(item, segment);
          attempt.watchdog = setInterval(() => this.watch(attempt), WATCHDOG_INTERVAL_MS);
        },
        (error) => {
          if (error && error.name === "NotAllowedError") {
            this.record(segment.url, PlayResult.BLOCKED);
            this.block(attempt);
          } else {
            this.fail(attempt, EndResult.ERROR);
          }
        },
      );
    }

    record(url, result) {
      this.log.plays.push({ url: url, at: Date.now(), result: result });
      // Observable without touching the page, which would count as a user gesture.
      console.info(`display: play ${result} ${url}`);
    }

    watch(attempt) {
      const position = attempt.audio.currentTime;
      if (position !== attempt.position) {
        attempt.position = position;
        attempt.progressAt = Date.now();
      } else if (Date.now() - attempt.progressAt > STALL_LIMIT_MS) {
        this.finish(attempt, EndResult.STALLED);
      }
    }

    settle(attempt) {
      if (attempt.settled) return false;
      attempt.settled = true;
      clearInterval(attempt.watchdog);
      if (this.playing === attempt) this.playing = null;
      this.lastSoundAt = Date.now();
      return true;
    }

    block(attempt) {
      if (!this.settle(attempt)) return;
      attempt.segment.attempts -= 1;
      this.blocked = true;
      this.reportGesture();
    }

    fail(attempt, result) {
      if (!this.settle(attempt)) return;
      const segment = attempt.segment;
      if (!attempt.audio.played.length) this.record(segment.url, PlayResult.ERROR);
      this.log.ends.push({ url: segment.url, at: Date.now(), result: result });
      attempt.audio.removeAttribute("src");
      if (segment.attempts < MAX_ATTEMPTS) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.pump();
        }, RETRY_DELAY_MS);
        return;
      }
      this.next(attempt.item);
    }

    finish(attempt, result) {
      if (!this.settle(attempt)) return;
      this.log.ends.push({ url: attempt.segment.url, at: Date.now(), result: result });
      this.next(attempt.item);
    }

    /** Stop the part sounding now: its item is dropped or gives way. */
    stop(result) {
      const attempt = this.playing;
      if (attempt) {
        if (!this.settle(attempt)) return;
        attempt.audio.pause();
        attempt.audio.removeAttribute("src");
        this.log.ends.push({ url: attempt.segment.url, at: Date.now(), result: result });
      }
      const item = attempt ? attempt.item : this.queue[0];
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      const index = this.queue.indexOf(item);
      if (index >= 0) this.queue.splice(index, 1);
      this.pump();
    }

    /** The part ended: go on with the item's next part, or the next item. */
    next(item) {
      item.segment = null;
      this.pump();
    }
  }

  window.Announcer = Announcer;
  window.Announcer.PlayResult = PlayResult;
  window.Announcer.EnqueueResult = EnqueueResult;
  window.Announcer.ManualAudio = ManualAudio;
})();
