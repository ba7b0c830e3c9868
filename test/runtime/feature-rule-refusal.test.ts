/**
 * A feature-gated access rule's 403 (docs/packaging.md, "an access rule with `feature`") through the CRUD routes
 * against the local Cosmos DB server: on a plan without the feature the rule drops out, and the refusal names the
 * feature and the plans that include it — in its detail and as the 402 `feature-not-in-plan` names them
 * (`feature`, `plans`) — so a page can say what would allow it; on a plan with the feature the same create passes.
 */
import { describe, expect, it } from 'vitest';
import { plansFile, plansRuntime } from '../model/plans-app.js';
import type { ModelPlan } from '../model/plans-reference.js';

const containers = plansFile();

describe('a feature-gated access rule refused on a plan without the feature', () => {
  it('403 access-denied names the feature and the plans that have it; the plan with it creates', async () => {
    const now = Date.parse('2026-03-02T10:00:00.000Z');
    const plans: readonly { readonly features?: readonly string[] }[] = [
      { features: ['reports'] },
      { features: [] },
      { features: ['reports'] },
    ];
    const api = await plansRuntime(
      containers(),
      7,
      plans as readonly ModelPlan[],
      undefined,
      () => now,
      [
        { allow: 'authenticated', operations: ['read', 'list'] },
        { allow: 'authenticated', operations: ['create'], feature: 'reports' },
      ],
    );
    const refused = await api.create('own', 1, 0, api.nextId('own'), 3);
    expect(refused.status).toBe(403);
    const body = refused.body as Record<string, unknown>;
    expect(body['type']).toBe('urn:atakora:problem:access-denied');
    const withIt = [api.planNames[0], api.planNames[2]];
    expect(body).toMatchObject({ feature: 'reports', plans: withIt });
    const detail = String(body['detail']);
    expect(detail).toContain("'reports'");
    for (const plan of withIt) expect(detail).toContain(String(plan));
    expect(detail).not.toContain(String(api.planNames[1]));

    const created = await api.create('own', 0, 0, api.nextId('own'), 3);
    expect(created.status).toBe(201);
  });
});
