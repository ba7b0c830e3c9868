import { AtakoraError } from '../../../model/errors.js';
import { graphCall, graphList, v1, type GraphSession } from './graph-session.js';
import type { SetupChange } from './identity-providers.js';

/**
 * The built-in providers of an email sign-in (Learn, "Add identityProvider (to a user flow)": "the values can be
 * EmailPassword-OAUTH, EmailOtpSignup-OAUTH, Google-OAUTH or Facebook-OAUTH").
 */
export const EMAIL_PROVIDERS = {
  'one-time-code': 'EmailOtpSignup-OAUTH',
  password: 'EmailPassword-OAUTH',
} as const;

/** The providers `auth setup` decides on in a flow; any other one there is left as it is. */
const MANAGED = new Set([
  'EmailOtpSignup-OAUTH',
  'EmailPassword-OAUTH',
  'Google-OAUTH',
  'Facebook-OAUTH',
]);

/** A provider id in words, for what `auth setup` prints. */
const inWords = (ids: readonly string[]): string =>
  ids
    .map(
      (id) =>
        ({
          'EmailOtpSignup-OAUTH': 'email one-time code',
          'EmailPassword-OAUTH': 'email and password',
          'Google-OAUTH': 'Google',
          'Facebook-OAUTH': 'Facebook',
        })[id] ?? id,
    )
    .join(', ');

const FLOW_TYPE = '#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow';
const FLOWS = '/identity/authenticationEventsFlows';

/** One registration the flow is to serve. */
export interface FlowApplication {
  readonly displayName: string;
  readonly appId: string;
}

/** What the user flow is to be. */
export interface FlowWanted {
  readonly displayName: string;
  /** Graph ids of its providers: the email one first, then the social ones. */
  readonly providerIds: readonly string[];
  readonly applications: readonly FlowApplication[];
}

/** A flow as Graph lists it: its providers and apps when the listing carries them (Learn's example does). */
interface FlowItem {
  readonly '@odata.type'?: string;
  readonly id?: string;
  readonly displayName?: string;
  readonly onAuthenticationMethodLoadStart?: {
    readonly identityProviders?: readonly { id?: string }[];
  };
  readonly conditions?: {
    readonly applications?: { readonly includeApplications?: readonly { appId?: string }[] };
  };
}

/** Whether a listed flow is another kind than a self-service sign-up flow (a type Graph did not name is not). */
const otherKind = (f: FlowItem) =>
  f['@odata.type'] !== undefined && f['@odata.type'].toLowerCase() !== FLOW_TYPE.toLowerCase();

/**
 * The sign-up and sign-in user flow, found by display name, with exactly the wanted email and social providers and
 * every wanted application linked — created when missing; providers added before any is removed (the flow is never
 * left without one); applications only added (one linked by hand stays). Prints nothing: returns what it changed.
 *
 * Graph v1.0 (https://learn.microsoft.com/graph/api/…): "List authenticationEventsFlows" `GET
 * /identity/authenticationEventsFlows` (identitycontainer-list-authenticationeventsflows); "Create
 * authenticationEventsFlow" `POST` there with `@odata.type` externalUsersSelfServiceSignUpEventsFlow (201,
 * identitycontainer-post-authenticationeventsflows); "List", "Add" (`POST …/identityProviders/$ref` with an
 * `@odata.id`, 204) and "Remove identityProvider (from a user flow)" (`DELETE …/identityProviders/{id}/$ref`, 204)
 * under `…/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAuthenticationMethodLoadStart/
 * microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders`
 * (onauthenticationmethodloadstartexternalusersselfservicesignup-list-/post-/delete-identityproviders); "List" and
 * "Add includeApplication (to a user flow)" `…/{id}/conditions/applications/includeApplications` (201,
 * authenticationconditionsapplications-list-/post-includeapplications).
 *
 * @example
 * ```ts
 * const changes = await ensureUserFlow(session, { displayName: 'shop-prod-sign-in', providerIds: ['EmailOtpSignup-OAUTH'], applications });
 * ```
 */
