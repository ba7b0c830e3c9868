import { Testing, Subnet, VirtualNetwork } from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { AtakoraError } from '../../src/model/errors.js';

// Two silent breaks from running the seeds' snippets, now said.
function example3(delegation: string) {
  const stack = new ResourceGroupStack(Testing.app(), 'SecureStack', {
    resourceGroupName: 'rg-secure-prod',
    location: 'eastus',
  });
  const vnet = new VirtualNetwork(stack, 'vnet', {
    name: 'vnet-secure-prod',
    resourceGroupName: 'rg-secure-prod',
    location: 'eastus',
    addressSpace: ['10.0.0.0/16'],
  });
  // As the seeds' Example 3 writes it: the subnet delegated to Microsoft.Web/serverFarms, its name as a literal.
  new Subnet(stack, 'backend-subnet', {
    name: 'backend-subnet',
    resourceGroupName: 'rg-secure-prod',
    virtualNetworkName: vnet.name,
    addressPrefixes: ['10.0.1.0/24'],
    delegation: [
      {
        name: 'delegation',
        serviceDelegation: {
          name: delegation,
          actions: ['Microsoft.Network/virtualNetworks/subnets/action'],
        },
      },
    ],
  });
  const backend = defineBackend(
    { userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }) },
    {
      environment: 'production',
      networking: {
        mode: 'isolated',
        vnetName: 'vnet-secure-prod',
        subnetName: 'backend-subnet',
        vnetResourceGroupName: 'rg-network-prod',
      },
    },
  );
  return () => backend.apply(stack);
}

describe("the seeds' silent breaks are no longer silent", () => {
  it('Example 3: Flex in a subnet delegated to Microsoft.Web/serverFarms is SUBNET_DELEGATION_MISMATCH naming the delegation', () => {
    let e: unknown;
    try {
      example3('Microsoft.Web/serverFarms')();
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(AtakoraError);
    expect((e as AtakoraError).code).toBe('SUBNET_DELEGATION_MISMATCH');
    expect((e as AtakoraError).message).toContain(
      '"backend-subnet" is delegated to Microsoft.Web/serverFarms',
    );
    expect((e as AtakoraError).message).toContain('Microsoft.App/environments');
    expect((e as AtakoraError).path).toEqual(['config', 'networking', 'subnetName']);
    // Delegated as Flex needs it, the same program applies.
    expect(() => example3('Microsoft.App/environments')()).not.toThrow();
  });

  it('healthCheck.timeout is a plan warning naming it; interval × unhealthyThreshold is said to become the eviction time', () => {
    const plan = defineBackend({
      userApi: CrudApi.define('UserApi', {
        entityName: 'User',
        schema: { id: 'string' },
        healthCheck: { path: '/api/health', interval: 30, timeout: 5, unhealthyThreshold: 3 },
      }),
    }).plan();
    const timeout = plan.issues.find((i) => i.code === 'HEALTH_CHECK_TIMEOUT_IGNORED');
    expect(timeout).toMatchObject({
      severity: 'warning',
      path: ['components', 'UserApi', 'healthCheck', 'timeout'],
      components: ['UserApi'],
    });
    expect(timeout!.message).toContain('healthCheck.timeout (5s) is ignored');
    const interval = plan.issues.find((i) => i.code === 'HEALTH_CHECK_INTERVAL_AS_EVICTION');
    expect(interval!.message).toContain('30s × 3');
    expect(interval!.message).toContain('failing 2 minute(s) in a row');
    const quiet = defineBackend({
      userApi: CrudApi.define('UserApi', {
        entityName: 'User',
        schema: { id: 'string' },
        healthCheck: { path: '/api/health' },
      }),
    }).plan();
    expect(quiet.issues.filter((i) => i.code.startsWith('HEALTH_CHECK_'))).toEqual([]);
  });
});
