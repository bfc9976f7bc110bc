/**
 * config.js: the values the scripts take from the site (Pagefind's modules,
 * the ask link, the highlight parameter, breakpoints), read once from the
 * page's <script type="application/json" id="qa-config"> block
 * (templates/partials/config.html; the values are set in
 * plugins/qasite/render/client_config.py, the one place they are written).
 */

/**
 * @typedef {object} SiteConfig
 * @property {string | null} pagefind  Pagefind's module (null when the site has no search).
 * @property {string | null} pagefindHighlight  Pagefind's highlighter module.
 * @property {string} askUrl  The ask-a-question link.
 * @property {string} askTitlePlaceholder  The title in the ask link's template, replaced by the query.
 * @property {string} highlightParam  The fragment parameter holding a word to highlight.
 * @property {Record<string, string>} breakpoints  The media queries tokens.css names, by name ("--wider").
 */

/** @type {SiteConfig} */
export const CONFIG = JSON.parse(document.getElementById("qa-config")?.textContent || "{}");
