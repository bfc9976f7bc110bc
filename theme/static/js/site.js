/**
 * site.js: behaviour shared by every page (loaded by partials/scripts.html).
 * "/" focuses the search box (the element marked data-search-shortcut: the
 * header's box, or the search page's own input), unless the reader is typing
 * in a field. The header's box (form[data-search-box]) opens the search page
 * with the query in the URL fragment (/search/#q=…), which is never sent to
 * the server; its input has no name, so without JavaScript the form sends
 * nothing and the search page says that search needs JavaScript. Focusing
 * that box loads Pagefind (its script, WebAssembly and every search shard's
 * metadata, search-index.js) into the browser's cache, so the search page it leads to starts searching sooner;
 * pages whose box is never focused load nothing of it.
 */

import { CONFIG } from "./config.js";
import { searchPageHref } from "./search-url.js";

/** Input types that take typed text (a "/" typed there is text, not a shortcut). */
const TEXT_INPUTS = new Set(["", "text", "search", "email", "url", "tel", "password", "number", "date", "time"]);

/**
 * Whether keystrokes on `target` are typing: text inputs, textareas, selects
 * and editable content.
 * @param {EventTarget | null} target
 * @returns {boolean}
 */
function isTyping(target) {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) {
    return true;
  }
  return target instanceof HTMLInputElement && TEXT_INPUTS.has(target.type);
}

/**
 * The search box "/" leads to, if there is a visible one.
 * @returns {HTMLInputElement | null}
 */
function searchBox() {
  const box = document.querySelector("[data-search-shortcut]");
  return box instanceof HTMLInputElement && box.getClientRects().length > 0 ? box : null;
}

/**
 * "/" (without modifier keys, outside text fields): focus the search box.
 * @param {KeyboardEvent} event
 */
function onKeydown(event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  if (event.defaultPrevented || isTyping(event.target)) return;
  const box = searchBox();
  if (!box) return;
  event.preventDefault();
  box.focus();
  box.select();
}

/**
 * The header's search form: open the search page with the query in the fragment.
 * @param {SubmitEvent} event
 */
function onSubmit(event) {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches("[data-search-box]")) return;
  const input = form.querySelector("input[type=search]");
  event.preventDefault();
  window.location.assign(searchPageHref(form.action, input instanceof HTMLInputElement ? input.value : ""));
}

/** Whether Pagefind was asked for already (once a page). */
let warmed = false;

/**
 * The header's search box got focus: load Pagefind now, before the query is submitted.
 * @param {FocusEvent} event
 */
function onFocusIn(event) {
  const target = event.target;
  if (warmed || !CONFIG.pagefind || !(target instanceof HTMLElement) || !target.closest("[data-search-box]")) return;
  warmed = true;
  import("./search-index.js")
    .then(({ loadPagefind }) => loadPagefind())
    .catch((error) => console.warn("Search could not be loaded ahead:", error));
}

document.addEventListener("keydown", onKeydown);
document.addEventListener("submit", onSubmit);
document.addEventListener("focusin", onFocusIn);
