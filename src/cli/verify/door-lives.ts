// What `atakora verify` expects of a door that moves an organization (its delete, its undelete, a webhook that must
// not move it), read from the organization's life table (model/lives/organization-life.ts) — the table the runtime's
// doors and the reference model move by — never restated here: the place a door leaves an organization in is the
// table's answer, and a refused door leaves it where it was.
import {
  type OrganizationEvent,
  type OrganizationLife,
  organizationLifeOf,
  organizationNext,
} from '../../model/lives/organization-life.js';
import type { Ctx } from './door-engine.js';
import { asOwner, itemsOf } from './door-reads.js';

/**
 * Where `event` leads an organization in `from`, as the table says (a refusal: it stays). A deleted one's `deleteOn`
 * is ahead (the proof undeletes within the days it has).
 *
 * @example
 * ```ts
 * lifeAfter('active', 'owner-deletes'); // 'deleted'
 * lifeAfter('deleted', 'owner-undeletes'); // 'active'
 * ```
 */
export function lifeAfter(from: OrganizationLife, event: OrganizationEvent): OrganizationLife {
  const deleteOn = from === 'deleted' ? Number.POSITIVE_INFINITY : undefined;
  const moved = organizationNext({ life: from, deleteOn }, event, Date.now());
  return moved.ok ? moved.life : from;
}

/** `org`'s place as its Owner's `GET api/me/tenants` shows it (status, `deleteOn`); undefined when not listed. */
async function lifeOf(ctx: Ctx, org: string): Promise<OrganizationLife | undefined> {
  const found = itemsOf(await asOwner(ctx, org, 'GET', 'api/me/tenants')).find(
    (i) => i['id'] === org,
  );
  return found ? organizationLifeOf(found) : undefined;
}

/**
 * Whether `org` is where the table says `event` leaves an organization in `from` when the door `allowed` it — and
 * still in `from` when it refused: the failure, if not.
 *
 * @example
 * ```ts
 * judge: ({ ctx, mine: org }, _r, allowed) => lifeJudged(ctx, org, 'active', 'owner-deletes', allowed),
 * ```
 */
export async function lifeJudged(
  ctx: Ctx,
  org: string,
  from: OrganizationLife,
  event: OrganizationEvent,
  allowed: boolean,
): Promise<string | undefined> {
  const expected = allowed ? lifeAfter(from, event) : from;
  const life = await lifeOf(ctx, org);
  return life === expected
    ? undefined
    : `${allowed ? '' : 'refused, '}${event} left ${org} ${String(life)}: its life table says ${expected}`;
}
