import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { SiteSourceCheck } from '../../resources/staticsite/type.js';
import type { StaticSiteConfig } from './config.js';

/**
 * The site's content folder as `atakora dev` serves it and `atakora deploy` uploads it: `sourceDirectory`,
 * or `sourceDirectory/outputDirectory` when the build writes elsewhere. Relative to `cwd` (the working
 * directory, as FunctionsApp handler paths are).
 *
 * @example
 * ```ts
 * siteContentDirectory({ sourceDirectory: './web', outputDirectory: 'dist' }, '/repo'); // '/repo/web/dist'
 * ```
 */
export function siteContentDirectory(
  config: Pick<StaticSiteConfig, 'sourceDirectory' | 'outputDirectory'>,
  cwd: string = process.cwd(),
): string | undefined {
  if (config.sourceDirectory === undefined) return undefined;
  const source = isAbsolute(config.sourceDirectory)
    ? config.sourceDirectory
    : resolve(cwd, config.sourceDirectory);
  return config.outputDirectory === undefined ? source : join(source, config.outputDirectory);
}

/**
 * Look at a site's folders once, when it is defined, so the pure planner can report what it found
 * (`SITE_SOURCE_INVALID`: an error, or a warning when `buildCommand` will create the content) without
 * reading the disk itself. Undefined when there is nothing to check (no `sourceDirectory`) or all is well.
 *
 * @example
 * ```ts
 * checkSiteSource({ sourceDirectory: './webb' }); // { state: 'missing', field: 'sourceDirectory', resolved: '/repo/webb', … }
 * ```
 */
export function checkSiteSource(
  config: StaticSiteConfig,
  cwd: string = process.cwd(),
): SiteSourceCheck | undefined {
  const content = siteContentDirectory(config, cwd);
  if (content === undefined) return undefined;
  const index = config.indexDocument ?? 'index.html';
  const building = config.buildCommand !== undefined;
  // With an outputDirectory the build runs in sourceDirectory: that folder must exist whatever the build does.
  const source = siteContentDirectory({ sourceDirectory: config.sourceDirectory }, cwd);
  if (config.outputDirectory !== undefined && source !== undefined) {
    const state = folderState(source, undefined);
    if (state === 'missing' || state === 'not-folder')
      return { state, field: 'sourceDirectory', resolved: source, index, buildCreates: false };
  }
  const state = folderState(content, index);
  if (state === 'ok') return undefined;
  return {
    state,
    field: config.outputDirectory === undefined ? 'sourceDirectory' : 'outputDirectory',
    resolved: content,
    index,
    buildCreates: building,
  };
}

function folderState(dir: string, index: string | undefined): SiteSourceCheck['state'] | 'ok' {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) return 'not-folder';
    entries = readdirSync(dir);
  } catch {
    return 'missing';
  }
  if (index === undefined) return 'ok';
  if (entries.length === 0) return 'empty';
  try {
    return statSync(join(dir, index)).isFile() ? 'ok' : 'no-index';
  } catch {
    return 'no-index';
  }
}
