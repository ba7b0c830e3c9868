import { type DevSecrets, LOCAL_SECRETS_FILE } from '../../shared/secrets/local-secrets.js';

export {
  type DevSecrets,
  LOCAL_SECRETS_FILE,
  localSecretValues,
} from '../../shared/secrets/local-secrets.js';

/**
 * The banner lines for {@link DevSecrets}: where each value came from (never the value) and how to set a missing one.
 *
 * @example
 * ```ts
 * devSecretLines({ fromEnvironment: [], fromFile: [], missing: ['STRIPE_KEY'] });
 * // ['secret STRIPE_KEY: missing — export STRIPE_KEY=… or add it to .atakora/secrets.json (git-ignored)']
 * ```
 */
export function devSecretLines(s: DevSecrets): string[] {
  return [
    ...(s.exposedMode !== undefined
      ? [
          `warning: ${LOCAL_SECRETS_FILE} is readable by other users (mode ` +
            `${(s.exposedMode & 0o777).toString(8).padStart(3, '0')}): chmod 600 ${LOCAL_SECRETS_FILE}`,
        ]
      : []),
    ...s.fromEnvironment.map((n) => `secret ${n}: from the environment`),
    ...s.fromFile.map((n) => `secret ${n}: from ${LOCAL_SECRETS_FILE}`),
    ...s.missing.map(
      (n) =>
        `secret ${n}: missing — export ${n}=… or add it to ${LOCAL_SECRETS_FILE} (git-ignored); the handler ` +
        `reads undefined`,
    ),
  ];
}
