/* Labels and the clock text for the waiting-room display, in Indonesian and English. */
(function () {
  "use strict";

  const DEFAULT_LANGUAGE = "id";
  const DEFAULT_TIME_ZONE = "Asia/Jakarta";

  const LABELS = {
    id: {
      page_title: "Layar Antrean",
      now_calling: "Nomor antrean dipanggil",
      no_call: "Belum ada panggilan",
      counter: "Loket",
      recent_calls: "Panggilan terakhir",
      no_recent: "Belum ada",
      waiting: "Menunggu",
      priority: "Prioritas",
      regular: "Umum",
      priority_tag: "PRIORITAS",
      disconnected: "Terputus",
      stale_data: "Data mungkin belum mutakhir. Menyambungkan kembali…",
      connecting: "Menyambungkan…",
      enable_sound: "Klik untuk mengaktifkan suara",
      estimate: "Perkiraan waktu tunggu (Umum)",
    },
    en: {
      page_title: "Queue display",
      now_calling: "Now calling",
      no_call: "No calls yet",
      counter: "Counter",
      recent_calls: "Recent calls",
      no_recent: "None yet",
      waiting: "Waiting",
      priority: "Priority",
      regular: "Regular",
      priority_tag: "PRIORITY",
      disconnected: "Disconnected",
      stale_data: "Data may be out of date. Reconnecting…",
      connecting: "Connecting…",
      enable_sound: "Click to enable sound",
      estimate: "Estimated wait (Regular)",
    },
  };

  const WEEKDAYS = {
    id: ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
    en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
  };

  const MONTHS = {
    id: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
      "September", "Oktober", "November", "Desember"],
    en: ["January", "February", "March", "April", "May", "June", "July", "August",
      "September", "October", "November", "December"],
  };

  const formatters = new Map();

  /** Return the supported language for a snapshot's language code. */
  function languageOf(code) {
    return Object.prototype.hasOwnProperty.call(LABELS, code) ? code : DEFAULT_LANGUAGE;
  }

  /** Return the label for key in the given language. */
  function label(language, key) {
    return LABELS[languageOf(language)][key] || LABELS[DEFAULT_LANGUAGE][key] || key;
  }

  function formatterFor(timeZone) {
    if (!formatters.has(timeZone)) {
      formatters.set(timeZone, new Intl.DateTimeFormat("en-US", {
        timeZone: timeZone, year: "numeric", month: "numeric", day: "numeric",
        hour: "numeric", minute: "numeric", hourCycle: "h23",
      }));
    }
    return formatters.get(timeZone);
  }

  /** Split a moment into the office's local calendar fields. */
  function localFields(date, timeZone) {
    let formatter;
    try {
      formatter = formatterFor(timeZone || DEFAULT_TIME_ZONE);
    } catch (error) {
      // An unknown zone name from the server must not stop the clock.
      formatter = formatterFor(DEFAULT_TIME_ZONE);
    }
    const fields = {};
    for (const part of formatter.formatToParts(date)) {
      fields[part.type] = Number(part.value);
    }
    // Weekday from the local calendar date, so it matches the shown day.
    fields.weekday = new Date(Date.UTC(fields.year, fields.month - 1, fields.day)).getUTCDay();
    return fields;
  }

  /** Format the clock as {date: "Rabu, 25 November 2026", time: "14:05"}. */
  function formatClock(date, language, timeZone) {
    const code = languageOf(language);
    const fields = localFields(date, timeZone);
    const two = (number) => String(number).padStart(2, "0");
    return {
      date: `${WEEKDAYS[code][fields.weekday]}, ${fields.day} ${MONTHS[code][fields.month - 1]} ${fields.year}`,
      time: `${two(fields.hour % 24)}:${two(fields.minute)}`,
    };
  }

  window.DisplayI18n = {
    DEFAULT_LANGUAGE: DEFAULT_LANGUAGE,
    DEFAULT_TIME_ZONE: DEFAULT_TIME_ZONE,
    languageOf: languageOf,
    label: label,
    formatClock: formatClock,
  };
})();
