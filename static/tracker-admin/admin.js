// The admin's two-list selector (SelectFilter2.js) labels each filter box with an icon that
// carries an aria-label; a plain span may not. As an image, it names the box it labels.
window.addEventListener("load", () => {
  window.setTimeout(() => {
    document.querySelectorAll(".selector .search-label-icon[aria-label]").forEach((icon) => {
      icon.setAttribute("role", "img");
    });
  });
});
