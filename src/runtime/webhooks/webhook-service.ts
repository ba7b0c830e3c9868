import { createHash, randomBytes } from 'node:crypto';
import { TENANT_EVENT_TYPES, tenantEventOf } from '../../contract/tenant-events.js';
import { WEBHOOK_LIMITS } from '../../contract/integrations/webhooks.js';
import type { PlanFeatures } from '../../model/plans/plan-features.js';
import type { AuditLog } from '../audit/record-audit.js';
import type { WebhookQueue } from './webhook-queue.js';
import type { StoredDelivery, StoredWebhook, WebhookStore } from './webhook-store.js';
import type { WebhookUrlPolicy } from './webhook-url.js';

/**
 * What the webhooks of an app are made of (webhook-wiring.ts): the store, the queue, the clock every time is read
 * from (tests pass theirs: nothing waits on the wall clock), the URL policy, the per-attempt bound, and what the
 * organization's plan includes (undefined for an organization that is not live: nothing is recorded for it).
 */
export interface WebhookDeps {
  readonly store: WebhookStore;
  readonly queue: WebhookQueue;
  readonly now: () => number;
  readonly url: WebhookUrlPolicy;
  readonly timeoutMs: number;
  /** Certificates a test's https receiver is trusted with. */
  readonly ca?: string;
  readonly features: (tenant: string) => Promise<PlanFeatures | undefined>;
  readonly audit?: AuditLog;
  readonly log: (line: string) => void;
}

/**
 * One event of one organization, before it is fanned out to the endpoints that take it: its type, the chain it
 * orders in (the item or the subject it is about), its data — already as an Owner reads it — and, for an entity
 * event, whether an Owner reads that entity on the organization's plan.
 */
export interface WebhookEvent {
  readonly type: string;
  readonly chain: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly ownerReads?: (features: PlanFeatures) => boolean;
  /**
   * The item's version this event is about (its `_etag`): the webhook-id is then made from it, so the same version
   * recorded twice — by the write that made it and by the change feed, or by a batch the feed delivers again — is one
   * delivery per endpoint ({@link versionMessageId}).
   */
  readonly version?: string;
  /**
   * What the version is of, when that is not the chain: an audit entry's id for a tenant event, whose chain is its
   * organization (webhook-audit-feed.ts) — the webhook-id is then a hash of the organization, the entry and its
   * `_etag`.
   */
  readonly versionOf?: string;
  /**
   * Whether the version is still the item's latest, asked before anything is recorded (the change feed's documents:
   * a version superseded since is left out — the newer one follows — so an older version never overtakes a newer
   * one already recorded).
   */
  readonly current?: () => Promise<boolean>;
}

/**
 * Whether an endpoint's `events` take `type`: the type itself, `*`, or `<entity>.*`; compared without case, so
 * `Note.created` names `note.created`.
 *
 * @example
 * ```ts
 * takes(['note.*'], 'note.deleted'); // true
 * ```
 */
export function takes(events: readonly string[], type: string): boolean {
  const t = type.toLowerCase();
  return events.some((raw) => {
    const e = raw.toLowerCase();
    return e === '*' || e === t || (e.endsWith('.*') && t.startsWith(e.slice(0, -1)));
  });
}

let counter = 0;
/** A position in the order of recording: the clock in ms, then a counter for events of the same millisecond. */
const sequence = (now: number): number => now * 1000 + (counter++ % 1000);

/** A message id as Standard Webhooks writes them (`msg_` and a random part): the receiver's idempotency key. */
export const messageId = (): string => `msg_${randomBytes(16).toString('base64url')}`;

/**
 * The message id of one version of one item of one organization: `msg_` and 128 bits of a SHA-256 of the three, the
 * same wherever that version is recorded from — what a receiver dedupes by (Standard Webhooks: the id "should be
 * used as an idempotency key", https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md).
 *
 * @example
 * ```ts
 * versionMessageId('acme', 'note:n1', '"00000a00-0000"') === versionMessageId('acme', 'note:n1', '"00000a00-0000"'); // true
 * ```
 */
export function versionMessageId(tenant: string, chain: string, version: string): string {
  // The version as the item's `_etag` and as a write's `ETag` header: quoted or not, one value.
  const bare = version.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  const digest = createHash('sha256').update(`${tenant}\n${chain}\n${bare}`).digest();
  return `msg_${digest.subarray(0, 16).toString('base64url')}`;
}

