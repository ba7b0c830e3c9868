import { defineBackend } from '../../../src/backend/define-backend.js';
import { CrudApi } from '../../../src/components/crud/index.js';
import type { BackendConfig } from '../../../src/model/config.js';
import type { ResourcePlan } from '../../../src/model/plan.js';

/** A tenant-scoped CrudApi of notes (its own options merged in, e.g. `onChange`). */
export const notes = (extra: object = {}) =>
  CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string', title: 'string' },
    ...extra,
  });

/** A shared CrudApi: no organization's webhooks ever carry its items. */
export const catalog = () =>
  CrudApi.define('CatalogApi', {
    entityName: 'Product',
    schema: { id: 'string', name: 'string' },
    tenancy: 'shared',
  });

/** Membership tenancy with one plan, `free`, listing `features` (none listed when undefined). */
export const tenants = (features: readonly string[] | undefined) =>
  ({
    by: 'membership',
    plans: { free: features ? { features: [...features] } : {} },
    defaultPlan: 'free',
  }) as const satisfies BackendConfig['tenants'];

/** The backend's options: fixed naming and location, membership tenancy whose plan lists `features`. */
export const webhooksOptions = (features: readonly string[] | undefined) => ({
  naming: { uniqueSeed: 'sub/rg' },
  location: 'westeurope',
  tenants: tenants(features),
});

/** A membership backend of notes and catalog (plus `components`) whose plan lists `features`. */
export const webhooksBackend = (features: readonly string[] | undefined, components: object = {}) =>
  defineBackend({ notes: notes(), catalog: catalog(), ...components }, webhooksOptions(features));

/** The shared Function App's planned app settings. */
export const settingsOf = (plan: ResourcePlan) =>
  plan.resources.find((r) => r.key === 'functions:shared')?.config['appSettings'] as Record<
    string,
    string
  >;
