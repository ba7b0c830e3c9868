// The verified domains' and the directory's doors (DESIGN §2, "Organizations that enterprises can buy") as rows of
// data: each column's request on a domain of its own organization's — when allowed, the same on the other
// organization's, which must be 404 and stay; the directory's requests that pass the gate answered by the route's
// own checks, so no column links anyone's directory.
import type { MatrixPrincipal, MatrixRow } from '../../access/matrix/types.js';
import {
  type Allowed,
  type AnyDoor,
  type Ctx,
  allowedIn,
  byOrganization,
  door,
} from './door-engine.js';
import {
  asOwner,
  codeOf,
  concerned,
  domainsOf,
  found,
  homeOf,
  orgOf,
  otherOf,
  slug,
} from './door-reads.js';

const domainPath = (domain: string) => `api/tenant/domains/${domain}`;

/** An Owner of `org` adds `domain` (setup; the proof fails loudly when the stack refuses). */
async function addDomain(ctx: Ctx, org: string, domain: string): Promise<void> {
  const r = await asOwner(ctx, org, 'POST', 'api/tenant/domains', { domain });
  if (r.status !== 201)
    throw new Error(`Adding ${domain} to ${org} on the proof stack answered ${String(r.status)}`);
}

/** An Owner of `org` removes `domain` (cleanup: an organization holds at most 20). */
const removeDomain = (ctx: Ctx, org: string, domain: string) =>
  asOwner(ctx, org, 'DELETE', domainPath(domain));

interface Change {
  readonly home: string;
  readonly other: string;
  /** The row's operation as a domain label. */
  readonly label: string;
  /** The other organization's domain: what an allowed caller must not reach. */
  readonly theirs: string;
  readonly row: MatrixRow;
}

/**
 * Up to how many columns a refused column's domain is shared by the change rows (each is kept in the home
 * organization from its first change row to the proof's end, and an organization holds at most 20).
 */
const SHARED_UP_TO = 12;

/**
 * `what`, added to `org` by its Owner once per proof (the first change row that asks) and removed after the last row:
 * the other organization's domain every change row's allowed columns must not reach, and each refused column's own —
 * a refused change leaves it as it was (the run's read-back says so), so the next row finds it as it was added.
 */
const addedOnce = (ctx: Ctx, org: string, what: string): Promise<string> =>
  ctx.once(`domain ${what} of ${org}`, async () => {
    await addDomain(ctx, org, what);
    return { value: what, done: () => removeDomain(ctx, org, what) };
  });

/**
 * A change of one of the home organization's domains (each column its own: a delete takes it away): allowed → `ok`,
 * another organization's → 404 and unchanged; refused → unchanged.
 */
function domainChange(
  method: 'PATCH' | 'POST' | 'DELETE',
  suffix: string,
  ok: Allowed,
  body?: unknown,
): AnyDoor {
  const shares = (ctx: Ctx, row: MatrixRow, who: MatrixPrincipal) =>
    !allowedIn(row, who) && ctx.principals.length <= SHARED_UP_TO;
  return door<Change, string>({
    method,
    path: `api/tenant/domains/{domain}${suffix}`,
    ok,
    async setUp(ctx, row) {
      const other = otherOf(ctx);
      return {
        home: homeOf(ctx),
        other,
        label: slug(row.operation),
        theirs: await addedOnce(ctx, other, 'changed.other.verify-proof.net'),
        row,
      };
    },
    async prepare(ctx, who, { home, label, row }) {
      if (shares(ctx, row, who))
        return addedOnce(ctx, home, `kept-${slug(who.key)}.home.verify-proof.net`);
      const domain = `${label}-${slug(who.key)}.home.verify-proof.net`;
      await addDomain(ctx, home, domain);
      return domain;
    },
    at: ({ mine }) => `${domainPath(mine)}${suffix}`,
    body: () => body,
    async judge({ ctx, who, fixture: f, mine }, _r, allowed) {
      if (!allowed) return undefined;
      const still = (await asOwner(ctx, f.home, 'GET', domainPath(mine))).status;
      if (method === 'DELETE' && still !== 404) return `${mine} still there after its delete`;
      // Allowed in its own organization: another organization's domain is not found, and stays.
      const cross = await ctx.proof.call(
        ctx.url,
        method,
        `${domainPath(f.theirs)}${suffix}`,
        who,
        body,
      );
      const kept = await asOwner(ctx, f.other, 'GET', domainPath(f.theirs));
      return cross.status === 404 && kept.status === 200
        ? undefined
        : `another organization's ${f.theirs} answered ${String(cross.status)} (kept: ${String(kept.status)})`;
    },
    // A run of refused changes read back at once: each column's own domain is still there (at most 10 wait when
    // their domains are the row's own: an organization holds 20).
    run: 10,
    settle: async (ctx, f, turns) => {
      const listed = await domainsOf(ctx, f.home);
      return turns.map(({ mine }) =>
        listed.includes(mine) ? undefined : `the refused ${method} changed ${mine}`,
      );
    },
    // An organization holds a bounded number of domains: an allowed column's goes once proven (a delete's is gone).
    tidy: ({ ctx, row, who, fixture, mine }) =>
      shares(ctx, row, who) || (method === 'DELETE' && allowedIn(row, who))
        ? Promise.resolve()
        : removeDomain(ctx, fixture.home, mine),
  });
}

