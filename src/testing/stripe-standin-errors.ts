import type { TakenEvent } from './stripe-standin-meters.js';

// Meter events Stripe accepts and refuses later. Stripe validates a meter event asynchronously: the create answers
// 200, and an event it then cannot apply (its customer unknown) is never aggregated and is reported in a
// `v1.billing.meter.error_report_triggered` event (Stripe API reference, v2 "Event types": "occurs when there are
// invalid async usage events for a given meter"; `data.reason.error_types[]` with `code`, `error_count` and
// `sample_errors[].request.identifier`), listed by `GET v2/core/events` with `object_id` the meter's id.

type Obj = Record<string, unknown>;
type Meter = { readonly id: string; readonly event_name: string };

/**
 * The stand-in's asynchronous validation: `sweep` takes the events of `unknownCustomers` back out of `events` into
 * error reports; `list` answers `GET v2/core/events`.
 */
export class StandInErrorReports {
  readonly reports: Obj[] = [];

  constructor(
    private readonly unknownCustomers: readonly string[],
    private readonly now: () => number,
  ) {}

  /** Refuse the taken events of unknown customers: out of the meter's events, into one report per meter. */
  sweep(events: TakenEvent[], meters: readonly Meter[]): void {
    const refused = events.filter((e) =>
      this.unknownCustomers.includes(e.payload.stripe_customer_id),
    );
    if (refused.length === 0) return;
    const at = new Date(this.now()).toISOString();
    for (const meter of meters) {
      const mine = refused.filter((e) => e.event_name === meter.event_name);
      if (mine.length === 0) continue;
      this.reports.push({
        id: `evt_test_${String(this.reports.length + 1).padStart(6, '0')}`,
        object: 'v2.core.event',
        type: 'v1.billing.meter.error_report_triggered',
        created: at,
        livemode: false,
        related_object: {
          id: meter.id,
          type: 'billing.meter',
          url: `/v1/billing/meters/${meter.id}`,
        },
        data: {
          developer_message_summary: `${String(mine.length)} invalid meter event(s).`,
          validation_start: at,
          validation_end: at,
          reason: {
            error_count: mine.length,
            error_types: [
              {
                code: 'meter_event_customer_not_found',
                error_count: mine.length,
                // Stripe samples a few of each type; here every one.
                sample_errors: mine.map((e) => ({
                  error_message: `No customer with id ${e.payload.stripe_customer_id}.`,
                  request: { identifier: e.identifier },
                })),
              },
            ],
          },
        },
      });
    }
    for (const e of refused) events.splice(events.indexOf(e), 1);
  }

  /** `GET v2/core/events?object_id=…&types[]=…`: the reports on that meter. */
  list(url: URL): { status: number; body: unknown } {
    const objectId = url.searchParams.get('object_id');
    if (!objectId)
      return {
        status: 400,
        body: { error: { type: 'invalid_request_error', message: 'object_id is required.' } },
      };
    const types = [...url.searchParams.entries()]
      .filter(([k]) => k === 'types' || k.startsWith('types['))
      .map(([, v]) => v);
    const data = this.reports.filter(
      (r) =>
        (r['related_object'] as { id: string }).id === objectId &&
        (types.length === 0 || types.includes(String(r['type']))),
    );
    return { status: 200, body: { data, next_page_url: null, previous_page_url: null } };
  }
}
