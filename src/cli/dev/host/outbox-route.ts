import { readdir, readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { send } from './answers.js';

/** dev's loopback route listing the local outbox (every e-mail the app sent under `atakora dev`). */
export const OUTBOX_PATH = '/_atakora/outbox';

/** The most e-mails the route lists (the newest): the folder keeps them all. */
const MAX_LISTED = 200;

/**
 * The local outbox of a dev session: `<state folder>/.atakora/outbox`, beside its state file (ignored by git with
 * the rest of `.atakora/`).
 *
 * @example
 * ```ts
 * outboxDirOf('/home/me/teams'); // '/home/me/teams/.atakora/outbox'
 * ```
 */
export function outboxDirOf(stateDir: string): string {
  return join(stateDir, '.atakora', 'outbox');
}

/**
 * `GET /_atakora/outbox`: `{ items }`, the outbox's e-mails newest first (each `{ id, at, from, to, subject, text,
 * html, link? }` as runtime/email/outbox.ts wrote it), at most 200; an empty list before the first. Served on the
 * loopback only, after the Host check, without CORS headers: a page of another origin cannot read it.
 *
 * @example
 * ```ts
 * if (url.pathname === OUTBOX_PATH && method === 'GET') return serveOutbox(res, process.env[OUTBOX_DIR_SETTING]);
 * ```
 */
export async function serveOutbox(res: ServerResponse, dir: string | undefined): Promise<void> {
  let names: string[] = [];
  try {
    names = dir ? (await readdir(dir)).filter((n) => n.endsWith('.json')) : [];
  } catch {
    names = [];
  }
  // File names start with the time written (ISO, `:` and `.` as `-`): their order is the sending order.
  const newest = names.sort().reverse().slice(0, MAX_LISTED);
  const items: unknown[] = [];
  for (const name of newest) {
    try {
      items.push(JSON.parse(await readFile(join(dir ?? '', name), 'utf8')));
    } catch {
      // A file being written or not ours: left out of this answer.
    }
  }
  send(res, 200, { items }, { 'cache-control': 'no-store' });
}
