import type { Backend } from '../../backend/backend.js';
import { checkEnvironmentName } from '../../kit/pure/names/environment-name.js';
import { loadBackends } from '../entry/load-entry.js';
import { UsageError } from './usage-error.js';

/** Set while an entry loads under `--environment`, so the entry may choose by it (e.g. `preventDestroy`). */
export const ENVIRONMENT_VARIABLE = 'ATAKORA_ENVIRONMENT';

/**
 * Load an entry's backends in the environment `--environment` names: `ATAKORA_ENVIRONMENT` is set while it
 * loads (an entry may read it), then {@link inEnvironment} re-plans each backend there.
 *
 * @example
 * ```ts
 * const backends = await loadInEnvironment('backend.ts', 'pr-7');
 * ```
 */
export async function loadInEnvironment(
  entry: string,
  environment: string | undefined,
  overrides: EnvironmentOverrides = {},
): Promise<Backend[]> {
  if (environment === undefined) return loadBackends(entry);
  checkEnvironmentName(environment);
  process.env[ENVIRONMENT_VARIABLE] = environment;
  return inEnvironment(await loadBackends(entry), environment, overrides);
}

/** How a command that reads a deployed environment or the running dev names its target, as parsed. */
export interface TargetOptions {
  readonly environment?: string | undefined;
  readonly local?: boolean | undefined;
  readonly 'resource-group'?: string | undefined;
}

/**
 * The target flags' rule: `--local` (the running `atakora dev`, in its own environment) excludes `--environment`;
 * a command that cannot default to the config's environment (`required`) needs one of the two. `command` is how the
 * refusal names it (`tenant export`).
 *
 * @example
 * ```ts
 * checkTarget('seed', line.values, { required: true });
 * ```
 */
export function checkTarget(
  command: string,
  flags: TargetOptions,
  { required = false }: { readonly required?: boolean } = {},
): void {
  if (flags.local && flags.environment !== undefined)
    throw new UsageError(
      `${command} --local works on the running atakora dev: drop --environment.`,
    );
  if (required && !flags.local && flags.environment === undefined)
    throw new UsageError(
      `${command} needs --environment (the deployed environment) or --local (the running atakora dev).`,
    );
}

/**
 * The first backend of an entry, loaded as {@link loadInEnvironment} loads it, for a command that works on the
 * first (as `atakora dev` serves the first): an entry exporting none is a usage error.
 *
 * @example
 * ```ts
 * const backend = await loadFirstBackend('backend.ts', 'prod');
 * ```
 */
export async function loadFirstBackend(
  entry: string,
  environment: string | undefined,
): Promise<Backend> {
  const [backend] = await loadInEnvironment(entry, environment);
  if (!backend) throw new UsageError(`${entry} exports no backend.`);
  return backend;
}

/**
 * The one backend of an entry, loaded as {@link loadInEnvironment} loads it, for a command that works on one:
 * none, or more than one, is a usage error (`doing` says what the command does with it: `usage reads one`).
 *
 * @example
 * ```ts
 * const backend = await loadOneBackend('backend.ts', 'prod', 'usage reads one');
 * ```
 */
export async function loadOneBackend(
  entry: string,
  environment: string | undefined,
  doing: string,
): Promise<Backend> {
  const backends = await loadInEnvironment(entry, environment);
  const [backend] = backends;
  if (!backend) throw new UsageError(`${entry} exports no backend.`);
  if (backends.length > 1)
    throw new UsageError(
      `${entry} exports ${String(backends.length)} backends: ${doing} (export it alone).`,
    );
  return backend;
}

/** What an environment may change besides its name: data protection (a sandbox turns it off). */
export interface EnvironmentOverrides {
  readonly preventDestroy?: boolean;
}

/**
 * The backends of an entry in the environment `--environment` names (each one's config environment when not
 * given): every resource name, the stack name (`<backendId>-<environment>`) and the redirect URIs follow it.
 *
 * @example
 * ```ts
 * const backends = inEnvironment(await loadBackends('backend.ts'), 'pr-7');
 * backends[0]!.plan().environment; // 'pr-7'
 * ```
 */
export function inEnvironment(
  backends: readonly Backend[],
  environment: string | undefined,
  overrides: EnvironmentOverrides = {},
): Backend[] {
  if (environment === undefined) return [...backends];
  checkEnvironmentName(environment);
  return backends.map((b) => b.withEnvironment(environment, overrides));
}

/** The one environment-name rule (kit/pure/names/environment-name.ts), as the CLI's flags use it. */
export { checkEnvironmentName };
