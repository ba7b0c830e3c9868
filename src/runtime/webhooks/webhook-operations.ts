import { randomBytes } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type {
  CreatedWebhook,
  RotatedWebhook,
  Webhook,
  WebhookDelivery,
} from '../../contract/integrations/webhooks.js';
import { WEBHOOK_LIMITS } from '../../contract/integrations/webhooks.js';
import { readJsonObject } from '../http/body.js';
import { createBounded, type MaybeRoom, placeFreedIn } from '../limits/bounded-create.js';
import { emptyResponse, jsonResponse, problemResponse } from '../http/response.js';
import { type Actor, byOwnerOrAdmin, recordMemberAudit } from '../members/members-api.js';
import { eventsInput, invalidField } from './webhook-input.js';
import type { WebhookDeps } from './webhook-service.js';
import { newWebhookSecret } from './webhook-signature.js';
import { type StoredDelivery, type StoredWebhook, WEBHOOKS_ROOM } from './webhook-store.js';
import { checkWebhookUrl } from './webhook-url.js';

/** The webhooks of the app and the event types its endpoints may take: what the routes need. */
export interface WebhooksApi {
  readonly deps: WebhookDeps;
  readonly known: ReadonlySet<string>;
}

const WHAT = 'manages its webhooks';

/** An endpoint as listed: never its secret. */
export const shownWebhook = (e: StoredWebhook): Webhook => ({
  id: e.id,
  url: e.url,
  events: e.events,
  enabled: e.enabled,
  disabledOn: e.disabledOn ?? null,
  failingSince: e.failingSince ?? null,
  createdOn: e.createdOn,
  createdBy: e.createdBy,
});

/** A delivery as the log shows it: never its body (the item it carried is the organization's data, read elsewhere). */
export const shownDelivery = (d: StoredDelivery): WebhookDelivery => ({
  id: d.id,
  type: d.type,
  status: d.status,
  attempts: d.attempts,
  answer: d.answer ?? null,
  error: d.error ?? null,
  createdOn: d.createdOn,
  lastAttemptOn: d.lastAttemptOn ?? null,
  nextAttemptOn: d.status === 'pending' ? (d.nextAttemptOn ?? null) : null,
});

/** The URL checked where it leads (webhook-url.ts): the 400 `webhook-url-refused` when it may not be kept. */
async function urlInput(
  api: WebhooksApi,
  url: unknown,
): Promise<{ ok: true; url: string } | { ok: false; response: HttpResponseInit }> {
  if (typeof url !== 'string' || url === '')
    return invalidField('url', 'url must be an https URL.');
  const checked = await checkWebhookUrl(url, api.deps.url);
  if (!checked.ok)
    return { ok: false, response: problemResponse('webhook-url-refused', checked.why) };
  return { ok: true, url: checked.url.href };
}

const notFound = (tenant: string, id: string) =>
  problemResponse(
    'not-found',
    `Organization ${tenant} has no webhook endpoint ${JSON.stringify(id.slice(0, 40))}.`,
  );

/** The organization's count of endpoints (limits/counted-room.ts), kept when the store keeps one. */
const endpointRoom = (api: WebhooksApi, tenant: string): MaybeRoom => ({
  store: api.deps.store.rooms,
  tenant,
  id: WEBHOOKS_ROOM,
  now: api.deps.now,
  counted: async () => (await api.deps.store.listEndpoints(tenant)).length,
});

/**
 * Store `stored` within the bound of endpoints: undefined once stored, else the 409 `webhook-limit` (or the 503 of a
 * count that kept changing). Decided on the organization's count at the version read, so creations racing on any
 * instance never pass the bound together.
 */
async function endpointCreated(
  api: WebhooksApi,
  stored: StoredWebhook,
): Promise<HttpResponseInit | undefined> {
  const { tenant } = stored;
  return createBounded(
    endpointRoom(api, tenant),
    WEBHOOK_LIMITS.perOrganization,
    () => api.deps.store.createEndpoint(stored),
    (held) =>
      problemResponse(
        'webhook-limit',
        `Organization ${tenant} holds ${String(held)} webhook endpoints, as many as it may: delete one ` +
          '(DELETE api/tenant/webhooks/{id}) before creating another.',
      ),
  );
}

