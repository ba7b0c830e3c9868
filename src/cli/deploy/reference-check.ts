import { triggerSyncRequests } from '../azure/trigger-sync-requests.js';
import { isSecretName } from '../../kit/pure/names/secret-names.js';
import type { SynthesizedStack } from '../entry/synth-stacks.js';
import { awaitResolvedReferences, type ReferenceSite } from '../azure/references.js';
import { referenceWaitOptions } from '../azure/reference-wait.js';
import { declaredSecrets, type DeclaredSecret } from '../shared/secrets/secret-target.js';
import { armEndpoint, siteResourceUrl } from '../azure/endpoints.js';

/**
 * After apply: every app that reads a declared secret whose value was in its vault before the deploy must
 * resolve its Key Vault references (SECRET_REFERENCE_UNRESOLVED otherwise, naming each setting and status). A
 * new app's identity gets its vault role in the same apply, and RBAC takes up to 10 minutes to apply it: App
 * Service keeps a failed first resolution until a refresh, a restart or 24 hours — so the wait refreshes
 * (reference-status.ts). Secrets whose vault this deploy created (`notYet`) are left to `atakora secret set`.
 * The app's resource id comes from the stack's `atakora_sync_triggers_*` output (the real one), else from the
 * deployment target.
 *
 * @example
 * ```ts
 * await checkReferences(deployed, secretsToSet, undefined, (l) => process.stderr.write(`${l}\n`));
 * ```
 */
export async function checkReferences(
  deployed: readonly { stack: SynthesizedStack; outputs: Readonly<Record<string, unknown>> }[],
  notYet: readonly DeclaredSecret[],
  waitSeconds: number | undefined,
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const endpoint = armEndpoint(undefined, env);
  const skip = new Set(notYet.map((s) => `${s.vault}/${s.vaultSecret}`));
  const sites: ReferenceSite[] = [];
  for (const { stack, outputs } of deployed) {
    const secrets = declaredSecrets(stack.plan).filter(
      (s) => !skip.has(`${s.vault}/${s.vaultSecret}`),
    );
    const ids = new Map(
      triggerSyncRequests(outputs, endpoint).map((r) => {
        const url = r.url.replace(/\/syncfunctiontriggers\?.*$/, '');
        return [url.split('/').pop() ?? '', url] as const;
      }),
    );
    for (const app of [...new Set(secrets.flatMap((s) => s.apps))]) {
      const url =
        ids.get(app) ??
        (stack.subscriptionId
          ? siteResourceUrl(endpoint, stack.subscriptionId, stack.resourceGroup, app)
          : undefined);
      const names = secrets.filter((s) => s.apps.includes(app)).map((s) => s.name);
      if (!url) {
        log(
          `warning: ${app}: Key Vault references not checked (ARM_SUBSCRIPTION_ID is not set): ` +
            names.join(', '),
        );
        continue;
      }
      sites.push({ app, url, expect: names.filter(isSecretName) });
    }
  }
  if (sites.length === 0) return;
  await awaitResolvedReferences(sites, referenceWaitOptions(endpoint, waitSeconds, log, env));
}
