import { at } from '../../model/at.js';
/**
 * Items with a name, in insertion order, found by name: by a scan while there are a few, by a Map once there
 * are more. A Cosmos merge keeps one per account (its databases) and one per database (its containers): most
 * hold a single item, and the merge runs once per consumer when the planner prices its own copy (10,000 times
 * at 10,000 CrudApis), so two Maps per database were most of its allocations; a database that many
 * components share still costs a constant per lookup.
 *
 * @example
 * ```ts
 * const dbs = new ByName<{ name: string }>();
 * dbs.add({ name: 'user-db' });
 * dbs.get('user-db'); // { name: 'user-db' }
 * dbs.items;          // [{ name: 'user-db' }]
 * ```
 */
export class ByName<T extends { readonly name: string }> {
  /** In insertion order. */
  readonly items: T[] = [];
  private index: Map<string, T> | undefined;

  get(name: string): T | undefined {
    if (this.index) return this.index.get(name);
    const items = this.items;
    for (let i = 0; i < items.length; i++) if (at(items, i).name === name) return items[i];
    return undefined;
  }

  /** Adds an item whose name `get` does not know yet. */
  add(item: T): void {
    this.items.push(item);
    if (this.index) this.index.set(item.name, item);
    else if (this.items.length > SCAN_LIMIT)
      this.index = new Map(this.items.map((x) => [x.name, x]));
  }
}

/** Looked up by a scan up to this many items, by a Map above. */
const SCAN_LIMIT = 8;
