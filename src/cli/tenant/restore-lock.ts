import {
  accountUrl,
  type ArmSession,
  readAccount,
  startOperation,
} from '../azure/cosmos-accounts.js';
import { AzureRequestError } from '../azure/errors.js';
import {
  dnsZoneGroupBody,
  dnsZoneGroupUrl,
  privateEndpointBody,
  privateEndpointUrl,
  readPrivateEndpoint,
} from '../azure/restore/private-endpoints.js';
import { armStep, type RestoreWaits, untilDone } from './restore-account.js';
import { lockedNetwork, type NetworkLock, networkOpenings, refused } from './restore-network.js';

// The temporary account's network, made and proved before any item is read (./restore-network.ts says why).

/**
 * Read the temporary account back and, when it admits anyone beyond the lock (a restore ignores the network sent
 * with it), change it (Database Accounts - Update, `PATCH`,
 * https://learn.microsoft.com/rest/api/cosmos-db-resource-provider/database-accounts/update) and read it again. An
 * account still open then is TENANT_RESTORE_NETWORK: nothing of it is read (the caller deletes it).
 *
 * @example
 * ```ts
 * await lockNetwork(session, 'rg-app-prod', temp.name, lock, waits);
 * ```
 */
export async function lockNetwork(
  s: ArmSession,
  resourceGroup: string,
  name: string,
  lock: NetworkLock,
  waits: RestoreWaits,
): Promise<void> {
  const read = async () => {
    const a = await armStep(`reading ${name}`, () => readAccount(s, resourceGroup, name));
    return a ? networkOpenings(a, lock) : ['nothing: the account is gone'];
  };
  const open = await read();
  const locked = lock.kind === 'private' ? 'public access off' : lock.addresses.join(', ');
  if (open.length > 0) {
    waits.progress(
      `${waits.label}: ${name} came back admitting ${open.join(', ')}; locking it to ${locked}\n`,
    );
    const what = `locking the network of ${name}`;
    const op = await armStep(what, () =>
      startOperation(
        s,
        'PATCH',
        accountUrl(s, resourceGroup, name),
        { properties: lockedNetwork(lock) },
        what,
      ),
    );
    if (op.statusUrl) await untilDone(s, op.statusUrl, what, waits, op.retryAfterMs);
    const still = await read();
    if (still.length > 0)
      throw refused(
        `Temporary account ${name} still admits ${still.join(', ')} after it was locked to ${locked}.`,
        'Nothing of it was read; it is deleted.',
      );
  }
  const reach =
    lock.kind === 'private' ? 'through its private endpoint' : `from ${locked} (${lock.from})`;
  waits.progress(`${waits.label}: ${name} read back: reachable only ${reach}\n`);
}

/** The temporary account's private endpoint's name (at most 49 characters: the account's is at most 42). */
export const endpointNameOf = (temp: string): string => `pe-${temp}-sql`;

/**
 * Give the temporary account a private endpoint in the backend's private endpoint subnet and register it in the
 * backend's Cosmos DB private DNS zone (Private Endpoints - Create Or Update, then Private Dns Zone
 * Groups - Create Or Update: ../azure/restore/private-endpoints.ts), and wait until its connection is approved.
 *
 * @example
 * ```ts
 * await addPrivateEndpoint(session, 'rg-app-prod', temp, lock, tags, waits);
 * ```
 */
export async function addPrivateEndpoint(
  s: ArmSession,
  resourceGroup: string,
  temp: { readonly id: string; readonly name: string },
  lock: Extract<NetworkLock, { kind: 'private' }>,
  tags: Readonly<Record<string, string>>,
  waits: RestoreWaits,
): Promise<void> {
  const name = endpointNameOf(temp.name);
  waits.progress(
    `${waits.label}: private endpoint ${name} in ${lock.subnetId.split('/').slice(-3).join('/')}\n`,
  );
  const body = privateEndpointBody(lock.location, lock.subnetId, temp.id, name, tags);
  for (const [what, url, json] of [
    [`creating private endpoint ${name}`, privateEndpointUrl(s, resourceGroup, name), body],
    [
      `registering ${name} in its private DNS zone`,
      dnsZoneGroupUrl(s, resourceGroup, name, 'default'),
      dnsZoneGroupBody(lock.zoneId),
    ],
  ] as const) {
    const op = await armStep(what, () => startOperation(s, 'PUT', url, json, what));
    if (op.statusUrl) await untilDone(s, op.statusUrl, what, waits, op.retryAfterMs);
  }
  const state = await armStep(`reading ${name}`, () => readPrivateEndpoint(s, resourceGroup, name));
  if (state?.connection !== 'Approved')
    throw refused(
      `Private endpoint ${name} of temporary account ${temp.name} is ${state?.connection ?? 'missing'}, not Approved.`,
      'Nothing of it was read; both are deleted.',
    );
}

/**
 * Delete the temporary account's private endpoint (Private Endpoints - Delete,
 * https://learn.microsoft.com/rest/api/virtualnetwork/private-endpoints/delete); gone already (404) is done.
 *
 * @example
 * ```ts
 * await deletePrivateEndpoint(session, 'rg-app-prod', temp.name, waits);
 * ```
 */
export async function deletePrivateEndpoint(
  s: ArmSession,
  resourceGroup: string,
  temp: string,
  waits: RestoreWaits,
): Promise<void> {
  const name = endpointNameOf(temp);
  const what = `deleting private endpoint ${name}`;
  let op;
  try {
    op = await startOperation(
      s,
      'DELETE',
      privateEndpointUrl(s, resourceGroup, name),
      undefined,
      what,
    );
  } catch (e) {
    if (e instanceof AzureRequestError && e.status === 404) return;
    throw e;
  }
  if (op.statusUrl) await untilDone(s, op.statusUrl, what, waits, op.retryAfterMs);
  waits.progress(`${waits.label}: private endpoint ${name} deleted\n`);
}
