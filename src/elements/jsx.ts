/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The elements in JSX (React 19 and any JSX whose IntrinsicElements this extends): each tag with its attributes.

/** Attributes every element takes. */
export interface AtakoraElementAttributes {
  /** The element's locale (`en`, `de`, `ar`…); default the nearest ancestor's `lang`. */
  readonly lang?: string;
  /** Render in a shadow root (styled through `::part`) instead of the light DOM. */
  readonly shadow?: boolean | '';
  readonly id?: string;
  readonly class?: string;
  readonly className?: string;
  readonly style?: unknown;
  readonly slot?: string;
  readonly ref?: unknown;
  readonly key?: string | number;
}

/**
 * The elements' tags and attributes, for a JSX namespace's IntrinsicElements (React 19: `React.JSX`).
 *
 * @example
 * ```ts
 * import type { AtakoraIntrinsicElements } from '@atakora/component/elements';
 * // With React 19's types, once in the project (docs/elements.md, JSX):
 * //   declare module 'react' { namespace JSX { interface IntrinsicElements extends AtakoraIntrinsicElements {} } }
 * const members: AtakoraIntrinsicElements['atakora-members'] = { roles: 'Admin,Member', lang: 'de' };
 * ```
 */
export interface AtakoraIntrinsicElements {
  'atakora-organization-switcher': AtakoraElementAttributes & { readonly create?: 'off' };
  'atakora-members': AtakoraElementAttributes & { readonly roles?: string };
  'atakora-invitation': AtakoraElementAttributes & { readonly token?: string };
  'atakora-plan': AtakoraElementAttributes;
  'atakora-organization-settings': AtakoraElementAttributes;
  /** `roles`: the roles a linked directory's users may join as (default `Admin,Member`). */
  'atakora-enterprise': AtakoraElementAttributes & { readonly roles?: string };
  /** `page-size`: entries per page (1–1000, default 25). */
  'atakora-audit-log': AtakoraElementAttributes & { readonly 'page-size'?: number | string };
  'atakora-agents': AtakoraElementAttributes;
}
