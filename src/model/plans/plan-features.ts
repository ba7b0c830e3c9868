/**
 * The built-in features: each gates doors of the runtime (DESIGN §2, "Plans that package the product") — verified
 * domains, directory sign-in, SCIM provisioning, the audit log, search, the MCP endpoint, realtime, exports, organization API keys and outbound webhooks. Any
 * other feature name a plan lists is the application's (`callerOf(request).features`, an access rule's `feature`).
 *
 * @example
 * ```ts
 * BUILT_IN_FEATURES.includes('scim'); // true
 * ```
 */
export const BUILT_IN_FEATURES = [
  'domains',
  'directory',
  'scim',
  'audit',
  'search',
  'mcp',
  'realtime',
  'exports',
  'api-keys',
  'webhooks',
] as const;

/**
 * One built-in feature's name.
 *
 * @example
 * ```ts
 * const gate: BuiltInFeature = 'audit';
 * ```
 */
export type BuiltInFeature = (typeof BUILT_IN_FEATURES)[number];

/**
 * What a feature's name may be: lower case, a letter first, then letters, digits or `-`, at most 40 characters — a
 * name a problem document, a log line and a URL carry as it is.
 *
 * @example
 * ```ts
 * FEATURE_NAME.test('reports'); // true
 * ```
 */
export const FEATURE_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * The features of one plan, as every reader asks them: `has(name)`, and the names (`GET api/tenant`'s `features`).
 * `all` is true for a plan of a backend where no plan lists features: then every plan has every feature.
 *
 * @example
 * ```ts
 * const features: PlanFeatures = featuresOf(plans.free, plans);
 * if (!features.has('audit')) refuse();
 * ```
 */
export interface PlanFeatures {
  /** Whether the plan includes `feature` (always, when `all`). */
  has(feature: string): boolean;
  /** The plan's feature names, sorted; with `all`, the built-ins (the application's are every name then). */
  readonly names: readonly string[];
  /** No plan of the backend lists features: every plan has every feature (backends without features unchanged). */
  readonly all: boolean;
}

/** A plan as the feature rule reads it (the config's `TenantPlan`, the manifest's `RuntimeTenantPlan`). */
export interface FeaturedPlan {
  readonly features?: readonly string[] | undefined;
}

/**
 * Every feature: the answer of every plan when no plan lists features, and of a backend without plans.
 *
 * @example
 * ```ts
 * ALL_FEATURES.has('anything'); // true
 * ```
 */
export const ALL_FEATURES: PlanFeatures = Object.freeze({
  has: () => true,
  names: Object.freeze([...BUILT_IN_FEATURES].sort()),
  all: true,
});

// Per plans record, whether any plan lists features; per plan object, its answer. The records are the manifest's
// (read once at start, never changed), so a request's question is two map reads.
const declaring = new WeakMap<object, boolean>();
const answers = new WeakMap<object, PlanFeatures>();

/**
 * Whether any plan of `plans` lists `features` — once one does, a plan without `features` has none.
 *
 * @example
 * ```ts
 * declaresFeatures({ free: {}, pro: { features: ['audit'] } }); // true
 * ```
 */
export function declaresFeatures(plans: Readonly<Record<string, FeaturedPlan>>): boolean {
  let known = declaring.get(plans);
  if (known === undefined) {
    known = Object.values(plans).some((p) => p.features !== undefined);
    declaring.set(plans, known);
  }
  return known;
}

/**
 * The one rule of plan features (the runtime, the reference model and `atakora verify` all ask it): when no plan
 * of `plans` lists `features`, every plan has every feature; once one does, `plan` has exactly the features it
 * lists (none when it lists none). `plan` is the plan a tenant is on as the limits resolve it (a record naming an
 * undeclared plan gets `defaultPlan`'s); undefined — no plan at all — has every feature only when no plan lists any.
 *
 * @example
 * ```ts
 * const plans = { free: {}, pro: { features: ['audit', 'reports'] } };
 * featuresOf(plans.pro, plans).has('reports'); // true
 * featuresOf(plans.free, plans).has('audit');  // false
 * featuresOf({}, { free: {} }).has('audit');   // true: no plan lists features
 * ```
 */
export function featuresOf(
  plan: FeaturedPlan | undefined,
  plans: Readonly<Record<string, FeaturedPlan>>,
): PlanFeatures {
  if (!declaresFeatures(plans)) return ALL_FEATURES;
  if (!plan) return NONE;
  let answer = answers.get(plan);
  if (!answer) {
    answer = listed(plan.features ?? []);
    answers.set(plan, answer);
  }
  return answer;
}

const NONE: PlanFeatures = listed([]);

function listed(names: readonly string[]): PlanFeatures {
  const set = new Set(names);
  return Object.freeze({
    has: (feature: string) => set.has(feature),
    names: Object.freeze([...set].sort()),
    all: false,
  });
}

/**
 * The plans that include `feature`, sorted by name: what a refusal names as the plans that would allow it.
 *
 * @example
 * ```ts
 * plansWith('audit', { free: {}, pro: { features: ['audit'] } }); // ['pro']
 * ```
 */
export function plansWith(
  feature: string,
  plans: Readonly<Record<string, FeaturedPlan>>,
): string[] {
  return Object.keys(plans)
    .filter((name) => featuresOf(plans[name], plans).has(feature))
    .sort();
}

/**
 * Whether `name` is a built-in feature.
 *
 * @example
 * ```ts
 * isBuiltInFeature('mcp'); // true
 * ```
 */
export function isBuiltInFeature(name: string): name is BuiltInFeature {
  return (BUILT_IN_FEATURES as readonly string[]).includes(name);
}
