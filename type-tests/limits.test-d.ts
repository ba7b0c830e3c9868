import { expectError, expectType } from 'tsd';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { StaticSite, StaticSiteWithCdn } from '@atakora/component/web';

const bookings = CrudApi.define('BookingApi', {
  entityName: 'Booking',
  schema: { id: 'string' },
  onChange: './src/on-booking.ts',
});

// Who creates an existing account's lease containers: this stack, or someone already did.
defineBackend(
  { bookings },
  { cosmosConfig: { useExisting: true, accountName: 'cosmos-a', leaseContainers: 'create' } },
);
defineBackend(
  { bookings },
  { cosmosConfig: { useExisting: true, accountName: 'cosmos-a', leaseContainers: 'existing' } },
);
expectError(
  defineBackend(
    { bookings },
    { cosmosConfig: { useExisting: true, accountName: 'cosmos-a', leaseContainers: true } },
  ),
);

// Azure's 500 databases + containers per account, lowered or raised as a limit of your own.
defineBackend({ bookings }, { limits: { maxContainersPerCosmosAccount: 100 } });
expectError(defineBackend({ bookings }, { limits: { maxContainersPerCosmosAccount: '100' } }));

// The site plan: Free or Standard, on both site kinds.
StaticSite.define('Web', { sku: 'Standard' });
StaticSiteWithCdn.define('Cdn', { sku: 'Free' });
expectError(StaticSite.define('Web', { sku: 'Premium' }));
expectType<number>(defineBackend({ bookings }).plan().summary.estimatedMonthlyUsd.shared);
