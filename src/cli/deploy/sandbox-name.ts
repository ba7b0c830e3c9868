import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { AtakoraError } from '../../model/errors.js';

/** Who is signed in, as `az account show` says: the user (or service principal) name and the tenant. */
export interface SignedInUser {
  readonly name: string;
  readonly tenantId: string;
}

/**
 * The signed-in identity, from `az account show` (the Azure CLI the deploy's credentials come from).
 * SANDBOX_USER_UNKNOWN when az is missing or nobody is signed in.
 *
 * @example
 * ```ts
 * const user = await signedInUser(process.env); // { name: 'ada@contoso.com', tenantId: '…' }
 * ```
 */
export async function signedInUser(env: NodeJS.ProcessEnv): Promise<SignedInUser> {
  const out = await new Promise<string>((resolve, reject) => {
    execFile(
      'az',
      ['account', 'show', '--output', 'json'],
      { env, timeout: 60_000 },
      (e, stdout, stderr) => {
        if (e) reject(new Error((stderr || e.message).trim().split('\n')[0]));
        else resolve(stdout);
      },
    );
  }).catch((e: unknown) => {
    throw new AtakoraError(
      'SANDBOX_USER_UNKNOWN',
      `Cannot tell who is signed in (az account show: ${(e as Error).message}).`,
      {
        path: ['az'],
        resolution:
          'Install the Azure CLI and sign in (az login): the sandbox is named after the signed-in user.',
      },
    );
  });
  let account: { user?: { name?: unknown }; tenantId?: unknown };
  try {
    account = JSON.parse(out) as typeof account;
  } catch {
    account = {};
  }
  const name = account.user?.name;
  const tenantId = account.tenantId;
  if (typeof name !== 'string' || name === '' || typeof tenantId !== 'string') {
    throw new AtakoraError('SANDBOX_USER_UNKNOWN', 'az account show names no signed-in user.', {
      path: ['az'],
      resolution:
        'Sign in with az login (a user or a service principal), then run the sandbox again.',
    });
  }
  return { name, tenantId };
}

/**
 * The sandbox's environment name for a user: `sbx-<name>-<hash>`, the name's first letters (lower case, at most
 * 8) for people to read and 5 characters of a hash of the tenant and the full user name, so two users never
 * share one (their hashes differ, however alike their names), and one user always gets the same. At most 19
 * characters: it lands in every resource name.
 *
 * @example
 * ```ts
 * sandboxEnvironment({ name: 'ada.lovelace@contoso.com', tenantId: 't1' }); // 'sbx-adalovel-3k9qz'
 * ```
 */
export function sandboxEnvironment(user: SignedInUser): string {
  const local =
    user.name
      .replace(/@.*$/s, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '')
      .slice(0, 8) || 'user';
  const digest = createHash('sha256')
    .update(`${user.tenantId.toLowerCase()}/${user.name.toLowerCase()}`)
    .digest();
  const hash = BigInt(`0x${digest.subarray(0, 8).toString('hex')}`)
    .toString(36)
    .padStart(5, '0')
    .slice(-5);
  return `sbx-${local}-${hash}`;
}
