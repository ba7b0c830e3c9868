import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { StaticSite, StaticSiteWithCdn } from '../../src/components/web/index.js';
import { siteContentDirectory } from '../../src/components/web/site-source.js';
import { codeOf } from '../support/errors.js';

const root = mkdtempSync(join(tmpdir(), 'atakora-site-source-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
const folder = (name: string, files: Record<string, string> = {}): string => {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
};
const issuesOf = (
  site: ReturnType<typeof StaticSite.define> | ReturnType<typeof StaticSiteWithCdn.define>,
) =>
  defineBackend({ site })
    .plan()
    .issues.filter((i) => i.code === 'SITE_SOURCE_INVALID');

describe('sourceDirectory is checked at plan (SITE_SOURCE_INVALID)', () => {
  it.each([
    ['does not exist', () => join(root, 'webb'), 'does not exist'],
    ['is empty', () => folder('empty'), 'is empty'],
    ['has no index.html', () => folder('noindex', { 'app.js': '' }), 'has no index.html'],
    [
      'is a file',
      () => {
        folder('f', { 'x.txt': '' });
        return join(root, 'f', 'x.txt');
      },
      'is not a folder',
    ],
  ])(
    'a folder that %s is a plan error naming the resolved path, with a fix',
    (_what, dir, words) => {
      const path = dir();
      for (const site of [
        StaticSite.define('Web', { sourceDirectory: path }),
        StaticSiteWithCdn.define('Web', { sourceDirectory: path }),
      ]) {
        const [issue, ...more] = issuesOf(site);
        expect(more).toEqual([]);
        expect(issue).toMatchObject({
          severity: 'error',
          path: ['components', 'Web', 'config', 'sourceDirectory'],
          components: ['Web'],
        });
        expect(issue!.message).toContain(path);
        expect(issue!.message).toContain(words);
        expect(issue!.resolution).toMatch(/buildCommand|index\.html/);
      }
      expect(
        defineBackend({ site: StaticSite.define('Web', { sourceDirectory: path }) }).validate()
          .valid,
      ).toBe(false);
    },
  );

  it('resolves a relative path against the working directory', () => {
    const [issue] = issuesOf(StaticSite.define('Web', { sourceDirectory: './webb-not-here' }));
    expect(issue!.message).toContain(join(process.cwd(), 'webb-not-here'));
  });

  it('a folder with its index document plans clean', () => {
    expect(
      issuesOf(
        StaticSite.define('Web', { sourceDirectory: folder('ok', { 'index.html': '<h1>x</h1>' }) }),
      ),
    ).toEqual([]);
    expect(
      issuesOf(
        StaticSite.define('Web', {
          sourceDirectory: folder('main', { 'main.html': '' }),
          indexDocument: 'main.html',
        }),
      ),
    ).toEqual([]);
  });

  it('is a warning when buildCommand will create the content', () => {
    const [a] = issuesOf(
      StaticSite.define('Web', {
        sourceDirectory: join(root, 'dist-later'),
        buildCommand: 'npm run build',
      }),
    );
    expect(a).toMatchObject({
      severity: 'warning',
      path: ['components', 'Web', 'config', 'sourceDirectory'],
    });
    const web = folder('vite', { 'package.json': '{}' });
    const [b] = issuesOf(
      StaticSite.define('Web', {
        sourceDirectory: web,
        buildCommand: 'npm run build',
        outputDirectory: 'dist',
      }),
    );
    expect(b).toMatchObject({
      severity: 'warning',
      path: ['components', 'Web', 'config', 'outputDirectory'],
    });
    expect(b!.message).toContain(join(web, 'dist'));
  });

  it('with outputDirectory, the folder the build runs in must exist', () => {
    const [issue] = issuesOf(
      StaticSite.define('Web', {
        sourceDirectory: join(root, 'nope'),
        buildCommand: 'npm run build',
        outputDirectory: 'dist',
      }),
    );
    expect(issue).toMatchObject({
      severity: 'error',
      path: ['components', 'Web', 'config', 'sourceDirectory'],
    });
  });

  it('refuses bad outputDirectory and configFileName values at define', () => {
    expect(
      codeOf(() =>
        StaticSite.define('Web', {
          sourceDirectory: './w',
          buildCommand: 'b',
          outputDirectory: '../out',
        }),
      ),
    ).toBe('STATIC_SITE_INVALID');
    expect(
      codeOf(() => StaticSite.define('Web', { sourceDirectory: './w', outputDirectory: 'dist' })),
    ).toBe('STATIC_SITE_INVALID');
    expect(codeOf(() => StaticSite.define('Web', { configFileName: 'conf/x.json' }))).toBe(
      'STATIC_SITE_INVALID',
    );
    expect(
      codeOf(() => StaticSite.define('Web', { configFileName: 'staticwebapp.config.json' })),
    ).toBe('STATIC_SITE_INVALID');
  });

  it('siteContentDirectory joins sourceDirectory and outputDirectory', () => {
    expect(
      siteContentDirectory({ sourceDirectory: './web', outputDirectory: 'dist' }, '/repo'),
    ).toBe('/repo/web/dist');
    expect(siteContentDirectory({ sourceDirectory: '/abs/site' }, '/repo')).toBe('/abs/site');
    expect(siteContentDirectory({}, '/repo')).toBeUndefined();
  });
});
