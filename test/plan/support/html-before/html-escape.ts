const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text from a plan made safe for HTML and SVG, in element content and in quoted attributes alike: every name,
 * id and message of the review page goes through here, so a component called `<script>` is only text.
 *
 * @example
 * ```ts
 * esc('<b title="x">'); // '&lt;b title=&quot;x&quot;&gt;'
 * ```
 */
export function esc(s: string): string {
  // Most names need nothing: skip the replace (and its copy) for them; a page of 1,000 components escapes ~50,000.
  return SPECIAL.test(s) ? s.replace(SPECIALS, (c) => ENTITIES[c] ?? c) : s;
}

const SPECIAL = /[&<>"']/;
const NONE: Readonly<Record<string, string | undefined>> = Object.freeze({});
const SPECIALS = /[&<>"']/g;

/**
 * An element with escaped text content; `attrs` values are escaped too (names are the caller's literals).
 *
 * @example
 * ```ts
 * el('td', 'a<b', { class: 'name' }); // '<td class="name">a&lt;b</td>'
 * ```
 */
export function el(
  tag: string,
  text: string,
  attrs: Readonly<Record<string, string | undefined>> = NONE,
): string {
  return `<${tag}${attrText(attrs)}>${esc(text)}</${tag}>`;
}

/**
 * ` name="value"` for each attribute with a value, escaped.
 *
 * @example
 * ```ts
 * attrText({ id: 'x', hidden: undefined }); // ' id="x"'
 * ```
 */
export function attrText(attrs: Readonly<Record<string, string | undefined>>): string {
  if (attrs === NONE) return '';
  return Object.entries(attrs)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
}
