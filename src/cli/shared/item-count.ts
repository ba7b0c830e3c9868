import { countsItems, itemRoom } from '../../runtime/crud/item-room.js';
import { DEFAULT_COSMOS_POLICY } from '../../runtime/data/cosmos-policy.js';
import { roomAdded } from '../../runtime/limits/counted-room.js';
import { cosmosRoomStore } from '../../runtime/usage/room-store.js';
import { firstLine } from '../azure/errors.js';
import type { Container } from '../azure/cosmos.js';

/** What {@link moveItemCount} reads of a tenant command's target: the plans, and its containers. */
interface CountTarget {
  readonly backend: {
    readonly config: {
      readonly tenants?:
        | {
            readonly plans?: Readonly<
              Record<string, { readonly items?: Readonly<Record<string, number>> | undefined }>
            >;
          }
        | undefined;
    };
  };
  readonly container: (endpoint: string, database: string, name: string) => Promise<Container>;
}

/** The CrudApi whose items were written: its id, partition key and container. */
interface CountedEntity {
  readonly componentId: string;
  readonly entity: { readonly partitionKey: string };
  readonly endpoint: string;
  readonly database: string;
  readonly container: string;
}

/**
 * After a tenant command created (`moved` > 0: `tenant import`) or deleted (`moved` < 0: `tenant delete`, a
 * restore's erasure) items of `entity` for `tenant`: when some plan bounds that CrudApi's items
 * (`tenants.plans.<n>.items`), the runtime's count of them in the usage ledger (`room|items|<CrudApi>`,
 * runtime/crud/item-room.ts) moved by as many — the runtime counts only its own creates and deletes, so without
 * this an organization imported past its plan's bound could still create, and `GET api/tenant` would show nothing
 * `over`. A count never kept yet is created from the data. Never throws: the data is written, and a count that
 * could not be written is told to `warn`.
 *
 * @example
 * ```ts
 * await moveItemCount(target, ledger, 'acme', entity, report.created.length, progress);
 * ```
 */
export async function moveItemCount(
  target: CountTarget,
  ledger: Container | undefined,
  tenant: string,
  entity: CountedEntity,
  moved: number,
  warn: (line: string) => void,
): Promise<void> {
  const plans = target.backend.config.tenants?.plans ?? {};
  if (!ledger || moved === 0 || !countsItems({ plans }, entity.componentId)) return;
  const room = itemRoom(
    {
      componentId: entity.componentId,
      partitionKey: entity.entity.partitionKey,
      container: await target.container(entity.endpoint, entity.database, entity.container),
      cosmos: DEFAULT_COSMOS_POLICY,
    },
    cosmosRoomStore(ledger),
    tenant,
    Date.now,
  );
  try {
    await roomAdded(room, moved);
  } catch (e) {
    warn(
      `warning: the count of ${entity.componentId}'s items of ${tenant} in the usage ledger could not be updated ` +
        `(${firstLine(e)}): ${String(Math.abs(moved))} item(s) ${moved > 0 ? 'created' : 'deleted'} are not ` +
        "counted against its plan's bound. " +
        'The data itself was written.\n',
    );
  }
}
