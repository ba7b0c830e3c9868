import type { PlannedComponent, PlannedResource } from '../../model/plan.js';
import { at } from '../../model/at.js';
import { esc } from './html-escape.js';

/** A shared resource's strings as the page shows them, escaped once. */
export interface ResourceText {
  readonly key: string;
  readonly name: string;
  readonly type: string;
  /** `consumers.join(', ')` escaped; '' when that join is empty (each place has its own word for none). */
  readonly consumers: string;
  /** Each deploy's address (`type.name`), as written (the diagram measures its length). */
  readonly addresses: readonly string[];
  /** The same, escaped. */
  readonly escapedAddresses: readonly string[];
}

/** A component's strings as the page shows them, escaped once. */
export interface ComponentText {
  readonly key: string;
  readonly id: string;
  readonly type: string;
}

/**
 * The plan's strings escaped once per page: the diagram, the cost table and the text alternative each show a
 * resource's name, key, consumers and Terraform addresses, and a component's id, key and type, so each is escaped
 * (and each address built) here once instead of once per place. Escaping is per character, so an escaped whole is
 * the escaped parts put together: `esc(a + b) === esc(a) + esc(b)`.
 *
 * @example
 * ```ts
 * const text = pageText();
 * text.resource(plan.resources[0]!).escapedAddresses; // ['azurerm_cosmosdb_account.cosmos-…', …]
 * ```
 */
export function pageText(): {
  resource(r: PlannedResource): ResourceText;
  component(c: PlannedComponent): ComponentText;
} {
  const resources = new Map<PlannedResource, ResourceText>();
  const components = new Map<PlannedComponent, ComponentText>();
  const types = new Map<string, string>();
  const escType = (type: string): string => {
    let t = types.get(type);
    if (t === undefined) types.set(type, (t = esc(type)));
    return t;
  };
  return {
    resource(r) {
      let t = resources.get(r);
      if (t === undefined) {
        const addresses: string[] = [];
        const escapedAddresses: string[] = [];
        // Indexed: no iterator step per Terraform resource (5,000 at 1,000 CrudApis, in code run once a page).
        for (let i = 0; i < r.deploys.length; i++) {
          const d = at(r.deploys, i);
          const address = `${d.terraformType}.${d.name}`;
          addresses.push(address);
          // Escaped by its parts, each a plan string already whole (the type's once per page): the address is
          // not made whole to be searched, and is itself when neither part has anything to escape.
          const type = escType(d.terraformType);
          const name = esc(d.name);
          escapedAddresses.push(
            type === d.terraformType && name === d.name ? address : `${type}.${name}`,
          );
        }
        t = {
          key: esc(r.key),
          name: esc(r.name),
          type: esc(r.type),
          consumers: esc(r.consumers.join(', ')),
          addresses,
          escapedAddresses,
        };
        resources.set(r, t);
      }
      return t;
    },
    component(c) {
      let t = components.get(c);
      if (t === undefined) {
        t = { key: esc(c.key), id: esc(c.id), type: esc(c.type) };
        components.set(c, t);
      }
      return t;
    },
  };
}

/** What {@link pageText} returns: the page's escaped strings, made on first use. */
export type PageText = ReturnType<typeof pageText>;
