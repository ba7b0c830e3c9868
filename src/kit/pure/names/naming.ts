import { NAME_TOKEN_PLACEHOLDER, type NormalizedConfig } from '../../../model/config.js';
import type { PlanIssue } from '../../../model/plan.js';
import type { NameRule } from './azure-name-rules.js';
import { shortToken } from './hash.js';

/**
 * The 6-character token of globally unique names: a hash of the deployment target (the seed: subscription
 * and resource group, like Bicep's `uniqueString`) with backend id, environment and location — never of
 * components, so adding one renames nothing. Without a seed (known only at apply) it is the placeholder.
 *
 * @example
 * ```ts
 * nameToken({ ...config, naming: { uniqueSeed: 'sub/rg' } }); // e.g. 'k3x9a1'
 * ```
 */
export function nameToken(
  config: Pick<NormalizedConfig, 'backendId' | 'environment' | 'location' | 'naming'>,
): string {
  const seed = config.naming?.uniqueSeed;
  return seed === undefined ? NAME_TOKEN_PLACEHOLDER : seededToken(seed, config);
}

/**
 * The token for a seed: what apply puts in place of the placeholder once it knows the target.
 *
 * @example
 * ```ts
 * seededToken('00000000-0000-0000-0000-000000000000/rg-myapp-prod', config); // e.g. 'p0x7qa'
 * ```
 */
export function seededToken(
  seed: string,
  config: Pick<NormalizedConfig, 'backendId' | 'environment' | 'location'>,
): string {
  const token = shortToken(`${seed}|${config.backendId}|${config.environment}|${config.location}`);
  // A token that happened to equal the placeholder would be replaced again at apply.
  return token === NAME_TOKEN_PLACEHOLDER ? shortToken(`${seed}|${token}`) : token;
}

/**
 * The Azure name of a planned resource. Default `{type}-{app}-{env}[-{suffix}]`, plus for globally unique
 * types the target token of {@link nameToken}; a user `naming.formatResourceName` is honoured as written.
 * The name is then fitted to the type's rule (its facts' `name`: `factsOf(type).name` from `src/resources/facts.ts`);
 * one that cannot be made valid is an error, never a silent truncation.
 *
 * @example
 * ```ts
 * resourceName('cosmos', 'cosmos', undefined, config, cosmosFacts.name); // 'cosmos-backend-prod-tgtxxx' until apply; 'cosmos-backend-prod-k3x9a1' with a seed
 * ```
 */
export function resourceName(
  type: string,
  prefix: string,
  suffix: string | undefined,
  config: NormalizedConfig,
  rule: NameRule,
): { name: string; issues: PlanIssue[] } {
  const token = nameToken(config);
  if (config.naming?.formatResourceName) {
    const invalid = (message: string) => nameOf(`${prefix}-invalid`, 'naming', message);
    let raw: unknown;
    try {
      raw = config.naming.formatResourceName(prefix, config.backendId, suffix);
    } catch (e) {
      return invalid(
        `naming.formatResourceName threw for ${type}: ${(e as Error)?.message ?? String(e)}`,
      );
    }
    if (typeof raw !== 'string')
      return invalid(`naming.formatResourceName returned ${typeof raw} for ${type}, not a string.`);
    const name = rule.lowercase ? raw.toLowerCase() : raw;
    const problem = check(name, rule);
    return nameOf(
      name,
      'naming',
      problem && `naming.formatResourceName gave "${raw}" for ${type}, which ${problem}.`,
    );
  }
  const clean = (s: string) =>
    s
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, rule.hyphens ? '-' : '')
      .replace(/^-+|-+$/g, '');
  const tail = rule.global ? [token] : [];
  const sep = rule.hyphens ? '-' : '';
  let fixed = [prefix, suffix].flatMap((s) => (s ? [clean(s)] : []));
  // The backend id and environment give way first; prefix, suffix and token carry the identity.
  let budget = rule.max - [...fixed, ...tail].join(sep).length - (rule.hyphens ? 2 : 0);
  if (budget < 3 && suffix) {
    // A long group suffix (a compatibility key) that leaves no room: its short hash keeps it distinct and stable.
    fixed = [clean(prefix), `g${shortToken(suffix, 5)}`];
    budget = rule.max - [...fixed, ...tail].join(sep).length - (rule.hyphens ? 2 : 0);
  }
  const app = clean(config.backendId);
  const env = clean(config.environment);
  const gap = rule.hyphens ? 1 : 0;
  // Keep both whole when they fit; otherwise the environment keeps at least a third (3+ characters).
  const envPart =
    app.length + gap + env.length <= budget
      ? env
      : env.slice(0, Math.max(3, Math.floor(budget / 3)));
  const appPart = app.slice(0, Math.max(0, budget - envPart.length - gap));
  const parts = [fixed[0], appPart, envPart, ...fixed.slice(1), ...tail].filter(
    (p) => p && p.length > 0,
  ) as string[];
  let name = parts.join(sep).replace(/-{2,}/g, '-');
  if (rule.startsWithLetter && !/^[a-z]/.test(name)) name = `x${name}`.slice(0, rule.max);
  const problem = check(name, rule);
  return nameOf(name, 'backendId', problem && `The ${type} name "${name}" ${problem}.`);
}

/** A name, and the NAME_INVALID error at `config.<path>` when `message` says what is wrong with it. */
function nameOf(
  name: string,
  path: 'naming' | 'backendId',
  message: string | undefined,
): { name: string; issues: PlanIssue[] } {
  return {
    name,
    issues: message
      ? [{ severity: 'error', code: 'NAME_INVALID', path: ['config', path], message }]
      : [],
  };
}

/** Why a name breaks the rule, or undefined when it is valid. */
export function check(name: string, rule: NameRule): string | undefined {
  if (name.length < rule.min || name.length > rule.max)
    return `must be ${rule.min}-${rule.max} characters (it has ${name.length})`;
  if (!rule.chars.test(name))
    return rule.hyphens
      ? 'may hold only lowercase letters, digits and hyphens'
      : 'may hold only lowercase letters and digits';
  if (rule.hyphens && (/^-|-$/.test(name) || name.includes('--')))
    return 'may not start or end with a hyphen or hold two in a row';
  if (rule.startsWithLetter && !/^[a-z]/i.test(name)) return 'must start with a letter';
  return undefined;
}
