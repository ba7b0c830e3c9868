import type { RealtimeService } from './service.js';
import type { UsageMeter } from '../usage/usage-meter.js';

/**
 * One message to send: a group, the event, and the filter that narrows the group (see audience.ts).
 *
 * @example
 * ```ts
 * const s: Send = { group: 'NoteApi.s.r.981234', data: { entity: 'NoteApi', operation: 'delete', id: 'n1', at: '…' } };
 * ```
 */
export interface Send {
  readonly group: string;
  readonly data: object;
  readonly filter?: string;
  /** The tenant whose data the event is (a tenant's own group): not sent once that tenant is suspended. */
  readonly tenant?: string;
}

/**
 * Which tenants may still receive events, and what happens to one that may not (suspended-sockets.ts): asked before
 * each send of a tenant's group, off the request's path.
 */
export interface TenantGate {
  /** Whether the tenant is admitted now (the registry's cached record: a suspension holds within 30 s). */
  admits(tenant: string): Promise<boolean>;
  /** Called for a send dropped because its tenant is not admitted (closes the tenant's connections). */
  refused(tenant: string): void;
  /** Awaited before a send of shared data (no tenant): closes suspended tenants' connections when due. */
  beforeShared(): Promise<void>;
}

/** Bounds of a {@link Publisher}: what it keeps waiting, and how many sends it has in flight at once. */
export interface PublisherLimits {
  /** Sends waiting beyond this are dropped and logged (default 10,000). */
  readonly maxQueued?: number;
  /** Concurrent REST calls to the service (default 16). */
  readonly maxInFlight?: number;
}

/**
 * Sends events after the writes that caused them, off the request's path: `enqueue` returns at once, so a write's
 * answer never waits for Web PubSub (nor fails because of it). Delivery is **at most once, from the instance that
 * acknowledged the write**: a send that fails is logged, not retried, and an instance stopped with sends still
 * queued loses them. Within one instance, sends to one group leave in the order their writes were acknowledged
 * (one at a time per group), so an item's events reach each audience in order. A client that may have missed
 * events (reconnected, or saw a gap) re-lists: `live` does. See docs/realtime.md, "Delivery".
 *
 * @example
 * ```ts
 * const publisher = new Publisher(service, (line) => console.error(line));
 * publisher.enqueue([{ group: 'NoteApi.s.r.981234', data: event }]);
 * await publisher.idle(); // tests and benchmarks
 * ```
 */
export class Publisher {
  private readonly chains = new Map<string, Promise<void>>();
  private queued = 0;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private readonly maxQueued: number;
  private readonly maxInFlight: number;
  private gate: TenantGate | undefined;
  private meter: Pick<UsageMeter, 'messages'> | undefined;

  constructor(
    private readonly service: RealtimeService,
    private readonly log: (line: string) => void = console.error,
    limits: PublisherLimits = {},
  ) {
    this.maxQueued = limits.maxQueued ?? 10_000;
    this.maxInFlight = limits.maxInFlight ?? 16;
  }

  /** Check each tenant's sends against `gate` from now on (the runtime sets it where a tenant registry exists). */
  gateTenants(gate: TenantGate): void {
    this.gate = gate;
  }

  /**
   * Count each tenant's sent messages in `meter`, the usage ledger's `messages` (the runtime sets it at start where a
   * ledger exists).
   */
  meterMessages(meter: Pick<UsageMeter, 'messages'>): void {
    this.meter = meter;
  }

  /** Queue the sends of one write; each group's sends stay in order. Never throws, never waits. */
  enqueue(sends: readonly Send[]): void {
    for (const s of sends) {
      if (this.queued >= this.maxQueued) {
        this.log(
          JSON.stringify({
            component: 'realtime',
            operation: 'publish',
            outcome: 'dropped',
            group: s.group,
            reason: `more than ${String(this.maxQueued)} sends waiting`,
          }),
        );
        continue;
      }
      this.queued++;
      // A group's first send waits for the next turn of the event loop: the write's answer goes out first, and
      // the request's own time holds none of the send's work (its body, its token, its socket).
      const before = this.chains.get(s.group) ?? nextTurn();
      const next = before.then(() => this.sendOne(s));
      this.chains.set(s.group, next);
      // The chain's tail is dropped once it is the last one, so the map holds only groups with sends pending.
      void next.then(() => {
        if (this.chains.get(s.group) === next) this.chains.delete(s.group);
      });
    }
  }

  /** Resolves when nothing is queued or in flight (tests, benchmarks, a graceful stop). */
  idle(): Promise<void> {
    if (this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** How many sends are waiting or in flight. */
  get pending(): number {
    return this.queued;
  }

  private async sendOne(s: Send): Promise<void> {
    await this.slot();
    try {
      if (s.tenant !== undefined && this.gate && !(await this.gate.admits(s.tenant))) {
        this.gate.refused(s.tenant);
        this.log(
          JSON.stringify({
            component: 'realtime',
            operation: 'publish',
            outcome: 'tenant_suspended',
            group: s.group,
          }),
        );
        return;
      }
      if (s.tenant === undefined) await this.gate?.beforeShared();
      await this.service.send(s.group, s.data, s.filter);
      // The usage ledger's `messages` of the tenant (a shared group's receivers span tenants: not counted here).
      if (s.tenant !== undefined) this.meter?.messages(s.tenant, 1);
    } catch (e) {
      this.log(
        JSON.stringify({
          component: 'realtime',
          operation: 'publish',
          outcome: 'send_failed',
          group: s.group,
          message: e instanceof Error ? e.message : String(e),
        }),
      );
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
      this.queued--;
      if (this.queued === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private slot(): Promise<void> {
    if (this.inFlight < this.maxInFlight) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.inFlight++;
        resolve();
      }),
    );
  }
}

/** Resolves after the I/O and timers already due: after the current request's answer is on its way. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
