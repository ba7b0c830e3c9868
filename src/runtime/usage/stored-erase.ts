import type { Container } from '@azure/cosmos';
import { hourItem, hourKey, storedItem, zeroHour } from './usage-items.js';
import { num } from './tenant-usage.js';

/**
 * The instance name of the erase's own lines in the usage ledger (`stored:atakora-erase`, `hour:<hour>:atakora-erase`
 * per tenant): what erasing an organization freed. No runtime instance is called that (theirs are
 * `WEBSITE_INSTANCE_ID`s and `p-<uuid>`s, the CLI's `atakora-cli`), so every instance adds it to the others'.
 */
export const ERASE_LEDGER_INSTANCE = 'atakora-erase';

/** How many times a write another erase or CLI run changed meanwhile is tried again. */
const ATTEMPTS = 20;

type Line = Record<string, unknown> & { readonly id: string; readonly _etag?: string };

const statusOf = (e: unknown): unknown => (e as { code?: unknown }).code;

/**
 * Bring `tenant`'s stored bytes in the ledger to 0 once its data is gone: its `stored` lines summed — every
 * instance's, the CLI's and this one's — and the sum taken off the erase's own `stored` line, so the lines add up to 0
 * (docs/tenants.md, "What the erase removes and keeps"). The instances' lines are left as they are, not deleted: each
 * live instance holds its line's total in memory and writes it whole on its next count, which a deleted line would
 * bring back; with the sum taken off beside them, what an instance counts afterwards is all a re-created
 * organization of the same id is charged. The bytes freed are also written as a signed count of the current hour
 * (`hour:<hour>:atakora-erase`), as a delete's are, so billing's walk back from the stored bytes now to each hour's
 * stays right. The hour lines themselves are kept: they are what was used (billing, `atakora usage`). Idempotent: run
 * again it finds 0 and writes nothing. Each write is conditional (`If-Match`), read again when another run wrote
 * between. Returns the bytes it took off.
 *
 * @example
 * ```ts
 * await eraseStoredBytes(db.container('usage'), 'acme', new Date()); // 5390
 * ```
 */
export async function eraseStoredBytes(
  ledger: Container,
  tenant: string,
  now: Date,
): Promise<number> {
  const freed = await zeroStored(ledger, tenant);
  if (freed.itemBytes !== 0 || freed.fileBytes !== 0)
    await addToHour(ledger, tenant, hourKey(now.getTime()), freed);
  return freed.itemBytes + freed.fileBytes;
}

async function zeroStored(
  ledger: Container,
  tenant: string,
): Promise<{ itemBytes: number; fileBytes: number }> {
  const id = `stored:${ERASE_LEDGER_INSTANCE}`;
  for (let attempt = 1; ; attempt++) {
    const { resources } = await ledger.items
      .query<Line>(
        {
          query: "SELECT * FROM c WHERE c.tenant = @t AND c.kind = 'stored'",
          parameters: [{ name: '@t', value: tenant }],
        },
        { partitionKey: tenant },
      )
      .fetchAll();
    let itemBytes = 0;
    let fileBytes = 0;
    for (const line of resources) {
      itemBytes += num(line['itemBytes']);
      fileBytes += num(line['fileBytes']);
    }
    if (itemBytes === 0 && fileBytes === 0) return { itemBytes: 0, fileBytes: 0 };
    const own = resources.find((line) => line.id === id);
    const next = storedItem(tenant, ERASE_LEDGER_INSTANCE, {
      itemBytes: num(own?.['itemBytes']) - itemBytes,
      fileBytes: num(own?.['fileBytes']) - fileBytes,
    });
    if (await written(ledger, tenant, own, next, attempt)) return { itemBytes, fileBytes };
  }
}

async function addToHour(
  ledger: Container,
  tenant: string,
  hour: string,
  freed: { readonly itemBytes: number; readonly fileBytes: number },
): Promise<void> {
  const id = `hour:${hour}:${ERASE_LEDGER_INSTANCE}`;
  for (let attempt = 1; ; attempt++) {
    const own = await ledger
      .item(id, tenant)
      .read<Line>()
      .then(
        (r) => r.resource,
        (e: unknown) => {
          if (statusOf(e) !== 404) throw e;
          return undefined;
        },
      );
    const next = hourItem(tenant, hour, ERASE_LEDGER_INSTANCE, {
      ...zeroHour(),
      itemBytes: num(own?.['itemBytes']) - freed.itemBytes,
      fileBytes: num(own?.['fileBytes']) - freed.fileBytes,
    });
    if (await written(ledger, tenant, own, next, attempt)) return;
  }
}

/** Replace `own` if unchanged since read, or create it if there was none: false when another run wrote first. */
async function written(
  ledger: Container,
  tenant: string,
  own: Line | undefined,
  next: { readonly id: string },
  attempt: number,
): Promise<boolean> {
  try {
    if (own)
      await ledger.item(next.id, tenant).replace(next, {
        accessCondition: { type: 'IfMatch', condition: own._etag ?? '' },
      });
    else await ledger.items.create(next);
    return true;
  } catch (e) {
    if ((statusOf(e) !== 412 && statusOf(e) !== 409) || attempt >= ATTEMPTS) throw e;
    return false;
  }
}
