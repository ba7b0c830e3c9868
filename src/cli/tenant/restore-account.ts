import { createHash } from 'node:crypto';
import { AtakoraError } from '../../model/errors.js';
import {
  accountUrl,
  type ArmSession,
  type CosmosAccount,
  operationStatus,
  parseAccount,
  readAccount,
  readerAssignment,
  restoreBody,
  startOperation,
} from '../azure/cosmos-accounts.js';
import { AzureRequestError } from '../azure/errors.js';

/** How the temporary account's operations are waited for, and where their progress goes. */
export interface RestoreWaits {
  readonly progress: (line: string) => void;
  /** Between two looks at an operation (default Resource Manager's Retry-After, else 10 s). */
  readonly pollMs?: number;
  /** Give up on one operation after this long (a restore of a large account takes hours). */
  readonly timeoutMs: number;
  /** `tenant restore <tid>`, the start of every progress line. */
  readonly label: string;
}

/** The tags a temporary account carries: what made it, from which account, to which time. */
export const RESTORE_TAGS = {
  madeBy: 'atakora-tenant-restore',
  source: 'atakora-restore-of',
  at: 'atakora-restore-at',
} as const;

/**
 * The temporary account's name: the live account's (cut to 30 characters) and a hash of the account, the tenant
 * and the time — the same for the same command, so a run after a kill finds the account the first one made. At
 * most 42 characters of `a-z0-9-` (an account name is 3–44, Learn "Azure Cosmos DB service quotas").
 *
 * @example
 * ```ts
 * temporaryAccountName('cosmos-app-prod', 'contoso', '2026-11-20T09:00:00.000Z'); // 'cosmos-app-prod-r1a2b3c4d5e'
 * ```
 */
export function temporaryAccountName(live: string, tenant: string, at: string): string {
  const hash = createHash('sha256').update(`${live}\n${tenant}\n${at}`).digest('hex').slice(0, 10);
  return `${live.slice(0, 30).replace(/-+$/, '')}-r${hash}`;
}

/**
 * Create (or take up again) the temporary account restored from `restoreSource` at `at`, holding `databases` only,
 * and wait until it is provisioned. An account of that name made by an interrupted run for the same source and time
 * (its tags) is reused once provisioned, and deleted then made again when its provisioning failed; an account of
 * that name made by anything else is refused (TENANT_RESTORE_FAILED), never touched.
 *
 * @example
 * ```ts
 * const temp = await provisionRestoreAccount(session, 'rg-app-prod', live, name, source.id, at, dbs, network, waits);
 * temp.documentEndpoint; // 'https://cosmos-app-prod-r1a2b3c4d5e.documents.azure.com:443/'
 * ```
 */
export async function provisionRestoreAccount(
  s: ArmSession,
  resourceGroup: string,
  live: CosmosAccount,
  name: string,
  restoreSource: string,
  at: string,
  databases: readonly { databaseName: string; collectionNames: readonly string[] }[],
  network: Readonly<Record<string, unknown>>,
  waits: RestoreWaits,
): Promise<CosmosAccount> {
  const url = accountUrl(s, resourceGroup, name);
  const existing = await armStep(`reading ${name}`, () => readAccount(s, resourceGroup, name));
  if (existing) {
    if (existing.tags[RESTORE_TAGS.source] !== live.name || existing.tags[RESTORE_TAGS.at] !== at)
      throw new AtakoraError(
        'TENANT_RESTORE_FAILED',
        `An account named ${name} exists in ${resourceGroup} and was not made by this restore (its tags differ). ` +
          'It was left untouched; nothing was changed.',
        {
          path: ['tenant', 'restore'],
          resolution: `Look at ${name}: delete it if it is a leftover, then run the command again.`,
        },
      );
    if (existing.provisioningState === 'Failed') {
      waits.progress(
        `${waits.label}: ${name} of an earlier run failed to provision; deleting it\n`,
      );
      await deleteAccount(s, resourceGroup, name, waits);
    } else if (existing.provisioningState === 'Deleting') {
      // An earlier run's clean-up still under way: the name is free once it ends.
      await untilGone(s, resourceGroup, name, waits);
    } else {
      waits.progress(`${waits.label}: taking up temporary account ${name} of an earlier run\n`);
      return await untilProvisioned(s, resourceGroup, name, waits);
    }
  }
  const tags = {
    [RESTORE_TAGS.madeBy]: 'true',
    [RESTORE_TAGS.source]: live.name,
    [RESTORE_TAGS.at]: at,
  };
  waits.progress(
    `${waits.label}: creating temporary account ${name} (${live.name} as at ${at}, databases ` +
      `${databases.map((d) => d.databaseName).join(', ')}); a restore takes minutes to hours\n`,
  );
  const op = await armStep(`creating ${name}`, () =>
    startOperation(
      s,
      'PUT',
      url,
      restoreBody(live, restoreSource, at, databases, tags, network),
      `creating ${name}`,
    ),
  );
  // A PUT answered at once (200, provisioned, no operation to follow) is the account.
  const made = parseAccount(op.answer.json());
  if (!op.statusUrl && made.provisioningState === 'Succeeded' && made.documentEndpoint) return made;
  if (op.statusUrl) await untilDone(s, op.statusUrl, `creating ${name}`, waits, op.retryAfterMs);
  return await untilProvisioned(s, resourceGroup, name, waits);
}

