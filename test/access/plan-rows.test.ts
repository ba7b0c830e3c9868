/**
 * The access matrix per plan (src/access/matrix/plan-rows.ts; DESIGN §2 "Plans that package the product"): for any
 * plans' features, each feature set's cells are the committed ones where the plan has what a row needs, a rule with
 * `feature` drops out where it does not (the caller falls to the other rules), and a built-in gate the plan lacks
 * answers 402 to every column that reaches it, naming the plans that include the feature. The expectations here are
 * written from DESIGN's words, not from the code under test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveAccessMatrix } from '../../src/access/matrix/derive.js';
import { planMatrices, planSets } from '../../src/access/matrix/plan-rows.js';
import { signInOf } from '../../src/access/matrix/sign-in.js';
import type { Backend } from '../../src/backend/backend.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { admissionPolicy } from '../../src/kit/pure/tenant-registry.js';

const GATED = ['search', 'audit', 'mcp', 'domains', 'scim'] as const;

/** Reports created under the application's `reports` feature (an Admin deletes under it too), notes searched. */
function apis() {
  return {
    reports: CrudApi.define('ReportApi', {
      entityName: 'Report',
      schema: { id: 'string', title: 'string' },
      access: [
        { allow: 'authenticated', operations: ['read', 'list'] },
        { allow: 'authenticated', operations: ['create'], feature: 'reports' },
        { allow: 'role', role: 'Admin', operations: ['delete'], feature: 'reports' },
      ],
    }),
    notes: CrudApi.define('NoteApi', {
      entityName: 'Note',
      schema: { id: 'string', title: 'string' },
      search: { text: ['title'] },
    }),
  };
}

function packaged(plans: Record<string, { features?: string[] }>) {
  return defineBackend(apis(), {
    backendId: 'packaged',
    mcp: true,
    tenants: {
      by: 'membership',
      roles: ['Admin', 'Member'],
      createTenants: 'any-user',
      plans,
      defaultPlan: Object.keys(plans)[0] ?? 'free',
    },
  });
}

/** The same CrudApis on a registry of directories (`allowedTenants: 'registry'`): each directory on a plan. */
function registered(plans: Record<string, { features?: string[] }>, signUp: 'invite' | 'open') {
  return defineBackend(apis(), {
    backendId: 'packaged',
    mcp: true,
    auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
    tenants: { plans, defaultPlan: Object.keys(plans)[0] ?? 'free', signUp },
  });
}

function matricesOf(
  plans: Record<string, { features?: string[] }>,
  backend: Backend = packaged(plans),
) {
  const signIn = signInOf(
    {
      required: true,
      tenantClaim: 'tid',
      trustTenantHeader: false,
      ...admissionPolicy(backend.config),
    },
    undefined,
  );
  const plan = backend.plan();
  const committed = deriveAccessMatrix(plan, signIn, backend.config.mcp);
  return { committed, perPlan: planMatrices(plan, signIn, backend.config.mcp, plans, committed) };
}

const member = (p: { oid?: string; tid?: string; organization?: string; scim?: string }) =>
  p.oid !== undefined &&
  p.scim === undefined &&
  p.organization !== undefined &&
  p.tid === p.organization;

