import { createHash } from 'node:crypto';
import type { AccessRule, CrudOperation, RuntimeEntity } from '../../model/runtime-manifest.js';
import { accessOf, type RuleCaller, decideAccess } from '../access/rules.js';
import { isIsolated } from '../values/tenancy.js';

/**
 * Who receives a realtime entity's events, decided once per connection (at negotiate) and once per write (at
 * publish) from the same access rules the CRUD routes enforce. An event goes to *groups*, one per audience —
 * never to a connection: the readers of every item of a tenant (those the rules give `all`), and one owner (those
 * they give `own`, or, where owners are hidden, each reader's copy of their own items). A connection's token
 * lists the groups the server chose; it carries no role to join or send, so a client cannot add one.
 *
 * Groups rotate every {@link EPOCH_MS}: a token minted in epoch e lists its groups of epochs e and e+1, and each
 * write goes to the current epoch's group only. A connection therefore receives events for at least
 * {@link EPOCH_MS} and at most twice that after its token was minted, however long it stays open — the service
 * checks a token only when the connection opens, and this is how a revoked role or removed user stops receiving.
 */
export const EPOCH_MS = 30 * 60_000;

/** The most minutes a client token lives (DESIGN §2: at most 60); see {@link tokenMinutes}. */
export const MAX_TOKEN_MINUTES = 60;

/** Margin for clocks of different instances: a token expires this long before its groups stop receiving. */
const CLOCK_MARGIN_MS = 2 * 60_000;

/**
 * The epoch of a time (ms since 1970).
 *
 * @example
 * ```ts
 * epochOf(Date.parse('2026-01-01T00:29:59Z')) === epochOf(Date.parse('2026-01-01T00:00:00Z')); // true
 * ```
 */
export function epochOf(ms: number): number {
  return Math.floor(ms / EPOCH_MS);
}

/**
 * Minutes a token minted at `now` may live: until its groups stop receiving (end of epoch e+1) less the clock
 * margin, and never more than {@link MAX_TOKEN_MINUTES}. Between 28 and 58 minutes with 30-minute epochs.
 *
 * @example
 * ```ts
 * tokenMinutes(Date.parse('2026-01-01T00:00:00Z')); // 58
 * ```
 */
export function tokenMinutes(now: number): number {
  const stopsAt = (epochOf(now) + 2) * EPOCH_MS - CLOCK_MARGIN_MS;
  return Math.max(1, Math.min(MAX_TOKEN_MINUTES, Math.floor((stopsAt - now) / 60_000)));
}

/**
 * A group's name: the component id in lower case (for people reading logs), the kind, and 128 bits of SHA-256 over
 * everything that identifies the audience — the exact component id, the tenant, the owner — in lower-case hex, and
 * the epoch. Only the digest tells groups apart, so names stay in one safe alphabet and never collide by case
 * (Web PubSub compares group names in filters case-insensitively: Learn, "OData filter syntax").
 */
function groupName(
  componentId: string,
  kind: 'r' | 'o',
  parts: readonly string[],
  epoch: number,
): string {
  const digest = createHash('sha256')
    .update([kind, componentId, ...parts].join('\u0000'), 'utf8')
    .digest('hex')
    .slice(0, 32);
  return `${componentId.toLowerCase()}.${kind}.${digest}.${String(epoch)}`;
}

/**
 * The tenant part of an audience: `s` for shared data, `t:<tenant>` for a tenant's; `undefined` for an isolated
 * entity without a tenant (nothing is delivered then: no group spans tenants).
 */
export function scopeOf(
  entity: Pick<RuntimeEntity, 'partitionKey' | 'tenancy'>,
  tenant: string | undefined,
): string | undefined {
  if (!isIsolated(entity)) return 's';
  return tenant === undefined ? undefined : `t:${tenant}`;
}

/**
 * The group of every reader of an entity's items in one tenant (`noteapi.r.<digest>.<epoch>`).
 *
 * @example
 * ```ts
 * readersGroup('NoteApi', 's', 981234); // 'noteapi.r.<32 hex digits>.981234'
 * ```
 */
export function readersGroup(componentId: string, scope: string, epoch: number): string {
  return groupName(componentId, 'r', [scope], epoch);
}

/**
 * The group of one owner of an entity's items in one tenant (`noteapi.o.<digest>.<epoch>`).
 *
 * @example
 * ```ts
 * ownerGroup('NoteApi', 's', 'u1', 981234).startsWith('noteapi.o.'); // true
 * ```
 */
export function ownerGroup(
  componentId: string,
  scope: string,
  owner: string,
  epoch: number,
): string {
  return groupName(componentId, 'o', [scope, owner], epoch);
}

const READS: readonly CrudOperation[] = ['read', 'list'];

/**
 * What a caller may read of an entity, by its rules: `all` items of their tenant, their `own`, or `none` —
 * the wider of the `read` and `list` decisions (either shows the item), on an entity that serves one of them.
 *
 * @example
 * ```ts
 * readAccess({ operations: ['read'], access: [{ allow: 'owner' }] } as RuntimeEntity, { id: 'u1', roles: [] }); // 'own'
 * ```
 */
