import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capturedIo } from '../support/captured-io.js';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(root, '.tmp-cli-openapi-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('atakora openapi', () => {
  it('prints a valid OpenAPI 3.1 document with every CrudApi route of the entry', async () => {
    const c = capturedIo();
    expect(await main(['openapi', 'examples/basic.ts'], c.io)).toBe(0);
    const doc = JSON.parse(c.out) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect((await new Validator().validate(doc)).valid).toBe(true);
    for (const route of ['users', 'products', 'orders']) {
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([`/api/${route}`, `/api/${route}/{id}`]),
      );
    }
  });

  it('--out writes the file and prints its path', async () => {
    const out = join(work, 'openapi.json');
    const c = capturedIo();
    expect(await main(['openapi', 'examples/basic.ts', '--out', out], c.io)).toBe(0);
    expect(c.out).toBe(`${out}\n`);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { openapi: string }).openapi).toBe('3.1.0');
  });

  it("--environment pr-7 gives the preview's document (its hosts), not the config environment's", async () => {
    const servers = async (...extra: string[]) => {
      const c = capturedIo();
      expect(await main(['openapi', 'examples/basic.ts', ...extra], c.io)).toBe(0);
      return (JSON.parse(c.out) as { servers: { url: string }[] }).servers.map((s) => s.url);
    };
    const [plain, preview] = [await servers(), await servers('--environment', 'pr-7')];
    expect(preview.length).toBeGreaterThan(0);
    for (const url of preview) expect(url.replace(/-/g, '')).toContain('pr7');
    expect(preview).not.toEqual(plain);
    const bad = capturedIo();
    expect(await main(['openapi', 'examples/basic.ts', '--environment', 'Pr_7'], bad.io)).toBe(1);
    expect(bad.err).toContain('ENVIRONMENT_NAME_INVALID');
  });

  it('without an entry is a usage error (exit 2), and --help describes it', async () => {
    const c = capturedIo();
    expect(await main(['openapi'], c.io)).toBe(2);
    expect(c.err).toMatch(/openapi takes exactly one <entry>/);
    const h = capturedIo();
    expect(await main(['openapi', '--help'], h.io)).toBe(0);
    expect(h.out).toMatch(
      /atakora openapi <entry> \[--out openapi.json\] \[--environment <name>\]/,
    );
  });
});
