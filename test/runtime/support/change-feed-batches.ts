// A container's change feed as `atakora dev`'s emulated trigger reads it (cli/dev/host/change-feed-triggers.ts, over
// cli/azure/local-change-feed.ts): the documents whose `_ts` is new since the last read, in `_ts`/`_lsn` order, each
// version once — for the tests that hand a registered Cosmos DB trigger its batches themselves.
import type { Container } from '@azure/cosmos';
import { FeedPosition } from '../../../src/cli/dev/host/change-feed-triggers.js';

export interface FeedBatches {
  /** The documents of `container` changed since its last read (all of them on the first). */
  changedIn(container: Container): Promise<Record<string, unknown>[]>;
  /** Forget every position: the next read of a container starts from its beginning. */
  reset(): void;
}

export function feedBatches(): FeedBatches {
  const positions = new Map<string, FeedPosition>();
  return {
    async changedIn(container) {
      const position = positions.get(container.id) ?? new FeedPosition(0);
      positions.set(container.id, position);
      const { resources } = await container.items
        .query<Record<string, unknown>>({
          query: 'SELECT * FROM c WHERE c._ts >= @ts',
          parameters: [{ name: '@ts', value: position.ts }],
        })
        .fetchAll();
      const at = (d: Record<string, unknown>, f: string) => Number(d[f] ?? 0);
      return position.next(
        resources.sort((a, b) => at(a, '_ts') - at(b, '_ts') || at(a, '_lsn') - at(b, '_lsn')),
      );
    },
    reset() {
      positions.clear();
    },
  };
}
