/**
 * The restorable window of `atakora tenant restore` (src/cli/tenant/restore-window.ts): which instance of an account
 * holds a time, the window's bounds per tier, and the refusals' messages.
 */
import { describe, expect, it } from 'vitest';
import type { CosmosAccount, RestorableAccount } from '../../src/cli/azure/cosmos-accounts.js';
import { AtakoraError } from '../../src/model/errors.js';
import { restoreSource, restoreTime } from '../../src/cli/tenant/restore-window.js';
import { databasesAt } from '../../src/cli/tenant/restore-checks.js';

const NOW = new Date('2026-11-26T12:00:00.000Z');
const live = (tier: string | undefined, type = 'Continuous'): CosmosAccount => ({
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.DocumentDB/databaseAccounts/cosmos-a',
  name: 'cosmos-a',
  location: 'West Europe',
  tags: {},
  properties: {},
  backupType: type,
  ...(tier ? { backupTier: tier } : {}),
});
const instance = (n: string, creationTime: string, extra: Partial<RestorableAccount> = {}) => ({
  id: `/subscriptions/s/providers/Microsoft.DocumentDB/locations/West Europe/restorableDatabaseAccounts/${n}`,
  instanceId: n,
  accountName: 'cosmos-a',
  creationTime,
  ...extra,
});
const refusal = (f: () => unknown): AtakoraError => {
  try {
    f();
  } catch (e) {
    if (e instanceof AtakoraError) return e;
    throw e;
  }
  throw new Error('no refusal');
};

describe('restoreTime', () => {
  it('reads an ISO time with its zone as UTC, and refuses one without', () => {
    expect(restoreTime('2026-11-20T10:00:00+01:00')).toBe('2026-11-20T09:00:00.000Z');
    expect(restoreTime('2026-11-20T09:00Z')).toBe('2026-11-20T09:00:00.000Z');
    expect(restoreTime('2026-11-20T00:30:00.123456-05:30')).toBe('2026-11-20T06:00:00.123Z');
    expect(restoreTime('2028-02-29T23:59:59Z')).toBe('2028-02-29T23:59:59.000Z');
    for (const bad of ['2026-11-20T09:00:00', '2026-11-20', 'yesterday', '2026-13-40T99:00:00Z'])
      expect(refusal(() => restoreTime(bad)).code).toBe('TENANT_RESTORE_TIME_INVALID');
  });

  it('refuses a date the calendar does not have (Date.parse rolls 2026-02-30 over to March 2)', () => {
    expect(new Date(Date.parse('2026-02-30T10:00Z')).toISOString()).toBe(
      '2026-03-02T10:00:00.000Z',
    );
    for (const bad of [
      '2026-02-30T10:00Z',
      '2026-02-29T10:00Z',
      '2100-02-29T10:00Z',
      '2026-06-31T10:00Z',
      '2026-00-10T10:00Z',
      '2026-11-00T10:00Z',
      '2026-11-20T24:00Z',
      '2026-11-20T23:60Z',
      '2026-11-20T23:59:60Z',
      '2026-11-20T10:00+24:00',
      '2026-11-20T10:00+01:60',
      '2026-11-20T10:00+0100',
      '+02026-11-20T10:00Z',
      '2026-11-20T10:00:00.Z',
    ]) {
      const e = refusal(() => restoreTime(bad));
      expect(e.code, bad).toBe('TENANT_RESTORE_TIME_INVALID');
      expect(e.message).toMatch(
        /YYYY-MM-DDThh:mm\[:ss\[\.fff\]\] with Z or an offset ±hh:mm, a real calendar date/,
      );
    }
  });
});

