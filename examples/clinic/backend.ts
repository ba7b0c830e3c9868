/**
 * Clinic bookings: patients and their bookings (CrudApis on Cosmos DB: each patient's own, every one for the clinic's
 * staff; a booking belongs to a patient and may carry a letter, docs/relations.md) whose changes run a handler,
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
    // Each patient's record (their own; the clinic's staff see every one). A patient with bookings is not
    // deleted: the hasMany relation restricts it (docs/relations.md).
    patients: CrudApi.define('PatientApi', {
      entityName: 'Patient',
      schema: { id: 'string', name: { type: 'string', required: true } },
      access: [{ allow: 'owner' }, { allow: 'role', role: 'Clinician' }],
      relations: { bookings: { hasMany: 'BookingApi', field: 'patientId' } },
    }),
    bookings: CrudApi.define('BookingApi', {
      entityName: 'Booking',
      schema: {
        id: 'string',
        patientId: { type: 'string', required: true },
        startsAt: { type: 'string', required: true },
        letterId: 'string',
      },
      // A patient sees their own bookings; the clinic's staff (the Clinician app role) see and change every one.
      access: [{ allow: 'owner' }, { allow: 'role', role: 'Clinician' }],
      sortable: ['startsAt'],
      // A booking names a patient the caller can read, and may carry a completed referral letter.
      relations: {
        patient: { belongsTo: 'PatientApi', field: 'patientId' },
        letter: { file: 'Attachments', field: 'letterId' },
      },
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
