/**
 * `@atakora/component/backend`: declare backends and their configuration.
 * @packageDocumentation
 */
export { defineBackend } from '../backend/define-backend.js';
export {
  defineComponent,
  type CustomComponentSpec,
  type CustomHandle,
} from '../components/custom/define.js';
export { BackendBuilder } from '../backend/backend-builder.js';
export { parseFlags, type Flags } from '../backend/flags.js';
export { Backend, type ValidationResult } from '../backend/backend.js';
export { backendConfigSchema, backendConfigJsonSchema } from '../backend/config-schema.js';
export { normalizeConfig } from '../backend/normalize-config.js';
export type { AppliedBackend } from '../apply/apply-backend.js';
export type { CdktfProvider, CustomProviderContext } from '../resources/custom/provision.js';
export { AtakoraError, ResourceLimitError, PlanError } from '../model/errors.js';
export { AtakoraFault } from '../model/fault.js';
export { PLAN_ISSUE_CODES } from '../model/issue-codes.js';
export { ErrorCodes, type ErrorCode } from '../model/error-codes.js';
export type * from '../model/config.js';
export type * from '../model/plan.js';
export type * from '../model/requirements.js';
// The built-in types' requirement shapes live in their folders; the public names stay the same.
export type * from '../resources/cosmos/requirement.js';
export type * from '../resources/functions/requirement.js';
export type * from '../resources/storage/requirement.js';
export type * from '../model/component.js';
// A value too: the brand a hand-made definition carries (the type-only re-export above would leave it out).
export { DEFINITION_BRAND } from '../model/component.js';
export { planBackend } from '../plan/planner.js';
export {
  syncTriggersUrl,
  triggerSyncRequests,
  SYNC_TRIGGERS_API_VERSION,
  type TriggerSyncRequest,
} from '../cli/azure/trigger-sync-requests.js';
export {
  BaseProvider,
  type IResourceProvider,
  type ProviderValidationResult,
} from '../resources/custom/base-provider.js';
export type { ResourceRequirement as IResourceRequirement } from '../model/requirements.js';
export type { CustomProviderContext as ProviderContext } from '../resources/custom/provision.js';
export { diffPlans, STATEFUL_RESOURCE_TYPES, STATEFUL_TERRAFORM_TYPES } from '../plan/diff/diff.js';
export type {
  PlanDiff,
  ConfigChange,
  ResourceChange,
  ResourceReplacement,
  DeployChange,
  DeployReplacement,
  DiffCounts,
} from '../plan/diff/diff.js';
export {
  renderPlanText,
  renderDiffText,
  renderPlanMarkdown,
  renderDiffMarkdown,
  renderPlanMermaid,
} from '../plan/render/index.js';
// Plan review: the HTML page and the budget gate (`atakora plan --format html`, `--max-monthly-usd`).
export { renderPlanHtml, type RenderHtmlOptions } from '../plan/render/index.js';
export {
  evaluateBudget,
  costDelta,
  type BudgetLimits,
  type BudgetCheck,
  type BudgetResult,
} from '../plan/checks/budget.js';
export { planOverview, type PlanOverview } from '../plan/overview.js';
export { resourcePlanSchema, resourcePlanJsonSchema } from '../plan/plan-schema.js';
export type { ApiAuthInfo, SiteAuthInfo } from '../kit/pure/entra.js';
// The backend's OpenAPI 3.1 document (what `atakora openapi` prints and each app serves at api/openapi.json).
export { openApiFromPlan } from '../plan/openapi.js';
export type { OpenApiDocument } from '../contract/openapi.js';
