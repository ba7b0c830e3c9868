// The shapes of an organization's verified domains (DESIGN §2, "Organizations that enterprises can buy") as the API
// answers and takes them. Types only, so the typed client re-exports them whole and contract/domains/domains.ts keeps their
// rules.

/**
 * Who may join an organization through one of its verified domains: nobody (`off`), by a request an Owner or an
 * Admin answers (`request`), or at once (`auto`).
 *
 * @example
 * ```ts
 * const join: DomainJoin = 'request';
 * ```
 */
export type DomainJoin = 'off' | 'request' | 'auto';

/**
 * Where a domain's proof stands: `pending` (added, its TXT record not seen yet), `verified` (seen; the domain is this
 * organization's alone), `unverified` (the record was gone for 3 days at the daily re-check: joins stop, the domain
 * is free for whoever proves it next).
 *
 * @example
 * ```ts
 * const status: DomainStatus = 'verified';
 * ```
 */
export type DomainStatus = 'pending' | 'verified' | 'unverified';

/**
 * One of an organization's domains as `GET api/tenant/domains` lists it: the TXT record that proves it (`name` and
 * `value` to publish at the domain's DNS host), its status and who may join through it.
 *
 * @example
 * ```ts
 * const d: OrganizationDomain = {
 *   domain: 'contoso.com', status: 'pending', join: 'off', role: 'Member', createdOn: '2026-01-01T00:00:00.000Z',
 *   txt: { name: '_atakora.contoso.com', value: 'atakora-verify=k3x9qa7b2c…' },
 * };
 * ```
 */
export interface OrganizationDomain {
  readonly domain: string;
  readonly status: DomainStatus;
  readonly txt: { readonly name: string; readonly value: string };
  readonly join: DomainJoin;
  /** The role a user joining through the domain gets. */
  readonly role: string;
  readonly createdOn: string;
  readonly verifiedOn?: string;
  /** When the record was last seen (at verification, then at each daily re-check). */
  readonly checkedOn?: string;
  /** Since when the daily re-check has not found the record (cleared when it is seen again). */
  readonly missingSince?: string;
}
