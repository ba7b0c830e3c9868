// The reference model's state and answers, apart from the rules that compute them: the CRUD model
// (reference-model.ts) and the tenant registry's (tenant-registry.ts) both read and return these, and neither
// imports the other for them.

import type { MembershipLife } from '../../model/lives/membership-life.js';

/** A stored item as the runtime stores it (system fields aside). */
export type Item = Readonly<Record<string, string>>;

/** A directory's record as the model keeps it (the runtime's also has a name and times). */
export interface RegistryRecord {
  readonly plan: string;
  readonly status: 'active' | 'suspended';
  /** The Stripe customer its usage is billed to (`billing.stripeCustomerId`), when the operator set one. */
  readonly customer?: string;
  /** An organization's display name, when an Owner or Admin renamed it (else the id it was created with). */
  readonly name?: string;
  /** An organization an Owner deleted (`DELETE api/tenant`, owner-states.ts): when it is erased, in ms. */
  readonly deleteOn?: number;
}

/** Every record, by directory id as written. */
export type RegistryState = ReadonlyMap<string, RegistryRecord>;

/**
 * What the model holds: every item, by its key (`itemKey`); with a tenant registry, its records by directory.
 *
 * @example
 * ```ts
 * const empty: ModelState = { items: new Map() };
 * ```
 */
export interface ModelState {
  readonly items: ReadonlyMap<string, { readonly entity: number; readonly item: Item }>;
  readonly registry?: RegistryState;
  /** Tenants by membership (membership.ts): each organization's members and their roles, by user id. */
  readonly memberships?: MembershipState;
  /** Tenants by membership: every invitation sent, in order (an index names one), open until used or revoked. */
  readonly invitations?: readonly ModelInvitation[];
  /**
   * With `tenants.email`: each organization's invitation e-mails (sends and resends) of the run's one UTC day,
   * bounded by `tenants.email.invitationsPerDay`.
   */
  readonly emailsSent?: ReadonlyMap<string, number>;
  /** Directory sign-in (directory.ts): the directory each organization links, by organization id. */
  readonly directories?: ReadonlyMap<string, ModelDirectory>;
  /**
   * Tenants by membership: the organizations' domains (joins.ts), by `org|domain`; of one domain at most one is
   * verified (its claim's holder).
   */
  readonly domains?: ReadonlyMap<string, ModelDomain>;
  /** Tenants by membership: pending requests to join (joins.ts), `org|user` → the domain they came through. */
  readonly joinRequests?: ReadonlyMap<string, string>;
  /**
   * The tenant each shared item is stamped with (`itemKey` → the creator's organization or directory): the caller's
   * on create, its owner's on the owner's first write to an item stored before the stamp existed; none for such an
   * item until then. What an organization's erase finds of the shared data (owner-states.ts).
   */
  readonly creators?: ReadonlyMap<string, string>;
  /**
   * Tenants by membership: each person's life in each organization (member-lives.ts, model/lives/membership-life.ts),
   * by `org|user`: a member and the door they came in by, or barred (removed by an Owner, deprovisioned by SCIM);
   * absent: outside.
   */
  readonly lives?: ReadonlyMap<string, MembershipLife>;
  /**
   * Tenants by membership: the ids of erased organizations (organization-life.ts `erased`) and when (ms) — a
   * tombstone in the registry: no one admitted, the id 409 to any later create (owner-states.ts).
   */
  readonly tombstones?: ReadonlyMap<string, number>;
  /**
   * Tenants by membership: the organizations' API keys (api-keys.ts), in the order they were created (an index names
   * one); a revoked key stays, marked.
   */
  readonly apiKeys?: readonly ModelApiKey[];
  /**
   * Tenants by membership with `mcp.authorization`: the grants people gave agents (agent-grants.ts), in the order
   * they were made (an index names one); an ended grant stays, marked with why it ended.
   */
  readonly agentGrants?: readonly ModelAgentGrant[];
}

/**
 * A person's grant to an agent in an organization as the model keeps it (DESIGN §2, "Agents that sign in to an
 * organization"): the id the runtime gave it, its person, organization and client, and — once it ended — why:
 * revoked (by the person or an Owner or Admin), replaced (the person connected the same client again), or the
 * membership it stood on ended (removed, barred, left). An ended grant never lives again.
 */
export interface ModelAgentGrant {
  readonly id: string;
  readonly person: string;
  readonly org: string;
  readonly client: string;
  readonly ended?: 'revoked' | 'replaced' | 'membership';
}

/**
 * An organization's API key as the model keeps it: the id the runtime gave it (the caller's id, an owner rule's
 * owner), its organization and role, when it expires (ms; none: never) and whether it was revoked.
 */
export interface ModelApiKey {
  readonly id: string;
  readonly org: string;
  readonly role: string;
  readonly expiresAt?: number;
  readonly revoked: boolean;
}

/** An organization's linked directory: its users join as `role`; `requireDirectory` refuses everyone else. */
export interface ModelDirectory {
  readonly tid: string;
  readonly role: string;
  readonly requireDirectory: boolean;
}

/** A domain of the model: the organization holding it, whether it is verified, who joins through it and as what. */
export interface ModelDomain {
  readonly org: string;
  readonly domain: string;
  readonly verified: boolean;
  readonly join: 'off' | 'request' | 'auto';
  readonly role: string;
}

/** An invitation of the model: who invited whom into which organization with which roles, and whether it is open. */
export interface ModelInvitation {
  readonly org: string;
  readonly inviter: string;
  readonly invitee: string;
  readonly roles: readonly string[];
  readonly open: boolean;
  /** How many times it was resent: each resend voids the token before it (only the latest accepts). */
  readonly resends?: number;
}

/** Each organization's members (by user id) and their roles. */
export type MembershipState = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

/** The answer the runtime must give. `extensions`: problem members compared besides `type`. */
export interface Expected {
  readonly status: number;
  readonly problem?: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
}
