import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';

// One value of each kind findSecrets looks for (src/plan/checks/secrets.ts): the cheap check before its patterns
// (maySecret) must let every one of them through, and ordinary values must stay clean.
const SECRETS: Record<string, string> = {
  connection: 'AccountEndpoint=https://x.documents.azure.com:443/;AccountKey=abc;',
  sas: 'https://x.blob.core.windows.net/c?sv=2022-11-02&sig=abcdefghijklmnop1234%3D',
  pem: '-----BEGIN RSA PRIVATE KEY-----\nMIIEow',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl',
  accountKey: `${'A'.repeat(86)}==`,
  password: 'Password=hunter2',
};

describe('SECRET_IN_CONFIG', () => {
  it('finds each kind of secret in a tag, and nothing in ordinary tags', () => {
    const users = CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } });
    const plan = defineBackend(
      { users },
      { tags: { ...SECRETS, team: 'orders', url: 'https://contoso.com/a?b=c' } },
    ).plan();
    const flagged = plan.issues
      .filter((i) => i.code === 'SECRET_IN_CONFIG')
      .map((i) => i.path?.at(-1));
    expect(flagged.sort()).toEqual(Object.keys(SECRETS).sort());
  });
});
