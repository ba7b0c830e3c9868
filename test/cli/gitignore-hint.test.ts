/**
 * `atakora dev` tells a project in a git repository, once, to keep `.atakora/` (local secrets, the dev server's
 * state with its admin key, `--data-dir` copies of data) out of git when no ignore file covers it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitignoreHint } from '../../src/cli/dev/session/gitignore-hint.js';

const dirs: string[] = [];
const project = (files: Record<string, string>, git = true): string => {
  const dir = mkdtempSync(join(tmpdir(), 'atakora-gitignore-'));
  dirs.push(dir);
  if (git) mkdirSync(join(dir, '.git', 'info'), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the .gitignore hint of atakora dev', () => {
  it('names the lines to add in a repository whose ignore files do not cover .atakora/', () => {
    const dir = project({ '.gitignore': 'node_modules\n.atakora/secrets.json\n' });
    const lines = gitignoreHint(dir);
    expect(lines[0]).toContain('.atakora/');
    expect(lines).toEqual(expect.arrayContaining(['  .atakora/', '  cdktf.out/']));
    expect(lines.join('\n')).toContain('--data-dir');
    expect(lines.join('\n')).toContain('tenant export --out');
  });

  it('says nothing when .atakora is ignored (any usual form, here or at the root, or in info/exclude)', () => {
    for (const line of ['.atakora/', '.atakora', '/.atakora/', '.atakora/*', '  .atakora/  '])
      expect(gitignoreHint(project({ '.gitignore': `node_modules\n${line}\n` })), line).toEqual([]);
    const nested = project({ '.gitignore': '.atakora/\n', 'apps/api/backend.ts': '' });
    expect(gitignoreHint(join(nested, 'apps/api'))).toEqual([]);
    expect(gitignoreHint(project({ '.git/info/exclude': '.atakora/\n' }))).toEqual([]);
  });

  it('says nothing outside a git repository', () => {
    expect(gitignoreHint(project({}, false))).toEqual([]);
  });
});
