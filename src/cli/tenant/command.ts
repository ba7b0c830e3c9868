import { AtakoraError } from '../../model/errors.js';
import { HELP } from '../commands.js';
import { UsageError } from '../shared/usage-error.js';
import { commandLine, type CommandIo } from '../shared/command-line.js';
import { TENANT_ID as TENANT } from '../shared/tenant-id.js';
import { type TargetOptions, tenantTarget } from './connect.js';
import { addTenant, listTenants, tenantTable, updateTenant } from './registry-admin.js';
import { membersTable, tenantMembers } from './members.js';
import { organizationIdIssue } from '../../contract/members.js';
import { eraseTenant, receiptText } from './erase.js';
import { exportTenant } from './export.js';
import { importReceipt, importTenant } from './import.js';
import { restoreTenant } from './restore.js';
import { restoreTime } from './restore-window.js';
import { msFromEnv } from '../shared/env-ms.js';
import { confirm, type PromptInput } from '../shared/confirm.js';
import { printableLines } from '../shared/terminal-text.js';
import { subscriptionPlanLines, undeclaredPlanLines } from './plan-warnings.js';
import { IPV4_OR_RANGE } from './restore-network.js';
import { printAudit } from './audit/print-audit.js';
import { recordCliAudit } from './audit/audit-data.js';

const REGISTRY_SUBCOMMANDS: readonly string[] = [
  'add',
  'set',
  'suspend',
  'resume',
  'list',
  'members',
  'audit',
];
const SUBCOMMANDS: readonly string[] = [
  'export',
  'import',
  'delete',
  'restore',
  ...REGISTRY_SUBCOMMANDS,
];

/** Where the command writes: results on `out`, progress on `err`. */
export interface TenantIo extends CommandIo {
  /** Where `restore` asks for a confirmation without --yes (default process.stdin; asked on a terminal only). */
  readonly stdin?: PromptInput;
}

/**
 * `atakora tenant export | import | delete | restore`: a tenant's data exported, loaded (into the same or another
 * tenant id), erased with a receipt, or put back as at a point in time (docs/tenants.md). `--environment E` works
 * on the deployed account with the deployer's identity, `--local` on the running `atakora dev` of the entry.
 *
 * @example
 * ```ts
 * process.exitCode = await tenantCommand(['export', 'backend.ts', 'contoso', '--out', './contoso', '--local'], io);
 * ```
 */
export async function tenantCommand(argv: readonly string[], given: TenantIo): Promise<number> {
  try {
    return await tenantSubcommand(argv, given);
  } catch (e) {
    // An error's message may quote what came from outside (a name, an archive's field, a service's words); main
    // prints it as it is, so it is escaped here, as every other line of these commands is.
    if (e instanceof Error) e.message = printableLines(e.message);
    throw e;
  }
}

