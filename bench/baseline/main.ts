/**
 * The baseline as a whole program, the way `npx tsx main.ts` runs a cdktf app: synthesize one of the
 * baseline stacks (crud-apis-stack.ts) into `<outdir>`. bench/cli-start.ts times it against `atakora synth`
 * and checks both write the same bytes.
 *
 *   tsx bench/baseline/main.ts <outdir> cli        twin of bench/cli-start.ts's entry (2 CrudApis)
 *   tsx bench/baseline/main.ts <outdir> bench:<n>  twin of bench/run.ts's backend of n CrudApis
 */
import { App } from 'cdktf';
import { CrudApisBaselineStack } from './crud-apis-stack.js';
import { benchBackendSpec, cliBackendSpec } from './specs.js';

const [outdir, which = 'cli'] = process.argv.slice(2);
if (!outdir || !/^(cli|bench:\d+)$/.test(which))
  throw new Error('usage: tsx bench/baseline/main.ts <outdir> [cli|bench:<n>]');
const app = new App({ outdir });
new CrudApisBaselineStack(
  app,
  which === 'cli' ? cliBackendSpec() : benchBackendSpec(Number(which.slice('bench:'.length))),
);
app.synth();
