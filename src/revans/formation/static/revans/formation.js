// Forming sets: drag a person onto another set to move them; find a set as you type; and keep
// the page where it was when the board comes back from the server after a move. Everything here
// enhances forms that work without it: tick people and choose a set; "Find" reloads the page.
(function () {
  "use strict";

  const SHOW_MESSAGES_MS = 8000;

  function moveUrl() {
    const form = document.getElementById("board-form");
    return form ? form.getAttribute("action") : null;
  }

  // Dragging a person onto another set

  document.addEventListener("dragstart", function (event) {
    const person = event.target.closest && event.target.closest("[data-person]");
    if (!person) return;
    event.dataTransfer.setData("text/plain", person.dataset.person);
    event.dataTransfer.effectAllowed = "move";
    person.classList.add("dragging");
  });

  document.addEventListener("dragend", function (event) {
    const person = event.target.closest && event.target.closest("[data-person]");
    if (person) person.classList.remove("dragging");
    document.querySelectorAll(".proposed-set.drop-here").forEach(function (el) {
      el.classList.remove("drop-here");
    });
  });

  document.addEventListener("dragover", function (event) {
    const target = event.target.closest && event.target.closest("[data-set]");
    if (!target) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    target.classList.add("drop-here");
  });

  document.addEventListener("dragleave", function (event) {
    const target = event.target.closest && event.target.closest("[data-set]");
    if (target && !target.contains(event.relatedTarget)) target.classList.remove("drop-here");
  });

  document.addEventListener("drop", function (event) {
    const target = event.target.closest && event.target.closest("[data-set]");
    const person = event.dataTransfer.getData("text/plain");
    const url = moveUrl();
    if (!target || !person || !url || !window.htmx) return;
    event.preventDefault();
    target.classList.remove("drop-here");
    const from = document.querySelector('[data-person="' + person + '"]');
    if (from && from.closest("[data-set]") === target) return;
    const find = document.getElementById("find-set");
    window.htmx.ajax("POST", url, {
      target: "#proposal",
      swap: "innerHTML",
      values: { person: person, to: target.dataset.set, find: find ? find.value : "" },
    });
  });

  // Finding a set by its name or a person's name (the server does the same for "Find")

  function normalise(text) {
    return text.trim().replace(/\s+/g, " ").toLocaleLowerCase();
  }

  function applyFind() {
    const input = document.getElementById("find-set");
    if (!input) return;
    const find = normalise(input.value);
    const sets = document.querySelectorAll(".proposed-set[data-find]");
    let shown = 0;
    sets.forEach(function (card) {
      const match = !find || card.dataset.find.indexOf(find) !== -1;
      card.hidden = !match;
      if (match) shown += 1;
    });
    const count = document.getElementById("find-count");
    if (count) {
      count.textContent = find
        ? shown + " of " + sets.length + " sets" + (shown ? "" : ": none has “" + input.value.trim() + "”")
        : "";
    }
    // The board's forms carry the search, so that the board they bring back is found the same.
    document.querySelectorAll('#proposal input[type="hidden"][name="find"]').forEach(function (carried) {
      carried.value = input.value.trim();
    });
    const url = new URL(window.location.href);
    if (find) url.searchParams.set("find", input.value.trim());
    else url.searchParams.delete("find");
    window.history.replaceState(window.history.state, "", url);
  }

  document.addEventListener("input", function (event) {
    if (event.target.id === "find-set") applyFind();
  });

  document.addEventListener("click", function (event) {
    // "Sets to mend" may name a set the search hides: show every set again to reach it.
    const link = event.target.closest && event.target.closest('a[href^="#ps-"]');
    const heading = link && document.getElementById(link.getAttribute("href").slice(1));
    const input = document.getElementById("find-set");
    if (heading && heading.closest("[hidden]") && input) {
      input.value = "";
      applyFind();
    }
  });

  document.addEventListener("submit", function (event) {
    if (!event.target.classList.contains("find-set")) return;
    event.preventDefault(); // found as typed: no need to reload the page
    applyFind();
  });

  // Keeping the page where it was when the board is swapped

  let kept = null;

  function barHeight() {
    const bar = document.querySelector(".board-bar");
    if (!bar || getComputedStyle(bar).position !== "sticky") return 0;
    return bar.getBoundingClientRect().height;
  }

  function anchorNow() {
    // The first set still in view below the sticky bar, else the proposal itself.
    const top = barHeight();
    const cards = document.querySelectorAll(".proposed-set[data-set]:not([hidden])");
    for (const card of cards) {
      const box = card.getBoundingClientRect();
      if (box.bottom > top + 8) {
        return { selector: '.proposed-set[data-set="' + card.dataset.set + '"]', top: box.top };
      }
    }
    const proposal = document.getElementById("proposal");
    return proposal ? { selector: "#proposal", top: proposal.getBoundingClientRect().top } : null;
  }

  function restore() {
    if (!kept) return;
    const element = document.querySelector(kept.selector) || document.getElementById("proposal");
    if (element) window.scrollBy(0, element.getBoundingClientRect().top - kept.top);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "proposal") kept = anchorNow();
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "proposal") return;
    applyFind();
    restore();
    const shown = event.detail.target.querySelector(".board-messages");
    if (shown) {
      window.setTimeout(function () {
        shown.remove();
      }, SHOW_MESSAGES_MS);
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || event.detail.target.id !== "proposal") return;
    restore(); // again, once htmx has settled attributes and focus
    kept = null;
  });

  document.addEventListener("DOMContentLoaded", function () {
    const input = document.getElementById("find-set");
    if (input && input.value) applyFind();
  });
})();
