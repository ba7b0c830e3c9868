import type { Container } from '../azure/cosmos.js';
import { AtakoraError } from '../../model/errors.js';
import { tenantRecordOf, type TenantRecord } from '../../runtime/tenants/tenant-record.js';
import {
  changedTenantRecord,
  newTenantRecord,
  tombstoneOf,
  STRIPE_CUSTOMER_ID,
  tenantChangeIssues,
  tenantIdIssue,
} from '../../contract/tenants.js';
import type { TenantTarget } from './connect.js';
import { recordChanges } from '../../runtime/audit/record-changes.js';
import { recordCliAudit } from './audit/audit-data.js';
import { printable } from '../shared/terminal-text.js';
import { erasedRefusal } from './registry-record.js';

const statusOf = (e: unknown): unknown => (e as { code?: unknown }).code;

/** What `tenant add` and `tenant set` write besides the status: the plan, a display name, the Stripe customer. */
export interface RecordChange {
  readonly plan?: string | undefined;
  readonly name?: string | undefined;
  /** The Stripe customer (`--stripe-customer`), checked by the command; `null` removes it. */
  readonly billing?: { readonly stripeCustomerId: string | null } | undefined;
}

/** The outcome of a registry command: the record as now stored, and whether anything changed. */
export interface RegistryOutcome {
  readonly record: TenantRecord;
  readonly changed: boolean;
}

async function registryOf(target: TenantTarget, command: string): Promise<Container> {
  const r = target.layout.registry;
  if (!r)
    throw new AtakoraError(
      'TENANT_COMMAND_REFUSED',
      `atakora tenant ${command}: ${target.backend.backendId} has no tenant registry (its auth.allowedTenants is ` +
        "not 'registry'). Nothing was read or written.",
      {
        path: ['auth', 'allowedTenants'],
        resolution:
          "Set auth.allowedTenants: 'registry' and tenants: { plans, defaultPlan } in the backend's config, and " +
          'deploy (or restart atakora dev) once.',
      },
    );
  return target.container(r.endpoint, r.database, r.container);
}

// The record rules (plans, statuses, names, ids) are the contract's (contract/tenants.ts), shared with the
// runtime's TenantAdmin API: one answer to "what is a valid record change".
function checkChange(target: TenantTarget, change: RecordChange, command: string): void {
  if (change.plan !== undefined) checkPlan(target, change.plan, command);
  const [issue] = tenantChangeIssues({ name: change.name }, []);
  if (issue)
    throw new AtakoraError(
      'TENANT_RECORD_INVALID',
      `atakora tenant ${command}: --name: ${issue.message} Nothing was written.`,
      {
        path: ['tenant', command, '--name'],
        resolution: 'Pass the display name as plain text on one line (at most 256 characters).',
      },
    );
}

function checkPlan(target: TenantTarget, plan: string, command: string): void {
  const plans = Object.keys(target.backend.config.tenants?.plans ?? {});
  if (tenantChangeIssues({ plan }, plans).length > 0)
    throw new AtakoraError(
      'TENANT_PLAN_UNKNOWN',
      `atakora tenant ${command}: plan ${JSON.stringify(plan)} is not one of the backend's tenants.plans ` +
        `(${plans.join(', ') || 'none'}). Nothing was written.`,
      {
        path: ['tenant', command, '--plan'],
        resolution: `Pass --plan ${plans[0] ?? '<plan>'}, or add the plan to tenants.plans in the config.`,
      },
    );
}

/**
 * A change's Stripe customer checked where every caller's change passes (the CLI's `--stripe-customer`, the model,
 * scripts): `cus_` then letters and digits, or null to remove it. BILLING_CUSTOMER_INVALID before anything is read.
 */
export function checkCustomer(change: RecordChange, command: string): void {
  const id = change.billing?.stripeCustomerId;
  if (id === undefined || id === null || STRIPE_CUSTOMER_ID.test(id)) return;
  throw new AtakoraError(
    'BILLING_CUSTOMER_INVALID',
    `atakora tenant ${command}: --stripe-customer ${JSON.stringify(id)} is not a Stripe customer id (cus_ followed ` +
      'by letters and digits). Nothing was written.',
    {
      path: ['tenant', command, '--stripe-customer'],
      resolution:
        "Copy the customer's id from Stripe (Customers → the customer → cus_…), or pass '' to remove it.",
    },
  );
}

