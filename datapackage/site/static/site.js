// Long cells are clamped to a few lines: a button opens and closes each one.
// Columns outside a table's default view are shown on request.
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll(".clamp")) {
    if (box.scrollHeight <= box.clientHeight + 2) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "clamp-toggle";
    button.textContent = "more";
    button.addEventListener("click", () => {
      const open = box.classList.toggle("open");
      button.textContent = open ? "less" : "more";
    });
    box.after(button);
  }
  for (const button of document.querySelectorAll(".show-all-columns")) {
    const wrapper = button.closest(".column-toggle").nextElementSibling;
    const label = button.textContent;
    button.addEventListener("click", () => {
      const all = wrapper.classList.toggle("all-columns");
      button.setAttribute("aria-pressed", String(all));
      button.textContent = all ? "Show the main columns only" : label;
    });
  }
});
