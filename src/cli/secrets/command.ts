import { azureToken } from '../azure/credentials.js';
import { HELP } from '../commands.js';
import { loadFirstBackend } from '../shared/environment-option.js';
import { commandLine, type CommandIo } from '../shared/command-line.js';
import { keyVaultClient, type KeyVaultClient } from '../azure/keyvault.js';
import {
  findSecret,
  secretTarget,
  type DeclaredSecret,
  type SecretTarget,
} from '../shared/secrets/secret-target.js';
import { readSecretValue, type SecretInput } from './value.js';
import { armEndpoint, siteResourceUrl } from '../azure/endpoints.js';
import { firstLine } from '../azure/errors.js';
import { UsageError } from '../shared/usage-error.js';
import { at } from '../../model/at.js';
import { isSecretName } from '../../kit/pure/names/secret-names.js';
import {
  awaitResolvedReferences,
  referenceRefreshUrl,
  requestRefresh,
} from '../azure/references.js';
import { referenceWaitOptions } from '../azure/reference-wait.js';

/** Where the command writes, and the stdin it reads a value from. */
export interface SecretIo extends CommandIo {
  readonly stdin?: SecretInput;
}

/**
 * `atakora secret set|list|remove <entry> [NAME] [--environment E] [--resource-group RG] [--no-refresh]`:
 * a declared secret's value through the Key Vault data plane only (read from stdin or a hidden prompt, never
 * an argument; never printed), then the apps that read it refresh their references. `list` prints names,
 * versions and dates, never values.
 *
 * @example
 * ```ts
 * process.exitCode = await secretCommand(['set', 'backend.ts', 'STRIPE_KEY', '--environment', 'prod'], io);
 * ```
 */
export async function secretCommand(argv: readonly string[], io: SecretIo): Promise<number> {
  const line = commandLine(
    argv,
    {
      help: HELP['secret'],
      strings: ['environment', 'resource-group', 'wait-seconds'],
      booleans: ['no-refresh'],
    },
    io,
  );
  if (!line) return 0;
  const { values: v, positionals } = line;
  const [action, entry, name, ...extra] = positionals;
  if (action !== 'set' && action !== 'list' && action !== 'remove')
    throw new UsageError(`secret takes set, list or remove (got ${action ?? 'nothing'}).`);
  if (!entry) throw new UsageError(`secret ${action} takes an <entry>.`);
  if (extra.length)
    throw new UsageError(
      `secret ${action} takes <entry> and <NAME> only; the value is read from stdin, never given as an argument.`,
    );
  const targetOf = async () =>
    secretTarget(await loadFirstBackend(entry, v.environment), v['resource-group']);
  if (action === 'list') return listSecrets(await targetOf(), name, io);
  if (!name)
    throw new UsageError(
      `secret ${action} takes the secret's <NAME> (its value is read from stdin, never given as an argument).`,
    );
  const target = await targetOf();
  const secret = findSecret(target, name);
  const kv = keyVaultClient(secret.vault);
  if (action === 'remove') {
    const removed = await kv.remove(secret.vaultSecret);
    io.out(
      removed
        ? `${secret.name} removed from ${secret.vault} (${target.environment}); Key Vault keeps it ` +
            `soft-deleted for its retention (purge protection), and a later set recovers it.\n`
        : `${secret.name} has no value in ${secret.vault} (${target.environment}); nothing removed.\n`,
    );
    if (removed && !v['no-refresh']) await refreshReferences(target, secret, io, 'remove');
    return 0;
  }
  // The vault must exist before a value is read: a typed secret for a vault that is not there is lost.
  await kv.list();
  const value = await readSecretValue(io.stdin ?? process.stdin, io.err, secret.name);
  const { version } = await kv.set(secret.vaultSecret, value);
  io.out(
    `${secret.name} set in ${secret.vault} (${target.environment}) as Key Vault secret ` +
      `${secret.vaultSecret}, version ${version || '(new)'}\n`,
  );
  if (!v['no-refresh'])
    await refreshReferences(target, secret, io, waitSecondsOf(v['wait-seconds']));
  return 0;
}

