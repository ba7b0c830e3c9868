import { expectError } from 'tsd';
import { defineBackend, type NetworkingConfig } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';

// networking.privateDnsZoneIds: zone name → existing zone id (issue 30, item 9).
const a = CrudApi.define('A', { entityName: 'A', schema: { id: 'string' } });
const hub =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones';
defineBackend(
  { a },
  {
    networking: {
      mode: 'isolated',
      vnetName: 'vnet-spoke',
      vnetResourceGroupName: 'rg-spoke',
      privateDnsZoneIds: {
        'privatelink.documents.azure.com': `${hub}/privatelink.documents.azure.com`,
      },
    },
  },
);
const networking: NetworkingConfig = { mode: 'isolated', privateDnsZoneIds: {} };
defineBackend({ a }, { networking });
// A list of ids, or ids that are not strings, are type errors.
expectError(
  defineBackend(
    { a },
    {
      networking: {
        mode: 'isolated',
        privateDnsZoneIds: [`${hub}/privatelink.documents.azure.com`],
      },
    },
  ),
);
expectError(
  defineBackend(
    { a },
    {
      networking: {
        mode: 'isolated',
        privateDnsZoneIds: { 'privatelink.documents.azure.com': 42 },
      },
    },
  ),
);
