import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SITE_DEPLOY_MARKER,
  swaDeployArgs,
  uploadFailure,
  writeDeployMarker,
} from '../../src/cli/deploy/site-upload.js';

describe('site upload: what swa deploy is given and how its output is read', () => {
  it('every location is the staged folder', () => {
    expect(swaDeployArgs('/tmp/s')).toEqual([
      'deploy',
      '/tmp/s',
      '--app-location',
      '/tmp/s',
      '--swa-config-location',
      '/tmp/s',
      '--env',
      'production',
    ]);
  });

  it('success needs "Project deployed to" and no failure line (colours stripped)', () => {
    expect(
      uploadFailure(
        'Deploying project to Azure Static Web Apps...\n\u001b[32m✔\u001b[39m Project deployed to https://x.azurestaticapps.net 🚀',
      ),
    ).toBeUndefined();
    expect(
      uploadFailure(
        '✖ \n✖ Deployment Failed :(\n✖ Deployment Failure Reason: Could not load StaticSitesClient metadata from remote.',
      ),
    ).toContain('Deployment Failure Reason: Could not load StaticSitesClient');
    expect(
      uploadFailure('Status: Failed. Time: 12.1(s)\n✔ Project deployed to https://x'),
    ).toContain('Status: Failed');
    expect(uploadFailure('')).toBe('no "Project deployed to" line in its output (no output)');
    expect(uploadFailure('Deploying project to Azure Static Web Apps...')).toContain(
      'last: Deploying project',
    );
  });

  it('the marker holds a fresh id per deploy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atakora-marker-'));
    try {
      const a = writeDeployMarker(dir, new Date('2026-11-24T10:00:00Z'));
      expect(JSON.parse(readFileSync(join(dir, SITE_DEPLOY_MARKER), 'utf8'))).toEqual({
        deployId: a.deployId,
        deployedAt: '2026-11-24T10:00:00.000Z',
      });
      expect(writeDeployMarker(dir).deployId).not.toBe(a.deployId);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
