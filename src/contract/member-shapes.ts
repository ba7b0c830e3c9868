// The shapes of tenants by membership (DESIGN §2) as the API answers and takes them: the membership, the
// caller's organizations, invitations and the bodies that make them. Types only, so the typed client re-exports
// them whole (entry/client.ts) and contract/members.ts keeps their rules.

import type { MembershipDoor } from '../model/lives/membership-life.js';

/**
 * A membership: an item of the shared `members` container (`/tenant` the partition key), id `<tenant>|<userId>`.
 *
 * @example
 * ```ts
 * const m: Membership = {
 *   id: 'acme-k3x9qa|u-1', tenant: 'acme-k3x9qa', userId: 'u-1', email: 'ada@example.com',
 *   roles: ['Owner'], addedOn: '2026-01-01T00:00:00.000Z',
 * };
 * ```
 */
export interface Membership {
  readonly id: string;
  readonly tenant: string;
  /** The member's identity: the token's `oid` (else `sub`). */
  readonly userId: string;
  /** The verified email the member joined with (an invitation's), when known. */
  readonly email?: string;
  readonly roles: readonly string[];
  readonly addedOn: string;
  /**
   * The door that admitted the member (model/lives/membership-life.ts): `created` (the organization's creator:
   * `POST api/tenants`'s, or the Marketplace buyer's), `invitation`, `domain` (a verified domain's auto-join),
   * `join-request`, `directory` (a linked directory's first request) or `scim`; absent on memberships written before
   * it was kept — a Marketplace buyer's included, before 2026-11-28 — and read then as `invitation` (not migrated).
   */
  readonly via?: MembershipDoor;
}

/**
 * One of the caller's organizations as `GET api/me/tenants` lists it: the organization's record and the caller's
 * roles in it.
 *
 * @example
 * ```ts
 * const mine: MyTenant = { id: 'acme-k3x9qa', name: 'Acme', plan: 'free', status: 'active', roles: ['Owner'] };
 * ```
 */
export interface MyTenant {
  readonly id: string;
  readonly name?: string;
  readonly plan: string;
  readonly status: 'active' | 'suspended';
  /** When an Owner deleted it (`DELETE api/tenant`): the day it may be erased; `POST api/tenant/undelete` before. */
  readonly deleteOn?: string;
  readonly roles: readonly string[];
}

/**
 * One page of `GET api/me/tenants` (`client.me.tenants()`): the caller's organizations and the token of the next
 * page (`null` on the last; pass it back as `after`).
 *
 * @example
 * ```ts
 * const page: MyTenantPage = { items: [{ id: 'acme-k3x9qa', plan: 'free', status: 'active', roles: ['Owner'] }], continuationToken: null };
 * ```
 */
export interface MyTenantPage {
  readonly items: MyTenant[];
  readonly continuationToken: string | null;
}

/**
 * An open invitation as `GET api/tenant/invitations` lists it (never its token).
 *
 * @example
 * ```ts
 * const i: Invitation = {
 *   id: 'k3x9qa7b2c', email: 'bob@example.com', roles: ['Member'], invitedBy: 'u-1',
 *   createdOn: '2026-01-01T00:00:00.000Z', expiresOn: '2026-01-08T00:00:00.000Z',
 * };
 * ```
 */
export interface Invitation {
  readonly id: string;
  readonly email: string;
  readonly roles: readonly string[];
  readonly invitedBy: string;
  readonly createdOn: string;
  readonly expiresOn: string;
  /** With `tenants.email`: how the last invitation e-mail went (absent when the backend sends none). */
  readonly delivery?: InvitationDelivery;
}

/**
 * How an invitation's e-mail went (`tenants.email`): `sent` once the mail service accepted it; `queued` when Azure's
 * sending limits refused it for now (ACS answered 429): it is sent again, with the same operation id, at `retryAt`
 * (ACS's `Retry-After`), then `sent` or `failed`; `failed` with what went wrong (the invitation stays open:
 * `POST api/tenant/invitations/{id}/resend` tries again with a new token).
 *
 * @example
 * ```ts
 * const d: InvitationDelivery = { status: 'queued', at: '2026-01-01T00:00:00.000Z', retryAt: '2026-01-01T00:01:00.000Z' };
 * ```
 */
export interface InvitationDelivery {
  readonly status: 'sent' | 'queued' | 'failed';
  readonly at: string;
  readonly error?: string;
  /** When `queued`: when it is sent again (the time ACS's `Retry-After` named). */
  readonly retryAt?: string;
}

/**
 * `POST api/tenant/invitations`'s answer: the invitation and its `acceptUrl`, which carries the single-use token
 * (`?invitation=<token>` on the landing page) — shown this once, stored only as its SHA-256.
 *
 * @example
 * <!-- snippet: no-run (calls a deployed API) -->
 * ```ts
 * const created = await client.invitations.create({ email: 'bob@example.com', roles: ['Member'] });
 * const token = new URL(created.acceptUrl).searchParams.get('invitation');
 * ```
 */
export interface CreatedInvitation extends Invitation {
  readonly acceptUrl: string;
}

/**
 * `GET api/invitations/preview?invitation=<token>`'s answer (no sign-in): what a landing page shows before the
 * invitee signs in — who invites them to which organization with which roles, until when, and a hint of the invited
 * address (its first character and its domain).
 *
 * @example
 * ```ts
 * const p: InvitationPreview = {
 *   organization: { id: 'acme-k3x9qa', name: 'Acme' }, invitedBy: { name: 'Alice' }, roles: ['Member'],
 *   expiresOn: '2026-01-08T00:00:00.000Z', emailHint: 'b…@example.com',
 * };
 * ```
 */
export interface InvitationPreview {
  readonly organization: { readonly id: string; readonly name: string };
  readonly invitedBy: { readonly name: string };
  readonly roles: readonly string[];
  readonly expiresOn: string;
  readonly emailHint: string;
}

/**
 * The body of `POST api/tenant/invitations`.
 *
 * @example
 * ```ts
 * const body: InvitationRequest = { email: 'bob@example.com', roles: ['Member'] };
 * ```
 */
export interface InvitationRequest {
  readonly email: string;
  readonly roles: readonly string[];
}

/**
 * The body of `PATCH api/tenant/members/{userId}`: the member's roles, replaced.
 *
 * @example
 * ```ts
 * const patch: MemberPatch = { roles: ['Admin'] };
 * ```
 */
export interface MemberPatch {
  readonly roles: readonly string[];
}

/**
 * The body of `POST api/tenants` in membership mode: the organization's display name and, optionally, its id
 * (generated from the name otherwise).
 *
 * @example
 * ```ts
 * const org: OrganizationCreation = { name: 'Acme' };
 * ```
 */
export interface OrganizationCreation {
  readonly name: string;
  readonly id?: string;
}
