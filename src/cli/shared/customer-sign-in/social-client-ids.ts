import type { NormalizedCustomers } from '../../../model/config.js';
import { AtakoraError } from '../../../model/errors.js';
import type { ResourcePlan } from '../../../model/plan.js';
import {
  isSocialClientId,
  SOCIAL_SECRETS,
  socialClientIdExample,
} from '../../../kit/pure/external-tenant.js';
import { vaultSecretName } from '../../../kit/pure/names/secret-names.js';
import { keyVaultClient } from '../../azure/keyvault.js';
import { declaredSecrets } from '../secrets/secret-target.js';
import type { SocialProviderWanted } from '../../azure/external-id/identity-providers.js';

/**
 * Where a social provider's client id is read when the config names none: these variables, else vault secrets of
 * these names, the first set. Facebook calls its client id the App ID; FACEBOOK_CLIENT_ID is taken as well.
 */
export const CLIENT_ID_VARIABLES: Readonly<
  Record<'google' | 'facebook', readonly [string, ...string[]]>
> = {
  google: ['GOOGLE_CLIENT_ID'],
  facebook: ['FACEBOOK_APP_ID', 'FACEBOOK_CLIENT_ID'],
};

/**
 * Each social provider of the customer sign-in with its client id — the config's, else its environment
 * variable's (`GOOGLE_CLIENT_ID`, `FACEBOOK_APP_ID`), else a secret of that name in the environment's vault —
 * checked for its provider's shape, and a reader of its secret from that vault (called only when the secret is to
 * be sent). A missing or misshapen client id is AUTH_SETUP_CLIENT_ID_MISSING, before Graph is called; the value is
 * never repeated (it may be the secret pasted in the wrong place).
 *
 * @example
 * ```ts
 * const wanted = await socialWanted(customers, process.env, plan);
 * wanted.map((w) => w.clientId); // ['1234567890-abc123.apps.googleusercontent.com', '236028191057849']
 * ```
 */
export async function socialWanted(
  customers: NormalizedCustomers,
  env: NodeJS.ProcessEnv,
  plan: ResourcePlan,
): Promise<SocialProviderWanted[]> {
  const secrets = declaredSecrets(plan);
  const vault = secrets.find((s) => Object.values(SOCIAL_SECRETS).some((n) => n === s.name))?.vault;
  const read = (name: string) =>
    vault ? keyVaultClient(vault, { env }).get(vaultSecretName(name)) : Promise.resolve(undefined);
  const out: SocialProviderWanted[] = [];
  for (const p of customers.identityProviders) {
    const names = CLIENT_ID_VARIABLES[p.type];
    const variable = names[0];
    const clientId = p.clientId ?? (await clientIdFrom(names, env, read));
    if (!clientId || !isSocialClientId(p.type, clientId))
      throw new AtakoraError(
        'AUTH_SETUP_CLIENT_ID_MISSING',
        clientId
          ? `The ${p.type} client id given (${variable}) is not one (such as ${socialClientIdExample(p.type)}); ` +
              'if it is the secret, it belongs in the vault as ' +
              `${SOCIAL_SECRETS[p.type]}.`
          : `auth.identityProviders names ${p.type} without a clientId, ${variable} is not set, and the vault ` +
              `holds no ${vaultSecretName(variable)}.`,
        {
          path: ['config', 'auth', 'identityProviders', p.type],
          resolution:
            `Write { type: '${p.type}', clientId: '<the client id>' } in auth.identityProviders, or set ${variable}, ` +
            `then run atakora auth setup again (its secret goes to the vault: atakora secret set <entry> ` +
            `${SOCIAL_SECRETS[p.type]} --environment ${plan.environment}).`,
        },
      );
    const secretName = SOCIAL_SECRETS[p.type];
    out.push({
      type: p.type,
      clientId,
      secretName,
      readSecret: async () => {
        const value = await read(secretName);
        if (value) return value;
        throw new AtakoraError(
          'AUTH_SETUP_SECRET_MISSING',
          `${secretName} has no value in the Key Vault of ${plan.backendId}-${plan.environment}` +
            `${vault ? ` (${vault})` : ''}: the ${p.type} identity provider needs it.`,
          {
            path: ['secrets', secretName],
            resolution:
              `Set it (the value on stdin, never an argument): atakora secret set <entry> ${secretName} ` +
              `--environment ${plan.environment} < secret-file; then run atakora auth setup again.`,
          },
        );
      },
    });
  }
  return out;
}

/** The first of `names` set in the environment, else in the vault; undefined when none is. */
async function clientIdFrom(
  names: readonly string[],
  env: NodeJS.ProcessEnv,
  read: (name: string) => Promise<string | undefined>,
): Promise<string | undefined> {
  for (const n of names) if (env[n]?.trim()) return env[n]?.trim();
  for (const n of names) {
    const v = (await read(n))?.trim();
    if (v) return v;
  }
  return undefined;
}