async function tenantSubcommand(argv: readonly string[], given: TenantIo): Promise<number> {
  const line = commandLine(
    argv,
    {
      help: HELP['tenant'],
      strings: [
        'environment',
        'resource-group',
        'out',
        'from',
        'tenant',
        'plan',
        'name',
        'stripe-customer',
        'at',
      ],
      booleans: ['local', 'yes', 'allow-production', 'json'],
      own: {
        owner: { type: 'string', multiple: true },
        'operator-address': { type: 'string', multiple: true },
      },
    },
    given,
  );
  if (!line) return 0;
  const { values: v, positionals } = line;
  const [sub, entry, tid, ...extra] = positionals;
  // Names, ids and item ids in what the commands print come from whoever wrote the registry or an archive: every
  // human-readable line is escaped (shared/terminal-text.ts); --json stays the exact JSON.
  const human = (write: (s: string) => void) => (s: string) => {
    write(printableLines(s));
  };
  const io: TenantIo = {
    ...given,
    out: v.json ? given.out : human(given.out),
    err: human(given.err),
  };
  if (sub === undefined) {
    io.out(`${HELP['tenant'] ?? ''}\n`);
    return 2;
  }
  if (!SUBCOMMANDS.includes(sub))
    throw new UsageError(`Unknown tenant command: ${sub} (${SUBCOMMANDS.join(', ')}).`);
  if (entry === undefined)
    throw new UsageError(`tenant ${sub} needs the entry: atakora tenant ${sub} <entry> …`);
  if (REGISTRY_SUBCOMMANDS.includes(sub)) {
    if (extra.length > 0 || (sub === 'list' && tid !== undefined))
      throw new UsageError(
        `tenant ${sub}: unexpected ${[...(sub === 'list' ? [tid] : []), ...extra].join(' ')}.`,
      );
    if (sub !== 'list') {
      if (tid === undefined)
        throw new UsageError(
          `tenant ${sub} needs the tenant id: atakora tenant ${sub} <entry> <tid> …`,
        );
      checkTenant(tid, '<tid>');
    }
    return registryCommand(sub, entry, tid ?? '', v, io);
  }
  if (extra.length > 0 || (sub === 'import' && tid !== undefined))
    throw new UsageError(
      `tenant ${sub}: unexpected ${[...(sub === 'import' ? [tid] : []), ...extra].join(' ')}.`,
    );
  const owners = v.owner ?? [];
  const progress = (line: string): void => {
    io.err(line);
  };
  if (sub === 'import') {
    if (v.from === undefined)
      throw new UsageError('tenant import needs --from <dir> (a folder tenant export wrote).');
    if (v.tenant !== undefined) checkTenant(v.tenant, '--tenant');
    const target = await tenantTarget(entry, v, 'import');
    try {
      const report = await importTenant(target, v.from, {
        ...(v.tenant !== undefined ? { tenant: v.tenant } : {}),
        progress,
      });
      // The command that sets the customer, for the target the import wrote to (copied as is).
      const at = v.local
        ? ' --local'
        : v.environment !== undefined
          ? ` --environment ${v.environment}`
          : '';
      for (const line of importReceipt(report, `${entry} ${report.tenant}${at}`, target.where))
        io.out(line);
    } finally {
      target.dispose();
    }
    return 0;
  }
  if (tid === undefined)
    throw new UsageError(
      `tenant ${sub} needs the tenant id: atakora tenant ${sub} <entry> <tid> …`,
    );
  checkTenant(tid, '<tid>');
  if (sub === 'export') {
    if (v.out === undefined) throw new UsageError('tenant export needs --out <dir>.');
    const target = await tenantTarget(entry, v, 'export');
    try {
      const m = await exportTenant(target, tid, v.out, { owners, progress });
      const total = Object.values(m.components).reduce((s, c) => s + c.items, 0);
      io.out(
        `Exported tenant ${tid} (${target.where}): ${String(total)} item(s) of ` +
          `${String(Object.keys(m.components).length)} component(s) to ${v.out}.\n`,
      );
    } finally {
      target.dispose();
    }
    return 0;
  }
  if (sub === 'restore') return restoreCommand(entry, tid, v, owners, io);
  // delete: refused before anything is read.
  if (!v.yes)
    throw new AtakoraError(
      'TENANT_COMMAND_REFUSED',
      `atakora tenant delete erases every item of tenant ${tid} and its registry record; it needs --yes. Nothing ` +
        'was read or deleted.',
      { path: ['tenant', 'delete', '--yes'] },
    );
  const target = await tenantTarget(entry, v, 'delete');
  try {
    if (!v.local && target.backend.environment === 'prod' && !v['allow-production'])
      throw new AtakoraError(
        'TENANT_COMMAND_REFUSED',
        `atakora tenant delete refuses environment prod of ${target.backend.backendId} without ` +
          '--allow-production. Nothing was read or deleted.',
        { path: ['tenant', 'delete', '--allow-production'] },
      );
    const receipt = await eraseTenant(target, tid, { owners, progress });
    await recordCliAudit(target, tid, [{ action: 'tenant.erased', changes: { ...receipt.items } }]);
    io.out(receiptText(receipt));
  } finally {
    target.dispose();
  }
  return 0;
}