/** The stored item of `tid` (a record or a tombstone), or undefined. */
async function readItem(
  container: Container,
  tid: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    const { resource } = await container.item(tid, tid).read<Record<string, unknown>>();
    return resource;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}

/**
 * The record of `tid`, or undefined when there is none — and the refusal when `tid` is an erased organization's
 * tombstone: its id is never given again, nor changed (DESIGN §2, "One life per organization…").
 */
async function read(
  container: Container,
  tid: string,
  command: string,
  target: TenantTarget,
): Promise<TenantRecord | undefined> {
  const item = await readItem(container, tid);
  const tombstone = tombstoneOf(item);
  if (tombstone) throw erasedRefusal(target, tombstone, command);
  return item ? tenantRecordOf(item) : undefined;
}

/**
 * Register `tid` (active, on `--plan` or the default plan). Safe to run twice: a record already there with the plan
 * and name asked for (or none asked for) is left as it is (`changed: false`); one with another plan or name is
 * refused (TENANT_ALREADY_REGISTERED, naming `tenant set`), never changed behind the operator's back.
 *
 * @example
 * ```ts
 * await addTenant(target, '72f988bf-…', { plan: 'pro', name: 'Contoso' });
 * ```
 */
export async function addTenant(
  target: TenantTarget,
  tid: string,
  change: RecordChange,
): Promise<RegistryOutcome> {
  const plan = change.plan ?? target.backend.config.tenants?.defaultPlan ?? '';
  const reserved = tenantIdIssue(tid);
  if (reserved)
    throw new AtakoraError(
      'TENANT_COMMAND_REFUSED',
      `atakora tenant add: ${reserved.message} Nothing was written.`,
      {
        path: ['tenant', 'add', '<tid>'],
        resolution: "Pass the directory's id: its users' tid claim (a GUID).",
      },
    );
  checkChange(target, { ...change, plan }, 'add');
  checkCustomer(change, 'add');
  const container = await registryOf(target, 'add');
  const existing = await read(container, tid, 'add', target);
  if (existing) return { record: sameAsAsked(target, existing, change), changed: false };
  const record = newTenantRecord(tid, { ...change, plan }, plan, new Date().toISOString());
  try {
    await container.items.create({ ...record });
    if (target.backend.config.tenants?.membership)
      await recordCliAudit(target, tid, [
        { action: 'organization.created', changes: { plan: record.plan, status: record.status } },
      ]);
    return { record, changed: true };
  } catch (e) {
    if (statusOf(e) !== 409) throw e;
    const raced = await read(container, tid, 'add', target);
    return { record: raced ? sameAsAsked(target, raced, change) : record, changed: false };
  }
}

/** The record already there, when it says what `add` asked (the plan and name given); else the refusal. */
function sameAsAsked(
  target: TenantTarget,
  existing: TenantRecord,
  asked: RecordChange,
): TenantRecord {
  const differs = [
    ...(asked.plan !== undefined && asked.plan !== existing.plan
      ? [`plan ${existing.plan} (not ${asked.plan})`]
      : []),
    ...(asked.name !== undefined && asked.name !== existing.name
      ? [`name ${JSON.stringify(existing.name ?? null)} (not ${JSON.stringify(asked.name)})`]
      : []),
  ];
  if (differs.length === 0) return existing;
  const set = [
    ...(asked.plan !== undefined ? [`--plan ${asked.plan}`] : []),
    ...(asked.name !== undefined ? [`--name ${JSON.stringify(asked.name)}`] : []),
  ].join(' ');
  throw new AtakoraError(
    'TENANT_ALREADY_REGISTERED',
    `atakora tenant add: tenant ${existing.id} is registered already in ${target.backend.backendId} ` +
      `(${target.where}) with ${differs.join(' and ')}. Nothing was written.`,
    {
      path: ['tenant', 'add', '<tid>'],
      resolution: `Change a registered tenant with tenant set: atakora tenant set <entry> ${existing.id} ${set}.`,
    },
  );
}

/**
 * Change a registered tenant's plan, name or status (`set`, `suspend`, `resume`); refused for a tenant that is not
 * registered. Unchanged values write nothing (`changed: false`), so each is safe to run twice.
 *
 * @example
 * ```ts
 * await updateTenant(target, '72f988bf-…', { status: 'suspended' }, 'suspend');
 * ```
 */
