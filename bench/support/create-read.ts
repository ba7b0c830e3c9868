import azureFunctions, {
  type HttpHandler,
  type HttpResponseInit,
  type InvocationContext,
} from '@azure/functions';

// The package is CommonJS: its classes are read off the default export under tsx, as the other benches do.
const { HttpRequest, InvocationContext: Invocation } = azureFunctions;

/**
 * The invocation the benches pass every handler: one per bench, its logs dropped (a bench times the runtime, not
 * its console).
 *
 * @example
 * ```ts
 * const invocation = benchInvocation();
 * ```
 */
export function benchInvocation(): InvocationContext {
  return new Invocation({ invocationId: 'bench', functionName: 'bench', logHandler: () => {} });
}

/**
 * One bench request pair against the `docs` CrudApi the benches host in-process: POST a new item, then GET it back
 * through the item route. Answers the time of the pair in ms; any other answer than 201 and 200 throws (a bench
 * never times failures).
 *
 * @example
 * ```ts
 * const ms = await createThenRead(collection, item, invocation, headers, `t-${String(n)}`, n++);
 * ```
 */
export async function createThenRead(
  collection: HttpHandler,
  item: HttpHandler,
  invocation: InvocationContext,
  headers: Record<string, string>,
  id: string,
  n: number,
  label = '',
): Promise<number> {
  const post = new HttpRequest({
    method: 'POST',
    url: 'https://bench.local/api/docs',
    headers,
    body: { string: JSON.stringify({ id, name: `doc ${id}`, n }) },
  });
  const get = new HttpRequest({
    method: 'GET',
    url: `https://bench.local/api/docs/${id}`,
    headers,
    params: { id },
  });
  const t = performance.now();
  const created = (await collection(post, invocation)) as HttpResponseInit;
  const read = (await item(get, invocation)) as HttpResponseInit;
  const ms = performance.now() - t;
  if (created.status !== 201 || read.status !== 200)
    throw new Error(
      `${label}expected 201 and 200, got ${String(created.status)} and ${String(read.status)}`,
    );
  return ms;
}
