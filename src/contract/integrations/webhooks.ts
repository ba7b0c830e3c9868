// Outbound webhooks (DESIGN §2, "Integrations"): the routes an Owner or an Admin manages an organization's endpoints
// through, the shapes of an endpoint and of a delivery, and the bounds the runtime, the OpenAPI document and the typed
// client share. Imports only the snake_case rule MCP tool names share (a leaf module).

import { snakeCase } from '../../model/mcp-tool-names.js';

/**
 * What every endpoint's signing secret starts with, as the Standard Webhooks specification writes secrets: `whsec_`
 * then the key, base64 (32 random bytes). Verify with any Standard
 * Webhooks library (`new Webhook(secret).verify(body, headers)`).
 *
 * @example
 * ```ts
 * secret.startsWith(WEBHOOK_SECRET_PREFIX); // true
 * ```
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/**
 * An organization's webhook endpoint as `GET api/tenant/webhooks` lists it: never its secret, which only the create
 * answers ({@link CreatedWebhook}).
 *
 * @example
 * ```ts
 * const w: Webhook = {
 *   id: 'Wz4k9', url: 'https://hooks.example.com/atakora', events: ['note.created', 'member.added'],
 *   enabled: true, disabledOn: null, failingSince: null, createdOn: '2026-11-29T01:00:00.000Z', createdBy: 'ada',
 * };
 * ```
 */
export interface Webhook {
  readonly id: string;
  readonly url: string;
  /** The event types it receives (`<entity>.created|updated|deleted`, a tenant event such as `member.added`, `*`). */
  readonly events: readonly string[];
  /** False once disabled (by an Owner or an Admin, or after failing for 3 days): nothing is delivered to it. */
  readonly enabled: boolean;
  /** When it was disabled after failing for 3 days; `null` otherwise. */
  readonly disabledOn: string | null;
  /** When its deliveries started failing (none succeeded since); `null` while they succeed. */
  readonly failingSince: string | null;
  readonly createdOn: string;
  readonly createdBy: string;
}

/**
 * `POST api/tenant/webhooks/{id}/rotate`'s answer: the endpoint's new signing secret, shown this once, and until when
 * the previous one still signs too.
 *
 * @example
 * ```ts
 * const r: RotatedWebhook = { id: 'Wz4k9', secret: 'whsec_…', previousSecretExpiresOn: '2026-11-30T01:00:00.000Z' };
 * ```
 */
export interface RotatedWebhook {
  readonly id: string;
  /** The new signing secret (`whsec_…`), shown this once. */
  readonly secret: string;
  /** Until when deliveries also carry a signature by the previous secret (ISO time). */
  readonly previousSecretExpiresOn: string;
}

/**
 * The answer of `POST api/tenant/webhooks`: the endpoint and its signing secret, shown this once.
 *
 * @example
 * ```ts
 * const created: CreatedWebhook = { id: 'Wz4k9', secret: 'whsec_…', url: 'https://hooks.example.com/atakora', events: ['*'] };
 * ```
 */
export interface CreatedWebhook {
  readonly id: string;
  readonly secret: string;
  readonly url: string;
  readonly events: readonly string[];
}

/**
 * `POST api/tenant/webhooks`'s body; `PATCH api/tenant/webhooks/{id}` takes any of its fields and `enabled`.
 *
 * @example
 * ```ts
 * const body: WebhookInput = { url: 'https://hooks.example.com/atakora', events: ['note.created', 'member.added'] };
 * ```
 */
export interface WebhookInput {
  readonly url: string;
  readonly events: readonly string[];
}

/**
 * `PATCH api/tenant/webhooks/{id}`'s body: a new URL, new events, or `enabled` (true re-enables a disabled endpoint
 * and forgets its failures; false stops its deliveries).
 *
 * @example
 * ```ts
 * const patch: WebhookPatch = { enabled: false };
 * ```
 */
export interface WebhookPatch {
  readonly url?: string;
  readonly events?: readonly string[];
  readonly enabled?: boolean;
}

/**
 * One delivery of one event to one endpoint, as `GET api/tenant/webhooks/{id}/deliveries` lists it (newest first):
 * `pending` until answered 2xx (`delivered`) or given up after 24 hours of retries (`failed`); `attempts` so far;
 * `answer` the last HTTP status the endpoint gave (`null`: none — refused address, timeout, connection failure), and
 * `error` why, when there was no answer.
 *
 * @example
 * ```ts
 * const d: WebhookDelivery = {
 *   id: 'msg_2b…', type: 'note.created', status: 'delivered', attempts: 1, answer: 204, error: null,
 *   createdOn: '2026-11-29T01:00:00.000Z', lastAttemptOn: '2026-11-29T01:00:00.100Z', nextAttemptOn: null,
 * };
 * ```
 */
