import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import { CrudApi, type AccessRule, type CrudApiConfig } from '@atakora/component/crud';
import type { BackendConfig } from '@atakora/component/backend';

// CrudApi `access` (issue 33): rules as data, a discriminated union on `allow`; misuse is a type error.
const notes = CrudApi.define('NoteApi', {
  entityName: 'Note',
  schema: { id: 'string', title: 'string' },
  partitionKey: '/tenantId',
  access: [
    { allow: 'owner' },
    { allow: 'role', role: 'NoteAdmin' },
    { allow: 'authenticated', operations: ['read', 'list'] },
  ],
  ownerField: 'authorId',
});
expectAssignable<'NoteApi'>(notes.componentId);
expectType<readonly AccessRule[] | undefined>(({} as CrudApiConfig).access);

expectAssignable<AccessRule>({ allow: 'owner', operations: ['create', 'update'] });
expectAssignable<AccessRule>({ allow: 'role', role: 'NoteAdmin' });
// An unknown kind of rule, a role rule without its role, an operation that does not exist.
expectNotAssignable<AccessRule>({ allow: 'admins' });
expectNotAssignable<AccessRule>({ allow: 'role' });
expectNotAssignable<AccessRule>({ allow: 'authenticated', operations: ['write'] });
expectError(
  CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string' },
    access: [{ allow: 'everyone' }],
  }),
);
expectError(
  CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string' },
    access: [{ allow: 'owner', operations: ['remove'] }],
  }),
);
expectError(
  CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string' },
    access: [{ allow: 'role' }],
  }),
);
expectError(
  CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' }, ownerField: 42 }),
);

// Who may sign in.
expectAssignable<BackendConfig>({
  auth: {
    signInAudience: 'AzureADMultipleOrgs',
    allowedTenants: ['72f988bf-86f1-41af-91ab-2d7cd011db47'],
  },
});
expectAssignable<BackendConfig>({
  auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'any' },
});
expectNotAssignable<BackendConfig>({ auth: { signInAudience: 'PersonalMicrosoftAccount' } });
expectNotAssignable<BackendConfig>({ auth: { allowedTenants: 'all' } });
