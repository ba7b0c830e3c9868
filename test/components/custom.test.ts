import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { defineComponent } from '../../src/components/custom/define.js';
import { codeOf, expectHonest, synth } from '../support/synth.js';

const uploads = () =>
  defineComponent({
    type: 'Uploads',
    id: 'Uploads',
    config: { container: 'uploads' },
    requirements: (c) => [
      { resourceType: 'storage', requirementKey: 'uploads', config: { containers: [c.container] } },
    ],
    outputs: (c, ctx) => ({
      url: `https://${ctx.resource('storage')?.name}.blob.core.windows.net/${c.container}`,
    }),
  });

describe('defineComponent', () => {
  it('shares the built-in storage account with CrudApis and exposes typed outputs', () => {
    const backend = defineBackend({
      uploads: uploads(),
      users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
    });
    const plan = backend.plan();
    const storage = plan.resources.find((r) => r.key === 'storage:shared')!;
    expect(storage.consumers).toEqual(['Uploads', 'UserApi']);
    expect(storage.config['containers']).toEqual(['uploads']);
    expect(backend.components.uploads.url).toBe(
      `https://${storage.name}.blob.core.windows.net/uploads`,
    );
    expect(backend.components.uploads.componentType).toBe('Uploads');
    expectHonest(plan, synth(backend));
  });

  it('a requirement no provider can satisfy is an error naming the type and the component', () => {
    const odd = defineComponent({
      type: 'Odd',
      id: 'Odd',
      config: {},
      requirements: () => [{ resourceType: 'redis', requirementKey: 'cache', config: {} }],
    });
    const issue = defineBackend({ odd })
      .plan()
      .issues.find((i) => i.code === 'NO_PROVIDER');
    expect(issue?.message).toContain('"redis"');
    expect(issue?.message).toContain('Odd');
  });

  it('bad specs are AtakoraErrors', () => {
    expect(
      codeOf(() => defineComponent({ type: 'X', id: '1bad', config: {}, requirements: () => [] })),
    ).toBe('COMPONENT_ID_INVALID');
    expect(codeOf(() => defineComponent({ type: 'X', id: 'Ok', config: {} } as never))).toBe(
      'COMPONENT_INVALID',
    );
    const throwing = defineComponent({
      type: 'X',
      id: 'Boom',
      config: {},
      requirements: () => {
        throw new Error('boom');
      },
    });
    expect(codeOf(() => defineBackend({ throwing }).plan())).toBe('COMPONENT_INVALID');
  });
});