export interface WebhookDelivery {
  /** The message id: the `webhook-id` header, the same on every attempt (the receiver's idempotency key). */
  readonly id: string;
  readonly type: string;
  readonly status: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly answer: number | null;
  readonly error: string | null;
  readonly createdOn: string;
  readonly lastAttemptOn: string | null;
  readonly nextAttemptOn: string | null;
}

/**
 * The body of every delivery, as the Standard Webhooks specification shapes a payload: `type`, `timestamp` (ISO 8601)
 * and `data` — an item as an Owner of the organization reads it (`{ id }` after a delete) with `tenant` beside it,
 * or a tenant event.
 *
 * @example
 * ```ts
 * const p: WebhookPayload = { type: 'note.created', timestamp: '2026-11-29T01:00:00.000Z', tenant: 'acme', data: { id: 'n1', text: 'hi' } };
 * ```
 */
export interface WebhookPayload {
  readonly type: string;
  readonly timestamp: string;
  readonly tenant: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * The webhook routes (below `api/`): Owners and Admins, acting in the request's organization, behind the plan's
 * built-in feature `webhooks`.
 *
 * @example
 * ```ts
 * `/api/${WEBHOOK_ROUTES.webhooks}`; // '/api/tenant/webhooks'
 * ```
 */
export const WEBHOOK_ROUTES = Object.freeze({
  webhooks: 'tenant/webhooks',
  webhook: 'tenant/webhooks/{id}',
  deliveries: 'tenant/webhooks/{id}/deliveries',
  retry: 'tenant/webhooks/{id}/deliveries/{delivery}/retry',
  rotate: 'tenant/webhooks/{id}/rotate',
});

/**
 * The function names of the webhook routes.
 *
 * @example
 * ```ts
 * WEBHOOK_FUNCTIONS.webhooks; // 'membership-webhooks'
 * ```
 */
export const WEBHOOK_FUNCTIONS = Object.freeze({
  webhooks: 'membership-webhooks',
  webhook: 'membership-webhook',
  deliveries: 'membership-webhook-deliveries',
  retry: 'membership-webhook-retry',
  rotate: 'membership-webhook-rotate',
});

/**
 * The app setting naming the change feed connection (`<PREFIX>_CHANGE_FEED`, a tenant-scoped CrudApi's own, whose
 * identity reads the registry's containers and writes `audit-leases`) through which the runtime reads the audit
 * container's tenant events for the organizations' webhooks (runtime/webhooks/webhook-audit-feed.ts); unset, the
 * audit log's writes record them. The planner sets it for a backend whose plans include `webhooks`
 * (plan/phases/webhook-feed-requirements.ts).
 *
 * @example
 * ```ts
 * env[WEBHOOK_AUDIT_FEED_SETTING]; // 'NOTE_API_CHANGE_FEED'
 * ```
 */
export const WEBHOOK_AUDIT_FEED_SETTING = 'ATAKORA_WEBHOOK_AUDIT_FEED';

/**
 * The bounds DESIGN §2 sets: at most 10 endpoints per organization, 10 s per delivery, retries for 24 hours, an
 * endpoint failing for 3 days disabled; at most 20 event types per endpoint, URLs of at most 2,000 characters.
 *
 * @example
 * ```ts
 * held.length < WEBHOOK_LIMITS.perOrganization; // room for one more
 * ```
 */
export const WEBHOOK_LIMITS = Object.freeze({
  perOrganization: 10,
  timeoutMs: 10_000,
  retryHours: 24,
  /** After a rotation, how long deliveries are signed with the previous secret too. */
  rotationOverlapHours: 24,
  disableAfterDays: 3,
  eventsPerEndpoint: 20,
  urlLength: 2000,
});

/**
 * The type of an entity event: `<entity>.created|updated|deleted`, the entity's name in snake_case as MCP tools name
 * it (`Note` → `note.created`, `OrderItem` → `order_item.updated`).
 *
 * @example
 * ```ts
 * entityEventType('OrderItem', 'deleted'); // 'order_item.deleted'
 * ```
 */
export function entityEventType(
  entityName: string,
  change: 'created' | 'updated' | 'deleted',
): string {
  return `${snakeCase(entityName)}.${change}`;
}
