import type { ChangeEvent } from '@atakora/component/runtime';

/** An onChange handler for the check:terraform fixtures. */
export default function onChange({ operation, item }: ChangeEvent): void {
  console.log(operation, item['id']);
}
