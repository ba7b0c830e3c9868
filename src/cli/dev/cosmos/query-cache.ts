import { createRequire } from 'node:module';

/** How many distinct query texts stay compiled: far more than one backend's routes send, and still small. */
export const SHARED_QUERIES = 2_000;

type Compile = (text: string) => unknown;
interface QueryModule {
  default: Compile;
  /** Set on the module once its compiler is shared, so a second call wraps nothing. */
  atakoraShared?: true;
}

/**
 * Make the local Cosmos DB server compile each query text once per process instead of once per container (and
 * twice for a single-partition query).
 *
 * `@vercel/cosmosdb-server` 1.0.1 parses a query with `@zeit/cosmosdb-query` (a PEG parse, then Babel generates
 * its JavaScript): its cache is per container (`Items._queryCache`), and its partition-key check
 * (`handler/query-documents.js`) parses every single-partition query again, uncached. `atakora dev` and the tests
 * create containers by the dozen, each sending the same few query texts, so parsing was a tenth of a data-plane
 * test's CPU (docs/performance.md, "The local Cosmos DB server"). Both call sites read the module's `default` at
 * call time, so one memo in its place serves both. A compiled `Query` keeps its text's AST and generated code and
 * nothing of a collection (its `exec` takes the collection), so sharing one across containers answers exactly as
 * a fresh one; a text that fails to parse is not kept and throws its `SyntaxError` each time, as before.
 *
 * @param serverEntry - The resolved path of `@vercel/cosmosdb-server`'s entry, so its own copy of the query
 *   package is the one shared (it is that package's dependency, not ours); by default the one this file resolves.
 * @example
 * ```ts
 * shareQueryCompilation();
 * ```
 */
export function shareQueryCompilation(
  serverEntry: string = createRequire(import.meta.url).resolve('@vercel/cosmosdb-server'),
): void {
  const queries = createRequire(serverEntry)('@zeit/cosmosdb-query') as QueryModule;
  if (queries.atakoraShared) return;
  const compile = queries.default;
  const compiled = new Map<string, unknown>();
  queries.default = (text: string) => {
    const known = compiled.get(text);
    if (known !== undefined) return known;
    const query = compile(text);
    // Oldest first out: a Map iterates in insertion order.
    if (compiled.size >= SHARED_QUERIES) compiled.delete(compiled.keys().next().value as string);
    compiled.set(text, query);
    return query;
  };
  queries.atakoraShared = true;
}
