// Agency pickers: a <select multiple data-picker> (tracking.forms.AgencyPicker) becomes a search box with
// removable chips. Typing finds agencies by short name, full name or alias, without diacritics; a named
// group ("g:<code>", data-members) selects all its members, each still removable. The select stays in
// the form (hidden) and gets a "change" event, so the form and htmx read it as usual.
(function () {
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }
  function isGroup(option) { return option.value.indexOf("g:") === 0; }

  function enhance(select) {
    if (select.dataset.pickerReady) return;
    select.dataset.pickerReady = "1";
    var options = Array.prototype.slice.call(select.options);
    var box = document.createElement("div");
    box.className = "picker";
    var chips = document.createElement("ul");
    chips.className = "picker-chips";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = select.dataset.placeholder || "";
    input.setAttribute("aria-label", select.dataset.placeholder || "");
    var list = document.createElement("ul");
    list.className = "picker-list";
    list.hidden = true;
    box.appendChild(chips);
    box.appendChild(input);
    box.appendChild(list);
    select.parentNode.insertBefore(box, select.nextSibling);
    select.hidden = true;

    function render() {
      chips.textContent = "";
      options.forEach(function (option) {
        if (!option.selected || isGroup(option)) return;
        var chip = document.createElement("li");
        chip.textContent = option.textContent + " ";
        var remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label", (select.dataset.remove || "") + " " + option.textContent);
        remove.addEventListener("click", function () { option.selected = false; changed(); });
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
    }
    function changed() {
      render();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function choose(option) {
      if (isGroup(option)) {
        var members = (option.dataset.members || "").split(" ");
        options.forEach(function (other) { if (members.indexOf(other.value) >= 0) other.selected = true; });
        option.selected = false;
      } else {
        option.selected = true;
      }
      input.value = "";
      list.hidden = true;
      changed();
      input.focus();
    }
    function search() {
      var query = fold(input.value.trim());
      list.textContent = "";
      if (!query) { list.hidden = true; return; }
      var found = options.filter(function (option) {
        if (option.selected) return false;
        return fold(option.textContent + " " + (option.dataset.search || "")).indexOf(query) >= 0;
      }).slice(0, 15);
      found.forEach(function (option) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = option.textContent;
        if (isGroup(option)) button.className = "group";
        button.addEventListener("click", function () { choose(option); });
        item.appendChild(button);
        list.appendChild(item);
      });
      list.hidden = found.length === 0;
    }
    input.addEventListener("input", search);
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var first = list.querySelector("button");
      if (first) first.click();
    });
    render();
  }

  function scan(root) {
    Array.prototype.forEach.call(root.querySelectorAll("select[data-picker]"), enhance);
  }
  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:load", function (event) { scan(event.detail.elt.parentNode || document); });
})();
