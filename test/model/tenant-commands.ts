/**
 * The model's tenant commands (test/model/README.md, "Tenants"): the operator's registry commands mid-sequence,
 * `GET api/tenant`, and a tenant's data exported, erased and imported back (and sometimes into another directory:
 * a copy) — each run on the reference model (src/access/model/tenant-registry.ts, tenant-lifecycle.ts) and on the
 * real code (the CLI's own functions, in-process, against the run's containers) side by side.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { eraseTenant } from '../../src/cli/tenant/erase.js';
import { EXPORT_FILES } from '../../src/cli/tenant/export-format.js';
import { exportTenant } from '../../src/cli/tenant/export.js';
import { importTenant } from '../../src/cli/tenant/import.js';
import { addTenant, updateTenant } from '../../src/cli/tenant/registry-admin.js';
import { COSMOS_SYSTEM_FIELDS } from '../../src/cli/tenant/tenant-items.js';
import { AtakoraError } from '../../src/model/errors.js';
import {
  erased,
  exported,
  exportRefused,
  imported,
  type TenantExport,
} from '../../src/access/model/tenant-lifecycle.js';
import {
  type RegistryAnswer,
  type RegistryChange,
  registryChange,
  signedUp,
  tenantSelf,
} from '../../src/access/model/tenant-registry.js';
import { CUSTOMER, HOME, PRINCIPALS, STRANGER } from './backend.js';
import { refused, suspended } from './suspended-delivery.js';
import { difference, type ModelSide, STATS } from './commands.js';
import { finalData, itemKey, sortData } from './reference-model.js';
import {
  storedBytesBoth,
  storedDocuments,
  storedRegistry,
  type StoredDocument,
  type TenantApp,
} from './tenant-app.js';

/** A directory no principal signs in from: only ever a copy's target. */
export const COPY = '44444444-4444-4444-8444-444444444444';
/** The directories the operator's commands name (index into this list). */
export const DIRECTORIES = [HOME, CUSTOMER, STRANGER, COPY] as const;
/** The Stripe customers `set` names: two ids, `''` (removes it) and a malformed one (refused). */
export const CUSTOMERS = ['cus_ModelA1', 'cus_ModelB2', '', 'cus_x?y=1'] as const;
/** The plans named: two the backend declares, one it does not. */
export const PLANS = ['free', 'pro', 'gold'] as const;
/** Where `tenant import` finds the generated backends' migration modules (`./migrations/drop-ssn.ts`). */
const MIGRATIONS_CWD = import.meta.dirname;

/** One tenant command's parameters. */
export type TenantSpec =
  | {
      kind: 'registry';
      action: 'add' | 'set' | 'suspend' | 'resume';
      dir: number;
      plan: number | undefined;
      /** With `set`: an index into {@link CUSTOMERS} (`--stripe-customer`), or none. */
      customer: number | undefined;
    }
  | { kind: 'self'; p: number }
  | { kind: 'lifecycle'; dir: number; copy: number | undefined };

export const tenantSpecArbitrary: fc.Arbitrary<TenantSpec> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('registry' as const),
      action: fc.constantFrom(
        'add' as const,
        'set' as const,
        'suspend' as const,
        'resume' as const,
      ),
      // The directories principals sign in from, mostly (the home one now and then: it needs no record).
      dir: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(1, 2) },
        { weight: 1, arbitrary: fc.constant(0) },
      ),
      plan: fc.option(
        fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(0, 1) },
          { weight: 1, arbitrary: fc.constant(2) },
        ),
        {
          nil: undefined,
        },
      ),
      customer: fc.option(fc.nat({ max: CUSTOMERS.length - 1 }), { freq: 2, nil: undefined }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('self' as const), p: fc.nat({ max: 5 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('lifecycle' as const),
      dir: fc.oneof(
        { weight: 4, arbitrary: fc.nat({ max: 2 }) },
        { weight: 1, arbitrary: fc.constant(3) },
      ),
      // Sometimes a copy: into Mal's directory (observable: Mal's requests read it) or one nobody signs in from.
      copy: fc.option(fc.constantFrom(2, 3), { freq: 2, nil: undefined }),
    }),
  },
);

