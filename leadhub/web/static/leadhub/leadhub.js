// Copy buttons (D4): copy the value, and show that it worked.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button.copy");
  if (!button) return;
  try {
    await navigator.clipboard.writeText(button.dataset.copy);
    const label = button.textContent;
    button.classList.add("done");
    button.textContent = "✓";
    setTimeout(() => { button.classList.remove("done"); button.textContent = label; }, 1500);
  } catch (error) {
    window.prompt("Copy:", button.dataset.copy);
  }
});

// Column filters (E1): a changed choice applies at once (the form's button is for no-JS).
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form) form.requestSubmit();
});
