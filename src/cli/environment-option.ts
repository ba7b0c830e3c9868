import type { Backend } from '../backend/backend.js';
import { AtakoraError } from '../model/errors.js';
import { loadBackends } from './entry/load-entry.js';

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

/** What an environment may change besides its name: data protection (a sandbox turns it off). */
export interface EnvironmentOverrides {
  readonly preventDestroy?: boolean;
}

/** What `--environment` takes: short, lower case, DNS-safe (it lands in every resource name and host). */
const ENVIRONMENT = /^[a-z0-9][a-z0-9-]{0,23}$/;

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

/**
 * ENVIRONMENT_NAME_INVALID unless `name` is 1-24 lower case letters, digits and `-`, starting with a letter
 * or digit (`pr-7`, `sandbox-ada`).
 *
 * @example
 * ```ts
 * checkEnvironmentName('pr-7'); // passes
 * ```
 */
export function checkEnvironmentName(name: string): void {
  if (!ENVIRONMENT.test(name)) {
    throw new AtakoraError(
      'ENVIRONMENT_NAME_INVALID',
      `--environment ${JSON.stringify(name)} is not an environment name: 1-24 lower case letters, digits and ` +
        `"-", starting with a letter or digit.`,
      {
        path: ['--environment'],
      },
    );
  }
}
