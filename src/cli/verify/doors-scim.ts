// The SCIM routes' doors (DESIGN §2, "Organizations that enterprises can buy"; RFC 7644 as Microsoft Entra's
// provisioning service calls it) as rows of data: SCIM is its own principal. Each column's request on each route —
// the SCIM token's columns carry their token, the others their sign-in — a refused one changing nothing, an allowed
// one reaching its own organization's users and groups only (another organization's are 404 to it, and stay).
import type { MatrixPrincipal } from '../../access/matrix/types.js';
import { type Allowed, type AnyDoor, type Ctx, door, type Turn } from './door-engine.js';
import { otherOf, slug } from './door-reads.js';
import { issueScimToken, scimAs } from './scim-tokens.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Users or Groups: the path, the body of a new one named `name`, and what a PATCH answers. */
interface Kind {
  readonly path: 'Users' | 'Groups';
  readonly named: (name: string) => Record<string, unknown>;
  readonly patched: Allowed;
  /** A PUT's body keeping `name` and naming it `shown` (the attribute the proofs read back is `displayName`). */
  readonly replaced: (name: string, shown: string) => Record<string, unknown>;
}
const KINDS = {
  users: {
    path: 'Users',
    named: (name: string) => ({ userName: `${name}@verify.example` }),
    patched: [200],
    replaced: (name: string, shown: string) => ({
      userName: `${name}@verify.example`,
      displayName: shown,
    }),
  },
  groups: {
    path: 'Groups',
    named: (name: string) => ({ displayName: name }),
    patched: [204],
    replaced: (_name: string, shown: string) => ({ displayName: shown }),
  },
} as const satisfies Record<string, Kind>;

/**
 * What a SCIM row works on: the home token, another organization's token and one resource of it (what an allowed
 * column must not reach), and — for the rows on one resource — the home organization's `mine` named `name`.
 */
interface Fixture {
  readonly home: string;
  readonly other: string;
  readonly theirs: string;
  readonly name: string;
  readonly mine: string;
  done(): Promise<void>;
}

/** One resource of `kind` provisioned with `token`: its id. */
async function provision(ctx: Ctx, token: string, kind: Kind, name: string): Promise<string> {
  const r = await scimAs(ctx.proof, ctx.url, token, 'POST', kind.path, kind.named(name));
  const id = (r.body as { id?: unknown } | undefined)?.id;
  if (r.status !== 201 || typeof id !== 'string')
    throw new Error(`Provisioning ${name} on the proof stack answered ${String(r.status)}`);
  return id;
}

/** The resource as `token` reads it, undefined when it is 404 to it. */
async function readBack(
  ctx: Ctx,
  token: string,
  kind: Kind,
  id: string,
): Promise<Record<string, unknown> | undefined> {
  const r = await scimAs(ctx.proof, ctx.url, token, 'GET', `${kind.path}/${id}`);
  return r.status === 200 ? (r.body as Record<string, unknown>) : undefined;
}

const unprovision = (ctx: Ctx, token: string, kind: Kind, id: string) =>
  scimAs(ctx.proof, ctx.url, token, 'DELETE', `${kind.path}/${id}`);

/**
 * The other organization's token and one `kind` of it (what an allowed column must not reach): issued by its Owner
 * and provisioned once per proof, for every SCIM row of the kind (ctx.once), and undone after the last row.
 */
async function theirsOf(ctx: Ctx, kind: Kind): Promise<{ other: string; theirs: string }> {
  const owner = ctx.ownerOf(otherOf(ctx));
  const other = await ctx.once("scim: the other organization's token", async () => {
    const issued = await issueScimToken(ctx.proof, ctx.url, owner, 'verify other');
    return {
      value: issued,
      done: () => ctx.proof.call(ctx.url, 'DELETE', `api/tenant/scim-tokens/${issued.id}`, owner),
    };
  });
  const theirs = await ctx.once(`scim: the other organization's ${kind.path}`, async () => {
    const id = await provision(ctx, other.token, kind, `theirs-${kind.path.toLowerCase()}`);
    return { value: id, done: () => unprovision(ctx, other.token, kind, id) };
  });
  return { other: other.token, theirs };
}

/**
 * The row's fixture: the home token, the other organization's token and its `kind` (theirsOf); with `prefix`, the
 * home organization's `mine` as well (removed by `done`).
 */
