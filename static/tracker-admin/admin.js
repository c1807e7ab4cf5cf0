// Accessible names the admin's own scripts leave out. Static, as the Content-Security-Policy
// refuses inline scripts.

// The two-list selector (SelectFilter2.js) labels each filter box with an icon that carries an
// aria-label; a plain span may not. As an image, it names the box it labels.
function nameSelectorIcons(root) {
  root.querySelectorAll(".selector .search-label-icon[aria-label]").forEach((icon) => {
    icon.setAttribute("role", "img");
  });
}

// An autocomplete box (select2, autocomplete.js) hides the <select> its label is for, and names
// its combobox only by the choice shown in it: nothing while empty. Name the combobox, the
// choice shown and the search box by the select's label, read before the choice.
function labelId(select) {
  const label = select.labels && select.labels[0];
  if (!label) {
    return null;
  }
  if (!label.id) {
    label.id = `${select.id}-label`;
  }
  return label.id;
}

function nameAutocompletes(root) {
  root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
    const box = select.nextElementSibling;
    const id = labelId(select);
    if (!id || !box || !box.classList.contains("select2")) {
      return;
    }
    const shown = box.querySelector(".select2-selection__rendered");
    const combobox = box.querySelector(".select2-selection[role=combobox]");
    if (shown && combobox) {
      combobox.setAttribute("aria-labelledby", `${id} ${shown.id}`);
      shown.setAttribute("aria-labelledby", id);
    }
  });
}

// Open, select2's combobox says which list it shows by aria-owns, where ARIA 1.2 asks for
// aria-controls; its search box has no name.
function openAutocomplete(event) {
  const select = event.target;
  const combobox = select.nextElementSibling?.querySelector(".select2-selection[role=combobox]");
  const results = combobox?.getAttribute("aria-owns");
  if (results) {
    combobox.setAttribute("aria-controls", results);
  }
  const id = labelId(select);
  const search = document.querySelector(".select2-container--open .select2-search__field");
  if (id && search) {
    search.setAttribute("aria-labelledby", id);
  }
}

function closeAutocomplete(event) {
  const combobox = event.target.nextElementSibling?.querySelector(".select2-selection");
  combobox?.removeAttribute("aria-controls");
}

// A row added to an inline copies the empty form, whose ids inlines.js renumbers; it leaves
// aria-describedby pointing at the empty form's hints.
function renumberDescriptions(row) {
  const index = row.id.slice(row.id.lastIndexOf("-") + 1);
  row.querySelectorAll("[aria-describedby*='__prefix__']").forEach((field) => {
    const described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", described.replaceAll("__prefix__", index));
  });
}

// select2 puts an open box's list at the end of the body, outside the page's landmarks: put it in
// the main landmark. This script is deferred, so it runs before autocomplete.js draws the boxes
// (on DOMContentLoaded); the empty form of an inline passes the option on to the rows added.
document.querySelectorAll("select.admin-autocomplete").forEach((select) => {
  select.dataset.dropdownParent = "#content-start";
});

window.addEventListener("load", () => {
  // After the admin's own load handlers, which draw the selectors.
  window.setTimeout(() => {
    nameSelectorIcons(document);
    nameAutocompletes(document);
  });
  if (window.django && window.django.jQuery) {
    window.django.jQuery(document).on("select2:open", openAutocomplete);
    window.django.jQuery(document).on("select2:close", closeAutocomplete);
  }
});

// Registered after autocomplete.js's own listener, which draws the new row's autocomplete boxes.
document.addEventListener("formset:added", (event) => {
  renumberDescriptions(event.target);
  nameSelectorIcons(event.target);
  nameAutocompletes(event.target);
});
