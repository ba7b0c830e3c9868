import type { TokenCredential } from '@azure/identity';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { QueueServiceClient, type StoragePipelineOptions } from '@azure/storage-queue';
import { AtakoraError } from '../../model/errors.js';
import { QUEUES_SETTING, type DeclaredQueues } from '../../model/queue-settings.js';
import { inQueueSpan } from '../telemetry/queue-span.js';

/**
 * What {@link QueueSender.send} takes: a string (sent as its text) or a JSON value (sent as its JSON text).
 *
 * @example
 * ```ts
 * const body: QueueMessageBody = { orderId: 'o-1', total: 42 };
 * ```
 */
export type QueueMessageBody = string | number | boolean | null | object;

/**
 * Options of one send.
 *
 * @example
 * <!-- snippet: no-run (a handler's code: sends through the Function App's queue settings) -->
 * ```ts
 * const id = 'b-1';
 * await queueClient('reminders').send({ id }, { visibilityTimeoutSeconds: 3600 }); // visible in an hour
 * ```
 */
export interface QueueSendOptions {
  /** Seconds before the message becomes visible to the queue's consumers: 0 (the default) to 604800 (7 days). */
  readonly visibilityTimeoutSeconds?: number;
}

/**
 * What the queue service answered for a sent message.
 *
 * @example
 * <!-- snippet: no-run (a handler's code: sends through the Function App's queue settings) -->
 * ```ts
 * const { messageId } = await queueClient('emails').send({ to: 'a@example.com' });
 * ```
 */
export interface SentQueueMessage {
  readonly messageId: string;
  readonly insertedOn: Date;
  readonly expiresOn: Date;
  readonly nextVisibleOn: Date;
}

/**
 * A queue the backend declares, ready to send to.
 *
 * @example
 * <!-- snippet: no-run (a handler's code: the Function App's settings declare the queue) -->
 * ```ts
 * const emails: QueueSender = queueClient('emails');
 * ```
 */
export interface QueueSender {
  readonly name: string;
  send(message: QueueMessageBody, options?: QueueSendOptions): Promise<SentQueueMessage>;
}

/**
 * Options of {@link queueClient} (tests and custom hosts; handlers pass none).
 *
 * @example
 * ```ts
 * queueClient('emails', {
 *   env: {
 *     ATAKORA_QUEUES: '{"emails":"SHOP_STORAGE"}',
 *     SHOP_STORAGE__queueServiceUri: 'https://stshop.queue.core.windows.net',
 *   },
 * });
 * ```
 */
export interface QueueClientOptions {
  /** The app settings; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Default: the declaring component's managed identity (its connection's `__clientId`), else
   * `DefaultAzureCredential`.
   */
  readonly credential?: TokenCredential;
  /** Pipeline options of the queue client (tests pass an HTTP client that trusts a local certificate). */
  readonly pipeline?: StoragePipelineOptions;
}

/**
 * The largest text a message may carry: the queue service takes 64 KiB per message, and the text goes out
 * base64-encoded (4 characters per 3 bytes) — Learn, "Put Message": "The message can be up to 64 KiB in size".
 */
const MAX_TEXT_BYTES = 48 * 1024;
/** Learn, "Put Message": visibilitytimeout "must be … no larger than 7 days". */
const MAX_VISIBILITY_SECONDS = 7 * 24 * 3600;

/**
 * Send messages to a storage queue the backend declares (a FunctionsApp's `queues`, or a queue trigger's
 * `queueName`), with the identity of the component that declares it, which holds Storage Queue Data Contributor on
 * the account. Where and as whom come from the app settings apply writes (`ATAKORA_QUEUES`, and the connection's
 * `<PREFIX>__queueServiceUri` and `__clientId`); under `atakora dev` the queue is on Azurite. A message goes out
 * base64-encoded, as a queue trigger decodes it by default (host.json `extensions.queues.messageEncoding`:
 * `base64`); a JSON value is sent as its JSON text, which a Node queue trigger gets back as the value.
 *
 * Throws `QUEUE_UNDECLARED` when no component of this Function App declares the queue (the error lists those that
 * are). A literal name (`queueClient('emails')`) is checked earlier, when the package is built.
 *
 * @example
 * <!-- snippet: no-run (a handler's code: sends through the Function App's queue settings) -->
 * ```ts
 * import { queueClient } from '@atakora/component/runtime';
 * await queueClient('emails').send({ to: 'ada@example.com', template: 'welcome' });
 * ```
 */