/** The users of a directory as the operator names them (`--owner`): its principals' `oid`s. */
function usersOf(tid: string): string[] {
  return PRINCIPALS.filter((p) => p.tid === tid).map((p) => p.oid);
}

/** A stored document without Cosmos DB's system fields (what an export line holds: the schema version kept). */
function asExported(doc: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([k]) => !COSMOS_SYSTEM_FIELDS.includes(k)));
}

/** A stored document as the model compares it: no hidden field at all. */
function visible(doc: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([k]) => !k.startsWith('_')));
}

/** JSON with object keys sorted (an item's fields need not come in one order). */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

export class TenantCommand implements fc.AsyncCommand<ModelSide, TenantApp> {
  private described: string | undefined;

  constructor(readonly spec: TenantSpec) {}

  check(m: Readonly<ModelSide>): boolean {
    return m.backend.registry !== undefined || this.spec.kind === 'lifecycle';
  }

  async run(model: ModelSide, real: TenantApp): Promise<void> {
    const s = this.spec;
    const tally = `tenant ${s.kind === 'registry' ? s.action : s.kind}`;
    STATS.set(tally, (STATS.get(tally) ?? 0) + 1);
    switch (s.kind) {
      case 'registry':
        await this.registry(model, real, s);
        break;
      case 'self':
        await this.self(model, real, s.p);
        break;
      case 'lifecycle':
        await this.lifecycle(model, real, s.dir, s.copy);
        break;
    }
  }

  private fail(model: ModelSide, why: string): never {
    throw new Error(
      `${this.described ?? ''}: ${why}\nthe run's requests:\n  ${model.script.join('\n  ')}`,
    );
  }

  private async registry(
    model: ModelSide,
    real: TenantApp,
    s: Extract<TenantSpec, { kind: 'registry' }>,
  ): Promise<void> {
    const tid = DIRECTORIES[s.dir]!;
    const plan = s.plan === undefined ? undefined : PLANS[s.plan];
    const customer = s.customer === undefined ? undefined : CUSTOMERS[s.customer];
    const change: RegistryChange =
      s.action === 'add'
        ? { action: 'add', tid, plan }
        : s.action === 'set'
          ? { action: 'set', tid, plan: plan ?? 'pro', customer }
          : { action: s.action, tid };
    this.described =
      `operator: atakora tenant ${s.action} ${tid}` +
      `${'plan' in change && change.plan ? ` --plan ${change.plan}` : ''}` +
      `${change.action === 'set' && customer !== undefined ? ` --stripe-customer '${customer}'` : ''}`;
    model.script.push(this.described);
    const { answer, state } = registryChange(model.backend, model.state, change);
    model.state = state;
    let got: RegistryAnswer;
    try {
      const r =
        change.action === 'add'
          ? await addTenant(real.target, tid, { plan: change.plan })
          : await updateTenant(
              real.target,
              tid,
              change.action === 'set'
                ? {
                    plan: change.plan,
                    ...(change.customer === undefined
                      ? {}
                      : { billing: { stripeCustomerId: change.customer || null } }),
                  }
                : { status: change.action === 'suspend' ? 'suspended' : 'active' },
              change.action,
            );
      got = {
        record: {
          plan: r.record.plan,
          status: r.record.status,
          ...(r.record.billing ? { customer: r.record.billing.stripeCustomerId } : {}),
        },
        changed: r.changed,
      };
    } catch (e) {
      if (!(e instanceof AtakoraError)) throw e;
      got = { error: e.code as 'TENANT_COMMAND_REFUSED' };
    }
    if (canonical(got) !== canonical(answer))
      this.fail(model, `expected ${canonical(answer)}, got ${canonical(got)}`);
    // From a suspension on, the directory's sockets may close at any moment (the runtime's sweep).
    if (model.delivery && 'record' in answer && answer.record.status === 'suspended')
      suspended(model.delivery, tid);
    // The change holds on the next request: the runtime's cached answers are past their bound.
    real.expire();
    await this.sameRegistry(model, real);
  }

