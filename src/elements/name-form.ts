/// <reference lib="dom" />
import { MAX_ORGANIZATION_NAME } from '../contract/members.js';
import { h, type Props, uid } from './dom.js';

/** What differs between the organization-name forms (create in the switcher, rename in the settings). */
export interface NameFormOptions {
  /** The form's accessible name. */
  readonly formLabel: string;
  /** The field's visible label. */
  readonly fieldLabel: string;
  /** The input's own attributes beside the shared ones (`value`, `autocomplete`, `data-key`). */
  readonly input: Props;
  /** The submit button. */
  readonly button: HTMLElement;
  /** Called with the trimmed name and the form (where its field errors show). */
  readonly submit: (name: string, form: HTMLElement) => void;
  /** Called instead of `submit` when the name is blank (spaces only): the form, to show that it is required. */
  readonly blank: (form: HTMLElement) => void;
}

/**
 * The form of an organization's name: a labelled required field (at most the API's `MAX_ORGANIZATION_NAME`, 256
 * characters — `POST api/tenants` and `PATCH api/tenant` refuse longer, contract/members.ts) and its
 * submit button, the name trimmed and a blank one never sent (`blank` says so: a name of spaces passes `required`).
 *
 * @example
 * ```ts
 * const button = h('button', { type: 'submit' }, 'Rename');
 * nameForm({ formLabel: 'Rename', fieldLabel: 'Name', input: { value: 'Acme' }, button, submit: rename, blank: say });
 * ```
 */
export function nameForm(o: NameFormOptions): HTMLElement {
  const id = uid('atk-org-name');
  const input = h('input', {
    id,
    name: 'name',
    required: true,
    maxlength: MAX_ORGANIZATION_NAME,
    part: 'input',
    ...o.input,
  }) as HTMLInputElement;
  const form = h(
    'form',
    {
      part: 'form',
      'aria-label': o.formLabel,
      onsubmit: (e) => {
        e.preventDefault();
        const name = input.value.trim();
        if (name) o.submit(name, form);
        else o.blank(form);
      },
    },
    h('label', { for: id }, o.fieldLabel, input),
    o.button,
  );
  return form;
}
