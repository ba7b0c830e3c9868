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
  }, 60_000);

  it('--out writes the file and prints its path', async () => {
    const out = join(work, 'openapi.json');
    const c = capturedIo();
    expect(await main(['openapi', 'examples/basic.ts', '--out', out], c.io)).toBe(0);
    expect(c.out).toBe(`${out}\n`);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { openapi: string }).openapi).toBe('3.1.0');
  }, 60_000);

  it('without an entry is a usage error (exit 2), and --help describes it', async () => {
    const c = capturedIo();
    expect(await main(['openapi'], c.io)).toBe(2);
    expect(c.err).toMatch(/openapi takes exactly one <entry>/);
    const h = capturedIo();
    expect(await main(['openapi', '--help'], h.io)).toBe(0);
    expect(h.out).toMatch(/atakora openapi <entry> \[--out openapi.json\]/);
  });
});
