import type { TerraformStack } from '../kit/cdktf/engine.js';
import type { NormalizedConfig } from '../model/config.js';
import { AtakoraError } from '../model/errors.js';
import type { ResourcePlan } from '../model/plan.js';
import { cdktf } from '../kit/cdktf/cdk-modules.js';
import { deploysType } from '../kit/pure/resources/resource-providers.js';

type Block = Readonly<Record<string, unknown>>;

/**
 * An existing integration subnet (`networking.subnetName`) that the same cdktf program creates is checked
 * against the hosting plan before anything is added: Flex Consumption joins only a subnet delegated to
 * `Microsoft.App/environments`, Premium and Dedicated plans only one delegated to `Microsoft.Web/serverFarms`
 * (Learn, "Flex Consumption plan", virtual network integration; "Integrate your app with an Azure virtual
 * network", subnet requirements). The seeds' Example 3 delegates its `backend-subnet` to serverFarms and runs
 * on Flex: Azure refuses that at apply, so it is an error here, naming the delegation. A subnet that exists
 * only in Azure cannot be read at synth; the docs say what it needs.
 *
 * @example
 * ```ts
 * checkSubnetDelegation(stack, plan, config); // throws SUBNET_DELEGATION_MISMATCH for Example 3 as the seeds write it
 * ```
 */
export function checkSubnetDelegation(
  stack: TerraformStack,
  plan: ResourcePlan,
  config: NormalizedConfig,
): void {
  const wantedName = config.networking.subnetName;
  if (
    config.networking.mode !== 'isolated' ||
    wantedName === undefined ||
    !config.networking.vnetName
  )
    return;
  const flex = deploysType(plan, 'azurerm_function_app_flex_consumption');
  const premium = deploysType(plan, 'azurerm_linux_function_app');
  if (!flex && !premium) return;
  const wanted = flex ? 'Microsoft.App/environments' : 'Microsoft.Web/serverFarms';
  const resolve = (scope: TerraformStack, value: unknown): unknown =>
    cdktf.Tokenization.resolve(value, {
      scope,
      resolver: new cdktf.DefaultTokenResolver(new cdktf.StringConcat()),
      preparing: false,
    });
  const target = resolve(stack, wantedName);
  for (const c of stack.node.root.node.findAll()) {
    if (
      !cdktf.TerraformResource.isTerraformResource(c) ||
      c.terraformResourceType !== 'azurerm_subnet'
    )
      continue;
    const own = cdktf.TerraformStack.of(c);
    const attrs: Block =
      Object.values(
        (
          (resolve(own, c.toTerraform()) as Block)['resource'] as Record<
            string,
            Record<string, Block>
          >
        )['azurerm_subnet'] ?? {},
      )[0] ?? {};
    const ref = `\${azurerm_subnet.${c.friendlyUniqueId}.name}`;
    if (attrs['name'] !== target && ref !== target) continue;
    const nameOf = (d: Block): string => {
      const sd = (
        Array.isArray(d['service_delegation'])
          ? d['service_delegation'][0]
          : d['service_delegation']
      ) as Block | undefined;
      return typeof sd?.['name'] === 'string' ? sd['name'] : '';
    };
    const delegations = ((attrs['delegation'] ?? []) as Block[]).map(nameOf);
    const wrong = delegations.filter((d) => d !== wanted);
    if (wrong.length > 0 || delegations.length === 0) {
      const has = wrong[0] ?? 'no delegation';
      throw new AtakoraError(
        'SUBNET_DELEGATION_MISMATCH',
        `networking.subnetName "${String(attrs['name'])}" is delegated to ${has}, but the backend's Function ` +
          `App runs on ${flex ? 'Flex Consumption' : 'a Premium/Dedicated plan'}, which joins only a subnet ` +
          `delegated to ${wanted}: Azure would refuse the VNet integration at apply.`,
        {
          path: ['config', 'networking', 'subnetName'],
          resolution:
            `Delegate that subnet to ${wanted} (delegation: [{ name: 'functions', serviceDelegation: { name: ` +
            `'${wanted}', actions: ['Microsoft.Network/virtualNetworks/subnets/${flex ? 'join/' : ''}action'] ` +
            `} }]), or use another subnet.`,
        },
      );
    }
  }
}