describe('the access matrix per plan', () => {
  it('has no plan rows when no plan lists features (backends of today unchanged)', () => {
    expect(planSets({ free: {}, pro: {} })).toEqual([]);
    expect(matricesOf({ free: {}, pro: {} }).perPlan).toEqual([]);
  });

  it('groups plans by their features, a plan without `features` having none once one lists them', () => {
    expect(
      planSets({
        pro: { features: ['audit'] },
        free: {},
        team: { features: ['audit'] },
        none: { features: [] },
      }),
    ).toEqual([
      { plans: ['free', 'none'], features: [] },
      { plans: ['pro', 'team'], features: ['audit'] },
    ]);
  });

  it('derives each plan set: featured rules drop out, the built-in gates answer 402 naming the plans', () => {
    const subset = fc.subarray([...GATED, 'reports']);
    fc.assert(
      fc.property(subset, subset, (a, b) => {
        // `pro` lists `reports` always: a rule naming a feature no plan lists is a plan error.
        const plans: Record<string, { features?: string[] }> = {
          basic: { features: a },
          pro: { features: [...new Set([...b, 'reports'])] },
          free: {},
        };
        const { committed, perPlan } = matricesOf(plans);
        const names = (f: string) =>
          Object.entries(plans)
            .filter(([, p]) => (p.features ?? []).includes(f))
            .map(([n]) => n)
            .sort();
        expect(
          perPlan
            .map((m) => m.set.plans)
            .flat()
            .sort(),
        ).toEqual(['basic', 'free', 'pro']);
        for (const m of perPlan) {
          const has = (f: string) => m.set.features.includes(f);
          for (const row of m.rows) {
            const base = committed.rows.find(
              (r) =>
                r.kind === row.kind &&
                r.component === row.component &&
                r.operation === row.operation,
            );
            const key = `${row.component} ${row.operation}`;
            const needs =
              row.kind === 'mcp'
                ? ['mcp', ...(row.operation === 'mcp:search' ? ['search'] : [])]
                : row.kind === 'crud' && row.operation === 'search'
                  ? ['search']
                  : row.kind === 'organization'
                    ? row.operation.startsWith('domains:') ||
                      row.operation === 'join-requests:approve'
                      ? ['domains']
                      : row.operation.startsWith('scim')
                        ? ['scim']
                        : row.operation === 'audit:list'
                          ? ['audit']
                          : []
                    : [];
            const missing = needs.find((f) => !has(f));
            expect(m.gates[key]).toEqual(
              missing ? { feature: missing, plans: names(missing) } : undefined,
            );
            for (const p of committed.principals) {
              const cell = row.cells[p.key];
              const was = base?.cells[p.key];
              const featured =
                row.component === 'ReportApi' &&
                (row.operation === 'create' ||
                  row.operation === 'mcp:create' ||
                  row.operation === 'delete');
              // A live SCIM token reaches the gate as a member does (its other cells are the 401 that stays).
              if (missing && (member(p) || p.scim === 'valid')) {
                // The MCP endpoint and REST gates answer 402 before the rules; a tool gated by its route's feature
                // is unlisted (402 on its call) only where the caller may call it.
                if (row.kind === 'mcp' && missing !== 'mcp')
                  expect(cell).toBe(typeof was === 'number' ? was : 402);
                else if (was !== 401 && was !== 404 && was !== 405) expect(cell).toBe(402);
                else expect(cell).toBe(was);
              } else if (missing) expect(cell).toBe(was);
              else if (featured && !has('reports') && member(p)) expect(cell).toBe(403);
              else expect(cell).toBe(was);
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  });
  it("on a registry of directories, the gates' 402 reaches every admitted directory's user, never a refused one", () => {
    const subset = fc.subarray(['search', 'mcp', 'reports']);
    fc.assert(
      fc.property(subset, fc.constantFrom('invite', 'open'), (a, signUp) => {
        const plans: Record<string, { features?: string[] }> = {
          basic: { features: a },
          pro: { features: ['search', 'mcp', 'reports'] },
        };
        const { committed, perPlan } = matricesOf(plans, registered(plans, signUp));
        const keys = committed.principals.map((p) => p.key);
        expect(keys).toEqual([
          'anonymous',
          'home.owner',
          'home.other',
          'home.role.Admin',
          'other.owner',
          'other.other',
          'other.role.Admin',
          'stranger',
        ]);
        for (const m of perPlan)
          for (const row of m.rows) {
            const gate = m.gates[`${row.component} ${row.operation}`];
            if (gate === undefined) continue;
            expect(gate.plans).toEqual(
              Object.keys(plans).filter((n) => plans[n]?.features?.includes(gate.feature)),
            );
            const base = committed.rows.find(
              (r) =>
                r.kind === row.kind &&
                r.component === row.component &&
                r.operation === row.operation,
            );
            for (const key of keys) {
              const was = base?.cells[key];
              // Admission comes first: anonymous keeps its 401; an unregistered directory (invite) its 403 —
              // with an open sign-up the stranger is a customer like the other, so it reaches the gate.
              const refused = key === 'anonymous' || (key === 'stranger' && signUp === 'invite');
              const gated =
                row.kind === 'mcp' && gate.feature !== 'mcp'
                  ? typeof was === 'number'
                    ? was
                    : 402
                  : typeof was === 'number' && was !== 403
                    ? was
                    : 402;
              expect(row.cells[key], `${row.component} ${row.operation} ${key}`).toBe(
                refused ? was : gated,
              );
            }
          }
      }),
      { numRuns: 24 },
    );
  });
});
