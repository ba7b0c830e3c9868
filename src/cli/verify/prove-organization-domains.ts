// The verified domains' cells (DESIGN §2, "Organizations that enterprises can buy"): each column's request on a
// domain of its own organization's, and — when allowed — the same on the other organization's, which must be 404.
import type { Allowed } from './organization-requests.js';
import {
  allowed,
  checkCell,
  type Ctx,
  each,
  orgOf,
  type RowProof,
  slug,
} from './organization-requests.js';

/** An Owner of `org` adds `domain` (setup; the proof fails loudly when the stack refuses). */
async function addDomain(ctx: Ctx, org: string, domain: string): Promise<void> {
  const r = await ctx.proof.call(ctx.url, 'POST', 'api/tenant/domains', ctx.ownerOf(org), {
    domain,
  });
  if (r.status !== 201)
    throw new Error(`Adding ${domain} to ${org} on the proof stack answered ${String(r.status)}`);
}

/** An Owner of `org` removes `domain` (cleanup: an organization holds at most 20). */
async function removeDomain(ctx: Ctx, org: string, domain: string): Promise<void> {
  await ctx.proof.call(ctx.url, 'DELETE', `api/tenant/domains/${domain}`, ctx.ownerOf(org));
}

/**
 * `POST api/tenant/domains` by each column: allowed → 201 and there, refused → the status and not there.
 *
 * @example
 * ```ts
 * await domainCreate(ctx, row);
 * ```
 */
export const domainCreate: RowProof = (ctx, row) =>
  each(ctx.principals, async (who) => {
    const domain = `created-${slug(who.key)}.verify-proof.net`;
    await checkCell(
      ctx,
      row,
      who,
      'POST',
      'api/tenant/domains',
      { domain },
      [201],
      async (_r, cell) => {
        const r = await ctx.proof.call(
          ctx.url,
          'GET',
          `api/tenant/domains/${domain}`,
          ctx.ownerOf(orgOf(who)),
        );
        return (r.status === 200) === allowed(cell)
          ? undefined
          : `${domain} is ${r.status === 200 ? '' : 'not '}there`;
      },
    );
    await removeDomain(ctx, orgOf(who), domain);
  });

/**
 * A change of one of the organization's domains: allowed → `ok`, another organization's → 404 and unchanged.
 *
 * @example
 * ```ts
 * const proveDelete = domainChange('DELETE', '', [204]);
 * ```
 */
export function domainChange(
  method: 'PATCH' | 'POST' | 'DELETE',
  suffix: string,
  ok: Allowed,
  body?: unknown,
): RowProof {
  return async (ctx, row) => {
    const home = ctx.principals.find((p) => p.key === 'home.role.Owner');
    const otherOrg = ctx.principals.find((p) => p.key === 'other.owner')?.organization ?? '';
    const theirs = `${slug(row.operation)}.other.verify-proof.net`;
    await addDomain(ctx, otherOrg, theirs);
    await each(ctx.principals, async (who) => {
      // Each column its own domain of the home organization (a delete takes it away).
      const domain = `${slug(row.operation)}-${slug(who.key)}.home.verify-proof.net`;
      await addDomain(ctx, orgOf(home ?? who), domain);
      await checkCell(
        ctx,
        row,
        who,
        method,
        `api/tenant/domains/${domain}${suffix}`,
        body,
        ok,
        async (_r, cell) => {
          const still = await ctx.proof.call(
            ctx.url,
            'GET',
            `api/tenant/domains/${domain}`,
            ctx.ownerOf(orgOf(home ?? who)),
          );
          if (!allowed(cell))
            return still.status === 200 ? undefined : `the refused ${method} changed ${domain}`;
          if (method === 'DELETE' && still.status !== 404)
            return `${domain} still there after its delete`;
          // Allowed in its own organization: another organization's domain is not found, and stays.
          const cross = await ctx.proof.call(
            ctx.url,
            method,
            `api/tenant/domains/${theirs}${suffix}`,
            who,
            body,
          );
          const kept = await ctx.proof.call(
            ctx.url,
            'GET',
            `api/tenant/domains/${theirs}`,
            ctx.ownerOf(otherOrg),
          );
          return cross.status === 404 && kept.status === 200
            ? undefined
            : `another organization's ${theirs} answered ${String(cross.status)} (kept: ${String(kept.status)})`;
        },
      );
      // An organization holds a bounded number of domains: each column's goes once proven.
      await removeDomain(ctx, orgOf(home ?? who), domain);
    });
    await removeDomain(ctx, otherOrg, theirs);
  };
}
