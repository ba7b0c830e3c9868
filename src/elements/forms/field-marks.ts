/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Field errors that stand until the person acts on them. An element paints its view anew on every re-render (a list
// refresh, another element's change, an attribute, `setMessages`, a language), and the marks a refused form carried
// — `aria-invalid`, the message beside each field, the value the person sent — went with the old nodes while the
// error still stood: a screen-reader user tabbing back found a field said to be valid that the API had refused. WCAG
// 2.2 SC 3.3.1 Error Identification ("the item that is in error is identified and the error is described to the
// user in text") holds for as long as the error does, so the marks are kept by each control's `data-key` and put
// back after every paint, in the element's words of the moment, until the person edits the field (the error is no
// longer about what is there) or the submission succeeds.
import {
  controlFor,
  controlsOf,
  clearFieldErrors,
  type FieldProblem,
  markFieldErrors,
  unmark,
} from './field-errors.js';

/** The words of an element: a message by key, in its locale. */
type Words = (key: string, values?: Readonly<Record<string, string>>) => string;

/** What a host element gives its marks: its words and the alert it shows a problem in. */
export interface MarksHost {
  readonly t: Words;
  /** The alert of `problem` with `summary` (the list of its field errors) in it. */
  alert(problem: unknown, summary: HTMLElement): HTMLElement;
}

/** One refused form (or control) whose errors stand. */
interface Entry {
  /** The `data-key` of each control of the form: how its controls are found after a re-render. */
  readonly keys: readonly string[];
  errors: readonly FieldProblem[];
  readonly problem: unknown;
  /** The value the person left in each control (a checkbox: checked), by `data-key`. */
  readonly values: Map<string, string | boolean>;
  /** The alert listing these errors, while it is shown. */
  alert?: HTMLElement;
}

const keyOf = (c: HTMLElement): string | undefined => c.dataset['key'];
const fieldOf = (c: HTMLElement): string => c.dataset['field'] ?? (c as HTMLInputElement).name;

function read(c: HTMLElement): string | boolean {
  return c instanceof HTMLInputElement && c.type === 'checkbox'
    ? c.checked
    : (c as HTMLInputElement).value;
}

/** Put `value` back in `c`; false when it cannot hold it (a select no longer offering it). */
function write(c: HTMLElement, value: string | boolean): boolean {
  if (typeof value === 'boolean') (c as HTMLInputElement).checked = value;
  else if (c instanceof HTMLSelectElement && ![...c.options].some((o) => o.value === value))
    return false;
  else (c as HTMLInputElement).value = value;
  return true;
}

/**
 * The field errors an element keeps across its re-renders.
 *
 * @example
 * ```ts
 * const marks = new FieldMarks({ t, alert: (problem, summary) => h('div', { role: 'alert' }, summary) });
 * const shown = marks.show(form, problem.errors, problem); // marked; shown.alert goes in the element's alert
 * marks.snapshot(content); content.replaceChildren(...view()); marks.reapply(content); // marked again
 * ```
 */
export class FieldMarks {
  #entries: Entry[] = [];

  constructor(private readonly host: MarksHost) {}

  /**
   * Mark `errors` on the controls of `scope` and keep them; returns the alert listing them and the first invalid
   * control (where the focus goes).
   */
  show(
    scope: HTMLElement,
    errors: readonly FieldProblem[],
    problem: unknown,
  ): { alert: HTMLElement; first: HTMLElement | undefined } {
    this.forget(scope);
    const controls = controlsOf(scope);
    const entry: Entry = {
      keys: controls.map(keyOf).filter((k): k is string => k !== undefined),
      errors,
      problem,
      values: new Map(),
    };
    this.#remember(entry, controls);
    const { summary, first } = this.#mark(entry, controls);
    entry.alert = this.host.alert(problem, summary);
    this.#entries.push(entry);
    return { alert: entry.alert, first };
  }

  /** Forget the errors of `scope`'s controls and take their marks away (a new submission of the form). */
  forget(scope: HTMLElement): void {
    const keys = controlsOf(scope).map(keyOf);
    this.#entries = this.#entries.filter((e) => !e.keys.some((k) => keys.includes(k)));
    clearFieldErrors(scope);
  }

  /** Forget every form's errors, their alert too (the organization changed: another one's forms). */
  clear(): void {
    for (const e of this.#entries) e.alert?.remove();
    this.#entries = [];
  }

  /** Read what the person left in the kept forms' controls under `root`, before it is painted anew. */
  snapshot(root: ParentNode): void {
    for (const e of this.#entries) this.#remember(e, this.#find(e, root));
  }

  /**
   * Mark the kept errors again on the controls now under `root` (found by `data-key`), with the values the person
   * left, in the words of the moment; the alert still listing them follows (its links to the new controls, its words
   * anew when they changed). A form no longer on the page (an editor closed) is forgotten with its alert.
   */
  reapply(root: ParentNode): void {
    for (const e of [...this.#entries]) {
      const controls = this.#find(e, root);
      if (!controls.length) {
        this.#drop(e);
        continue;
      }
      for (const c of controls) {
        const value = e.values.get(keyOf(c) ?? '');
        // A value the control cannot show any more is no longer the one refused: its errors go.
        if (value !== undefined && !write(c, value)) this.#edited(e, c, controls);
      }
      if (!this.#entries.includes(e)) continue;
      const { summary } = this.#mark(e, controls);
      this.#follow(e, summary);
    }
  }

  #find(e: Entry, root: ParentNode): HTMLElement[] {
    return e.keys
      .map((k) => root.querySelector<HTMLElement>(`[data-key="${CSS.escape(k)}"]`))
      .filter((c): c is HTMLElement => c !== null);
  }

  #remember(e: Entry, controls: readonly HTMLElement[]): void {
    for (const c of controls) {
      const key = keyOf(c);
      if (key !== undefined) e.values.set(key, read(c));
    }
  }

  /** Mark `e`'s errors on `controls` (the person's first edit of one takes its errors away). */
  #mark(e: Entry, controls: readonly HTMLElement[]) {
    const fields = this.#fields(controls);
    const marked = markFieldErrors(fields, e.errors, this.host.t);
    for (const c of new Set(fields.values()))
      if (c.getAttribute('aria-invalid') === 'true')
        c.addEventListener(
          'input',
          () => {
            this.#edited(e, c, controls);
          },
          { once: true },
        );
    return marked;
  }

  #fields(controls: readonly HTMLElement[]): Map<string, HTMLElement> {
    const fields = new Map<string, HTMLElement>();
    for (const c of controls) if (!fields.has(fieldOf(c))) fields.set(fieldOf(c), c);
    return fields;
  }

  /**
   * The person changed `c`: its errors no longer stand — its mark and its line in the alert go; with the form's last
   * error the alert goes too.
   */
  #edited(e: Entry, c: HTMLElement, controls: readonly HTMLElement[]): void {
    if (!this.#entries.includes(e)) return;
    const fields = this.#fields(controls);
    e.errors = e.errors.filter((x) => controlFor(fields, x.field) !== c);
    unmark(c);
    e.alert
      ?.querySelector(`a[href="#${CSS.escape(c.id)}"]`)
      ?.closest('li')
      ?.remove();
    if (!e.errors.some((x) => controlFor(fields, x.field))) this.#drop(e);
  }

  #drop(e: Entry): void {
    e.alert?.remove();
    this.#entries = this.#entries.filter((x) => x !== e);
  }

  /**
   * The alert still listing `e`'s errors, made to follow a re-render: in new words it is shown anew (said again, as
   * a language change should be); in the same words only its links move to the new controls (nothing said again).
   */
  #follow(e: Entry, summary: HTMLElement): void {
    const shown = e.alert;
    if (!shown?.isConnected) {
      delete e.alert;
      return;
    }
    const fresh = this.host.alert(e.problem, summary);
    if (fresh.textContent !== shown.textContent) {
      shown.replaceWith(fresh);
      e.alert = fresh;
      return;
    }
    const now = [...fresh.querySelectorAll('a')];
    shown.querySelectorAll('a').forEach((a, i) => {
      const href = now[i]?.getAttribute('href');
      if (href) a.setAttribute('href', href);
    });
  }
}
