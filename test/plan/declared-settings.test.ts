import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { defineComponent } from '../../src/components/custom/define.js';
import { credentialShape } from '../../src/plan/checks/credential-values.js';
import { propertyRuns } from './support/budget.js';

// The names a user writes in environmentVariables are the names the handler reads (process.env.NOTIFY_URL),
// in the plan's app settings that apply writes and atakora dev copies; secrets never travel as such values.
const app = (id: string, env: Record<string, string>, secrets?: string[]) =>
  FunctionsApp.define(id, {
    runtime: 'node',
    environmentVariables: env,
    ...(secrets ? { secrets } : {}),
    functions: { [`${id.toLowerCase()}-ping`]: { trigger: 'http' } },
  });

const settingsOf = (plan: ReturnType<ReturnType<typeof defineBackend>['plan']>) =>
  plan.resources.find((r) => r.type === 'functions')!.config['appSettings'] as Record<
    string,
    string
  >;
const errors = (plan: ReturnType<ReturnType<typeof defineBackend>['plan']>) =>
  plan.issues.filter((i) => i.severity === 'error');

describe('environmentVariables keep the names written', () => {
  it('NOTIFY_URL is NOTIFY_URL in the app settings, not NOTIFIER_NOTIFY_URL', () => {
    const plan = defineBackend({
      notifier: app('Notifier', { NOTIFY_URL: 'https://hooks.example.com/n' }),
    }).plan();
    const settings = settingsOf(plan);
    expect(settings['NOTIFY_URL']).toBe('https://hooks.example.com/n');
    expect(Object.keys(settings).filter((k) => k.endsWith('NOTIFY_URL'))).toEqual(['NOTIFY_URL']);
    expect(errors(plan)).toEqual([]);
  });

  it('two components of one app may declare one name with one value', () => {
    const plan = defineBackend({
      a: app('Alpha', { REGION_NAME: 'west' }),
      b: app('Beta', { REGION_NAME: 'west' }),
    }).plan();
    expect(plan.resources.filter((r) => r.type === 'functions')).toHaveLength(1);
    expect(settingsOf(plan)['REGION_NAME']).toBe('west');
    expect(errors(plan)).toEqual([]);
  });

  it("one value beside a custom component's shared setting of that name is one setting", () => {
    const job = defineComponent({
      type: 'Job',
      id: 'Nightly',
      config: {},
      requirements: () => [
        {
          resourceType: 'functions',
          requirementKey: 'fn',
          config: { runtime: 'node', sharedSettings: { REGION_NAME: 'west' } },
        },
      ],
    });
    const plan = defineBackend({ a: app('Alpha', { REGION_NAME: 'west' }), job }).plan();
    expect(errors(plan)).toEqual([]);
    expect(settingsOf(plan)['REGION_NAME']).toBe('west');
  });

  it('with two values it is an error naming both components, never the values', () => {
    const plan = defineBackend({
      a: app('Alpha', { REGION_NAME: 'west-value' }),
      b: app('Beta', { REGION_NAME: 'east-value' }),
    }).plan();
    const [issue, ...rest] = errors(plan);
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ code: 'APP_SETTING_COLLISION', components: ['Alpha', 'Beta'] });
    expect(issue!.message).toContain('Alpha');
    expect(issue!.message).toContain('Beta');
    expect(JSON.stringify(issue)).not.toMatch(/west-value|east-value/);
  });

  it.each([
    'WEBSITE_RUN_FROM_PACKAGE',
    'FUNCTIONS_WORKER_RUNTIME',
    'AzureWebJobsStorage',
    'ATAKORA_X',
  ])("%s is the platform's: an error, not a silent replacement", (name) => {
    const plan = defineBackend({ a: app('Alpha', { [name]: 'mine' }) }).plan();
    expect(errors(plan).map((i) => i.code)).toEqual(['APP_SETTING_COLLISION']);
    expect(errors(plan)[0]!.message).toContain(name);
  });
});

const LIVE_KEY = `nk_live_${'9fQ2xLr7Tb'.repeat(3)}`;

