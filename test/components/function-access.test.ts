import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { AtakoraError } from '../../src/model/errors.js';
import { anonymousPaths } from '../../src/resources/functions/auth-settings.js';
import type { HostedFunction } from '../../src/model/requirements.js';

const http = (access?: unknown, route = 'ping') =>
  FunctionsApp.define('Web', {
    runtime: 'node',
    functions: {
      ping: {
        trigger: 'http',
        route,
        handler: './src/ping.ts',
        ...(access ? { access: access as never } : {}),
      },
    },
  });

describe('access rules of HTTP functions', () => {
  it('are carried to the package with the function; anonymous ones warn and are exempted from App Service sign-in', () => {
    const plan = defineBackend({ web: http([{ allow: 'anonymous' }]) }).plan();
    const hosted = plan.resources.find((r) => r.type === 'functions')!.config[
      'hostedFunctions'
    ] as never as HostedFunction[];
    expect(hosted[0]!.access).toEqual([{ allow: 'anonymous' }]);
    expect(
      plan.issues.filter((i) => i.code === 'FUNCTION_ANONYMOUS').map((i) => i.components),
    ).toEqual([['Web']]);
    expect(anonymousPaths(hosted)).toEqual(['/api/ping']);
    const role = defineBackend({ web: http([{ allow: 'role', role: 'OrderAdmin' }]) }).plan();
    expect(role.issues.some((i) => i.code === 'FUNCTION_ANONYMOUS')).toBe(false);
    expect(
      anonymousPaths(
        role.resources.find((r) => r.type === 'functions')!.config[
          'hostedFunctions'
        ] as never as HostedFunction[],
      ),
    ).toEqual([]);
  });

  it.each([
    [[{ allow: 'owner' }]],
    [[]],
    ['authenticated'],
    [[{ allow: 'role', role: 'has space' }]],
    [[{ allow: 'authenticated', operations: ['read'] }]],
  ])('refuses %j with FUNCTION_ACCESS_INVALID', (access) => {
    expect(() => http(access)).toThrow(AtakoraError);
    try {
      http(access);
    } catch (e) {
      expect((e as AtakoraError).code).toBe('FUNCTION_ACCESS_INVALID');
    }
  });

  it('an anonymous function needs a literal route (App Service exempts literal paths only)', () => {
    expect(() => http([{ allow: 'anonymous' }], 'orders/{id}')).toThrow(/literal paths/);
  });
});

describe('shared data of a multi-tenant backend in the plan', () => {
  const catalogue = (rules: unknown[]) =>
    CrudApi.define('CatalogApi', {
      entityName: 'Doctor',
      schema: { id: 'string', name: 'string' },
      tenancy: 'shared',
      access: rules as never,
    });
  const multi = {
    auth: { signInAudience: 'AzureADMultipleOrgs' as const, allowedTenants: 'any' as const },
  };

  it("CRUD_TENANCY_SHARED says what the rules allow; tenants: 'any' warns CRUD_ROLE_ANY_TENANT", () => {
    const plan = defineBackend(
      {
        catalogue: catalogue([
          { allow: 'authenticated', operations: ['read', 'list'] },
          { allow: 'role', role: 'CatalogAdmin' },
        ]),
      },
      multi,
    ).plan();
    const shared = plan.issues.find((i) => i.code === 'CRUD_TENANCY_SHARED')!.message;
    expect(shared).toMatch(
      /every signed-in caller of every allowed directory .*can read every Doctor/,
    );
    expect(shared).toContain('delete: holders of app role CatalogAdmin in your own directory');
    expect(shared).not.toMatch(/can read and change/);
    expect(plan.issues.some((i) => i.code === 'CRUD_ROLE_ANY_TENANT')).toBe(false);
    const open = defineBackend(
      { catalogue: catalogue([{ allow: 'role', role: 'CatalogAdmin', tenants: 'any' }]) },
      multi,
    ).plan();
    expect(
      open.issues.filter((i) => i.code === 'CRUD_ROLE_ANY_TENANT').map((i) => i.components),
    ).toEqual([['CatalogApi']]);
  });
});
