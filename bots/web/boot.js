// Runs before the page is drawn, so a chosen dark theme never flashes light first (see theme.js).
(() => {
  const theme = localStorage.getItem('teamkb-theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
})();