/**
 * `restore`: refused before anything is read or created without --at or --environment, in prod without
 * --allow-production, and on a terminal when the question is not answered yes (--yes skips it). Elsewhere it runs
 * without --yes, as DESIGN writes the command: the live items it replaces stay in the same continuous backup, and
 * the line printed first says how to put them back.
 */
async function restoreCommand(
  entry: string,
  tid: string,
  v: TargetOptions & {
    at?: string;
    yes?: boolean;
    'allow-production'?: boolean;
    'operator-address'?: string[];
  },
  owners: readonly string[],
  io: TenantIo,
): Promise<number> {
  if (v.at === undefined)
    throw new UsageError(
      'tenant restore needs --at <ISO time> (the point in time to put the tenant back to).',
    );
  if (v.local)
    throw new UsageError(
      "tenant restore works on a deployed environment (its account's continuous backup): drop --local, name " +
        '--environment.',
    );
  // Refused before the entry is loaded or anything asked of Azure.
  restoreTime(v.at);
  for (const a of v['operator-address'] ?? [])
    if (!IPV4_OR_RANGE.test(a))
      throw new UsageError(
        `tenant restore --operator-address ${printableLines(a)} is not a public IPv4 address or CIDR range ` +
          '(e.g. 203.0.113.7 or 203.0.113.0/24): what a Cosmos DB IP rule admits.',
      );
  const target = await tenantTarget(entry, v, 'restore');
  try {
    if (target.backend.environment === 'prod' && !v['allow-production'])
      throw new AtakoraError(
        'TENANT_COMMAND_REFUSED',
        `atakora tenant restore refuses environment prod of ${target.backend.backendId} without ` +
          '--allow-production. Nothing was read or created.',
        { path: ['tenant', 'restore', '--allow-production'] },
      );
    const started = new Date().toISOString();
    const stdin = io.stdin ?? process.stdin;
    if (!v.yes && stdin.isTTY) {
      const yes = await confirm(
        `Replace every item of tenant ${tid} in ${target.where} with its items as at ${v.at}?`,
        stdin,
        io.err,
      );
      if (!yes)
        throw new AtakoraError(
          'TENANT_COMMAND_REFUSED',
          `atakora tenant restore of ${tid} was not confirmed. Nothing was read or created.`,
          { path: ['tenant', 'restore', '--yes'] },
        );
    }
    io.err(
      `tenant restore ${tid}: its items as they are now (${started}) stay in the continuous backup: ` +
        `atakora tenant restore ${entry} ${tid} --at ${started} --environment ${target.where} puts them back\n`,
    );
    const env = process.env;
    const pollMs = msFromEnv(env, 'ATAKORA_RESTORE_POLL_MS', -1);
    const r = await restoreTenant(target, tid, v.at, {
      owners,
      operatorAddresses: v['operator-address'] ?? [],
      progress: (line) => {
        io.err(line);
      },
      ...(pollMs >= 0 ? { pollMs } : {}),
    });
    const created = Object.values(r.imported.components).reduce((s, c) => s + c.created.length, 0);
    const erased = Object.values(r.erased.items).reduce((s, n) => s + n, 0);
    io.out(
      `Restored tenant ${tid} (${target.where}) to ${r.at}: ${String(erased)} item(s) erased, ${String(created)} ` +
        `item(s) as at then created, from temporary account(s) ` +
        `${Object.values(r.temporaryAccounts).join(', ')} (deleted). Other tenants were not touched.\n`,
    );
    return 0;
  } finally {
    target.dispose();
  }
}

