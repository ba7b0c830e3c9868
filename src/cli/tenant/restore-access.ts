import { AtakoraError } from '../../model/errors.js';
import type { CosmosConnection } from '../azure/cosmos.js';
import { ENDPOINT_VARIABLES } from '../azure/endpoints.js';
import { firstLine } from '../azure/errors.js';
import { pollUntil } from '../shared/poll.js';
import { printable } from '../shared/terminal-text.js';
import { COSMOS_PRIVATE_ZONE } from '../azure/restore/private-endpoints.js';
import type { RestoreWaits } from './restore-account.js';

// How `atakora tenant restore` reaches the temporary account's data plane as the operator.

/**
 * The environment the temporary account's client is made with: a per-account `ATAKORA_COSMOS_ENDPOINT` (with
 * `{account}`) applies to it as to every account; a fixed one stands for the live account alone, so the temporary
 * one is reached where Resource Manager says it is (with `ATAKORA_COSMOS_CA` still trusted).
 *
 * @example
 * ```ts
 * restoredEnv({ ATAKORA_COSMOS_ENDPOINT: 'https://127.0.0.1:8081/' }, 'https://127.0.0.1:9091/');
 * // { ATAKORA_COSMOS_ENDPOINT: 'https://127.0.0.1:9091/' }
 * ```
 */
export function restoredEnv(env: NodeJS.ProcessEnv, documentEndpoint: string): NodeJS.ProcessEnv {
  const override = env[ENDPOINT_VARIABLES.cosmos];
  if (!override || override.includes('{account}')) return env;
  return { ...env, [ENDPOINT_VARIABLES.cosmos]: documentEndpoint };
}

/**
 * Which refusal a data-plane 401/403 is. Learn, "Diagnose and troubleshoot Azure Cosmos DB forbidden exceptions"
 * (https://learn.microsoft.com/azure/cosmos-db/troubleshoot-forbidden): a request the firewall blocks is a 403 whose
 * message says the path it came by — "Request originated from client IP … through public internet", "… client VNET
 * through service endpoint", "… through private endpoint" — and a principal without a data role is a 403 with
 * substatus 5301 (5302: a role missing the action) "… does not have required RBAC permissions to perform action".
 * `network` never heals by waiting; `role` does (a new assignment takes minutes to spread); anything else 401/403
 * is taken as the role's too. Undefined: not a refusal.
 *
 * @example
 * ```ts
 * refusalOf({ code: 403, body: { message: 'Request originated from client IP 203.0.113.9 through public internet.' } });
 * // 'network'
 * ```
 */
export function refusalOf(e: unknown): 'network' | 'role' | undefined {
  const err = e as {
    code?: unknown;
    substatus?: unknown;
    message?: unknown;
    body?: { message?: unknown };
  };
  if (err.code !== 401 && err.code !== 403) return undefined;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const said = `${text(err.body?.message)} ${text(err.message)}`;
  if (
    /Request originated from client (IP|VNET)|blocked by your Cosmos DB account firewall/i.test(
      said,
    )
  )
    return 'network';
  return 'role';
}

/**
 * Wait until the operator's new data role holds on the temporary account (Learn: a data-plane role assignment
 * may take a few minutes to apply): read one of the tenant's containers until it answers other than 401/403.
 * The firewall's 403 ends the wait at once (TENANT_RESTORE_NETWORK: the route, not the role, is wrong: see
 * {@link refusalOf}); any other failure too (TENANT_RESTORE_FAILED).
 *
 * @example
 * ```ts
 * await untilReadable(connection, new Map([['note-db', new Set(['note'])]]), 'cosmos-app-prod-r1a2b3c4d5', waits);
 * ```
 */
export async function untilReadable(
  c: CosmosConnection,
  databases: ReadonlyMap<string, ReadonlySet<string>>,
  temp: string,
  waits: RestoreWaits,
): Promise<void> {
  const [first] = databases;
  if (!first) return;
  const [database, containers] = first;
  const [name = ''] = containers;
  let fatal: unknown;
  const outcome = await pollUntil(
    async () => {
      try {
        await c.client.database(database).container(name).read();
        return { ok: true, said: 'readable' };
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (refusalOf(e) === 'role') return `HTTP ${String(code)}`;
        fatal = e;
        return { ok: true, said: 'failed' };
      }
    },
    {
      timeoutMs: 10 * 60_000,
      ...(waits.pollMs !== undefined
        ? { initialDelayMs: waits.pollMs, maxDelayMs: waits.pollMs }
        : {}),
      onAttempt: (_n, last) => {
        waits.progress(`${waits.label}: waiting for the data role on ${temp} (${last})\n`);
      },
    },
  );
  if (fatal !== undefined && refusalOf(fatal) === 'network')
    throw new AtakoraError(
      'TENANT_RESTORE_NETWORK',
      `Cosmos DB's firewall refused this machine on temporary account ${temp} (${printable(firstLine(fatal))}): ` +
        'the network path is wrong, not a role still spreading. Nothing of it was read; it is deleted.',
      {
        path: ['tenant', 'restore'],
        resolution:
          "Run the restore from where the account is reachable: inside the backend's VNet for an isolated " +
          `backend (DNS resolving ${COSMOS_PRIVATE_ZONE}), else pass --operator-address with this machine's ` +
          'public address (the one in the message).',
      },
    );
  if (!outcome.ok || fatal !== undefined)
    throw new AtakoraError(
      'TENANT_RESTORE_FAILED',
      `reading ${database}/${name} of temporary account ${temp} failed: ` +
        `${fatal === undefined ? outcome.last : firstLine(fatal)}.`,
      { path: ['tenant', 'restore'] },
    );
}

/**
 * The signed-in principal's object id: the `oid` claim of the Resource Manager token (Microsoft identity platform
 * access token claims, https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference) — the id a
 * Cosmos DB role assignment names. Undefined when the token is not a JWT with one (an opaque `ATAKORA_ARM_TOKEN`).
 *
 * @example
 * ```ts
 * principalOf(await azureToken(arm, process.env)); // '5d2b0c0e-…'
 * ```
 */
export function principalOf(token: string): string | undefined {
  try {
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { oid?: unknown };
    if (typeof payload.oid === 'string' && payload.oid !== '') return payload.oid;
  } catch {
    // Not a JWT (ATAKORA_ARM_TOKEN given as an opaque token): no principal to name.
  }
  return undefined;
}
