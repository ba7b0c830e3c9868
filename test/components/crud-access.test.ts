import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { CrudApiConfig } from '../../src/components/crud/config.js';
import type { AccessRule, RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { renderPlanMarkdown, renderPlanText } from '../../src/plan/render/index.js';
import { parseManifest } from '../../src/runtime/manifest-loader.js';
import { functionApps } from '../support/app-packages.js';
import { synth, thrown } from '../support/synth.js';
import { rule } from '../runtime/support/access-reference.js';

// `access` and `ownerField` are checked at define time, carried in the plan (per
// component), rendered, and reach the runtime manifest the app reads back.

const notes = (extra: Partial<CrudApiConfig> = {}) =>
  CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string', text: 'string' },
    partitionKey: '/tenantId',
    ...extra,
  });
const RULES: AccessRule[] = [
  { allow: 'owner' },
  { allow: 'role', role: 'NoteAdmin' },
  { allow: 'authenticated', operations: ['read', 'list'] },
];
const BYO = { auth: { clientId: '11111111-2222-3333-4444-555555555555' } };

function manifestOf(backend: Parameters<typeof synth>[0]): RuntimeManifest {
  const apps = functionApps(synth(backend).resource) as { app_settings: Record<string, string> }[];
  return JSON.parse(apps[0]!.app_settings['ATAKORA_MANIFEST']!) as RuntimeManifest;
}

describe('CrudApi access rules as data', () => {
  it('reach the plan (per component), the renderers and the runtime manifest; no access → the default, not written to the manifest', () => {
    const backend = defineBackend(
      {
        notes: notes({ access: RULES, ownerField: 'authorId' }),
        plain: CrudApi.define('PlainApi', { entityName: 'Plain', schema: { id: 'string' } }),
      },
      BYO,
    );
    const plan = backend.plan();
    const byKey = Object.fromEntries(plan.components.map((c) => [c.key, c.outputs]));
    expect(byKey.notes!.access).toEqual(RULES);
    expect(byKey.notes!.ownerField).toBe('authorId');
    expect(byKey.plain!.access).toEqual([{ allow: 'authenticated' }]);
    expect(backend.components.notes.access).toEqual(RULES);
    expect(renderPlanText(plan)).toContain(
      'notes (NoteApi): owner; role NoteAdmin; authenticated (read, list) [owner field authorId]',
    );
    expect(renderPlanMarkdown(plan)).toContain(
      '| notes (NoteApi) | owner; role NoteAdmin; authenticated (read, list) | `authorId` |',
    );
    const manifest = manifestOf(backend);
    const byId = Object.fromEntries(manifest.entities.map((e) => [e.componentId, e]));
    expect(byId.NoteApi!.access).toEqual(RULES);
    expect(byId.NoteApi!.ownerField).toBe('authorId');
    expect(byId.PlainApi!.access).toBeUndefined();
    expect(
      parseManifest(JSON.stringify(manifest)).entities.find((e) => e.componentId === 'NoteApi')!
        .access,
    ).toEqual(RULES);
  });

  it('any valid rule list is accepted as written (operations in canonical order) and survives a plan JSON round trip (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 4 }), (rules) => {
        const plan = defineBackend({ notes: notes({ access: rules }) }, BYO).plan();
        const out = plan.components[0]!.outputs.access as AccessRule[];
        expect(out.map((r) => r.allow)).toEqual(rules.map((r) => r.allow));
        expect(out.map((r) => (r.allow === 'role' ? r.role : undefined))).toEqual(
          rules.map((r) => (r.allow === 'role' ? r.role : undefined)),
        );
        out.forEach((r, i) =>
          expect(new Set(r.operations ?? [])).toEqual(new Set(rules[i]!.operations ?? [])),
        );
        expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
      }),
      { numRuns: 60 },
    );
  });

  it.each([
    [{ access: [] }, ['access']],
    [{ access: [{ allow: 'admins' }] }, ['access', 0, 'allow']],
    [{ access: [{ allow: 'role' }] }, ['access', 0, 'role']],
    [{ access: [{ allow: 'role', role: 'Note Admin' }] }, ['access', 0, 'role']],
    [{ access: [{ allow: 'owner', role: 'NoteAdmin' }] }, ['access', 0, 'role']],
    [
      { access: [{ allow: 'owner' }, { allow: 'authenticated', operations: ['write'] }] },
      ['access', 1, 'operations'],
    ],
    [{ access: [{ allow: 'owner', operations: [] }] }, ['access', 0, 'operations']],
    [{ ownerField: 'tenantId' }, ['ownerField']],
    [{ ownerField: 'a"b' }, ['ownerField']],
  ])('refuses %j with CRUD_ACCESS_INVALID at its path', (extra, path) => {
    const e = thrown(() => notes(extra as Partial<CrudApiConfig>));
    expect(e.code).toBe('CRUD_ACCESS_INVALID');
    expect(e.path).toEqual(['components', 'NoteApi', 'config', ...path]);
    expect(e.resolution).toBeTruthy();
  });

  it('a misspelt rule key is CONFIG_UNKNOWN_KEY with the key meant', () => {
    const e = thrown(() =>
      notes({ access: [{ allow: 'owner', operation: ['read'] } as unknown as AccessRule] }),
    );
    expect(e.code).toBe('CONFIG_UNKNOWN_KEY');
    expect(e.message).toContain('"operations"');
  });
});
