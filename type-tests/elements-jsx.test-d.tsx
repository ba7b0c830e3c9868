// The elements in React 19's JSX (`"jsx": "react-jsx"`, package.json "tsd"): importing the elements' entry is all a
// page needs for its tags to type-check, with their own attributes and React's for any HTML element; a wrong
// attribute type is an error. The JSX namespace here is the one `react/jsx-runtime` exports (React.JSX).
import { expectError, expectType } from 'tsd';
import type { JSX } from 'react';
import '@atakora/component/elements';

expectType<JSX.Element>(<atakora-organization-switcher create="off" lang="de" />);
expectType<JSX.Element>(<atakora-members roles="Admin,Member" className="people" shadow />);
expectType<JSX.Element>(<atakora-invitation token="abc" />);
expectType<JSX.Element>(<atakora-plan lang="ar" dir="rtl" onClick={() => undefined} />);
expectType<JSX.Element>(<atakora-organization-settings id="settings" hidden={false} />);
expectType<JSX.Element>(<atakora-enterprise roles="Member" style={{ color: 'red' }} />);
expectType<JSX.Element>(<atakora-audit-log page-size={50} />);
expectType<JSX.Element>(<atakora-agents aria-label="Agents" />);

// A ref is the element's DOM node, as for any HTML element.
expectType<JSX.Element>(<atakora-members ref={(node: HTMLElement | null) => void node} />);

// Wrong attribute types.
expectError(<atakora-members roles={['Admin']} />);
expectError(<atakora-organization-switcher create="on" />);
expectError(<atakora-audit-log page-size={true} />);
expectError(<atakora-plan shadow="yes" />);
// A tag the elements do not have.
expectError(<atakora-billing />);
