import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * What a `migrate` run of one component has done so far, saved after every batch. The database itself records
 * which items are done (a rewritten item carries the current version, and each batch queries older items only),
 * so no continuation token is kept: a resumed run's query starts where the killed one stopped, in every
 * partition. The file keeps what the database cannot: the running tallies and the items whose migration threw
 * (a resumed run skips those rather than failing on them again).
 */
export interface Checkpoint {
  readonly version: 1;
  readonly component: string;
  /** Where the items are: a checkpoint of another account or container is not resumed. */
  readonly target: string;
  readonly schemaVersion: number;
  readonly state: 'running' | 'done';
  readonly rewritten: number;
  readonly overtaken: number;
  readonly failed: readonly { readonly id: string; readonly detail: string }[];
  readonly versions: Readonly<Record<number, number>>;
  readonly updatedAt: string;
}

/** `.atakora/migrate/<environment>-<component>.json` under the working folder. */
export function checkpointFile(dir: string, environment: string, component: string): string {
  return resolve(dir, join('.atakora', 'migrate', `${environment}-${component}.json`));
}

/**
 * The unfinished run to resume: the saved checkpoint if it is `running` for the same target and version;
 * undefined for none, a finished run (a new run starts from zero and retries earlier failures), or a file that
 * does not parse (the database still knows what is done).
 */
export function resumable(
  file: string,
  target: string,
  schemaVersion: number,
): Checkpoint | undefined {
  let saved: Partial<Checkpoint>;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<Checkpoint>;
  } catch {
    return undefined;
  }
  if (
    saved.version !== 1 ||
    saved.state !== 'running' ||
    saved.target !== target ||
    saved.schemaVersion !== schemaVersion ||
    !Array.isArray(saved.failed)
  )
    return undefined;
  return saved as Checkpoint;
}

/** Save atomically (a kill mid-write leaves the previous checkpoint, never half a file). */
export function saveCheckpoint(file: string, checkpoint: Checkpoint): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${String(process.pid)}.tmp`;
  writeFileSync(tmp, JSON.stringify(checkpoint, null, 2) + '\n');
  renameSync(tmp, file);
}
