import type { RegistryCache } from '../tenants/registry-cache.js';
import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import { featuresOf } from '../../model/plans/plan-features.js';
import { planLimits } from '../tenants/plan-limits.js';
import type { TenantRecord } from '../tenants/tenant-record.js';
import { tenantGroup } from './audience.js';
import type { TenantGate } from './publisher.js';
import type { RealtimeService } from './service.js';

/**
 * The documented bound (docs/tenants.md, docs/realtime.md): a suspended tenant's sockets are closed within 15 s of
 * the suspension, in Azure and under `atakora dev` — one sweep ({@link SUSPENSION_SWEEP_MS}) and the close call's
 * deadline ({@link SUSPENSION_CLOSE_DEADLINE_MS}), on every instance that runs.
 */
export const SUSPENDED_SOCKETS_CLOSE_SECONDS = 15;

/** How often each instance sweeps the registry for recent suspensions (at most; `atakora dev` sweeps each second). */
export const SUSPENSION_SWEEP_MS = 10_000;

/** How long one close call may take before it is given up (and logged): the rest of the documented bound. */
export const SUSPENSION_CLOSE_DEADLINE_MS = 4_000;

/**
 * How long after a suspended record's last write the sweep still closes its tenant's group: a token lives at most
 * 60 minutes and its groups receive for at most 60 (audience.ts), so past this no socket of a token minted before
 * the suspension can open or hear anything, and no later token is minted (negotiate refuses within 30 s).
 */
export const SUSPENSION_WINDOW_MS = 65 * 60_000;

/** The sweep's query: records not active, written (the store's clock, in seconds) since a time. */
export type RecentSuspensions = (sinceSeconds: number) => Promise<TenantRecord[]>;

/** Options of {@link SuspendedSockets}. */
export interface SuspendedSocketsOptions {
  /** The registry's answers on this instance: the routes' own cache (routes/app-services.ts); none admits no one. */
  readonly cache: RegistryCache | undefined;
  readonly homeTenant?: string | undefined;
  /**
   * The registry's plans: a tenant whose plan lacks the `realtime` feature is sent nothing (its negotiate answers 402)
   * and its sockets — opened before a downgrade — are closed. Absent: every plan has realtime.
   */
  readonly plans?: Pick<RuntimeTenantRegistry, 'plans' | 'defaultPlan'> | undefined;
  readonly service: Pick<RealtimeService, 'closeGroup'>;
  /**
   * The recent suspensions; default the registry store's own query (`RegistryStore.recentInactive`: the registry the
   * routes read). Without either there is no sweep, and a suspension is acted on where it is read.
   */
  readonly recent?: RecentSuspensions;
  /** Default {@link SUSPENSION_SWEEP_MS}. */
  readonly sweepEveryMs?: number;
  readonly log?: (line: string) => void;
  readonly now?: () => number;
}

/**
 * A suspended tenant's sockets on this instance's watch (DESIGN §2 "Tenants are data": no realtime event reaches a
 * suspended tenant). Every connection's token lists its tenant's group (audience.ts `tenantGroup`); closing that
 * group through Web PubSub's REST API (Learn, "Web PubSub - Close Group Connections",
 * https://learn.microsoft.com/rest/api/webpubsub/dataplane/web-pub-sub/close-group-connections) takes every socket
 * of the tenant off the service, shared entities' groups included. It happens:
 * - **before anyone is answered from a record read as suspended** — the registry cache waits for {@link close}
 *   (registry-cache.ts `whenInactive`): the request refused 403 `tenant-suspended`, the send dropped, the `connect`
 *   refused. So once a request of the tenant is refused, its sockets are gone, and no later send — a shared
 *   entity's either — reaches it; a socket reopened with an older token is closed at its `connected` event (read
 *   fresh) or refused at `connect`;
 * - **by the sweep**, every {@link SUSPENSION_SWEEP_MS} on every running instance (and once at start, before this
 *   instance sends any shared event): the records suspended in the last {@link SUSPENSION_WINDOW_MS} (one query of
 *   the registry, a few RU), their groups closed and the answer kept in the cache — so the sockets close within
 *   {@link SUSPENDED_SOCKETS_CLOSE_SECONDS} s though the tenant sends nothing.
 *
 * @example
 * ```ts
 * const sockets = new SuspendedSockets({ cache: registry, homeTenant, service });
 * publisher.gateTenants(sockets);
 * sockets.start();
 * ```
 */
export class SuspendedSockets implements TenantGate {
  private readonly closing = new Map<string, Promise<void>>();
  /** Tenants refused for their plan, and when their sockets were last closed for it. */
  private readonly unsold = new Map<string, number>();
  private readonly log: (line: string) => void;
  private readonly now: () => number;
  private first: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failures = 0;

  constructor(private readonly o: SuspendedSocketsOptions) {
    this.log = o.log ?? console.error;
    this.now = o.now ?? Date.now;
  }

