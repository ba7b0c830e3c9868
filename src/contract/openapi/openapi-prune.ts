import { type Json } from './openapi-refs.js';

/**
 * The document without the components nothing refers to (each `$ref` followed from the paths and the top-level
 * security, transitively), as tools' linters (Redocly's `no-unused-components`) expect. Pure: returns a copy of
 * `components` with only the used entries.
 *
 * @example
 * ```ts
 * const components = usedComponents(paths, { schemas, parameters, headers, responses });
 * ```
 */
export function usedComponents(
  paths: Readonly<Record<string, unknown>>,
  components: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
): Record<string, Record<string, unknown>> {
  const used = new Set<string>();
  // Operations share their parameter lists and responses (openapi-crud.ts): each object is walked once.
  const seen = new WeakSet<object>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    const ref = (node as Json)['$ref'];
    if (typeof ref === 'string' && ref.startsWith('#/components/') && !used.has(ref)) {
      used.add(ref);
      const [, , kind, name] = ref.split('/');
      if (kind !== undefined && name !== undefined) visit(components[kind]?.[name]);
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(paths);
  const out: Record<string, Record<string, unknown>> = {};
  for (const [kind, entries] of Object.entries(components)) {
    const kept = Object.entries(entries).filter(([name]) =>
      used.has(`#/components/${kind}/${name}`),
    );
    if (kept.length) out[kind] = Object.fromEntries(kept);
  }
  return out;
}
