// Learning log editor: autosave to the server every few seconds while typing, a copy in this
// browser's localStorage so nothing is lost if the tab closes before a save (offered back when
// the entry is opened again), the prompt-set chooser and "insert as headings". The live preview
// and word count are htmx (attributes on the textarea); without JavaScript the form still saves.
(function () {
  "use strict";

  const AUTOSAVE_MS = 3000;
  const FIELDS = ["title", "entry_date", "section", "meeting", "tags", "prompt_set", "body"];
  const PREFIX = "revans-journal";

  function storageKey(log, entry) {
    return `${PREFIX}:${log}:${entry || "new"}`;
  }

  function read(key) {
    try {
      return JSON.parse(localStorage.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  function forget(key) {
    try {
      localStorage.removeItem(key);
    } catch (error) {
      // Storage may be off (private browsing): the server copy is all there is.
    }
  }

  // After a successful save the entry's page clears what this browser kept of it.
  function clearSaved(article) {
    const log = article.dataset.log;
    forget(storageKey(log, article.dataset.entry));
    const fresh = read(storageKey(log, ""));
    if (fresh && article.dataset.draftKey && fresh.draftKey === article.dataset.draftKey) {
      forget(storageKey(log, ""));
    }
  }

  function editor(form) {
    const log = form.dataset.log;
    const entryInput = form.elements.entry;
    const draftKey = form.elements.draft_key;
    const body = form.elements.body;
    const status = document.getElementById("save-status");
    const restoreBox = document.getElementById("restore");
    let key = storageKey(log, entryInput.value);
    let dirty = false;
    let inFlight = false;
    let submitting = false;

    function values() {
      const out = {};
      for (const name of FIELDS) {
        if (form.elements[name]) out[name] = form.elements[name].value;
      }
      return out;
    }

    function keep() {
      try {
        localStorage.setItem(
          key,
          JSON.stringify({ fields: values(), draftKey: draftKey.value, savedAt: Date.now() }),
        );
      } catch (error) {
        // Full or off: autosave to the server still runs.
      }
    }

    function say(text, kind) {
      status.textContent = text;
      status.className = kind || "";
    }

    function hasWords() {
      return entryInput.value || form.elements.title.value.trim() || body.value.trim();
    }

    function saved(data) {
      entryInput.value = data.entry;
      const newKey = storageKey(log, data.entry);
      if (newKey !== key) {
        forget(key);
        key = newKey;
      }
      form.dataset.updated = data.updated_ms;
      form.action = data.edit_url;
      if (window.location.pathname !== data.edit_url) {
        // A reload now opens the saved draft, not a blank new entry.
        window.history.replaceState(null, "", data.edit_url);
      }
      if (dirty) keep();
      else forget(key);
      say(`${data.draft ? "Draft saved" : "Saved"} at ${data.saved_at}`, "saved");
    }

    function problem(data) {
      const errors = (data && data.errors) || {};
      const first = Object.values(errors)[0];
      return `Not saved: ${first ? first[0] : "please check the entry."}`;
    }

    async function autosave() {
      if (!dirty || inFlight || submitting || !hasWords()) return;
      inFlight = true;
      dirty = false;
      say("Saving…", "saving");
      try {
        const response = await fetch(form.dataset.autosaveUrl, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        const data = await response.json().catch(() => null);
        if (response.ok && data && data.saved) {
          saved(data);
        } else {
          dirty = true;
          say(response.status === 400 ? problem(data) : "Not saved yet: kept in this browser.", "unsaved");
        }
      } catch (error) {
        dirty = true;
        say("Offline: your writing is kept in this browser until it can be saved.", "unsaved");
      } finally {
        inFlight = false;
      }
    }

    function changed() {
      dirty = true;
      keep();
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", () => {
      submitting = true;
    });
    window.setInterval(autosave, AUTOSAVE_MS);
    window.addEventListener("pagehide", () => {
      // A last save as the tab closes; the copy in localStorage covers it if this is lost too.
      if (dirty && !submitting && hasWords() && navigator.sendBeacon) {
        navigator.sendBeacon(form.dataset.autosaveUrl, new FormData(form));
      }
    });

    // A copy kept by this browser that is newer than the server's is offered back.
    const stored = read(key);
    if (stored && stored.fields) {
      const current = values();
      const differs = FIELDS.some((name) => name in stored.fields && stored.fields[name] !== current[name]);
      const newer = stored.savedAt > Number(form.dataset.updated || 0);
      const worthKeeping = (stored.fields.body || "").trim() || (stored.fields.title || "").trim();
      if (differs && newer && worthKeeping) {
        restoreBox.querySelector("[data-restore-when]").textContent = new Date(stored.savedAt).toLocaleString();
        restoreBox.hidden = false;
        restoreBox.querySelector("[data-restore]").addEventListener("click", () => {
          for (const [name, value] of Object.entries(stored.fields)) {
            if (form.elements[name]) form.elements[name].value = value;
          }
          if (!entryInput.value && stored.draftKey) draftKey.value = stored.draftKey;
          restoreBox.hidden = true;
          showPrompts();
          body.dispatchEvent(new Event("input", { bubbles: true }));
          body.focus();
        });
        restoreBox.querySelector("[data-discard]").addEventListener("click", () => {
          forget(key);
          restoreBox.hidden = true;
          body.focus();
        });
      } else if (!differs || !newer) {
        forget(key);
      }
    }

    // Prompts: the chosen set is shown beside the text; its prompts can go in as headings.
    const chooser = form.elements.prompt_set;
    function showPrompts() {
      for (const box of form.querySelectorAll("[data-prompt-set]")) {
        box.hidden = box.dataset.promptSet !== chooser.value;
      }
    }
    if (chooser) chooser.addEventListener("change", showPrompts);
    for (const button of form.querySelectorAll("[data-insert-prompts]")) {
      button.hidden = false;
      button.addEventListener("click", () => {
        const prompts = [...button.closest("[data-prompt-set]").querySelectorAll("[data-prompt]")];
        const headings = prompts.map((li) => `## ${li.dataset.prompt}\n\n`).join("\n");
        const before = body.value.replace(/\s+$/, "");
        body.value = before ? `${before}\n\n${headings}` : headings;
        body.dispatchEvent(new Event("input", { bubbles: true }));
        body.focus();
        const first = body.value.indexOf("\n\n", before.length + 2);
        if (first > -1) body.setSelectionRange(first + 2, first + 2);
      });
    }
  }

  function catchUp(form) {
    // Text typed before the page finished loading reached no listener: once htmx is ready,
    // announce it, so the preview, the word count and autosave see it.
    const body = form.querySelector("textarea[name=body]");
    if (body && body.value !== body.defaultValue) {
      body.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function start() {
    const form = document.getElementById("entry-form");
    if (form) {
      editor(form);
      if (document.readyState === "complete") catchUp(form);
      else window.addEventListener("load", () => catchUp(form), { once: true });
    }
    const article = document.querySelector("[data-saved-entry]");
    if (article) clearSaved(article);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
