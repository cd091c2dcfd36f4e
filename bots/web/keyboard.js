/**
 * Keys that work anywhere on the page: "/" focuses the question (unless the reader is typing
 * somewhere), Esc stops the answer being written. Enter and Shift+Enter are handled on the input.
 */
const typingIn = (node) => node && (node.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(node.tagName));

export function initKeyboard({ focusInput, stop }) {
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '/' && !typingIn(document.activeElement) && !document.querySelector('dialog[open]')) {
      e.preventDefault();
      focusInput();
    } else if (e.key === 'Escape' && !document.querySelector('dialog[open]')) {
      stop();
    }
  });
}
