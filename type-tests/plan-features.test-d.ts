import { expectAssignable, expectError, expectType } from 'tsd';
import type { HttpRequest } from '@azure/functions';
import { callerOf } from '@atakora/component/runtime';
import { type AccessRule, CrudApi } from '@atakora/component/crud';
import type { BackendConfig } from '@atakora/component/backend';

// Plans that package the product (issue 107): a plan lists its features, a rule applies only on plans with one, and a
// handler asks its caller's plan.
declare const request: HttpRequest;
expectType<boolean>(callerOf(request).features.has('reports'));
expectType<readonly string[]>(callerOf(request).features.names);
expectError(callerOf(request).features.has(42));

expectAssignable<AccessRule>({
  allow: 'authenticated',
  operations: ['create'],
  feature: 'reports',
});
expectAssignable<AccessRule>({ allow: 'role', role: 'NoteAdmin', feature: 'reports' });
expectError<AccessRule>({ allow: 'owner', feature: 42 });
CrudApi.define('NoteApi', {
  entityName: 'Note',
  schema: { id: 'string' },
  access: [{ allow: 'owner', feature: 'reports' }],
});

expectAssignable<BackendConfig['tenants']>({
  plans: { free: {}, pro: { features: ['audit', 'scim', 'reports'] } },
  defaultPlan: 'free',
});
expectError<BackendConfig['tenants']>({
  plans: { pro: { features: 'audit' } },
  defaultPlan: 'pro',
});
