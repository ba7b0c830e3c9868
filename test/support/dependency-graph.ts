/**
 * The Terraform dependency graph of a synthesized `cdk.tf.json`: what each resource or data source waits for,
 * through references (`${type.name.attr}` anywhere in its arguments) and `depends_on`. Terraform creates a
 * resource only after everything it waits for, transitively (Terraform docs, "Resource dependencies" /
 * "The depends_on meta-argument"), so "A waits for B" is exactly "B exists before A is created".
 */
type Attrs = Readonly<Record<string, unknown>>;
type Blocks = Readonly<Record<string, Readonly<Record<string, Attrs>>>>;

/** `azurerm_x.y` for resources, `data.azurerm_x.y` for data sources. */
export type Address = string;

const REF = /\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?=[.[}\s,)])/g;

function referencesIn(value: unknown, out: Set<Address>): void {
  if (typeof value === 'string') {
    for (const m of value.matchAll(REF)) out.add(`${m[1] ?? ''}${m[2]}.${m[3]}`);
  } else if (Array.isArray(value)) {
    for (const v of value) referencesIn(v, out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      if (k !== 'depends_on' && k !== '//') referencesIn(v, out);
  }
}

/** What every resource and data source of a stack waits for, directly. */
export class DependencyGraph {
  readonly direct = new Map<Address, Set<Address>>();

  constructor(json: { resource?: Blocks; data?: Blocks }) {
    const add = (prefix: string, blocks: Blocks | undefined) => {
      for (const [type, byName] of Object.entries(blocks ?? {})) {
        for (const [name, attrs] of Object.entries(byName)) {
          const deps = new Set<Address>();
          referencesIn(attrs, deps);
          for (const d of (attrs['depends_on'] ?? []) as string[])
            deps.add(d.replace(/^\$\{|\}$/g, ''));
          this.direct.set(`${prefix}${type}.${name}`, deps);
        }
      }
    };
    add('', json.resource);
    add('data.', json.data);
  }

  /** Everything `from` waits for, transitively. */
  waitsFor(from: Address): Set<Address> {
    const seen = new Set<Address>();
    const stack = [...(this.direct.get(from) ?? [])];
    while (stack.length) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(this.direct.get(next) ?? []));
    }
    return seen;
  }

  /** Whether `from` is created only after `to` exists. */
  waits(from: Address, to: Address): boolean {
    return this.waitsFor(from).has(to);
  }
}
