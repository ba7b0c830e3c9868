import { defineBackend } from '../src/backend/define-backend.js';
import { StaticSiteWithCdn } from '../src/components/web/index.js';
import { synth } from '../test/support/synth.js';
const b = defineBackend({ web: StaticSiteWithCdn.define('Web', { indexDocument: 'index.html', waf: true }) });
const j = synth(b) as any;
console.log(Object.keys(j), JSON.stringify(j.output).slice(0, 600));
