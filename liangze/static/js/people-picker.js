/* The participants picker of the activity form: narrow the list as you type, count the ticks.
 *
 * Without script the whole list shows and works; the filter box and the count
 * appear only when this runs. Ticked people stay ticked while hidden by a filter.
 */
(function () {
  "use strict";

  document.querySelectorAll("[data-people-picker]").forEach(function (picker) {
    var filter = picker.querySelector("[data-people-filter]");
    var count = picker.querySelector("[data-people-count]");
    var none = picker.querySelector("[data-people-none]");
    var items = picker.querySelectorAll("[data-people-item]");

    function recount() {
      var ticked = picker.querySelectorAll("input[type=checkbox]:checked").length;
      count.textContent = count.getAttribute("data-format").replace("{n}", String(ticked));
      count.hidden = ticked === 0;
    }

    function narrow() {
      var text = filter.value.trim().toLowerCase();
      var shown = 0;
      items.forEach(function (item) {
        var match = text === "" || item.getAttribute("data-search").indexOf(text) !== -1;
        item.hidden = !match;
        if (match) {
          shown += 1;
        }
      });
      none.hidden = shown > 0 || items.length === 0;
    }

    filter.hidden = items.length === 0;
    filter.addEventListener("input", narrow);
    // Enter in the filter box would submit the whole form half-filled.
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
    picker.addEventListener("change", recount);
    recount();
  });
})();