  private async self(model: ModelSide, real: TenantApp, pi: number): Promise<void> {
    const p = PRINCIPALS[pi]!;
    this.described = `${p.name} GET tenant`;
    model.script.push(this.described);
    model.state = signedUp(model.backend, model.state, p);
    const modelled = tenantSelf(model.backend, model.state, p);
    const actual = await real.call('tenant-self', 'GET', 'tenant', p);
    // `usage` is the ledger's (the plans' model checks its counts): here only its shape.
    const usage = (actual.body as { usage?: unknown } | undefined)?.usage;
    const shaped =
      usage !== null &&
      typeof usage === 'object' &&
      ['month', 'realtimeConnections', 'storedBytes', 'today'].every((k) =>
        Object.hasOwn(usage, k),
      );
    const expected =
      modelled.body && shaped
        ? { ...modelled, body: { ...(modelled.body as object), usage } }
        : modelled;
    const diff = difference(expected, actual);
    if (diff) this.fail(model, diff);
    if (modelled.problem === 'tenant-suspended' && model.delivery) refused(model.delivery, p.tid);
  }

  private async sameRegistry(model: ModelSide, real: TenantApp): Promise<void> {
    const want = [...(model.state.registry ?? new Map())]
      .map(([id, r]) => [id, r.plan, r.status, r.customer ?? null])
      .sort();
    const got = [...(await storedRegistry(real))]
      .map(([id, r]) => [id, r.plan, r.status, r.customer ?? null])
      .sort();
    if (canonical(got) !== canonical(want))
      this.fail(model, `registry: expected ${canonical(want)}, got ${canonical(got)}`);
  }

  /** The stored data (visible fields) must be the model's. */
  /** Every tenant's stored bytes in the ledger are its items' (less what was written uncounted). */
  private async sameBytes(
    model: ModelSide,
    real: TenantApp,
    when: string,
    docs: ReadonlyMap<string, StoredDocument>,
  ): Promise<void> {
    const { ledger, items } = await storedBytesBoth(model.backend, real, DIRECTORIES, docs);
    if (canonical(ledger) !== canonical(items))
      this.fail(
        model,
        `stored bytes ${when}: the ledger holds ${canonical(ledger)}, the items ${canonical(items)}`,
      );
  }

  private async sameData(
    model: ModelSide,
    real: TenantApp,
    step: string,
  ): Promise<Map<string, StoredDocument>> {
    const docs = await storedDocuments(model.backend, real);
    const got = sortData(
      [...docs.values()].map(
        (d) => [d.entity, visible(d.doc)] as [number, Record<string, unknown>],
      ),
    );
    const want = finalData(model.state);
    if (canonical(got) !== canonical(want))
      this.fail(
        model,
        `${step}: the data is\n    ${canonical(got)}\n  the model says\n    ${canonical(want)}`,
      );
    await this.sameRegistry(model, real);
    return docs;
  }

  /** Every document of `before` outside `changed` is stored exactly as it was (its `_etag` too): untouched. */
  private untouched(
    model: ModelSide,
    step: string,
    before: ReadonlyMap<string, StoredDocument>,
    after: ReadonlyMap<string, StoredDocument>,
    changed: ReadonlySet<string>,
  ): void {
    for (const [k, d] of before) {
      if (changed.has(k)) continue;
      const now = after.get(k);
      if (!now || canonical(now.doc) !== canonical(d.doc))
        this.fail(
          model,
          `${step} touched ${k}: ${canonical(d.doc)} → ${canonical(now?.doc ?? null)}`,
        );
    }
  }