async function listSecrets(
  target: SecretTarget,
  only: string | undefined,
  io: SecretIo,
): Promise<number> {
  const wanted = only ? [findSecret(target, only)] : target.secrets;
  if (wanted.length === 0) {
    io.out(`${target.stack} declares no secrets.\n`);
    return 0;
  }
  const clients = new Map<string, KeyVaultClient>();
  const rows: string[][] = [
    ['NAME', 'KEY VAULT SECRET', 'STATE', 'VERSION', 'VERSIONS', 'UPDATED'],
  ];
  let missing = 0;
  for (const s of wanted) {
    let kv = clients.get(s.vault);
    if (!kv) clients.set(s.vault, (kv = keyVaultClient(s.vault)));
    const present = (await kv.list()).find(
      (x) => x.name.toLowerCase() === s.vaultSecret.toLowerCase(),
    );
    if (!present) {
      missing++;
      rows.push([s.name, `${s.vault}/${s.vaultSecret}`, 'missing', '-', '0', '-']);
      continue;
    }
    const versions = await kv.versions(present.name);
    const updated = present.updated ?? versions[0]?.created;
    rows.push([
      s.name,
      `${s.vault}/${s.vaultSecret}`,
      present.enabled ? 'set' : 'disabled',
      versions[0]?.version ?? '-',
      String(versions.length),
      updated ? updated.toISOString() : '-',
    ]);
  }
  const widths = at(rows, 0).map((_, i) => Math.max(...rows.map((r) => at(r, i).length)));
  io.out(
    `${target.stack} (${target.environment})\n${rows
      .map((r) =>
        r
          .map((c, i) => c.padEnd(at(widths, i)))
          .join('  ')
          .trimEnd(),
      )
      .join('\n')}\n`,
  );
  if (missing)
    io.err(
      `${missing} secret(s) without a value: atakora secret set <entry> <NAME>${target.environment ? ` --environment ${target.environment}` : ''} (the value on stdin)\n`,
    );
  return 0;
}

/**
 * Make each app that reads the secret fetch its Key Vault references again, and wait until every reference is
 * resolved (reference-status.ts): SECRET_REFERENCE_UNRESOLVED, exit 1, when one stays unresolved. Without a
 * subscription or a token nothing can be checked: a warning with the call to make by hand.
 */
async function refreshReferences(
  target: SecretTarget,
  secret: DeclaredSecret,
  io: SecretIo,
  waitSeconds: number | undefined | 'remove',
): Promise<void> {
  if (secret.apps.length === 0) return;
  const endpoint = armEndpoint(undefined, process.env);
  const sites = secret.apps.map((app) => ({
    app,
    ...(isSecretName(secret.name) ? { expect: [secret.name] } : {}),
    url: siteResourceUrl(
      endpoint,
      target.subscriptionId ?? '<subscription id>',
      target.resourceGroup,
      app,
    ),
  }));
  const manual = (why: string, only = sites): void => {
    for (const s of only)
      io.err(
        `warning: ${s.app}: references not refreshed nor checked (${why}); the app reads the new value ` +
          `within 24 hours, or now after: az rest --method post --url "${referenceRefreshUrl(s.url)}"\n`,
      );
  };
  if (!target.subscriptionId) {
    manual('ARM_SUBSCRIPTION_ID is not set');
    return;
  }
  let token: string;
  try {
    token = await azureToken(endpoint, process.env);
  } catch (e) {
    manual(`no Resource Manager token: ${firstLine(e)}`);
    return;
  }
  if (waitSeconds === 'remove') {
    for (const s of sites) {
      try {
        await requestRefresh(s, token);
        io.err(
          `${s.app}: asked to fetch its Key Vault references again; ${secret.name} no longer resolves, so ` +
            `its code reads it as undefined\n`,
        );
      } catch (e) {
        manual(firstLine(e), [s]);
      }
    }
    return;
  }
  await awaitResolvedReferences(
    sites,
    referenceWaitOptions(endpoint, waitSeconds, (l) => {
      io.err(`${l}\n`);
    }),
  );
}

function waitSecondsOf(given: string | undefined): number | undefined {
  if (given === undefined) return undefined;
  const n = Number(given);
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError(`--wait-seconds takes a number of seconds, 0 or more (got ${given}).`);
  return n;
}
