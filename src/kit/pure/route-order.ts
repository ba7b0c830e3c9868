/**
 * The order in which the Azure Functions host tries HTTP routes: by function name, not by how specific a route
 * is (azure-functions-host #9876 "HttpTrigger's Route precedence is different from ASP.NET Core behavior";
 * azure-functions-nodejs-library #300, `app.http` routes "evaluated in alphabetical order"; the workaround
 * both threads give is renaming the function). The host adds the routes to its route table in function-name
 * order, and the first whose template and method match answers. Function names are case-insensitive in the
 * host, so they compare ordinally ignoring case (ties — names differing only in case — ordinally).
 *
 * Function names in Atakora: a CrudApi registers `<ComponentId>-collection` and `<ComponentId>-item`
 * (src/runtime/register-routes.ts), the runtime `health`, a FunctionsApp function `<ComponentId>-<name>`
 * (src/components/functions/define.ts). `atakora dev` and the planner both use this one ordering.
 */

/**
 * Compare two function names in the host's order.
 *
 * @example
 * ```ts
 * ['NoteApi-item', 'Aaa-page', 'health'].sort(compareFunctionNames); // ['Aaa-page', 'health', 'NoteApi-item']
 * ```
 */
export function compareFunctionNames(a: string, b: string): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The functions in the order the host tries their routes (a sorted copy).
 *
 * @example
 * ```ts
 * hostRouteOrder([{ name: 'UserApi-item' }, { name: 'Profile-get' }]); // Profile-get first
 * ```
 */
export function hostRouteOrder<T extends { readonly name: string }>(functions: readonly T[]): T[] {
  return [...functions].sort((a, b) => compareFunctionNames(a.name, b.name));
}
