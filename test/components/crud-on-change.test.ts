/** CrudApi `onChange`: its shape checked at define, carried in the plan as the app's `change` function. */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { AtakoraError } from '../../src/model/errors.js';
import type { HostedFunction } from '../../src/model/requirements.js';

const define = (onChange: unknown) =>
  CrudApi.define('BookingApi', {
    entityName: 'Booking',
    schema: { id: 'string' },
    onChange: onChange as string,
  });
const functionsOf = (d: { readonly requirements: unknown }) =>
  (d.requirements as unknown as () => { resourceType: string; config: unknown }[])().find(
    (r) => r.resourceType === 'functions',
  )!.config as { hostedFunctions?: HostedFunction[]; functionCount?: number };

describe('CrudApi onChange', () => {
  it('plans the module as a change function of the CrudApi', () => {
    const f = functionsOf(define(' ./src/on-booking.ts '));
    expect(f.hostedFunctions).toEqual([
      {
        name: 'BookingApi-onchange',
        componentId: 'BookingApi',
        trigger: 'change',
        handler: './src/on-booking.ts',
        connection: 'BOOKING_API_CHANGE_FEED',
        database: 'booking-db',
        container: 'booking',
        leaseContainer: 'booking-leases',
      },
    ]);
    expect(f.functionCount).toBe(3);
    expect(
      functionsOf(CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } }))
        .hostedFunctions,
    ).toBeUndefined();
  });

  it('the plan warns that Azure delivers no deletes', () => {
    const bookings = CrudApi.define('BookingApi', {
      entityName: 'Booking',
      schema: { id: 'string' },
      onChange: './app/on-booking.ts',
    });
    const issues = defineBackend({ bookings })
      .plan()
      .issues.filter((i) => i.code === 'CRUD_ON_CHANGE_LOCAL_ONLY');
    expect(issues).toMatchObject([
      {
        severity: 'warning',
        components: ['BookingApi'],
        path: ['components', 'BookingApi', 'config', 'onChange'],
      },
    ]);
    const notes = CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
    expect(
      defineBackend({ notes })
        .plan()
        .issues.filter((i) => i.code === 'CRUD_ON_CHANGE_LOCAL_ONLY'),
    ).toEqual([]);
  });

  it.each([['on-booking'], [42], [''], ['./x.ts#1bad']])(
    'refuses %j with CRUD_ON_CHANGE_INVALID at its path',
    (bad) => {
      let error: unknown;
      try {
        define(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AtakoraError);
      expect(error).toMatchObject({
        code: 'CRUD_ON_CHANGE_INVALID',
        path: ['components', 'BookingApi', 'config', 'onChange'],
      });
    },
  );
});
