import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devAppSettings } from '../../src/cli/dev/host/app-settings.js';
import { localSecretValues } from '../../src/cli/dev/host/secrets.js';
import { entitiesOf } from '../../src/cli/dev/storage/storage.js';
import backend from '../../examples/billing/marketplace.js';

// The secrets `atakora dev` asks a Marketplace seller for are the ones docs/billing.md names: the fulfillment app's
// (`MARKETPLACE_SECRET`). The landing sign-in's client secret is App Service authentication's, read from the setting
// MARKETPLACE_PROVIDER_AUTHENTICATION_SECRET in Azure; dev signs the buyer in as its own user, so it asks for
// neither — a new user was told "secret MARKETPLACE_PROVIDER_AUTHENTICATION_SECRET is missing: export …", a name
// no doc gives and dev never reads.
const cwd = mkdtempSync(join(tmpdir(), 'atakora-dev-marketplace-secrets-'));
afterAll(() => {
  rmSync(cwd, { recursive: true, force: true });
});

function secretsUnderDev(env: NodeJS.ProcessEnv) {
  const plan = backend.plan();
  const app = plan.resources.find((r) => r.type === 'functions' && r.config['crudRuntime'])!;
  const settings = devAppSettings(
    app,
    plan,
    entitiesOf(app),
    'https://127.0.0.1:1/',
    backend.config,
    { oid: 'dev', tid: 'local-dev', name: 'dev', roles: [] } as never,
    'https://127.0.0.1:2/devstoreaccount1/',
  );
  return localSecretValues(settings, env, cwd);
}

describe('atakora dev: the secrets of a backend sold on Azure Marketplace', () => {
  it('reports only the declared secrets, never App Service’s landing provider setting', () => {
    const report = secretsUnderDev({
      MARKETPLACE_SECRET: 'local-secret',
      STRIPE_KEY: 'sk_test_local',
      STRIPE_WEBHOOK_SECRET: 'whsec_local',
    });
    expect(report.missing).toEqual([]);
    expect(report.fromEnvironment).toEqual([
      'MARKETPLACE_SECRET',
      'STRIPE_KEY',
      'STRIPE_WEBHOOK_SECRET',
    ]);
  });
  it('still names the fulfillment app’s secret when it is missing', () => {
    expect(secretsUnderDev({}).missing).toEqual([
      'MARKETPLACE_SECRET',
      'STRIPE_KEY',
      'STRIPE_WEBHOOK_SECRET',
    ]);
  });
});
