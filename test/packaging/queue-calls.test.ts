/**
 * Queue names a handler sends to are checked when the package is built (apply, synth, `atakora dev`), because
 * definitions and plans never read the disk: a `queueClient('literal')` naming a queue the Function App does not
 * declare is QUEUE_UNDECLARED (file, line, the declaring fix); declared literals and non-literal names pass (the
 * latter are checked when the code runs).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { literalQueueCalls } from '../../src/packaging/queue-calls.js';
import { synth, thrown } from '../support/synth.js';

const work = mkdtempSync(join(tmpdir(), 'atakora-queue-calls-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const client = resolve(import.meta.dirname, '../../src/runtime/events/queue-client.ts');
const write = (rel: string, text: string) => {
  const file = join(work, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
};
const handler = (rel: string, body: string) =>
  write(rel, `import { queueClient } from ${JSON.stringify(client)};\n${body}\n`);
const shop = (send: string, queues: string[] = ['emails']) =>
  FunctionsApp.define('Shop', {
    runtime: 'node',
    queues,
    functions: {
      signup: { trigger: 'http', handler: send },
      process: {
        trigger: 'queue',
        queueName: 'orders',
        handler: handler('process.ts', 'export default async function p() {}'),
      },
    },
  });

describe('literalQueueCalls', () => {
  it('finds literal first arguments, in strings and plain templates, with their lines', () => {
    const source = [
      "await queueClient('orders').send(x);",
      'const a = queueClient("emails", { env });',
      'const b = queueClient(`audit`);',
      "const c = runtime.queueClient( 'ns' );",
    ].join('\n');
    expect(literalQueueCalls(source)).toEqual([
      { name: 'orders', line: 1 },
      { name: 'emails', line: 2 },
      { name: 'audit', line: 3 },
      { name: 'ns', line: 4 },
    ]);
  });

  it('skips comments, strings, templates, non-literal names and other identifiers', () => {
    const source = [
      "// queueClient('in-a-comment')",
      "/* queueClient('in-a-block') */",
      'const s = "queueClient(\'in-a-string\')";',
      "const t = `queueClient('in-a-template') ${queueClient('inside-expr')}`;",
      'queueClient(name); queueClient(`orders-${tenant}`); queueClient(prefix + "x");',
      "myqueueClient('other'); queueClients('other');",
    ].join('\n');
    expect(literalQueueCalls(source)).toEqual([{ name: 'inside-expr', line: 4 }]);
  });
});

describe('the package build checks literal queue names', () => {
  it('passes declared literals (a send-only queue, a trigger queue) and non-literal names, also in imported modules', () => {
    write(
      'lib/notify.ts',
      `import { queueClient } from ${JSON.stringify(client)};\nexport const notify = (q: string) => queueClient(q).send('x');\nexport const audit = () => queueClient('orders').send('a');\n`,
    );
    const send = handler(
      'ok.ts',
      "import { notify } from './lib/notify.ts';\nexport default async function s() { await queueClient('emails').send({}); await notify('whatever'); }",
    );
    expect(() => synth(defineBackend({ shop: shop(send) }))).not.toThrow();
  });

  it('refuses an undeclared literal, naming the file, the line, the declared queues and the fix', () => {
    const send = handler(
      'typo.ts',
      "export default async function s() {\n  await queueClient('emials').send({});\n}",
    );
    const e = thrown(() => synth(defineBackend({ shop: shop(send) })));
    expect(e.code).toBe('QUEUE_UNDECLARED');
    expect(e.message).toMatch(/typo\.ts:3 sends to queue "emials"/);
    expect(e.message).toContain('it declares emails, orders');
    expect(e.path).toEqual(['components', 'Shop', 'config', 'functions', 'signup', 'handler']);
    expect(e.resolution).toContain("queues: ['emials']");
  });

  it('refuses a literal in a module a handler imports, blaming that handler', () => {
    write(
      'lib/bad.ts',
      `import { queueClient } from ${JSON.stringify(client)};\nexport const bad = () => queueClient('invoices').send('x');\n`,
    );
    const send = handler(
      'via-import.ts',
      "import { bad } from './lib/bad.ts';\nexport default async function s() { await bad(); }",
    );
    const e = thrown(() => synth(defineBackend({ shop: shop(send) })));
    expect(e.code).toBe('QUEUE_UNDECLARED');
    expect(e.message).toContain('bad.ts:2');
    expect(e.path).toEqual(['components', 'Shop', 'config', 'functions', 'signup', 'handler']);
  });

  it('a queue declared by a component of another Function App does not count', () => {
    const send = handler(
      'other-app.ts',
      "export default async function s() { await queueClient('reports').send('x'); }",
    );
    // Node 20 gets a Function App of its own: its queues are not this app's.
    const reports = FunctionsApp.define('Reports', {
      runtime: 'node',
      version: '20',
      queues: ['reports'],
      functions: {
        tick: {
          trigger: 'timer',
          schedule: '0 0 * * * *',
          handler: handler('tick.ts', 'export default function t() {}'),
        },
      },
    });
    const e = thrown(() =>
      synth(
        defineBackend({
          shop: shop(send),
          reports,
          users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
        }),
      ),
    );
    expect(e.code).toBe('QUEUE_UNDECLARED');
    expect(e.message).toContain('"reports"');
  });
});
