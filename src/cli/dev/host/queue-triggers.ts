import {
  queuePair,
  type DequeuedMessageItem,
  type QueueClient,
} from '../../azure/queue-storage.js';
import { devIdentityToken } from '../sign-in/identity.js';

/** A queue-triggered function as the dev worker indexed it, and how to run it (the admin route's path). */
export interface QueueTriggerTarget {
  readonly name: string;
  /** The binding's queue name (a `%SETTING%` expression is read from the settings). */
  readonly queueName: string;
  /** The binding's connection: its queue service is `<connection>__queueServiceUri`. */
  readonly connection: string;
  invoke(input: unknown, triggerMetadata: Record<string, unknown>): Promise<unknown>;
}

/**
 * How the Functions host treats a failing message, by default (Learn, "Azure Queue storage trigger for Azure
 * Functions", "Poison messages" and the host.json `queues` settings): it is tried `maxDequeueCount` (5) times,
 * made visible again at once after each failure (`visibilityTimeout` 00:00:00), then moved to `<queue>-poison`.
 * Messages are fetched 16 at a time (`batchSize`) and decoded from base64 (`messageEncoding`).
 */
export const QUEUE_TRIGGER_DEFAULTS = {
  maxDequeueCount: 5,
  batchSize: 16,
  retryVisibilitySeconds: 0,
  poisonSuffix: '-poison',
} as const;

/**
 * How long a fetched message stays hidden while its function runs (the host renews its own lease; a
 * dev run is short).
 */
const LEASE_SECONDS = 600;
/** Polling an empty queue backs off from this to {@link MAX_IDLE_MS}, as the host's (shorter: a developer waits). */
const MIN_IDLE_MS = 100;
const MAX_IDLE_MS = 2000;

/**
 * Run queue-triggered functions on real messages under `atakora dev`, as the Functions host does in Azure: poll
 * each function's queue on Azurite, decode each message (base64; JSON text becomes its value, as the Node.js
 * worker passes it), run the function, delete the message when it succeeds; when it fails, make the message
 * visible again for another try, and after the fifth failed try move it to `<queue>-poison`. Authenticates with
 * the dev identity's token, never a key.
 *
 * @example
 * ```ts
 * const triggers = startQueueTriggers(
 *   [{ name: 'Shop-process', queueName: 'orders', connection: 'SHOP_STORAGE', invoke }],
 *   process.env,
 *   console.error,
 * );
 * await triggers.stop();
 * ```
 */
export function startQueueTriggers(
  targets: readonly QueueTriggerTarget[],
  env: Readonly<Record<string, string | undefined>>,
  log: (line: string) => void,
): { stop(): Promise<void> } {
  let stopped = false;
  let wake: (() => void)[] = [];
  const loops = targets.flatMap((t) => {
    const queueName = t.queueName.replace(/^%(.+)%$/, (_, s: string) => env[s] ?? '');
    const uri = env[`${t.connection}__queueServiceUri`];
    if (!uri || !queueName) {
      log(
        `atakora dev: ${t.name} is not polled: no ${t.connection}__queueServiceUri or queue name (POST ` +
          `/admin/functions/${t.name} still runs it).`,
      );
      return [];
    }
    const { queue, poison } = queuePair(
      uri,
      devIdentityToken,
      queueName,
      QUEUE_TRIGGER_DEFAULTS.poisonSuffix,
    );
    return [poll(t, queue, poison)];
  });

  async function poll(
    t: QueueTriggerTarget,
    queue: QueueClient,
    poison: QueueClient,
  ): Promise<void> {
    let idle = MIN_IDLE_MS;
    let reported = '';
    while (!stopped) {
      let received = 0;
      try {
        const { receivedMessageItems: items } = await queue.receiveMessages({
          numberOfMessages: QUEUE_TRIGGER_DEFAULTS.batchSize,
          visibilityTimeout: LEASE_SECONDS,
        });
        received = items.length;
        reported = '';
        await Promise.all(items.map((m) => handle(t, queue, poison, m)));
      } catch (e) {
        // Once per distinct failure (Azurite restarting, the queue deleted), not once per poll.
        const text = e instanceof Error ? e.message : String(e);
        if (text !== reported)
          log(`atakora dev: polling queue ${queue.name} for ${t.name} failed: ${text}`);
        reported = text;
      }
      if (received > 0) {
        idle = MIN_IDLE_MS;
        continue;
      }
      await new Promise<void>((r) => {
        const timer = setTimeout(r, idle);
        wake.push(() => {
          clearTimeout(timer);
          r();
        });
      });
      idle = Math.min(idle * 2, MAX_IDLE_MS);
    }
  }

  async function handle(
    t: QueueTriggerTarget,
    queue: QueueClient,
    poison: QueueClient,
    m: DequeuedMessageItem,
  ): Promise<void> {
    try {
      const input = decodeMessage(m.messageText);
      await t.invoke(input, {
        id: m.messageId,
        popReceipt: m.popReceipt,
        dequeueCount: m.dequeueCount,
        insertionTime: m.insertedOn.toISOString(),
        expirationTime: m.expiresOn.toISOString(),
        nextVisibleTime: m.nextVisibleOn.toISOString(),
      });
      await queue.deleteMessage(m.messageId, m.popReceipt);
      return;
    } catch (e) {
      log(
        `atakora dev: ${t.name} failed on message ${m.messageId} (try ${String(m.dequeueCount)} of ` +
          `${String(QUEUE_TRIGGER_DEFAULTS.maxDequeueCount)}): ` +
          (e instanceof Error ? (e.stack ?? e.message) : String(e)),
      );
    }
    if (m.dequeueCount >= QUEUE_TRIGGER_DEFAULTS.maxDequeueCount) {
      await poison.createIfNotExists();
      await poison.sendMessage(m.messageText);
      await queue.deleteMessage(m.messageId, m.popReceipt);
      log(
        `atakora dev: message ${m.messageId} moved to ${poison.name} after ${String(m.dequeueCount)} failed tries.`,
      );
    } else {
      await queue.updateMessage(
        m.messageId,
        m.popReceipt,
        undefined,
        QUEUE_TRIGGER_DEFAULTS.retryVisibilitySeconds,
      );
    }
  }

  return {
    async stop() {
      stopped = true;
      for (const w of wake) w();
      wake = [];
      await Promise.allSettled(loops);
    },
  };
}

/**
 * A message's text as a queue trigger passes it on: base64-decoded (the host's default `messageEncoding`; text
 * that is not base64 fails the try, as in Azure), then, when it is a JSON object or array, that value (the host
 * hands JSON to the Node.js worker as JSON); any other text as a string.
 *
 * @example
 * ```ts
 * decodeMessage(Buffer.from('{"id":1}').toString('base64')); // { id: 1 }
 * decodeMessage(Buffer.from('hello').toString('base64'));    // 'hello'
 * ```
 */
export function decodeMessage(base64: string): unknown {
  if (base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
    throw new Error(
      'the message is not base64-encoded (queue triggers decode base64 by default: send it with queueClient, ' +
        'or base64-encode it)',
    );
  }
  const text = Buffer.from(base64, 'base64').toString('utf8');
  const trimmed = text.trim();
  if (
    (trimmed.startsWith('{') && trimmed.endsWith('}')) ||
    (trimmed.startsWith('[') && trimmed.endsWith(']'))
  ) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}
