/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { ProblemError } from '../client/problem-error.js';
import { connectionOf, ORGANIZATION_CHANGE, DATA_CHANGE } from './connection.js';
import { type Child, h, uid } from './dom.js';
import { isRightToLeft, message, onMessages } from './messages.js';
import type { Section } from './section.js';
import { adoptStyles } from './styles.js';
import type { FieldProblem } from './forms/field-errors.js';
import { FieldMarks } from './forms/field-marks.js';

/**
 * A problem as an element shows it: the API's title, detail (RFC 9457) and field errors (a 400 `validation`'s
 * `errors`), else the error's message.
 */
export function problemOf(e: unknown): {
  title: string;
  detail: string;
  status?: number;
  errors: readonly FieldProblem[];
} {
  if (e instanceof ProblemError)
    return { title: e.title, detail: e.detail, status: e.status, errors: e.errors };
  return { title: '', detail: e instanceof Error ? e.message : String(e), errors: [] };
}

// Outside a browser (Node, server rendering) the module still loads: the classes exist, nothing is defined.
const placeholder = <T>(value: T | undefined, stand: unknown): T => (value ?? stand) as T;
const ElementBase = placeholder<typeof HTMLElement>(
  'HTMLElement' in globalThis ? globalThis.HTMLElement : undefined,
  Object,
);

/**
 * The elements' common behaviour: light DOM (or a shadow root with the `shadow` attribute), the locale and
 * direction (`lang` on the element or an ancestor), the states (loading, the view, an error with the problem's title
 * and detail and a retry), a polite live region for results, confirmations in a modal dialog that holds focus and
 * gives it back, and a reload when the organization or its data changes.
 */
