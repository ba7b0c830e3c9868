/**
 * How a deployed app finds the webhooks' change feed triggers (runtime/start-runtime.ts): a tenant-scoped entity gets
 * `atakora-webhooks-<id>` when the app has its CrudApi's change feed connection (`<PREFIX>_CHANGE_FEED__accountEndpoint`,
 * which the plan gives it when a plan includes webhooks, plan/phases/webhook-feed-requirements.ts); a shared entity,
 * or an app without the setting, gets none.
 */
import type { CosmosDBv4FunctionOptions } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import type { RuntimeManifest } from '../../../src/model/runtime-manifest.js';
import { startRuntime } from '../../../src/runtime/start-runtime.js';
import { noteEntity, orderEntity } from '../support/entities.js';
import { membershipAuth } from '../support/registry-auth.js';

const auth = membershipAuth(
  'home',
  { plans: { pro: { features: ['webhooks'] } }, defaultPlan: 'pro' },
  { audit: 'audit' },
);
const manifest: RuntimeManifest = {
  version: 1,
  backendId: 'orgs',
  entities: [noteEntity, orderEntity],
  auth,
};

function env(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const e: Record<string, string | undefined> = { ATAKORA_MANIFEST: JSON.stringify(manifest) };
  for (const entity of manifest.entities) {
    e[entity.settings.endpoint] = 'https://orgs.documents.azure.com:443/';
    e[entity.settings.database] = 'orgs';
    e[entity.settings.container] = entity.route;
  }
  return { ...e, ...extra };
}

function feedsOf(settings: Record<string, string | undefined>) {
  const feeds = new Map<string, CosmosDBv4FunctionOptions>();
  const result = startRuntime(
    {
      http: () => undefined,
      storageQueue: () => undefined,
      timer: () => undefined,
      cosmosDB: (n, o) => feeds.set(n, o),
    },
    settings,
  );
  expect(result.ok, result.ok ? '' : result.error.message).toBe(true);
  return feeds;
}

describe('the webhooks’ change feed triggers at start', () => {
  it('registers the tenant-scoped entity’s on its CrudApi’s connection, leases beside its container', () => {
    const feeds = feedsOf(
      env({
        NOTE_API_CHANGE_FEED__accountEndpoint: 'https://orgs.documents.azure.com:443/',
        ORDER_API_CHANGE_FEED__accountEndpoint: 'https://orgs.documents.azure.com:443/',
      }),
    );
    expect([...feeds.keys()]).toEqual(['atakora-webhooks-NoteApi']);
    expect(feeds.get('atakora-webhooks-NoteApi')).toMatchObject({
      connection: 'NOTE_API_CHANGE_FEED',
      databaseName: 'orgs',
      containerName: 'notes',
      leaseContainerName: 'notes-leases',
      leaseContainerPrefix: 'atakora-webhooks.',
    });
  });

  it('reads tenant events from the audit container when ATAKORA_WEBHOOK_AUDIT_FEED names a change feed connection', () => {
    const feeds = feedsOf(
      env({
        NOTE_API_CHANGE_FEED__accountEndpoint: 'https://orgs.documents.azure.com:443/',
        ATAKORA_WEBHOOK_AUDIT_FEED: 'NOTE_API_CHANGE_FEED',
      }),
    );
    expect(feeds.get('atakora-webhooks-audit')).toMatchObject({
      connection: 'NOTE_API_CHANGE_FEED',
      databaseName: 'atakora',
      containerName: 'audit',
      leaseContainerName: 'audit-leases',
      leaseContainerPrefix: 'atakora-webhooks.',
    });
    // A connection the app does not have (no endpoint setting): none, the audit log's writes record them.
    const missing = feedsOf(env({ ATAKORA_WEBHOOK_AUDIT_FEED: 'OTHER_CHANGE_FEED' }));
    expect(missing.has('atakora-webhooks-audit')).toBe(false);
  });

  it('registers none without the connection (a plan without webhooks)', () => {
    expect([...feedsOf(env()).keys()]).toEqual([]);
  });
});
