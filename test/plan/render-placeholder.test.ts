import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { renderPlanText } from '../../src/plan/render/text.js';

const api = () => CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } });

describe('the text plan explains the name placeholder', () => {
  it('says what "tgtxxx" stands for when names carry it', () => {
    const text = renderPlanText(defineBackend({ api: api() }).plan());
    expect(text).toContain('cosmos-backend-dev-tgtxxx');
    expect(text).toContain(
      '"tgtxxx" in a name: the deployment-target token, not known yet. It is set at apply from the stack\'s subscription id and resource group',
    );
  });

  it('says nothing once the names are final (naming.uniqueSeed)', () => {
    const text = renderPlanText(
      defineBackend(
        { api: api() },
        { naming: { uniqueSeed: '00000000-0000-0000-0000-000000000001/rg-shop' } },
      ).plan(),
    );
    expect(text).not.toContain('tgtxxx');
    expect(text).not.toContain('deployment-target token');
  });
});

describe('atakora synth counts prevent_destroy resources in English', () => {
  it('"1 resource that holds data carries", not "1 resources"', async () => {
    const { main } = await import('../../src/cli/main.js');
    const out = mkdtempSync(join(tmpdir(), 'atakora-plural-'));
    let err = '';
    try {
      const code = await main(['synth', 'test/packaging/fixtures/every-second.ts', '--out', out], {
        out: () => undefined,
        err: (s: string) => {
          err += s;
        },
        stdout: {},
      } as never);
      expect(code).toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    // The timer app's only data-holding resource is its host storage account.
    expect(err).toMatch(/: 1 resource that holds data carries prevent_destroy/);
    expect(err).not.toMatch(/\b1 resources\b/);
  });
});
