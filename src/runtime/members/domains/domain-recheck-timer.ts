import type { TimerFunctionOptions } from '@azure/functions';
import {
  DOMAIN_RECHECK_FUNCTION,
  DOMAIN_RECHECK_SCHEDULE,
} from '../../../contract/domains/domains.js';
import type { RuntimeEventLogger } from '../../http/event-log.js';
import { recheckDomains } from './domain-claims.js';
import { nowOf, type MembersApi } from '../members-api.js';
import { recordAudit } from '../../audit/record-audit.js';

/**
 * Who the audit log names for a domain the daily re-check made `unverified`: the runtime's own timer, no person
 * (`via: 'api'`: the runtime's door, as the contract's doors are named).
 */
export const RECHECK_ACTOR = { id: 'atakora:domain-recheck', via: 'api' } as const;

/**
 * Register the daily re-check of every verified domain (DESIGN §2: a record gone for 3 days → `unverified`, its
 * joins stop) as a timer function, where the app has tenants by membership with their domains and the host takes
 * timers. One run's outcome is one log line (`operation: 'domain-recheck'`, its counts), and each domain it made
 * `unverified` one line of its organization's audit log (`domain.unverified`); a failed run is logged and the next
 * day's starts over (nothing half-done matters: each domain is written at the version read).
 *
 * @example
 * ```ts
 * registerDomainRecheck(app, made.members, made.log); // true when registered
 * ```
 */
export function registerDomainRecheck(
  app: { timer?(name: string, options: TimerFunctionOptions): void },
  api: MembersApi | undefined,
  log: RuntimeEventLogger,
): boolean {
  const { domains, resolveTxt } = api ?? {};
  if (!api || !domains || !resolveTxt || !app.timer) return false;
  app.timer(DOMAIN_RECHECK_FUNCTION, {
    schedule: DOMAIN_RECHECK_SCHEDULE,
    runOnStartup: false,
    useMonitor: true,
    handler: async (_timer, context) => {
      const line = { component: 'runtime', operation: 'domain-recheck' } as const;
      try {
        const report = await recheckDomains(domains, resolveTxt, nowOf(api), (d) =>
          recordAudit(api, {
            tenant: d.tenant,
            actor: RECHECK_ACTOR,
            action: 'domain.unverified',
            target: d.domain,
            changes: {
              status: { from: 'verified', to: 'unverified' },
              ...(d.missingSince !== undefined ? { missingSince: d.missingSince } : {}),
            },
          }),
        );
        log({ ...line, outcome: 'done', ...report }, context);
      } catch (e) {
        log(
          { ...line, outcome: 'failed', message: e instanceof Error ? e.message : String(e) },
          context,
        );
      }
    },
  });
  return true;
}
