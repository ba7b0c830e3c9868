import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { AtakoraError } from '../../src/model/errors.js';

// `mcp: { authorization }` (DESIGN.md §2 "Agents that sign in to an organization"): defaults, bounds named by key,
// the runtime manifest carrying it, and the plan error of a consent page no one could reach.

const tickets = () =>
  CrudApi.define('TicketApi', {
    entityName: 'Ticket',
    schema: { id: 'string', title: 'string' },
    partitionKey: '/tenantId',
  });

const thrown = (f: () => unknown): AtakoraError => {
  try {
    f();
  } catch (e) {
    if (e instanceof AtakoraError) return e;
    throw e;
  }
  throw new Error('expected an AtakoraError');
};

describe('mcp.authorization', () => {
  it('defaults: 10-minute access tokens, 30-day refresh tokens, 20 grants, no registration', () => {
    expect(normalizeConfig({ mcp: { authorization: true } }).mcp).toEqual({
      writes: false,
      authorization: {
        registration: false,
        accessTokenMinutes: 10,
        refreshTokenDays: 30,
        grantsPerPerson: 20,
      },
    });
    expect(normalizeConfig({ mcp: true }).mcp).toEqual({ writes: false });
    expect(normalizeConfig({ mcp: { writes: true, authorization: false } }).mcp).toEqual({
      writes: true,
    });
  });

  it('keeps the values given', () => {
    const a = normalizeConfig({
      mcp: {
        authorization: {
          registration: true,
          accessTokenMinutes: 60,
          refreshTokenDays: 7,
          grantsPerPerson: 3,
        },
      },
    }).mcp?.authorization;
    expect(a).toEqual({
      registration: true,
      accessTokenMinutes: 60,
      refreshTokenDays: 7,
      grantsPerPerson: 3,
    });
  });

  it('an out-of-bounds value is CONFIG_INVALID naming its key', () => {
    const keys = ['accessTokenMinutes', 'refreshTokenDays', 'grantsPerPerson'] as const;
    const bad = fc.oneof(
      fc.record({ key: fc.constant('accessTokenMinutes' as const), v: fc.integer({ min: 61 }) }),
      fc.record({ key: fc.constantFrom(...keys), v: fc.integer({ max: 0 }) }),
      fc.record({
        key: fc.constantFrom(...keys),
        v: fc.double({ min: 1.01, max: 59.99, noNaN: true }).filter((n) => !Number.isInteger(n)),
      }),
    );
    fc.assert(
      fc.property(bad, ({ key, v }) => {
        const e = thrown(() => normalizeConfig({ mcp: { authorization: { [key]: v } } }));
        expect(e.code).toBe('CONFIG_INVALID');
        expect(e.path).toEqual(['config', 'mcp', 'authorization', key]);
      }),
    );
  });

  it('registration that is not a boolean is CONFIG_INVALID naming the key', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.boolean())),
        (v) => {
          const e = thrown(() =>
            normalizeConfig({ mcp: { authorization: { registration: v as never } } }),
          );
          expect(e.code).toBe('CONFIG_INVALID');
          expect(e.path).toEqual(['config', 'mcp', 'authorization', 'registration']);
        },
      ),
    );
    const plan = defineBackend(
      { tickets: tickets() },
      { mcp: { authorization: { registration: true } } },
    ).plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('an unknown key under authorization is named', () => {
    const e = thrown(() =>
      normalizeConfig({ mcp: { authorization: { accesTokenMinutes: 5 } as never } }),
    );
    expect(e.code).toBe('CONFIG_UNKNOWN_KEY');
    expect(e.message).toContain('accessTokenMinutes');
  });

  it("is a plan error on an API with auth: 'none'", () => {
    const plan = defineBackend(
      { tickets: tickets() },
      { mcp: { authorization: true }, auth: 'none' },
    ).plan();
    const issue = plan.issues.find((i) => i.code === 'MCP_AUTHORIZATION_SIGN_IN_OFF');
    expect(issue?.severity).toBe('error');
    expect(issue?.path).toEqual(['config', 'mcp', 'authorization']);
    const fine = defineBackend({ tickets: tickets() }, { mcp: { authorization: true } }).plan();
    expect(fine.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });
});
