// Keep filter URLs short and shareable: drop empty fields from htmx requests.
document.addEventListener("htmx:configRequest", function (event) {
  var data = event.detail.formData;
  if (!data) return;
  Array.from(new Set(data.keys())).forEach(function (key) {
    if (data.getAll(key).every(function (value) { return value === ""; })) data.delete(key);
  });
});

// An htmx request refused (403, 404) or failed does not swap anything: say so instead of doing nothing.
document.addEventListener("htmx:responseError", function (event) {
  var body = document.body.dataset;
  window.alert(event.detail.xhr.status === 403 ? body.error403 : body.errorOther);
});

// Behaviour the templates ask for with data- attributes (the Content-Security-Policy allows no inline
// handlers): a select that submits its form when changed, a button that closes the in-place form.
document.addEventListener("change", function (event) {
  var select = event.target.closest && event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
});
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-close-form]");
  if (!button) return;
  var form = button.closest("form");
  if (form) form.remove();
});
