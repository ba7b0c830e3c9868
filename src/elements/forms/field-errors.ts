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
  const controls = [scope, ...scope.querySelectorAll<HTMLElement>('input, select, textarea')];
  const fields = new Map<string, HTMLElement>();
  for (const c of controls) {
    if (!(c instanceof HTMLInputElement || c instanceof HTMLSelectElement)) continue;
    const field = c.dataset['field'] ?? c.name;
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

/** Remove the marks of an earlier attempt under `root`: messages, `aria-invalid`, their `aria-describedby`. */
export function clearFieldErrors(root: ParentNode): void {
  for (const m of root.querySelectorAll(`[${MARK}]`)) m.remove();
  for (const c of root.querySelectorAll<HTMLElement>('[aria-invalid="true"]')) {
    c.removeAttribute('aria-invalid');
    const rest = (c.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter((id) => id && !id.startsWith('atk-field-error-'));
    if (rest.length) c.setAttribute('aria-describedby', rest.join(' '));
    else c.removeAttribute('aria-describedby');
  }
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
    // `roles[0]` is the field `roles` sends (the API names the list's item).
    const control = fields.get(e.field) ?? fields.get(e.field.replace(/[[.].*$/, ''));
    if (!control) return h('li', {}, `${e.field}: ${e.message ?? t('fieldError-invalid')}`);
    const label = labelOf(control, e.field);
    const text = t(`fieldError-${CODES.has(e.code) ? e.code : 'invalid'}`, { field: label });
    if (!marked.includes(control)) {
      const id = uid('atk-field-error');
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
          onclick: (event) => {
            event.preventDefault();
            control.focus();
          },
        },
        text,
      ),
    );
  });
  const first = [...fields.values()].find((c) => marked.includes(c));
  return { summary: h('ul', { part: 'field-errors', class: 'atk-field-errors' }, ...items), first };
}
