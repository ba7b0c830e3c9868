// What the organization doors (doors-*.ts) read and set up on the proof's stack, each as an Owner of the
// organization would: the organizations a column's request concerns, an organization's record, an invitation.
import type { MatrixPrincipal } from '../../access/matrix/types.js';
import { PROBLEM_PREFIX } from '../../contract/problems.js';
import type { Ctx } from './door-engine.js';
import type { LoopbackReply } from './loopback-http.js';

/** The organization a column acts in (the stranger: the one it names). */
export const orgOf = (p: MatrixPrincipal): string => p.organization ?? '';

/**
 * The organization a column's request concerns: the one it names, else (anonymous) the home Owner's of `list`.
 *
 * @example
 * ```ts
 * concerned(ctx.principals, anonymous); // 'verify-org-home'
 * ```
 */
export const concerned = (list: readonly MatrixPrincipal[], who: MatrixPrincipal): string =>
  who.organization ?? orgOf(list.find((p) => p.key === 'home.role.Owner') ?? who);

/** The home organization (its Owner column's). */
export const homeOf = (ctx: Ctx): string =>
  orgOf(ctx.principals.find((p) => p.key === 'home.role.Owner') ?? ctx.principals[0]!);

/** The other organization (its Owner column's). */
export const otherOf = (ctx: Ctx): string =>
  ctx.principals.find((p) => p.key === 'other.owner')?.organization ?? '';

/**
 * A column's name as a domain label or an e-mail's local part.
 *
 * @example
 * ```ts
 * slug('home.role.Owner'); // 'home-role-owner'
 * ```
 */
export function slug(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/**
 * The items of a list answer (`{ items }`), none when it is not one.
 *
 * @example
 * ```ts
 * itemsOf({ status: 200, body: { items: [{ id: 'a' }] } }); // [{ id: 'a' }]
 * ```
 */
export function itemsOf(reply: LoopbackReply): Record<string, unknown>[] {
  const items = (reply.body as { items?: unknown } | undefined)?.items;
  return Array.isArray(items) ? (items as Record<string, unknown>[]) : [];
}

/**
 * The problem code of a refusal (`access-denied`, `not-found`, …), undefined for any other answer.
 *
 * @example
 * ```ts
 * codeOf({ status: 403, body: { type: 'urn:atakora:problem:access-denied' } }); // 'access-denied'
 * ```
 */
export const codeOf = (reply: LoopbackReply): string | undefined => {
  const type = (reply.body as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' && type.startsWith(PROBLEM_PREFIX)
    ? type.slice(PROBLEM_PREFIX.length)
    : undefined;
};

/** Every listed item that names an organization names the caller's. */
export const onlyOwn = (reply: LoopbackReply, who: MatrixPrincipal): boolean =>
  itemsOf(reply).every((i) => i['tenant'] === undefined || i['tenant'] === orgOf(who));

/** A request as an Owner of `org` (setup, cleanup and read-backs: never a column's own). */
export const asOwner = (ctx: Ctx, org: string, method: string, path: string, body?: unknown) =>
  ctx.proof.call(ctx.url, method, path, ctx.ownerOf(org), body);

/**
 * The organization's record as an Owner of it sees it in `GET api/me/tenants` (name and status, a deleted one
 * included): what a request must not have changed.
 */
export async function recordOf(
  ctx: Ctx,
  org: string,
): Promise<{ readonly name?: string; readonly status?: string } | undefined> {
  return itemsOf(await asOwner(ctx, org, 'GET', 'api/me/tenants')).find((i) => i['id'] === org);
}

/** An Owner of `org` invites `email` with `roles`: the invitation's id and its token (from `acceptUrl`). */
export async function invite(
  ctx: Ctx,
  org: string,
  email: string,
  roles: readonly string[] = [],
): Promise<{ id: string; token: string }> {
  const r = await asOwner(ctx, org, 'POST', 'api/tenant/invitations', { email, roles });
  const body = r.body as { id?: string; acceptUrl?: string } | undefined;
  if (r.status !== 201 || body?.id === undefined)
    throw new Error(`Inviting ${email} to ${org} on the proof stack answered ${String(r.status)}`);
  const token = body.acceptUrl
    ? (new URL(body.acceptUrl).searchParams.get('invitation') ?? '')
    : '';
  return { id: body.id, token };
}

/** Whether a request as an Owner of `org` answers 200 (a domain, a directory link: still there). */
export const found = async (ctx: Ctx, org: string, path: string): Promise<boolean> =>
  (await asOwner(ctx, org, 'GET', path)).status === 200;

/** The domains of `org` as its Owner lists them. */
export const domainsOf = async (ctx: Ctx, org: string): Promise<unknown[]> =>
  itemsOf(await asOwner(ctx, org, 'GET', 'api/tenant/domains')).map((d) => d['domain']);
