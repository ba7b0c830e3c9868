import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { emailDomainOf } from '../../src/cli/azure/email/domain-link.js';
import { emailAfterApply } from '../../src/cli/deploy/email-after-apply.js';
import type { BackendConfig } from '../../src/model/config.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import {
  type CommunicationArmStandIn,
  startCommunicationArmStandIn,
} from '../support/communication-arm-standin.js';

const tenants = (domain: string) =>
  ({
    by: 'membership',
    createTenants: 'any-user',
    plans: { free: {} },
    defaultPlan: 'free',
    email: { domain },
  }) as const satisfies BackendConfig['tenants'];
const planOf = (domain: string): ResourcePlan =>
  defineBackend(
    { notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } }) },
    { environment: 'prod', location: 'westeurope', tenants: tenants(domain) },
  ).plan();

describe('atakora deploy: a custom e-mail domain in two steps, through Resource Manager', () => {
  let arm: CommunicationArmStandIn;
  const plan = planOf('mail.contoso.com');
  const target = emailDomainOf(plan, 'rg-app')!;
  const key = `${target.emailService}/mail.contoso.com`;
  const stack = { plan, resourceGroup: 'rg-app', subscriptionId: 'sub-1' };
  let lines: string[];
  const log = (l: string) => void lines.push(l);
  const env = () => ({ ATAKORA_ARM_ENDPOINT: arm.endpoint, ATAKORA_ARM_TOKEN: 't' });
  const fast = { pollMs: 1, waitMs: 5_000 };

  beforeAll(async () => {
    arm = await startCommunicationArmStandIn();
  });
  afterAll(() => arm.stop());
  beforeEach(() => {
    lines = [];
    arm.calls.length = 0;
    arm.domains.set(key, { dataLocation: 'Europe', states: {}, inDns: new Set() });
    arm.services.set(target.communicationService, { dataLocation: 'Europe', linkedDomains: [] });
  });

  it('leaves an Azure-managed domain to Terraform: no call at all', async () => {
    await emailAfterApply(
      { plan: planOf('azure-managed'), resourceGroup: 'rg-app', subscriptionId: 'sub-1' },
      env(),
      log,
      fast,
    );
    expect(arm.calls).toEqual([]);
    expect(emailDomainOf(planOf('azure-managed'), 'rg')).toBeUndefined();
  });

  it('first deploy: starts the verification, waits for the verdict, links nothing, prints the records to add', async () => {
    await emailAfterApply(stack, env(), log, fast);
    const starts = arm.calls.filter((c) => c.path.endsWith('/initiateVerification'));
    // Ownership first (Domains - Initiate Verification, api-version 2023-03-31).
    expect(starts.map((c) => [c.method, c.body, c.apiVersion])).toEqual([
      ['POST', { verificationType: 'Domain' }, '2023-03-31'],
    ]);
    expect(arm.calls.filter((c) => c.method === 'PATCH')).toEqual([]);
    expect(arm.services.get(target.communicationService)!.linkedDomains).toEqual([]);
    const text = lines.join('');
    expect(text).toMatch(/warning EMAIL_DOMAIN_VERIFICATION: mail\.contoso\.com is not verified/);
    expect(text).toMatch(/Domain VerificationFailed/);
    for (const kind of ['Domain', 'SPF', 'DKIM', 'DKIM2'])
      expect(text).toContain(`${kind.toLowerCase()}-value-for-mail.contoso.com`);
  });

  it('second deploy, records in DNS: ownership, then SPF, DKIM, DKIM2 verified; then linked — once', async () => {
    const domain = arm.domains.get(key)!;
    domain.states['Domain'] = 'VerificationFailed';
    for (const t of ['Domain', 'SPF', 'DKIM', 'DKIM2']) domain.inDns.add(t);
    await emailAfterApply(stack, env(), log, fast);
    const starts = arm.calls
      .filter((c) => c.path.endsWith('/initiateVerification'))
      .map((c) => (c.body as { verificationType: string }).verificationType);
    expect(starts).toEqual(['Domain', 'SPF', 'DKIM', 'DKIM2']);
    const patches = arm.calls.filter((c) => c.method === 'PATCH');
    expect(patches).toHaveLength(1);
    // The link is made only after the last verification said Verified.
    const lastVerifiedLook = arm.calls.findLastIndex(
      (c) => c.method === 'GET' && c.path.includes('/domains/'),
    );
    expect(arm.calls.indexOf(patches[0]!)).toBeGreaterThan(lastVerifiedLook);
    expect(patches[0]!.body).toEqual({
      properties: {
        linkedDomains: [
          `/subscriptions/sub-1/resourceGroups/rg-app/providers/Microsoft.Communication/EmailServices/${target.emailService}/Domains/mail.contoso.com`,
        ],
      },
    });
    expect(lines.join('')).toMatch(
      /verified by Azure \(Domain Verified, SPF Verified, DKIM Verified, DKIM2 Verified\); linked to/,
    );

    // A third deploy: everything verified and linked — reads only.
    arm.calls.length = 0;
    lines = [];
    await emailAfterApply(stack, env(), log, fast);
    expect(arm.calls.filter((c) => c.method !== 'GET')).toEqual([]);
    expect(lines.join('')).toMatch(/already linked/);
  });

  it('a verification still running when the wait ends is left running (not started twice) and reported', async () => {
    arm.behaviour.looksBeforeVerdict = 1_000_000;
    try {
      await emailAfterApply(stack, env(), log, { pollMs: 1, waitMs: 30 });
      arm.calls.length = 0;
      await emailAfterApply(stack, env(), log, { pollMs: 1, waitMs: 30 });
      expect(arm.calls.filter((c) => c.path.endsWith('/initiateVerification'))).toEqual([]);
      expect(lines.join('')).toMatch(/Domain VerificationInProgress/);
    } finally {
      arm.behaviour.looksBeforeVerdict = 1;
    }
  });

  it("keeps the service's other linked domains, and never links a domain Azure has not verified", async () => {
    const other =
      '/subscriptions/sub-1/resourceGroups/rg-app/providers/Microsoft.Communication/emailServices/x/domains/AzureManagedDomain';
    arm.services.get(target.communicationService)!.linkedDomains = [other];
    arm.domains.set('x/AzureManagedDomain', {
      dataLocation: 'Europe',
      states: { Domain: 'Verified', SPF: 'Verified', DKIM: 'Verified', DKIM2: 'Verified' },
      inDns: new Set(),
    });
    const domain = arm.domains.get(key)!;
    for (const t of ['Domain', 'SPF', 'DKIM', 'DKIM2']) domain.inDns.add(t);
    domain.inDns.delete('DKIM2');
    await emailAfterApply(stack, env(), log, fast);
    expect(arm.calls.filter((c) => c.method === 'PATCH')).toEqual([]);
    expect(lines.join('')).toMatch(/DKIM2 VerificationFailed/);
    domain.inDns.add('DKIM2');
    await emailAfterApply(stack, env(), log, fast);
    expect(arm.services.get(target.communicationService)!.linkedDomains).toEqual([
      other,
      expect.stringMatching(/\/Domains\/mail\.contoso\.com$/),
    ]);
  });

  it('a Resource Manager refusal is EMAIL_DOMAIN_LINK_FAILED naming the call; the stack stays deployed', async () => {
    arm.domains.delete(key);
    const e = await emailAfterApply(stack, env(), log, fast).catch((x: unknown) => x);
    expect(e).toMatchObject({
      code: 'EMAIL_DOMAIN_LINK_FAILED',
      message: expect.stringMatching(/mail\.contoso\.com/),
    });
    const refused = await emailAfterApply(
      stack,
      { ...env(), ATAKORA_ARM_TOKEN: '' },
      log,
      fast,
    ).catch((x: unknown) => x);
    expect(refused).toBeInstanceOf(Error);
  });
});