/**
 * Give `principalId` Cosmos DB Built-in Data Reader on the temporary account (a role assignment whose id is derived
 * from the account and the principal: a second run writes the same one), and wait for the operation.
 *
 * @example
 * ```ts
 * await assignReader(session, 'rg-app-prod', temp.name, oid, waits);
 * ```
 */
export async function assignReader(
  s: ArmSession,
  resourceGroup: string,
  name: string,
  principalId: string,
  waits: RestoreWaits,
): Promise<void> {
  const url = accountUrl(s, resourceGroup, name);
  const id = url.slice(s.endpoint.length);
  const h = createHash('sha256').update(`${id}\n${principalId}`).digest('hex');
  const guid = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  waits.progress(`${waits.label}: granting you Cosmos DB Built-in Data Reader on ${name}\n`);
  const what = `assigning the data reader role on ${name}`;
  const op = await armStep(what, () =>
    startOperation(
      s,
      'PUT',
      `${url}/sqlRoleAssignments/${guid}`,
      readerAssignment(id, principalId),
      what,
    ),
  );
  if (op.statusUrl) await untilDone(s, op.statusUrl, what, waits, op.retryAfterMs);
}

/**
 * Delete an account and wait until it is gone (a 404 is gone already).
 *
 * @example
 * ```ts
 * await deleteAccount(session, 'rg-app-prod', temp.name, waits);
 * ```
 */
export async function deleteAccount(
  s: ArmSession,
  resourceGroup: string,
  name: string,
  waits: RestoreWaits,
): Promise<void> {
  const what = `deleting ${name}`;
  let op;
  try {
    op = await startOperation(s, 'DELETE', accountUrl(s, resourceGroup, name), undefined, what);
  } catch (e) {
    if (e instanceof AzureRequestError && e.status === 404) return;
    throw stepFailed(what, e);
  }
  if (op.statusUrl) await untilDone(s, op.statusUrl, what, waits, op.retryAfterMs);
  waits.progress(`${waits.label}: temporary account ${name} deleted\n`);
}

/**
 * Poll an operation's status URL until it ends; Failed or Canceled, or the deadline, is TENANT_RESTORE_FAILED.
 *
 * @example
 * ```ts
 * if (op.statusUrl) await untilDone(session, op.statusUrl, 'locking the account', waits, op.retryAfterMs);
 * ```
 */
export async function untilDone(
  s: ArmSession,
  statusUrl: string,
  what: string,
  waits: RestoreWaits,
  retryAfterMs: number | undefined,
): Promise<void> {
  const start = Date.now();
  for (;;) {
    const { status, message } = await armStep(what, () => operationStatus(s, statusUrl, what));
    if (status === 'Succeeded') return;
    if (status === 'Failed' || status === 'Canceled')
      throw new AtakoraError(
        'TENANT_RESTORE_FAILED',
        `${what}: Resource Manager reports ${status}${message ? ` (${message})` : ''}.`,
        { path: ['tenant', 'restore'] },
      );
    const elapsed = Date.now() - start;
    waits.progress(`${waits.label}: ${what}: ${status} (${minutes(elapsed)})\n`);
    if (elapsed > waits.timeoutMs)
      throw new AtakoraError(
        'TENANT_RESTORE_FAILED',
        `${what}: still ${status} after ${minutes(elapsed)}; the command stopped waiting.`,
        { path: ['tenant', 'restore'] },
      );
    await new Promise((r) => setTimeout(r, waits.pollMs ?? retryAfterMs ?? 10_000));
  }
}

