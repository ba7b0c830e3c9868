import type { AuditActor } from '../../../contract/audit.js';
import { recordAudit } from '../../audit/record-audit.js';
import { type AgentsApi, forgetGrant } from './agents-api.js';
import type { StoredGrant, Tagged } from './agent-store.js';

/** How many times a write of a grant is tried again after another request changed it meanwhile. */
const TRIES = 4;

/**
 * Revoke a grant (its refresh tokens spent, `revoked` set), audited `agent.revoked` by `actor`: at once on this
 * instance (its cache forgets the grant) and at the MCP door of every other within 30 s (agents-api.ts
 * `GRANT_CACHE_MS`). A grant already revoked, or gone, is left as it is. Returns the grant revoked, if any.
 *
 * @example
 * ```ts
 * await revokeGrant(api, 'acme', 'g3Zk9qA7', { id: 'ada', via: 'api' }, 'revoked by the person');
 * ```
 */
export async function revokeGrant(
  api: AgentsApi,
  organization: string,
  id: string,
  actor: AuditActor,
  reason: string,
): Promise<StoredGrant | undefined> {
  for (let i = 0; i < TRIES; i++) {
    const read: Tagged<StoredGrant> | undefined = await api.store.readGrant(organization, id);
    if (!read || read.value.revoked !== undefined) return undefined;
    const revoked: StoredGrant = {
      ...read.value,
      revoked: new Date(api.now()).toISOString(),
      refresh: { current: [], expires: 0 },
    };
    if (!(await api.store.replaceGrant(revoked, read.etag))) continue;
    forgetGrant(api, revoked);
    await recordAudit(api.members, {
      tenant: organization,
      actor,
      action: 'agent.revoked',
      target: id,
      changes: { person: revoked.person, client: revoked.clientId, reason },
    });
    return revoked;
  }
  return undefined;
}
