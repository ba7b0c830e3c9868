import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { defineComponent } from '../../src/components/custom/define.js';
import { ErrorCodes } from '../../src/model/error-codes.js';
import { AtakoraError } from '../../src/model/errors.js';
import { AtakoraFault, ISSUES_URL } from '../../src/model/fault.js';
import { PLAN_ISSUE_CODES } from '../../src/model/issue-codes.js';
import type { PlanIssue } from '../../src/model/plan.js';
import { diffPlans } from '../../src/plan/diff/diff.js';
import { resourcePlanSchema } from '../../src/plan/plan-schema.js';

const root = resolve(import.meta.dirname, '../..');
const bus = (queues: string[]) =>
  defineComponent({
    type: 'Events',
    id: 'Events',
    config: {},
    requirements: () => [
      {
        resourceType: 'servicebus',
        requirementKey: 'bus',
        config: { queues: queues.map((name) => ({ name })) },
      },
    ],
  });

describe('PlanIssue: a discriminated union on code, with typed details', () => {
  it("narrowing on code gives the code's details (STATEFUL_REMOVAL names the resource and address)", () => {
    const diff = diffPlans(
      defineBackend({ e: bus(['a', 'b']) }).plan(),
      defineBackend({ e: bus(['a']) }).plan(),
    );
    const removal = diff.issues.find(
      (i): i is Extract<PlanIssue, { code: 'STATEFUL_REMOVAL' }> => i.code === 'STATEFUL_REMOVAL',
    );
    expect(removal?.details).toEqual({
      resourceKey: 'servicebus:shared',
      address: 'azurerm_servicebus_queue.backend_servicebus_shared_queue_b',
    });
  });

  it('keeps the serialized shape: the plan schema accepts issues with details, and rejects unknown fields', () => {
    const plan = defineBackend({ e: bus(['a']) }, { networking: 'isolated' }).plan();
    const warning = plan.issues.find((i) => i.code === 'SERVICEBUS_PREMIUM_FOR_ISOLATION');
    expect(warning).toMatchObject({ severity: 'warning', details: { requestedSku: 'Standard' } });
    expect(resourcePlanSchema.safeParse(JSON.parse(JSON.stringify(plan))).success).toBe(true);
    const odd = { ...plan, issues: [{ ...plan.issues[0]!, extra: 1 }] };
    expect(resourcePlanSchema.safeParse(odd).success).toBe(false);
  });

  it('every issue code in src/ is a PlanIssueCode (an ErrorCode or in PLAN_ISSUE_CODES), and the two tables do not overlap', () => {
    const known = new Set([...Object.keys(ErrorCodes), ...Object.keys(PLAN_ISSUE_CODES)]);
    const used = new Set<string>();
    for (const f of readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter(
      (x) => x.endsWith('.ts'),
    )) {
      for (const m of readFileSync(join(root, 'src', f), 'utf8').matchAll(
        /\bcode:\s*['"]([A-Z][A-Z0-9_]+)['"]/g,
      ))
        used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(30);
    expect([...used].filter((c) => !known.has(c) && c !== 'INTERNAL_FAULT')).toEqual([]);
    expect(Object.keys(PLAN_ISSUE_CODES).filter((c) => c in ErrorCodes)).toEqual([]);
  });
});

describe("AtakoraFault: the library's own bug, never mistaken for the user's error", () => {
  it('says it is a bug and where to report it, and is no AtakoraError', () => {
    const f = new AtakoraFault('the plan promised x', { details: { key: 'x' } });
    expect(f).toBeInstanceOf(Error);
    expect(f).not.toBeInstanceOf(AtakoraError);
    expect(f.name).toBe('AtakoraFault');
    expect(f.code).toBe('INTERNAL_FAULT');
    expect(f.message).toContain('This is a bug in @atakora/component, not in your code');
    expect(f.message).toContain(ISSUES_URL);
    expect(f.details).toEqual({ key: 'x' });
  });

  it('is recognised across copies of the package by its registered brand', () => {
    const foreign = Object.create({
      [Symbol.for('@atakora/component/AtakoraFault')]: true,
    }) as object;
    expect(foreign instanceof AtakoraFault).toBe(true);
    expect(new Error('x') instanceof AtakoraFault).toBe(false);
  });

  it('matches package.json bugs.url', () => {
    expect(
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bugs: { url: string } })
        .bugs.url,
    ).toBe(ISSUES_URL);
  });
});
