/**
 * Delivery to a suspended directory in the model (test/model/README.md, "Tenants"): what each principal's socket may
 * still receive once its directory is suspended. The runtime closes a suspended tenant's sockets within its sweep
 * (a timer: when exactly is not the model's) and before it refuses any of the tenant's requests
 * (src/runtime/realtime/suspended-sockets.ts). So from the suspension on, a socket of that directory is `maybe`
 * open — an event then may arrive or not — until a request of the directory is refused 403 `tenant-suspended`:
 * from then on it is `closed` and receives nothing, whatever happens after (a resume does not reopen it). A resume
 * before any refusal leaves it `maybe` (the sweep may or may not have closed it).
 */
import { PRINCIPALS } from './backend.js';
import type { ModelEvent } from './delivery.js';
import type { ModelState } from './reference-model.js';

/** A connected principal's socket as the model knows it. */
export type SocketState = 'open' | 'maybe' | 'closed';

/** The delivery side of a run: each connected principal's socket, and the events that may (not must) arrive. */
export interface SocketModel {
  readonly sockets: Map<string, SocketState>;
  readonly optional: Map<string, ModelEvent[]>;
}

/** Every principal's socket open (those whose negotiate is refused receive nothing anyway). */
export function openSockets(): SocketModel {
  return { sockets: new Map(PRINCIPALS.map((p) => [p.name, 'open'])), optional: new Map() };
}

/** The directory `tid` suspended: its open sockets may close at any moment now. */
export function suspended(m: SocketModel, tid: string): void {
  for (const p of PRINCIPALS)
    if (p.tid === tid && m.sockets.get(p.name) === 'open') m.sockets.set(p.name, 'maybe');
}

/** A request of `tid` refused as suspended: every socket of the directory was closed before the answer. */
export function refused(m: SocketModel, tid: string): void {
  for (const p of PRINCIPALS) if (p.tid === tid) m.sockets.set(p.name, 'closed');
}

/**
 * Add one write's events: a principal's required ones while its socket is open; while `maybe`, optionally what it
 * would receive were its directory active (`ifActive`: a socket not closed yet hears what its groups get — shared
 * data); none once closed.
 */
export function deliver(
  m: SocketModel | undefined,
  required: Map<string, ModelEvent[]>,
  events: ReadonlyMap<string, readonly ModelEvent[]>,
  ifActive: () => ReadonlyMap<string, readonly ModelEvent[]>,
): void {
  const add = (into: Map<string, ModelEvent[]>, name: string, list: readonly ModelEvent[]) => {
    into.set(name, [...(into.get(name) ?? []), ...list]);
  };
  let active: ReadonlyMap<string, readonly ModelEvent[]> | undefined;
  for (const p of PRINCIPALS) {
    const state = m?.sockets.get(p.name) ?? 'open';
    if (state === 'open') add(required, p.name, events.get(p.name) ?? []);
    else if (state === 'maybe' && m) {
      active ??= ifActive();
      add(m.optional, p.name, active.get(p.name) ?? []);
    }
  }
}

/** The state with every registered directory active: what a socket not closed yet would be sent. */
export function allActive(s: ModelState): ModelState {
  if (!s.registry) return s;
  return {
    ...s,
    registry: new Map([...s.registry].map(([id, r]) => [id, { ...r, status: 'active' as const }])),
  };
}

/** Principals who never connected (negotiate refused at the start) receive nothing, whatever comes. */
export function notConnected(m: SocketModel, connected: ReadonlySet<string>): void {
  for (const p of PRINCIPALS) if (!connected.has(p.name)) m.sockets.set(p.name, 'closed');
}

/**
 * What a principal received against the model: every required event, and nothing but required or optional ones
 * (as multisets of canonical strings). The difference as a message, or undefined.
 */
export function deliveryDifference(
  received: readonly string[],
  required: readonly string[],
  optional: readonly string[],
): string | undefined {
  const left = [...received];
  const missing: string[] = [];
  for (const r of required) {
    const i = left.indexOf(r);
    if (i < 0) missing.push(r);
    else left.splice(i, 1);
  }
  const allowed = [...optional];
  const extra: string[] = [];
  for (const r of left) {
    const i = allowed.indexOf(r);
    if (i < 0) extra.push(r);
    else allowed.splice(i, 1);
  }
  if (missing.length === 0 && extra.length === 0) return undefined;
  return `missing ${JSON.stringify(missing)}; not allowed ${JSON.stringify(extra)}`;
}
