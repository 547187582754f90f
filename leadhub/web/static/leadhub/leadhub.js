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

// Contact form: the province select follows the country (IT, ES, PT have lists).
document.addEventListener("input", (event) => {
  if (event.target.name !== "country") return;
  const box = event.target.form && event.target.form.querySelector("[data-provinces]");
  if (!box) return;
  const cc = event.target.value.trim().toUpperCase();
  const lists = [...box.querySelectorAll("[data-country]")];
  const hasList = lists.some((el) => el.dataset.country === cc);
  for (const el of lists) {
    const on = hasList ? el.dataset.country === cc : el.dataset.country === "";
    el.hidden = !on;
    el.disabled = !on;
  }
});
