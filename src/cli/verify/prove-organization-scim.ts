// The cells of the SCIM routes (DESIGN §2, "Organizations that enterprises can buy"; RFC 7644 as Microsoft Entra's
// provisioning service calls it): SCIM is its own principal. Each column's request on each route — the SCIM token's
// columns carry their token, the others their sign-in — a refused one changing nothing, an allowed one reaching its
// own organization's users and groups only (another organization's are 404 to it, and stay as they were).
import type { MatrixPrincipal } from '../../access/matrix/types.js';
import { devCallerHeaders } from './dev-stack.js';
import { type LoopbackReply, send } from './loopback-http.js';
import {
  type Allowed,
  allowed,
  checkCell,
  type Ctx,
  each,
  type RowProof,
  slug,
} from './organization-requests.js';
import type { Proof } from './proof-context.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** A request with `token` as the bearer and no sign-in: the proof's own reads and fixtures, not a column's. */
async function scimAs(
  proof: Proof,
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<LoopbackReply> {
  proof.report.requests += 1;
  return send(
    method,
    `${url}/api/scim/v2/${path}`,
    { ...devCallerHeaders('anonymous'), authorization: `Bearer ${token}` },
    body,
  );
}

/** An Owner issues a SCIM token of `org` on the proof's stack: its id and secret. */
async function issue(
  proof: Proof,
  url: string,
  owner: MatrixPrincipal,
  name: string,
): Promise<{ id: string; token: string }> {
  const r = await proof.call(url, 'POST', 'api/tenant/scim-tokens', owner, { name });
  const body = r.body as { id?: unknown; token?: unknown } | undefined;
  if (r.status !== 201 || typeof body?.id !== 'string' || typeof body.token !== 'string')
    throw new Error(`Issuing a SCIM token on the proof stack answered ${String(r.status)}`);
  return { id: body.id, token: body.token };
}

/**
 * The SCIM columns' tokens, before any proof sends a request: the home organization's Owner issues two, revokes the
 * second; `proof.call` sends them as the `scim` and `scim.revoked` columns' bearer.
 *
 * @example
 * ```ts
 * await issueScimTokens(proof, url, matrix.principals);
 * ```
 */
export async function issueScimTokens(
  proof: Proof,
  url: string,
  principals: readonly MatrixPrincipal[],
): Promise<void> {
  const owner = principals.find((p) => p.key === 'home.role.Owner');
  if (!owner || !principals.some((p) => p.scim !== undefined)) return;
  proof.scimTokens.valid = (await issue(proof, url, owner, 'verify scim')).token;
  const revoked = await issue(proof, url, owner, 'verify scim revoked');
  const r = await proof.call(url, 'DELETE', `api/tenant/scim-tokens/${revoked.id}`, owner);
  if (r.status !== 204)
    throw new Error(`Revoking a SCIM token on the proof stack answered ${String(r.status)}`);
  proof.scimTokens.revoked = revoked.token;
}

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

/** What a SCIM proof works on: the home token, another organization's token and one resource of each. */
interface Fixture {
  readonly home: string;
  readonly other: string;
  readonly theirs: string;
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

/**
 * The home organization's token, and another organization's (its Owner issues one: revoked when the row is done)
 * with one `kind` provisioned by it: what an allowed column must not reach.
 */
async function fixture(
  ctx: Ctx,
  kind: Kind,
  row: string,
): Promise<Fixture & { done(): Promise<void> }> {
  const home = ctx.proof.scimTokens.valid;
  const otherOrg = ctx.principals.find((p) => p.key === 'other.owner')?.organization;
  if (home === undefined || otherOrg === undefined)
    throw new Error('The proof stack holds no SCIM token of the home organization');
  const owner = ctx.ownerOf(otherOrg);
  const other = await issue(ctx.proof, ctx.url, owner, `verify ${row}`);
  const theirs = await provision(ctx, other.token, kind, `theirs-${slug(row)}`);
  return {
    home,
    other: other.token,
    theirs,
    done: async () => {
      await scimAs(ctx.proof, ctx.url, other.token, 'DELETE', `${kind.path}/${theirs}`);
      await ctx.proof.call(ctx.url, 'DELETE', `api/tenant/scim-tokens/${other.id}`, owner);
    },
  };
}

/** An allowed column's request on another organization's resource: 404, and the resource as it was. */
async function crossRefused(
  ctx: Ctx,
  who: MatrixPrincipal,
  f: Fixture,
  kind: Kind,
  method: string,
  body?: unknown,
): Promise<string | undefined> {
  const before = await readBack(ctx, f.other, kind, f.theirs);
  const r = await ctx.proof.call(
    ctx.url,
    method,
    `api/scim/v2/${kind.path}/${f.theirs}`,
    who,
    body,
  );
  const after = await readBack(ctx, f.other, kind, f.theirs);
  if (r.status !== 404) return `another organization's ${kind.path} answered ${String(r.status)}`;
  return JSON.stringify(after) === JSON.stringify(before)
    ? undefined
    : `another organization's ${kind.path} changed`;
}

/** `GET Users|Groups`: allowed → 200 with none of another organization's. */
const list =
  (kind: Kind): RowProof =>
  async (ctx, row) => {
    const f = await fixture(ctx, kind, row.operation);
    await each(ctx.principals, async (who) => {
      await checkCell(
        ctx,
        row,
        who,
        'GET',
        `api/scim/v2/${kind.path}`,
        undefined,
        [200],
        (reply, cell) => {
          const ids = (
            (reply.body as { Resources?: { id?: unknown }[] } | undefined)?.Resources ?? []
          ).map((r) => r.id);
          return Promise.resolve(
            allowed(cell) && ids.includes(f.theirs)
              ? `lists another organization's ${kind.path}`
              : undefined,
          );
        },
      );
    });
    await f.done();
  };

/** `POST Users|Groups`: allowed → 201 and there (then removed), refused → none provisioned. */
const create =
  (kind: Kind): RowProof =>
  (ctx, row) =>
    each(ctx.principals, async (who) => {
      const home = ctx.proof.scimTokens.valid ?? '';
      const name = `made-by-${slug(who.key)}`;
      await checkCell(
        ctx,
        row,
        who,
        'POST',
        `api/scim/v2/${kind.path}`,
        kind.named(name),
        [201],
        async (reply, cell) => {
          const id = (reply.body as { id?: unknown } | undefined)?.id;
          const made =
            typeof id === 'string' && (await readBack(ctx, home, kind, id)) !== undefined;
          if (made) await scimAs(ctx.proof, ctx.url, home, 'DELETE', `${kind.path}/${id}`);
          if (!allowed(cell))
            return reply.status === 201 ? `the refused POST provisioned ${name}` : undefined;
          return made ? undefined : `${name} is not there after its 201`;
        },
      );
    });

/** `GET Users|Groups/{id}`: allowed → 200, and another organization's 404. */
const read =
  (kind: Kind): RowProof =>
  async (ctx, row) => {
    const f = await fixture(ctx, kind, row.operation);
    const mine = await provision(ctx, f.home, kind, `read-${slug(row.operation)}`);
    await each(ctx.principals, async (who) => {
      await checkCell(
        ctx,
        row,
        who,
        'GET',
        `api/scim/v2/${kind.path}/${mine}`,
        undefined,
        [200],
        (_r, cell) =>
          allowed(cell) ? crossRefused(ctx, who, f, kind, 'GET') : Promise.resolve(undefined),
      );
    });
    await scimAs(ctx.proof, ctx.url, f.home, 'DELETE', `${kind.path}/${mine}`);
    await f.done();
  };

/** `PATCH Users|Groups/{id}` (a PatchOp renaming it): allowed → renamed, another's 404 and kept; refused → kept. */
const update =
  (kind: Kind): RowProof =>
  async (ctx, row) => {
    const f = await fixture(ctx, kind, row.operation);
    const mine = await provision(ctx, f.home, kind, `patched-${slug(row.operation)}`);
    await each(ctx.principals, async (who) => {
      const displayName = `renamed by ${who.key}`;
      const body = {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Replace', path: 'displayName', value: displayName }],
      };
      await checkCell(
        ctx,
        row,
        who,
        'PATCH',
        `api/scim/v2/${kind.path}/${mine}`,
        body,
        kind.patched,
        async (_r, cell) => {
          const now = (await readBack(ctx, f.home, kind, mine))?.['displayName'];
          if (!allowed(cell))
            return now === displayName ? `the refused PATCH renamed it` : undefined;
          if (now !== displayName) return `the displayName is ${String(now)}`;
          return crossRefused(ctx, who, f, kind, 'PATCH', body);
        },
      );
    });
    await scimAs(ctx.proof, ctx.url, f.home, 'DELETE', `${kind.path}/${mine}`);
    await f.done();
  };

/** `DELETE Users|Groups/{id}` of a fresh one per column: allowed → gone, another's 404 and kept; refused → kept. */
const remove =
  (kind: Kind): RowProof =>
  async (ctx, row) => {
    const f = await fixture(ctx, kind, row.operation);
    await each(ctx.principals, async (who) => {
      const mine = await provision(ctx, f.home, kind, `deleted-by-${slug(who.key)}`);
      await checkCell(
        ctx,
        row,
        who,
        'DELETE',
        `api/scim/v2/${kind.path}/${mine}`,
        undefined,
        [204],
        async (_r, cell) => {
          const still = (await readBack(ctx, f.home, kind, mine)) !== undefined;
          if (still) await scimAs(ctx.proof, ctx.url, f.home, 'DELETE', `${kind.path}/${mine}`);
          if (!allowed(cell)) return still ? undefined : 'the refused DELETE removed it';
          return still ? 'still there after its DELETE' : crossRefused(ctx, who, f, kind, 'DELETE');
        },
      );
    });
    await f.done();
  };

/** `PUT Users|Groups/{id}` renaming it (RFC 7644 §3.5.1): allowed → replaced, another's 404 and kept; refused → kept. */
const replace =
  (kind: Kind): RowProof =>
  async (ctx, row) => {
    const f = await fixture(ctx, kind, row.operation);
    const name = `replaced-${slug(row.operation)}`;
    const mine = await provision(ctx, f.home, kind, name);
    await each(ctx.principals, async (who) => {
      const body = kind.replaced(name, `replaced by ${who.key}`);
      await checkCell(
        ctx,
        row,
        who,
        'PUT',
        `api/scim/v2/${kind.path}/${mine}`,
        body,
        [200],
        async (_r, cell) => {
          const now = (await readBack(ctx, f.home, kind, mine))?.['displayName'];
          const shown = body['displayName'];
          if (!allowed(cell)) return now === shown ? 'the refused PUT replaced it' : undefined;
          if (now !== shown) return `the displayName is ${String(now)}`;
          return crossRefused(
            ctx,
            who,
            f,
            kind,
            'PUT',
            kind.replaced(`theirs-${slug(row.operation)}`, 'x'),
          );
        },
      );
    });
    await scimAs(ctx.proof, ctx.url, f.home, 'DELETE', `${kind.path}/${mine}`);
    await f.done();
  };

/** A discovery endpoint: allowed → 200. */
const discovery =
  (path: string): RowProof =>
  (ctx, row) =>
    each(ctx.principals, async (who) => {
      await checkCell(ctx, row, who, 'GET', `api/scim/v2/${path}`, undefined, [200]);
    });

/**
 * The SCIM rows' proofs, by operation (access/model/scim-routes.ts).
 *
 * @example
 * ```ts
 * await SCIM_PROOFS['scim:users:update']?.(ctx, row);
 * ```
 */
export const SCIM_PROOFS: Readonly<Record<string, RowProof>> = {
  ...Object.fromEntries(
    Object.entries(KINDS).flatMap(([name, kind]) => [
      [`scim:${name}:list`, list(kind)],
      [`scim:${name}:create`, create(kind)],
      [`scim:${name}:read`, read(kind)],
      [`scim:${name}:replace`, replace(kind)],
      [`scim:${name}:update`, update(kind)],
      [`scim:${name}:delete`, remove(kind)],
    ]),
  ),
  'scim:service-provider-config': discovery('ServiceProviderConfig'),
  'scim:resource-types': discovery('ResourceTypes'),
  'scim:resource-type': discovery('ResourceTypes/User'),
  'scim:schemas': discovery('Schemas'),
  'scim:schema': discovery('Schemas/urn:ietf:params:scim:schemas:core:2.0:User'),
};