/**
 * `POST api/tenant/webhooks { url, events }` by an Owner or an Admin → 201 `{ id, secret, url, events }`, the
 * signing secret (`whsec_…`) shown this once. 400 `validation` for a bad body, 400 `webhook-url-refused` for a URL
 * that is not https or leads to a private address, 409 `webhook-limit` past 10 endpoints.
 *
 * @example
 * ```ts
 * // POST /api/tenant/webhooks { "url": "https://hooks.example.com/a", "events": ["*"] } → 201 { "secret": "whsec_…", … }
 * ```
 */
export function createWebhook(
  api: WebhooksApi,
  actor: Actor,
  tenant: string,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  return byOwnerOrAdmin(actor, tenant, WHAT, async () => {
    const body = await readJsonObject(request);
    if (!body.ok) return body.response;
    const { url, events, ...rest } = body.value;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) return invalidField(unknown, `${unknown} is not a field.`).response;
    const e = eventsInput(events, api.known);
    if (!e.ok) return e.response;
    const u = await urlInput(api, url);
    if (!u.ok) return u.response;
    const stored: StoredWebhook = {
      tenant,
      id: randomBytes(9).toString('base64url'),
      url: u.url,
      events: e.events,
      secret: newWebhookSecret(),
      enabled: true,
      createdOn: new Date(api.deps.now()).toISOString(),
      createdBy: actor.userId,
    };
    const full = await endpointCreated(api, stored);
    if (full) return full;
    await recordMemberAudit(api.deps, actor, tenant, 'webhook.created', stored.id, {
      url: stored.url,
      events: stored.events,
    });
    const created: CreatedWebhook = {
      id: stored.id,
      secret: stored.secret,
      url: stored.url,
      events: stored.events,
    };
    // The secret is in this answer alone: no cache may keep it.
    return jsonResponse(201, created, { 'Cache-Control': 'no-store' });
  });
}

/**
 * `GET api/tenant/webhooks` by an Owner or an Admin → 200 `{ items }`, never a secret.
 *
 * @example
 * ```ts
 * // GET /api/tenant/webhooks → 200 { "items": [{ "id": "…", "url": "https://…", "enabled": true, … }] }
 * ```
 */
export function listWebhooks(
  api: WebhooksApi,
  actor: Actor,
  tenant: string,
): Promise<HttpResponseInit> {
  return byOwnerOrAdmin(actor, tenant, WHAT, async () =>
    jsonResponse(200, { items: (await api.deps.store.listEndpoints(tenant)).map(shownWebhook) }),
  );
}

/**
 * `GET api/tenant/webhooks/{id}` → 200 the endpoint; `PATCH` `{ url?, events?, enabled? }` → 200 it changed
 * (`enabled: true` forgets its failures); `DELETE` → 204, its log with it. 404 for one the organization does not hold.
 *
 * @example
 * ```ts
 * // PATCH /api/tenant/webhooks/Wz4k9 { "enabled": false } → 200 { "enabled": false, … }
 * ```
 */
export function webhookItem(
  api: WebhooksApi,
  actor: Actor,
  tenant: string,
  method: string,
  id: string,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  return byOwnerOrAdmin(actor, tenant, WHAT, async () => {
    const found = await api.deps.store.readEndpoint(tenant, id);
    if (!found) return notFound(tenant, id);
    if (method === 'GET') return jsonResponse(200, shownWebhook(found));
    if (method === 'DELETE') {
      if (!(await api.deps.store.removeEndpoint(tenant, id))) return notFound(tenant, id);
      await placeFreedIn(endpointRoom(api, tenant));
      await recordMemberAudit(api.deps, actor, tenant, 'webhook.deleted', id, { url: found.url });
      return emptyResponse(204);
    }
    const body = await readJsonObject(request);
    if (!body.ok) return body.response;
    // Patched as stored when written: the runner may mark the endpoint failing meanwhile.
    const last: { refused?: HttpResponseInit; changes?: Record<string, unknown> } = {};
    const after = await api.deps.store.updateEndpoint(tenant, id, async (current) => {
      const patched = await patchOf(api, current, body.value);
      if (!patched.ok) {
        last.refused = patched.response;
        return undefined;
      }
      delete last.refused;
      last.changes = patched.changes;
      return patched.endpoint;
    });
    if (last.refused) return last.refused;
    if (!after) return notFound(tenant, id);
    await recordMemberAudit(api.deps, actor, tenant, 'webhook.updated', id, last.changes ?? {});
    return jsonResponse(200, shownWebhook(after));
  });
}