/** Read the account until its provisioningState is Succeeded (an operation may end before the account says so). */
function untilProvisioned(
  s: ArmSession,
  resourceGroup: string,
  name: string,
  waits: RestoreWaits,
): Promise<CosmosAccount> {
  return pollAccount<CosmosAccount>(s, resourceGroup, name, waits, (a, elapsed) => {
    const state = a?.provisioningState ?? 'missing';
    if (a && state === 'Succeeded') return { done: a };
    if (state === 'Failed' || state === 'missing' || elapsed > waits.timeoutMs)
      return { fail: `temporary account ${name} is ${state} after ${minutes(elapsed)}.` };
    return { wait: `${name}: ${state}` };
  });
}

/** Read the account until Resource Manager no longer shows it. */
function untilGone(
  s: ArmSession,
  resourceGroup: string,
  name: string,
  waits: RestoreWaits,
): Promise<void> {
  return pollAccount<undefined>(s, resourceGroup, name, waits, (a, elapsed) => {
    if (!a) return { done: undefined };
    if (elapsed > waits.timeoutMs)
      return {
        fail:
          `temporary account ${name} of an earlier run is still ${a.provisioningState ?? 'there'} after ` +
          `${minutes(elapsed)}.`,
      };
    return { wait: `${name} of an earlier run: ${a.provisioningState ?? ''}` };
  });
}

/** What one reading of the account says: done (with the answer), failed (why), or wait (what to show meanwhile). */
type AccountVerdict<T> = { done: T } | { fail: string } | { wait: string };

/** Read the account every `pollMs` until `judge` says done or failed; a failure is TENANT_RESTORE_FAILED. */
async function pollAccount<T>(
  s: ArmSession,
  resourceGroup: string,
  name: string,
  waits: RestoreWaits,
  judge: (account: CosmosAccount | undefined, elapsedMs: number) => AccountVerdict<T>,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const a = await armStep(`reading ${name}`, () => readAccount(s, resourceGroup, name));
    const elapsed = Date.now() - start;
    const verdict = judge(a, elapsed);
    if ('done' in verdict) return verdict.done;
    if ('fail' in verdict)
      throw new AtakoraError('TENANT_RESTORE_FAILED', verdict.fail, {
        path: ['tenant', 'restore'],
      });
    waits.progress(`${waits.label}: ${verdict.wait} (${minutes(elapsed)})\n`);
    await new Promise((r) => setTimeout(r, waits.pollMs ?? 10_000));
  }
}

const minutes = (ms: number) =>
  `${String(Math.floor(ms / 60_000))} min ${String(Math.floor(ms / 1000) % 60)} s`;

/**
 * Run one Resource Manager step; its failure is TENANT_RESTORE_FAILED naming the step and the status.
 *
 * @example
 * ```ts
 * const live = await armStep('reading cosmos-app-prod', () => readAccount(session, rg, 'cosmos-app-prod'));
 * ```
 */
export async function armStep<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof AtakoraError) throw e;
    throw stepFailed(what, e);
  }
}

function stepFailed(what: string, e: unknown): AtakoraError {
  const status =
    e instanceof AzureRequestError
      ? e.status === undefined
        ? (e.network ?? 'no answer')
        : `HTTP ${String(e.status)}${e.azureCode ? ` ${e.azureCode}` : ''}`
      : 'error';
  const said = e instanceof AzureRequestError ? (e.azureMessage ?? e.body) : String(e);
  return new AtakoraError(
    'TENANT_RESTORE_FAILED',
    `${what} failed (${status}: ${said.slice(0, 200)}).`,
    {
      path: ['tenant', 'restore'],
    },
  );
}
