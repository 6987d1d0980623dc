// Keep filter URLs short and shareable: drop empty fields from htmx requests.
document.addEventListener("htmx:configRequest", function (event) {
  var data = event.detail.formData;
  if (!data) return;
  Array.from(new Set(data.keys())).forEach(function (key) {
    if (data.getAll(key).every(function (value) { return value === ""; })) data.delete(key);
  });
});
