// Publications: ask before removing, and reload the proposal form when its event changes.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
document.addEventListener("change", (event) => {
  const select = event.target;
  if (select instanceof HTMLSelectElement && select.dataset.reload === "event") {
    window.location.search = "?event=" + encodeURIComponent(select.value);
  }
});
