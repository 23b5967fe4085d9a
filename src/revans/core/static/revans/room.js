// The live meeting room: one WebSocket, the server's state rendered as it arrives.
// The server is the authority; this file only shows its state and sends commands.
(() => {
  "use strict";
  const root = document.getElementById("room");
  if (!root) return;
  const me = Number(root.dataset.me);
  const role = root.dataset.role;
  const $ = (id) => document.getElementById(id);
  let socket = null, lastSeq = null, state = null, offset = 0, retry = 0, tick = null;

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) if (child !== null && child !== undefined && child !== false)
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  };
  const nameOf = (id) => (state.people.find((p) => p.id === id) || {}).name || "someone who left";
  const isChair = () => state && state.chair === me;
  const canAct = () => role !== "observer" && state && !state.closed;

  function send(name, args = {}) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return showError("Not connected: trying again…");
    const id = (crypto.randomUUID && crypto.randomUUID()) || String(Date.now() + Math.random());
    socket.send(JSON.stringify({ type: "command", id, name, args }));
  }
  let coachNote = null;
  function showCoach(verdict) {
    // Only the asker ever receives this; it waits a second so it never interrupts the asking.
    coachNote = verdict.label === "open" ? null : verdict;
    const box = document.getElementById("coach");
    if (box) box.replaceChildren(...coachBody());
  }
  function coachBody() {
    if (!coachNote) return [];
    return [el("strong", {}, "Coach (only you see this): "), coachNote.hint,
      coachNote.suggestion ? el("span", {}, " Try: ", el("em", {}, coachNote.suggestion)) : null].filter(Boolean);
  }
  function showError(text) { const box = $("error"); box.textContent = text; box.hidden = !text; }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.socket);
    socket.addEventListener("open", () => {
      retry = 0;
      $("connection").textContent = "Connected";
      $("connection").className = "connection ok";
      socket.send(JSON.stringify({ type: "hello", last_seq: lastSeq }));
    });
    socket.addEventListener("message", (e) => receive(JSON.parse(e.data)));
    socket.addEventListener("close", (e) => {
      if (e.code === 4404) { $("connection").textContent = "You are not in this meeting."; return; }
      $("connection").textContent = "Connection lost: reconnecting…";
      $("connection").className = "connection lost";
      setTimeout(connect, Math.min(10000, 500 * 2 ** retry++));
    });
  }

  function receive(message) {
    if (message.type === "error") return showError(message.message);
    if (message.type === "coach") return setTimeout(() => showCoach(message), 1000);
    if (message.type !== "snapshot" && message.type !== "event") return;
    if (message.type === "event") {
      if (lastSeq !== null && message.seq <= lastSeq) return;  // already applied
      if (lastSeq !== null && message.seq > lastSeq + 1) {      // missed some: catch up
        socket.send(JSON.stringify({ type: "hello", last_seq: lastSeq }));
        return;
      }
    }
    showError("");
    lastSeq = message.seq;
    offset = Date.parse(message.server_time) - Date.now();
    state = message.partial ? Object.assign({}, state, message.state) : message.state;
    render();
  }

  // --- the timer, on the server's clock -------------------------------------------------
  function remaining() {
    const t = state.timer;
    const running = t.started_at ? (Date.now() + offset - Date.parse(t.started_at)) / 1000 : 0;
    return t.seconds - t.elapsed - running;
  }
  function renderTimer() {
    if (!state) return;
    if (state.closed) { $("timer").textContent = ""; $("timer-note").textContent = ""; return; }
    const left = remaining();
    const abs = Math.abs(Math.round(left));
    const text = `${left < 0 ? "+" : ""}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, "0")}`;
    const timer = $("timer");
    timer.textContent = text;
    timer.className = "timer" + (left < 0 ? " over" : left <= 60 ? " near" : "") + (state.timer.started_at ? "" : " paused");
    const note = left < 0 ? "Time is up — finish when ready." : state.timer.started_at ? "" : "Paused";
    if ($("timer-note").textContent !== note) $("timer-note").textContent = note;
  }

  // --- the page ------------------------------------------------------------------------
  function render() {
    document.title = `${state.stage.title} · ${state.meeting.set} · Revans`;
    $("stage-title").textContent = state.closed ? "The meeting is closed" : state.stage.title;
    $("stage-progress").textContent = `Stage ${state.stage.index + 1} of ${state.stage.count}`;
    $("chair-name").textContent = state.chair ? `${nameOf(state.chair)}${isChair() ? " (you)" : ""} is in the chair.` : "Nobody is in the chair.";
    $("chair-controls").replaceChildren(...chairControls().filter(Boolean));
    $("stage-list").replaceChildren(...state.stages.map((s) =>
      el("li", { class: s.key === state.stage.key ? "current" : "", "aria-current": s.key === state.stage.key ? "step" : false }, s.title)));
    $("stage-body").replaceChildren(...(state.closed ? closedBody() : stageBody()).filter(Boolean));
    renderTimer();
  }

  function chairControls() {
    if (state.closed) return [];
    if (!isChair()) {
      const mayTake = role === "facilitator" || (state.meeting.self_facilitated && role === "member");
      return mayTake ? [el("button", { type: "button", class: "secondary", onclick: () => send("take_chair") }, "Take the chair")] : [];
    }
    const running = Boolean(state.timer.started_at);
    const others = state.people.filter((p) => p.id !== me && p.role !== "observer");
    const select = el("select", { id: "hand-over", "aria-label": "Hand the chair to" },
      others.map((p) => el("option", { value: p.id }, p.name)));
    return [
      el("div", { class: "actions" },
        el("button", { type: "button", class: "secondary", onclick: () => send("back"), disabled: state.stage.index === 0 }, "← Back"),
        el("button", { type: "button", onclick: () => send("advance"), disabled: state.stage.index + 1 >= state.stage.count }, "Next →")),
      el("div", { class: "actions" },
        el("button", { type: "button", class: "secondary small", onclick: () => send(running ? "timer_pause" : "timer_start") }, running ? "Pause timer" : "Start timer"),
        el("button", { type: "button", class: "secondary small", onclick: () => send("timer_add", { minutes: 1 }) }, "+1 min"),
        el("button", { type: "button", class: "secondary small", onclick: () => send("timer_add", { minutes: 5 }) }, "+5 min")),
      others.length ? el("div", { class: "actions" }, select,
        el("button", { type: "button", class: "secondary small", onclick: () => send("hand_over", { user: Number(select.value) }) }, "Hand over")) : null,
    ];
  }

  function textForm(label, name, onsubmit, value = "", button = "Add") {
    const id = `input-${name}`;
    const input = el("input", { type: "text", id, name, maxlength: 500, value, autocomplete: "off" });
    return el("form", { class: "inline-form", onsubmit: (e) => { e.preventDefault(); onsubmit(input.value); input.value = ""; } },
      el("label", { for: id }, label), el("div", { class: "actions" }, input, el("button", { type: "submit" }, button)));
  }

  function stageBody() {
    const s = state.stage;
    if (s.phase === "check_in") return checkIn();
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
      rules.version && canAct() && !agreed ? el("button", { type: "button", onclick: () => send("agree_rules", { version: rules.version }) }, "I agree to these ground rules") : null,
    ];
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
    const note = el("input", { type: "text", id, maxlength: 500, value: action.note || "" });
    const choice = (status, label) => el("button", { type: "button", class: "secondary small", onclick: () => send("report_back", { action: action.id, status, note: note.value }) }, label);
    return el("div", {}, el("label", { for: id }, "A short note"), note,
      el("div", { class: "actions" }, choice("done", "Done"), choice("partly", "Partly"), choice("not_done", "Not done"), choice("dropped", "Dropped")));
  }

  function bidding() {
    const myBid = state.bids.find((b) => b.user === me);
    const body = [el("p", {}, "Who would like airtime today? Bid with a one-line headline of your issue.")];
    body.push(state.bids.length ? el("ul", { class: "people" }, state.bids.map((b) =>
      el("li", {}, el("strong", {}, nameOf(b.user)), ": ", b.headline))) : el("p", { class: "empty" }, "No bids yet."));
    const member = state.people.some((p) => p.id === me && p.role === "member");
    if (canAct() && member) body.push(textForm(myBid ? "Change my headline" : "My headline", "headline", (v) => send("bid", { headline: v }), myBid ? myBid.headline : (state.issues[String(me)] || ""), myBid ? "Save" : "Bid"));
    if (isChair() && state.bids.length) {
      const inputs = state.bids.map((b) => ({ b, input: el("input", { type: "number", min: 1, max: state.bids.length, id: `order-${b.user}`, class: "order" }) }));
      body.push(el("form", { onsubmit: (e) => {
        e.preventDefault();
        const chosen = inputs.filter((x) => x.input.value).sort((a, b) => a.input.value - b.input.value).map((x) => x.b.user);
        send("order_bids", { presenters: chosen });
      } }, el("h3", {}, "Order the presenters"), el("p", { class: "muted" }, "Number them 1, 2, …; leave empty for no airtime today. The time left is split between them."),
        inputs.map((x) => el("div", { class: "field check" }, x.input, el("label", { for: x.input.id }, nameOf(x.b.user)))),
        el("button", { type: "submit" }, "Set the presenters")));
    }
    if (state.presenters.length) body.push(el("p", {}, el("strong", {}, "Presenting: "), state.presenters.map((p) => p.name).join(", "), ` (${state.presenter_minutes} minutes each)`));
    return body;
  }

  function airtime(person, step) {
    const presenter = state.presenters.find((p) => p.id === person) || { name: nameOf(person), headline: "" };
    const body = [el("p", { class: "big" }, presenter.name, presenter.headline ? `: ${presenter.headline}` : "")];
    const questions = state.questions.filter((q) => q.presenter === person);
    if (step === "present") body.push(el("p", {}, `${presenter.name} presents the issue. Everyone else listens without interrupting.`));
    if (step === "questions") {
      body.push(el("p", {}, "Ask open questions that help the presenter think — not advice."));
      if (isChair()) body.push(el("button", { type: "button", class: "secondary small", onclick: () => send("capture", { on: !state.capture_questions }) }, state.capture_questions ? "Stop capturing questions" : "Capture questions"));
      if (state.capture_questions && canAct() && me !== person) {
        body.push(textForm("My question", "question", (v) => send("question", { text: v })));
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
      me === person && canAct() ? el("button", { type: "button", class: "link", onclick: () => send("mark_powerful", { question: q.id, powerful: !q.powerful }) }, q.powerful ? " (unmark)" : " Mark as powerful") : null))) : el("p", { class: "empty" }, "No questions captured."));
    if (step === "actions") {
      const committed = state.actions.filter((a) => a.owner === person && a.this_meeting);
      body.push(el("p", {}, `${presenter.name} commits to actions before the next meeting.`));
      body.push(committed.length ? el("ul", { class: "people" }, committed.map((a) => el("li", {}, a.text,
        canAct() && (me === person || isChair()) ? el("button", { type: "button", class: "link", onclick: () => send("remove_action", { action: a.id }) }, " Take back") : null))) : el("p", { class: "empty" }, "No actions yet."));
      if (canAct() && (me === person || isChair())) body.push(textForm("An action", "action", (v) => send("add_action", { text: v })));
    }
    if (step === "reflection") body.unshift(el("p", {}, "What helped? Which questions opened something up?"));
    return body;
  }

  function review() {
    const body = [el("p", {}, "How did we work today: questioning, listening, the ground rules?")];
    body.push(state.review.length ? el("ul", { class: "people" }, state.review.map((n) => el("li", {}, n.change ? el("strong", {}, "We will change: ") : "", n.text, " ", el("span", { class: "muted" }, n.author ? `— ${n.author}` : "")))) : el("p", { class: "empty" }, "No notes yet."));
    if (canAct()) body.push(textForm("My note", "note", (v) => send("review_note", { text: v })));
    if (isChair()) body.push(textForm("What the set will change", "change", (v) => send("review_note", { text: v, change: true })));
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
      isChair() ? el("button", { type: "button", onclick: () => send("close") }, "Close the meeting and send the summary") : el("p", { class: "muted" }, "The chair closes the meeting; the summary then reaches everyone."),
    ];
  }

  function closedBody() {
    return [el("p", {}, "The summary is on the meeting page and on its way by e-mail."),
      el("p", {}, el("a", { class: "button", href: root.dataset.summary }, "Read the summary"))];
  }

  tick = setInterval(renderTimer, 250);
  connect();
})();
