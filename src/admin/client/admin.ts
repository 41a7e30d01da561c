// The script on every admin screen, small on purpose: it only adds to pages that work without it.
// - a select marked data-autosubmit submits its form when changed (the site switcher), and its button hides;
// - a button with data-confirm asks before its form is sent (taking down a story, ending sessions).
for (const select of document.querySelectorAll<HTMLSelectElement>('select[data-autosubmit]')) {
  const form = select.form;
  if (!form) continue;
  const button = form.querySelector<HTMLButtonElement>('button[type=submit]');
  if (button) button.hidden = true;
  select.addEventListener('change', () => form.requestSubmit());
}

document.addEventListener('submit', (ev) => {
  const submitter = (ev as SubmitEvent).submitter as HTMLElement | null;
  const question = submitter?.dataset.confirm ?? (ev.target as HTMLElement).dataset.confirm;
  if (question && !window.confirm(question)) ev.preventDefault();
});