describe('secrets stay out of config', () => {
  it('a name both a secret and an environment variable is an error; the value reaches no part of the plan', () => {
    for (const components of [
      { a: app('Alpha', { NOTIFY_API_KEY: LIVE_KEY }, ['NOTIFY_API_KEY']) },
      { a: app('Alpha', { NOTIFY_API_KEY: LIVE_KEY }), b: app('Beta', {}, ['NOTIFY_API_KEY']) },
      { a: app('Alpha', {}, ['NOTIFY_API_KEY']), b: app('Beta', { NOTIFY_API_KEY: LIVE_KEY }) },
    ]) {
      const plan = defineBackend(components).plan();
      const codes = errors(plan).map((i) => i.code);
      expect(codes).toEqual(['SECRET_ALSO_ENVIRONMENT_VARIABLE']);
      expect(errors(plan)[0]!.message).toContain('NOTIFY_API_KEY');
      expect(settingsOf(plan)['NOTIFY_API_KEY']).toMatch(/^@Microsoft\.KeyVault\(/);
      expect(JSON.stringify(plan)).not.toContain(LIVE_KEY);
    }
  });

  it('a value shaped like a credential is a warning naming the variable and pointing to secrets', () => {
    const plan = defineBackend({ a: app('Alpha', { NOTIFY_API_KEY: LIVE_KEY }) }).plan();
    const warning = plan.issues.find((i) => i.code === 'CREDENTIAL_IN_ENVIRONMENT');
    expect(warning).toMatchObject({
      severity: 'warning',
      components: ['Alpha'],
      path: ['components', 'a', 'config', 'environmentVariables', 'NOTIFY_API_KEY'],
    });
    expect(warning!.message).toContain('NOTIFY_API_KEY');
    expect(warning!.resolution).toContain("secrets: ['NOTIFY_API_KEY']");
  });

  const body = fc.stringMatching(/^[A-Za-z0-9]{24,40}$/);
  const credentials = fc.oneof(
    body.map((b) => `sk_live_${b}`),
    body.map((b) => `nk_live_${b}`),
    body.map((b) => `ghp_${b}`),
    body.map((b) => `xoxb-${b}`),
    fc.stringMatching(/^[0-9A-Z]{16}$/).map((b) => `AKIA${b}`),
    fc.constant(
      'BlobEndpoint=https://x.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&sig=abcdefghijklmnop',
    ),
    fc.constant('DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc123=='),
    fc
      .tuple(fc.base64String({ minLength: 12 }), fc.base64String({ minLength: 12 }))
      .map(
        ([a, b]) =>
          `eyJhbGciOiJIUzI1NiJ9.${a.replace(/[+/=]/g, 'x')}a1b2c3d4e5.${b.replace(/[+/=]/g, 'y')}`,
      ),
    // A long random string as the rule defines it (credential-values.ts: over 4.2 bits a character): fast-check's
    // bytes may be all zeros ('AAAA…Q7', seed 1361641576), which no key is and the rule rightly passes.
    fc
      .uint8Array({ minLength: 32, maxLength: 48 })
      .map((b) => Buffer.from(b).toString('base64url') + 'Q7')
      .filter((v) => bitsPerCharacter(v) > 4.3),
  );

  it('property: every credential shape is flagged under its name, and its value is in no issue', () => {
    fc.assert(
      fc.property(credentials, fc.stringMatching(/^[A-Z][A-Z0-9_]{2,20}$/), (value, name) => {
        fc.pre(!/^(FUNCTIONS_|WEBSITE|AZUREWEBJOBS|ATAKORA_|SCM_|APP)/.test(name));
        const plan = defineBackend({ a: app('Alpha', { [name]: value }) }).plan();
        const flagged = plan.issues.filter(
          (i) => i.code === 'CREDENTIAL_IN_ENVIRONMENT' || i.code === 'SECRET_IN_CONFIG',
        );
        expect(flagged.length).toBeGreaterThan(0);
        for (const i of flagged) expect(i.path?.at(-1)).toBe(name);
        expect(JSON.stringify(plan.issues)).not.toContain(value);
      }),
      { numRuns: propertyRuns(60) },
    );
  });

  it('property: ordinary values (URLs, names, numbers, GUIDs, short ids) are not flagged', () => {
    const ordinary = fc.oneof(
      fc.webUrl(),
      fc.stringMatching(/^[a-z][a-z-]{0,30}$/),
      fc.integer().map(String),
      fc.uuid(),
      fc.stringMatching(/^[0-9a-f]{40}$/),
      fc.lorem({ maxCount: 6 }),
    );
    fc.assert(
      fc.property(ordinary, (v) => {
        expect(credentialShape(v)).toBeUndefined();
      }),
      { numRuns: propertyRuns(200) },
    );
  });
});

/** Shannon entropy of `v` in bits per character (the measure the credential rule states). */
function bitsPerCharacter(v: string): number {
  const counts = new Map<string, number>();
  for (const c of v) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / v.length) * Math.log2(n / v.length);
  return bits;
}
