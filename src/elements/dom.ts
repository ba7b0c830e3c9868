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
  if (tag === 'button') labelInName(el);
  return el;
}

const words = (text: string) => text.replace(/\s+/g, ' ').trim().toLocaleLowerCase();

/**
 * WCAG 2.2 2.5.3 Label in Name: a button whose `aria-label` (the name that says whom it acts on: "Resend the
 * invitation to ivy@…") does not hold its visible text — a page's own `setMessages` for one of the two, or a language
 * whose words differ — is named by its text first, then that label, so speech input that says what it sees reaches it.
 * https://www.w3.org/WAI/WCAG22/Understanding/label-in-name: "For user interface components with labels that include
 * text or images of text, the name contains the text that is presented visually."
 */
function labelInName(button: HTMLElement): void {
  const name = button.getAttribute('aria-label');
  const text = button.textContent ?? '';
  if (name === null || !words(text) || words(name).includes(words(text))) return;
  button.setAttribute('aria-label', `${text.trim()}: ${name}`);
}

let serial = 0;
/** An id unique on the page (labels, descriptions, dialogs). */
export function uid(prefix: string): string {
  serial += 1;
  return `${prefix}-${String(serial)}`;
}
