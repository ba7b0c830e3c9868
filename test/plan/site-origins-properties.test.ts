import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { StaticSite, StaticSiteWithCdn } from '../../src/components/web/index.js';
import { siteFileFor } from '../../src/cli/shared/site-files.js';
import { corsOriginsFor } from '../../src/kit/pure/cors-origins.js';

// Properties of the promises: for any mix of site shapes and dev origins, the API's CORS (as apply
// computes it from the plan) holds every https origin any site's registration redirects to; and no URL path,
// however encoded, makes the dev site server answer with a file outside the site's folder.

const site = fc.record({
  cdn: fc.boolean(),
  domain: fc.option(fc.constantFrom('a.contoso.com', 'b.contoso.com', 'notes.fabrikam.net'), {
    nil: undefined,
  }),
});
const devOrigin = fc.constantFrom(
  'http://localhost:5173',
  'http://127.0.0.1:4280',
  'https://dev.contoso.net',
  'https://preview.contoso.net:8443',
);

describe('origins agree (property)', () => {
  it('CORS ⊇ the https redirect URIs of every site registration, for any site shapes and dev origins', () => {
    fc.assert(
      fc.property(
        fc.array(site, { minLength: 1, maxLength: 4 }),
        fc.uniqueArray(devOrigin, { maxLength: 3 }),
        (sites, devOrigins) => {
          const defs: Record<string, unknown> = {
            notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } }),
          };
          sites.forEach((s, i) => {
            const config = s.domain ? { customDomain: s.domain } : {};
            defs[`site${i}`] = s.cdn
              ? StaticSiteWithCdn.define(`Site${i}`, config)
              : StaticSite.define(`Site${i}`, config);
          });
          const backend = defineBackend(defs as never, { auth: { devOrigins } });
          const plan = backend.plan();
          const cors = new Set(corsOriginsFor(plan, backend.config, []));
          for (const c of plan.components.filter((x) => x.resources['staticsite'])) {
            const redirects = (
              (c.outputs['auth'] as { redirectUris?: string[] } | undefined)?.redirectUris ?? []
            ).filter((u) => u.startsWith('https://'));
            expect(redirects.length).toBeGreaterThan(0);
            for (const u of redirects) expect(cors.has(u), `${c.id}: ${u}`).toBe(true);
            for (const o of c.outputs['origins'] as string[]) expect(cors.has(o)).toBe(true);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('the dev site server stays in its folder (property)', () => {
  const base = mkdtempSync(join(tmpdir(), 'atakora-site-files-'));
  afterAll(() => {
    rmSync(base, { recursive: true, force: true });
  });
  const root = join(base, 'site');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), 'index');
  writeFileSync(join(root, 'assets', 'app.js'), 'js');
  writeFileSync(join(base, 'secret.txt'), 'secret');
  symlinkSync(join(base, 'secret.txt'), join(root, 'link.txt'));
  const segment = fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '%2E%2e',
    '..%2f',
    '%2f',
    'assets',
    'app.js',
    'index.html',
    'secret.txt',
    'link.txt',
    '%5c..',
    '%00',
    '',
    'site',
  );

  it('never names a file outside the site folder, whatever the path', () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), (parts) => {
        const found = siteFileFor(root, `/${parts.join('/')}`);
        if (typeof found === 'object') {
          const rel = relative(root, found.file);
          expect(rel.startsWith('..') || rel.startsWith(sep)).toBe(false);
          expect(rel).not.toBe('link.txt');
        }
      }),
      { numRuns: 500 },
    );
    expect(siteFileFor(root, '/assets/app.js')).toEqual({ file: join(root, 'assets', 'app.js') });
    expect(siteFileFor(root, '/')).toEqual({ file: join(root, 'index.html') });
    expect(siteFileFor(root, '/link.txt')).toBe('refused');
  });
});
