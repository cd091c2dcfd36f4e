/** Files attached to the next question (paperclip button or drop on the chat), shown as removable chips. */
import { $, el } from './util.js';

let files = [];

function render() {
  const box = $('attached');
  box.replaceChildren(
    ...files.map((file, i) => {
      const chip = el('span', 'chip', file.name);
      const remove = el('button', 'chip-remove', '×');
      remove.type = 'button';
      remove.setAttribute('aria-label', `Remove ${file.name}`);
      remove.onclick = () => {
        files = files.filter((_, j) => j !== i);
        render();
      };
      chip.append(remove);
      return chip;
    }),
  );
  box.hidden = files.length === 0;
}

function add(list) {
  files = [...files, ...list];
  render();
}

export const attachedFiles = () => [...files];

export function clearAttachments() {
  files = [];
  render();
}

export function initAttachments() {
  const input = $('attach');
  $('attach-button').onclick = () => input.click();
  input.onchange = () => {
    add(input.files);
    input.value = '';
  };
  const chat = $('chat');
  chat.addEventListener('dragover', (e) => {
    if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
  });
  chat.addEventListener('drop', (e) => {
    if (!e.dataTransfer?.files.length) return;
    e.preventDefault();
    add(e.dataTransfer.files);
  });
  render();
}
