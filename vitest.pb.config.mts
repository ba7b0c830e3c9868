import base from '/work/wt/perf-budgets/vitest.config.ts';
export default { ...base, test: { ...base.test, experimental: { importDurations: { print: true, limit: 25 } } } };
