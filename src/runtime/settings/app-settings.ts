import { AtakoraError } from '../../model/errors.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * An app setting a component's runtime needs (trimmed): `RUNTIME_CONFIG_INVALID` naming it, its role and its
 * component when it is missing or blank, so a misconfigured app fails at start, not on a request.
 *
 * @example
 * ```ts
 * const database = requiredSetting(env, entity.settings.database, entity, 'database name');
 * ```
 */
export function requiredSetting(
  env: Env,
  name: string,
  owner: { readonly componentId: string },
  role: string,
): string {
  const value = env[name]?.trim();
  if (!value)
    throw new AtakoraError(
      'RUNTIME_CONFIG_INVALID',
      `App setting ${name} (the ${role} of ${owner.componentId}) is missing.`,
      { path: ['appSettings', name] },
    );
  return value;
}

/**
 * An endpoint setting as an https URL ({@link requiredSetting}; `RUNTIME_CONFIG_INVALID` for any other scheme or
 * text that is no URL): the data services take tokens over HTTPS only.
 *
 * @example
 * ```ts
 * const url = httpsSetting(env, entity.settings.endpoint, entity, 'Cosmos endpoint');
 * ```
 */
export function httpsSetting(
  env: Env,
  name: string,
  owner: { readonly componentId: string },
  role: string,
): URL {
  const endpoint = requiredSetting(env, name, owner, role);
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:')
    throw new AtakoraError('RUNTIME_CONFIG_INVALID', `App setting ${name} is not an https URL.`, {
      path: ['appSettings', name],
    });
  return url;
}
