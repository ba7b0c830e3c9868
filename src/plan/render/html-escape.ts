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

/**
 * A table of changes in its scrolling frame, as two parts of the page: the opening with a header row (each heading a
 * `<th scope="col">`, escaped, with its attributes when given as `[text, attrs]`), then the body of `rows` (HTML
 * already) and the closing tags.
 *
 * @example
 * ```ts
 * out.push('<h3>Terraform resources</h3>', ...changesTable({ class: 'changes' }, ['Action', 'Address'], rows));
 * ```
 */
export function changesTable(
  attrs: Readonly<Record<string, string | undefined>>,
  head: readonly (string | readonly [string, Readonly<Record<string, string>>])[],
  rows: readonly string[],
): [string, string] {
  const cells = head.map((h) =>
    typeof h === 'string'
      ? el('th', h, { scope: 'col' })
      : el('th', h[0], { scope: 'col', ...h[1] }),
  );
  return [
    `<div class="scroll"><table${attrText(attrs)}><thead><tr>${cells.join('')}</tr></thead>`,
    `<tbody>${rows.join('')}</tbody></table></div>`,
  ];
}