export function readAccess(
  entity: Pick<RuntimeEntity, 'operations' | 'access' | 'ownerField'>,
  caller: RuleCaller,
): 'all' | 'own' | 'none' {
  const { rules } = accessOf(entity);
  let best: 'all' | 'own' | 'none' = 'none';
  for (const op of READS) {
    if (!entity.operations.includes(op)) continue;
    const d = decideAccess(rules, op, caller).kind;
    if (d === 'all') return 'all';
    if (d === 'own') best = 'own';
  }
  return best;
}

const reads = (entity: Pick<RuntimeEntity, 'operations'>, rule: AccessRule) =>
  READS.some((op) => entity.operations.includes(op) && (rule.operations?.includes(op) ?? true));

/**
 * Which audiences can exist for an entity, from its rules alone: readers of everything (an `authenticated` or
 * `role` rule reads), owners (an `owner` rule reads, or owners are hidden: each reader gets their own items
 * with the owner field). Publishing skips a group no caller could ever be in.
 *
 * @example
 * ```ts
 * audiencesOf({ operations: ['read', 'list'], access: [{ allow: 'owner' }] } as RuntimeEntity, false);
 * // { readers: false, owners: true }
 * ```
 */
export function audiencesOf(
  entity: Pick<RuntimeEntity, 'operations' | 'access' | 'ownerField'>,
  hidesOwners: boolean,
): { readonly readers: boolean; readonly owners: boolean } {
  const { rules } = accessOf(entity);
  const readable = rules.filter((r) => reads(entity, r));
  const readers = readable.some((r) => r.allow === 'authenticated' || r.allow === 'role');
  return { readers, owners: readable.some((r) => r.allow === 'owner') || (hidesOwners && readers) };
}

/**
 * The groups of one caller for one entity, in the epochs a token minted in `epoch` covers: none when they may
 * read nothing; the readers' group for `all` (and, where owners are hidden, their own group too: the readers'
 * copy leaves the owner field out, their own copy keeps it); their owner group for `own`.
 *
 * @example
 * ```ts
 * callerGroups(entity, { id: 'u1', roles: [] }, 'contoso', false, 981234);
 * // ['NoteApi.t….r.981234', 'NoteApi.t….r.981235']
 * ```
 */
export function callerGroups(
  entity: RuntimeEntity,
  caller: RuleCaller,
  tenant: string | undefined,
  hidesOwners: boolean,
  epoch: number,
): string[] {
  const access = readAccess(entity, caller);
  const scope = scopeOf(entity, tenant);
  if (access === 'none' || scope === undefined) return [];
  const out: string[] = [];
  for (const e of [epoch, epoch + 1]) {
    if (access === 'all') out.push(readersGroup(entity.componentId, scope, e));
    if (caller.id !== undefined && (access === 'own' || hidesOwners))
      out.push(ownerGroup(entity.componentId, scope, caller.id, e));
  }
  return out;
}

/**
 * One send of an item event: the group, whether its copy keeps the owner field, and the OData filter that keeps
 * the owner's own connections out of the readers' copy (they get theirs through their owner group).
 */
export interface Delivery {
  readonly group: string;
  readonly withOwner: boolean;
  readonly filter?: string;
}

/**
 * Where an event about one item goes in the current epoch: the readers' group (owner field left out where owners
 * are hidden, the owner's connections filtered out) and the owner's group. An item with no owner has no owner
 * audience.
 *
 * @example
 * ```ts
 * deliveriesOf(entity, 'contoso', 'u1', { readers: true, owners: true }, false, 981234);
 * // [{ group: 'NoteApi.t….r.981234', withOwner: true }, { group: 'NoteApi.t….o….981234', withOwner: true }]
 * ```
 */
export function deliveriesOf(
  entity: Pick<RuntimeEntity, 'componentId' | 'partitionKey' | 'tenancy'>,
  tenant: string | undefined,
  owner: string | undefined,
  audiences: { readonly readers: boolean; readonly owners: boolean },
  hidesOwners: boolean,
  epoch: number,
): Delivery[] {
  const scope = scopeOf(entity, tenant);
  if (scope === undefined) return [];
  const own = owner === undefined ? undefined : ownerGroup(entity.componentId, scope, owner, epoch);
  const out: Delivery[] = [];
  if (audiences.readers) {
    const group = readersGroup(entity.componentId, scope, epoch);
    out.push(
      hidesOwners
        ? // Learn, "OData filter syntax in Azure Web PubSub service": `not ('group1' in groups)`, spaced so.
          { group, withOwner: false, ...(own ? { filter: `not ('${own}' in groups)` } : {}) }
        : { group, withOwner: true },
    );
  }
  if (audiences.owners && own) out.push({ group: own, withOwner: true });
  return out;
}

/**
 * The group every connection of one tenant joins (its token lists it), to which nothing is ever sent: closing
 * its connections (`closeConnections` on the group) takes every socket of a suspended tenant off the hub at once,
 * shared entities' groups included. No epoch: a connection stays in it for as long as it is open.
 *
 * @example
 * ```ts
 * tenantGroup('t1').startsWith('atakora.t.'); // true
 * ```
 */
export function tenantGroup(tenant: string): string {
  const digest = createHash('sha256')
    .update(['tenant', tenant].join('\u0000'), 'utf8')
    .digest('hex')
    .slice(0, 32);
  return `atakora.t.${digest}`;
}