export async function ensureUserFlow(
  session: GraphSession,
  wanted: FlowWanted,
): Promise<SetupChange[]> {
  const subject = `user flow ${wanted.displayName}`;
  const same = (
    await graphList<FlowItem>(session, {
      path: FLOWS,
      what: 'listing the user flows',
      area: 'userFlows',
    })
  ).filter((f) => f.displayName === wanted.displayName);
  const found = same[0];
  if (same.length > 1 || (found && otherKind(found)))
    throw new AtakoraError(
      'AUTH_SETUP_CONFLICT',
      `The external tenant ${session.tenant} has ${same.length > 1 ? `${String(same.length)} user flows` : 'a user flow of another kind'} named ${wanted.displayName}: auth setup cannot tell which is its own.`,
      {
        path: ['auth', 'setup', 'userFlow'],
        resolution:
          'Rename or delete the other one in the Entra admin center (External Identities → User flows), then run ' +
          'atakora auth setup again.',
      },
    );
  if (!found?.id) {
    const id = await createFlow(session, wanted);
    return [
      { subject, action: 'created', detail: `sign-in with ${inWords(wanted.providerIds)}` },
      ...(await linkApplications(session, id, wanted.applications, [])),
    ];
  }
  const flow = { ...found, id: found.id };
  const changes = await alignProviders(session, flow, wanted, subject);
  const appChanges = await linkApplications(
    session,
    flow.id,
    wanted.applications,
    await linkedApps(session, flow, wanted, subject),
  );
  if (changes.length === 0)
    changes.push({
      subject,
      action: 'unchanged',
      detail: `sign-in with ${inWords(wanted.providerIds)}`,
    });
  return [...changes, ...appChanges];
}

async function createFlow(session: GraphSession, wanted: FlowWanted): Promise<string> {
  const flow = (
    await graphCall(session, {
      method: 'POST',
      path: FLOWS,
      json: flowBody(wanted),
      what: `creating the user flow ${wanted.displayName}`,
      area: 'userFlows',
    })
  ).json() as FlowItem | undefined;
  if (!flow?.id)
    throw new AtakoraError(
      'AUTH_SETUP_FAILED',
      `Microsoft Graph created the user flow ${wanted.displayName} but answered no id.`,
      {
        path: ['auth', 'setup', 'userFlow'],
        resolution: 'Run atakora auth setup again: it finds the flow by its name.',
      },
    );
  return flow.id;
}

/**
 * The body of a new flow: sign-up allowed, the providers, the email and display name collected (Learn, "Create
 * authenticationEventsFlow", Example 1: the same attributes and page inputs).
 */
function flowBody(wanted: FlowWanted): unknown {
  const input = (attribute: string, label: string, hidden: boolean, required: boolean) => ({
    attribute,
    label,
    inputType: 'text',
    hidden,
    editable: !hidden,
    writeToDirectory: true,
    required,
  });
  return {
    '@odata.type': FLOW_TYPE,
    displayName: wanted.displayName,
    description: 'Sign-up and sign-in of the backend, kept by atakora auth setup.',
    onAuthenticationMethodLoadStart: {
      '@odata.type':
        '#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp',
      identityProviders: wanted.providerIds.map((id) => ({ id })),
    },
    onInteractiveAuthFlowStart: {
      '@odata.type': '#microsoft.graph.onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp',
      isSignUpAllowed: true,
    },
    onAttributeCollection: {
      '@odata.type': '#microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp',
      attributes: [
        {
          id: 'email',
          displayName: 'Email Address',
          userFlowAttributeType: 'builtIn',
          dataType: 'string',
        },
        {
          id: 'displayName',
          displayName: 'Display Name',
          userFlowAttributeType: 'builtIn',
          dataType: 'string',
        },
      ],
      attributeCollectionPage: {
        views: [
          {
            inputs: [
              input('email', 'Email Address', true, true),
              input('displayName', 'Display Name', false, false),
            ],
          },
        ],
      },
    },
  };
}

