/**
 * Teams: anyone signs up, creates an organization and invites colleagues (DESIGN §2, "Tenants by membership";
 * docs/tenants.md, "Organizations"). A tenant here is an organization users join, not a Microsoft Entra directory:
 * each user may belong to several, each membership has its own roles (`Owner`, `Admin`, `Member`), and every
 * project and task is confined to the organization the request names (`X-Atakora-Tenant`). The page (`site/`, no
 * bundler) creates organizations, lists and invites members, accepts an invitation from its link and keeps the
 * projects of the chosen organization.
 *
 *   npx atakora dev examples/teams/backend.ts --user alice@example.com   # the API and the site, locally
 *   npx atakora deploy examples/teams/backend.ts                         # Terraform, then the site upload
 *
 * Paths are relative to the working directory (run it from the repository root).
 */
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { StaticSite } from '@atakora/component/web';

export default defineBackend(
  {
    projects: CrudApi.define('ProjectApi', {
      entityName: 'Project',
      schema: {
        id: 'string',
        name: { type: 'string', required: true, maxLength: 200 },
        done: { type: 'boolean', default: false },
      },
      // Every member reads and starts projects; the one who started it, an Owner or an Admin changes and removes it.
      access: [
        { allow: 'authenticated', operations: ['read', 'list', 'create'] },
        { allow: 'owner' },
        { allow: 'role', role: 'Owner' },
        { allow: 'role', role: 'Admin' },
      ],
      realtime: true,
      relations: { tasks: { hasMany: 'TaskApi', field: 'projectId', onDelete: 'cascade' } },
    }),
    tasks: CrudApi.define('TaskApi', {
      entityName: 'Task',
      schema: {
        id: 'string',
        projectId: { type: 'string', required: true },
        title: { type: 'string', required: true, maxLength: 200 },
      },
      relations: { project: { belongsTo: 'ProjectApi', field: 'projectId' } },
    }),
    web: StaticSite.define('TeamsWeb', { sourceDirectory: './examples/teams/site' }),
  },
  {
    backendId: 'teams',
    environment: 'dev',
    tenants: {
      by: 'membership',
      createTenants: 'any-user',
      plans: { free: { requestsPerMinute: 600, storageMb: 100 }, team: { storageMb: 10_000 } },
      defaultPlan: 'free',
    },
  },
);
