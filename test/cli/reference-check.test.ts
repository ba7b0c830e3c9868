/**
 * After a deploy, the apps that read declared secrets must resolve their Key Vault references: the wait
 * refreshes and reads the status (a Resource Manager stand-in on loopback) on the app's real resource id, and a
 * reference that never resolves is SECRET_REFERENCE_UNRESOLVED naming it and its status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { checkReferences } from '../../src/cli/deploy/reference-check.js';
import { declaredSecrets } from '../../src/cli/shared/secrets/secret-target.js';
import type { SynthesizedStack } from '../../src/cli/entry/synth-stacks.js';
import { startAppServiceStandIn } from '../support/appservice-standin.js';

let stand: Awaited<ReturnType<typeof startAppServiceStandIn>>;
beforeAll(async () => {
  stand = await startAppServiceStandIn();
});
afterAll(() => stand.close());

const backend = defineBackend(
  {
    payments: FunctionsApp.define('Payments', {
      runtime: 'node',
      secrets: ['STRIPE_KEY', 'WEBHOOK_SECRET'],
      functions: {
        pay: { trigger: 'http', route: 'pay', handler: './test/packaging/fixtures/read-secret.ts' },
      },
    }),
  },
  { backendId: 'refs', auth: 'none' },
);
const plan = backend.plan();
const app = plan.resources.find((r) => r.type === 'functions')!.name;
// The stack as deploy has it after apply: its plan, and the sync output naming the app's real resource id
// (another resource group than the one the CLI would guess: the output wins).
const stack = {
  name: 'refs-dev',
  plan,
  resourceGroup: 'rg-guessed',
  subscriptionId: 'sub',
} as unknown as SynthesizedStack;
const outputs = {
  atakora_sync_triggers_x: {
    value: {
      resource_id: `/subscriptions/sub/resourceGroups/rg-real/providers/Microsoft.Web/sites/${app}`,
    },
  },
};
const env = (): NodeJS.ProcessEnv => ({
  ATAKORA_ARM_TOKEN: 'token',
  ATAKORA_ARM_ENDPOINT: `${stand.base}/arm`,
  ATAKORA_REFERENCE_POLL_MS: '10',
});
const site = (resolveAfter: number, pending = 'AccessToKeyVaultDenied') => {
  stand.sites.set(app, {
    settings: {},
    state: 'Running',
    references: { settings: ['STRIPE_KEY', 'WEBHOOK_SECRET'], pending, resolveAfter },
    refreshes: 0,
    referenceReads: 0,
  });
  return stand.sites.get(app)!;
};

describe('checkReferences after a deploy', () => {
  it('refreshes until every reference is resolved (after N rounds), on the resource id the stack output names', async () => {
    const s = site(4);
    const lines: string[] = [];
    const before = stand.seen.length;
    await checkReferences([{ stack, outputs }], [], 30, (l) => lines.push(l), env());
    expect(s.refreshes).toBe(4);
    expect(s.referenceReads).toBe(4);
    expect(stand.seen.slice(before).every((r) => r.url.includes('/resourceGroups/rg-real/'))).toBe(
      true,
    );
    expect(lines.filter((l) => l.includes('waiting'))).toHaveLength(3);
    expect(lines.at(-1)).toBe(
      `${app}: 2 Key Vault reference(s) resolved (STRIPE_KEY, WEBHOOK_SECRET)`,
    );
  });

  it('a reference that stays unresolved is SECRET_REFERENCE_UNRESOLVED naming the setting and its status', async () => {
    const s = site(Number.POSITIVE_INFINITY, 'AccessToKeyVaultDenied');
    await expect(
      checkReferences([{ stack, outputs }], [], 0.3, () => undefined, env()),
    ).rejects.toMatchObject({
      code: 'SECRET_REFERENCE_UNRESOLVED',
      message: expect.stringContaining(`${app}: STRIPE_KEY is AccessToKeyVaultDenied`),
    });
    expect(s.refreshes).toBeGreaterThan(1);
  });

  it('InvalidSyntax does not wait: the reference itself is wrong', async () => {
    const s = site(Number.POSITIVE_INFINITY, 'InvalidSyntax');
    await expect(
      checkReferences([{ stack, outputs }], [], 600, () => undefined, env()),
    ).rejects.toMatchObject({
      code: 'SECRET_REFERENCE_UNRESOLVED',
      message: expect.stringContaining('WEBHOOK_SECRET is InvalidSyntax'),
    });
    expect(s.refreshes).toBe(1);
  });

  it('secrets whose vault this deploy created are left to atakora secret set: nothing is asked', async () => {
    const s = site(Number.POSITIVE_INFINITY);
    await checkReferences([{ stack, outputs }], declaredSecrets(plan), 600, () => undefined, env());
    expect(s.refreshes).toBe(0);
  });
});
