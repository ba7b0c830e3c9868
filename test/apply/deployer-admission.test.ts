import { App } from '../support/engine.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEPLOYER_ADMISSION_CONTEXT,
  deployerIpRules,
} from '../../src/kit/cdktf/deployer-admission.js';
import { thrown } from '../support/errors.js';

// The one helper every IP rule list of a stack goes through (kit/cdktf/deployer-admission.ts).
const scope = (context?: unknown) =>
  new App(context === undefined ? {} : { context: { [DEPLOYER_ADMISSION_CONTEXT]: context } });
const publicIp = fc
  .tuple(
    fc.integer({ min: 11, max: 99 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 1, max: 254 }),
  )
  .map((p) => p.join('.'));

describe('deployerIpRules', () => {
  it('property: with an admission the rules are the configured ones plus the address (once), without it the configured ones; both deny', () => {
    fc.assert(
      fc.property(fc.uniqueArray(publicIp, { maxLength: 5 }), publicIp, (configured, address) => {
        const admitted = deployerIpRules(scope({ address }), configured);
        expect(admitted.ipRules).toEqual(
          configured.includes(address) ? configured : [...configured, address],
        );
        expect(admitted.defaultAction).toBe('Deny');
        const removed = deployerIpRules(scope({ address: null }), configured);
        expect(removed).toEqual({ defaultAction: 'Deny', ipRules: configured });
        // No admission: as before the flag existed.
        expect(deployerIpRules(scope(), configured)).toEqual({
          defaultAction: configured.length ? 'Deny' : 'Allow',
          ipRules: configured,
        });
      }),
      { numRuns: 100 },
    );
  });

  it('a context value that is no public IPv4 address is ADMIT_ADDRESS_INVALID', () => {
    for (const bad of [{ address: '10.0.0.1' }, { address: 'auto' }, { address: 7 }, 'x']) {
      expect(thrown(() => deployerIpRules(scope(bad), [])).code).toBe('ADMIT_ADDRESS_INVALID');
    }
  });
});