function fixture(kind: Kind, prefix?: string) {
  return async (ctx: Ctx, row: { operation: string }): Promise<Fixture> => {
    const home = ctx.proof.scimTokens.valid;
    if (home === undefined || otherOf(ctx) === '')
      throw new Error('The proof stack holds no SCIM token of the home organization');
    const { other, theirs } = await theirsOf(ctx, kind);
    const name = `${prefix ?? ''}-${slug(row.operation)}`;
    const mine = prefix === undefined ? '' : await provision(ctx, home, kind, name);
    return {
      home,
      other,
      theirs,
      name,
      mine,
      done: async () => {
        if (mine !== '') await unprovision(ctx, home, kind, mine);
      },
    };
  };
}

/** The ids of the home organization's `kind` as `token` lists them; undefined when one page does not hold them all. */
async function listed(ctx: Ctx, token: string, kind: Kind): Promise<string[] | undefined> {
  const r = await scimAs(ctx.proof, ctx.url, token, 'GET', kind.path);
  const body = (r.body ?? {}) as { Resources?: { id?: unknown }[]; totalResults?: unknown };
  const ids = (body.Resources ?? []).map((x) => String(x.id));
  return r.status === 200 && body.totalResults === ids.length ? ids : undefined;
}

/** An allowed column's request on another organization's resource: 404, and the resource as it was. */
async function crossRefused(
  { ctx, who, fixture: f }: Turn<Fixture, unknown> & { who: MatrixPrincipal },
  kind: Kind,
  method: string,
  body?: unknown,
): Promise<string | undefined> {
  const before = await readBack(ctx, f.other, kind, f.theirs);
  const path = `api/scim/v2/${kind.path}/${f.theirs}`;
  const r = await ctx.proof.call(ctx.url, method, path, who, body);
  const after = await readBack(ctx, f.other, kind, f.theirs);
  if (r.status !== 404) return `another organization's ${kind.path} answered ${String(r.status)}`;
  return JSON.stringify(after) === JSON.stringify(before)
    ? undefined
    : `another organization's ${kind.path} changed`;
}

/** A rename of `mine`: PATCH (a PatchOp) or PUT (RFC 7644 §3.5.1, keeping its name); what the other's gets. */
function renaming(kind: Kind, method: 'PATCH' | 'PUT') {
  const body = (f: Fixture, shown: string) =>
    method === 'PUT'
      ? kind.replaced(f.name, shown)
      : { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'displayName', value: shown }] };
  return door<Fixture, string>({
    method,
    path: `api/scim/v2/${kind.path}/{id}`,
    ok: method === 'PUT' ? [200] : kind.patched,
    setUp: fixture(kind, method === 'PUT' ? 'replaced' : 'patched'),
    prepare: (_ctx, who) => `${method === 'PUT' ? 'replaced' : 'renamed'} by ${who.key}`,
    at: ({ fixture: f }) => `api/scim/v2/${kind.path}/${f.mine}`,
    body: ({ fixture: f, mine: shown }) => body(f, shown),
    async judge(t, _r, allowed) {
      if (!allowed) return undefined;
      const now = (await readBack(t.ctx, t.fixture.home, kind, t.fixture.mine))?.['displayName'];
      if (now !== t.mine) return `the displayName is ${String(now)}`;
      const theirs =
        method === 'PUT'
          ? kind.replaced(`theirs-${kind.path.toLowerCase()}`, 'x')
          : body(t.fixture, t.mine);
      return crossRefused(t, kind, method, theirs);
    },
    // A run of refused renames read back once: each column's name is its own, so one that took is named.
    async settle(ctx, f, turns) {
      const now = (await readBack(ctx, f.home, kind, f.mine))?.['displayName'];
      return turns.map((t) => (now === t.mine ? `the refused ${method} renamed it` : undefined));
    },
    tearDown: (_ctx, f) => f.done(),
  });
}

