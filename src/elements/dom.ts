/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// A small DOM builder: elements made with attributes, listeners and children — text always as text nodes, so an
// organization's or a person's name is never parsed as markup.

/** Attributes (`false`/`undefined` left out, `true` as an empty attribute) and `on<event>` listeners. */
export type Props = Readonly<
  Record<string, string | number | boolean | undefined | ((event: Event) => unknown)>
>;
/** A child: a node, text, or nothing. */
export type Child = Node | string | number | false | null | undefined;

/**
 * An element `tag` with `props` and `children`.
 *
 * @example
 * ```ts
 * h('button', { type: 'button', part: 'button', onclick: () => save() }, 'Save');
 * ```
 */
export function h(tag: string, props: Props = {}, ...children: readonly Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else if (value !== false && value !== undefined) el.setAttribute(name, String(value));
  }
  for (const c of children)
    if (c !== false && c !== null && c !== undefined)
      el.append(typeof c === 'object' ? c : String(c));
  return el;
}

let serial = 0;
/** An id unique on the page (labels, descriptions, dialogs). */
export function uid(prefix: string): string {
  serial += 1;
  return `${prefix}-${String(serial)}`;
}
