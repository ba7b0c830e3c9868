import { sortData } from './reference-model.js';
import type { RealApp } from './real-app.js';
import type { ModelBackend } from './backend.js';
import { INVITATIONS_PER_DAY } from './backend.js';

/**
 * Every item the real containers hold, without Cosmos DB's and the runtime's hidden fields (`_…`), by entity index and
 * sorted as the reference model's `finalData` is: what each model test compares at the end of a run.
 *
 * @example
 * ```ts
 * expect(await realData(app)).toEqual(finalData(model.state));
 * ```
 */
export async function realData(app: RealApp): Promise<[number, Record<string, unknown>][]> {
  const out: [number, Record<string, unknown>][] = [];
  for (const [i, c] of app.containers.entries()) {
    const { resources } = await c.items
      .query<Record<string, unknown>>('SELECT * FROM c')
      .fetchAll();
    for (const r of resources)
      out.push([i, Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('_')))]);
  }
  return sortData(out);
}

/** A `members` container's memberships (its items without a `kind`) as `[id, sorted roles]`, sorted by id. */
export function membershipsOf(
  items: readonly { id: string; roles: string[]; kind?: string }[],
): [string, readonly string[]][] {
  return items
    .filter((r) => r.kind === undefined)
    .map((r): [string, readonly string[]] => [r.id, [...r.roles].sort()])
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
}

/** A `members` container's memberships as `<tenant>|<userId> <via>`, sorted (the door each came in by). */
export function viasOf(
  items: readonly { tenant: string; userId: string; kind?: string; via?: string }[],
): string[] {
  return items
    .filter((r) => r.kind === undefined)
    .map((r) => `${r.tenant}|${r.userId} ${r.via ?? '?'}`)
    .sort();
}

/** A `members` container's bars as `<tenant>|<userId> <by>`, sorted (member-bars.ts: one item per person). */
export function barsOf(
  items: readonly { tenant: string; userId: string; kind?: string; by?: string }[],
): string[] {
  return items
    .filter((r) => r.kind === 'barred')
    .map((r) => `${r.tenant}|${r.userId} ${r.by ?? '?'}`)
    .sort();
}

/**
 * A generated backend whose tenants are organizations: every directory signs in, none is home (the members and
 * owners models' backends).
 *
 * @example
 * ```ts
 * const b = withMembership(backendOf({ multi: true, realtime: false, entities, edges: [] }));
 * ```
 */
export function withMembership(b: ModelBackend): ModelBackend {
  const { home: _home, registry: _registry, ...rest } = b;
  return {
    ...rest,
    multi: true,
    admitted: 'any',
    membership: true,
    realtime: false,
    invitationsPerDay: INVITATIONS_PER_DAY,
  };
}
