import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { defineComponent } from '../../src/components/custom/define.js';

/**
 * A backend of one CrudApi and a custom component whose provision function runs `during` while apply runs:
 * what the tests of apply's process-wide switches (source maps, token traces) observe apply through.
 */
export function probeBackend(during: () => void) {
  return defineBackend({
    users: CrudApi.define('UserApi', {
      entityName: 'User',
      schema: { id: 'string', name: 'string' },
    }),
    probe: defineComponent({
      type: 'Probe',
      id: 'Probe',
      config: {},
      requirements: () => [],
      provision: during,
    }),
  });
}
