import type { CognitiveAccount } from './azurerm-types.js';
import type { ProvisionContext } from './provision-context.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { OPENAI_ENDPOINT_SETTING, OPENAI_KEY } from '../../model/embedding-models.js';

/**
 * The app setting that tells a Function App's runtime where to embed: the Azure OpenAI account's `endpoint`
 * (`https://<custom subdomain>.openai.azure.com/`, a Terraform reference until apply), for an app hosting a CrudApi
 * whose search embeds; empty otherwise. No key: the runtime calls with its managed identity.
 *
 * @example
 * ```ts
 * Object.assign(appSettings, openaiSettingsOf(ctx, resource));
 * ```
 */
export function openaiSettingsOf(
  ctx: ProvisionContext,
  functions: { readonly config: object },
): Record<string, string> {
  const account = ctx.constructs.get(OPENAI_KEY) as CognitiveAccount | undefined;
  const entities =
    (functions.config as { crudEntities?: readonly RuntimeEntity[] }).crudEntities ?? [];
  if (!account || !entities.some((e) => e.search?.vector?.embed)) return {};
  return { [OPENAI_ENDPOINT_SETTING]: account.endpoint };
}
