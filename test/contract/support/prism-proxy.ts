/**
 * `prism proxy --errors` (Stoplight Prism, which checks each request and response against the document) in front of
 * `atakora dev` serving `entry`: the document as the dev server serves it, and a `call` that records every answer
 * Prism flags (its `sl-violations` header, or a problem of its own).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type DevSession, startDev } from '../../../src/cli/dev/session/session.js';
import { freePort } from '../../runtime/support/free-port.js';
import { undeclaredHeaders } from './declared-headers.js';

const root = resolve(import.meta.dirname, '../../..');

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly violations: string | null;
}

export interface PrismProxy {
  readonly base: string;
  /** `atakora dev`'s own URL, behind Prism (where a stand-in delivers what Prism need not see). */
  readonly upstream: string;
  /** Every flagged answer so far, as `METHOD path → status violations`. */
  readonly violations: string[];
  /** Every response header the runtime sent that the document does not declare for that answer. */
  readonly undeclared: string[];
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer>;
  stop(): Promise<void>;
}

export async function startPrismProxy(entry: string): Promise<PrismProxy> {
  const work = mkdtempSync(join(root, '.tmp-openapi-prism-'));
  const dev: DevSession = await startDev(entry, { log: () => undefined });
  let prism: ChildProcess | undefined;
  let port = 0;
  let document: Record<string, unknown> = {};
  let upstream = '';
  const stop = async () => {
    prism?.kill();
    await dev.stop();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    upstream = dev.apps[0]!.url;
    const doc = join(work, 'openapi.json');
    const text = await (await fetch(`${upstream}/api/openapi.json`)).text();
    document = JSON.parse(text) as Record<string, unknown>;
    writeFileSync(doc, text);
    port = await freePort();
    prism = spawn(
      process.execPath,
      [
        join(root, 'node_modules/@stoplight/prism-cli/dist/index.js'),
        'proxy',
        doc,
        upstream,
        '--errors',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    await new Promise<void>((ok, fail) => {
      const seen = (d: Buffer) => {
        out += String(d);
        if (out.includes('Prism is listening')) ok();
      };
      prism!.stdout!.on('data', seen);
      prism!.stderr!.on('data', seen);
      prism!.once('exit', (code) => fail(new Error(`prism exited (${String(code)}): ${out}`)));
    });
  } catch (e) {
    await stop();
    throw e;
  }
  const base = `http://127.0.0.1:${String(prism.spawnargs.at(-1) ?? '')}`;
  const violations: string[] = [];
  const undeclared: string[] = [];
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const r = await fetch(base + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    const answer = { status: r.status, body: parsed, violations: r.headers.get('sl-violations') };
    // Prism's own answers (its problem types) and its violation header are what the document failed to say.
    const type = (parsed as { type?: unknown } | undefined)?.type;
    if (answer.violations || (typeof type === 'string' && type.includes('stoplight.io/prism')))
      violations.push(`${method} ${path} → ${String(r.status)} ${answer.violations ?? text}`);
    else undeclared.push(...undeclaredHeaders(document, method, path, r.status, r.headers));
    return answer;
  };
  return { base, upstream, violations, undeclared, call, stop };
}
