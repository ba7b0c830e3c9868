// Joins by verified domain (DESIGN §2, "Organizations that enterprises can buy"): the routes, function names and
// shapes of `GET api/me/joinable`, `POST api/tenants/{id}/join` and an organization's join requests. Types and
// constants only, so the typed client takes them without the runtime.
import type { DomainJoin } from '../domains/domain-shapes.js';

/**
 * The routes of joins by verified domain (under `api/`), registered where `tenants.by` is `'membership'`.
 *
 * @example
 * ```ts
 * `${host}/api/${JOIN_ROUTES.joinable}`; // GET: the organizations the caller may join
 * ```
 */
export const JOIN_ROUTES = Object.freeze({
  joinable: 'me/joinable',
  join: 'tenants/{id}/join',
  requests: 'tenant/join-requests',
  approve: 'tenant/join-requests/{id}/approve',
  decline: 'tenant/join-requests/{id}/decline',
});

/** The function names of the join routes. */
export const JOIN_FUNCTIONS = Object.freeze({
  joinable: 'membership-me-joinable',
  join: 'membership-tenant-join',
  requests: 'membership-join-requests',
  approve: 'membership-join-request-approve',
  decline: 'membership-join-request-decline',
});

/**
 * An organization the caller may join through its verified domain, as `GET api/me/joinable` lists it: `join` says
 * how (`auto`: at once; `request`: an Owner or an Admin answers), `role` what the caller becomes, `pending` that
 * the caller's request waits for an answer.
 *
 * @example
 * ```ts
 * const j: JoinableOrganization = { id: 'acme-k3x9qa', name: 'Acme', domain: 'contoso.com', join: 'request', role: 'Member', pending: false };
 * ```
 */
export interface JoinableOrganization {
  readonly id: string;
  readonly name?: string;
  /** The verified domain the caller's verified e-mail is on. */
  readonly domain: string;
  readonly join: Exclude<DomainJoin, 'off'>;
  readonly role: string;
  /** The caller asked to join (`join: 'request'`) and nobody answered yet. */
  readonly pending: boolean;
}

/**
 * A pending request to join an organization, as its Owners and Admins list it (`GET api/tenant/join-requests`);
 * its `id` is the requester's user id (one request per user and organization).
 *
 * @example
 * ```ts
 * const r: JoinRequest = { id: 'u-9', userId: 'u-9', email: 'kim@contoso.com', domain: 'contoso.com', requestedOn: '2026-01-01T00:00:00.000Z' };
 * ```
 */
export interface JoinRequest {
  readonly id: string;
  readonly userId: string;
  /** The requester's verified e-mail when they asked. */
  readonly email: string;
  readonly domain: string;
  readonly requestedOn: string;
}

/**
 * The domain part of a verified e-mail, lower case — the only domain a join is matched on (exact: `kim@eu.contoso.com`
 * is on `eu.contoso.com`, never on `contoso.com`; a subdomain is a domain of its own to verify).
 *
 * @example
 * ```ts
 * emailDomainOf('Kim@Contoso.com'); // 'contoso.com'
 * ```
 */
export function emailDomainOf(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  const domain = at > 0 ? email.slice(at + 1).toLowerCase() : '';
  return domain === '' ? undefined : domain;
}
