import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { StaticSite } from '../../src/components/web/index.js';
import { createDevSites, type DevSiteHost } from '../../src/cli/dev/sites/sites.js';
import { runSiteBuild } from '../../src/cli/shared/site-build.js';
import { thrown } from '../support/errors.js';

const work = mkdtempSync(join(tmpdir(), 'atakora-site-build-'));
const hosts: DevSiteHost[] = [];
afterAll(async () => {
  for (const h of hosts) await h.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('site builds', () => {
  it('a failing buildCommand is SITE_BUILD_FAILED naming the site, the folder and the last output', async () => {
    const dir = join(work, 'fails');
    mkdirSync(dir);
    const e = await runSiteBuild(
      {
        componentId: 'Portal',
        buildCommand: 'echo compiling; echo "boom: missing module" >&2; exit 3',
        sourceDirectory: dir,
        outputDirectory: 'dist',
      },
      () => undefined,
      work,
    ).then(
      () => undefined,
      (x: unknown) => x,
    );
    const err = thrown(() => {
      throw e;
    });
    expect(err.code).toBe('SITE_BUILD_FAILED');
    expect(err.message).toContain('Portal');
    expect(err.message).toContain(dir);
    expect(err.message).toContain('boom: missing module');
    expect(err.path).toEqual(['components', 'Portal', 'config', 'buildCommand']);
  });

  it('atakora dev builds a site whose content is missing, serves it under its renamed config file, and exports the config', async () => {
    const source = join(work, 'web');
    mkdirSync(source);
    writeFileSync(join(source, 'package.json'), '{}');
    const exported = join(work, 'export', 'config.json');
    const backend = defineBackend({
      notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } }),
      web: StaticSite.define('Web', {
        sourceDirectory: source,
        outputDirectory: 'dist',
        configFileName: 'app-config.json',
        configExportPath: exported,
        buildCommand: `node -e "require('fs').mkdirSync('dist');require('fs').writeFileSync('dist/index.html','<p>built for dev</p>')"`,
      }),
    });
    const plan = backend.plan();
    expect(
      plan.issues.filter((i) => i.code === 'SITE_SOURCE_INVALID').map((i) => i.severity),
    ).toEqual(['warning']);
    const app = plan.resources.find((r) => r.type === 'functions')!;
    const lines: string[] = [];
    const host = createDevSites({
      user: { oid: 'alice', tid: 'contoso', name: 'alice' },
      apps: () => [{ name: app.name, url: 'http://127.0.0.1:7999' }],
      log: (l) => lines.push(l),
      cwd: work,
    });
    hosts.push(host);
    await host.update(plan);
    expect(lines[0]).toContain('Building site Web');
    const url = host.sites[0]!.url;
    expect(await (await fetch(url)).text()).toBe('<p>built for dev</p>');
    const config = (await (await fetch(new URL('app-config.json', url))).json()) as {
      apis: Record<string, string>;
    };
    expect(config.apis).toEqual({ notes: 'http://127.0.0.1:7999/api/notes' });
    expect((await fetch(new URL('atakora.config.json', url))).status).toBe(404);
    expect(existsSync(exported)).toBe(false);
    host.exportConfigs();
    expect(JSON.parse(readFileSync(exported, 'utf8'))).toEqual(config);
    // A second update (a restart) keeps the port and does not build again.
    await host.update(plan);
    expect(host.sites[0]!.url).toBe(url);
    expect(lines.filter((l) => l.startsWith('Building'))).toHaveLength(1);
  });
});
