import { randomBytes } from 'node:crypto';
import type { AuditEntry } from '../../contract/audit.js';
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
    const features = await deps.features(tenant);
    if (!features?.has('webhooks')) return;
    if (event.ownerReads && !event.ownerReads(features)) return;
    const endpoints = (await deps.store.listEndpoints(tenant)).filter(
      (e) => e.enabled && takes(e.events, event.type),
    );
    if (endpoints.length === 0) return;
    const now = deps.now();
    const at = new Date(now).toISOString();
    const body = JSON.stringify({ type: event.type, timestamp: at, tenant, data: event.data });
    for (const endpoint of endpoints) {
      const delivery: StoredDelivery = {
        tenant,
        endpoint: endpoint.id,
        id: messageId(),
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
      await deps.store.addDelivery(delivery);
      await deps.queue.send({ v: 1, tenant, endpoint: endpoint.id, chain: event.chain }, 0);
    }
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
 * The tenant event an audit entry is (`member.added`, …), as a webhook event: its data the event as a
 * `tenant-events` handler gets it, its chain the member, invitation or organization it is about. Undefined for an
 * entry that is no tenant event.
 *
 * @example
 * ```ts
 * tenantWebhookEvent(entry)?.type; // 'member.added'
 * ```
 */
export function tenantWebhookEvent(entry: AuditEntry): WebhookEvent | undefined {
  const event = tenantEventOf(entry);
  if (!event) return undefined;
  return {
    type: event.type,
    chain: `${event.subject.kind}:${event.subject.id}`,
    data: { ...event },
  };
}

/** Every tenant event type an endpoint may take. */
export const TENANT_WEBHOOK_TYPES: readonly string[] = TENANT_EVENT_TYPES;

/** The bound of endpoints per organization (DESIGN §2). */
export const MAX_ENDPOINTS = WEBHOOK_LIMITS.perOrganization;

export type { StoredWebhook };
