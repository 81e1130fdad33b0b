/* The grid editor of a responsibility list: add, move, copy and delete rows.
 *
 * The server reads rows in the order of their numbers (rows-<n>-<field>), so
 * every change of order renumbers the field names; the whole grid posts as
 * one form. Pasting from Excel is done by the server (one parser, tested).
 */
(function () {
  "use strict";

  var table = document.querySelector("[data-duty-grid]");
  if (!table) {
    return;
  }
  var form = table.closest("form");
  var body = table.querySelector("[data-grid-body]");
  var template = document.getElementById("duty-grid-row");
  var people = document.getElementById("duty-people");
  var empty = document.querySelector("[data-grid-empty]");
  var dirty = false;

  function rows() {
    return body.querySelectorAll("tr[data-grid-row]");
  }

  function renumber() {
    rows().forEach(function (row, index) {
      row.querySelector("[data-grid-seq]").textContent = String(index + 1);
      row.querySelectorAll("[name^='rows-']").forEach(function (field) {
        field.name = field.name.replace(/^rows-[^-]+-/, "rows-" + index + "-");
      });
    });
    empty.classList.toggle("d-none", rows().length > 0);
  }

  function changed() {
    dirty = true;
    renumber();
  }

  function addRow() {
    var row = template.content.firstElementChild.cloneNode(true);
    body.appendChild(row);
    changed();
    row.querySelector("textarea").focus();
  }

  function act(button) {
    var row = button.closest("tr");
    switch (button.dataset.gridAction) {
      case "up":
        if (row.previousElementSibling) {
          body.insertBefore(row, row.previousElementSibling);
        }
        break;
      case "down":
        if (row.nextElementSibling) {
          body.insertBefore(row.nextElementSibling, row);
        }
        break;
      case "copy":
        // cloneNode keeps what was typed: the copy starts as the row is now.
        row.after(row.cloneNode(true));
        break;
      case "delete":
        var seq = row.querySelector("[data-grid-seq]").textContent;
        if (!window.confirm(table.dataset.confirmDelete.replace("{n}", seq))) {
          return;
        }
        row.remove();
        changed();
        return;
      default:
        return;
    }
    changed();
    button.focus();
  }

  function showPerson(input) {
    var name = "";
    Array.prototype.some.call(people.options, function (option) {
      if (option.value === input.value.trim()) {
        name = option.textContent;
        return true;
      }
      return false;
    });
    input.parentElement.querySelector("[data-grid-person-name]").textContent = name;
  }

  body.addEventListener("click", function (event) {
    var button = event.target.closest("[data-grid-action]");
    if (button) {
      act(button);
    }
  });
  body.addEventListener("input", function (event) {
    dirty = true;
    if (event.target.matches("[data-grid-person]")) {
      showPerson(event.target);
    }
  });
  document.querySelector("[data-grid-add]").addEventListener("click", addRow);
  form.addEventListener("submit", function () {
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = table.dataset.confirmLeave;
    }
  });
})();
