/**
 * `tenants.email` planned as Azure Communication Services Email: the Email Communication Service, its domain
 * (Azure-managed, or a custom one whose DNS records are an output), a sender of its own when `from` says so, a
 * Communication Service linked to the domain, and the sending role for each CrudApi's identity at the Communication
 * Service's scope — no key or connection string anywhere in the stack or the app settings; priced; honest (what the
 * plan deploys is what synthesizes); and the config's mistakes refused with TENANTS_EMAIL_INVALID.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import { EMAIL_ENDPOINT_SETTING, EMAIL_SENDER_SETTING } from '../../src/model/email.js';
import { diffPlans } from '../../src/plan/diff/diff.js';
import { dataLocationFor } from '../../src/resources/email/data-location.js';
import { expectHonest, synth, thrown } from '../support/synth.js';

type Block = Record<string, unknown>;
const notes = () => CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
const tenants = (email: NonNullable<BackendConfig['tenants']>['email']) =>
  ({
    by: 'membership',
    createTenants: 'any-user',
    plans: { free: {} },
    defaultPlan: 'free',
    email,
  }) as const satisfies BackendConfig['tenants'];
const backendOf = (config: BackendConfig) =>
  defineBackend(
    { notes: notes() },
    { naming: { uniqueSeed: 'sub/rg' }, location: 'westeurope', ...config },
  );

describe('tenants.email plans ACS Email with a sending role and no key', () => {
  it('Azure-managed: the services, the domain, the link, the role at the Communication Service; honest; priced', () => {
    const backend = backendOf({ tenants: tenants({}) });
    const plan = backend.plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const email = plan.resources.find((r) => r.type === 'email')!;
    expect(email.deploys.map((d) => d.terraformType).sort()).toEqual([
      'azurerm_communication_service',
      'azurerm_communication_service_email_domain_association',
      'azurerm_email_communication_service',
      'azurerm_email_communication_service_domain',
      'azurerm_role_assignment',
    ]);
    expect(email.config).toMatchObject({
      dataLocation: 'Europe',
      domain: 'azure-managed',
      senders: ['NoteApi'],
    });
    expect(email.estimatedMonthlyUsd).toBeGreaterThan(0);
    const json = synth(backend);
    expectHonest(plan, json);
    const r = json.resource;
    const [domain] = Object.values(
      r['azurerm_email_communication_service_domain'] as Record<string, Block>,
    );
    expect(domain).toMatchObject({ name: 'AzureManagedDomain', domain_management: 'AzureManaged' });
    const roles = Object.values(r['azurerm_role_assignment'] as Record<string, Block>).filter(
      (a) => a['role_definition_name'] === 'Communication and Email Service Owner',
    );
    expect(roles).toHaveLength(1);
    expect(String(roles[0]!['scope'])).toMatch(/^\$\{azurerm_communication_service\.[^.]+\.id\}$/);
    const text = JSON.stringify(json);
    expect(text).not.toMatch(
      /primary_connection_string|secondary_connection_string|primary_key|secondary_key/,
    );
    const [app] = Object.values({
      ...(r['azurerm_linux_function_app'] as Record<string, Block> | undefined),
      ...(r['azurerm_function_app_flex_consumption'] as Record<string, Block> | undefined),
    });
    const settings = app!['app_settings'] as Record<string, string>;
    expect(settings[EMAIL_ENDPOINT_SETTING]).toMatch(
      /^https:\/\/\$\{azurerm_communication_service\.[^.]+\.hostname\}$/,
    );
    expect(settings[EMAIL_SENDER_SETTING]).toMatch(
      /^DoNotReply@\$\{azurerm_email_communication_service_domain\.[^.]+\.from_sender_domain\}$/,
    );
  });

  it('a custom domain: CustomerManaged, its own sender with the display name, the DNS records an output', () => {
    const backend = backendOf({
      tenants: tenants({
        domain: 'mail.contoso.com',
        from: 'invitations',
        senderName: 'Contoso Teams',
      }),
    });
    const plan = backend.plan();
    const json = synth(backend);
    expectHonest(plan, json);
    const [sender] = Object.values(
      json.resource['azurerm_email_communication_service_domain_sender_username'] as Record<
        string,
        Block
      >,
    );
    expect(sender).toMatchObject({ name: 'invitations', display_name: 'Contoso Teams' });
    const outputs = JSON.stringify((json as { output?: unknown }).output);
    expect(outputs).toMatch(/verification_records/);
  });

  it('a custom domain is linked by atakora deploy once verified, never by the apply that makes it', () => {
    const backend = backendOf({ tenants: tenants({ domain: 'mail.contoso.com' }) });
    const plan = backend.plan();
    const email = plan.resources.find((r) => r.type === 'email')!;
    expect(email.config['linkedBy']).toBe('atakora deploy');
    expect(email.deploys.map((d) => d.terraformType)).not.toContain(
      'azurerm_communication_service_email_domain_association',
    );
    const json = synth(backend);
    expectHonest(plan, json);
    expect(json.resource['azurerm_communication_service_email_domain_association']).toBeUndefined();
    // The service waits for the domain, so destroy removes the service (and with it the link) first.
    const [service] = Object.values(
      json.resource['azurerm_communication_service'] as Record<string, Block>,
    );
    expect(service!['depends_on']).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^azurerm_email_communication_service_domain\./),
      ]),
    );
    const warning = plan.issues.find((i) => i.code === 'EMAIL_DOMAIN_VERIFICATION');
    expect(warning).toMatchObject({
      severity: 'warning',
      path: ['config', 'tenants', 'email', 'domain'],
    });
    expect(warning!.message).toMatch(/dns_records/);
    // Azure-managed: verified when made, linked by Terraform, nothing to verify.
    const managed = backendOf({ tenants: tenants({}) }).plan();
    expect(managed.resources.find((r) => r.type === 'email')!.config['linkedBy']).toBe('terraform');
    expect(managed.issues.map((i) => i.code)).not.toContain('EMAIL_DOMAIN_VERIFICATION');
  });

  it("names Azure's sending limits beside invitationsPerDay: Azure-managed 5/min 10/h, custom 30/min 100/h", () => {
    const limits = (email: Parameters<typeof tenants>[0]) => {
      const plan = backendOf({ tenants: tenants(email) }).plan();
      return {
        config: plan.resources.find((r) => r.type === 'email')!.config['sendingLimits'],
        warning: plan.issues.find((i) => i.code === 'EMAIL_SENDING_LIMITS'),
      };
    };
    const managed = limits({ invitationsPerDay: 50 });
    expect(managed.config).toEqual({
      perMinute: 5,
      perHour: 10,
      statusPerMinute: 10,
      statusPerHour: 20,
    });
    expect(managed.warning).toMatchObject({
      severity: 'warning',
      path: ['config', 'tenants', 'email', 'invitationsPerDay'],
    });
    expect(managed.warning!.message).toMatch(/5 e-mails a minute and 10 an hour per subscription/);
    expect(managed.warning!.message).toMatch(/invitationsPerDay \(50\)/);
    expect(managed.warning!.message).toMatch(/queued/);
    const custom = limits({ domain: 'mail.contoso.com' });
    expect(custom.config).toEqual({
      perMinute: 30,
      perHour: 100,
      statusPerMinute: 60,
      statusPerHour: 200,
    });
    expect(custom.warning!.message).toMatch(/30 e-mails a minute and 100 an hour/);
  });
});

describe("where e-mail data rests: ACS's own geographies", () => {
  it.each([
    ['westeurope', 'Europe'],
    ['northeurope', 'Europe'],
    ['austriaeast', 'Europe'],
    ['belgiumcentral', 'Europe'],
    ['denmarkeast', 'Europe'],
    ['swedencentral', 'Europe'],
    ['italynorth', 'Europe'],
    ['polandcentral', 'Europe'],
    ['spaincentral', 'Europe'],
    ['francecentral', 'France'],
    ['germanywestcentral', 'Germany'],
    ['uksouth', 'UK'],
    ['switzerlandnorth', 'Switzerland'],
    ['norwayeast', 'Norway'],
    ['uaenorth', 'UAE'],
    ['southafricanorth', 'Africa'],
    ['centralindia', 'India'],
    ['jioindiawest', 'India'],
    ['eastasia', 'Asia Pacific'],
    ['southeastasia', 'Asia Pacific'],
    ['indonesiacentral', 'Asia Pacific'],
    ['malaysiawest', 'Asia Pacific'],
    ['taiwannorth', 'Asia Pacific'],
    ['japaneast', 'Japan'],
    ['koreacentral', 'Korea'],
    ['australiaeast', 'Australia'],
    ['brazilsouth', 'Brazil'],
    ['canadacentral', 'Canada'],
    ['eastus', 'United States'],
    ['westus3', 'United States'],
    ['usgovvirginia', 'usgov'],
  ])('%s → %s, its own geography', (region, location) => {
    expect(dataLocationFor(region)).toEqual({ location, nearest: false });
    const plan = backendOf({ location: region, tenants: tenants({}) }).plan();
    expect(plan.resources.find((r) => r.type === 'email')!.config['dataLocation']).toBe(location);
    expect(plan.issues.map((i) => i.code)).not.toContain('EMAIL_DATA_LOCATION_NEAREST');
  });

  it.each([
    ['newzealandnorth', 'Australia'],
    ['mexicocentral', 'United States'],
    ['israelcentral', 'Europe'],
    ['qatarcentral', 'UAE'],
    ['chilecentral', 'Brazil'],
  ])('%s has no ACS geography of its own: %s, and the plan says so', (region, location) => {
    expect(dataLocationFor(region)).toEqual({ location, nearest: true });
    const plan = backendOf({ location: region, tenants: tenants({}) }).plan();
    expect(plan.issues.find((i) => i.code === 'EMAIL_DATA_LOCATION_NEAREST')?.message).toContain(
      location,
    );
  });

  it('a change of data location is a warning that both services are replaced', () => {
    const before = backendOf({ location: 'westeurope', tenants: tenants({}) }).plan();
    const after = backendOf({ location: 'eastus', tenants: tenants({}) }).plan();
    const d = diffPlans(before, after);
    expect(d.issues.find((i) => i.code === 'EMAIL_DATA_LOCATION_CHANGED')).toMatchObject({
      severity: 'warning',
      details: { before: 'Europe', after: 'United States' },
    });
    expect(d.resources.replacements.map((r) => r.type)).toContain('email');
    expect(diffPlans(before, before).issues.map((i) => i.code)).not.toContain(
      'EMAIL_DATA_LOCATION_CHANGED',
    );
  });
});

describe('tenants.email mistakes are plan errors', () => {
  it.each([
    [
      'email without membership',
      {
        tenants: { plans: { free: {} }, defaultPlan: 'free', email: {} },
        auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
      },
      ['config', 'tenants', 'email'],
    ],
    [
      'a domain that is no domain',
      { tenants: tenants({ domain: 'not a domain' }) },
      ['config', 'tenants', 'email', 'domain'],
    ],
    [
      'from with an @',
      { tenants: tenants({ domain: 'mail.contoso.com', from: 'a@b.com' }) },
      ['config', 'tenants', 'email', 'from'],
    ],
    [
      'a sender of its own on an Azure-managed domain',
      { tenants: tenants({ from: 'invitations' }) },
      ['config', 'tenants', 'email', 'from'],
    ],
    [
      'senderName on DoNotReply',
      { tenants: tenants({ domain: 'mail.contoso.com', senderName: 'X' }) },
      ['config', 'tenants', 'email', 'senderName'],
    ],
    [
      'senderName with a line break',
      { tenants: tenants({ domain: 'mail.contoso.com', from: 'hi', senderName: 'A\r\nBcc: x' }) },
      ['config', 'tenants', 'email', 'senderName'],
    ],
    [
      'invitationsPerDay 0',
      { tenants: tenants({ invitationsPerDay: 0 }) },
      ['config', 'tenants', 'email', 'invitationsPerDay'],
    ],
  ] as const)('%s: TENANTS_EMAIL_INVALID naming the key', (_, config, path) => {
    const e = thrown(() => backendOf(config as BackendConfig).plan());
    expect(e.code).toBe('TENANTS_EMAIL_INVALID');
    expect(e.path).toEqual(path);
    expect(e.resolution).toBeTruthy();
  });

  it('without tenants.email nothing of ACS is planned and no e-mail setting is written', () => {
    const { email: _none, ...plain } = tenants({});
    const plan = backendOf({ tenants: plain }).plan();
    expect(plan.resources.some((r) => r.type === 'email')).toBe(false);
  });
});
