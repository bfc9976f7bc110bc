/**
 * highlight.js: on a question page opened from a search result, mark the
 * searched words. Result links carry them in the fragment, never sent to the
 * server: #answer-<id>&highlight=<word>&… (made by search.js; format in
 * search-url.js); old links carried ?highlight=<word>. Pagefind's highlighter
 * (its URL is in the qa-config block, config.js), told to take
 * the words from there, wraps them in <mark class="search-highlight"> inside
 * [data-pagefind-body], skipping [data-pagefind-ignore]. It is only loaded
 * when there is something to mark, and with addStyles off: search.css styles
 * the marks (no inline style). Then the address keeps only the anchor, and
 * the page jumps to it (the browser could not: the fragment is not an id).
 */

import { CONFIG } from "./config.js";
import { HIGHLIGHT_PARAM, readHighlight } from "./search-url.js";

/**
 * Mark `words` with Pagefind's highlighter, loaded from `src`.
 * @param {string} src
 * @param {string[]} words
 */
async function mark(src, words) {
  const { default: PagefindHighlight } = await import(src);
  // Pagefind's highlighter reads its words from the query string only; give it ours.
  class FragmentHighlight extends PagefindHighlight {
    getHighlightParams() {
      return words;
    }
  }
  new FragmentHighlight({
    highlightParam: HIGHLIGHT_PARAM,
    addStyles: false,
    markOptions: {
      className: "search-highlight",
      exclude: ["[data-pagefind-ignore]", "[data-pagefind-ignore] *"],
    },
  });
}

/**
 * Leave only the anchor in the address (the words are not kept in history or
 * shared with a copied link), and go to the anchor: it scrolls and is :target.
 * @param {string} anchor
 */
function tidyAddress(anchor) {
  const url = new URL(window.location.href);
  url.searchParams.delete(HIGHLIGHT_PARAM);
  url.hash = "";
  window.history.replaceState(window.history.state, "", url.href);
  if (anchor) {
    url.hash = encodeURIComponent(anchor);
    window.location.replace(url.href);
  }
}

/** Mark the words in the URL, if any, then tidy the address. */
async function highlight() {
  const { words, anchor } = readHighlight(window.location);
  if (!CONFIG.pagefindHighlight || words.length === 0) return;
  try {
    await mark(CONFIG.pagefindHighlight, words);
  } finally {
    tidyAddress(anchor);
  }
}

highlight().catch((error) => console.error("Could not highlight the search terms:", error));