const providersPath = (flowId: string) =>
  `${FLOWS}/${encodeURIComponent(flowId)}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/` +
  'onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/' +
  'identityProviders';

/**
 * The apps linked to the flow: the listing's when it names every wanted one, else the flow's own list (a listing
 * may leave the collection empty: Learn's example shows `includeApplications: []`).
 */
async function linkedApps(
  session: GraphSession,
  flow: FlowItem & { id: string },
  wanted: FlowWanted,
  subject: string,
): Promise<string[]> {
  const listed = (flow.conditions?.applications?.includeApplications ?? []).map(
    (a) => a.appId ?? '',
  );
  if (wanted.applications.every((a) => listed.includes(a.appId))) return listed;
  return (
    await graphList<{ appId?: string }>(session, {
      path: `${FLOWS}/${encodeURIComponent(flow.id)}/conditions/applications/includeApplications`,
      what: `listing the applications of ${subject}`,
      area: 'userFlows',
    })
  ).map((a) => a.appId ?? '');
}

async function alignProviders(
  session: GraphSession,
  flow: FlowItem & { id: string },
  wanted: FlowWanted,
  subject: string,
): Promise<SetupChange[]> {
  const flowId = flow.id;
  // The listing carries the flow's providers (Learn's example of List authenticationEventsFlows); else ask the flow.
  const listed = flow.onAuthenticationMethodLoadStart?.identityProviders;
  const present = (
    listed ??
    (await graphList<{ id?: string }>(session, {
      path: providersPath(flowId),
      what: `listing the identity providers of ${subject}`,
      area: 'userFlows',
    }))
  ).map((p) => p.id ?? '');
  const changes: SetupChange[] = [];
  for (const id of wanted.providerIds.filter((p) => !present.includes(p))) {
    await graphCall(session, {
      method: 'POST',
      path: `${providersPath(flowId)}/$ref`,
      json: { '@odata.id': `${v1(session)}/identityProviders/${id}` },
      what: `adding ${id} to ${subject}`,
      area: 'userFlows',
    });
    changes.push({ subject, action: 'added', detail: id });
  }
  for (const id of present.filter((p) => MANAGED.has(p) && !wanted.providerIds.includes(p))) {
    await graphCall(session, {
      method: 'DELETE',
      path: `${providersPath(flowId)}/${encodeURIComponent(id)}/$ref`,
      what: `removing ${id} from ${subject}`,
      area: 'userFlows',
    });
    changes.push({ subject, action: 'removed', detail: id });
  }
  return changes;
}

async function linkApplications(
  session: GraphSession,
  flowId: string,
  applications: readonly FlowApplication[],
  linked: readonly string[],
): Promise<SetupChange[]> {
  const changes: SetupChange[] = [];
  for (const app of applications) {
    const subject = `app ${app.displayName}`;
    if (linked.includes(app.appId)) {
      changes.push({ subject, action: 'unchanged', detail: `${app.appId}, on the user flow` });
      continue;
    }
    await graphCall(session, {
      method: 'POST',
      path: `${FLOWS}/${encodeURIComponent(flowId)}/conditions/applications/includeApplications`,
      json: {
        '@odata.type': '#microsoft.graph.authenticationConditionApplication',
        appId: app.appId,
      },
      what: `linking ${subject} (${app.appId}) to the user flow`,
      area: 'userFlows',
    }).catch((e: unknown) => {
      // Learn, "Add includeApplication": "An application can only be linked to one user flow."
      if (e instanceof AtakoraError && e.code === 'AUTH_SETUP_FAILED')
        throw new AtakoraError(
          'AUTH_SETUP_CONFLICT',
          `${e.message} An application can be linked to one user flow only: ${app.displayName} may be on another.`,
          {
            path: ['auth', 'setup', 'applications', app.displayName],
            resolution:
              `Remove ${app.displayName} from the other user flow (Entra admin center → External Identities → ` +
              'User flows → that flow → Applications), then run atakora auth setup again.',
          },
        );
      throw e;
    });
    changes.push({ subject, action: 'linked', detail: `${app.appId}, to the user flow` });
  }
  return changes;
}
