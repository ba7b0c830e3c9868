import { readSitePorts, recordSitePorts } from '../../shared/dev-state.js';

/** Which port each site had the last time, and a way to record the one it has now. */
export interface SitePortMemory {
  portOf(componentId: string): number | undefined;
  remember(componentId: string, port: number): void;
}

/**
 * The sites' ports across restarts of one entry, kept in its dev state file (`.atakora/dev-state-<entry>-<hash>.json`,
 * shared/dev-state.ts): a restart serves each site where its open tabs are, so their origin — and the CORS that
 * admits it — still holds.
 *
 * @example
 * ```ts
 * const ports = sitePortMemory('backend.ts');
 * ports.portOf('NotesWeb'); // 41234 after an earlier run
 * ```
 */
export function sitePortMemory(entry: string, dir: string = process.cwd()): SitePortMemory {
  const known = readSitePorts(dir, entry);
  return {
    portOf: (componentId) => known[componentId],
    remember(componentId, port) {
      if (known[componentId] === port) return;
      known[componentId] = port;
      recordSitePorts(dir, entry, known);
    },
  };
}
