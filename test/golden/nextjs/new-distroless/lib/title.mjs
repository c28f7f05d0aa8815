/**
 * Page titles: the app name alone, or "Page · app". A plain module (no React,
 * no Next.js) so `node --test` can test it directly: see title.test.mjs.
 *
 * @param {string} app the app name
 * @param {string} [page] the page, if not the home page
 * @returns {string}
 */
export function pageTitle(app, page) {
  const name = page?.trim();
  return name ? `${name} · ${app}` : app;
}
