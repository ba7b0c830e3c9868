import type { ChildProcess } from 'node:child_process';
import type { ResourcePlan } from '../../../model/plan.js';
import type { DevFunction } from '../host/hosts.js';
import type { DevSecrets } from '../host/secrets.js';
import type { devRealtimeHub } from '../realtime/hub.js';
import type { DevSeeder } from '../seed/seed.js';
import type { DevUser } from '../sign-in/sign-in.js';
import type { DevSiteHost } from '../sites/sites.js';
import type { BlobHost } from '../storage/blob-host.js';
import type { devStorage } from '../storage/storage.js';

// What one `atakora dev` run holds while it serves: the parts started once (hub, sites, stand-ins) and what each
// (re)load replaces (the workers, the apps, the watched files, the origins), shared by start, prepare and launch.

/** One Function App served locally. */
export interface DevApp {
  readonly name: string;
  readonly url: string;
  /**
   * What the package registered, as the worker indexed it: name, trigger type, route/methods/queue/schedule;
   * a CRUD route's methods are those its operations serve (the others answer 405).
   */
  readonly functions: readonly DevFunction[];
}

/**
 * What a session stops at the end, in the reverse of the order it was added: the last part started is the first
 * stopped.
 *
 * @example
 * ```ts
 * const cleanup = new Cleanup();
 * cleanup.push(() => hub.stop());
 * await cleanup.run();
 * ```
 */
export class Cleanup {
  private readonly steps: (() => Promise<void> | void)[] = [];

  push(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  /** Add a step that runs just before the first one added (so after every other at stop). */
  beforeFirst(step: () => Promise<void> | void): void {
    this.steps.splice(1, 0, step);
  }

  async run(): Promise<void> {
    for (const step of this.steps.reverse()) await step();
  }
}

/** A session's state: what it started once and what each load replaces. */
export interface DevRun {
  readonly entry: string;
  readonly environment: string | undefined;
  readonly port: number | undefined;
  readonly user: DevUser;
  readonly adminKey: string;
  readonly dataDir: string | undefined;
  /** Where the session's state file goes (DevOptions.stateDir), absolute. */
  readonly stateDir: string;
  /** Variables read as if exported, over the environment (DevOptions.env). */
  readonly env: Readonly<Record<string, string>>;
  /** The FileStores' blob accounts come from here (DevOptions.blobHost). */
  readonly blobHost: BlobHost | undefined;
  /**
   * `lifted`: the tenant registry's plans and per-user bounds are not enforced; `features`: the same, the plans'
   * features kept (DevOptions.limits).
   */
  readonly limits: 'as-configured' | 'lifted' | 'features';
  readonly log: (line: string) => void;
  /** No one reads the workers' output (DevOptions.quietWorkers). */
  readonly quietWorkers: boolean;
  readonly progress: (step: string) => void;
  readonly cleanup: Cleanup;
  /** The packages this session built; removed at stop. */
  readonly builtPackages: Set<string>;
  readonly hub: ReturnType<typeof devRealtimeHub>;
  readonly siteHost: DevSiteHost;
  storage: ReturnType<typeof devStorage> | undefined;
  seeder: DevSeeder | undefined;
  workers: ChildProcess[];
  apps: DevApp[];
  watched: string[];
  secrets: DevSecrets;
  origins: string[];
  /** Tenants by membership (as of the last load): the session's user signs in as its verified email's user. */
  /** With tenants by membership: true, or a customers backend's external tenant its users sign in from. */
  emailUsers: boolean | string;
  /** Each load's number: packages and their folders are named by it. */
  generation: number;
  /** The schema the local data was written under: the start's, then each reload's the guard let through. */
  dataPlan: ResourcePlan | undefined;
}
