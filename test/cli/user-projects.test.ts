import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { userProject } from '../support/user-project.js';
import { runCliInProcess } from '../support/cli-in-process.js';

// The CLI on entries written the way users write them, in fresh CommonJS and ESM projects outside the repo,
// importing the package by name (`export default defineBackend(...)` was "exports no backend" in a
// CommonJS project, and synth a raw TypeError in an ESM one). The built CLI's main runs in this worker, in the
// project's folder (test/support/cli-in-process.ts).

async function atakora(
  cwd: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCliInProcess(args, { env: { ...process.env, NO_COLOR: '1' }, cwd });
}

const define = (id: string) =>
  `defineBackend({ api: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }) }, { backendId: '${id}', environment: 'dev' })`;
const esmImports = `import { defineBackend } from '@atakora/component/backend';\nimport { CrudApi } from '@atakora/component/crud';\n`;
const cjsRequires = `const { defineBackend } = require('@atakora/component/backend');\nconst { CrudApi } = require('@atakora/component/crud');\n`;

/** file → [source, backendId it must yield]: every export form the CLI promises, per project kind. */
const ENTRIES = {
  commonjs: {
    'default.ts': [`${esmImports}export default ${define('cjsdefault')};\n`, 'cjsdefault'],
    'named.cts': [`${esmImports}export const backend = ${define('cjsnamed')};\n`, 'cjsnamed'],
    'builder.mts': [
      `${esmImports}export default defineBackend({ backendId: 'cjsbuilder' }).addComponent('api', CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }));\n`,
      'cjsbuilder',
    ],
    'exports.js': [`${cjsRequires}module.exports = ${define('cjsexports')};\n`, 'cjsexports'],
    'factory.ts': [`${esmImports}export default () => ${define('cjsfactory')};\n`, 'cjsfactory'],
  },
  module: {
    'default.ts': [`${esmImports}export default ${define('esmdefault')};\n`, 'esmdefault'],
    'default.mts': [`${esmImports}export default ${define('esmmts')};\n`, 'esmmts'],
    'legacy.cts': [`${esmImports}export default ${define('esmcts')};\n`, 'esmcts'],
    'plain.js': [
      `${esmImports}export const a = ${define('esmjs')};\nexport function buildOther() { return ${define('esmjs2')}; }\n`,
      'esmjs',
    ],
    'required.cjs': [`${cjsRequires}exports.backend = ${define('esmcjs')};\n`, 'esmcjs'],
  },
} as const;

for (const kind of ['commonjs', 'module'] as const) {
  describe(`atakora in a fresh ${kind} project`, () => {
    const project = userProject(kind);
    afterAll(() => project.remove());
    for (const [file, [source, backendId]] of Object.entries(ENTRIES[kind]))
      project.write(file, source);

    for (const [file, [, backendId]] of Object.entries(ENTRIES[kind])) {
      it(`plan --json ${file} finds backend ${backendId}`, async () => {
        const r = await atakora(project.dir, 'plan', file, '--json');
        expect(r.stderr).not.toMatch(/TypeError|exports no backend/);
        expect(r.code).toBe(0);
        expect((JSON.parse(r.stdout) as { backendId: string }).backendId).toBe(backendId);
      });
    }

    const tsEntry = kind === 'commonjs' ? 'default.ts' : 'default.mts';
    it(`synth ${tsEntry} writes the stack's Terraform JSON`, async () => {
      const r = await atakora(project.dir, 'synth', tsEntry, '--out', 'out');
      expect(r.stderr).not.toMatch(/TypeError/);
      expect(r.code).toBe(0);
      const stackFile = join(project.dir, r.stdout.trim());
      const json = JSON.parse(readFileSync(stackFile, 'utf8')) as {
        resource: Record<string, Record<string, unknown>>;
      };
      expect(Object.keys(json.resource['azurerm_cosmosdb_account'] ?? {})).toHaveLength(1);
      expect(
        Object.keys(json.resource['azurerm_function_app_flex_consumption'] ?? {}),
      ).toHaveLength(1); // FC1, the default plan
    });

    it(`diff of a saved plan against ${tsEntry} is clean`, async () => {
      const saved = await atakora(project.dir, 'plan', tsEntry, '--json');
      project.write('before.json', saved.stdout);
      const r = await atakora(project.dir, 'diff', 'before.json', tsEntry, '--json');
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as { hasDataLoss: boolean }).hasDataLoss).toBe(false);
    });
  });
}
