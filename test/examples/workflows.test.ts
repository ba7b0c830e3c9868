/**
 * Every example workflow (examples/**\/*.yml) keeps test/support/workflow-rules.ts: no expression pasted into a
 * script, and no pull-request code signing in to Azure as production.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workflowFindings, type WorkflowFile } from '../support/workflow-rules.js';

const root = resolve(import.meta.dirname, '../..');
function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'node_modules'
        ? []
        : yamlFiles(join(dir, e.name))
      : /\.ya?ml$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}
const examples: WorkflowFile[] = yamlFiles(join(root, 'examples')).map((f) => ({
  path: relative(root, f),
  text: readFileSync(f, 'utf8'),
}));

const production = {
  path: 'deploy.yml',
  text: `on: { push: { branches: [main] } }
jobs:
  deploy:
    environment: production
    env: { ARM_CLIENT_ID: '\${{ vars.AZURE_CLIENT_ID }}' }
    steps: [{ run: 'npx atakora deploy backend.ts --auto-approve' }]
`,
};
const preview = (jobBody: string, on = 'pull_request') => ({
  path: 'preview.yml',
  text: `on: { ${on}: { types: [opened] } }
jobs:
  deploy:
${jobBody}`,
});

describe('example workflows', () => {
  it('are found (the check reads something)', () => {
    expect(examples.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        'examples/github-actions/deploy.yml',
        'examples/github-actions/plan-review.yml',
        'examples/github-actions/preview.yml',
      ]),
    );
  });

  it('keep every rule', () => {
    expect(workflowFindings(examples)).toEqual([]);
  });
});

describe('the rules refuse', () => {
  it('${{ github.* }}, ${{ inputs.* }} and event fields in run: text, and in a github-script script', () => {
    const found = workflowFindings([
      {
        path: 'w.yml',
        text: `on: pull_request
jobs:
  a:
    steps:
      - run: git worktree add ../base "origin/\${{ github.base_ref }}"
      - run: echo "\${{ inputs.name }}"
      - run: |
          echo "\${{github.event.pull_request.title}}"
      - uses: actions/github-script@v7
        with: { script: "console.log('\${{ github.head_ref }}')" }
      - env: { BASE: '\${{ github.base_ref }}' }
        run: git worktree add ../base "origin/$BASE"
`,
      },
    ]);
    expect(found).toEqual([
      'w.yml: a/step 1: ${{ github.base_ref }} in run: text (pass it through env:)',
      'w.yml: a/step 2: ${{ inputs.name }} in run: text (pass it through env:)',
      'w.yml: a/step 3: ${{github.event.pull_request.title}} in run: text (pass it through env:)',
      'w.yml: a/step 4: ${{ github.head_ref }} in script: text (pass it through env:)',
    ]);
  });

  it("a preview on pull_request trusting production's credentials (the old subject repo:…:pull_request)", () => {
    const old = preview(`    env: { ARM_CLIENT_ID: '\${{ vars.AZURE_CLIENT_ID }}' }
    steps:
      - uses: azure/login@v2
        with: { client-id: '\${{ vars.AZURE_CLIENT_ID }}' }
`);
    expect(workflowFindings([production, old])).toEqual([
      'preview.yml: deploy: pull-request code signs in to Azure outside a GitHub environment',
      "preview.yml: deploy: pull-request code signs in as production's identity ${{vars.AZURE_CLIENT_ID}}",
      "preview.yml: deploy: pull-request code signs in as production's identity ${{vars.AZURE_CLIENT_ID}}",
    ]);
  });

  it('a preview in an environment of its own but with the production identity, or in the production environment', () => {
    const sameId = preview(`    environment: preview
    steps:
      - uses: azure/login@v2
        with: { client-id: '\${{ vars.AZURE_CLIENT_ID }}' }
`);
    expect(workflowFindings([production, sameId])).toEqual([
      "preview.yml: deploy: pull-request code signs in as production's identity ${{vars.AZURE_CLIENT_ID}}",
    ]);
    const prodEnv = preview(`    environment: { name: production }
    steps:
      - uses: azure/login@v2
        with: { client-id: '\${{ vars.AZURE_PREVIEW_CLIENT_ID }}' }
`);
    // A job in the production environment is production's, so its identity is production's too.
    expect(workflowFindings([prodEnv])).toEqual([
      'preview.yml: deploy: pull-request code runs in environment production',
      "preview.yml: deploy: pull-request code signs in as production's identity ${{vars.AZURE_PREVIEW_CLIENT_ID}}",
    ]);
  });

  it('Azure credentials on pull_request_target, whatever the identity', () => {
    const target = preview(
      `    environment: preview
    steps:
      - uses: azure/login@v2
        with: { client-id: '\${{ vars.AZURE_PREVIEW_CLIENT_ID }}' }
`,
      'pull_request_target',
    );
    expect(workflowFindings([production, target])).toEqual([
      'preview.yml: deploy: Azure credentials on pull_request_target',
    ]);
  });

  it('and accepts the preview identity in its own environment', () => {
    const good = preview(`    environment: preview
    env: { ARM_CLIENT_ID: '\${{ vars.AZURE_PREVIEW_CLIENT_ID }}' }
    steps:
      - uses: azure/login@v2
        with: { client-id: '\${{ vars.AZURE_PREVIEW_CLIENT_ID }}' }
      - env: { PR: 'pr-\${{ github.event.number }}' }
        run: npx atakora deploy backend.ts --environment "$PR"
`);
    expect(workflowFindings([production, good])).toEqual([]);
  });
});
