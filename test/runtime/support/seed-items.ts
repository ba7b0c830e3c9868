import {
  BulkOperationType,
  type Container,
  type CreateOperationInput,
  type JSONObject,
} from '@azure/cosmos';

/** The most operations one `items.bulk` call takes (@azure/cosmos 4.9's Items.bulk: "List of operations. Limit 100"). */
const BATCH = 100;

/**
 * Create `items` in `container` as test data: through the SDK's bulk API (`items.bulk`, batches of up to 100 creates
 * per request, the local server's `batch-documents` handler), not a request per item. A seed is the test's
 * setup, not its subject; the reads under test still go one by one through the runtime. Each item must be created
 * (201): a conflict or a refusal throws, naming the item.
 *
 * @example
 * ```ts
 * await seedItems(container, [{ id: 'a', name: 'x' }, { id: 'b', name: 'y' }]);
 * ```
 */
export async function seedItems(
  container: Container,
  items: readonly Record<string, unknown>[],
): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) {
    const chunk = items.slice(i, i + BATCH);
    const operations: CreateOperationInput[] = chunk.map((resourceBody) => ({
      operationType: BulkOperationType.Create,
      resourceBody: resourceBody as JSONObject,
    }));
    const answers = await container.items.bulk(operations);
    answers.forEach((a, k) => {
      if (a.statusCode !== 201)
        throw new Error(
          `seeding ${JSON.stringify(chunk[k]).slice(0, 200)} answered ${String(a.statusCode)}`,
        );
    });
  }
}
