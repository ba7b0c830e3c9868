/**
 * Quotas that bind ephemeral environments as a group (previews `pr-*`, sandboxes `sbx-*`): 10 Free Static Web
 * Apps per subscription, 250 directory objects per non-admin creator (deleted ones counting for 30 days). The
 * plan of such an environment says how many fit; a long-lived one says nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { StaticSite, StaticSiteWithCdn } from '../../src/components/web/index.js';
import { isEphemeralEnvironment } from '../../src/plan/checks/ephemeral-quotas.js';
import { sandboxEnvironment } from '../../src/cli/deploy/sandbox-name.js';

const api = () => CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } });
const codes = (environment: string, defs: Record<string, unknown>, extra = {}) =>
  defineBackend(defs as never, { environment, ...extra })
    .plan()
    .issues.filter((i) => i.code.startsWith('EPHEMERAL_'));

describe('ephemeral environments', () => {
  it('previews and sandboxes are ephemeral; production is not', () => {
    expect(isEphemeralEnvironment('pr-7')).toBe(true);
    expect(
      isEphemeralEnvironment(sandboxEnvironment({ name: 'ada@contoso.com', tenantId: 't' })),
    ).toBe(true);
    for (const env of ['prod', 'production', 'dev', 'staging', 'preprod', 'sbx']) {
      expect(isEphemeralEnvironment(env)).toBe(false);
    }
  });

  it('a preview with one Free site and sign-in: both notes, with how many previews fit', () => {
    const notes = codes('pr-7', { api: api(), portal: StaticSite.define('Portal') });
    expect(notes.map((n) => [n.code, n.severity])).toEqual([
      ['EPHEMERAL_DIRECTORY_OBJECTS', 'warning'],
      ['EPHEMERAL_FREE_STATIC_SITES', 'warning'],
    ]);
    const sites = notes.find((n) => n.code === 'EPHEMERAL_FREE_STATIC_SITES')!;
    expect(sites.message).toContain('10 Free apps per subscription');
    expect(sites.message).toContain('at most 10 such environment(s)');
    expect(sites.components).toEqual(['Portal']);
    // API registration + its service principal, the site's SPA registration + its service principal.
    const objects = notes.find((n) => n.code === 'EPHEMERAL_DIRECTORY_OBJECTS')!;
    expect(objects.message).toContain('creates 4 directory object(s)');
    expect(objects.message).toContain('may create 250');
    expect(objects.message).toContain('about 62 such environments in 30 days');
    expect(objects.resolution).toContain('permanently delete');
  });

  it('Standard sites do not count toward the Free quota; two Free sites halve what fits', () => {
    const standard = codes('pr-8', {
      api: api(),
      portal: StaticSite.define('Portal', { sku: 'Standard' }),
    });
    expect(standard.map((n) => n.code)).toEqual(['EPHEMERAL_DIRECTORY_OBJECTS']);
    const two = codes('sbx-ada-12345', {
      portal: StaticSite.define('Portal'),
      admin: StaticSiteWithCdn.define('Admin'),
    }).find((n) => n.code === 'EPHEMERAL_FREE_STATIC_SITES')!;
    expect(two.message).toContain('at most 5 such environment(s)');
  });

  it('a preview or sandbox with realtime on Free_F1: how many fit the 5 Free units of a subscription and region', () => {
    const notes = CrudApi.define('NoteApi', {
      entityName: 'Note',
      schema: { id: 'string' },
      realtime: true,
    });
    const free = codes('sbx-ada-12345', { notes }, { auth: 'none', location: 'westeurope' });
    expect(free.map((n) => [n.code, n.severity])).toEqual([
      ['EPHEMERAL_FREE_WEB_PUBSUB', 'warning'],
    ]);
    expect(free[0]!.message).toContain('5 Free units per subscription and region');
    expect(free[0]!.message).toContain(
      'at most 5 such environment(s) can live at once in westeurope',
    );
    expect(free[0]!.components).toEqual(['NoteApi']);
    expect(free[0]!.resolution).toContain("realtime: { sku: 'Standard_S1' }");
    // A paid tier, or a long-lived environment: no note.
    expect(
      codes('pr-3', { notes }, { auth: 'none', realtime: { sku: 'Standard_S1' } }).map(
        (n) => n.code,
      ),
    ).toEqual([]);
    expect(codes('dev', { notes }, { auth: 'none' })).toEqual([]);
  });

  it("auth: 'none' and an existing registration create no directory objects: no note", () => {
    expect(codes('pr-9', { api: api() }, { auth: 'none' })).toEqual([]);
    expect(
      codes('pr-9', { api: api() }, { auth: { clientId: '11111111-2222-4333-8444-555555555555' } }),
    ).toEqual([]);
  });

  it('property: no note outside pr-*/sbx-* environments, whatever the components', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/).filter((e) => !isEphemeralEnvironment(e)),
        fc.boolean(),
        (environment, site) => {
          const defs: Record<string, unknown> = { api: api() };
          if (site) defs['portal'] = StaticSite.define('Portal');
          expect(codes(environment, defs)).toEqual([]);
        },
      ),
      { numRuns: 25 },
    );
  });
});