/** `add | set | suspend | resume | list`: the tenant registry, read and written with the target's identity. */
async function registryCommand(
  sub: string,
  entry: string,
  tid: string,
  v: TargetOptions & {
    plan?: string;
    name?: string;
    'stripe-customer'?: string;
    json?: boolean;
  },
  io: TenantIo,
): Promise<number> {
  const target = await tenantTarget(entry, v, sub);
  try {
    if (sub === 'list') {
      const records = await listTenants(target);
      io.out(v.json ? `${JSON.stringify(records, null, 2)}\n` : tenantTable(records));
      // Records whose plan the config no longer declares get defaultPlan's limits: said on stderr.
      for (const line of undeclaredPlanLines(records, target.backend.config.tenants)) io.err(line);
      return 0;
    }
    if (sub === 'audit') return await printAudit(target, tid, v.json === true, io);
    if (sub === 'members') {
      const members = await tenantMembers(target, tid);
      io.out(v.json ? `${JSON.stringify(members, null, 2)}\n` : membersTable(tid, members));
      return 0;
    }
    const change = { plan: v.plan, name: v.name, ...customerChange(v['stripe-customer'], sub) };
    // An organization's id is one a request can name (X-Atakora-Tenant): lower case, 3 to 63.
    if (sub === 'add' && target.backend.config.tenants?.membership && organizationIdIssue(tid))
      throw new AtakoraError(
        'CONFIG_INVALID',
        `<tid> ${JSON.stringify(tid)} is not an organization id (3 to 63 lower-case letters, digits or "-").`,
        { path: ['<tid>'], resolution: 'Pass an organization id, e.g. acme or acme-k3x9qa.' },
      );
    const outcome =
      sub === 'add'
        ? await addTenant(target, tid, change)
        : await updateTenant(
            target,
            tid,
            sub === 'set' ? change : { status: sub === 'suspend' ? 'suspended' : 'active' },
            sub,
          );
    const r = outcome.record;
    if (v.json) io.out(`${JSON.stringify(r, null, 2)}\n`);
    else
      io.out(
        `Tenant ${r.id} (${target.where}): ${r.status}, plan ${r.plan}` +
          (r.name !== undefined ? `, ${JSON.stringify(r.name)}` : '') +
          (r.billing ? `, billed to Stripe customer ${r.billing.stripeCustomerId}` : '') +
          `${outcome.changed ? '' : ' (unchanged)'}. ${appliedWithin(v.local === true)}\n`,
      );
    for (const l of subscriptionPlanLines(v.plan, r, target.backend.config.tenants)) io.err(l);
    return 0;
  } finally {
    target.dispose();
  }
}

/**
 * `--stripe-customer cus_…` sets the tenant's Stripe customer, `--stripe-customer ''` removes it (`set`); the id is
 * checked by the registry command (registry-admin.ts `checkCustomer`). Other commands take no customer.
 */
function customerChange(
  customer: string | undefined,
  sub: string,
): { billing?: { stripeCustomerId: string | null } } {
  if (customer === undefined) return {};
  if (sub !== 'set' && sub !== 'add')
    throw new UsageError(`tenant ${sub} takes no --stripe-customer (tenant set does).`);
  return { billing: { stripeCustomerId: customer === '' && sub === 'set' ? null : customer } };
}

// atakora dev reads the registry at most a second late (ATAKORA_REGISTRY_MAX_AGE_MS); Azure's instances 30 s.
const appliedWithin = (local: boolean): string =>
  local ? 'atakora dev applies it within a second.' : 'Every instance applies it within 30 s.';

function checkTenant(tid: string, where: string): void {
  if (!TENANT.test(tid))
    throw new AtakoraError(
      'CONFIG_INVALID',
      `${where} ${JSON.stringify(tid)} is not a tenant id (letters, digits, ".", "_" or "-").`,
      { path: [where], resolution: "Pass the tenant's id: its users' tid claim (a GUID)." },
    );
}
