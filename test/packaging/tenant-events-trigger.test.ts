/**
 * The package registers a `tenant-events` function as the Cosmos DB trigger of the registry's `audit` container (its
 * lease prefix its own, a retry policy); each audit entry that is one of its events reaches the handler as a
 * TenantEvent whose id is the entry's, others are skipped; a handler that throws fails the batch after every event
 * was tried, so the host delivers it again with the same ids.
 */
import type { CosmosDBv4LatestVersionFunctionOptions } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import type { TenantEvent } from '../../src/contract/tenant-events.js';
import {
  type HostedRegistrar,
  registerHostedFunctions,
} from '../../src/packaging/register-hosted.js';
import { TenantEventsFailed } from '../../src/runtime/events/tenant-event-delivery.js';
import { makeContext } from '../runtime/support/http.js';

const planned = {
  name: 'Mail-welcome',
  componentId: 'Mail',
  trigger: 'tenant-events' as const,
  handler: './src/welcome.ts',
  events: ['member.added', 'tenant.deleted', 'tenant.undeleted'],
  connection: 'MAIL_CHANGE_FEED',
  database: 'atakora',
  container: 'audit',
  leaseContainer: 'audit-leases',
};
const entry = (id: string, action: string, target = 'u-2') => ({
  id,
  at: '2026-03-01T09:30:00.000Z',
  tenant: 'acme',
  actor: { id: 'u-2', email: 'bo@example.com', via: 'api' },
  action,
  target,
  changes: { roles: { to: ['Member'] } },
  ttl: 7_776_000,
  _etag: '"1"',
  _ts: 1,
});

function registered(exported: (e: TenantEvent) => unknown): CosmosDBv4LatestVersionFunctionOptions {
  const triggers = new Map<string, CosmosDBv4LatestVersionFunctionOptions>();
  const app: HostedRegistrar = {
    http: () => undefined,
    storageQueue: () => undefined,
    timer: () => undefined,
    cosmosDB: (name, options) => {
      triggers.set(name, options);
    },
  };
  registerHostedFunctions(app, [{ ...planned, exported }], {});
  const t = triggers.get('Mail-welcome');
  if (!t) throw new Error('not registered');
  return t;
}

describe('the trigger of a tenant-events function', () => {
  it('reads the audit container with its own lease prefix and a retry policy', () => {
    expect(registered(() => undefined)).toMatchObject({
      connection: 'MAIL_CHANGE_FEED',
      databaseName: 'atakora',
      containerName: 'audit',
      leaseContainerName: 'audit-leases',
      leaseContainerPrefix: 'Mail-welcome.',
      createLeaseContainerIfNotExists: false,
      retry: { strategy: 'exponentialBackoff', maxRetryCount: 5 },
    });
  });

  it('hands over the events it takes, in feed order, each with the entry id; skips the rest', async () => {
    const seen: TenantEvent[] = [];
    const t = registered((e) => {
      seen.push(e);
    });
    await t.handler(
      [
        entry('e1', 'member.added'),
        entry('e2', 'organization.renamed', 'acme'),
        entry('e3', 'member.removed'),
        entry('e4', 'organization.deleted', 'acme'),
        entry('e5', 'member.joined', 'u-3'),
        entry('e6', 'organization.undeleted', 'acme'),
        { id: 'x', note: 'no audit entry' },
      ],
      makeContext(),
    );
    expect(seen).toEqual([
      {
        id: 'e1',
        type: 'member.added',
        tenant: 'acme',
        actor: { id: 'u-2', email: 'bo@example.com', via: 'api' },
        subject: { kind: 'member', id: 'u-2' },
        at: '2026-03-01T09:30:00.000Z',
        changes: { roles: { to: ['Member'] } },
      },
      expect.objectContaining({
        id: 'e4',
        type: 'tenant.deleted',
        subject: { kind: 'organization', id: 'acme' },
      }),
      // A member who joined without an invitation (a verified domain, a linked directory) is added all the same.
      expect.objectContaining({
        id: 'e5',
        type: 'member.added',
        subject: { kind: 'member', id: 'u-3' },
      }),
      // An Owner's undelete (DESIGN §2): the organization is back.
      expect.objectContaining({
        id: 'e6',
        type: 'tenant.undeleted',
        subject: { kind: 'organization', id: 'acme' },
      }),
    ]);
  });

  it('tries every event of a batch, then fails it when a handler threw: redelivered with the same ids', async () => {
    const calls: string[] = [];
    let failing = true;
    const t = registered((e) => {
      calls.push(e.id);
      if (failing && e.id === 'e1') throw new Error('mail service down');
    });
    const batch = [entry('e1', 'member.added'), entry('e2', 'member.added')];
    const failed = await Promise.resolve(t.handler(batch, makeContext())).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(TenantEventsFailed);
    expect((failed as TenantEventsFailed).failed).toEqual(['e1']);
    failing = false;
    await t.handler(batch, makeContext());
    expect(calls).toEqual(['e1', 'e2', 'e1', 'e2']);
  });
});
