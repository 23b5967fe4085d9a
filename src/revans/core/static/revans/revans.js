// Behaviour every page may use, declared in its markup by data- attributes, so that no template
// carries an inline handler (the Content-Security-Policy allows no inline script):
//   <form data-confirm="Question?">            asks before it is sent
//   <input data-select-on-focus>               selects its whole value when focused
//   <button data-fill="box-id" data-suggestion="Text">  puts its text into that box
// Handlers listen on the document, so content htmx swaps in later works too.
(function () {
  "use strict";

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("focusin", (event) => {
    const field = event.target;
    if (field instanceof HTMLInputElement && field.hasAttribute("data-select-on-focus")) field.select();
  });

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-fill]") : null;
    if (!button) return;
    const box = document.getElementById(button.dataset.fill);
    if (!box) return;
    box.value = button.dataset.suggestion || "";
    box.focus();
  });
})();
