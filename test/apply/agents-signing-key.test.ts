/**
 * The agents' signing key rotates by itself (docs/mcp.md, "The signing key"): with `mcp.authorization`
 * deployed, the plan's `azurerm_key_vault_key` carries a rotation policy — Key Vault makes a new version 90 days
 * after the current one, each version it makes expires 180 days after it is made, the near-expiry notice 30 days
 * before — and Terraform ignores the key's `expiration_date`, which Key Vault sets on each version the policy makes
 * and azurerm reads back from the current one (key_vault_key_resource.go@v4.55.0, read: `d.Set("expiration_date",
 * …)` from the current version's `exp`; CustomizeDiff: ForceNew when `expiration_date` goes from a value to none):
 * without it, the first deploy after a rotation would replace the key. The plan says the same policy, and under
 * isolated networking (the operator makes the key) the warning's resolution sets it too.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import { planOverview } from '../../src/plan/overview.js';
import { synth } from '../support/synth.js';

const POLICY = { rotateAfter: 'P90D', expireAfter: 'P180D', notifyBeforeExpiry: 'P30D' };
const KEY = 'atakora-agent-signing';
const tenants = {
  by: 'membership',
  plans: { free: {}, team: { features: ['mcp'] } },
  defaultPlan: 'free',
} as const;

function backend(config: Partial<BackendConfig> = {}) {
  const notes = CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string', title: 'string' },
    access: [{ allow: 'role', role: 'Member' }],
    mcp: 'read',
  });
  return defineBackend({ notes }, { tenants, mcp: { authorization: true }, ...config });
}

type KeyAttrs = {
  name: string;
  rotation_policy?: {
    automatic?: { time_after_creation?: string; time_before_expiry?: string };
    expire_after?: string;
    notify_before_expiry?: string;
  };
  lifecycle?: { ignore_changes?: string[] };
};
const keysOf = (config: Partial<BackendConfig> = {}) =>
  Object.values(synth(backend(config)).resource['azurerm_key_vault_key'] ?? {}) as KeyAttrs[];

describe("the agents' signing key's rotation policy", () => {
  it('the synthesized key rotates every 90 days, its versions expire after 180, noticed 30 days before', () => {
    const keys = keysOf();
    expect(keys.map((k) => k.name)).toEqual([KEY]);
    expect(keys[0]?.rotation_policy).toEqual({
      automatic: { time_after_creation: POLICY.rotateAfter },
      expire_after: POLICY.expireAfter,
      notify_before_expiry: POLICY.notifyBeforeExpiry,
    });
  });

  it('Terraform ignores the expiration date Key Vault gives each rotated version (no replacement after one)', () => {
    expect(keysOf()[0]?.lifecycle?.ignore_changes).toEqual(['expiration_date']);
  });

  it('the plan says the policy on the vault’s key, and the deployer’s role covers setting it', () => {
    const plan = backend().plan();
    const vault = plan.resources.find((r) => r.type === 'keyvault');
    const keys = vault?.config['signingKeys'] as Record<string, { rotation?: unknown }> | undefined;
    expect(keys?.[KEY]?.rotation).toEqual(POLICY);
    expect(planOverview(plan).beforeYouDeploy.roles).toContain(
      'Key Vault Crypto Officer (creates the signing key and sets its rotation policy)',
    );
  });

  it('isolated: no key in the stack, and the resolution sets the same policy from inside the VNet', () => {
    const isolated: Partial<BackendConfig> = {
      environment: 'prod',
      networking: { mode: 'isolated', privateEndpoints: true, deployerAddresses: ['203.0.113.10'] },
    };
    expect(keysOf(isolated)).toEqual([]);
    const issue = backend(isolated)
      .plan()
      .issues.find((i) => i.code === 'KEYVAULT_KEY_ISOLATED');
    const resolution = issue?.resolution ?? '';
    expect(resolution).toMatch(
      new RegExp(
        `az keyvault key rotation-policy update --vault-name \\S+ --name ${KEY} --value '`,
      ),
    );
    const value = /--value '([^']+)'/.exec(resolution)?.[1] ?? '{}';
    // Key Vault's KeyRotationPolicy as `az keyvault key rotation-policy update --value` takes it (REST, "Update Key
    // Rotation Policy": lifetimeActions of trigger and action, attributes.expiryTime).
    expect(JSON.parse(value)).toEqual({
      lifetimeActions: [
        { trigger: { timeAfterCreate: POLICY.rotateAfter }, action: { type: 'Rotate' } },
        { trigger: { timeBeforeExpiry: POLICY.notifyBeforeExpiry }, action: { type: 'Notify' } },
      ],
      attributes: { expiryTime: POLICY.expireAfter },
    });
  });
});
