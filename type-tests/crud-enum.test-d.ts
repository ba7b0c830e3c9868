import { expectError, expectType } from 'tsd';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { createClient } from '@atakora/component/client';

const backend = defineBackend({
  tasks: CrudApi.define('TaskApi', {
    entityName: 'Task',
    schema: {
      id: 'string',
      title: { type: 'string', required: true },
      status: { type: 'string', enum: ['todo', 'doing', 'done'], default: 'todo' },
      priority: { type: 'string', required: true, enum: ['low', 'high'] },
      label: { type: 'string', enum: ['a', 'b'] },
    },
  }),
});
const client = createClient<typeof backend>({
  baseUrls: { tasks: 'https://x/api/tasks' },
  getToken: async () => 'token',
});

// An enum field is the union of its values: a listed literal compiles, any other string does not.
client.tasks.create({ title: 'x', priority: 'low' });
client.tasks.create({ title: 'x', priority: 'high', status: 'doing', label: 'b' });
expectError(client.tasks.create({ title: 'x', priority: 'urgent' }));
expectError(client.tasks.create({ title: 'x', priority: 'low', status: 'archived' }));
expectError(client.tasks.update('1', { status: 'Done' }));
expectError(client.tasks.replace('1', { title: 'x', priority: 'medium' }));
// A defaulted enum field may be left out and is always in an item; an optional one may be cleared with null.
client.tasks.update('1', { label: null });
const task = await client.tasks.get('1');
expectType<'todo' | 'doing' | 'done'>(task.status);
expectType<'low' | 'high'>(task.priority);
expectType<'a' | 'b' | undefined>(task.label);
