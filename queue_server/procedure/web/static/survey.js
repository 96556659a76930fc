/* The SKM survey tablet: one screen at a time, answered by keys 1-4 and Enter, read aloud. */
(function () {
  "use strict";
  const S = window.Staff;
  const { el, label, api } = S;
  const screen = document.getElementById("screen");
  const back = document.getElementById("back");
  const next = document.getElementById("next");
  const listen = document.getElementById("listen");
  const audioToggle = document.getElementById("audio-toggle");
  const player = new Audio();
  let survey = null;
  let screens = [];
  let index = 0;
  let answers = {};
  let profile = {};
  let extra = { age: "", suggestion: "" };
  let queue = [];
  let resetTimer = null;
  const played = S.testLog("surveyAudioLog"); // clip URLs in the order the page started them

  /* Audio: play the screen's clips one after another; a new screen stops the old queue. */
  let generation = 0; // a new screen's queue must not be cleared by the old one's failure

  function speak(urls) {
    generation += 1;
    queue = audioToggle.getAttribute("aria-pressed") === "true" ? urls.filter(Boolean) : [];
    player.pause();
    playNext(generation);
  }

  function playNext(mine) {
    if (mine !== generation) return;
    const url = queue.shift();
    if (!url) return;
    played.push(url);
    player.src = url;
    player.play().catch((error) => {
      // AbortError: a newer clip replaced this one. Anything else (no sound allowed): stop.
      if (mine === generation && error.name !== "AbortError") queue = [];
    });
  }
  player.addEventListener("ended", () => playNext(generation));

  function build() {
    screens = [{ kind: "intro" }];
    survey.questions.forEach((question, n) => screens.push({ kind: "question", question, n }));
    survey.profile.forEach((item) => screens.push({ kind: "profile", item }));
    screens.push({ kind: "age" }, { kind: "suggestion" }, { kind: "review" }, { kind: "thanks" });
  }

  function chosen(item) {
    return item.kind === "question" ? answers[item.question.key] : profile[item.item.key];
  }

  function options(item) {
    return item.kind === "question"
      ? item.question.answers.map((name, i) => ({ value: i + 1, name }))
      : item.item.options.map((option, i) => ({ value: option.code, name: option.name, n: i + 1 }));
  }

  function choose(item, value) {
    if (item.kind === "question") answers[item.question.key] = value;
    else profile[item.item.key] = value;
    for (const node of screen.querySelectorAll('[role="radio"]')) {
      const on = node.dataset.value === String(value);
      node.setAttribute("aria-checked", on ? "true" : "false");
      node.tabIndex = on ? 0 : -1;
      if (on) node.focus();
    }
    next.disabled = false;
  }

  function radioGroup(item, labelledBy) {
    const current = chosen(item);
    const group = el("div", { role: "radiogroup", class: "answers", "aria-labelledby": labelledBy });
    options(item).forEach((option, i) => {
      const checked = String(current) === String(option.value);
      const node = el("button", { type: "button", role: "radio", class: "answer",
        "aria-checked": checked ? "true" : "false", "data-value": String(option.value),
        tabindex: checked || (current === undefined && i === 0) ? "0" : "-1" }, [
        el("span", { class: "key", "aria-hidden": "true", text: String(i + 1) }), option.name]);
      node.addEventListener("click", () => choose(item, option.value));
      group.append(node);
    });
    return group;
  }

  function heading(text) {
    return el("h2", { id: "screen-title", tabindex: "-1", text });
  }

  function show() {
    window.clearTimeout(resetTimer);
    const item = screens[index];
    const total = survey.questions.length;
    let focus = null;
    let clips = [];
    back.hidden = index === 0 || item.kind === "thanks";
    next.hidden = item.kind === "thanks";
    next.disabled = false;
    next.textContent = item.kind === "review" ? label("send") : item.kind === "intro" ? label("start") : label("next");
    screen.dataset.screen = item.kind === "question" ? item.question.key
      : item.kind === "profile" ? item.item.key : item.kind;
    if (item.kind === "intro") {
      screen.replaceChildren(heading(label("survey_welcome")),
        el("p", { text: survey.phrases.intro }), el("p", { class: "survey-hint", text: survey.phrases.keys }));
      clips = [survey.phrase_audio.intro, survey.phrase_audio.keys];
    } else if (item.kind === "question") {
      const q = item.question;
      screen.replaceChildren(
        el("p", { class: "survey-progress", text: label("question_of", { n: item.n + 1, total }) }),
        heading(q.name), el("p", { class: "question", id: "question-text", text: q.question }),
        radioGroup(item, "question-text"));
      next.disabled = chosen(item) === undefined;
      clips = [q.question_audio, ...q.answer_audio];
    } else if (item.kind === "profile") {
      screen.replaceChildren(el("p", { class: "survey-progress", text: label("profile") }),
        heading(item.item.title), radioGroup(item, "screen-title"));
      next.disabled = chosen(item) === undefined;
      clips = [item.item.question_audio, ...item.item.answer_audio];
    } else if (item.kind === "age" || item.kind === "suggestion") {
      const input = item.kind === "age"
        ? el("input", { class: "field", id: "extra", type: "number", inputmode: "numeric", min: "10", max: "120" })
        : el("textarea", { class: "field", id: "extra", maxlength: "2000" });
      input.value = extra[item.kind];
      input.addEventListener("input", () => { extra[item.kind] = input.value; });
      screen.replaceChildren(el("p", { class: "survey-progress", text: label("profile") }),
        heading(label(item.kind)), el("label", { class: "survey-hint", for: "extra",
          text: survey.phrases[item.kind] }), input);
      focus = input;
      clips = [survey.phrase_audio[item.kind]];
    } else if (item.kind === "review") {
      screen.replaceChildren(heading(label("send")), el("p", { text: survey.phrases.review }));
      clips = [survey.phrase_audio.review];
    } else {
      const seconds = survey.reset_seconds;
      screen.replaceChildren(heading(survey.phrases.thanks),
        el("p", { class: "survey-hint", text: label("restart_in", { seconds }) }));
      clips = [survey.phrase_audio.thanks];
      resetTimer = window.setTimeout(restart, seconds * 1000);
    }
    (focus || document.getElementById("screen-title")).focus();
    speak(clips);
  }

  function valid(item) {
    if (item.kind === "question" || item.kind === "profile") return chosen(item) !== undefined;
    if (item.kind === "age") {
      const age = extra.age.trim();
      return age === "" || (/^[0-9]+$/.test(age) && Number(age) >= 10 && Number(age) <= 120);
    }
    return true;
  }

  async function forward() {
    const item = screens[index];
    if (!valid(item)) {
      S.showMessage(label("choose_one"));
      return;
    }
    S.clearError();
    if (item.kind === "review") {
      const body = { answers, ...profile, suggestion: extra.suggestion.trim() || null,
        age: extra.age.trim() ? Number(extra.age) : null };
      const sent = await S.act(next, () => api("POST", "/survey/responses", body));
      if (!sent) return;
    }
    if (index < screens.length - 1) {
      index += 1;
      show();
    }
  }

  function backward() {
    if (index > 0) {
      index -= 1;
      show();
    }
  }

  function restart() {
    answers = {};
    profile = {};
    extra = { age: "", suggestion: "" };
    index = 0;
    show();
  }

  document.addEventListener("keydown", (event) => {
    if (!survey || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest && event.target.closest("dialog")) return; // the kiosk's unlock
    const item = screens[index];
    const typing = event.target.matches("input, textarea");
    const onNav = event.target === back || event.target === listen || event.target === audioToggle
      || (event.target.closest && event.target.closest(".topbar"));
    if (event.key === "Enter" && !event.shiftKey && !onNav) {
      event.preventDefault();
      if (event.target.getAttribute("role") === "radio") choose(item, optionValue(item, event.target));
      forward();
    } else if (event.key === "Escape") {
      event.preventDefault();
      backward();
    } else if (!typing && /^[1-9]$/.test(event.key) && (item.kind === "question" || item.kind === "profile")) {
      const option = options(item)[Number(event.key) - 1];
      if (option) {
        event.preventDefault();
        choose(item, option.value);
      }
    } else if (!typing && ["ArrowDown", "ArrowRight", "ArrowUp", "ArrowLeft"].includes(event.key)
      && (item.kind === "question" || item.kind === "profile")) {
      event.preventDefault();
      const list = options(item);
      const at = list.findIndex((o) => String(o.value) === String(chosen(item)));
      const step = event.key === "ArrowDown" || event.key === "ArrowRight" ? 1 : -1;
      choose(item, list[(at + step + list.length) % list.length].value);
    }
  });

  function optionValue(item, node) {
    const option = options(item).find((o) => String(o.value) === node.dataset.value);
    return option ? option.value : undefined;
  }

  next.addEventListener("click", forward);
  back.addEventListener("click", backward);
  listen.addEventListener("click", () => show());
  audioToggle.addEventListener("click", () => {
    const on = audioToggle.getAttribute("aria-pressed") !== "true";
    audioToggle.setAttribute("aria-pressed", on ? "true" : "false");
    if (!on) speak([]);
  });

  api("GET", "/survey?lang=" + encodeURIComponent(S.data.language || "id")).then((data) => {
    survey = data;
    build();
    show();
    document.body.dataset.ready = "true";
  }).catch((failure) => S.showError(failure));
})();
