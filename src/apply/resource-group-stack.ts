import type { Construct } from '../kit/cdktf/engine.js';
import type { AzurermProvider, ResourceGroup } from '../kit/cdktf/azurerm-types.js';
import { AtakoraError } from '../model/errors.js';
import { azurerm, cdktf } from '../kit/cdktf/cdk-modules.js';

/**
 * Props of a {@link ResourceGroupStack}: the resource group every applied backend's resources go into.
 *
 * @example
 * ```ts
 * const props: ResourceGroupStackProps = {
 *   resourceGroupName: 'rg-myapp-prod',
 *   location: 'eastus',
 *   tags: { team: 'platform' },
 * };
 * new ResourceGroupStack(app, 'MyStack', props);
 * ```
 */
export interface ResourceGroupStackProps {
  /** Created by the stack. 1–90 letters, digits, `-`, `_`, `.`, `(` or `)`, not ending in `.`. */
  readonly resourceGroupName: string;
  /** Region of the resource group; also the default location of stand-alone components in the stack. */
  readonly location: string;
  /**
   * Tags of the resource group. Each backend applied to the stack adds its `BackendConfig.tags` to them (these
   * keep their values on a clash); backend resources take only `BackendConfig.tags`.
   */
  readonly tags?: Readonly<Record<string, string>>;
  /** Defaults to the ARM_SUBSCRIPTION_ID the azurerm provider reads from the environment. */
  readonly subscriptionId?: string;
}

// Required, not imported, like all of cdktf in the apply layer (kit/cdktf/cdk-modules.ts says why).
const { TerraformStack } = cdktf;

/**
 * A cdktf stack with the azurerm provider (`features {}`, Azure AD auth for storage data-plane calls, since
 * shared keys are off) and the resource group every applied resource goes into.
 *
 * @example
 * ```ts
 * const app = new App();
 * const stack = new ResourceGroupStack(app, 'MyStack', { resourceGroupName: 'rg-myapp-prod', location: 'eastus' });
 * backend.addToStack(stack);
 * app.synth();
 * ```
 */
export class ResourceGroupStack extends TerraformStack {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly resourceGroup: ResourceGroup;
  readonly provider: AzurermProvider;
  /** The subscription given in props, if any: with the resource group it seeds the backends' global-name token. */
  readonly subscriptionId: string | undefined;

  constructor(scope: Construct, id: string, props: ResourceGroupStackProps) {
    const { AzurermProvider } = azurerm('provider');
    const { ResourceGroup } = azurerm('resource-group');
    super(scope, id);
    if (
      !props ||
      typeof props.resourceGroupName !== 'string' ||
      !/^[-\w.()]{1,90}$/.test(props.resourceGroupName) ||
      props.resourceGroupName.endsWith('.')
    ) {
      throw new AtakoraError(
        'STACK_INVALID',
        `ResourceGroupStack ${id}: resourceGroupName must be 1-90 letters, digits, "-", "_", ".", "(" or ` +
          `")", not ending in ".".`,
        { path: ['resourceGroupName'] },
      );
    }
    if (typeof props.location !== 'string' || props.location.length === 0) {
      throw new AtakoraError('STACK_INVALID', `ResourceGroupStack ${id}: location is required.`, {
        path: ['location'],
      });
    }
    this.resourceGroupName = props.resourceGroupName;
    this.location = props.location;
    this.subscriptionId = props.subscriptionId;
    this.provider = new AzurermProvider(this, 'azurerm', {
      // Storage accounts here use neither queue_properties nor static_website, so the account resource need not
      // call the data plane; with public access off those calls fail on refresh (403,
      // hashicorp/terraform-provider-azurerm#33454).
      // https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/guides/features-block
      // (storage.data_plane_available)
      features: [{ storage: [{ dataPlaneAvailable: false }] }],
      storageUseAzuread: true,
      ...(props.subscriptionId ? { subscriptionId: props.subscriptionId } : {}),
    });
    this.resourceGroup = new ResourceGroup(this, 'resource-group', {
      name: props.resourceGroupName,
      location: props.location,
      ...(props.tags ? { tags: { ...props.tags } } : {}),
    });
  }
}
