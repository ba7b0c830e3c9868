/**
 * Queue triggers connect to storage by identity. The app carries several user-assigned identities (the host's,
 * one per component), so the connection must name the component's own (`__credential`, `__clientId`), and that
 * identity must hold a queue data role on the account with the queue — else the trigger never fires in Azure.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { functionApps } from '../support/app-packages.js';
import { expectHonest, synth } from '../support/synth.js';

const TICK = `${import.meta.dirname}/../packaging/fixtures/tick.ts`;
const worker = (id: string) =>
  FunctionsApp.define(id, {
    runtime: 'node',
    functions: { work: { trigger: 'queue', queueName: `${id.toLowerCase()}-jobs`, handler: TICK } },
  });
const users = () => CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } });

describe('queue triggers run under their component identity', () => {
  const backend = defineBackend(
    { users: users(), orders: worker('OrderWorker') },
    { environment: 'prod' },
  );
  const json = synth(backend);
  const app = functionApps(json.resource)[0]!;
  const settings = app['app_settings'] as Record<string, string>;
  const identities = json.resource['azurerm_user_assigned_identity'] ?? {};
  const [workerIdentity] = Object.keys(identities).filter((n) => n.endsWith('_OrderWorker'));
  const roles = Object.values(json.resource['azurerm_role_assignment'] ?? {});

  it('names the component identity on the connection', () => {
    expect(settings['ORDER_WORKER_STORAGE__queueServiceUri']).toMatch(
      /queue_endpoint|\.queue\.core\.windows\.net/,
    );
    expect(settings['ORDER_WORKER_STORAGE__credential']).toBe('managedidentity');
    expect(settings['ORDER_WORKER_STORAGE__clientId']).toBe(
      `\${azurerm_user_assigned_identity.${workerIdentity}.client_id}`,
    );
    // A CrudApi has no queue connection.
    expect(Object.keys(settings).filter((k) => k.startsWith('USER_API_STORAGE__'))).toEqual([]);
  });

  it('grants that identity Storage Queue Data Contributor on the account holding the queue, and nothing to the CrudApi', () => {
    const queueRoles = roles.filter(
      (r) =>
        r['role_definition_name'] === 'Storage Queue Data Contributor' &&
        r['principal_id'] === `\${azurerm_user_assigned_identity.${workerIdentity}.principal_id}`,
    );
    expect(queueRoles).toHaveLength(1);
    const queue = Object.values(json.resource['azurerm_storage_queue'] ?? {}).find(
      (q) => q['name'] === 'orderworker-jobs',
    )!;
    const account = /azurerm_storage_account\.([^.]+)\.id/.exec(
      String(queue['storage_account_id']),
    )![1]!;
    expect(queueRoles[0]!['scope']).toBe(`\${azurerm_storage_account.${account}.id}`);
    const [userIdentity] = Object.keys(identities).filter((n) => n.endsWith('_UserApi'));
    expect(roles.some((r) => String(r['principal_id']).includes(`${userIdentity}.`))).toBe(false);
    expectHonest(backend.plan(), json);
  });

  it('a backend without queue triggers plans and creates no queue role', () => {
    const plain = defineBackend({ users: users() });
    const out = synth(plain);
    const components = Object.keys(out.resource['azurerm_user_assigned_identity'] ?? {}).filter(
      (n) => n.endsWith('_UserApi'),
    );
    expect(components).toHaveLength(1);
    // Storage roles go to the host identity only; the component identity holds its Cosmos DB role and nothing else.
    expect(
      Object.values(out.resource['azurerm_role_assignment'] ?? {}).filter((r) =>
        String(r['principal_id']).includes(`.${components[0]!}.`),
      ),
    ).toEqual([]);
    expectHonest(plain.plan(), out);
  });
});