export abstract class AtakoraElement<D> extends ElementBase {
  static get observedAttributes(): string[] {
    return ['lang'];
  }
  #frame: HTMLElement | undefined;
  #content: HTMLElement | undefined;
  #status: HTMLElement | undefined;
  #alert: HTMLElement | undefined;
  #unlisten: (() => void)[] = [];
  #run = 0;
  /** What the last load threw (its error state), shown again when the locale changes. */
  #failure: unknown;
  /** The data of the last load (undefined while loading or after an error). */
  protected data: D | undefined;
  /** The field errors of refused forms, kept across re-renders until edited or sent again (forms/field-marks.ts). */
  #marks = new FieldMarks({
    t: (key, values) => this.t(key, values),
    alert: (problem, summary) => this.#problemAlert(problemOf(problem), summary),
  });

  /** The data of the view; a thrown ProblemError becomes the error state. */
  protected abstract load(): Promise<D>;
  /** The view of loaded data. */
  protected abstract view(data: D): Child[];
  /** The heading that names the element (its region's label). */
  protected abstract heading(): string;

  connectedCallback(): void {
    if (!this.#frame) this.#build();
    const reload = () => void this.refresh();
    // Another organization: its forms are others, the errors of this one's no longer stand.
    const moved = () => {
      this.#marks.clear();
      reload();
    };
    document.addEventListener(ORGANIZATION_CHANGE, moved);
    const onData = (e: Event) => {
      if ((e as CustomEvent<{ source?: unknown }>).detail?.source !== this) reload();
    };
    document.addEventListener(DATA_CHANGE, onData);
    this.#unlisten = [
      () => {
        document.removeEventListener(ORGANIZATION_CHANGE, moved);
      },
      () => {
        document.removeEventListener(DATA_CHANGE, onData);
      },
      onMessages(() => {
        this.rerender();
      }),
    ];
    void this.refresh();
  }

  disconnectedCallback(): void {
    for (const u of this.#unlisten) u();
    this.#unlisten = [];
  }

  attributeChangedCallback(name: string, before: string | null, after: string | null): void {
    if (before === after || !this.#frame) return;
    if (name === 'lang') this.rerender();
    else void this.refresh();
  }

  #build(): void {
    const shadow = this.hasAttribute('shadow');
    const root = shadow ? this.attachShadow({ mode: 'open' }) : this;
    adoptStyles(shadow ? (root as ShadowRoot) : document);
    this.#status = h('div', {
      class: 'atk-status',
      role: 'status',
      'aria-live': 'polite',
      part: 'status',
    });
    this.#alert = h('div', { part: 'problem' });
    this.#content = h('div', { part: 'content' });
    this.#frame = h(
      'section',
      { class: 'atakora', part: 'base' },
      this.#alert,
      this.#content,
      this.#status,
    );
    root.append(this.#frame);
  }

  /** The element's locale: its own or nearest ancestor's `lang`, else the document's, else English. */
  get locale(): string {
    return this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || 'en';
  }

  /** A message in the element's locale. */
  protected t(key: string, values?: Readonly<Record<string, string | number | undefined>>): string {
    return message(this.locale, key, values);
  }

  /** A date in the element's locale. */
  protected date(iso: string | undefined): string {
    if (!iso) return '';
    const d = new Date(iso);
    return Number.isNaN(d.getTime())
      ? iso
      : d.toLocaleDateString(this.locale, { dateStyle: 'medium' });
  }

  /** Load again and show the result (loading first); the focus stays on the control it was on. */
  async refresh(): Promise<void> {
    const run = ++this.#run;
    this.setAttribute('aria-busy', 'true');
    this.dataset['state'] = 'loading';
    this.data = undefined;
    this.#failure = undefined;
    if (!this.#content?.hasChildNodes())
      this.#paint([h('p', { part: 'loading' }, this.t('loading'))]);
    try {
      const data = await this.load();
      if (run !== this.#run) return;
      this.data = data;
      this.rerender();
    } catch (e) {
      if (run !== this.#run) return;
      this.#failed(e);
    } finally {
      if (run === this.#run) this.removeAttribute('aria-busy');
    }
  }

  /**
   * Show the loaded data again (a locale or message change, or a local state change); an error or empty state is
   * shown again in the new words, loading is said in them.
   */
  protected rerender(): void {
    if (!this.#frame) return;
    this.#direction();
    if (this.#failure !== undefined) {
      this.#failed(this.#failure);
      return;
    }
    if (this.data === undefined) {
      this.#content?.querySelector('[part="loading"]')?.replaceChildren(this.t('loading'));
      return;
    }
    this.dataset['state'] = 'ready';
    const content = this.#content;
    if (content) this.#marks.snapshot(content);
    this.#paint([
      h('h2', { part: 'heading', tabindex: '-1' }, this.heading()),
      ...this.view(this.data),
    ]);
    if (content) this.#marks.reapply(content);
  }

  #direction(): void {
    const frame = this.#frame;
    if (!frame) return;
    frame.setAttribute('dir', isRightToLeft(this.locale) ? 'rtl' : 'ltr');
    frame.setAttribute('lang', this.locale);
    frame.setAttribute('aria-label', this.heading());
  }

  #failed(e: unknown): void {
    this.#failure = e;
    this.#direction();
    // No organization yet is an empty state, not a problem: the switcher creates one.
    if (e instanceof Error && e.name === 'NoOrganization') {
      this.dataset['state'] = 'empty';
      this.#paint([
        h('h2', { part: 'heading', tabindex: '-1' }, this.heading()),
        h('p', { part: 'empty' }, this.t('noOrganization')),
      ]);
      return;
    }
    this.dataset['state'] = 'error';
    const p = problemOf(e);
    this.#paint([
      h('h2', { part: 'heading', tabindex: '-1' }, this.heading()),
      h(
        'div',
        { role: 'alert', part: 'error' },
        h('strong', {}, p.title || this.t('error')),
        p.detail ? h('p', {}, p.detail) : null,
      ),
      h(
        'button',
        { type: 'button', part: 'button', 'data-key': 'retry', onclick: () => void this.refresh() },
        this.t('retry'),
      ),
    ]);
  }

  /** Replace the content, keeping the focus on the control with the same `data-key` (else on the heading). */
  #paint(nodes: Child[]): void {
    const content = this.#content;
    if (!content) return;
    const active = (this.shadowRoot ?? document).activeElement;
    const inside = active instanceof HTMLElement && content.contains(active);
    const key = inside ? active.dataset['key'] : undefined;
    content.replaceChildren(
      ...nodes
        .filter((n): n is Node | string | number => n !== null && n !== undefined && n !== false)
        .map((n) => (typeof n === 'number' ? String(n) : n)),
    );
    if (!inside) return;
    const again = key
      ? content.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`)
      : null;
    (again ?? content.querySelector<HTMLElement>('h2'))?.focus();
  }

  /** Say `text` in the live region (screen readers announce it). */
  protected announce(text: string): void {
    if (this.#alert) this.#alert.replaceChildren();
    if (this.#status) this.#status.textContent = text;
  }

  /**
   * Run an action: its problem shown (title and detail, an alert) without losing the view — its field errors, when
   * `fields` (the form, or the one control, that sent them) is given, on their controls and listed in the alert,
   * the focus on the first invalid one —; its success announced (`done`, or worded after the action by `done()`) and
   * the data reloaded, and the other elements told.
   */
  protected async act(
    run: () => Promise<unknown>,
    done?: string | (() => string),
    fields?: HTMLElement,
  ): Promise<boolean> {
    if (fields) this.#marks.forget(fields);
    try {
      await run();
    } catch (e) {
      this.showProblem(e, fields);
      return false;
    }
    const said = typeof done === 'function' ? done() : done;
    if (said) this.announce(said);
    else this.#alert?.replaceChildren();
    await this.refresh();
    document.dispatchEvent(new CustomEvent('atakora-change', { detail: { source: this } }));
    return true;
  }

  /**
   * Show `e` in the alert (title and detail); its field errors (or `errors`, found before sending) marked on the
   * controls of `fields` and listed, the focus moved to the first invalid control.
   */
  protected showProblem(e: unknown, fields?: HTMLElement, errors?: readonly FieldProblem[]): void {
    const p = problemOf(e);
    if (this.#status) this.#status.textContent = '';
    if (fields) this.#marks.forget(fields);
    const listed = errors ?? p.errors;
    const marked = fields && listed.length ? this.#marks.show(fields, listed, e) : undefined;
    this.#alert?.replaceChildren(marked?.alert ?? this.#problemAlert(p));
    marked?.first?.focus();
  }

  /** A problem's alert: its title (else a generic one) and detail, and the list of its field errors. */
  #problemAlert(p: ReturnType<typeof problemOf>, summary?: HTMLElement): HTMLElement {
    return h(
      'div',
      { role: 'alert', part: 'error' },
      h('strong', {}, p.title || this.t(summary ? 'fieldsInvalid' : 'error')),
      p.detail ? h('p', {}, p.detail) : null,
      summary,
    );
  }

  /** The element's words and actions for a part's builder (section.ts). */
  protected section(): Section {
    return {
      t: (key, values) => this.t(key, values),
      date: (iso) => this.date(iso),
      locale: () => this.locale,
      act: (run, done, fields) => this.act(run, done, fields),
      confirm: (text, action) => this.confirmAction(text, action),
      upgrade: (plan) =>
        void this.openBilling(async () => (await connectionOf()).client.billing.checkout(plan)),
      portal: () =>
        void this.openBilling(async () => (await connectionOf()).client.billing.portal()),
    };
  }

  /**
   * Open a Stripe page (Checkout, the portal): announced, the cancelable `atakora-checkout` event (detail `{ url }`)
   * first, then the browser goes there.
   */
  protected async openBilling(open: () => Promise<{ url: string }>): Promise<void> {
    let url: string | undefined;
    const ok = await this.act(async () => {
      url = (await open()).url;
    }, this.t('redirecting'));
    if (!ok || !url) return;
    const event = new CustomEvent('atakora-checkout', {
      detail: { url },
      bubbles: true,
      cancelable: true,
    });
    if (this.dispatchEvent(event)) location.assign(url);
  }

  /**
   * Ask before what destroys: a modal dialog (focus held inside, Escape cancels) naming the action; the focus goes
   * back where it was. Resolves true when confirmed.
   */
  protected confirmAction(text: string, action: string): Promise<boolean> {
    const back = (this.shadowRoot ?? document).activeElement as HTMLElement | null;
    const heading = uid('atk-confirm');
    return new Promise((resolve) => {
      const close = (answer: boolean) => {
        dialog.close();
        dialog.remove();
        back?.focus();
        resolve(answer);
      };
      const cancel = h(
        'button',
        {
          type: 'button',
          part: 'button',
          onclick: () => {
            close(false);
          },
        },
        this.t('cancel'),
      );
      const dialog = h(
        'dialog',
        { part: 'dialog', 'aria-labelledby': heading, role: 'alertdialog' },
        h('h3', { id: heading }, action),
        h('p', {}, text),
        h(
          'div',
          { class: 'atk-actions' },
          cancel,
          h(
            'button',
            {
              type: 'button',
              class: 'atk-danger',
              part: 'button danger',
              onclick: () => {
                close(true);
              },
            },
            action,
          ),
        ),
      ) as HTMLDialogElement;
      // The modal dialog makes the page inert; Tab past its last control comes back to its first (and Shift+Tab the
      // other way), so the focus stays inside until it closes (WCAG 2.4.3, and the APG's dialog pattern).
      dialog.addEventListener('keydown', (e) => {
        if (e.key !== 'Tab') return;
        const controls = [...dialog.querySelectorAll<HTMLElement>('button')];
        const first = controls[0];
        const last = controls[controls.length - 1];
        const active = (this.shadowRoot ?? document).activeElement;
        if (e.shiftKey && active === first) {
          e.preventDefault();
          last?.focus();
        } else if (!e.shiftKey && active === last) {
          e.preventDefault();
          first?.focus();
        }
      });
      dialog.addEventListener('cancel', (e) => {
        e.preventDefault();
        close(false);
      });
      this.#frame?.append(dialog);
      dialog.showModal();
      cancel.focus();
    });
  }
}
