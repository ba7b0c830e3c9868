import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HELP } from '../../src/cli/commands.js';

// examples/github-actions/preview.yml: valid YAML whose steps deploy `--environment pr-<number>` on
// opened/synchronize with OIDC (no stored secret), comment once (found again by a marker), destroy on close, and
// call the CLI only with commands and flags it documents.
const root = resolve(import.meta.dirname, '../..');
const text = readFileSync(join(root, 'examples/github-actions/preview.yml'), 'utf8');
interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  name?: string;
}
interface Workflow {
  on: { pull_request: { types: string[] } };
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: Record<string, { if?: string; environment?: string; steps: Step[] }>;
}
const wf = parse(text) as Workflow;
const runs = (job: string) =>
  wf.jobs[job]!.steps.map((s) => s.run)
    .filter((r): r is string => !!r)
    .map((r) => r.replace(/\s+/g, ' ').trim())
    // An expression is one word: `${{ github.event.number }}` → `${{github.event.number}}`.
    .map((r) => r.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, '$${{$1}}'));
/** Each `npx atakora …` command line of a job, split into words (output redirection dropped). */
const atakora = (job: string) =>
  runs(job).flatMap((r) =>
    [...r.matchAll(/npx atakora ([^|>]+)/g)].map((m) => m[1]!.trim().split(' ')),
  );

describe('examples/github-actions/preview.yml', () => {
  it('runs on pull requests opened, synchronized and closed, with OIDC and no stored Azure secret', () => {
    expect(wf.on.pull_request.types).toEqual(
      expect.arrayContaining(['opened', 'synchronize', 'closed']),
    );
    expect(wf.permissions).toMatchObject({ 'id-token': 'write', 'pull-requests': 'write' });
    for (const job of ['deploy', 'destroy']) {
      const login = wf.jobs[job]!.steps.find((s) => s.uses?.startsWith('azure/login@'));
      expect(Object.keys(login!.with!).sort()).toEqual([
        'client-id',
        'subscription-id',
        'tenant-id',
      ]);
    }
    expect(text).not.toMatch(/client-secret|ARM_CLIENT_SECRET|AZURE_CREDENTIALS/);
  });

  it("signs in as the preview identity in the 'preview' GitHub environment, never production's, and skips forks", () => {
    for (const job of ['deploy', 'destroy']) {
      expect(wf.jobs[job]!.environment).toBe('preview');
      expect(wf.jobs[job]!.if).toContain(
        'github.event.pull_request.head.repo.full_name == github.repository',
      );
      const login = wf.jobs[job]!.steps.find((s) => s.uses?.startsWith('azure/login@'))!;
      expect(login.with!['client-id']).toBe('${{ vars.AZURE_PREVIEW_CLIENT_ID }}');
      expect(login.with!['subscription-id']).toBe('${{ vars.AZURE_PREVIEW_SUBSCRIPTION_ID }}');
    }
    expect(wf.env['ARM_CLIENT_ID']).toBe('${{ vars.AZURE_PREVIEW_CLIENT_ID }}');
    expect(text).toContain('subject  repo:<owner>/<repo>:environment:preview');
    expect(text).not.toMatch(/subject +repo:<owner>\/<repo>:pull_request/);
  });

  it('deploys pr-<number> unless closed, and destroys it when closed', () => {
    expect(wf.jobs['deploy']!.if).toContain("github.event.action != 'closed'");
    expect(wf.jobs['destroy']!.if).toContain("github.event.action == 'closed'");
    // The environment's name reaches the shell as data: PREVIEW, set from the pull request's number.
    expect(wf.env['PREVIEW']).toBe('pr-${{ github.event.number }}');
    const deploy = atakora('deploy');
    expect(deploy.map((c) => c.slice(0, 4))).toEqual([
      ['plan', 'backend.ts', '--environment', '"$PREVIEW"'],
      ['deploy', 'backend.ts', '--environment', '"$PREVIEW"'],
      ['secret', 'set', 'backend.ts', 'STRIPE_KEY'],
    ]);
    expect(deploy[1]).toContain('--auto-approve');
    expect(deploy[2]).toEqual([
      'secret',
      'set',
      'backend.ts',
      'STRIPE_KEY',
      '--environment',
      '"$PREVIEW"',
    ]);
    // The secret's value comes from stdin, never an argument.
    expect(runs('deploy').find((r) => r.includes('secret set'))).toMatch(
      /^printf %s "\$STRIPE_TEST_KEY" \| npx atakora secret set/,
    );
    const destroy = atakora('destroy');
    expect(destroy.map((c) => c.slice(0, 4))).toEqual([
      ['destroy', 'backend.ts', '--environment', '"$PREVIEW"'],
    ]);
    expect(destroy[0]).toEqual(expect.arrayContaining(['--auto-approve', '--allow-data-loss']));
  });

  it('calls the CLI only with commands and flags its help documents', () => {
    for (const words of [...atakora('deploy'), ...atakora('destroy')]) {
      const command = words[0]!;
      expect(HELP[command], command).toBeDefined();
      const documented = `${HELP[command]!}\n${HELP['main']!}`;
      for (const flag of words.filter((w) => w.startsWith('--')))
        expect(documented, `${command} ${flag}`).toContain(flag);
    }
  });

  it('posts one comment, found again by its marker and updated in place', () => {
    const script = wf.jobs['deploy']!.steps.find((s) =>
      s.uses?.startsWith('actions/github-script@'),
    )!.with!['script']!;
    expect(script).toContain("const marker = '<!-- atakora-preview -->'");
    expect(script).toMatch(/comments\.find\(\(c\) => c\.body\?\.includes\(marker\)\)/);
    expect(script).toContain('updateComment');
    expect(script.indexOf('updateComment')).toBeLessThan(script.indexOf('createComment'));
    expect(script).toContain('preview-plan.md');
    expect(script).toContain('preview-endpoints.txt');
    expect(runs('deploy').some((r) => r.includes('--format markdown > preview-plan.md'))).toBe(
      true,
    );
  });
});
