/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// React's types in this program, for the augmentation below (an augmentation brings no file in by itself). The
// directive is not emitted (TypeScript 5.5 keeps only `preserve="true"` ones): a user's program has React's types
// when it uses React, and without them the augmentation is unused.
/// <reference types="react" />
// The elements in JSX: each tag with its attributes. React 19's JSX namespace gets them by itself (below); any other
// JSX whose IntrinsicElements can extend an interface takes AtakoraIntrinsicElements.

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
  readonly hidden?: boolean;
  readonly title?: string;
  readonly dir?: 'ltr' | 'rtl' | 'auto';
  readonly tabIndex?: number;
  readonly role?: string;
  /** A handler of a DOM event (React 19 listens for `onClick`, and for a custom event by its name: `onatakora-invited`). */
  readonly [handler: `on${string}`]: ((event: Event) => void) | undefined;
  readonly ref?: unknown;
  readonly key?: string | number;
}

/**
 * The elements' tags and attributes, for a JSX namespace's IntrinsicElements. React 19's (`React.JSX`, which
 * `react/jsx-runtime` hands `"jsx": "react-jsx"`) has them once the elements' entry is imported: nothing to declare.
 *
 * @example
 * ```ts
 * import type { AtakoraIntrinsicElements } from '@atakora/component/elements';
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

// React 19's JSX namespace (`React.JSX`; `react/jsx-runtime` re-exports it for "jsx": "react-jsx"): the elements'
// tags, typed wherever this module's declarations are in the program. Only this file's names: React's own (its
// HTMLAttributes) would need an import of 'react', which a project without React's types could not compile, and
// declaration emit refuses names read from inside the augmentation (TS4033).
declare module 'react' {
  // biome-ignore lint/style/noNamespace: React's JSX is a namespace; an augmentation must name it so.
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React's JSX is a namespace: the augmentation names it.
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into React's, which has members.
    interface IntrinsicElements extends AtakoraIntrinsicElements {}
  }
}
