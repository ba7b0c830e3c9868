import { describe, expect, it } from 'vitest';
import { PROBLEM_PREFIX, PROBLEM_TITLES, problemDocument } from '../../src/contract/problems.js';
import { problemResponse } from '../../src/runtime/http-response.js';

// One problem shape (RFC 9457) for the runtime and `atakora dev` (src/contract/problems.ts problemDocument).
describe('problemDocument', () => {
  it('types, titles and extensions', () => {
    expect(problemDocument(412, 'precondition-failed', 'Stale.')).toEqual({ type: `${PROBLEM_PREFIX}precondition-failed`, title: PROBLEM_TITLES[412], status: 412, detail: 'Stale.' });
    expect(problemDocument(421, 'host-refused', 'x').title).toBe('Misdirected Request');
    expect(problemDocument(418, 'teapot', 'x').title).toBe('Error');
    expect(problemDocument(400, 'validation', 'x', { errors: [{ field: 'a' }] })).toMatchObject({ errors: [{ field: 'a' }] });
  });

  it('is the body of every runtime problem response', () => {
    const res = problemResponse(404, 'not-found', 'No note n1.', { headers: { 'x-a': '1' }, errors: [] });
    expect(JSON.parse(res.body as string)).toEqual(problemDocument(404, 'not-found', 'No note n1.', { errors: [] }));
  });
});