/**
 * The domains' and the directory's doors by operation.
 *
 * @example
 * ```ts
 * await proveDoor(ctx, row, DOMAIN_DOORS['domains:create']!);
 * ```
 */
export const DOMAIN_DOORS: Readonly<Record<string, AnyDoor>> = {
  'domains:create': door<undefined, string>({
    method: 'POST',
    path: 'api/tenant/domains',
    ok: [201],
    prepare: (_ctx, who) => `created-${slug(who.key)}.verify-proof.net`,
    body: ({ mine: domain }) => ({ domain }),
    async judge({ ctx, who, mine: domain }, _r, allowed) {
      if (!allowed) return undefined;
      return (await found(ctx, orgOf(who), domainPath(domain)))
        ? undefined
        : `${domain} is not there`;
    },
    // A run of refused ones read back once per organization (each column names a domain of its own).
    settle: (ctx, _f, turns) =>
      byOrganization(
        turns,
        (t) => orgOf(t.who),
        (org) => domainsOf(ctx, org),
        (t, listed) => (listed.includes(t.mine) ? `${t.mine} is there` : undefined),
      ),
    tidy: ({ ctx, row, who, mine }) =>
      allowedIn(row, who) ? removeDomain(ctx, orgOf(who), mine) : Promise.resolve(),
  }),
  // Whether the TXT record resolves is DNS, not access: an allowed verify passes the gate.
  'domains:verify': domainChange('POST', '/verify', 'gate'),
  'domains:update': domainChange('PATCH', '', [200], { join: 'off' }),
  'domains:delete': domainChange('DELETE', '', [204]),
  // Past the gate (an Owner or an Admin), the organization's link or 404 `not-found` (it links none).
  'directory:read': door({
    method: 'GET',
    path: 'api/tenant/directory',
    ok: [200, 404],
    judge: (_t, r, allowed) =>
      allowed && r.status === 404 && codeOf(r) !== 'not-found'
        ? `refused by ${String(codeOf(r))}`
        : undefined,
  }),
  // A link that names no directory: past the gate (an Owner) the body's own check answers 400 `validation`, so
  // nothing is linked (which directory an Owner may link — only their own sign-in's — is the directory's own tests).
  'directory:link': door({
    method: 'PUT',
    path: 'api/tenant/directory',
    ok: [400],
    body: () => ({ requireDirectory: false }),
    async judge({ ctx, who }, r, allowed) {
      if (allowed && codeOf(r) !== 'validation') return `refused by ${String(codeOf(r))}`;
      const org = concerned(ctx.principals, who);
      const linked = await asOwner(ctx, org, 'GET', 'api/tenant/directory');
      return linked.status === 404
        ? undefined
        : `${org} links a directory now (${String(linked.status)})`;
    },
  }),
  // An unlink changes an organization's sign-in: by each column's twin in a throwaway organization.
  'directory:unlink': door({
    method: 'DELETE',
    path: 'api/tenant/directory',
    ok: [204],
    by: 'twins',
  }),
};
