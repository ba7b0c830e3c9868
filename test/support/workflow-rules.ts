import { parse } from 'yaml';

/**
 * Rules every example GitHub Actions workflow keeps, as data (one finding per break):
 * - No `${{ … }}` in a `run:` script or an `actions/github-script` `script:`: GitHub pastes the expression's value
 *   into the script text before the shell (or Node) reads it, so a branch name, a pull request's title or any
 *   event field becomes code (GitHub, "Security hardening for GitHub Actions", "Understanding the risk of script
 *   injections"). Values go through `env:` and are read as `"$NAME"`.
 * - A workflow that runs pull-request code (`pull_request`, `pull_request_target`) and signs in to Azure does so
 *   as an identity of its own: every such job names a GitHub `environment` that is not production's (the
 *   federated credential's subject is then `repo:<owner>/<repo>:environment:<name>`), and none of the client ids
 *   it uses is one a production workflow (on push / release / dispatch, or in a production environment) uses.
 *   `pull_request_target` with Azure credentials is refused outright: it runs with the base repository's rights.
 */
export interface WorkflowFile {
  readonly path: string;
  readonly text: string;
}

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  name?: string;
}
interface Job {
  environment?: string | { name?: string };
  env?: Record<string, unknown>;
  steps?: Step[];
}
interface Workflow {
  on?: unknown;
  env?: Record<string, unknown>;
  jobs?: Record<string, Job>;
}

const EXPRESSION = /\$\{\{([^}]*)\}\}/g;
const PRODUCTION = /prod/i;
const CLIENT_ID_ENV = ['ARM_CLIENT_ID', 'AZURE_CLIENT_ID'];

function triggers(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return on && typeof on === 'object' ? Object.keys(on) : [];
}
const environmentOf = (job: Job) =>
  typeof job.environment === 'string' ? job.environment : job.environment?.name;
const normalize = (v: unknown) => String(v).replace(/\s+/g, '');

/** The client ids (as written: `${{ vars.X }}`) a job signs in with, from azure/login and the env it sees. */
function clientIds(wf: Workflow, job: Job): string[] {
  const ids: string[] = [];
  for (const env of [wf.env, job.env, ...(job.steps ?? []).map((s) => s.env)])
    for (const k of CLIENT_ID_ENV) if (env?.[k] !== undefined) ids.push(normalize(env[k]));
  for (const s of job.steps ?? [])
    if (s.uses?.startsWith('azure/login@') && s.with?.['client-id'] !== undefined)
      ids.push(normalize(s.with['client-id']));
  return ids;
}

/**
 * Every break of the rules above across `files`, as `<path>: <job>/<step>: <what>` lines (none: all kept).
 *
 * @example
 * ```ts
 * expect(workflowFindings([{ path: 'preview.yml', text }])).toEqual([]);
 * ```
 */
export function workflowFindings(files: readonly WorkflowFile[]): string[] {
  const out: string[] = [];
  const parsed = files.map((f) => ({ ...f, wf: parse(f.text) as Workflow }));
  const production = new Set<string>();
  for (const { wf } of parsed) {
    const on = triggers(wf.on);
    const prodTrigger = on.some((t) =>
      ['push', 'release', 'workflow_dispatch', 'schedule'].includes(t),
    );
    for (const job of Object.values(wf.jobs ?? {}))
      if (prodTrigger || PRODUCTION.test(environmentOf(job) ?? ''))
        for (const id of clientIds(wf, job)) production.add(id);
  }
  for (const { path, wf } of parsed) {
    const on = triggers(wf.on);
    const prCode = on.filter((t) => t === 'pull_request' || t === 'pull_request_target');
    for (const [jobName, job] of Object.entries(wf.jobs ?? {})) {
      for (const [i, step] of (job.steps ?? []).entries()) {
        const where = `${path}: ${jobName}/${step.name ?? `step ${String(i + 1)}`}`;
        const scripts = [
          ['run', step.run],
          [
            'script',
            step.uses?.startsWith('actions/github-script@') ? step.with?.['script'] : undefined,
          ],
        ] as const;
        for (const [kind, text] of scripts)
          for (const m of String(text ?? '').matchAll(EXPRESSION))
            out.push(`${where}: \${{${m[1] ?? ''}}} in ${kind}: text (pass it through env:)`);
      }
      if (prCode.length === 0) continue;
      const ids = clientIds(wf, job);
      if (ids.length === 0) continue;
      if (prCode.includes('pull_request_target'))
        out.push(`${path}: ${jobName}: Azure credentials on pull_request_target`);
      const environment = environmentOf(job);
      if (!environment)
        out.push(
          `${path}: ${jobName}: pull-request code signs in to Azure outside a GitHub environment`,
        );
      else if (PRODUCTION.test(environment))
        out.push(`${path}: ${jobName}: pull-request code runs in environment ${environment}`);
      for (const id of ids)
        if (production.has(id))
          out.push(
            `${path}: ${jobName}: pull-request code signs in as production's identity ${id}`,
          );
    }
  }
  return out;
}
