import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import type { ErrorCode } from '../../model/error-codes.js';
import { AtakoraError } from '../../model/errors.js';
import { processAlive } from '../../kit/node/processes.js';

/**
 * Where a running `atakora dev` of `entry` says how to reach its local Cosmos DB server: one file per entry under
 * `<dir>/.atakora/` (its name, and a hash of its absolute path), so that two devs of two entries in one folder each
 * keep their own — neither overwrites the other's, and one's stop does not remove the other's.
 *
 * @example
 * ```ts
 * devStateFile('/app', 'backend.ts'); // '/app/.atakora/dev-state-backend-<10 hex digits>.json'
 * ```
 */
export function devStateFile(dir: string, entry: string): string {
  const absolute = resolve(dir, entry);
  const name = basename(absolute, extname(absolute)).replace(/[^A-Za-z0-9_-]/g, '_');
  const hash = createHash('sha256').update(absolute).digest('hex').slice(0, 10);
  return resolve(dir, '.atakora', `dev-state-${name}-${hash}.json`);
}

/** What `atakora dev` records while it runs, for `atakora migrate --local` and `atakora seed --local`. */
export interface DevState {
  readonly version: 1;
  /** The dev process: a state file whose process is gone is left over from a killed dev. */
  readonly pid: number;
  /** The entry dev serves (absolute). */
  readonly entry: string;
  readonly environment?: string;
  /** The session's caller (`--user`/`--tenant`): whom `seed --local` seeds for when no --tenant/--owner is given. */
  readonly user?: { readonly oid: string; readonly tid: string };
  /**
   * Each static site's port (by component id), kept after dev stops: the next start of the same entry serves each
   * site on its port again, so that open tabs (and the CORS origins they were opened on) keep working.
   */
  readonly sitePorts?: Readonly<Record<string, number>>;
  /** Dev's Azurite blob service (the FileStores), for `atakora tenant … --local`; absent when none runs. */
  readonly blobs?: {
    /** `https://127.0.0.1:<port>/devstoreaccount1/`. */
    readonly endpoint: string;
    /** The PEM certificate of dev's loopback TLS (public). */
    readonly ca: string;
  };
  readonly cosmos: {
    /** The local server's endpoint: always a loopback address. */
    readonly endpoint: string;
    /** The key dev's clients use (the local server checks none). */
    readonly key: string;
    /** The PEM certificate of dev's loopback TLS (public), to verify the server with. */
    readonly ca: string;
  };
}

/**
 * Write the state file, readable by its owner only (mode 0600: it holds a key, even if only a local one).
 * Returns its path, for {@link removeDevState}.
 *
 * @example
 * ```ts
 * const file = writeDevState(process.cwd(), { version: 1, pid: process.pid, entry, cosmos });
 * ```
 */
export function writeDevState(dir: string, state: DevState): string {
  const file = devStateFile(dir, state.entry);
  const sitePorts = state.sitePorts ?? readSitePorts(dir, state.entry);
  writeStateFile(file, Object.keys(sitePorts).length > 0 ? { ...state, sitePorts } : state);
  return file;
}

function writeStateFile(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
  // writeFileSync's mode applies to a new file only: an older file keeps its mode otherwise.
  chmodSync(file, 0o600);
}

/** The state file's JSON object, or undefined when there is none (or it is not an object). */
function stateObject(file: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The sites' ports the last dev of `entry` recorded (component id → port); empty when none.
 *
 * @example
 * ```ts
 * readSitePorts(process.cwd(), 'backend.ts'); // { NotesWeb: 41234 }
 * ```
 */
export function readSitePorts(dir: string, entry: string): Record<string, number> {
  const ports = stateObject(devStateFile(dir, entry))?.['sitePorts'];
  if (!ports || typeof ports !== 'object' || Array.isArray(ports)) return {};
  return Object.fromEntries(
    Object.entries(ports).filter(
      (e): e is [string, number] => Number.isInteger(e[1]) && e[1] > 0 && e[1] < 65536,
    ),
  );
}

/**
 * Record the sites' ports in the state file of `entry` (created with only them when dev has no local Cosmos DB
 * server), keeping what else it says.
 *
 * @example
 * ```ts
 * recordSitePorts(process.cwd(), 'backend.ts', { NotesWeb: 41234 });
 * ```
 */
export function recordSitePorts(dir: string, entry: string, ports: Record<string, number>): void {
  const file = devStateFile(dir, entry);
  const state = stateObject(file) ?? { version: 1, entry: resolve(dir, entry) };
  writeStateFile(file, { ...state, sitePorts: ports });
}

/**
 * Record dev's Azurite blob service in the running dev's state file of `entry` (a no-op without one: the tenant
 * commands reach files only beside the local Cosmos DB server that file names).
 *
 * @example
 * ```ts
 * recordDevBlobs(process.cwd(), 'backend.ts', { endpoint: blobs.endpoint, ca: tls.cert });
 * ```
 */
export function recordDevBlobs(
  dir: string,
  entry: string,
  blobs: { readonly endpoint: string; readonly ca: string },
  pid: number = process.pid,
): void {
  const file = devStateFile(dir, entry);
  const state = stateObject(file);
  if (state?.['pid'] !== pid) return;
  writeStateFile(file, { ...state, blobs: { endpoint: blobs.endpoint, ca: blobs.ca } });
}

/**
 * Remove the state file if it is still this process's (another dev may have started since); the sites' ports stay,
 * alone in it, for the next start.
 */
export function removeDevState(file: string, pid: number = process.pid): void {
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as {
      pid?: unknown;
      version?: unknown;
      entry?: unknown;
      sitePorts?: unknown;
    };
    if (state.pid !== pid) return;
    if (state.sitePorts && typeof state.sitePorts === 'object')
      writeStateFile(file, {
        version: state.version,
        entry: state.entry,
        sitePorts: state.sitePorts,
      });
    else rmSync(file, { force: true });
  } catch {
    // Gone already, or not ours to judge: leave it.
  }
}