  private async lifecycle(
    model: ModelSide,
    real: TenantApp,
    dir: number,
    copy: number | undefined,
  ): Promise<void> {
    const b = model.backend;
    const tid = DIRECTORIES[dir]!;
    const into = copy === undefined ? undefined : DIRECTORIES[copy]!;
    const users = usersOf(tid);
    this.described =
      `operator: atakora tenant export ${tid} --owner ${users.join(',')}; delete; import` +
      (into ? `; import --tenant ${into}` : '');
    model.script.push(this.described);
    const out = join(real.work, `export-${String(model.script.length)}`);
    const start = await storedDocuments(b, real);
    // Export: exactly the tenant's documents as stored (system fields of Cosmos DB aside), nothing of another's.
    const data: TenantExport = exported(b, model.state, tid, users);
    const own = new Set(
      data.items.map((v) =>
        itemKey(v.entity, String(v.item[b.entities[v.entity]!.key]), v.item.id!),
      ),
    );
    // A tenant with nothing is refused as a mistyped id, nothing written; the lifecycle goes on with an empty
    // archive (what a restore to a time before its data exports).
    const nothing = exportRefused(data);
    if (nothing) {
      const refused = await exportTenant(real.target, tid, out, { owners: users }).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (
        !(refused instanceof AtakoraError) ||
        refused.code !== 'TENANT_NOT_FOUND' ||
        existsSync(out)
      )
        this.fail(
          model,
          `export of a tenant with nothing: not refused as TENANT_NOT_FOUND (${String(refused)})`,
        );
    }
    const manifest = await exportTenant(real.target, tid, out, {
      owners: users,
      allowEmpty: nothing,
    });
    for (const [i, e] of b.entities.entries()) {
      const lines = readFileSync(join(out, EXPORT_FILES.items(e.componentId)), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const want = [...start]
        .filter(([k, d]) => d.entity === i && own.has(k))
        .map(([, d]) => canonical(asExported(d.doc)));
      if (canonical(lines.map(canonical).sort()) !== canonical(want.sort()))
        this.fail(
          model,
          `export of ${e.componentId}: got ${canonical(lines)}, the tenant's documents are ${canonical(want)}`,
        );
      if (manifest.components[e.componentId]?.items !== want.length)
        this.fail(
          model,
          `export manifest of ${e.componentId}: ${canonical(manifest.components[e.componentId])}`,
        );
    }
    // Erase: the same set and the record, nothing else.
    const receipt = await eraseTenant(real.target, tid, { owners: users, cwd: real.work });
    model.state = erased(b, model.state, tid, users);
    real.expire();
    const afterErase = await this.sameData(model, real, 'after the erase');
    await this.sameBytes(model, real, 'after the erase', afterErase);
    this.untouched(model, 'the erase', start, afterErase, own);
    const counts = Object.fromEntries(
      b.entities.map((e, i) => [e.componentId, data.items.filter((v) => v.entity === i).length]),
    );
    if (
      canonical(receipt.items) !== canonical(counts) ||
      receipt.registryRecord !== (data.record !== undefined)
    )
      this.fail(
        model,
        `erase receipt ${canonical(receipt)}, the model counts ${canonical(counts)}`,
      );
    // Import into the same tenant: everything back, brought to the current version; nothing else touched.
    await importTenant(real.target, out, { cwd: MIGRATIONS_CWD });
    const back = imported(b, model.state, data, tid);
    model.state = back.state;
    real.expire();
    const afterImport = await this.sameData(model, real, 'after the import');
    await this.sameBytes(model, real, 'after the import', afterImport);
    this.untouched(model, 'the import', afterErase, afterImport, new Set(back.created));
    for (const k of back.created) {
      const d = afterImport.get(k)!;
      const version = b.entities[d.entity]!.versioned ? 2 : undefined;
      if (d.doc._atakoraV !== version)
        this.fail(
          model,
          `import stored ${k} at version ${String(d.doc._atakoraV)}, not ${String(version)}`,
        );
    }
    if (!into) return;
    // A copy into another directory: the same items under its id where free; every document there untouched.
    await importTenant(real.target, out, { tenant: into, cwd: MIGRATIONS_CWD });
    const copied = imported(b, model.state, data, into);
    model.state = copied.state;
    real.expire();
    const afterCopy = await this.sameData(model, real, `after the copy into ${into}`);
    await this.sameBytes(model, real, `after the copy into ${into}`, afterCopy);
    this.untouched(model, 'the copy', afterImport, afterCopy, new Set(copied.created));
  }

  toString(): string {
    return this.described ?? JSON.stringify(this.spec);
  }
}
