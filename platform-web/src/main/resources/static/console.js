// Wharf console: the only script. Copy buttons (data-copy="<id of the element to copy>") and
// confirmations for forms marked data-confirm="<question>". Deletions have confirmation pages instead.
document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-copy]');
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  const text = 'value' in source ? source.value : source.textContent;
  let done = 'Copied';
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    // without the clipboard API (plain HTTP), select the text for Ctrl+C
    if (source.select) source.select(); else window.getSelection().selectAllChildren(source);
    done = 'Press Ctrl+C';
  }
  const label = button.textContent;
  button.textContent = done;
  setTimeout(() => { button.textContent = label; }, 1500);
});
document.addEventListener('submit', (event) => {
  const question = event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
