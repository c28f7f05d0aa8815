/**
 * The page heading. A plain module (no React, no Next.js) so `node --test`
 * can test it directly: see heading.test.mjs.
 *
 * @param {string} name the app name
 * @returns {string}
 */
export function heading(name) {
  return `${name.trim() || 'This app'} is running`;
}
