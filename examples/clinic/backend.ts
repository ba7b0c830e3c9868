/**
 * Clinic bookings: bookings (a CrudApi on Cosmos DB: each patient's own, every one for the clinic's staff) whose changes run a handler,
 * attachments (a FileStore: a referral letter or a photo uploaded from the browser straight to Blob Storage through
 * a short-lived user-delegation SAS URL, each patient's files their own), and the page that uses both (a plain
 * `site/index.html` + `app.js`, no bundler). docs/files.md and docs/events.md walk through it.
 *
 *   npx atakora dev examples/clinic/backend.ts --user alice@contoso   # API, site, Azurite and the local Cosmos DB
 *   npx atakora deploy examples/clinic/backend.ts                     # Terraform, the package, then the site upload
 *
 * Paths are relative to the working directory (run it from the repository root).
 */
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { FileStore } from '@atakora/component/files';
import { StaticSite } from '@atakora/component/web';

export default defineBackend(
  {
    bookings: CrudApi.define('BookingApi', {
      entityName: 'Booking',
      schema: {
        id: 'string',
        patient: { type: 'string', required: true },
        startsAt: { type: 'string', required: true },
      },
      // A patient sees their own bookings; the clinic's staff (the Clinician app role) see and change every one.
      access: [{ allow: 'owner' }, { allow: 'role', role: 'Clinician' }],
      // Runs after each create, replace, update and delete of a booking (docs/events.md).
      onChange: './examples/clinic/src/on-booking.ts',
    }),
    attachments: FileStore.define('Attachments', {
      maxSizeMb: 5,
      contentTypes: ['image/png', 'image/jpeg', 'application/pdf', 'text/plain'],
      access: [{ allow: 'owner' }],
    }),
    web: StaticSite.define('ClinicWeb', { sourceDirectory: './examples/clinic/site' }),
  },
  { backendId: 'clinic', environment: 'dev' },
);
