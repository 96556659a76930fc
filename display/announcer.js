/* Play call announcements one after another, never cut off, never skipped. */
(function () {
  "use strict";

  const PlayResult = Object.freeze({ PLAYING: "playing", BLOCKED: "blocked", ERROR: "error" });
  const EndResult = Object.freeze({ ENDED: "ended", ERROR: "error", STALLED: "stalled" });

  // The audio file may still be being written when the call arrives: retry a little.
  const MAX_ATTEMPTS = 3;
  const RETRY_DELAY_MS = 800;
  // A stream that makes no progress this long will never end by itself.
  const STALL_LIMIT_MS = 15000;
  const WATCHDOG_INTERVAL_MS = 1000;

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

  class Announcer {
    /** Keep a FIFO of announcements; record every attempt in log; report when sound needs a click. */
    constructor(log, onNeedsGestureChange) {
      this.log = log;
      this.onNeedsGestureChange = onNeedsGestureChange || function () {};
      this.queue = [];
      this.playing = null;
      this.retryTimer = null;
      this.blocked = false;
      this.needsGesture = false;
      this.enabled = true;
      this.volume = 1;
    }

    /** Apply the snapshot's audio settings. */
    configure(settings) {
      if (!settings) return;
      this.enabled = settings.enabled !== false;
      const volume = Number(settings.volume);
      this.volume = Number.isFinite(volume) ? Math.min(1, Math.max(0, volume)) : 1;
      if (this.playing) this.playing.audio.volume = this.volume;
      if (!this.enabled) this.queue.length = 0;
      this.reportGesture();
    }

    /** Queue a call's announcement; a ticket already waiting to be announced is not queued twice. */
    enqueue(call) {
      if (!this.enabled || !call.audio_url) return false;
      const inProgress = this.playing && this.playing.item;
      const waiting = this.queue.filter((item) => item !== inProgress);
      if (waiting.some((item) => item.number === call.number)) return false;
      this.queue.push({ url: call.audio_url, number: call.number, seq: call.seq, attempts: 0 });
      this.pump();
      return true;
    }

    /** Return the numbers still waiting to be announced, oldest first. */
    pending() {
      const inProgress = this.playing && this.playing.item;
      return this.queue.filter((item) => item !== inProgress).map((item) => item.number);
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
      if (this.playing || this.retryTimer || this.blocked || this.queue.length === 0) return;
      this.start(this.queue[0]);
    }

    start(item) {
      const audio = new Audio();
      audio.preload = "auto";
      audio.volume = this.volume;
      audio.src = item.url;
      item.attempts += 1;
      const attempt = { item: item, audio: audio, settled: false, progressAt: Date.now(), position: 0 };
      this.playing = attempt;
      audio.addEventListener("ended", () => this.finish(attempt, EndResult.ENDED));
      audio.addEventListener("error", () => this.fail(attempt, EndResult.ERROR));
      audio.play().then(
        () => {
          this.record(item.url, PlayResult.PLAYING);
          attempt.watchdog = setInterval(() => this.watch(attempt), WATCHDOG_INTERVAL_MS);
        },
        (error) => {
          if (error && error.name === "NotAllowedError") {
            this.record(item.url, PlayResult.BLOCKED);
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
      return true;
    }

    block(attempt) {
      if (!this.settle(attempt)) return;
      attempt.item.attempts -= 1;
      this.blocked = true;
      this.reportGesture();
    }

    fail(attempt, result) {
      if (!this.settle(attempt)) return;
      const item = attempt.item;
      if (!attempt.audio.played.length) this.record(item.url, PlayResult.ERROR);
      this.log.ends.push({ url: item.url, at: Date.now(), result: result });
      attempt.audio.removeAttribute("src");
      if (item.attempts < MAX_ATTEMPTS) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.pump();
        }, RETRY_DELAY_MS);
        return;
      }
      this.next(item);
    }

    finish(attempt, result) {
      if (!this.settle(attempt)) return;
      this.log.ends.push({ url: attempt.item.url, at: Date.now(), result: result });
      this.next(attempt.item);
    }

    next(item) {
      if (this.queue[0] === item) this.queue.shift();
      this.pump();
    }
  }

  window.Announcer = Announcer;
  window.Announcer.PlayResult = PlayResult;
})();