export async function updateTenant(
  target: TenantTarget,
  tid: string,
  change: RecordChange & { readonly status?: TenantRecord['status'] },
  command: string,
): Promise<RegistryOutcome> {
  checkChange(target, change, command);
  checkCustomer(change, command);
  const container = await registryOf(target, command);
  // The runtime writes the same record (Stripe's webhook, the Marketplace's, an Owner): written with the ETag read
  // (Learn, "Transactions and optimistic concurrency control", learn.microsoft.com/azure/cosmos-db/nosql/
  // database-transactions-optimistic-concurrency; the SDK's AccessCondition: "If ETag is current, then this will
  // succeed. Otherwise the request will fail with HTTP 412 Precondition Failure"), read and applied once more on 412.
  for (let attempt = 0; attempt < 2; attempt++) {
    const raw = await readItem(container, tid);
    const tombstone = tombstoneOf(raw);
    if (tombstone) throw erasedRefusal(target, tombstone, command);
    const existing = raw ? tenantRecordOf(raw) : undefined;
    if (!existing) throw notRegistered(target, tid, command);
    const record = changedTenantRecord(existing, change, new Date().toISOString());
    if (!record) return { record: existing, changed: false };
    const written = await replaceIfMatch(container, record, String(raw?.['_etag']));
    if (written === 'missing') throw notRegistered(target, tid, command);
    if (written === 'changed') continue;
    await recordCliAudit(target, tid, recordChanges(existing, record));
    return { record, changed: true };
  }
  throw new AtakoraError(
    'TENANT_RECORD_CHANGED',
    `atakora tenant ${command}: tenant ${tid}'s record changed twice while this command wrote it (the runtime — ` +
      "Stripe's or Microsoft's webhook, an Owner — writes it too). Nothing of this command was written.",
    { path: ['tenant', command, '<tid>'] },
  );
}

/** `record` replacing the stored one only if it is still at `etag`: true, or 'changed' (412) / 'missing' (404). */
async function replaceIfMatch(
  container: Container,
  record: TenantRecord,
  etag: string,
): Promise<true | 'changed' | 'missing'> {
  try {
    await container
      .item(record.id, record.id)
      .replace({ ...record }, { accessCondition: { type: 'IfMatch', condition: etag } });
    return true;
  } catch (e) {
    if (statusOf(e) === 412) return 'changed';
    if (statusOf(e) === 404) return 'missing';
    throw e;
  }
}

function notRegistered(target: TenantTarget, tid: string, command: string): AtakoraError {
  return new AtakoraError(
    'TENANT_COMMAND_REFUSED',
    `atakora tenant ${command}: tenant ${tid} is not registered in ${target.backend.backendId} ` +
      `(${target.where}). Nothing was written.`,
    {
      path: ['tenant', command, '<tid>'],
      resolution: `Register it first: atakora tenant add <entry> ${tid} --plan <plan>.`,
    },
  );
}

/**
 * Every registered tenant, by id — an erased organization's tombstone is none: it holds nothing to list but its id
 * (`tenant add` of that id says when it was erased).
 *
 * @example
 * ```ts
 * (await listTenants(target)).map((r) => `${r.id} ${r.status}`);
 * ```
 */
export async function listTenants(target: TenantTarget): Promise<TenantRecord[]> {
  const container = await registryOf(target, 'list');
  const { resources } = await container.items
    .query<Record<string, unknown>>('SELECT * FROM c')
    .fetchAll();
  return resources
    .map(tenantRecordOf)
    .filter((r): r is TenantRecord => r !== undefined)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The registry as a table: id, status, plan, name, updated, each cell's control characters escaped (a name with an
 * escape sequence shows as `\x1b[2J`, it does not clear the operator's screen).
 *
 * @example
 * ```ts
 * io.out(tenantTable(await listTenants(target)));
 * ```
 */
export function tenantTable(records: readonly TenantRecord[]): string {
  const header = ['TENANT', 'STATUS', 'PLAN', 'NAME', 'UPDATED'];
  // Every cell is what some writer of the registry chose: escaped before it is measured and printed.
  const rows = [
    header,
    ...records.map((r) => [r.id, r.status, r.plan, r.name ?? '', r.updatedOn].map(printable)),
  ];
  const widths = header.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    row
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${rows.map(line).join('\n')}\n`;
}
