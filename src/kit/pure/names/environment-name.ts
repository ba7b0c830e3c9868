import { AtakoraError } from '../../../model/errors.js';

/**
 * What an environment name is, wherever it is given (config `environment`, `withEnvironment(...)`, every CLI
 * `--environment`): 1-24 lower case letters, digits and `-`, starting with a letter or digit. It lands in
 * every resource name, the stack name and hosts; Azure compares resource names ignoring case, so `Prod` would
 * name production's resource group (`rg-<id>-Prod` is `rg-<id>-prod`) and is refused rather than lowered; `_`,
 * spaces, `/` and `..` cannot be part of a DNS name or a file path segment (the stack's folder).
 */
export const ENVIRONMENT_NAME = /^[a-z0-9][a-z0-9-]{0,23}$/;

/**
 * ENVIRONMENT_NAME_INVALID unless `name` is an {@link ENVIRONMENT_NAME}; `where` is how the user gave it
 * (`'--environment'`, `'environment'`), for the message and the path.
 *
 * @example
 * ```ts
 * checkEnvironmentName('pr-7'); // passes
 * checkEnvironmentName('Prod', 'environment'); // throws ENVIRONMENT_NAME_INVALID
 * ```
 */
export function checkEnvironmentName(name: unknown, where = '--environment'): void {
  if (typeof name === 'string' && ENVIRONMENT_NAME.test(name)) return;
  const shown = typeof name === 'string' ? JSON.stringify(name) : `a ${typeof name}`;
  const upper =
    typeof name === 'string' && ENVIRONMENT_NAME.test(name.toLowerCase())
      ? ` Azure resource names ignore case: it would name the same resources as ${JSON.stringify(
          name.toLowerCase(),
        )}.`
      : '';
  throw new AtakoraError(
    'ENVIRONMENT_NAME_INVALID',
    `${where} ${shown} is not an environment name: 1-24 lower case letters, digits and "-", starting with a ` +
      `letter or digit.${upper}`,
    { path: where === '--environment' ? ['--environment'] : ['config', 'environment'] },
  );
}