const LOOPBACK = /^https:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\/?$/;
/** A loopback HTTPS endpoint with a path (Azurite's `/devstoreaccount1/`). */
const LOOPBACK_PATH = /^https:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\/[^\s]*$/;

/**
 * A command reading dev's state (`--local`), as its refusal names it when no dev runs: its words (`tenant export`),
 * its documented code, and the way out.
 */
export interface LocalCommand {
  readonly name: string;
  readonly code: ErrorCode;
  readonly resolution?: string;
}

/**
 * The state of the `atakora dev` running `entry` in `dir`, checked: the file exists, its process is alive, it
 * serves that entry, and its endpoint is a loopback address (anyone who can write the folder can write the file:
 * never send its key anywhere else).
 *
 * @example
 * ```ts
 * const { cosmos } = readDevState(process.cwd(), 'backend.ts');
 * ```
 */
export function readDevState(
  dir: string,
  entry: string,
  command: 'migrate' | 'seed' | LocalCommand = 'migrate',
): DevState {
  const file = devStateFile(dir, entry);
  const shown = relative(dir, file);
  const asked: LocalCommand =
    typeof command === 'string'
      ? {
          name: command,
          code: command === 'seed' ? 'SEED_DEV_NOT_RUNNING' : 'MIGRATE_DEV_NOT_RUNNING',
        }
      : command;
  const notRunning = (why: string) =>
    new AtakoraError(
      asked.code,
      `${asked.name} --local needs the atakora dev of ${entry} running in this folder: ${why}.`,
      {
        path: [...asked.name.split(' '), '--local'],
        ...(asked.resolution ? { resolution: asked.resolution } : {}),
      },
    );
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw notRunning(`${shown} does not exist`);
  }
  let state: DevState;
  try {
    state = JSON.parse(text) as DevState;
  } catch {
    throw invalid(file, 'it is not JSON');
  }
  const cosmos = state?.cosmos;
  // What a stopped dev (or one without a CrudApi) leaves: its sites' ports, no server.
  if (state && typeof state === 'object' && state.pid === undefined && cosmos === undefined)
    throw notRunning(`${shown} names no running local Cosmos DB server`);
  if (
    state?.version !== 1 ||
    !Number.isInteger(state.pid) ||
    typeof state.entry !== 'string' ||
    typeof cosmos?.endpoint !== 'string' ||
    typeof cosmos.key !== 'string' ||
    typeof cosmos.ca !== 'string'
  )
    throw invalid(file, 'it lacks version, pid, entry or cosmos { endpoint, key, ca }');
  if (!LOOPBACK.test(cosmos.endpoint))
    throw invalid(file, `its endpoint ${cosmos.endpoint} is not a loopback address`);
  // A tenant import writes a customer's files to this endpoint: only ever to dev's own loopback Azurite.
  const blobs = state.blobs as { endpoint?: unknown; ca?: unknown } | undefined;
  if (
    blobs !== undefined &&
    (typeof blobs.endpoint !== 'string' ||
      typeof blobs.ca !== 'string' ||
      !LOOPBACK_PATH.test(blobs.endpoint))
  )
    throw invalid(file, 'its blobs are not { endpoint, ca } on a loopback address');
  if (!processAlive(state.pid))
    throw notRunning(`the dev that wrote ${shown} (process ${String(state.pid)}) has stopped`);
  if (resolve(dir, entry) !== resolve(dir, state.entry))
    throw notRunning(`the running dev serves ${state.entry}`);
  return state;
}

function invalid(file: string, why: string): AtakoraError {
  return new AtakoraError('MIGRATE_DEV_STATE_INVALID', `${file} is not a dev state file: ${why}.`, {
    path: ['migrate', '--local'],
  });
}
