import WebSocket from 'ws';
import type { MatrixPrincipal } from '../../access/matrix/types.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { expectOn, type ProbeItem } from './expect.js';
import type { Proof } from './proof-context.js';

/** The connections of every principal to the local hub, and the create events each received. */
export interface Listeners {
  /** Check every create the proof made reached exactly the principals its `events` cell says, then close. */
  settle(items: readonly ProbeItem[], crud: readonly RuntimeEntity[]): Promise<void>;
}

/**
 * Every principal negotiates (`POST api/realtime/negotiate`, DESIGN §2 Realtime) and connects before the first
 * write, as a page would; anonymous must be refused (its `events` cell), and a principal refused at negotiate
 * must be one no `events` cell lets read anything.
 */
export async function listen(
  proof: Proof,
  base: string,
  principals: readonly MatrixPrincipal[],
): Promise<Listeners> {
  const rows = proof.matrix.rows.filter((r) => r.operation === 'events');
  const sockets = new Map<string, { socket: WebSocket; ids: Set<string> }>();
  for (const p of principals) {
    const r = await proof.call(base, 'POST', 'api/realtime/negotiate', p);
    const reads = rows.some((row) => typeof row.cells[p.key] !== 'number');
    const refusal = rows.map((row) => row.cells[p.key]).find((c) => typeof c === 'number');
    for (const row of rows)
      proof.check(
        row,
        p,
        'POST api/realtime/negotiate',
        reads
          ? r.status === 200
          : r.status !== 200 && (p.tid !== undefined || r.status === refusal),
        reads ? '200' : `refused${p.tid === undefined ? ` (${String(refusal)})` : ''}`,
        r,
      );
    if (r.status !== 200) continue;
    const url = (r.body as { url: string }).url;
    const socket = new WebSocket(url, 'json.webpubsub.azure.v1');
    const ids = new Set<string>();
    socket.on('error', () => undefined);
    socket.on('message', (raw: Buffer) => {
      const m = JSON.parse(raw.toString('utf8')) as {
        type?: string;
        data?: { entity?: string; operation?: string; id?: string };
      };
      if (m.type === 'message' && m.data?.operation === 'create')
        ids.add(`${m.data.entity}|${m.data.id}`);
    });
    await new Promise<void>((resolve) => {
      socket.once('open', () => {
        resolve();
      });
      socket.once('close', () => {
        resolve();
      });
    });
    sockets.set(p.key, { socket, ids });
  }
  return {
    async settle(items, crud) {
      const wanted = new Map<string, Set<string>>();
      for (const p of principals) {
        const s = new Set<string>();
        for (const i of items) {
          const e = crud.find((x) => x.componentId === i.entity);
          const c = proof.cell(i.entity, 'events', p.key);
          if (!e || c === undefined) continue;
          const shared = e.tenancy === 'shared' && e.partitionKey !== '/tenantId';
          const readCell = proof.cell(i.entity, 'read', p.key) ?? 403;
          if (expectOn(c, false, p, i, readCell, shared) === 'ok') s.add(`${i.entity}|${i.id}`);
        }
        wanted.set(p.key, s);
      }
      // Delivery takes up to seconds (DESIGN §2): wait until each has what it should, then a little longer for extras.
      const deadline = Date.now() + 10_000;
      const complete = () =>
        [...sockets].every(([k, { ids }]) => [...(wanted.get(k) ?? [])].every((x) => ids.has(x)));
      while (!complete() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 300));
      for (const p of principals) {
        const got = sockets.get(p.key);
        if (!got) continue;
        for (const i of items) {
          const c = proof.cell(i.entity, 'events', p.key);
          if (c === undefined) continue;
          const key = `${i.entity}|${i.id}`;
          const want = wanted.get(p.key)?.has(key) === true;
          proof.check(
            { component: i.entity, operation: 'events' },
            p,
            `create of ${i.entity} ${i.id} (by ${i.owner}), event over WebSocket`,
            want === got.ids.has(key),
            want ? 'received' : 'not received',
            got.ids.has(key) ? 'received' : 'not received',
          );
        }
        got.socket.close();
      }
    },
  };
}
