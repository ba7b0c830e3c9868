import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Testing, TerraformStack, Construct } from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { AtakoraError } from '../../src/model/errors.js';
import { ENGINE_PACKAGES } from '../support/engine-names.js';

const root = resolve(import.meta.dirname, '../..');
const api = () => CrudApi.define('AApi', { entityName: 'A', schema: { id: 'string' } });
const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof AtakoraError ? e.code : `raw ${(e as Error).name}: ${(e as Error).message}`;
  }
  return 'no error';
};

describe('Backend.apply reaches the apply layer without a registry', () => {
  it('refuses anything that is not a cdktf stack with STACK_INVALID, never a raw TypeError', () => {
    const app = Testing.app();
    const notStacks: unknown[] = [
      undefined,
      null,
      0,
      'stack',
      {},
      [],
      () => {},
      new Construct(app, 'JustAConstruct'),
      { node: {}, resourceGroupName: 'rg' },
    ];
    for (const value of notStacks)
      expect(
        codeOf(() => defineBackend({ a: api() }).apply(value)),
        String(value),
      ).toBe('STACK_INVALID');
  });

  it('a TerraformStack without resourceGroupName is STACK_INVALID with a resolution', () => {
    const stack = new TerraformStack(Testing.app(), 'Plain');
    expect(codeOf(() => defineBackend({ a: api() }).apply(stack))).toBe('STACK_INVALID');
  });

  it('works from a second copy of the package (an entry loaded through tsx), on a plain TerraformStack', () => {
    // The built package, in a fresh process: the native copy and tsx's namespaced copy are distinct modules.
    const code = `
      import { tsImport } from 'tsx/esm/api';
      import { Testing, TerraformStack } from '${ENGINE_PACKAGES.cdktf}';
      const native = await import('@atakora/component/backend');
      const copy = await tsImport('@atakora/component/backend', import.meta.url);
      const { CrudApi } = await tsImport('@atakora/component/crud', import.meta.url);
      class MyStack extends TerraformStack { resourceGroupName = 'rg-own'; }
      const stack = new MyStack(Testing.app(), 'Own');
      const backend = () => copy.defineBackend({ a: CrudApi.define('AApi', { entityName: 'A', schema: { id: 'string' } }) });
      backend().apply(stack);
      let second;
      try { backend().apply(stack); } catch (e) { second = { nativeInstance: e instanceof native.AtakoraError, code: e.code }; }
      const json = JSON.parse(Testing.synth(stack));
      console.log(JSON.stringify({ distinct: native.Backend !== copy.Backend, accounts: Object.keys(json.resource.azurerm_cosmosdb_account).length, second }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({
      distinct: true,
      accounts: 1,
      second: { nativeInstance: true, code: 'DUPLICATE_BACKEND_IN_STACK' },
    });
  });
});
