/**
 * highlight.js: on a question page opened from a search result, mark the
 * searched terms. Result links carry ?highlight=<term> (one per word, set by
 * search.js through Pagefind's highlightParam option); Pagefind's highlighter
 * (its URL is in the script element's data-pagefind-highlight) wraps them in
 * <mark class="search-highlight"> inside [data-pagefind-body], skipping
 * [data-pagefind-ignore]. It is only loaded when there is something to mark,
 * and with addStyles off: search.css styles the marks (no inline style).
 */

/** The query parameter holding the terms. */
const HIGHLIGHT_PARAM = "highlight";

/** Load Pagefind's highlighter and mark the terms in the URL, if any. */
async function highlight() {
  const script = document.querySelector("script[data-pagefind-highlight]");
  const terms = new URLSearchParams(window.location.search).getAll(HIGHLIGHT_PARAM).filter(Boolean);
  if (!(script instanceof HTMLScriptElement) || terms.length === 0) return;
  const { default: PagefindHighlight } = await import(script.dataset.pagefindHighlight ?? "");
  new PagefindHighlight({
    highlightParam: HIGHLIGHT_PARAM,
    addStyles: false,
    markOptions: {
      className: "search-highlight",
      exclude: ["[data-pagefind-ignore]", "[data-pagefind-ignore] *"],
    },
  });
}

highlight().catch((error) => console.error("Could not highlight the search terms:", error));
