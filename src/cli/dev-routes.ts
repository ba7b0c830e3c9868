/**
 * Match a request path (after `api/`) against an Azure Functions route template — `orders/{id}`,
 * `{id?}`, `{id:int}`, `{*rest}` — and return the route parameters, or undefined when it does not match.
 *
 * @example
 * ```ts
 * matchRoute('orders/{id}', 'orders/42'); // { id: '42' }
 * matchRoute('orders/{id}', 'users/42');  // undefined
 * ```
 */
export function matchRoute(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const m = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(?::[^}?]+)?(\?)?\}$/.exec(segment);
    if (m?.[1]) {
      params[m[2]!] = got.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    const value = got[i];
    if (m) {
      if (value === undefined) return m[3] ? params : undefined;
      params[m[2]!] = decodeURIComponent(value);
    } else if (value === undefined || value.toLowerCase() !== segment.toLowerCase()) {
      return undefined;
    }
  }
  return got.length === want.length ? params : undefined;
}
