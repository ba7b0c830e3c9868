// Runs after each change of a booking: in Azure from the Cosmos DB change feed, under `atakora dev` after the
// write. A throw is logged and never fails the write that caused it (docs/events.md).
import type { ChangeEvent } from '@atakora/component/runtime';

export default function onBooking({ operation, item, tenant }: ChangeEvent): void {
  if (operation === 'create')
    console.log(
      `booking ${String(item['id'])} for ${String(item['startsAt'])} in ${tenant ?? 'the home tenant'}`,
    );
}
