import { USAGE_LEDGER } from '../../kit/pure/tenant-registry.js';
import { storedItem } from '../../runtime/usage/usage-items.js';
import { itemBytes, storedItemTenant } from '../../runtime/usage/stored-size.js';
import type { Container } from '../azure/cosmos.js';
import { firstLine } from '../azure/errors.js';
import { readOrMissing } from './read-item.js';

/**
 * The instance name of the CLI's own `stored` item in the usage ledger (`stored:atakora-cli`, one per tenant): what
 * `atakora tenant import | delete | restore`, `seed` and `migrate` stored or freed, beside each runtime instance's
 * (docs/tenants.md, "The usage ledger"). No runtime instance is called that (theirs are `WEBSITE_INSTANCE_ID`s and
 * `p-<uuid>`s), and every instance adds it to a tenant's stored bytes within a second or two (its 1 s views).
 */
export const CLI_LEDGER_INSTANCE = 'atakora-cli';

/** How many times a tally retries a write another CLI run changed meanwhile. */
const ATTEMPTS = 20;

const statusOf = (e: unknown): unknown => (e as { code?: unknown }).code;

type Bytes = { itemBytes: number; fileBytes: number };

/**
 * What a CLI command's writes add to and free from each tenant's stored bytes, counted as it goes and added to the
 * ledger by {@link flush} — a read and a conditional write (`If-Match`) per tenant, again when another run wrote
 * between them, so two commands at once never lose each other's bytes. Sizes are the runtime's
 * (runtime/usage/stored-size.ts `itemBytes`; a file's length), whose bytes the runtime's rule (`sharedBytesTenant`).
 * Without a ledger (no registry) it counts nothing.
 *
 * @example
 * ```ts
 * const tally = new StoredBytesTally(await ledgerContainer(target));
 * tally.add('contoso', { itemBytes: -itemBytes(item) });
 * await tally.flush();
 * ```
 */
export class StoredBytesTally {
  private readonly pending = new Map<string, Bytes>();
  private warned = false;

  /**
   * `ledger` undefined: nothing is counted. `warn` hears (once) that the ledger could not be written: the command
   * goes on — its data is what matters — and says by how much each tenant's stored bytes are left off.
   */
  constructor(
    private readonly ledger: Container | undefined,
    private readonly warn: (line: string) => void = (line) => process.stderr.write(line),
  ) {}

  /** Bytes `tenant` stored (positive) or freed (negative); nothing for no tenant (an item nobody's bytes count for). */
  add(
    tenant: string | undefined,
    delta: { readonly itemBytes?: number; readonly fileBytes?: number },
  ): void {
    if (!this.ledger || tenant === undefined) return;
    const p = this.pending.get(tenant) ?? { itemBytes: 0, fileBytes: 0 };
    p.itemBytes += Math.trunc(delta.itemBytes ?? 0);
    p.fileBytes += Math.trunc(delta.fileBytes ?? 0);
    this.pending.set(tenant, p);
  }

  /**
   * Add what was counted to the ledger, tenant by tenant. Never throws: what could not be written stays for the
   * next flush, and the first failure is told to `warn` (with what is left off, tenant by tenant).
   */
  async flush(): Promise<void> {
    for (const [tenant, bytes] of [...this.pending]) {
      this.pending.delete(tenant);
      if (bytes.itemBytes === 0 && bytes.fileBytes === 0) continue;
      try {
        await this.write(tenant, bytes);
      } catch (e) {
        this.add(tenant, bytes);
        this.failed(e);
      }
    }
  }

  private failed(e: unknown): void {
    if (this.warned) return;
    this.warned = true;
    const left = [...this.pending]
      .map(([t, b]) => `${t}: ${String(b.itemBytes)} item and ${String(b.fileBytes)} file bytes`)
      .join('; ');
    const why = statusOf(e) === 404 ? 'it is not there' : firstLine(e);
    this.warn(
      `warning: the usage ledger (${USAGE_LEDGER.database}/${USAGE_LEDGER.container}) could not be updated ` +
        `(${why}): stored bytes not counted for ${left}. The data itself was written.\n`,
    );
  }

  private async write(tenant: string, bytes: Bytes): Promise<void> {
    const ledger = this.ledger;
    if (!ledger) return;
    const id = `stored:${CLI_LEDGER_INSTANCE}`;
    for (let attempt = 1; ; attempt++) {
      const resource = await readOrMissing(ledger, id, tenant);
      const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
      const next = storedItem(tenant, CLI_LEDGER_INSTANCE, {
        itemBytes: num(resource?.['itemBytes']) + bytes.itemBytes,
        fileBytes: num(resource?.['fileBytes']) + bytes.fileBytes,
      });
      try {
        if (resource)
          await ledger.item(id, tenant).replace(next, {
            accessCondition: { type: 'IfMatch', condition: resource._etag },
          });
        else await ledger.items.create(next);
        return;
      } catch (e) {
        // Another run wrote it between the read and this write: read it again.
        if ((statusOf(e) !== 412 && statusOf(e) !== 409) || attempt >= ATTEMPTS) throw e;
      }
    }
  }
}

/**
 * The usage ledger's container of a target whose layout has a tenant registry (the ledger is beside it), else
 * undefined.
 *
 * @example
 * ```ts
 * const ledger = await ledgerContainer(target);
 * ```
 */
export async function ledgerContainer(target: {
  readonly layout: {
    readonly registry?: { readonly endpoint: string; readonly database: string };
  };
  readonly container: (endpoint: string, database: string, name: string) => Promise<Container>;
}): Promise<Container | undefined> {
  const r = target.layout.registry;
  return r ? target.container(r.endpoint, r.database, USAGE_LEDGER.container) : undefined;
}

/**
 * What a seed writer tells of each item it wrote (shared/seed-write.ts `stored`), counted in `tally`: a created
 * item's bytes for the tenant they count for, a replaced one's difference (or, when the two count for different
 * tenants, the old freed and the new added) — the runtime's own rule (runtime/crud/item-bytes.ts).
 *
 * @example
 * ```ts
 * await writeSeedItems(container, entity, items, { tenant, stored: storedIn(tally, true) });
 * ```
 */
export function storedIn(
  tally: StoredBytesTally,
  isolated: boolean,
): (item: Readonly<Record<string, unknown>>, previous?: Readonly<Record<string, unknown>>) => void {
  return (item, previous) => {
    tally.add(storedItemTenant(isolated, item), { itemBytes: itemBytes(item) });
    if (previous)
      tally.add(storedItemTenant(isolated, previous), { itemBytes: -itemBytes(previous) });
  };
}