/**
 * Record one event of `tenant` for each of its enabled endpoints that takes it — when its plan includes `webhooks`
 * and, for an entity event, an Owner reads the entity — as a pending delivery (the body signed later is fixed now),
 * and queue its chain. Never throws: the write it follows is stored already; a failure is one error line.
 *
 * @example
 * ```ts
 * await recordWebhookEvent(deps, 'acme', { type: 'note.created', chain: 'note:n1', data: { id: 'n1' } });
 * ```
 */
export async function recordWebhookEvent(
  deps: WebhookDeps,
  tenant: string,
  event: WebhookEvent,
): Promise<void> {
  try {
    await recordWebhookEventOrThrow(deps, tenant, event);
  } catch (e) {
    deps.log(
      JSON.stringify({
        component: 'runtime',
        operation: 'webhook-record',
        outcome: 'failed',
        tenant,
        type: event.type,
        message: e instanceof Error ? e.message : String(e),
      }),
    );
  }
}

/**
 * {@link recordWebhookEvent} that throws what failed: the change feed's trigger fails its batch with it, and the host
 * delivers the batch again (webhook-feed.ts) — safe, as a version's deliveries are recorded once.
 *
 * @example
 * ```ts
 * await recordWebhookEventOrThrow(deps, 'acme', { type: 'note.updated', chain: 'note:n1', data, version });
 * ```
 */
export async function recordWebhookEventOrThrow(
  deps: WebhookDeps,
  tenant: string,
  event: WebhookEvent,
): Promise<void> {
  const features = await deps.features(tenant);
  if (!features?.has('webhooks')) return;
  if (event.ownerReads && !event.ownerReads(features)) return;
  const endpoints = (await deps.store.listEndpoints(tenant)).filter(
    (e) => e.enabled && takes(e.events, event.type),
  );
  if (endpoints.length === 0) return;
  if (event.current && !(await event.current())) return;
  const now = deps.now();
  const at = new Date(now).toISOString();
  const body = JSON.stringify({ type: event.type, timestamp: at, tenant, data: event.data });
  for (const endpoint of endpoints) {
    const delivery: StoredDelivery = {
      tenant,
      endpoint: endpoint.id,
      id: event.version
        ? versionMessageId(tenant, event.versionOf ?? event.chain, event.version)
        : messageId(),
      type: event.type,
      chain: event.chain,
      seq: sequence(now),
      body,
      status: 'pending',
      attempts: 0,
      createdOn: at,
      windowStart: at,
      nextAttemptOn: at,
    };
    // Recorded already (the write's own record, or a batch the feed delivers again): its job was queued then.
    if (!(await added(deps, delivery))) continue;
    await deps.queue.send({ v: 1, tenant, endpoint: endpoint.id, chain: event.chain }, 0);
  }
}

/** Add a delivery; false when one of that id is there already (Cosmos DB's 409 on a create). */
async function added(deps: WebhookDeps, delivery: StoredDelivery): Promise<boolean> {
  try {
    await deps.store.addDelivery(delivery);
    return true;
  } catch (e) {
    if ((e as { code?: unknown }).code === 409) return false;
    throw e;
  }
}

/**
 * The tenant event an audit entry is (`member.added`, …), as a webhook event: its data the event as a
 * `tenant-events` handler gets it, its chain the organization (its tenant events reach an endpoint in the order they
 * were made, as the audit container's feed gives them: one partition per organization) — and, for an entry read from
 * that feed, its version (`_etag`) of the entry's id, so a batch delivered again is one delivery per endpoint.
 * Undefined for an entry that is no tenant event.
 *
 * @example
 * ```ts
 * tenantWebhookEvent(entry)?.type; // 'member.added'
 * ```
 */
export function tenantWebhookEvent(entry: unknown): WebhookEvent | undefined {
  const event = tenantEventOf(entry);
  if (!event) return undefined;
  const version = (entry as { _etag?: unknown })._etag;
  return {
    type: event.type,
    chain: `organization:${event.tenant}`,
    data: { ...event },
    ...(typeof version === 'string' && version !== ''
      ? { version, versionOf: `audit:${event.id}` }
      : {}),
  };
}

/** Every tenant event type an endpoint may take. */
export const TENANT_WEBHOOK_TYPES: readonly string[] = TENANT_EVENT_TYPES;

/** The bound of endpoints per organization (DESIGN §2). */
export const MAX_ENDPOINTS = WEBHOOK_LIMITS.perOrganization;

export type { StoredWebhook };
