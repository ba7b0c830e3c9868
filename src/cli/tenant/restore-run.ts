import type { ResourcePlan } from '../../model/plan.js';
import type { ArmSession, CosmosAccount, RestorableAccount } from '../azure/cosmos-accounts.js';
import type { RestorableDatabase } from '../azure/restore/restorable.js';
import type { CosmosConnection } from '../azure/cosmos.js';
import type { TenantTarget } from './connect.js';
import type { RestoreWaits } from './restore-account.js';
import type { NetworkLock } from './restore-network.js';

// What one `atakora tenant restore` carries from its checks (restore-checks.ts) to its copy (restore.ts).

/** One restore under way: what every step reads, and what the clean-up needs to know. */
export interface Run {
  readonly target: TenantTarget;
  /** The deployed plan (names resolved for the deployment): network, throughput and backup facts. */
  readonly plan: ResourcePlan;
  readonly tenant: string;
  readonly at: string;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly owners: readonly string[];
  /** `--operator-address`: who alone may reach a public backend's temporary account. */
  readonly operator: readonly string[];
  readonly session: ArmSession;
  readonly rg: string;
  readonly waits: RestoreWaits;
  /** Where the tenant's items as at `at` are exported to. */
  readonly dir: string;
  /** Per live account endpoint, the client of its temporary account. */
  readonly connections: Map<string, CosmosConnection>;
  /** The erase began: the live items may be gone, the export is the copy to keep. */
  erasing: boolean;
}

/** One live account holding tenant data, and the databases and containers of it that the tenant's items are in. */
export interface LiveAccount {
  readonly name: string;
  readonly endpoint: string;
  readonly databases: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Per live account: everything checked before its temporary account is made. */
export interface Plan {
  readonly account: LiveAccount;
  readonly live: CosmosAccount;
  readonly source: RestorableAccount;
  /** The temporary account's name. */
  readonly temp: string;
  /** `databasesToRestore`: what existed at `at` (a shared-throughput database whole); empty: nothing to restore. */
  readonly databases: readonly RestorableDatabase[];
  /** The tenant's containers among them (database → containers): what is read from the temporary account. */
  readonly restored: ReadonlyMap<string, ReadonlySet<string>>;
  readonly lock: NetworkLock;
}

/**
 * The live accounts of the tenant's entities, by endpoint, with their databases and containers.
 *
 * @example
 * ```ts
 * liveAccounts(target).map((a) => a.name); // ['cosmos-app-prod']
 * ```
 */
export function liveAccounts(target: TenantTarget): LiveAccount[] {
  const byEndpoint = new Map<
    string,
    { name: string; endpoint: string; databases: Map<string, Set<string>> }
  >();
  for (const e of target.layout.entities) {
    let a = byEndpoint.get(e.endpoint);
    if (!a) {
      const name = new URL(e.endpoint).hostname.split('.')[0] ?? '';
      byEndpoint.set(e.endpoint, (a = { name, endpoint: e.endpoint, databases: new Map() }));
    }
    const containers = a.databases.get(e.database) ?? new Set<string>();
    containers.add(e.container);
    a.databases.set(e.database, containers);
  }
  return [...byEndpoint.values()];
}
