/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { MyTenant } from '../contract/member-shapes.js';
import { connectionOf, currentOrganization, setOrganization } from './connection.js';

/**
 * The signed-in person's organizations and the one the elements act in (the chosen one if still theirs, else their
 * first, which then becomes the chosen one): its roles decide which controls an element shows.
 *
 * @example
 * ```ts
 * const { current } = await myOrganizations();
 * current?.roles; // ['Owner']
 * ```
 */
export async function myOrganizations(): Promise<{
  items: readonly MyTenant[];
  current?: MyTenant;
}> {
  const { client } = await connectionOf();
  const { items } = await client.me.tenants();
  const chosen = currentOrganization();
  const current = items.find((o) => o.id === chosen) ?? items[0];
  if (current?.id !== chosen) setOrganization(current?.id);
  return current ? { items, current } : { items };
}

/** A problem of no organization chosen: the elements that act in one show it as their empty state. */
export class NoOrganization extends Error {
  override readonly name = 'NoOrganization';
}

/** The organization the elements act in, or NoOrganization. */
export async function inOrganization(): Promise<MyTenant> {
  const { current } = await myOrganizations();
  if (!current) throw new NoOrganization();
  return current;
}
