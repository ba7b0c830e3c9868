import type { HttpResponseInit } from '@azure/functions';
import { jsonObjectOf } from '../../contract/json-object.js';
import { entityEventType } from '../../contract/integrations/webhooks.js';
import { OWNER_ROLE } from '../../contract/members.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { accessOf, decideAccess } from '../access/rules.js';
import { withoutVector } from '../values/vector-answer.js';
import type { WebhookEvent } from './webhook-service.js';

const CHANGES: Readonly<Record<string, 'created' | 'updated' | 'deleted'>> = {
  create: 'created',
  replace: 'updated',
  update: 'updated',
  delete: 'deleted',
};

/**
 * The webhook event of one acknowledged write of an organization's item: `<entity>.created|updated|deleted`, the
 * item as the write answered it — what a GET gives, never the vector — or `{ id }` after a delete, ordered in the
 * item's chain, and sent only where an Owner of the organization reads every item of the entity on its plan (an
 * access rule that grants Owners less keeps the item out of webhooks). A create or change carries its version (the
 * answer's `ETag`, the item's `_etag`): the change feed sees the same version again, and the two make one delivery
 * (webhook-feed.ts). Undefined for a failed write or a migration's rewrite.
 *
 * @example
 * ```ts
 * entityWebhookEvent(noteEntity, 'create', { status: 201, body: '{"id":"n1"}' }, undefined)?.type; // 'note.created'
 * ```
 */
export function entityWebhookEvent(
  entity: RuntimeEntity,
  operation: string,
  response: HttpResponseInit,
  id: string | undefined,
): WebhookEvent | undefined {
  const status = response.status ?? 200;
  const change = Object.hasOwn(CHANGES, operation) ? CHANGES[operation] : undefined;
  if (!change || status < 200 || status >= 300) return undefined;
  if (change === 'deleted') return id ? entityItemEvent(entity, change, { id }) : undefined;
  const item = jsonObjectOf(response.body);
  if (!item) return undefined;
  const version = new Headers(response.headers).get('etag') ?? undefined;
  return entityItemEvent(entity, change, item, version);
}

/**
 * The webhook event of one version of an item (a write's answer, or the change feed's document without Cosmos DB's
 * system fields): its type, its chain (the item), the item as an Owner reads it (never the vector), and its
 * version when known. Undefined for an item without an id.
 *
 * @example
 * ```ts
 * entityItemEvent(noteEntity, 'updated', { id: 'n1', title: 'x' }, '"0a00"')?.chain; // 'note:n1'
 * ```
 */
export function entityItemEvent(
  entity: RuntimeEntity,
  change: 'created' | 'updated' | 'deleted',
  item: Readonly<Record<string, unknown>>,
  version?: string,
): WebhookEvent | undefined {
  const itemId = item['id'];
  if (typeof itemId !== 'string' || itemId === '') return undefined;
  const type = entityEventType(entity.entityName, change);
  const { rules } = accessOf(entity);
  return {
    type,
    chain: `${type.slice(0, type.lastIndexOf('.'))}:${itemId}`,
    data: change === 'deleted' ? { id: itemId } : withoutVector(entity, item),
    ...(version ? { version } : {}),
    ownerReads: (features) =>
      decideAccess(rules, 'read', { id: undefined, roles: [OWNER_ROLE], features }).kind === 'all',
  };
}
