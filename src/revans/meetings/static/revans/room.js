// The live meeting room: one WebSocket, the server's state rendered as it arrives.
// The server is the authority; this file only shows its state and sends commands.
//
// Each change is morphed into the page (idiomorph) rather than rebuilt, so what someone is typing,
// and where their caret is, survives everyone else's actions. A morph keeps the old nodes, so no
// node carries a listener of its own: buttons and forms say what they send in data-command and
// data-args, and one listener on the room sends it.
(() => {
  "use strict";
  const root = document.getElementById("room");
  if (!root) return;
  const me = Number(root.dataset.me);
  const role = root.dataset.role;
  const $ = (id) => document.getElementById(id);
  let socket = null, lastSeq = null, state = null, offset = 0, retry = 0;
  let early = [];            // events that arrived before the first snapshot
  let online = null;         // who is connected, from the last presence message (null: not known)
  let ended = null;          // why this page will not reconnect: removed from the set, signed out
  let coachNote = null;      // the coach's last word to me, kept for the stage it was asked in
  let editingNote = null;    // the canvas note I am rewriting, "<canvas id>:<note id>"
  let shownStage = null;
  // Commands sent (or queued while disconnected) and not yet answered, in the order made. One
  // answered by an event of mine or by an error is done; the rest are sent again on reconnect,
  // and the server applies a repeated id only once.
  const pending = new Map();
  const NOT_CONNECTED = "Not connected: will send when back.";
  const FINAL_CLOSES = {
    4404: "You are no longer in this set.",
    4401: "You were signed out. Sign in again to rejoin.",
    4403: "Two-factor authentication is needed first.",
  };
  let refusedFor = null;  // the two-factor page, where the room's page sent me instead
  const LABEL_NAMES = {
    open: "Open question",
    closed: "Closed question",
    leading: "Leading question",
    advice: "Advice phrased as a question",
    statement: "Not a question yet",
  };
  const BADGES = { open: "good", leading: "warn", advice: "warn" };
  const ATTENDANCE = { present: "Present", absent: "Absent", apologies: "Apologies" };

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs))
      if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value === true ? "" : value);
    for (const child of children.flat()) if (child !== null && child !== undefined && child !== false)
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  };
  // The attributes of a button that sends a command when pressed.
  const command = (name, args) => ({ "data-command": name, "data-args": args ? JSON.stringify(args) : false });
  const nameOf = (id) => (state.people.find((p) => p.id === id) || {}).name || "someone who left";
  const isChair = () => !ended && state && state.chair === me && !state.closed;
  const canAct = () => !ended && role !== "observer" && state && !state.closed;

  // --- sending, and knowing what arrived ------------------------------------------------
  const connected = () => socket && socket.readyState === WebSocket.OPEN;
  const newId = () => (crypto.randomUUID && crypto.randomUUID()) || `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

  function send(name, args = {}, clear = null) {
    if (ended) return showMessage(ended, "error");
    const id = newId();
    pending.set(id, { name, args, clear });
    if (connected()) transmit(id);
    else showMessage(NOT_CONNECTED, "warning");
  }
  function transmit(id) {
    const command = pending.get(id);
    if (!command || !socket || socket.readyState !== WebSocket.OPEN) return;
    command.sentAt = Date.now();
    socket.send(JSON.stringify({ type: "command", id, name: command.name, args: command.args }));
  }
  // A command left unanswered for a while (the server waiting for its database, say): the room
  // says so while the connection is up, and "Connected" again once the answers come.
  const SLOW_MS = 4000;
  let waiting = false;
  setInterval(() => {
    if (ended || !connected()) {
      waiting = false;
      return;
    }
    const now = Date.now();
    const slow = [...pending.values()].some((c) => c.sentAt && now - c.sentAt > SLOW_MS);
    if (slow === waiting) return;
    waiting = slow;
    if (slow) setConnection("lost", "Waiting for Revans to answer: what you sent is kept and will go through.");
    else setConnection("ok", "Connected");
  }, 1000);
  function settle(message) {
    const sent = message.id && pending.get(message.id);
    if (!sent || (message.type === "event" && message.actor !== me)) return;
    pending.delete(message.id);
    if (message.type === "event") {
      if ($("error").textContent === NOT_CONNECTED || !pending.size) showMessage("");
      if (sent.clear) {
        // The text was sent: clear its box, unless it already holds something new.
        const input = $(sent.clear.input);
        if (input && input.value === sent.clear.value) input.value = "";
      }
    }
  }

  function showMessage(text, kind = "error") {
    const box = $("error");
    box.textContent = text;
    box.className = `message ${kind}`;
    box.hidden = !text;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.socket);
    let opened = false;
    socket.addEventListener("open", () => {
      opened = true;
      retry = 0;
      setConnection("ok", "Connected");
      hello();
      // The room takes a burst of about a dozen commands from one person, then two a second:
      // a long queue goes out at that pace, so none is refused as too fast.
      [...pending.keys()].forEach((id, i) => setTimeout(() => transmit(id), i < 10 ? 0 : (i - 9) * 600));
      if (!pending.size && $("error").textContent === NOT_CONNECTED) showMessage("");
    });
    socket.addEventListener("message", (e) => receive(JSON.parse(e.data)));
    socket.addEventListener("close", async (e) => {
      online = null;
      const code = FINAL_CLOSES[e.code] ? e.code : opened ? null : await refusedWhy();
      if (code) return end(code);
      setConnection("lost", "Connection lost: reconnecting…");
      if (state) render();
      setTimeout(connect, Math.min(10000, 500 * 2 ** retry++));
    });
  }
  // A handshake the server refuses reaches the browser as 1006, whatever code it closed with:
  // the room's own page says why (a 404 once out of the set, the sign-in page once signed out).
  async function refusedWhy() {
    try {
      const page = await fetch(location.pathname, { cache: "no-store", credentials: "same-origin" });
      if (page.status === 404) return 4404;
      if (page.redirected && new URL(page.url).pathname === root.dataset.login) return 4401;
      // The two-factor page first: the operator requires it, and I have none yet.
      if (page.headers.get("Revans-Two-Factor") === "required") {
        refusedFor = new URL(page.url).pathname;
        return 4403;
      }
    } catch (error) {
      // Offline too: try the socket again later.
    }
    return null;
  }
  const hello = () => socket.send(JSON.stringify({ type: "hello", last_seq: lastSeq }));
  function setConnection(kind, ...words) {
    $("connection").replaceChildren(...words);
    $("connection").className = `connection ${kind}`;
  }
  function end(code) {
    ended = FINAL_CLOSES[code];
    pending.clear();
    showMessage("");
    if (code === 4401) {
      const signIn = el("a", { href: `${root.dataset.login}?next=${encodeURIComponent(location.pathname)}` }, "Sign in again");
      setConnection("lost", "You were signed out. ", signIn, " to rejoin.");
    } else if (code === 4403) {
      const setUp = el("a", { href: refusedFor || location.pathname }, "Set it up");
      setConnection("lost", "Two-factor authentication is needed first. ", setUp, ", then rejoin.");
    } else setConnection("lost", ended);
    if (state) render();
  }

  function receive(message) {
    if (message.type === "error") {
      settle(message);
      return showMessage(message.message, "error");
    }
    if (message.type === "coach") {
      // Only the asker ever receives this; it waits a second so it never interrupts the asking.
      return setTimeout(() => {
        coachNote = { ...message, stage: state && state.stage.key };
        if (state) render();
      }, 1000);
    }
    if (message.type === "presence") {
      online = new Set(message.online);
      return state && render();
    }
    if (message.type === "event") {
      settle(message);
      if (state === null) return early.push(message);  // the snapshot on its way comes first
      if (message.seq <= lastSeq) return;                 // already applied
      if (message.seq > lastSeq + 1) return hello();      // missed some: catch up
    }
    if (message.type !== "snapshot" && message.type !== "event") return;
    apply(message);
    if (message.type === "snapshot") {
      for (const event of early) if (event.seq === lastSeq + 1) apply(event);
      if (early.some((event) => event.seq > lastSeq)) hello();  // a gap among them: catch up
      early = [];
    }
    render();
  }
  function apply(message) {
    lastSeq = message.seq;
    offset = Date.parse(message.server_time) - Date.now();
    // An event carries only the top-level keys that changed; a snapshot carries them all.
    state = message.type === "snapshot" ? message.state : Object.assign({}, state, message.state);
    // A new question or note comes alone: added to the end of its list. A changed item (a
    // canvas someone edited) comes alone too, and takes the place of the one with its id.
    for (const [key, items] of Object.entries(message.append || {})) {
      const held = [...(state[key] || [])];
      for (const item of items) {
        const at = held.findIndex((old) => old.id === item.id);
        if (at >= 0) held[at] = item;
        else held.push(item);
      }
      state[key] = held;
    }
  }

  // --- one listener for everything in the room -------------------------------------------
  const argsOf = (node) => {
    const args = node.dataset.args ? JSON.parse(node.dataset.args) : {};
    // data-with names the fields whose values go with the command: {"note": "<input id>"}.
    for (const [key, id] of Object.entries(node.dataset.with ? JSON.parse(node.dataset.with) : {})) {
      const field = $(id);
      if (field) args[key] = "number" in field.dataset ? Number(field.value) : field.value;
    }
    return args;
  };
  const localActions = {
    "confirm-close": () => $("close-dialog").showModal(),
    dismiss: (button) => button.closest("dialog").close(),
    "use-suggestion": (button) => {
      const box = $("input-question");
      if (!box) return;
      box.value = button.dataset.suggestion;
      box.focus();
    },
    // A canvas note rewritten in place: its text becomes a box until saved or left.
    "edit-note": (button) => {
      editingNote = button.dataset.note;
      render();
      const box = $(`edit-note-${editingNote.replace(":", "-")}`);
      if (box) { box.focus(); box.select(); }
    },
    "cancel-edit": () => { editingNote = null; render(); },
  };
  root.addEventListener("click", (e) => {
    const button = e.target.closest("button[data-command], button[data-action]");
    if (!button || button.disabled) return;
    if (button.dataset.action) return localActions[button.dataset.action](button);
    send(button.dataset.command, argsOf(button));
    const dialog = button.closest("dialog");
    if (dialog) dialog.close();
  });
  // A choice that takes effect as soon as it is made: a note's strength, a score, a column.
  root.addEventListener("change", (e) => {
    const select = e.target.closest("select[data-command]");
    if (!select) return;
    send(select.dataset.command, { ...argsOf(select), [select.dataset.field]: "number" in select.dataset ? Number(select.value) : select.value });
  });
  const formArgs = {
    // The chair's numbers 1, 2, … in order; an empty box is no airtime today.
    technique: (form) => ({ kind: form.querySelector("select").value }),
    order: (form) => ({
      presenters: [...form.querySelectorAll("input.order")].filter((i) => i.value)
        .sort((a, b) => Number(a.value) - Number(b.value)).map((i) => Number(i.dataset.user)),
    }),
  };
  root.addEventListener("submit", (e) => {
    const form = e.target.closest("form[data-command]");
    if (!form) return;
    e.preventDefault();
    if (form.dataset.build) return send(form.dataset.command, formArgs[form.dataset.build](form));
    const input = form.querySelector("input[type=text], textarea");
    const args = { ...argsOf(form), [form.dataset.field]: input.value };
    send(form.dataset.command, args, "clear" in form.dataset ? { input: input.id, value: input.value } : null);
    if (form.classList.contains("note-edit")) { editingNote = null; render(); }
  });
  root.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && e.target.closest("form.note-edit")) { editingNote = null; render(); }
  });

  // --- the timer, on the server's clock -------------------------------------------------
  function remaining() {
    const t = state.timer;
    const running = t.started_at ? (Date.now() + offset - Date.parse(t.started_at)) / 1000 : 0;
    return t.seconds - t.elapsed - running;
  }
  function renderTimer() {
    if (!state) return;
    const bar = $("bar-time");
    if (state.closed) {
      $("timer").textContent = "";
      $("timer-note").textContent = "";
      return;
    }
    const left = remaining();
    const abs = Math.abs(Math.round(left));
    const text = `${left < 0 ? "+" : ""}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, "0")}`;
    const className = "timer" + (left < 0 ? " over" : left <= 60 ? " near" : "") + (state.timer.started_at ? "" : " paused");
    for (const timer of [$("timer"), bar]) if (timer && timer.textContent !== text) timer.textContent = text;
    $("timer").className = className;
    if (bar) bar.className = `bar-time ${className}`;
    const note = left < 0 ? "Time is up — finish when ready." : state.timer.started_at ? "" : "Paused";
    if ($("timer-note").textContent !== note) $("timer-note").textContent = note;
  }

  // --- the page ------------------------------------------------------------------------
  // What someone is typing is theirs: a field with the same data-draft keeps its value (and so its
  // caret) through a morph; a field for something else (the next presenter's questions) starts anew.
  const keepDrafts = {
    beforeNodeMorphed(old, fresh) {
      // A disclosure someone opened (a canvas's "Write it") stays open through others' changes.
      if (old instanceof HTMLDetailsElement && fresh instanceof HTMLDetailsElement) fresh.open = old.open;
      if (!(old instanceof HTMLElement) || !old.dataset.draft || old.dataset.draft !== fresh.dataset.draft) return true;
      if (old instanceof HTMLSelectElement) fresh.value = old.value;
      else if (old instanceof HTMLInputElement) {
        if (old.value) fresh.setAttribute("value", old.value);
        else fresh.removeAttribute("value");
      }
      return true;
    },
  };
  function morph(container, children) {
    Idiomorph.morph(container, children.filter(Boolean), { morphStyle: "innerHTML", callbacks: keepDrafts });
  }

  function render() {
    if (shownStage !== state.stage.key) {
      if (shownStage !== null && $("error").className.includes("error")) showMessage("");
      shownStage = state.stage.key;
    }
    document.title = `${state.stage.title} · ${state.meeting.set} · Revans`;
    $("stage-title").textContent = state.closed ? "The meeting is closed" : state.stage.title;
    $("stage-progress").textContent = `Stage ${state.stage.index + 1} of ${state.stage.count}`;
    $("chair-name").textContent = state.chair ? `${nameOf(state.chair)}${state.chair === me ? " (you)" : ""} is in the chair.` : "Nobody is in the chair.";
    morph($("video"), videoLink());
    morph($("chair-controls"), chairControls());
    morph($("chair-bar"), chairBar());
    morph($("stage-list"), stageList());
    morph($("people"), peopleList());
    morph($("stage-body"), state.closed ? closedBody() : stageBody());
    // Parts other apps add to the room (meetings/page.py), drawn once by the server, show in the
    // phases they name: the pulse from the process review on.
    const phase = state.closed ? "closed" : state.stage.phase;
    for (const part of root.querySelectorAll("[data-room-phases]"))
      part.hidden = !part.dataset.roomPhases.split(" ").includes(phase);
    // Closed from elsewhere, or the chair handed over: nothing left to confirm.
    if ($("close-dialog").open && !isChair()) $("close-dialog").close();
    renderTimer();
  }

  function videoLink() {
    const link = state.meeting.video_link;
    if (!link || state.closed || !/^https:\/\//i.test(link)) return [];
    const why = state.meeting.mode === "hybrid" ? "Joining from elsewhere? The set meets on video too." : "This set meets on video.";
    return [el("p", {}, why, " ", el("a", { class: "button", href: link, target: "_blank", rel: "noopener" }, "Join the video call",
      el("span", { class: "visually-hidden" }, " (opens in a new tab)")))];
  }

  function chairControls() {
    if (state.closed || ended) return [];
    if (!isChair()) {
      const mayTake = role === "facilitator" || (state.meeting.self_facilitated && role === "member");
      return mayTake ? [el("button", { type: "button", class: "secondary", ...command("take_chair") }, "Take the chair")] : [];
    }
    const others = state.people.filter((p) => p.id !== me && p.role !== "observer");
    if (!others.length) return [];
    return [el("div", { class: "actions hand-over" },
      el("label", { for: "hand-over", class: "visually-hidden" }, "Hand the chair to"),
      el("select", { id: "hand-over", "data-draft": "hand-over", "data-number": true },
        others.map((p) => el("option", { value: p.id }, p.name))),
      el("button", { type: "button", class: "secondary small", ...command("hand_over"), "data-with": JSON.stringify({ user: "hand-over" }) }, "Hand over"))];
  }

  // Back, Next and the timer: beside the stages on a laptop, a bar at the bottom on a phone.
  function chairBar() {
    if (!isChair()) return [];
    const running = Boolean(state.timer.started_at);
    return [
      el("div", { class: "actions", role: "group", "aria-label": "Move the meeting" },
        el("button", { type: "button", class: "secondary", ...command("back"), disabled: state.stage.index === 0 }, "← Back"),
        el("button", { type: "button", ...command("advance"), disabled: state.stage.index + 1 >= state.stage.count }, "Next →")),
      el("div", { class: "actions", role: "group", "aria-label": "The timer" },
        el("span", { id: "bar-time", class: "bar-time", "aria-hidden": "true" }),
        el("button", { type: "button", class: "secondary small", ...command(running ? "timer_pause" : "timer_start") }, running ? "Pause timer" : "Start timer"),
        el("button", { type: "button", class: "secondary small", ...command("timer_add", { minutes: 1 }) }, "+1 min"),
        el("button", { type: "button", class: "secondary small", ...command("timer_add", { minutes: 5 }) }, "+5 min")),
    ];
  }

  function stageList() {
    const chair = isChair();
    return state.stages.map((s) => {
      const current = s.key === state.stage.key;
      return el("li", { class: current ? "current" : false, "aria-current": current ? "step" : false },
        chair && !current ? el("button", { type: "button", class: "link", ...command("go_to", { stage: s.key }) }, s.title) : s.title);
    });
  }

  function peopleList() {
    return state.people.map((p) => {
      const here = online && online.has(p.id);
      return el("li", { class: "person" },
        el("span", { class: "name" }, p.name, p.id === me ? " (you)" : ""),
        p.role !== "member" ? el("span", { class: `badge ${p.role === "facilitator" ? "facilitator" : ""}` }, p.role) : null,
        online ? el("span", { class: `presence ${here ? "on" : "off"}` }, here ? "connected" : "not connected") : null);
    });
  }

  function textForm({ label, name, command: cmd, field = "text", args = null, value = "", button = "Add", clear = true, draft = name }) {
    const id = `input-${name}`;
    return el("form", { class: "inline-form", "data-command": cmd, "data-field": field, "data-args": args ? JSON.stringify(args) : false, "data-clear": clear },
      el("label", { for: id }, label),
      el("div", { class: "actions" },
        el("input", { type: "text", id, name, maxlength: 500, value, autocomplete: "off", "data-draft": `${draft}:${state.stage.key}` }),
        el("button", { type: "submit" }, button)));
  }

  // The guide's page on this phase (guide/), a link under the stage's title.
  const GUIDE = root.dataset.guide ? JSON.parse(root.dataset.guide) : {};
  function guideLink() {
    const link = GUIDE[state.stage.phase];
    if (!link) return [];
    return [el("p", { class: "guide-link muted" }, "Guide: ", el("a", { href: link.url, target: "_blank", rel: "noopener" }, link.text,
      el("span", { class: "visually-hidden" }, " (opens in a new tab)")))];
  }

  function stageBody() {
    return [...guideLink(), ...phaseBody()];
  }
  function phaseBody() {
    const s = state.stage;
    if (s.phase === "check_in" && taster()) return introductions();
    if (s.phase === "check_in") return checkIn();
    if (s.phase === "how_it_works") return howItWorks();
    if (s.phase === "practice") return practice();
    if (s.phase === "ground_rules") return groundRules();
    if (s.phase === "dates") return dates();
    if (s.phase === "report_back") return reportBack(s.person);
    if (s.phase === "bidding") return bidding();
    if (s.phase === "airtime") return airtime(s.person, s.step);
    if (s.phase === "process_review") return review();
    return summary();
  }

  function checkIn() {
    const rules = state.ground_rules;
    const agreed = rules.agreed.includes(me);
    return [
      el("p", {}, state.meeting.first ? "Welcome to the first meeting. Read the ground rules together and agree them." : "Everyone arrives. The ground rules:"),
      el("ol", { class: "rules" }, rules.rules.map((r) => el("li", {}, r))),
      el("p", { class: "muted" }, `${rules.agreed.length} of ${state.people.length} have agreed.`),
      rules.version && canAct() && !agreed ? el("button", { type: "button", ...command("agree_rules", { version: rules.version }) }, "I agree to these ground rules") : null,
      ...attendance(),
    ];
  }

  // --- a taster first meeting ------------------------------------------------------------
  const taster = () => state.stages.some((s) => s.key === "ground_rules");

  function introductions() {
    return [
      el("p", {}, "Welcome to the set's first meeting: a taster of how action learning works."),
      el("p", {}, "Introduce yourselves in turn: your name, your work, and what you hope this set will help you with. Nobody needs to bring an issue today."),
      ...attendance(),
    ];
  }

  // The guide's words on how action learning works are drawn once by the server (room.html)
  // and shown in this phase; here, what to do with them.
  function howItWorks() {
    return [el("p", {}, "Read together what action learning is and how each meeting runs, then ask the facilitator anything that is not clear.")];
  }

  function practice() {
    const { scenario, choices } = state.practice;
    const body = [];
    if (isChair()) {
      body.push(el("div", { class: "field" },
        el("label", { for: "scenario-choice" }, scenario ? "Practise on another sample problem" : "Choose a sample problem to practise on"),
        el("select", { id: "scenario-choice", "data-command": "choose_scenario", "data-field": "scenario", "data-draft": "scenario-choice" },
          el("option", { value: "" }, "Choose…"),
          choices.map((c) => el("option", { value: c.slug, selected: scenario && scenario.slug === c.slug }, c.title)))));
    }
    if (!scenario) {
      body.push(el("p", { class: "empty" }, isChair() ? "Choose a sample problem: the set practises open questions on it, with the coach." : "The chair is choosing a sample problem to practise on."));
      return body;
    }
    body.push(el("div", { class: "scenario" },
      el("h3", {}, scenario.title),
      el("p", { class: "muted" }, `${scenario.presenter}, ${scenario.role}, presents (a sample problem, not a real one):`),
      scenario.account.map((p) => el("p", {}, p))));
    body.push(el("p", {}, "Ask open questions that help the presenter think — not advice. The coach tells only you how each question lands."));
    if (canAct()) {
      body.push(textForm({ label: "My practice question", name: "practice", command: "practice_question" }));
      body.push(el("p", { id: "coach", class: "coach", role: "status" }, ...coachBody()));
    }
    const asked = state.practice_questions.filter((q) => q.scenario === scenario.slug);
    const mix = {};
    for (const q of asked) mix[q.label] = (mix[q.label] || 0) + 1;
    body.push(el("h3", {}, "The set's questions"));
    body.push(asked.length ? el("ul", { class: "people practice-questions" }, asked.map((q) => el("li", {},
      el("span", { class: `badge ${BADGES[q.label] || ""}` }, LABEL_NAMES[q.label] || q.label), " ", q.text))) : el("p", { class: "empty" }, "No questions yet."));
    if (asked.length) body.push(el("p", { class: "muted" }, "The mix: ", ["open", "closed", "leading", "advice"].map((l) => `${mix[l] || 0} ${l}`).join(" · ")));
    return body;
  }

  const RULE_STATUS = { proposed: "Proposed", kept: "Kept", dropped: "Dropped" };
  function groundRules() {
    const rules = state.ground_rules;
    const proposals = state.proposals;
    const body = [el("p", {}, "The set writes its own ground rules. Anyone proposes a rule; the set talks it through; the chair records whether the set keeps it or drops it. Confidentiality comes first.")];
    body.push(proposals.length ? el("ul", { class: "people proposals" }, proposals.map((p) => el("li", { class: `proposal ${p.status}` },
      el("span", { class: `badge ${p.status === "kept" ? "good" : p.status === "dropped" ? "" : "warn"}` }, RULE_STATUS[p.status]), " ",
      p.status === "dropped" ? el("s", {}, p.text) : p.text, " ", el("span", { class: "muted" }, p.author ? `— ${p.author}` : ""),
      isChair() ? el("span", { class: "actions" },
        p.status !== "kept" ? el("button", { type: "button", class: "secondary small", ...command("decide_rule", { proposal: p.id, status: "kept" }), "aria-label": `Keep: ${p.text}` }, "Keep") : null,
        p.status !== "dropped" ? el("button", { type: "button", class: "secondary small", ...command("decide_rule", { proposal: p.id, status: "dropped" }), "aria-label": `Drop: ${p.text}` }, "Drop") : null,
        p.status !== "proposed" ? el("button", { type: "button", class: "link", ...command("decide_rule", { proposal: p.id, status: "proposed" }), "aria-label": `Talk again about: ${p.text}` }, "Talk again") : null) : null)))
      : el("p", { class: "empty" }, "No rules proposed yet."));
    if (canAct()) {
      body.push(textForm({ label: "Propose a rule", name: "rule", command: "propose_rule", button: "Propose" }));
      const starters = JSON.parse(root.dataset.starters || "[]").filter((r) => !proposals.some((p) => p.text.toLowerCase() === r.toLowerCase()));
      if (starters.length) body.push(el("p", { class: "starters" }, el("span", { class: "muted" }, "Or start from one many sets use: "),
        starters.map((r) => el("button", { type: "button", class: "secondary small", ...command("propose_rule", { text: r }) }, r))));
    }
    const kept = proposals.filter((p) => p.status === "kept");
    const adopted = rules.version && kept.length === rules.rules.length && kept.every((p, i) => p.text === rules.rules[i]);
    // Confidentiality is the one rule that is not optional (the guide's ground rules).
    if (kept.length && !kept.some((p) => /confiden|stays? in the set|stays? here/i.test(p.text)))
      body.push(el("p", { class: "message warning" }, "No kept rule is about confidentiality yet: it comes first. What is said in the set stays in the set."));
    if (isChair() && kept.length && !adopted) body.push(el("p", {}, el("button", { type: "button", ...command("adopt_rules") }, `Make these ${kept.length} kept rules our ground rules`)));
    if (rules.version) {
      const agreed = rules.agreed.includes(me);
      const agreeing = state.people.filter((p) => p.role !== "observer");
      body.push(el("h3", {}, `Our ground rules${adopted ? "" : " (as last agreed)"}`),
        el("ol", { class: "rules" }, rules.rules.map((r) => el("li", {}, r))),
        el("p", { class: "muted" }, `${rules.agreed.length} of ${agreeing.length} have agreed.`),
        canAct() && !agreed ? el("button", { type: "button", ...command("agree_rules", { version: rules.version }) }, "I agree to these ground rules") : null,
        agreed ? el("p", {}, el("span", { class: "badge good" }, "Agreed"), " You have agreed to these.") : null);
    }
    return body;
  }

  function dates() {
    return [el("p", {}, "Choose when the set meets next. Everyone marks the dates they can make; the chair then picks the best.")];
  }

  function attendance() {
    if (!state.attendance) return [];  // a server that does not keep attendance in the room
    const attending = state.people.filter((p) => p.role !== "observer");
    const present = attending.filter((p) => state.attendance[String(p.id)] === "present").length;
    const mine = state.attendance[String(me)];
    const body = [el("h3", {}, "Who is here")];
    if (canAct() && mine !== "present") body.push(el("p", {}, el("button", { type: "button", ...command("check_in") }, "I'm here")));
    else if (mine === "present") body.push(el("p", {}, el("span", { class: "badge good" }, "Checked in"), " You are marked present."));
    body.push(el("p", { class: "muted" }, `${present} of ${attending.length} checked in.`));
    if (!isChair()) return body;
    body.push(el("ul", { class: "people attendance-list" }, attending.map((p) => {
      const status = state.attendance[String(p.id)];
      const mark = (to, label) => el("button", {
        type: "button", class: "secondary small", ...command("attendance", { user: p.id, status: to }),
        "aria-pressed": status === to ? "true" : "false", "aria-label": `Mark ${p.name} ${to}`,
      }, label);
      return el("li", { class: "person" },
        el("span", { class: "name" }, p.name),
        el("span", { class: `mark ${status || "none"}` }, ATTENDANCE[status] || "Not recorded"),
        el("span", { class: "actions" }, mark("present", "Present"), mark("absent", "Absent")));
    })));
    return body;
  }

  function reportBack(person) {
    const mine = state.actions.filter((a) => a.owner === person && !a.this_meeting);
    const mayReport = canAct() && (me === person || isChair());
    return [
      el("p", {}, `${nameOf(person)} reports on their actions.`),
      mine.length ? el("ul", { class: "people" }, mine.map((a) => el("li", {},
        el("p", {}, el("strong", {}, a.text), " ", el("span", { class: "muted" }, `from meeting ${a.from_meeting}`)),
        a.reported_here ? el("p", {}, el("span", { class: "badge good" }, a.status.replace("_", " ")), a.note ? ` “${a.note}”` : "") : null,
        mayReport ? reportForm(a) : null))) : el("p", { class: "empty" }, "No open actions."),
    ];
  }
  function reportForm(action) {
    const id = `note-${action.id}`;
    const choice = (status, label) => el("button", {
      type: "button", class: "secondary small", ...command("report_back", { action: action.id, status }), "data-with": JSON.stringify({ note: id }),
    }, label);
    return el("div", {}, el("label", { for: id }, "A short note"),
      el("input", { type: "text", id, maxlength: 500, value: action.note || "", "data-draft": id }),
      el("div", { class: "actions" }, choice("done", "Done"), choice("partly", "Partly"), choice("not_done", "Not done"), choice("dropped", "Dropped")));
  }

  function bidding() {
    const myBid = state.bids.find((b) => b.user === me);
    const body = [el("p", {}, "Who would like airtime today? Bid with a one-line headline of your issue.")];
    body.push(state.bids.length ? el("ul", { class: "people" }, state.bids.map((b) =>
      el("li", {}, el("strong", {}, nameOf(b.user)), ": ", b.headline))) : el("p", { class: "empty" }, "No bids yet."));
    const member = state.people.some((p) => p.id === me && p.role === "member");
    if (canAct() && member) {
      body.push(textForm({
        label: myBid ? "Change my headline" : "My headline", name: "headline", command: "bid", field: "headline",
        value: myBid ? myBid.headline : (state.issues[String(me)] || ""), button: myBid ? "Save" : "Bid", clear: false,
      }));
      if (myBid) body.push(el("p", { class: "withdraw" }, el("button", { type: "button", class: "link", ...command("withdraw_bid") }, "Withdraw my bid")));
    }
    if (isChair() && state.bids.length) {
      body.push(el("form", { class: "order-form", "data-command": "order_bids", "data-build": "order" },
        el("h3", {}, "Order the presenters"),
        el("p", { class: "muted" }, "Number them 1, 2, …; leave empty for no airtime today. The time left is split between them."),
        state.bids.map((b) => el("div", { class: "field check" },
          el("input", { type: "number", min: 1, max: state.bids.length, id: `order-${b.user}`, class: "order", "data-user": b.user, "data-draft": `order-${b.user}` }),
          el("label", { for: `order-${b.user}` }, nameOf(b.user)))),
        el("button", { type: "submit" }, "Set the presenters")));
    }
    if (state.presenters.length) body.push(el("p", {}, el("strong", {}, "Presenting: "), state.presenters.map((p) => p.name).join(", "), ` (${state.presenter_minutes} minutes each)`));
    return body;
  }

  function coachBody() {
    if (!coachNote || coachNote.stage !== state.stage.key) return [];
    const label = LABEL_NAMES[coachNote.label] || coachNote.label;
    const body = [el("strong", {}, "Coach (only you see this): "),
      el("span", { class: `badge ${BADGES[coachNote.label] || ""}` }, label), " ", coachNote.hint];
    // An open question's hint is itself the coach's word of encouragement.
    if (coachNote.label !== "open" && coachNote.suggestion) body.push(" An open way to ask it: ", el("q", {}, coachNote.suggestion), " ",
      el("button", { type: "button", class: "link", "data-action": "use-suggestion", "data-suggestion": coachNote.suggestion }, "Put it in the box"));
    return body;
  }

  function airtime(person, step) {
    const presenter = state.presenters.find((p) => p.id === person) || { name: nameOf(person), headline: "" };
    const body = [el("p", { class: "big" }, presenter.name, presenter.headline ? `: ${presenter.headline}` : "")];
    const questions = state.questions.filter((q) => q.presenter === person);
    if (step === "present") body.push(el("p", {}, `${presenter.name} presents the issue. Everyone else listens without interrupting.`));
    if (step === "questions") {
      body.push(el("p", {}, "Ask open questions that help the presenter think — not advice."));
      if (isChair()) body.push(el("button", { type: "button", class: "secondary small", ...command("capture", { on: !state.capture_questions }) }, state.capture_questions ? "Stop capturing questions" : "Capture questions"));
      if (state.capture_questions && canAct() && me !== person) {
        body.push(textForm({ label: "My question", name: "question", command: "question" }));
        body.push(el("p", { id: "coach", class: "coach", role: "status" }, ...coachBody()));
      }
      if (isChair()) {
        const mix = state.question_mix || {};
        body.push(el("p", { class: "muted" }, "Question mix so far: ",
          ["open", "closed", "leading", "advice"].map((l) => `${mix[l] || 0} ${l}`).join(" · ")));
      }
    }
    if (step === "questions" || step === "reflection") body.push(questions.length ? el("ul", { class: "people" }, questions.map((q) => el("li", {},
      q.powerful ? el("span", { class: "badge good" }, "Powerful") : null, " ", q.text, " ", el("span", { class: "muted" }, q.asker ? `— ${q.asker}` : ""),
      me === person && canAct() ? el("button", { type: "button", class: "link", ...command("mark_powerful", { question: q.id, powerful: !q.powerful }) }, q.powerful ? "(unmark)" : "Mark as powerful") : null))) : el("p", { class: "empty" }, "No questions captured."));
    if (step === "actions") {
      const committed = state.actions.filter((a) => a.owner === person && a.this_meeting);
      const mayCommit = canAct() && (me === person || isChair());
      body.push(el("p", {}, `${presenter.name} commits to actions before the next meeting.`));
      body.push(committed.length ? el("ul", { class: "people" }, committed.map((a) => el("li", {}, a.text,
        mayCommit ? el("button", { type: "button", class: "link", ...command("remove_action", { action: a.id }) }, "Take back") : null))) : el("p", { class: "empty" }, "No actions yet."));
      if (mayCommit) body.push(textForm({ label: "An action", name: "action", command: "add_action" }));
    }
    if (step === "reflection") body.unshift(el("p", {}, "What helped? Which questions opened something up?"));
    return body.concat(techniquesOf(person));
  }

  // --- techniques in airtime: canvases everyone in the room edits ---------------------------
  const TECHNIQUES = {
    force_field: "Force-field analysis", five_whys: "Five whys", options_matrix: "Options appraisal (weighted matrix)",
    fishbone: "Fishbone (cause and effect)", swot: "SWOT", stakeholder_map: "Stakeholder map",
  };
  const edits = (canvas, args) => ({ technique: canvas.id, ...args });

  function techniquesOf(person) {
    const open = state.techniques.filter((t) => t.presenter === person);
    const body = [];
    const mayOpen = canAct() && (me === person || isChair());
    const left = Object.keys(TECHNIQUES).filter((k) => !open.some((t) => t.kind === k));
    if (mayOpen && left.length) {
      body.push(el("form", { class: "inline-form technique-open", "data-command": "open_technique", "data-build": "technique" },
        el("label", { for: "technique-kind" }, "Work on it with a technique"),
        el("div", { class: "actions" },
          el("select", { id: "technique-kind", "data-draft": "technique-kind" }, left.map((k) => el("option", { value: k }, TECHNIQUES[k]))),
          el("button", { type: "submit", class: "secondary" }, "Open"))));
    }
    return body.concat(open.map(canvasOf));
  }

  function canvasOf(canvas) {
    const editable = canAct();
    const mayClose = editable && (me === canvas.presenter || isChair());
    const guide = GUIDE.techniques ? `${GUIDE.techniques.url.split("#")[0]}#${canvas.guide}` : null;
    const heading = `technique-${canvas.id}`;
    const body = [
      el("div", { class: "technique-head" },
        el("h3", { id: heading }, canvas.name),
        guide ? el("a", { href: guide, target: "_blank", rel: "noopener", class: "muted" }, "How it works", el("span", { class: "visually-hidden" }, ` (${canvas.name}, opens in a new tab)`)) : null,
        mayClose ? el("button", { type: "button", class: "link", ...command("remove_technique", { technique: canvas.id }), "aria-label": `Close the ${canvas.name}` }, "Close") : null),
      el("p", { class: "canvas-title" }, el("strong", {}, `${canvas.title_label}: `), canvas.title || el("span", { class: "muted" }, "not written yet")),
    ];
    if (editable) body.push(el("details", { class: "canvas-title-edit" }, el("summary", {}, canvas.title ? "Change it" : "Write it"),
      textForm({ label: canvas.title_label, name: `title-${canvas.id}`, command: "technique", args: edits(canvas, { op: "title" }), value: canvas.title, button: "Save", clear: false })));
    body.push(canvas.kind === "options_matrix" ? matrixOf(canvas, editable) : zonesOf(canvas, editable));
    return el("section", { class: `technique kind-${canvas.kind}`, "aria-labelledby": heading }, body);
  }

  function scoreSelect(canvas, item, label, editable) {
    const score = canvas.score;
    if (!editable) return el("span", { class: "score" }, `${score.label} ${item.score}`);
    const id = `score-${canvas.id}-${item.id}`;
    return el("span", { class: "score" }, el("label", { for: id, class: "visually-hidden" }, `${score.label} of ${label}`),
      el("select", { id, "data-command": "technique", "data-args": JSON.stringify(edits(canvas, { op: "edit", item: item.id })), "data-field": "score", "data-number": true },
        Array.from({ length: score.high - score.low + 1 }, (_, i) => score.low + i).map((n) => el("option", { value: n, selected: n === item.score }, `${score.label} ${n}`))));
  }

  function zonesOf(canvas, editable) {
    const moves = canvas.kind === "stakeholder_map" || canvas.kind === "swot" || canvas.kind === "fishbone";
    const zones = canvas.zones.map((zone) => {
      const total = canvas.totals ? el("span", { class: "badge" }, `total ${canvas.totals[zone.key]}`) : null;
      const list = zone.items.length ? el(canvas.ordered ? "ol" : "ul", { class: "notes" }, zone.items.map((item) => editable && editingNote === `${canvas.id}:${item.id}` ? el("li", { class: "note" }, noteEditor(canvas, item)) : el("li", { class: "note" },
        el("span", { class: "note-text" }, item.text),
        editable ? el("button", { type: "button", class: "link", "data-action": "edit-note", "data-note": `${canvas.id}:${item.id}`, "aria-label": `Edit: ${item.text}` }, "Edit") : null,
        canvas.score && (canvas.scored_zone || zone.key) === zone.key ? scoreSelect(canvas, item, item.text, editable) : null,
        editable && moves ? moveSelect(canvas, item) : null,
        editable ? el("button", { type: "button", class: "link", ...command("technique", edits(canvas, { op: "remove", item: item.id })), "aria-label": `Remove: ${item.text}` }, "×") : null)))
        : el("p", { class: "empty" }, canvas.ordered ? "Ask why the problem happens; write the answer here, then ask why again." : "Nothing yet.");
      return el("div", { class: `zone zone-${zone.key}` },
        el("h4", {}, zone.label, " ", total), list,
        editable && zone.items.length < canvas.limit ? textForm({ label: canvas.ordered ? "Because…" : `Add to ${zone.label.split(":")[0].toLowerCase()}`, name: `note-${canvas.id}-${zone.key}`, command: "technique", args: edits(canvas, { op: "add", zone: zone.key }) }) : null);
    });
    return el("div", { class: `zones zones-${canvas.zones.length}` }, zones);
  }

  function noteEditor(canvas, item) {
    const id = `edit-note-${canvas.id}-${item.id}`;
    return el("form", { class: "inline-form note-edit", "data-command": "technique", "data-field": "text", "data-args": JSON.stringify(edits(canvas, { op: "edit", item: item.id })) },
      el("label", { for: id, class: "visually-hidden" }, `Rewrite: ${item.text}`),
      el("div", { class: "actions" },
        el("input", { type: "text", id, maxlength: 200, value: item.text, autocomplete: "off", "data-draft": id }),
        el("button", { type: "submit", class: "small" }, "Save"),
        el("button", { type: "button", class: "link", "data-action": "cancel-edit" }, "Cancel")));
  }

  function moveSelect(canvas, item) {
    const id = `move-${canvas.id}-${item.id}`;
    return el("span", { class: "move" }, el("label", { for: id, class: "visually-hidden" }, `Move ${item.text} to`),
      el("select", { id, "data-command": "technique", "data-args": JSON.stringify(edits(canvas, { op: "edit", item: item.id })), "data-field": "zone" },
        canvas.zones.map((z) => el("option", { value: z.key, selected: z.key === item.zone }, z.label.split(":")[0]))));
  }

  function matrixOf(canvas, editable) {
    const [options, criteria] = canvas.zones.map((z) => z.items);
    const total = Object.fromEntries(canvas.ranking.map((r) => [r.id, r]));
    const best = canvas.ranking.length && canvas.ranking[0].total > 0 ? canvas.ranking[0] : null;
    const cell = (option, criterion) => {
      const value = canvas.scores[`${option.id}:${criterion.id}`] || 0;
      if (!editable) return el("td", {}, String(value));
      const id = `cell-${canvas.id}-${option.id}-${criterion.id}`;
      return el("td", {}, el("label", { for: id, class: "visually-hidden" }, `${option.text} on ${criterion.text}`),
        el("select", { id, "data-command": "technique", "data-args": JSON.stringify(edits(canvas, { op: "score", option: option.id, criterion: criterion.id })), "data-field": "value", "data-number": true },
          [0, 1, 2, 3, 4, 5].map((n) => el("option", { value: n, selected: n === value }, String(n)))));
    };
    const remove = (item) => editable ? el("button", { type: "button", class: "link", ...command("technique", edits(canvas, { op: "remove", item: item.id })), "aria-label": `Remove: ${item.text}` }, "×") : null;
    const body = [];
    if (options.length || criteria.length) body.push(el("div", { class: "table-scroll" }, el("table", { class: "matrix" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Option"),
        criteria.map((c) => el("th", { scope: "col" }, c.text, " ", remove(c), el("br"), scoreSelect(canvas, c, c.text, editable))),
        el("th", { scope: "col" }, "Weighted total"))),
      el("tbody", {}, options.map((o) => el("tr", { class: best && best.id === o.id ? "best" : false },
        el("th", { scope: "row" }, o.text, " ", remove(o)),
        criteria.map((c) => cell(o, c)),
        el("td", {}, el("strong", {}, String((total[o.id] || {}).total || 0)), criteria.length ? ` of ${(total[o.id] || {}).out_of || 0}` : "")))))));
    else body.push(el("p", { class: "empty" }, "Write the options the presenter is weighing, and the criteria that matter; weight each criterion, then score each option 0–5."));
    if (best) body.push(el("p", {}, el("span", { class: "badge good" }, "Highest so far"), ` ${best.text} (${best.total} of ${best.out_of}). The numbers inform the presenter's choice; they do not make it.`));
    if (editable) body.push(el("div", { class: "zones zones-2" },
      options.length < canvas.limit ? textForm({ label: "Add an option", name: `note-${canvas.id}-options`, command: "technique", args: edits(canvas, { op: "add", zone: "options" }) }) : null,
      criteria.length < canvas.limit ? textForm({ label: "Add a criterion", name: `note-${canvas.id}-criteria`, command: "technique", args: edits(canvas, { op: "add", zone: "criteria" }) }) : null));
    return el("div", { class: "matrix-wrap" }, body);
  }

  function review() {
    const body = [el("p", {}, "How did we work today: questioning, listening, the ground rules?")];
    body.push(state.review.length ? el("ul", { class: "people" }, state.review.map((n) => el("li", {}, n.change ? el("strong", {}, "We will change: ") : "", n.text, " ", el("span", { class: "muted" }, n.author ? `— ${n.author}` : "")))) : el("p", { class: "empty" }, "No notes yet."));
    if (canAct()) body.push(textForm({ label: "My note", name: "note", command: "review_note" }));
    if (isChair()) body.push(textForm({ label: "What the set will change", name: "change", command: "review_note", args: { change: true } }));
    return body;
  }

  function summary() {
    const committed = state.actions.filter((a) => a.this_meeting);
    const reported = state.actions.filter((a) => a.reported_here);
    return [
      el("ul", {},
        el("li", {}, `Presenters: ${state.presenters.map((p) => p.name).join(", ") || "none"}`),
        el("li", {}, `Actions committed: ${committed.length}`),
        el("li", {}, `Actions reported on: ${reported.length}`),
        el("li", {}, `Questions captured: ${state.questions.length}, powerful: ${state.questions.filter((q) => q.powerful).length}`)),
      isChair() ? el("button", { type: "button", "data-action": "confirm-close" }, "Close the meeting and send the summary") : el("p", { class: "muted" }, "The chair closes the meeting; the summary then reaches everyone."),
    ];
  }

  function closedBody() {
    return [el("p", {}, "The summary is on the meeting page and on its way by e-mail."),
      el("p", {}, el("a", { class: "button", href: root.dataset.summary }, "Read the summary"))];
  }

  setInterval(renderTimer, 250);
  // Still here: the server counts a socket that has said nothing for three minutes as gone
  // (presence), so a quiet listener says so once a minute.
  setInterval(() => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "ping" }));
  }, 60000);
  connect();
})();