describe('databasesAt', () => {
  const account = {
    name: 'cosmos-a',
    endpoint: 'https://cosmos-a.documents.azure.com:443/',
    databases: new Map([
      ['app-db', new Set(['notes', 'tasks'])],
      ['new-db', new Set(['orders'])],
      ['shared-db', new Set(['mine'])],
    ]),
  };
  it('takes what existed then, a shared-throughput database whole, and names what did not exist', () => {
    const then = [
      { databaseName: 'app-db', collectionNames: ['notes', 'someone-elses'] },
      { databaseName: 'shared-db', collectionNames: ['mine', 'theirs'] },
    ];
    expect(databasesAt(account, then, new Set(['shared-db']))).toEqual({
      databases: [
        { databaseName: 'app-db', collectionNames: ['notes'] },
        { databaseName: 'shared-db', collectionNames: ['mine', 'theirs'] },
      ],
      restored: new Map([
        ['app-db', new Set(['notes'])],
        ['shared-db', new Set(['mine'])],
      ]),
      skipped: ['app-db/tasks', 'new-db/orders'],
    });
    expect(databasesAt(account, [], new Set()).databases).toEqual([]);
  });
});

describe('restoreSource', () => {
  it('takes the live instance for a time in its window; the window starts at creation or 7 days back', () => {
    const s = restoreSource(
      live('Continuous7Days'),
      [instance('i1', '2026-11-25T00:00:00Z')],
      '2026-11-25T06:00:00.000Z',
      NOW,
    );
    expect(s).toEqual({
      restorable: expect.objectContaining({ instanceId: 'i1' }),
      from: '2026-11-25T00:00:00.000Z',
      to: NOW.toISOString(),
    });
    const old = restoreSource(
      live('Continuous7Days'),
      [instance('i1', '2026-01-01T00:00:00Z')],
      '2026-11-20T00:00:00.000Z',
      NOW,
    );
    expect(old.from).toBe('2026-11-19T12:00:00.000Z');
  });

  it('keeps 30 days without a tier (Azure applies Continuous30Days), and honours oldestRestorableTime', () => {
    const inst = [instance('i1', '2026-01-01T00:00:00Z')];
    expect(restoreSource(live(undefined), inst, '2026-11-01T00:00:00.000Z', NOW).from).toBe(
      '2026-10-27T12:00:00.000Z',
    );
    const reported = [
      instance('i1', '2026-01-01T00:00:00Z', { oldestRestorableTime: '2026-11-24T00:00:00Z' }),
    ];
    const e = refusal(() =>
      restoreSource(live('Continuous30Days'), reported, '2026-11-23T00:00:00.000Z', NOW),
    );
    expect(e.message).toMatch(/restorable: 2026-11-24T00:00:00.000Z – 2026-11-26T12:00:00.000Z/);
  });

  it('serves a time before a re-creation from the deleted instance, and prefers the live one where both hold', () => {
    const both = [
      instance('old', '2026-11-20T00:00:00Z', { deletionTime: '2026-11-24T00:00:00Z' }),
      instance('new', '2026-11-22T00:00:00Z'),
    ];
    const before = restoreSource(live('Continuous7Days'), both, '2026-11-21T00:00:00.000Z', NOW);
    expect(before.restorable.instanceId).toBe('old');
    expect(before.to).toBe('2026-11-24T00:00:00Z');
    const overlap = restoreSource(live('Continuous7Days'), both, '2026-11-23T00:00:00.000Z', NOW);
    expect(overlap.restorable.instanceId).toBe('new');
  });

  it('refuses periodic backup, a future time, and an account with no restorable instance', () => {
    const periodic = refusal(() =>
      restoreSource(live(undefined, 'Periodic'), [], '2026-11-25T00:00:00.000Z', NOW),
    );
    expect(periodic.code).toBe('TENANT_RESTORE_UNAVAILABLE');
    expect(periodic.path).toEqual(['backup', 'mode']);
    const future = refusal(() =>
      restoreSource(
        live('Continuous7Days'),
        [instance('i1', '2026-11-01T00:00:00Z')],
        '2026-11-27T00:00:00.000Z',
        NOW,
      ),
    );
    expect(future.message).toMatch(/in the future/);
    const none = refusal(() =>
      restoreSource(live('Continuous7Days'), [], '2026-11-25T00:00:00.000Z', NOW),
    );
    expect(none.message).toMatch(/lists no restorable instance/);
  });
});