  /**
   * Close every socket of `tenant` (its group's connections), never the home directory's; resolves when the service
   * answered, or the call failed or passed its deadline (logged). Closes of one tenant in flight are one call.
   */
  close(tenant: string, reason = 'tenant suspended'): Promise<void> {
    // The home directory is always served, whatever record it has (registry.ts): its sockets stay.
    if (this.isHome(tenant)) return Promise.resolve();
    const running = this.closing.get(tenant);
    if (running) return running;
    const done = this.closeNow(tenant, reason).finally(() => this.closing.delete(tenant));
    this.closing.set(tenant, done);
    return done;
  }

  /**
   * Whether `tenant` receives events: the home directory always, another while its record is active and its plan has
   * the `realtime` feature (a plan without it negotiates no token: no message of it is sent, nor counted).
   */
  async admits(tenant: string): Promise<boolean> {
    if (this.isHome(tenant)) return true;
    let record;
    try {
      record = await this.o.cache?.get(tenant);
    } catch {
      // The registry unreachable: the event goes (the write it reports was admitted moments ago).
      return true;
    }
    if (record?.status !== 'active') return false;
    const plans = this.o.plans;
    if (!plans || featuresOf(planLimits(plans, record.plan).limits, plans.plans).has('realtime'))
      return true;
    if (!this.unsold.has(tenant)) this.unsold.set(tenant, Number.NEGATIVE_INFINITY);
    return false;
  }

  /**
   * A suspended tenant's sockets are closed already (the registry cache's inactive listener, before `admits`
   * answered). A tenant whose plan lost `realtime` keeps the sockets it opened before — their tokens live up to 60
   * minutes — so they are closed here, at most once a sweep interval per tenant (one REST call, not one a write).
   */
  refused(tenant: string): void {
    const last = this.unsold.get(tenant);
    if (last === undefined) return;
    const now = this.now();
    if (now - last < (this.o.sweepEveryMs ?? SUSPENSION_SWEEP_MS)) return;
    if (this.unsold.size > 10_000) this.unsold.clear();
    this.unsold.set(tenant, now);
    void this.close(tenant, 'realtime is not in the plan');
  }

  /** A shared send waits for this instance's first sweep and every close in flight. */
  async beforeShared(): Promise<void> {
    await this.first;
    await Promise.all([...this.closing.values()]);
  }

  /**
   * One sweep: the records suspended recently, each tenant's sockets closed, then the record kept as this instance's
   * answer (its requests refused from now on here).
   */
  async sweep(): Promise<void> {
    const recent = this.recent();
    if (!recent) return;
    const since = Math.floor((this.now() - SUSPENSION_WINDOW_MS) / 1000);
    const cache = this.o.cache;
    for (const record of await recent(since)) {
      if (record.status === 'active' || this.isHome(record.id)) continue;
      if (cache) await cache.learn(record);
      else await this.close(record.id);
    }
  }

  /** Sweep now and every `sweepEveryMs` (unref'd: it never holds the process); a failing sweep backs off. */
  start(): void {
    if (!this.recent() || this.timer || this.stopped) return;
    const every = Math.max(50, this.o.sweepEveryMs ?? SUSPENSION_SWEEP_MS);
    const run = (): Promise<void> =>
      this.sweep().then(
        () => {
          this.failures = 0;
        },
        (e: unknown) => {
          if (this.failures++ === 0) this.report('sweep', 'failed', e);
        },
      );
    this.first = run();
    const tick = () => {
      // A sweep in flight when stop() came schedules no other.
      if (this.stopped) return;
      this.timer = setTimeout(
        () => {
          void run().then(tick);
        },
        every * 2 ** Math.min(this.failures, 6),
      );
      this.timer.unref();
    };
    void this.first.then(tick);
  }

  /** Stop sweeping (tests, a graceful stop). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private recent(): RecentSuspensions | undefined {
    const store = this.o.cache?.store;
    return (
      this.o.recent ??
      (store?.recentInactive
        ? (since) => store.recentInactive?.(since) ?? Promise.resolve([])
        : undefined)
    );
  }

  private isHome(tenant: string): boolean {
    const home = this.o.homeTenant;
    return home !== undefined && tenant.toLowerCase() === home.toLowerCase();
  }

  private async closeNow(tenant: string, reason: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`no answer in ${String(SUSPENSION_CLOSE_DEADLINE_MS)} ms`));
      }, SUSPENSION_CLOSE_DEADLINE_MS);
    });
    try {
      await Promise.race([this.o.service.closeGroup?.(tenantGroup(tenant), reason), deadline]);
    } catch (e) {
      this.report('close_tenant', 'failed', e);
    } finally {
      clearTimeout(timer);
    }
  }

  private report(operation: string, outcome: string, e: unknown): void {
    this.log(
      JSON.stringify({
        component: 'realtime',
        operation,
        outcome,
        message: e instanceof Error ? e.message : String(e),
      }),
    );
  }
}
