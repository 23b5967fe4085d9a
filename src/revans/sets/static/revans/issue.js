// The issue form: a check's warning shows as soon as an answer that calls for it is chosen
// (without this script it shows once the issue is saved).
document.querySelectorAll("[data-warn-for]").forEach((note) => {
  const inputs = document.querySelectorAll(`input[name="${note.dataset.warnFor}"]`);
  const warnOn = note.dataset.warnOn.split(" ");
  const update = () => {
    const chosen = Array.from(inputs).find((input) => input.checked);
    note.hidden = !(chosen && warnOn.includes(chosen.value));
  };
  inputs.forEach((input) => input.addEventListener("change", update));
});
