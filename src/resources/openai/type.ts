import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue, PlannedDeploy, PlannedResource } from '../../model/plan.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import type { BackendResourceType } from '../../kit/pure/resources/backend-resource-type.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { resourceName } from '../../kit/pure/names/naming.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { asJsonObject } from '../../kit/pure/resources/resource-type.js';
import { roundUsd } from '../../kit/pure/resources/prices.js';
import { EMBEDDING_MODELS, OPENAI_KEY, type EmbeddingModel } from '../../model/embedding-models.js';
import { ASSUMED_TOKENS_PER_MONTH, openaiFacts } from './facts.js';

export { OPENAI_KEY };

/**
 * The built-in role Learn names for calling Azure OpenAI's inference APIs with Microsoft Entra ID: "Cognitive
 * Services OpenAI User" (Learn, "Role-based access control for Azure OpenAI"; role id
 * 5e0bd9bd-7b93-4f28-af87-19fc36ad61bd): it may call deployments, not list keys or change the account. Assigned at
 * the account's scope only.
 */
export const OPENAI_USER_ROLE = 'Cognitive Services OpenAI User';

/**
 * How each deployment is made (azurerm v4.55.0 `azurerm_cognitive_deployment` `sku`): `GlobalStandard`, Learn's
 * recommended starting point and the widest regional availability of the text-embedding models ("Deployment types
 * for Azure AI Foundry Models"), 100 capacity units (100,000 tokens a minute; the quota it takes from the
 * subscription's regional quota for the model).
 */
export const EMBEDDING_SKU = { name: 'GlobalStandard', capacity: 100 } as const;

/** One embedding deployment of the account. */
export interface PlannedEmbeddingDeployment {
  name: string;
  model: EmbeddingModel;
  version: string;
}

/** The merged `openai` config in the plan. */
export interface MergedOpenAiConfig {
  /** The account's name, also its custom subdomain (`https://<name>.openai.azure.com/`). */
  accountName: string;
  /** One per distinct `embed.deployment`, sorted by name. */
  deployments: PlannedEmbeddingDeployment[];
  /** Components whose identity may embed (the OpenAI user role at the account), sorted. */
  users: string[];
}

/**
 * Terraform logical names of the Azure OpenAI resources: the plan's `deploys` and apply's ids both come from here.
 *
 * @example
 * ```ts
 * openaiNames('notes').deployment('embed'); // 'notes_openai_shared_deployment_embed'
 * ```
 */
export function openaiNames(backendId: string) {
  const base = tfName(backendId, OPENAI_KEY);
  return {
    account: base,
    deployment: (name: string) => tfName(base, 'deployment', name),
    grant: (componentId: string) => tfName(base, 'ra', componentId),
  };
}

/**
 * Embeddings through Azure OpenAI (`search.vector.embed`, DESIGN §2): one account of kind `OpenAI` with key auth
 * off and a custom subdomain, one embedding deployment per distinct deployment name, and each embedding CrudApi's
 * identity holding {@link OPENAI_USER_ROLE} at the account. Nothing when no CrudApi embeds. One deployment name
 * declared with two models is `OPENAI_DEPLOYMENT_CONFLICT`. Under isolated networking the account's public access
 * is off and the network plans its private endpoint and zone (its facts' `privateLink`, planned before the network).
 */
export const openaiType: BackendResourceType = {
  type: 'openai',
  facts: openaiFacts,
  plan(resources, config) {
    const embedding = resources
      .filter((r) => r.type === 'functions')
      .flatMap(entitiesOf)
      .filter((e) => e.search?.vector?.embed !== undefined);
    if (embedding.length === 0) return { resources: [], issues: [] };
    const issues: PlanIssue[] = [];
    const byName = new Map<string, { model: EmbeddingModel; users: Set<string> }>();
    for (const e of embedding) {
      const { deployment, model } = e.search!.vector!.embed!;
      const seen = byName.get(deployment);
      if (!seen) byName.set(deployment, { model, users: new Set([e.componentId]) });
      else if (seen.model !== model)
        issues.push(conflict(deployment, seen.model, model, [...seen.users, e.componentId]));
      else seen.users.add(e.componentId);
    }
    const deployments = [...byName]
      .map(([name, d]) => ({ name, model: d.model, version: EMBEDDING_MODELS[d.model].version }))
      .sort((a, b) => compare(a.name, b.name));
    const users = [...new Set(embedding.map((e) => e.componentId))].sort(compare);
    const account = resourceName('openai', 'oai', undefined, config, openaiFacts.name);
    issues.push(...account.issues);
    const merged: MergedOpenAiConfig = { accountName: account.name, deployments, users };
    const planned: PlannedResource = {
      key: OPENAI_KEY,
      type: 'openai',
      name: account.name,
      compatibility: 'openai',
      config: asJsonObject(merged),
      consumers: users,
      deploys: openaiDeploys(config, merged),
      estimatedMonthlyUsd: roundUsd(
        deployments.reduce(
          (usd, d) =>
            usd + (ASSUMED_TOKENS_PER_MONTH / 1e6) * EMBEDDING_MODELS[d.model].usdPerMillionTokens,
          0,
        ),
      ),
    };
    return { resources: [planned], issues };
  },
};

/**
 * The CrudApi entities a planned Function App hosts: its merged `crudEntities` (functions/type.ts wrote them; read
 * here without `mergedConfigOf`, whose registry lists this type).
 */
function entitiesOf(r: PlannedResource): readonly RuntimeEntity[] {
  const list: unknown = r.config['crudEntities'];
  return isEntityList(list) ? list : [];
}

// The merge writes only runtime entities there (functions/type.ts `MergedFunctionsConfig.crudEntities`).
function isEntityList(v: unknown): v is readonly RuntimeEntity[] {
  return Array.isArray(v);
}

function conflict(name: string, a: string, b: string, components: string[]): PlanIssue {
  return {
    severity: 'error',
    code: 'OPENAI_DEPLOYMENT_CONFLICT',
    message:
      `Azure OpenAI deployment "${name}" is declared with two models (${a}, ${b}); one deployment serves one ` +
      'model. Give the other model a deployment name of its own.',
    components: [...new Set(components)].sort(compare),
  };
}

/** Every Terraform resource apply makes for Azure OpenAI (the plan's `deploys`, provision.ts's constructs). */
function openaiDeploys(config: NormalizedConfig, c: MergedOpenAiConfig): PlannedDeploy[] {
  const names = openaiNames(config.backendId);
  return [
    { terraformType: 'azurerm_cognitive_account', name: names.account },
    ...c.deployments.map(
      (d): PlannedDeploy => ({
        terraformType: 'azurerm_cognitive_deployment',
        name: names.deployment(d.name),
      }),
    ),
    ...c.users.map(
      (id): PlannedDeploy => ({ terraformType: 'azurerm_role_assignment', name: names.grant(id) }),
    ),
  ];
}
