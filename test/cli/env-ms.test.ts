import { describe, expect, it } from 'vitest';
import { msFromEnv } from '../../src/cli/shared/env-ms.js';
import { destroyRetryDefaults } from '../../src/cli/deploy/stack-deploy.js';

describe('msFromEnv: waits taken from the environment', () => {
  it.each([
    [undefined, 30_000],
    ['', 30_000],
    ['  ', 30_000],
    ['abc', 30_000],
    ['-1', 30_000],
    ['Infinity', 30_000],
    ['0', 0],
    ['1500', 1500],
    [' 250 ', 250],
  ])('%j → %d', (value, expected) => {
    expect(
      msFromEnv(
        value === undefined ? {} : { ATAKORA_ADMIT_SETTLE_MS: value },
        'ATAKORA_ADMIT_SETTLE_MS',
        30_000,
      ),
    ).toBe(expected);
  });

  it('a blank destroy retry wait keeps the five minutes, not none', () => {
    expect(destroyRetryDefaults({ ATAKORA_DESTROY_RETRY_WAIT_MS: '' }).waitMs).toBe(300_000);
    expect(destroyRetryDefaults({ ATAKORA_DESTROY_RETRY_WAIT_MS: '0' }).waitMs).toBe(0);
  });
});
