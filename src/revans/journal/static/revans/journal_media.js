// Learning log editor: uploads, the sketch pad and "Insert into text". Uploads go with the
// editor's entry (or its draft key, for an entry not saved yet) and answer with the attachments
// list, swapped in without leaving the page, so nothing being typed is lost. Without JavaScript
// the upload form posts normally and the sketch pad stays hidden.
(function () {
  "use strict";

  const EXPORT_WIDTH = 1200;
  const EXPORT_HEIGHT = 800;
  const PEN_WIDTHS = { fine: 6, thick: 18 }; // in the canvas's own pixels (1200 wide)

  function entryForm() {
    return document.getElementById("entry-form");
  }

  // The entry the editor is on: autosave may have made it since the page loaded.
  function fillEntry(data) {
    const form = entryForm();
    if (!form) return;
    data.set("entry", form.elements.entry.value);
    data.set("draft_key", form.elements.draft_key.value);
  }

  function csrf(panel) {
    return panel.querySelector("[name=csrfmiddlewaretoken]").value;
  }

  async function send(panel, url, data) {
    fillEntry(data);
    const response = await fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRFToken": csrf(panel) },
    });
    const html = await response.text();
    const list = document.getElementById("attachments");
    if ((response.headers.get("Content-Type") || "").startsWith("text/html") && html.includes('id="attachments"')) {
      list.outerHTML = html;
      const fresh = document.getElementById("attachments");
      if (window.htmx) window.htmx.process(fresh);
      adopt(fresh);
    } else {
      throw new Error(response.status === 413 ? "That file is too large." : "The upload failed.");
    }
    return response.ok;
  }

  // An upload to a new entry makes its draft: the editor carries on with that entry.
  function adopt(list) {
    const form = entryForm();
    if (form && list.dataset.entry && !form.elements.entry.value) {
      form.elements.entry.value = list.dataset.entry;
    }
    showInsertButtons(list);
  }

  function showInsertButtons(root) {
    for (const button of root.querySelectorAll("[data-insert-markdown]")) button.hidden = false;
  }

  function insertIntoText(markdown) {
    const body = entryForm() && entryForm().elements.body;
    if (!body) return;
    const start = body.selectionStart ?? body.value.length;
    const end = body.selectionEnd ?? start;
    const before = body.value.slice(0, start);
    const after = body.value.slice(end);
    const lead = before && !before.endsWith("\n\n") ? (before.endsWith("\n") ? "\n" : "\n\n") : "";
    const text = `${lead}${markdown}\n\n`;
    body.value = before + text + after;
    const caret = before.length + text.length;
    body.focus();
    body.setSelectionRange(caret, caret);
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // The length the browser finds for a recording: WebM from a recorder often says none in its
  // header, and the server uses this only when the file itself does not tell.
  function mediaDuration(file) {
    return new Promise((resolve) => {
      if (!/^(audio|video)\//.test(file.type)) return resolve("");
      const element = document.createElement(file.type.startsWith("video") ? "video" : "audio");
      const url = URL.createObjectURL(file);
      const done = (value) => {
        URL.revokeObjectURL(url);
        resolve(value);
      };
      const timer = window.setTimeout(() => done(""), 5000);
      element.preload = "metadata";
      element.addEventListener("loadedmetadata", () => {
        if (Number.isFinite(element.duration)) {
          window.clearTimeout(timer);
          done(String(element.duration));
        } else {
          // Seeking far past the end makes the browser work the length out.
          element.addEventListener("durationchange", () => {
            if (Number.isFinite(element.duration)) {
              window.clearTimeout(timer);
              done(String(element.duration));
            }
          });
          element.currentTime = 1e101;
        }
      });
      element.addEventListener("error", () => {
        window.clearTimeout(timer);
        done("");
      });
      element.src = url;
    });
  }

  function uploads(panel, form) {
    const status = form.querySelector("[data-upload-status]");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const file = form.elements.file.files[0];
      if (!file) {
        status.textContent = "Choose a file to upload.";
        return;
      }
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      status.textContent = "Uploading…";
      try {
        const data = new FormData(form);
        data.set("duration", await mediaDuration(file));
        if (await send(panel, form.action, data)) form.reset();
        status.textContent = "";
      } catch (error) {
        status.textContent = `${error.message} Please try again.`;
      } finally {
        button.disabled = false;
      }
    });
  }

  function sketchPad(panel, pad) {
    pad.hidden = false;
    const canvas = pad.querySelector("canvas");
    const context = canvas.getContext("2d");
    const undoButton = pad.querySelector("[data-sketch-undo]");
    const clearButton = pad.querySelector("[data-sketch-clear]");
    const saveButton = pad.querySelector("[data-sketch-save]");
    const description = pad.querySelector("#sketch-description");
    const status = pad.querySelector("[data-sketch-status]");
    const strokes = []; // each: {colour, width, points: [[x, y, pressure], …]} in canvas pixels
    let current = null;

    function chosen(name) {
      return pad.querySelector(`input[name=${name}]:checked`).value;
    }

    function drawStroke(ctx, stroke, scale) {
      ctx.strokeStyle = stroke.colour;
      ctx.fillStyle = stroke.colour;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      const [first] = stroke.points;
      if (stroke.points.length === 1) {
        ctx.beginPath();
        ctx.arc(first[0] * scale, first[1] * scale, (stroke.width * first[2] * scale) / 2, 0, Math.PI * 2);
        ctx.fill();
        return;
      }
      for (let i = 1; i < stroke.points.length; i += 1) {
        const [x0, y0] = stroke.points[i - 1];
        const [x1, y1, p] = stroke.points[i];
        ctx.lineWidth = stroke.width * p * scale;
        ctx.beginPath();
        ctx.moveTo(x0 * scale, y0 * scale);
        ctx.lineTo(x1 * scale, y1 * scale);
        ctx.stroke();
      }
    }

    function paint(ctx, scale) {
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
      for (const stroke of strokes) drawStroke(ctx, stroke, scale);
    }

    function update() {
      paint(context, 1);
      const empty = strokes.length === 0;
      undoButton.disabled = empty;
      clearButton.disabled = empty;
      saveButton.disabled = empty;
    }

    function point(event) {
      const box = canvas.getBoundingClientRect();
      const x = ((event.clientX - box.left) / box.width) * canvas.width;
      const y = ((event.clientY - box.top) / box.height) * canvas.height;
      // A pen's pressure thickens the line; a mouse or finger reports none worth using.
      const pressure = event.pointerType === "pen" && event.pressure > 0 ? 0.4 + event.pressure * 1.2 : 1;
      return [x, y, pressure];
    }

    canvas.addEventListener("pointerdown", (event) => {
      if (event.button !== 0 && event.pointerType === "mouse") return;
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      current = { colour: chosen("sketch-colour"), width: PEN_WIDTHS[chosen("sketch-width")] || PEN_WIDTHS.fine, points: [point(event)] };
      strokes.push(current);
      update();
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!current) return;
      const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
      for (const each of events.length ? events : [event]) current.points.push(point(each));
      update();
    });
    const finish = () => {
      current = null;
    };
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);

    undoButton.addEventListener("click", () => {
      strokes.pop();
      update();
    });
    clearButton.addEventListener("click", () => {
      if (strokes.length > 3 && !window.confirm("Clear the whole sketch?")) return;
      strokes.length = 0;
      update();
    });

    saveButton.addEventListener("click", async () => {
      if (!description.value.trim()) {
        status.textContent = "Describe the sketch in a few words first.";
        description.focus();
        return;
      }
      const out = document.createElement("canvas");
      out.width = EXPORT_WIDTH;
      out.height = EXPORT_HEIGHT;
      paint(out.getContext("2d"), EXPORT_WIDTH / canvas.width);
      const blob = await new Promise((resolve) => out.toBlob(resolve, "image/png"));
      saveButton.disabled = true;
      status.textContent = "Saving the sketch…";
      try {
        const data = new FormData();
        data.set("file", blob, "sketch.png");
        data.set("description", description.value.trim());
        if (await send(panel, pad.dataset.sketchUrl, data)) {
          strokes.length = 0;
          description.value = "";
          status.textContent = "Sketch saved.";
        } else {
          status.textContent = "";
        }
      } catch (error) {
        status.textContent = `${error.message} Please try again.`;
      } finally {
        update();
      }
    });
    update();
  }

  function start() {
    const panel = document.querySelector("[data-media-panel]");
    if (!panel) return;
    const form = panel.querySelector("[data-upload]");
    if (form) uploads(panel, form);
    const pad = panel.querySelector("[data-sketch]");
    if (pad) sketchPad(panel, pad);
    showInsertButtons(panel);
    panel.addEventListener("click", (event) => {
      const button = event.target.closest("[data-insert-markdown]");
      if (button) insertIntoText(button.dataset.insertMarkdown);
    });
    // After an htmx delete the list is new: its buttons need showing again.
    document.body.addEventListener("htmx:afterSwap", (event) => {
      const list = document.getElementById("attachments");
      if (list && panel.contains(list)) showInsertButtons(list);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
