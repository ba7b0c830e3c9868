import { jsonObjectOf } from '../../contract/json-object.js';
import type { Context } from '@opentelemetry/api';
import type { HttpResponseInit } from '@azure/functions';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { withoutOthersOwners } from '../access/owner-privacy.js';
import {
  type ChangeEvent,
  type ChangeHandler,
  dispatchChangeIn,
} from '../events/change-dispatch.js';
import type { AfterStep } from '../pipeline/context.js';
import { itemAuditStep } from './item-audit.js';
import type { AuditLog } from '../audit/record-audit.js';
import type { WebhookSink } from '../pipeline/services.js';
import type { EntityRealtime } from '../realtime/events.js';
import type { Tenant } from '../values/tenancy.js';
import type { Entry } from './method-table.js';
import { hiddenVector, withoutVector } from '../values/vector-answer.js';

/** What happens after an entity's writes: its realtime readers told, its change handler run, its audit entry. */
export interface AfterWrite {
  readonly realtime?: EntityRealtime;
  readonly onChange?: ChangeHandler;
  /** The app's audit log, where an entity with `audit: true` records its writes; its organizations' webhooks. */
  readonly services?: {
    readonly audit?: AuditLog | undefined;
    readonly webhooks?: WebhookSink | undefined;
  };
}

/**
 * After a write: its audit entry, its readers told (realtime), its change handler run, then others' owners hidden
 * and, last, the vector left out of the answer (values/vector-answer.ts: the handler and the audit saw the item
 * whole; realtime events leave it out themselves, realtime/events.ts).
 */
export function afterSteps(
  entity: RuntimeEntity,
  options: AfterWrite,
  hiding: boolean,
): AfterStep<Entry<unknown> & { id?: string }>[] {
  const steps: AfterStep<Entry<unknown> & { id?: string }>[] = [];
  const { realtime, onChange } = options;
  const log = options.services?.audit;
  // First: the entry is the organization's record of the write, whatever a change handler then does.
  if (entity.audit && log) steps.push(itemAuditStep(entity, log));
  if (realtime)
    steps.push((c, response) => {
      if (c.route.change) realtime.afterWrite(c.route.change, response, c.route.id, c.tenant);
      return response;
    });
  const webhooks = options.services?.webhooks;
  // The organization's webhooks: the write as answered, before any hiding (an Owner reads the whole item).
  if (webhooks)
    steps.push(async (c, response) => {
      if (c.route.change && c.tenant)
        await webhooks.entityChanged(entity, c.route.change, response, c.route.id, c.tenant.id);
      return response;
    });
  if (onChange)
    steps.push(async (c, response) => {
      if (c.route.change)
        await changed(
          entity.componentId,
          onChange,
          c.route.change,
          response,
          c.route.id,
          c.tenant,
          c.trace,
        );
      return response;
    });
  if (hiding)
    steps.push((c, response) =>
      c.access ? withoutOthersOwners(response, c.access.ownerField, c.access.callerId) : response,
    );
  if (hiddenVector(entity) !== undefined)
    steps.push((c, response) =>
      c.route.change ? answerWithoutVector(entity, response) : response,
    );
  return steps;
}

/** A write's 2xx JSON answer without the entity's vector (a copy only when it held one). */
function answerWithoutVector(entity: RuntimeEntity, response: HttpResponseInit): HttpResponseInit {
  const status = response.status ?? 200;
  if (status < 200 || status >= 300) return response;
  const item = jsonObjectOf(response.body);
  if (!item) return response;
  const shown = withoutVector(entity, item);
  return shown === item ? response : { ...response, body: JSON.stringify(shown) };
}

/** A child a cascade deleted reaches this entity's onChange, and its readers, as its own delete would. */
export function removedChild(componentId: string, options: AfterWrite) {
  if (!options.onChange && !options.realtime) return undefined;
  return async (
    item: { id: string },
    tenant: Tenant | undefined,
    owner: string | undefined,
    trace: Context | undefined,
  ) => {
    options.realtime?.afterRemoved(item.id, owner, tenant);
    if (options.onChange)
      await changed(
        componentId,
        options.onChange,
        'delete',
        { status: 204 },
        item.id,
        tenant,
        trace,
      );
  };
}

/**
 * After a successful write, the entity's change handler with the item as the caller got it back (what the
 * change feed would carry, less system fields); a delete answers no body, so its item is `{ id }`.
 */
async function changed(
  componentId: string,
  handler: ChangeHandler,
  operation: ChangeEvent['operation'],
  response: HttpResponseInit,
  id: string | undefined,
  tenant: Tenant | undefined,
  trace: Context | undefined,
): Promise<void> {
  const status = response.status ?? 200;
  if (status < 200 || status >= 300) return;
  // Not a JSON object (or a delete's empty answer): the id alone.
  const item = operation !== 'delete' ? jsonObjectOf(response.body) : undefined;
  const itemOf = item ?? { id: id ?? '' };
  await dispatchChangeIn(trace, componentId, handler, {
    operation,
    item: itemOf,
    ...(tenant ? { tenant: tenant.id } : {}),
  });
}
