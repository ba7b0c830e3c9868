import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { defineComponent } from '../../src/components/custom/define.js';
import { STATEFUL_TERRAFORM_TYPES } from '../../src/plan/diff/diff-types.js';
import { codeOf, expectHonest, synth } from '../support/synth.js';

// BackendConfig.preventDestroy (apply/prevent-destroy.ts): Terraform's prevent_destroy on what holds data, so a
// rename that forces a replacement, or `terraform destroy`, fails at plan time instead of deleting data.
const components = {
  users: CrudApi.define('UserApi', {
    entityName: 'User',
    schema: { id: 'string', email: 'string' },
    partitionKey: '/id',
  }),
  orders: CrudApi.define('OrderApi', {
    entityName: 'Order',
    schema: { id: 'string', total: 'number' },
  }),
};

/** `type.name` → its lifecycle block, for every synthesized resource. */
function lifecycles(json: ReturnType<typeof synth>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [type, byName] of Object.entries(json.resource)) {
    for (const [name, block] of Object.entries(byName))
      out.set(`${type}.${name}`, (block as { lifecycle?: unknown }).lifecycle);
  }
  return out;
}

describe('preventDestroy: what holds data is never destroyed by a Terraform plan', () => {
  it('on by default: every Cosmos DB account, database and container and the storage account, nothing else', () => {
    const backend = defineBackend({ users: components.users, orders: components.orders });
    const json = synth(backend);
    const all = lifecycles(json);
    const protectedOnes = [...all]
      .filter(([, l]) => (l as { prevent_destroy?: boolean } | undefined)?.prevent_destroy === true)
      .map(([a]) => a.split('.')[0]);
    expect(new Set(protectedOnes)).toEqual(
      new Set([
        'azurerm_cosmosdb_account',
        'azurerm_cosmosdb_sql_database',
        'azurerm_cosmosdb_sql_container',
        'azurerm_storage_account',
      ]),
    );
    // Each one of those types, all of its instances (two APIs: two databases, two containers).
    for (const [address, lifecycle] of all) {
      const stateful = STATEFUL_TERRAFORM_TYPES.includes(address.split('.')[0]!);
      // The API registration ignores identifier_uris (azuread docs: managed by azuread_application_identifier_uri); no prevent_destroy.
      // The code package's blob and container: a new version is uploaded before the old one goes (package-delivery.ts).
      // A Cosmos DB account also ignores later changes of its capabilities (azurerm v4.55.0 would replace it to add
      // one: resources/cosmos/provision.ts; atakora deploy enables vector search in place).
      const expected = stateful
        ? address.startsWith('azurerm_cosmosdb_account.')
          ? { ignore_changes: ['capabilities'], prevent_destroy: true }
          : { prevent_destroy: true }
        : address === 'azuread_application.backend_entra_api'
          ? { ignore_changes: ['identifier_uris'] }
          : /^azurerm_storage_(blob|container)\.backend_functions_shared_package_/.test(address)
            ? { create_before_destroy: true }
            : undefined;
      expect({ address, lifecycle }).toEqual({ address, lifecycle: expected });
    }
    expect(protectedOnes.filter((t) => t === 'azurerm_cosmosdb_sql_container')).toHaveLength(2);
    expectHonest(backend.plan(), json);
  });

  it('preventDestroy: false leaves every resource without a lifecycle block (an environment meant to be torn down)', () => {
    const json = synth(
      defineBackend({ users: components.users }, { environment: 'dev', preventDestroy: false }),
    );
    expect(
      [...lifecycles(json).values()].filter(
        (l) =>
          l !== undefined && (l as { prevent_destroy?: boolean }).prevent_destroy !== undefined,
      ),
    ).toEqual([]);
  });

  it('a Key Vault is protected too', () => {
    const vaultUser = defineComponent({
      type: 'Billing',
      id: 'Billing',
      config: {},
      requirements: () => [
        {
          resourceType: 'keyvault',
          requirementKey: 'Billing-kv',
          config: { secrets: ['stripe-key'], access: 'read' },
        },
      ],
    });
    const json = synth(defineBackend({ users: components.users, billing: vaultUser }));
    const vaults = Object.values(json.resource['azurerm_key_vault'] ?? {});
    expect(vaults).toHaveLength(1);
    expect((vaults[0] as { lifecycle?: unknown }).lifecycle).toEqual({ prevent_destroy: true });
  });

  it('a non-boolean preventDestroy is CONFIG_INVALID', () => {
    expect(
      codeOf(() => defineBackend({ users: components.users }, { preventDestroy: 'yes' as never })),
    ).toBe('CONFIG_INVALID');
  });
});
