// The pages' few behaviours, kept out of the HTML so the Content-Security-Policy can forbid
// inline script. Each is declared by a data- attribute on the element it belongs to.
"use strict";

// <button data-print>: print the page (bulletins, reports).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) { window.print(); }
});

// <button data-confirm="…">: ask before an action that cannot be undone quietly.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
});

// <select data-reload="param"> inside a GET form: choosing an option reloads the form with the
// fields named in data-clear emptied (the period list follows the chosen kind).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-reload]");
  if (!select) { return; }
  const url = new URL(select.getAttribute("data-reload"), window.location.href);
  url.searchParams.set(select.name, select.value);
  window.location.assign(url.toString());
});

// <select data-submit-clear="field"> inside a GET form: choosing an option empties that field
// and submits (the report page's period list follows the chosen frequency).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-submit-clear]");
  if (!select || !select.form) { return; }
  const field = select.form.elements.namedItem(select.getAttribute("data-submit-clear"));
  if (field) { field.value = ""; }
  select.form.submit();
});

// <input type="checkbox" data-select-all="group">: ticks or clears every checkbox of that
// data-group (a review queue's "select all on this page").
document.addEventListener("change", (event) => {
  const all = event.target.closest("input[data-select-all]");
  if (!all) { return; }
  const group = all.getAttribute("data-select-all");
  document.querySelectorAll(`input[type=checkbox][data-group="${group}"]`).forEach((box) => { box.checked = all.checked; });
});
