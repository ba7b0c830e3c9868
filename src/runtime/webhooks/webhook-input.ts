import type { HttpResponseInit } from '@azure/functions';
import { WEBHOOK_LIMITS, entityEventType } from '../../contract/integrations/webhooks.js';
import { TENANT_EVENT_TYPES } from '../../contract/tenant-events.js';
import { problemResponse } from '../http/response.js';

/** A body field refused: 400 `validation` naming it. */
export const invalidField = (field: string, message: string) => ({
  ok: false as const,
  response: problemResponse('validation', `A webhook endpoint takes { url, events }: ${message}`, {
    errors: [{ field, code: 'invalid', message }],
  }),
});

/**
 * The event types an endpoint of this backend may take, lower case: `*`, each tenant event, and per CrudApi of the
 * organizations' own data `<entity>.created|updated|deleted` and `<entity>.*`.
 *
 * @example
 * ```ts
 * knownEventTypes(['Note']).has('note.created'); // true
 * ```
 */
export function knownEventTypes(entityNames: readonly string[]): ReadonlySet<string> {
  const known = new Set<string>(['*', ...TENANT_EVENT_TYPES]);
  for (const name of entityNames)
    for (const change of ['created', 'updated', 'deleted'] as const) {
      const type = entityEventType(name, change);
      known.add(type);
      known.add(`${type.slice(0, type.lastIndexOf('.'))}.*`);
    }
  return known;
}

/** `events` checked: 1 to 20 distinct known types (kept as given), else the 400. */
export function eventsInput(
  events: unknown,
  known: ReadonlySet<string>,
): { ok: true; events: string[] } | { ok: false; response: HttpResponseInit } {
  const most = WEBHOOK_LIMITS.eventsPerEndpoint;
  if (!Array.isArray(events) || events.length === 0 || events.length > most)
    return invalidField('events', `events must be a list of 1 to ${String(most)} event types.`);
  const out: string[] = [];
  for (const [i, e] of events.entries()) {
    if (typeof e !== 'string' || !known.has(e.toLowerCase()))
      return invalidField(
        `events[${String(i)}]`,
        `events[${String(i)}] ${JSON.stringify(e).slice(0, 80)} is no event type: name '*', a tenant event ` +
          `(${TENANT_EVENT_TYPES.join(', ')}) or <entity>.created|updated|deleted|* of a CrudApi of the organization's data.`,
      );
    if (out.some((o) => o.toLowerCase() === e.toLowerCase()))
      return invalidField(`events[${String(i)}]`, `events[${String(i)}] "${e}" is named twice.`);
    out.push(e);
  }
  return { ok: true, events: out };
}
