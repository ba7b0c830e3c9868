import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PlanError } from '../../model/errors.js';
import { openApiFromPlan } from '../../plan/openapi.js';
import { ensureFolder, withFs } from '../shared/fs-errors.js';
import { loadFirstBackend } from '../shared/environment-option.js';
import { UsageError } from '../shared/usage-error.js';
import { at } from '../../model/at.js';

/** Where the command writes (the CLI's Io, structurally: importing main.ts would make a cycle). */
interface Io {
  readonly out: (s: string) => void;
}

/**
 * `atakora openapi <entry> [--out file] [--environment name]`: the OpenAPI 3.1 document of the entry's (first)
 * backend in that environment (its config's by default), from its plan — what its Function Apps serve at `GET api/openapi.json`. Printed, or written to `--out` (its path
 * printed). A plan with errors prints them instead (exit 1).
 *
 * @example
 * ```ts
 * await openApiCommand(['examples/basic.ts'], 'openapi.json', io); // writes the document, prints "openapi.json"
 * ```
 */
export async function openApiCommand(
  args: readonly string[],
  out: string | undefined,
  io: Io,
  environment?: string,
): Promise<number> {
  if (args.length !== 1) throw new UsageError('openapi takes exactly one <entry>.');
  // The environment's document: its hosts, its API registration's scope (ENVIRONMENT_NAME_INVALID as for plan).
  const plan = (await loadFirstBackend(at(args, 0), environment)).plan();
  if (plan.issues.some((i) => i.severity === 'error')) throw new PlanError(plan.issues);
  const json = JSON.stringify(openApiFromPlan(plan), null, 2) + '\n';
  if (out === undefined) io.out(json);
  else {
    // Missing folders on the way are made, as for synth's --out.
    const target = {
      what: 'the OpenAPI file (--out)',
      at: ['openapi', '--out'],
      instead: 'pass another file: --out openapi.json',
    };
    ensureFolder(dirname(resolve(out)), {
      ...target,
      what: `the folder of the OpenAPI file (--out ${out})`,
    });
    withFs(target, out, () => {
      writeFileSync(out, json);
    });
    io.out(`${out}\n`);
  }
  return 0;
}