async function patchOf(
  api: WebhooksApi,
  found: StoredWebhook,
  body: Record<string, unknown>,
): Promise<
  | { ok: true; endpoint: StoredWebhook; changes: Record<string, unknown> }
  | { ok: false; response: HttpResponseInit }
> {
  const { url, events, enabled, ...rest } = body;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) return invalidField(unknown, `${unknown} is not a field.`);
  if (url === undefined && events === undefined && enabled === undefined)
    return invalidField('url', 'name at least one of url, events, enabled.');
  if (enabled !== undefined && typeof enabled !== 'boolean')
    return invalidField('enabled', 'enabled must be true or false.');
  const e = events === undefined ? undefined : eventsInput(events, api.known);
  if (e && !e.ok) return e;
  const u = url === undefined ? undefined : await urlInput(api, url);
  if (u && !u.ok) return u;
  const { disabledOn: _d, failingSince: _f, ...kept } = found;
  const endpoint: StoredWebhook =
    enabled === true
      ? { ...kept, enabled: true }
      : enabled === false
        ? { ...found, enabled: false }
        : found;
  return {
    ok: true,
    endpoint: {
      ...endpoint,
      ...(u ? { url: u.url } : {}),
      ...(e ? { events: e.events } : {}),
    },
    changes: {
      ...(u ? { url: { from: found.url, to: u.url } } : {}),
      ...(e ? { events: { from: found.events, to: e.events } } : {}),
      ...(enabled !== undefined ? { enabled: { from: found.enabled, to: enabled } } : {}),
    },
  };
}

/**
 * `POST api/tenant/webhooks/{id}/rotate` by an Owner or an Admin → 200 `{ id, secret, previousSecretExpiresOn }`:
 * a new signing secret, shown this once; for {@link WEBHOOK_LIMITS.rotationOverlapHours} hours every delivery carries
 * two signatures (webhook-signature.ts), the new secret's and the previous one's, so the receiver swaps its secret
 * whenever it likes in that window; then the previous one is dropped. A rotation during an overlap drops the oldest
 * at once (two secrets at most). Audited (`webhook.secret-rotated`, never a secret). 404 for an endpoint the
 * organization does not hold.
 *
 * @example
 * ```ts
 * // POST /api/tenant/webhooks/Wz4k9/rotate → 200 { "secret": "whsec_…", "previousSecretExpiresOn": "…" }
 * ```
 */
export function rotateWebhook(
  api: WebhooksApi,
  actor: Actor,
  tenant: string,
  id: string,
): Promise<HttpResponseInit> {
  return byOwnerOrAdmin(actor, tenant, WHAT, async () => {
    const now = api.deps.now();
    const until = new Date(now + WEBHOOK_LIMITS.rotationOverlapHours * 3_600_000).toISOString();
    const secret = newWebhookSecret();
    // Rotated as stored when written: a runner's mark landing meanwhile must not put the old secret back.
    const rotated = await api.deps.store.updateEndpoint(tenant, id, (current) => ({
      ...current,
      secret,
      previousSecret: current.secret,
      previousSecretUntil: until,
    }));
    if (!rotated) return notFound(tenant, id);
    await recordMemberAudit(api.deps, actor, tenant, 'webhook.secret-rotated', id, {
      previousSecretExpiresOn: until,
    });
    const answer: RotatedWebhook = { id, secret: rotated.secret, previousSecretExpiresOn: until };
    // The secret is in this answer alone: no cache may keep it.
    return jsonResponse(200, answer, { 'Cache-Control': 'no-store' });
  });
}