export function queueClient(name: string, options: QueueClientOptions = {}): QueueSender {
  const env = options.env ?? process.env;
  const declared = declaredQueues(env);
  const connection =
    typeof name === 'string' && Object.hasOwn(declared, name) ? declared[name] : undefined;
  if (connection === undefined) {
    const names = Object.keys(declared).sort();
    throw new AtakoraError(
      'QUEUE_UNDECLARED',
      `queueClient(${JSON.stringify(name)}): no component of this Function App declares that queue (${names.length ? `declared: ${names.join(', ')}` : 'it declares none'}).`,
      {
        // `name` may be anything when called from JavaScript; String() keeps the path printable.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion
        path: ['queueClient', String(name)],
        details: { queue: name, declared: names },
      },
    );
  }
  const uriSetting = `${connection}__queueServiceUri`;
  const uri = env[uriSetting]?.trim();
  if (!uri)
    throw new AtakoraError(
      'RUNTIME_CONFIG_INVALID',
      `App setting ${uriSetting} (the queue service of queue "${name}") is missing.`,
      { path: ['appSettings', uriSetting] },
    );
  const clientId = env[`${connection}__clientId`]?.trim() || undefined;
  const service =
    options.credential || options.pipeline
      ? new QueueServiceClient(uri, options.credential ?? credentialFor(clientId), options.pipeline)
      : serviceFor(uri, clientId);
  const queue = service.getQueueClient(name);
  return {
    name,
    async send(message, sendOptions = {}) {
      const text = messageText(name, message);
      const visibilityTimeout = visibility(name, sendOptions.visibilityTimeoutSeconds);
      const sent = await inQueueSpan(name, () =>
        queue.sendMessage(
          Buffer.from(text, 'utf8').toString('base64'),
          visibilityTimeout === undefined ? {} : { visibilityTimeout },
        ),
      );
      return {
        messageId: sent.messageId,
        insertedOn: sent.insertedOn,
        expiresOn: sent.expiresOn,
        nextVisibleOn: sent.nextVisibleOn,
      };
    },
  };
}

function declaredQueues(env: Readonly<Record<string, string | undefined>>): DeclaredQueues {
  const raw = env[QUEUES_SETTING];
  if (raw === undefined || raw.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (
      parsed &&
      typeof parsed === 'object' &&
      !Array.isArray(parsed) &&
      Object.values(parsed).every((v) => typeof v === 'string')
    )
      return parsed as DeclaredQueues;
  } catch {
    // reported below
  }
  throw new AtakoraError(
    'RUNTIME_CONFIG_INVALID',
    `App setting ${QUEUES_SETTING} is not a JSON object of queue names to connection names.`,
    { path: ['appSettings', QUEUES_SETTING] },
  );
}

function messageText(name: string, message: unknown): string {
  let text: string | undefined;
  try {
    if (typeof message === 'string') {
      text = message;
    } else {
      // JSON.stringify gives undefined for undefined, functions and symbols, whatever its declared type says.
      const json: string | undefined = JSON.stringify(message);
      text = json;
    }
  } catch (e) {
    throw new AtakoraError(
      'QUEUE_MESSAGE_INVALID',
      `queueClient("${name}").send: the message cannot be written as JSON ` +
        `(${e instanceof Error ? e.message : String(e)}).`,
      { path: ['queueClient', name, 'message'] },
    );
  }
  if (text === undefined) {
    throw new AtakoraError(
      'QUEUE_MESSAGE_INVALID',
      `queueClient("${name}").send: a ${typeof message} is not a JSON value; send a string or JSON data.`,
      { path: ['queueClient', name, 'message'] },
    );
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_TEXT_BYTES) {
    throw new AtakoraError(
      'QUEUE_MESSAGE_INVALID',
      `queueClient("${name}").send: the message is ${String(bytes)} bytes; a queue message holds at most ` +
        `${String(MAX_TEXT_BYTES)} (64 KiB once base64-encoded).`,
      {
        path: ['queueClient', name, 'message'],
        resolution:
          'Keep messages small: store the payload (a CrudApi item, a blob) and send its id.',
      },
    );
  }
  return text;
}

function visibility(name: string, seconds: unknown): number | undefined {
  if (seconds === undefined) return undefined;
  if (
    typeof seconds !== 'number' ||
    !Number.isInteger(seconds) ||
    seconds < 0 ||
    seconds > MAX_VISIBILITY_SECONDS
  ) {
    throw new AtakoraError(
      'QUEUE_MESSAGE_INVALID',
      `queueClient("${name}").send: visibilityTimeoutSeconds ${JSON.stringify(seconds)} must be a whole ` +
        `number from 0 to ${String(MAX_VISIBILITY_SECONDS)}.`,
      { path: ['queueClient', name, 'visibilityTimeoutSeconds'] },
    );
  }
  return seconds;
}

/**
 * One credential per identity and one service client per endpoint and identity, for the process: a handler that
 * calls `queueClient(name)` per request reuses the token the first call got. A cache of clients, safe to lose.
 */
const credentials = new Map<string, TokenCredential>();
const services = new Map<string, QueueServiceClient>();

function credentialFor(clientId: string | undefined): TokenCredential {
  const key = clientId ?? '';
  let credential = credentials.get(key);
  if (!credential)
    credentials.set(
      key,
      (credential = clientId
        ? new ManagedIdentityCredential({ clientId })
        : new DefaultAzureCredential()),
    );
  return credential;
}

function serviceFor(uri: string, clientId: string | undefined): QueueServiceClient {
  const key = `${uri}\n${clientId ?? ''}`;
  let service = services.get(key);
  if (!service) services.set(key, (service = new QueueServiceClient(uri, credentialFor(clientId))));
  return service;
}
