import type {
  CreatedWebhook,
  RotatedWebhook,
  Webhook,
  WebhookDelivery,
} from '../contract/integrations/webhooks.js';
import { WEBHOOK_ROUTES } from '../contract/integrations/webhooks.js';
import { apiPrefixOf } from './domains-client.js';
import { send, type Transport } from './transport.js';
import type { WebhooksClient } from './types.js';
import { urlSegment } from './url-segment.js';

type Signal = { readonly signal?: AbortSignal } | undefined;
const signal = (o: Signal) => (o?.signal ? { signal: o.signal } : {});

/**
 * `client.tenant.webhooks`: the outbound webhooks of the organization the client acts in (an Owner or an Admin) —
 * `create` answers the signing secret once, the others never do.
 *
 * @example
 * ```ts
 * const { secret } = await client.tenant.webhooks.create({ url: 'https://hooks.example.com/a', events: ['*'] });
 * ```
 */
export function webhooksMember(t: Transport): WebhooksClient {
  const at: Transport = { ...t, baseUrl: `${apiPrefixOf(t.baseUrl)}/${WEBHOOK_ROUTES.webhooks}` };
  const one = (id: string, method: string) =>
    `/${urlSegment(id, ['tenant', 'webhooks', method, 'id'])}`;
  return {
    create: async (input, options) =>
      (await send(at, { method: 'POST', path: '', body: input, ...signal(options) }))
        .body as CreatedWebhook,
    list: async (options) =>
      (
        (await send(at, { method: 'GET', path: '', ...signal(options) })).body as {
          items: Webhook[];
        }
      ).items,
    get: async (id, options) =>
      (await send(at, { method: 'GET', path: one(id, 'get'), ...signal(options) })).body as Webhook,
    update: async (id, patch, options) =>
      (
        await send(at, {
          method: 'PATCH',
          path: one(id, 'update'),
          body: patch,
          ...signal(options),
        })
      ).body as Webhook,
    remove: async (id, options) => {
      await send(at, { method: 'DELETE', path: one(id, 'remove'), ...signal(options) });
    },
    deliveries: async (id, options) => {
      const first = options?.first === undefined ? '' : `?$first=${String(options.first)}`;
      const path = `${one(id, 'deliveries')}/deliveries${first}`;
      return (
        (await send(at, { method: 'GET', path, ...signal(options) })).body as {
          items: WebhookDelivery[];
        }
      ).items;
    },
    retry: async (id, delivery, options) => {
      const d = urlSegment(delivery, ['tenant', 'webhooks', 'retry', 'delivery']);
      const path = `${one(id, 'retry')}/deliveries/${d}/retry`;
      return (await send(at, { method: 'POST', path, ...signal(options) })).body as WebhookDelivery;
    },
    rotate: async (id, options) =>
      (
        await send(at, {
          method: 'POST',
          path: `${one(id, 'rotate')}/rotate`,
          ...signal(options),
        })
      ).body as RotatedWebhook,
  };
}
