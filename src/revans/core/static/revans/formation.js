// Forming sets: drag a person onto another set to move them. The same move is possible
// without a mouse: tick people and choose a set (the form this enhances).
(function () {
  "use strict";

  function moveUrl() {
    const form = document.getElementById("board-form");
    return form ? form.getAttribute("action") : null;
  }

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
    window.htmx.ajax("POST", url, {
      target: "#proposal",
      swap: "innerHTML",
      values: { person: person, to: target.dataset.set },
    });
  });
})();
