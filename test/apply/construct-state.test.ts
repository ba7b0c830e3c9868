import { Testing } from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { constructState, foundState, stateKey } from '../../src/kit/cdktf/construct-state.js';

const api = () => CrudApi.define('AApi', { entityName: 'A', schema: { id: 'string' } });
const stackIn = (app = Testing.app(), id = 'S') =>
  new ResourceGroupStack(app, id, { resourceGroupName: 'rg', location: 'eastus' });

describe('state on the construct tree (kit/cdktf/construct-state.ts)', () => {
  it('is made once per scope, found again, and separate per scope', () => {
    const key = stateKey('atakora.test-state', () => new Set<string>());
    const [a, b] = [stackIn(Testing.app(), 'A'), stackIn(Testing.app(), 'B')];
    expect(foundState(a, key)).toBeUndefined();
    constructState(a, key).add('x');
    expect(constructState(a, key)).toBe(foundState(a, key));
    expect([...constructState(a, key)]).toEqual(['x']);
    expect(foundState(b, key)).toBeUndefined();
  });

  it('adds nothing to the synthesized Terraform', () => {
    const [plain, holding] = [stackIn(), stackIn()];
    defineBackend({ a: api() }).apply(plain);
    defineBackend({ a: api() }).apply(holding);
    constructState(
      holding,
      stateKey('atakora.test-state', () => new Map<string, string>()),
    ).set('k', 'v');
    expect(holding.node.tryFindChild('atakora.applied-backends')).toBeDefined();
    expect(Testing.synth(holding)).toBe(Testing.synth(plain));
  });

  it('global names are claimed per app: the same names from another stack are NAME_COLLISION, other backend ids coexist', () => {
    const app = Testing.app();
    const first = stackIn(app, 'First');
    defineBackend({ a: api() }).apply(first);
    // Same backend id and resource group in another stack of the app: the same global names → refused.
    expect(() => defineBackend({ a: api() }).apply(stackIn(app, 'Second'))).toThrow(
      expect.objectContaining({ code: 'NAME_COLLISION' }),
    );
    expect(() =>
      defineBackend({ a: api() }, { backendId: 'other' }).apply(stackIn(app, 'Third')),
    ).not.toThrow();
  });

  it('is shared by every copy of the apply layer in a process: the source copy and the built package see one record', async () => {
    // The source copy (this test's imports, its apply layer src/apply/apply-backend.ts) and the built package
    // (its own apply layer, dist/apply/apply-backend.js) are distinct modules: state in a module-level map of one
    // was invisible to the other, and the second apply of one backend failed on a construct id instead.
    const built = await import('@atakora/component/backend');
    expect(built.defineBackend).not.toBe(defineBackend);
    const app = Testing.app();
    const stack = stackIn(app, 'Own');
    defineBackend({ a: api() }).apply(stack);
    expect(() => built.defineBackend({ a: api() }).apply(stack)).toThrow(
      expect.objectContaining({ code: 'DUPLICATE_BACKEND_IN_STACK' }),
    );
    expect(() => built.defineBackend({ a: api() }).apply(stackIn(app, 'Other'))).toThrow(
      expect.objectContaining({ code: 'NAME_COLLISION' }),
    );
  });
});
