/**
 * Light and dark themes. "system" follows prefers-color-scheme (CSS does that by itself); a
 * chosen theme is remembered and set as data-theme on <html>, which the style sheets read.
 */
const STORAGE_KEY = 'teamkb-theme';

export const currentTheme = () => localStorage.getItem(STORAGE_KEY) ?? 'system';

export function applyTheme(theme = currentTheme()) {
  const root = document.documentElement;
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  else delete root.dataset.theme;
}

export function setTheme(theme) {
  if (theme === 'system') localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, theme);
  applyTheme(theme);
}

/** True when the page is dark now, whether chosen or from the system setting. */
export function isDark() {
  const theme = currentTheme();
  if (theme !== 'system') return theme === 'dark';
  return matchMedia('(prefers-color-scheme: dark)').matches;
}
