import type { TerraformResource, Construct } from '../kit/cdktf/engine.js';
import type { ComponentHandle } from '../model/component.js';
import type { ResourcePlan } from '../model/plan.js';
import { componentHandles } from '../plan/handles.js';
import { cdktf } from '../kit/cdktf/cdk-modules.js';

/** `${azurerm_static_web_app.<name>.default_host_name}`: how plan-time handles name a value Azure assigns. */
const EXPRESSION = /\$\{([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)\.([a-z][a-z0-9_]*)\}/g;

/**
 * The handles of an applied plan: names are the plan's for this stack (its deployment target's token, see
 * deployment-target.ts), and every Terraform expression a plan-time handle holds for a value Azure assigns at
 * creation (a Static Web App's `default_host_name`, a Front Door endpoint's `host_name`) becomes the cdktf
 * token of that attribute on the construct apply created. A token, unlike the raw expression, resolves in any
 * stack of the app: cdktf wires a reference from another stack through an output and remote state.
 *
 * @example
 * ```ts
 * appliedHandles(scope, plan)['website']!['defaultHostname']; // '${TfToken[TOKEN.42]}' → the site's default_host_name
 * ```
 */
export function appliedHandles(
  scope: Construct,
  plan: ResourcePlan,
): Readonly<Record<string, ComponentHandle>> {
  const created = new Map<string, TerraformResource>();
  for (const node of scope.node.findAll()) {
    if (cdktf.TerraformResource.isTerraformResource(node)) {
      created.set(`${node.terraformResourceType}.${node.friendlyUniqueId}`, node);
    }
  }
  // One token per attribute, not one per mention: every CrudApi's handle names the same registration's client
  // id, and each new cdktf token records its creation stack (the dearest part of apply).
  const tokens = new Map<string, string>();
  return componentHandles(plan, (s) =>
    s.replace(EXPRESSION, (whole, type: string, name: string, attribute: string) => {
      let token = tokens.get(whole);
      if (token === undefined) {
        const resource = created.get(`${type}.${name}`);
        token = resource ? resource.getStringAttribute(attribute) : whole;
        tokens.set(whole, token);
      }
      return token;
    }),
  );
}
