/**
 * No data source reads a resource group the stack creates. A data source is read while planning (or, when it
 * waits for something unknown, early in apply); in a resource group the same apply creates, whatever it
 * names cannot exist yet unless the stack creates that too and the data source names it by reference
 * (Terraform docs, "Data sources": data resources are read during planning unless their arguments depend on
 * values not yet known). A literal name in the stack's own group fails "not found" on the first plan.
 */
type Attrs = Readonly<Record<string, unknown>>;
type Blocks = Readonly<Record<string, Readonly<Record<string, Attrs>>>>;
type Add = (address: string, problem: string, source: string) => void;

/** Problems with data sources, reported through `add`. */
export function dataSourceProblems(json: { resource?: Blocks; data?: Blocks }, add: Add): void {
  const created = new Set<string>();
  for (const [n, rg] of Object.entries(json.resource?.['azurerm_resource_group'] ?? {})) {
    created.add(`\${azurerm_resource_group.${n}.name}`);
    if (typeof rg['name'] === 'string') created.add(rg['name']);
  }
  for (const [type, byName] of Object.entries(json.data ?? {})) {
    for (const [n, d] of Object.entries(byName)) {
      const group = d['resource_group_name'];
      const name = String(d['name'] ?? '');
      if (typeof group === 'string' && created.has(group) && !name.includes('${')) {
        add(
          `data.${type}.${n}`,
          `looks up "${name}" in resource group ${group}, which this stack creates`,
          'Terraform docs: data sources are read before the resources of the same apply exist',
        );
      }
    }
  }
}
