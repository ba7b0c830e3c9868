import { expectAssignable, expectError, expectType } from 'tsd';
import {
  FunctionsApp,
  type TenantEvent,
  type TenantEventHandler,
  type TenantEventType,
} from '@atakora/component/functions';

// A tenant-events function: `events` from the closed list, the handler typed by TenantEvent.
FunctionsApp.define('Mail', {
  runtime: 'node',
  functions: {
    welcome: { trigger: 'tenant-events', events: ['member.added'], handler: './welcome.ts' },
  },
});
expectError(
  FunctionsApp.define('Mail', {
    runtime: 'node',
    functions: { welcome: { trigger: 'tenant-events', events: ['member.joined'] } },
  }),
);
expectAssignable<TenantEventType>('invitation.accepted');
declare const event: TenantEvent;
expectType<string>(event.id);
expectType<TenantEventType>(event.type);
expectType<'organization' | 'member' | 'invitation'>(event.subject.kind);
expectType<string | undefined>(event.actor.email);
expectAssignable<TenantEventHandler>(async (e: TenantEvent) => {
  await Promise.resolve(e.tenant);
});
