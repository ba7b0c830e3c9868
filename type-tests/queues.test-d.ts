import { expectAssignable, expectError, expectType } from 'tsd';
import { FunctionsApp, type FunctionsAppConfig } from '@atakora/component/functions';
import { queueClient, type QueueSender, type SentQueueMessage } from '@atakora/component/runtime';

// FunctionsApp `queues`: the queues the code sends to, by name.
expectType<readonly string[] | undefined>(({} as FunctionsAppConfig).queues);
FunctionsApp.define('Shop', {
  runtime: 'node',
  queues: ['emails'],
  functions: { f: { trigger: 'http', handler: './f.ts' } },
});
expectError(
  FunctionsApp.define('Shop', {
    runtime: 'node',
    queues: 'emails',
    functions: { f: { trigger: 'http', handler: './f.ts' } },
  }),
);

// queueClient(name).send: a string or a JSON value (an interface too), a delay in seconds; resolves to the sent message.
declare const emails: QueueSender;
interface Order {
  readonly id: string;
  readonly total: number;
}
declare const order: Order;
expectType<Promise<SentQueueMessage>>(emails.send(order));
expectType<Promise<SentQueueMessage>>(emails.send('hello', { visibilityTimeoutSeconds: 60 }));
expectError(emails.send(undefined));
expectError(emails.send('x', { visibilityTimeout: 60 }));
expectAssignable<(name: string) => QueueSender>(queueClient);