/** The doors of one kind's six routes. */
function kindDoors(name: string, kind: Kind): [string, AnyDoor][] {
  const path = `api/scim/v2/${kind.path}`;
  const one = `${path}/{id}`;
  const at = (id: string) => `${path}/${id}`;
  return [
    // Allowed → 200 with none of another organization's.
    [
      `scim:${name}:list`,
      door<Fixture>({
        method: 'GET',
        path,
        ok: [200],
        setUp: fixture(kind),
        judge: ({ fixture: f }, reply, allowed) => {
          const listed =
            (reply.body as { Resources?: { id?: unknown }[] } | undefined)?.Resources ?? [];
          return allowed && listed.some((r) => r.id === f.theirs)
            ? `lists another organization's ${kind.path}`
            : undefined;
        },
        tearDown: (_ctx, f) => f.done(),
      }),
    ],
    // Allowed → 201 and there (then removed), refused → none provisioned.
    [
      `scim:${name}:create`,
      door<undefined, string>({
        method: 'POST',
        path,
        ok: [201],
        prepare: (_ctx, who) => `made-by-${slug(who.key)}`,
        body: ({ mine }) => kind.named(mine),
        async judge({ ctx, mine }, reply, allowed) {
          const home = ctx.proof.scimTokens.valid ?? '';
          const id = (reply.body as { id?: unknown } | undefined)?.id;
          const made =
            typeof id === 'string' && (await readBack(ctx, home, kind, id)) !== undefined;
          if (made) await unprovision(ctx, home, kind, id);
          if (!allowed)
            return reply.status === 201 ? `the refused POST provisioned ${mine}` : undefined;
          return made ? undefined : `${mine} is not there after its 201`;
        },
      }),
    ],
    // Allowed → 200, and another organization's 404.
    [
      `scim:${name}:read`,
      door<Fixture>({
        method: 'GET',
        path: one,
        ok: [200],
        setUp: fixture(kind, 'read'),
        at: ({ fixture: f }) => at(f.mine),
        judge: (t, _r, allowed) => (allowed ? crossRefused(t, kind, 'GET') : undefined),
        tearDown: (_ctx, f) => f.done(),
      }),
    ],
    [`scim:${name}:replace`, renaming(kind, 'PUT')],
    [`scim:${name}:update`, renaming(kind, 'PATCH')],
    // A fresh one per column: allowed → gone, another's 404 and kept; refused → kept.
    [
      `scim:${name}:delete`,
      door<Fixture, string>({
        method: 'DELETE',
        path: one,
        ok: [204],
        setUp: fixture(kind),
        prepare: (ctx, who, f) => provision(ctx, f.home, kind, `deleted-by-${slug(who.key)}`),
        at: ({ mine }) => at(mine),
        async judge(t, _r, allowed) {
          if (!allowed) return undefined;
          const still = (await readBack(t.ctx, t.fixture.home, kind, t.mine)) !== undefined;
          if (still) await unprovision(t.ctx, t.fixture.home, kind, t.mine);
          return still ? 'still there after its DELETE' : crossRefused(t, kind, 'DELETE');
        },
        // A run of refused deletes read back by one list (each column's is its own), then removed.
        async settle(ctx, f, turns) {
          const ids = await listed(ctx, f.home, kind);
          const findings: (string | undefined)[] = [];
          for (const t of turns) {
            const still = ids
              ? ids.includes(t.mine)
              : (await readBack(ctx, f.home, kind, t.mine)) !== undefined;
            if (still) await unprovision(ctx, f.home, kind, t.mine);
            findings.push(still ? undefined : 'the refused DELETE removed it');
          }
          return findings;
        },
        tearDown: (_ctx, f) => f.done(),
      }),
    ],
  ];
}

/** A discovery endpoint: allowed → 200. */
const discovery = (path: string) => door({ method: 'GET', path: `api/scim/v2/${path}`, ok: [200] });

/**
 * The SCIM rows' doors, by operation (access/model/scim-routes.ts).
 *
 * @example
 * ```ts
 * await proveDoor(ctx, row, SCIM_DOORS['scim:users:update']!);
 * ```
 */
export const SCIM_DOORS: Readonly<Record<string, AnyDoor>> = {
  ...Object.fromEntries(Object.entries(KINDS).flatMap(([name, kind]) => kindDoors(name, kind))),
  'scim:service-provider-config': discovery('ServiceProviderConfig'),
  'scim:resource-types': discovery('ResourceTypes'),
  'scim:resource-type': discovery('ResourceTypes/User'),
  'scim:schemas': discovery('Schemas'),
  'scim:schema': discovery('Schemas/urn:ietf:params:scim:schemas:core:2.0:User'),
};
