/**
 * Access rules' price (budget ≤ 1.05×): the same request — a GET of one item and a GET of a page of
 * 20 — through the built runtime (`dist/entry/runtime.js`, `@atakora/component/runtime`) for a CrudApi with
 * access rules and for the same CrudApi without (`[{ allow: 'authenticated' }]`, the default), both with
 * authentication on and the same signed-in caller (`x-ms-client-principal`), against one local Cosmos DB
 * server in a process of its own (bench/support/cosmos-server.mjs).
 *
 * Two rule sets, each against the no-rules baseline:
 * - role: `[{ allow: 'owner' }, { allow: 'role', role: 'NoteAdmin' }]` and a caller holding the role → every
 *   item (the rule check, nothing else changes);
 * - owner: the same rules and a caller without the role → only its own items: the read checks the stored
 *   owner, the list adds `c.ownerId = @owner` to its query. Every item was created by that caller, so both
 *   sides return the same item and the same page of 20.
 * Pairs interleaved (A B, B A, …) so drift moves both alike; the figure is the median of the per-pair ratios
 * with its interquartile range. Asserts nothing (a shared machine is noisy). Needs `npm run build`.
 *
 *   npx tsx bench/access-rules.ts [pairs=400]
 */
import type { HttpResponseInit } from '@azure/functions';
// Default import: @azure/functions is a webpack CJS bundle whose classes Node's ESM loader cannot name.
import azureFunctions from '@azure/functions';
import type { RuntimeAuth, RuntimeEntity } from '../src/model/runtime-manifest.js';
import { BENCH_ENTITY } from './baseline/bare-crud-handler.js';
import { benchCosmos } from './support/cosmos-client.js';
import { median } from './support/stats.js';

// The built runtime, as a deployed app runs it (typed by its source: dist/ is absent until `npm run build`).
const { createCrudHandlers } = (await import(
  new URL('../dist/entry/runtime.js', import.meta.url).href
)) as typeof import('../src/runtime/public-api.js');
const { HttpRequest, InvocationContext } = azureFunctions;
type HttpRequest = InstanceType<typeof HttpRequest>;

const PAIRS = Math.min(Math.max(Number(process.argv[2] ?? 400) || 400, 20), 20_000);
const WARMUP = 50;
const BUDGET = 1.05;
const ITEMS = 40;

const auth: RuntimeAuth = { required: true, tenantClaim: 'tid', trustTenantHeader: false };
const plain: RuntimeEntity = { ...BENCH_ENTITY, componentId: 'NoRulesApi' };
const ruled: RuntimeEntity = {
  ...BENCH_ENTITY,
  componentId: 'RulesApi',
  access: [{ allow: 'owner' }, { allow: 'role', role: 'NoteAdmin' }],
};

const OID = '00000000-0000-0000-0000-00000000000a';
const principal = (roles: string[]) =>
  Buffer.from(
    JSON.stringify({
      auth_typ: 'aad',
      name_typ: 'name',
      role_typ: 'roles',
      claims: [
        { typ: 'tid', val: 'contoso' },
        { typ: 'oid', val: OID },
        ...roles.map((r) => ({ typ: 'roles', val: r })),
      ],
    }),
  ).toString('base64');
const asOwner = { 'x-ms-client-principal': principal([]) };
const asAdmin = { 'x-ms-client-principal': principal(['NoteAdmin']) };

const cosmos = await benchCosmos();

try {
  const { container } = cosmos;
  const without = createCrudHandlers(plain, container, { caller: auth });
  const withRules = createCrudHandlers(ruled, container, { caller: auth });
  const context = new InvocationContext({
    invocationId: 'bench',
    functionName: 'bench',
    logHandler: () => {},
  });
  const expectStatus = (r: HttpResponseInit, status: number) => {
    if (r.status !== status)
      throw new Error(`expected ${status}, got ${r.status}: ${String(r.body)}`);
  };

  // Every item created through the rules' handler by the caller: its owner field is the caller's oid.
  for (let i = 0; i < ITEMS; i++) {
    const body = JSON.stringify({ id: `doc-${i}`, name: `doc ${i}`, n: i });
    expectStatus(
      (await withRules.collection(
        new HttpRequest({
          method: 'POST',
          url: 'https://bench.local/api/docs',
          headers: { 'content-type': 'application/json', ...asOwner },
          body: { string: body },
        }),
        context,
      )) as HttpResponseInit,
      201,
    );
  }

  /** One get + one list page of 20; checks what came back, so neither side can answer less. */
  const request = async (h: typeof without, headers: Record<string, string>, i: number) => {
    const id = `doc-${i % ITEMS}`;
    const got = (await h.item(
      new HttpRequest({
        method: 'GET',
        url: `https://bench.local/api/docs/${id}`,
        params: { id },
        headers,
      }),
      context,
    )) as HttpResponseInit;
    expectStatus(got, 200);
    const listed = (await h.collection(
      new HttpRequest({
        method: 'GET',
        url: 'https://bench.local/api/docs?limit=20',
        query: { limit: '20' },
        headers,
      }),
      context,
    )) as HttpResponseInit;
    expectStatus(listed, 200);
    if ((JSON.parse(String(listed.body)) as { items: unknown[] }).items.length !== 20)
      throw new Error('a list page without 20 items');
  };
  const timed = async (fn: () => Promise<void>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };

  const measure = async (label: string, headers: Record<string, string>) => {
    for (let i = 0; i < WARMUP; i++) {
      await request(without, headers, i);
      await request(withRules, headers, i);
    }
    const ratios: number[] = [],
      a: number[] = [],
      b: number[] = [];
    for (let i = 0; i < PAIRS; i++) {
      let base: number, rules: number;
      if (i % 2 === 0) {
        base = await timed(() => request(without, headers, i));
        rules = await timed(() => request(withRules, headers, i));
      } else {
        rules = await timed(() => request(withRules, headers, i));
        base = await timed(() => request(without, headers, i));
      }
      a.push(base);
      b.push(rules);
      ratios.push(rules / base);
    }
    const s = [...ratios].sort((x, y) => x - y);
    const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
    const m = median(ratios);
    console.log(
      `  ${label.padEnd(44)} no rules ${median(a).toFixed(3)} ms, rules ${median(b).toFixed(3)} ms; ` +
        `pair ratio median ×${m.toFixed(3)} (IQR ×${q(0.25).toFixed(3)}–×${q(0.75).toFixed(3)})  budget ≤ ×${BUDGET}: ${m <= BUDGET ? 'ok' : 'OVER'}`,
    );
  };

  console.log(
    `Access rules vs none: GET item + GET page of 20 through the built runtime (dist/entry/runtime.js), ${PAIRS} interleaved pairs each, local @vercel/cosmosdb-server in another process, Node ${process.version}`,
  );
  await measure('role rule grants all (caller has NoteAdmin)', asAdmin);
  await measure('owner rule: own items only (read + list)', asOwner);
} finally {
  await cosmos.close();
}
