import { expectAssignable, expectError, expectType } from 'tsd';
import type { PlanIssue, PlanIssueCode } from '@atakora/component/backend';

// PlanIssue is a discriminated union on `code` (DESIGN §7, Zod's issues): narrowing types `details`.
declare const issue: PlanIssue;
if (issue.code === 'STATEFUL_REPLACEMENT') {
  expectType<readonly string[] | undefined>(issue.details?.reasons);
  expectType<string | undefined>(issue.details?.resourceKey);
}
if (issue.code === 'MERGE_CONFLICT') expectType<undefined>(issue.details);
expectAssignable<PlanIssueCode>('STATEFUL_REMOVAL');
expectAssignable<PlanIssueCode>('PLAN_HAS_ERRORS');
// A misspelt code, or details of the wrong shape, is a type error.
expectError<PlanIssue>({ severity: 'error', code: 'STATEFUL_REMOVE', message: 'x' });
expectError<PlanIssue>({
  severity: 'error',
  code: 'STATEFUL_REMOVAL',
  message: 'x',
  details: { resourceKey: 1 },
});
expectAssignable<PlanIssue>({
  severity: 'error',
  code: 'STATEFUL_REMOVAL',
  message: 'x',
  details: { resourceKey: 'cosmos:shared' },
});
