/* Accessibility repairs for widgets that Django's admin builds in the browser
 * (loaded by templates/admin/base_site.html on every admin page; its style sheet is
 * accessibility.css beside it).
 *
 * 1. Autocomplete fields (select2): the combobox was named only by the chosen value, so
 *    an empty one had no name at all, and the value inside it was a text box without
 *    a name. It is named by the field's label and the value; the search box of its
 *    drop-down by the label. Open, it says which list it controls (aria-controls, as
 *    ARIA 1.2 asks of a combobox; select2 4.0 only sets aria-owns).
 * 2. Help icons of the two-list selector (filter_horizontal) carried aria-label on a plain
 *    <span>, where it is not allowed and not read. The text becomes visually hidden
 *    text of the icon (so it is part of the search box's label) and its tooltip.
 *
 * The admin adds such widgets after the page loads (and for every new inline row), so a
 * MutationObserver repairs whatever appears.
 */
(function () {
  "use strict";

  function labelFor(selectId) {
    if (!selectId) {
      return null;
    }
    var select = document.getElementById(selectId);
    if (!select) {
      return null;
    }
    return document.querySelector('label[for="' + CSS.escape(selectId) + '"]');
  }

  function labelText(label) {
    return label.textContent.replace(/\s+/g, " ").replace(/[:\s]+$/, "").trim();
  }

  // select2 names its parts after the <select>'s id: select2-<id>-container, -results.
  function selectIdFrom(value, suffix) {
    var match = new RegExp("^select2-(.+)-" + suffix + "$").exec(value || "");
    return match ? match[1] : null;
  }

  function nameCombobox(selection) {
    var containerId = (selection.getAttribute("aria-labelledby") || "").split(" ").pop();
    var label = labelFor(selectIdFrom(containerId, "container"));
    if (!label) {
      return;
    }
    if (!label.id) {
      label.id = label.htmlFor + "-label";
    }
    selection.setAttribute("aria-labelledby", label.id + " " + containerId);
    // The chosen value inside it is text, not a read-only text box of its own with no
    // name (select2 4.1 dropped that role too).
    var rendered = document.getElementById(containerId);
    if (rendered) {
      rendered.removeAttribute("role");
      rendered.removeAttribute("aria-readonly");
    }
  }

  function nameSearchBox(search) {
    var label = labelFor(selectIdFrom(search.getAttribute("aria-controls"), "results"));
    if (label && !search.hasAttribute("aria-label")) {
      search.setAttribute("aria-label", labelText(label));
    }
  }

  function mirrorOwns(combobox) {
    var owns = combobox.getAttribute("aria-owns");
    if (owns) {
      combobox.setAttribute("aria-controls", owns);
    } else {
      combobox.removeAttribute("aria-controls");
    }
  }

  function repairHelpIcon(icon) {
    var text = icon.getAttribute("aria-label");
    icon.removeAttribute("aria-label");
    icon.setAttribute("title", text);
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = text;
    icon.appendChild(hidden);
  }

  function repair(root) {
    if (!root || !root.querySelectorAll) {
      return;
    }
    var matches = function (selector) {
      var found = Array.prototype.slice.call(root.querySelectorAll(selector));
      if (root.matches && root.matches(selector)) {
        found.push(root);
      }
      return found;
    };
    matches(".select2-selection[role=combobox][aria-labelledby^=select2-]").forEach(
      nameCombobox
    );
    matches(".select2-search__field[aria-controls]").forEach(nameSearchBox);
    matches("span.help-tooltip[aria-label]").forEach(repairHelpIcon);
  }

  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      if (mutation.type === "attributes") {
        if (mutation.attributeName === "aria-owns" && mutation.target.matches(".select2-selection")) {
          mirrorOwns(mutation.target);
        }
        repair(mutation.target);
      } else {
        mutation.addedNodes.forEach(repair);
      }
    });
  }).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["aria-controls", "aria-labelledby", "aria-owns"],
  });

  document.addEventListener("DOMContentLoaded", function () {
    repair(document);
  });
  window.addEventListener("load", function () {
    repair(document);
  });
})();
