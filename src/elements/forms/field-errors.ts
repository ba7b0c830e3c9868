/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// A 400 problem's field errors (`errors: [{ field, code, message }]`, contract/problems.ts `validation`) shown where a
// person fixes them: each control marked `aria-invalid` with its message beside it (named by `aria-describedby`),
// and the alert's summary listing them, each a link to its field — the WAI tutorial's pattern for form errors
// (https://www.w3.org/WAI/tutorials/forms/notifications/, "Listing errors" and "In-line"; WCAG 2.2 SC 3.3.1 Error
// Identification: "the item that is in error is identified and the error is described to the user in text").
import { h, uid } from '../dom.js';

/** One field error: the API field it names, its code, and the API's own message (English). */
export interface FieldProblem {
  readonly field: string;
  readonly code: string;
  readonly message?: string;
}

/** Field error codes with words of their own (`fieldError-<code>`); any other is `fieldError-invalid`. */
const CODES = new Set(['required', 'format', 'pattern', 'enum', 'maxLength', 'type', 'unique']);

/** The words of an element: a message by key, in its locale. */
type Words = (key: string, values?: Readonly<Record<string, string>>) => string;

const MARK = 'data-field-error';
const ERROR_ID = 'atk-field-error-';

/**
 * The controls under `scope` (a form, or one control) by the API field each sends: its `data-field`, else its
 * `name` — the first of each.
 *
 * @example
 * ```ts
 * fieldsOf(form).get('email'); // <input name="email">
 * ```
 */
export function fieldsOf(scope: HTMLElement): Map<string, HTMLElement> {
  const fields = new Map<string, HTMLElement>();
  for (const c of controlsOf(scope)) {
    const field = c.dataset['field'] ?? (c as HTMLInputElement).name;
    if (field && !fields.has(field)) fields.set(field, c);
  }
  return fields;
}

/** The name a person reads for a control: its `aria-label`, else its label's own words. */
function labelOf(control: HTMLElement, fallback: string): string {
  const aria = control.getAttribute('aria-label');
  if (aria) return aria;
  const label = (control as HTMLInputElement).labels?.[0];
  const words = label
    ? [...label.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join(' ')
        .trim()
    : '';
  return words || fallback;
}

/** The controls under `scope` (a form, or one control), the scope itself included. */
export function controlsOf(scope: HTMLElement): HTMLElement[] {
  return [scope, ...scope.querySelectorAll<HTMLElement>('input, select, textarea')].filter(
    (c) =>
      c instanceof HTMLInputElement ||
      c instanceof HTMLSelectElement ||
      c instanceof HTMLTextAreaElement,
  );
}

/** The control of `fields` an error of `field` belongs to: `roles[0]` is the field `roles` sends. */
export function controlFor(
  fields: ReadonlyMap<string, HTMLElement>,
  field: string,
): HTMLElement | undefined {
  return fields.get(field) ?? fields.get(field.replace(/[[.].*$/, ''));
}

/** Take one control's mark away: `aria-invalid`, its message beside it, that message's `aria-describedby`. */
export function unmark(control: HTMLElement): void {
  control.removeAttribute('aria-invalid');
  const ids = (control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  const near = control.closest('label')?.parentElement ?? control.parentElement;
  for (const id of ids.filter((i) => i.startsWith(ERROR_ID)))
    near?.querySelector(`[${MARK}][id="${id}"]`)?.remove();
  const rest = ids.filter((id) => !id.startsWith(ERROR_ID));
  if (rest.length) control.setAttribute('aria-describedby', rest.join(' '));
  else control.removeAttribute('aria-describedby');
}

/** Remove the marks of an earlier attempt from the controls of `scope` (a form, or the one control). */
export function clearFieldErrors(scope: HTMLElement): void {
  for (const c of controlsOf(scope)) unmark(c);
}

/**
 * Mark each of `errors` on its control in `fields` (its message beside it, `part="field-error"`) and list them all for
 * the alert (`part="field-errors"`: a link to each marked control, the API's words for a field no control sends).
 * Returns the list and the first invalid control (where the focus goes).
 *
 * @example
 * ```ts
 * const { summary, first } = markFieldErrors(fieldsOf(form), problem.errors, t);
 * alert.append(summary); first?.focus();
 * ```
 */
export function markFieldErrors(
  fields: ReadonlyMap<string, HTMLElement>,
  errors: readonly FieldProblem[],
  t: Words,
): { summary: HTMLElement; first: HTMLElement | undefined } {
  const marked: HTMLElement[] = [];
  const items = errors.map((e) => {
    const control = controlFor(fields, e.field);
    if (!control) return h('li', {}, `${e.field}: ${e.message ?? t('fieldError-invalid')}`);
    const label = labelOf(control, e.field);
    const text = t(`fieldError-${CODES.has(e.code) ? e.code : 'invalid'}`, { field: label });
    if (!marked.includes(control)) {
      const id = uid(ERROR_ID.slice(0, -1));
      control.setAttribute('aria-invalid', 'true');
      const before = control.getAttribute('aria-describedby');
      control.setAttribute('aria-describedby', before ? `${before} ${id}` : id);
      (control.closest('label') ?? control).after(
        h('span', { id, class: 'atk-field-error', part: 'field-error', [MARK]: e.field }, text),
      );
      marked.push(control);
    }
    return h(
      'li',
      {},
      h(
        'a',
        {
          href: `#${control.id}`,
          part: 'field-link',
          // The field by its id when followed: a re-render puts a new control there and moves the link's href.
          onclick: (event) => {
            event.preventDefault();
            const link = event.currentTarget as HTMLElement;
            const root = link.getRootNode() as Document | ShadowRoot;
            root.getElementById?.(link.getAttribute('href')?.slice(1) ?? '')?.focus();
          },
        },
        text,
      ),
    );
  });
  const first = [...fields.values()].find((c) => marked.includes(c));
  return { summary: h('ul', { part: 'field-errors', class: 'atk-field-errors' }, ...items), first };
}
