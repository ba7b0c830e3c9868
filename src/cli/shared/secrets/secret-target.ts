import type { Backend } from '../../../backend/backend.js';
import { resolveTarget, subscriptionOf } from '../../../apply/deployment-target.js';
import { closest } from '../../../kit/pure/closest-key.js';
import { declaredSecretName, isSecretName } from '../../../kit/pure/names/secret-names.js';
import { AtakoraError } from '../../../model/errors.js';
import type { ResourcePlan } from '../../../model/plan.js';
import { stackName } from '../../entry/synth-stacks.js';

/** One secret a backend declares, where it lives and who reads it. */
export interface DeclaredSecret {
  /** The name the code reads (`STRIPE_KEY`); a custom component's vault-only name (`stripe-key`) as it is. */
  readonly name: string;
  /** Its name in the vault (`STRIPE-KEY`). */
  readonly vaultSecret: string;
  /** The vault's Azure name, as deployed. */
  readonly vault: string;
  /** The Function Apps (Azure names) that resolve it through Key Vault references. */
  readonly apps: readonly string[];
}

/** Where a backend's secrets are in one environment. */
export interface SecretTarget {
  readonly stack: string;
  readonly environment: string;
  readonly resourceGroup: string;
  readonly subscriptionId: string | undefined;
  readonly secrets: readonly DeclaredSecret[];
}

/**
 * The declared secrets of a backend in its environment, with the deployed names of their vault and apps: the
 * plan for the deployment target (`rg-<stack>` unless `--resource-group`; ARM_SUBSCRIPTION_ID), so the names
 * are the ones `atakora deploy` creates. Pure apart from reading ARM_SUBSCRIPTION_ID.
 *
 * @example
 * ```ts
 * const t = secretTarget(backend, undefined);
 * t.secrets.map((s) => `${s.name} → ${s.vault}/${s.vaultSecret}`); // ['STRIPE_KEY → kv-backend-dev-k3x9a1/STRIPE-KEY']
 * ```
 */
export function secretTarget(backend: Backend, resourceGroup: string | undefined): SecretTarget {
  const { stack, plan, resourceGroup: rg, subscriptionId } = deployedPlan(backend, resourceGroup);
  return {
    stack,
    environment: backend.environment,
    resourceGroup: rg,
    subscriptionId,
    secrets: declaredSecrets(plan),
  };
}

/**
 * The plan with the names `atakora deploy` gives this backend's stack (its deployment target: `rg-<stack>` unless
 * given, ARM_SUBSCRIPTION_ID), without synthesizing it.
 *
 * @example
 * ```ts
 * deployedPlan(backend, undefined).plan.resources.map((r) => r.name);
 * ```
 */
export function deployedPlan(
  backend: Backend,
  resourceGroup: string | undefined,
): {
  stack: string;
  plan: ResourcePlan;
  resourceGroup: string;
  subscriptionId: string | undefined;
} {
  const stack = stackName(backend, []);
  const rg = resourceGroup ?? `rg-${stack}`;
  const subscriptionId = subscriptionOf({ resourceGroupName: rg });
  const { plan } = resolveTarget(backend.plan(), backend.config, {
    resourceGroupName: rg,
    subscriptionId,
  });
  return { stack, plan, resourceGroup: rg, subscriptionId };
}

/**
 * Every secret the plan's vaults hold, with the apps of the vault's consumers. Pure.
 *
 * @example
 * ```ts
 * declaredSecrets(stack.plan).map((s) => s.name); // ['STRIPE_KEY']
 * ```
 */
export function declaredSecrets(plan: ResourcePlan): DeclaredSecret[] {
  const out: DeclaredSecret[] = [];
  for (const vault of plan.resources.filter((r) => r.type === 'keyvault')) {
    const consumers = new Set(vault.consumers);
    const appKeys = new Set(
      plan.components
        .filter((c) => consumers.has(c.id))
        .map((c) => c.resources['functions'])
        .filter((k): k is string => !!k),
    );
    const apps = plan.resources
      .filter((r) => appKeys.has(r.key))
      .map((r) => r.name)
      .sort();
    for (const s of (vault.config['secrets'] as string[] | undefined) ?? []) {
      const declared = declaredSecretName(s);
      out.push({
        name: isSecretName(declared) ? declared : s,
        vaultSecret: s,
        vault: vault.name,
        apps,
      });
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The declared secret `name` (the code's name or the vault's), or SECRET_UNKNOWN naming those there are.
 *
 * @example
 * ```ts
 * findSecret(target, 'STRIPE_KEY').vaultSecret; // 'STRIPE-KEY'
 * ```
 */
export function findSecret(target: SecretTarget, name: string): DeclaredSecret {
  const found = target.secrets.find((s) => s.name === name || s.vaultSecret === name);
  if (found) return found;
  const names = target.secrets.map((s) => s.name);
  const guess = closest(name, names);
  throw new AtakoraError(
    'SECRET_UNKNOWN',
    `${target.stack} declares no secret ${JSON.stringify(name)}${names.length ? ` (it declares ${names.join(', ')})` : ' (it declares none)'}${guess ? `; did you mean ${guess}?` : '.'}`,
    {
      path: ['secrets', name],
      resolution: names.length
        ? `Use one of ${names.join(', ')}, or add ${name} to a FunctionsApp's secrets and deploy.`
        : `Declare it: FunctionsApp.define(id, { …, secrets: ['${isSecretName(name) ? name : 'STRIPE_KEY'}'] ` +
          `}), then deploy.`,
    },
  );
}

/**
 * The error for declared secrets without a value (deploy's check before any Terraform; `secret list` names them).
 *
 * @example
 * ```ts
 * throw secretMissing('backend-prod', 'prod', missing);
 * ```
 */
export function secretMissing(
  stack: string,
  environment: string,
  missing: readonly DeclaredSecret[],
): AtakoraError {
  const names = missing.map((s) => s.name);
  return new AtakoraError(
    'SECRET_MISSING',
    `${stack} declares ${names.length === 1 ? 'a secret' : 'secrets'} without a value in environment ${environment}: ${missing.map((s) => `${s.name} (${s.vault}/${s.vaultSecret})`).join(', ')}. The app would start with ${names.length === 1 ? 'it' : 'them'} unresolved.`,
    {
      path: ['secrets', ...names],
      resolution: `Set ${names.length === 1 ? 'it' : 'each'} (the value on stdin, never an argument), then deploy again:\n${names.map((n) => `  atakora secret set <entry> ${n} --environment ${environment} < value-file`).join('\n')}`,
    },
  );
}
