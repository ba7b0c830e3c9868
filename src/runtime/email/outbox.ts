import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmailSender, OutgoingEmail } from './email-types.js';

/**
 * One e-mail as the local outbox keeps it (`.atakora/outbox/<at>-<id>.json`, dev's `GET /_atakora/outbox`): the
 * message as it would have been sent, and its link (an invitation's accept link, as the message names it).
 *
 * @example
 * ```ts
 * const entry: OutboxEntry = { id: '…', at: '2026-01-01T00:00:00.000Z', from: 'DoNotReply@x', to: 'bob@example.com', subject: '…', text: '…', html: '…', link: 'http://localhost:4280/?invitation=…' };
 * ```
 */
export interface OutboxEntry extends OutgoingEmail {
  readonly id: string;
  readonly at: string;
  readonly from: string;
  readonly link?: string;
}

/** What the outbox is given: its directory (none: printed only), the sender address, where lines go. */
export interface OutboxOptions {
  readonly dir?: string | undefined;
  readonly from: string;
  readonly log?: ((line: string) => void) | undefined;
}

/**
 * The local outbox (`atakora dev`, and any runtime without a mail endpoint): every e-mail is printed with its link
 * and, with a directory, written there as one JSON file — never sent over the network. It never fails a send.
 *
 * @example
 * ```ts
 * const sender = outboxSender({ dir: '.atakora/outbox', from: 'DoNotReply@azure-managed.localhost' });
 * ```
 */
export function outboxSender(options: OutboxOptions): EmailSender {
  const log =
    options.log ??
    ((line: string) => {
      console.log(line);
    });
  return {
    async send(mail) {
      const at = new Date().toISOString();
      // The link the message names as its own (never a URL some user-written value carried into the text).
      const link = mail.link;
      const entry: OutboxEntry = {
        id: randomUUID(),
        at,
        from: options.from,
        ...mail,
        ...(link ? { link } : {}),
      };
      log(`[outbox] to ${mail.to}: ${mail.subject}${link ? ` — ${link}` : ''}`);
      if (!options.dir) return;
      await mkdir(options.dir, { recursive: true });
      const name = `${at.replace(/[:.]/g, '-')}-${entry.id}.json`;
      await writeFile(join(options.dir, name), `${JSON.stringify(entry, null, 2)}\n`);
    },
  };
}
