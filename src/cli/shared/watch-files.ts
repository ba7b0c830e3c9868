import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/**
 * Call `onChange` once a burst of changes to any of `files` has settled (editors write a file in several
 * steps: truncate, write, rename). Watches each file's folder, not the file: an editor that saves by writing
 * a new file and renaming it over the old one would end a watch on the file itself.
 *
 * @example
 * ```ts
 * const watcher = watchFiles(['main.ts', 'src/fn.ts'], (changed) => { void session.reload(changed); });
 * watcher.close();
 * ```
 */
export function watchFiles(
  files: readonly string[],
  onChange: (changed: string[]) => void,
  debounceMs = 150,
): { close(): void } {
  const byDir = new Map<string, Set<string>>();
  for (const f of files.map((x) => resolve(x))) {
    const names = byDir.get(dirname(f)) ?? new Set<string>();
    names.add(basename(f));
    byDir.set(dirname(f), names);
  }
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    const w = watch(dir, (_event, name) => {
      // Linux and macOS name the file; where the platform does not, any change in the folder counts.
      if (name !== null && !names.has(name)) return;
      pending.add(resolve(dir, name ?? '.'));
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        const changed = [...pending].sort();
        pending.clear();
        onChange(changed);
      }, debounceMs);
    });
    // A folder removed under us ends its watch; the others keep going.
    w.on('error', () => {
      w.close();
    });
    watchers.push(w);
  }
  return {
    close() {
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}

/** What {@link restartOnChange} needs of a dev session. */
interface Reloadable {
  readonly watched: readonly string[];
  reload(): Promise<void>;
}

/**
 * `atakora dev`'s restart loop: when the entry or a handler changes, reload the session (load the entry
 * again, rebuild, restart the workers) and report; changes during a reload start one more after it. A reload
 * that fails (a syntax error mid-edit) is reported and the old workers keep serving until the next save.
 *
 * @example
 * ```ts
 * const stop = restartOnChange(session, {
 *   changed: (f) => log(`${f} changed`),
 *   reloaded: printBanner,
 *   failed: (e) => log(String(e)),
 * });
 * ```
 */
export function restartOnChange(
  session: Reloadable,
  report: {
    changed(files: readonly string[]): void;
    reloaded(): void;
    failed(error: unknown): void;
  },
  debounceMs?: number,
): { close(): void } {
  let watcher: { close(): void } | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;
  const arm = () => {
    if (!closed) watcher = watchFiles(session.watched, onChange, debounceMs);
  };
  function onChange(files: string[]): void {
    report.changed(files);
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await session.reload();
          report.reloaded();
        } catch (e) {
          report.failed(e);
        }
      } while (again && !closed);
      // The handler files may differ after a reload: watch what the new plan names.
      watcher?.close();
      arm();
      running = undefined;
    })();
  }
  arm();
  return {
    close() {
      closed = true;
      watcher?.close();
    },
  };
}
