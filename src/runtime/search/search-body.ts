import {
  SEARCH_FIELDS,
  SEARCH_LIMITS,
  SEARCH_MODES,
  type SearchMode,
} from '../../contract/search.js';
import type { RuntimeSearch } from '../../model/runtime-manifest.js';
import type { FieldError } from '../http/response.js';

/**
 * A search body checked against the CrudApi's declaration: the mode, the words of `text` (lower-cased, distinct,
 * in order), the query vector when one was sent, and the list's `filter`, page size and token as sent.
 *
 * @example
 * ```ts
 * const s: SearchRequest = { mode: 'text', terms: ['login', 'bug'], first: 20 };
 * ```
 */
export interface SearchRequest {
  readonly mode: SearchMode;
  readonly terms?: readonly string[];
  /** The text as sent (what an embedder is given when the vector comes from the text). */
  readonly text?: string;
  readonly vector?: readonly number[];
  readonly filter?: string;
  readonly first: number;
  readonly after?: string;
  /** The fields each item holds besides `id`, the partition key and `score` (a list's `$select`), as sent. */
  readonly select?: readonly string[];
}

/** The words of a text, as full-text search matches them: letters and digits, lower-cased, each once. */
export function searchTerms(text: string): string[] {
  return [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])];
}

const err = (field: string, code: string, message: string): FieldError => ({
  field,
  code,
  message,
});

function checkText(value: unknown, errors: FieldError[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    errors.push(err('text', 'type', 'text must be a string.'));
    return undefined;
  }
  if (value.length > SEARCH_LIMITS.maxText) {
    errors.push(
      err('text', 'maxLength', `text holds at most ${String(SEARCH_LIMITS.maxText)} characters.`),
    );
    return undefined;
  }
  const terms = searchTerms(value);
  if (terms.length === 0) errors.push(err('text', 'empty', 'text holds no word to search for.'));
  else if (terms.length > SEARCH_LIMITS.maxTerms)
    errors.push(
      err(
        'text',
        'maxTerms',
        `text holds at most ${String(SEARCH_LIMITS.maxTerms)} distinct words.`,
      ),
    );
  else return terms;
  return undefined;
}

function checkVector(
  value: unknown,
  search: RuntimeSearch,
  errors: FieldError[],
): number[] | undefined {
  if (value === undefined) return undefined;
  const dims = search.vector?.dimensions;
  if (dims === undefined) {
    errors.push(err('vector', 'unknown', 'This CrudApi declares no vector search.'));
    return undefined;
  }
  if (!Array.isArray(value)) {
    errors.push(err('vector', 'type', 'vector must be an array of numbers.'));
    return undefined;
  }
  if (value.length !== dims) {
    errors.push(
      err(
        'vector',
        'dimensions',
        `vector must hold exactly ${String(dims)} numbers (it holds ${String(value.length)}).`,
      ),
    );
    return undefined;
  }
  const bad = value.findIndex((n) => typeof n !== 'number' || !Number.isFinite(n));
  if (bad >= 0) {
    errors.push(err('vector', 'finite', `vector[${String(bad)}] is not a finite number.`));
    return undefined;
  }
  return value as number[];
}

function checkPaging(
  body: Readonly<Record<string, unknown>>,
  errors: FieldError[],
): { first: number; after?: string; filter?: string } {
  const { first = SEARCH_LIMITS.defaultFirst, after, filter } = body;
  const max = SEARCH_LIMITS.maxFirst;
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > max)
    errors.push(err('first', 'range', `first must be an integer from 1 to ${String(max)}.`));
  if (after !== undefined && after !== null && typeof after !== 'string')
    errors.push(err('after', 'type', 'after must be the continuationToken of the previous page.'));
  if (filter !== undefined && typeof filter !== 'string')
    errors.push(err('filter', 'type', 'filter must be a $filter expression (a string).'));
  return {
    first: typeof first === 'number' ? first : 0,
    ...(typeof after === 'string' && after !== '' ? { after } : {}),
    ...(typeof filter === 'string' && filter.trim() !== '' ? { filter } : {}),
  };
}

/** `select`: field names (checked against the schema by the route, search-items.ts), each once. */
function checkSelect(value: unknown, errors: FieldError[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.length > 64 ||
    !value.every((f) => typeof f === 'string' && f !== '')
  ) {
    errors.push(
      err('select', 'type', 'select must be a list of field names (1 to 64), as a list’s $select.'),
    );
    return undefined;
  }
  return [...new Set(value as string[])];
}

/** The mode a body asks for or implies, checked against what the CrudApi declares; undefined after an error. */
function checkMode(
  body: Readonly<Record<string, unknown>>,
  search: RuntimeSearch,
  given: { text: boolean; vector: boolean; embeds: boolean },
  errors: FieldError[],
): SearchMode | undefined {
  const { mode } = body;
  if (mode !== undefined && !(SEARCH_MODES as readonly unknown[]).includes(mode)) {
    errors.push(err('mode', 'enum', `mode must be one of ${SEARCH_MODES.join(', ')}.`));
    return undefined;
  }
  const implied: SearchMode =
    given.text && given.vector
      ? 'hybrid'
      : given.vector || (given.text && !search.text && search.vector)
        ? 'vector'
        : 'text';
  const m = (mode as SearchMode | undefined) ?? implied;
  const before = errors.length;
  if (m !== 'vector' && !search.text)
    errors.push(err('mode', 'undeclared', `mode ${m} needs full-text paths (search.text).`));
  if (m !== 'text' && !search.vector)
    errors.push(err('mode', 'undeclared', `mode ${m} needs a vector (search.vector).`));
  if (errors.length > before) return undefined;
  if (m !== 'vector' && !given.text)
    errors.push(err('text', 'required', `mode ${m} ranks by text: send text.`));
  if (m === 'text' && given.vector)
    errors.push(err('vector', 'unexpected', 'mode text takes no vector.'));
  if (m === 'vector' && given.text && given.vector)
    errors.push(err('text', 'unexpected', 'mode vector takes a vector or a text, not both.'));
  if (m !== 'text' && !given.vector && !(given.text && given.embeds))
    errors.push(
      err(
        'vector',
        'required',
        search.vector?.embed
          ? `mode ${m} needs vector, or text to embed.`
          : `mode ${m} needs vector: this CrudApi embeds no query text (search.vector.embed).`,
      ),
    );
  return errors.length > before ? undefined : m;
}

/**
 * Check a search body (`POST api/<route>/search`) against the CrudApi's `search`: unknown fields, text length and
 * words, the vector's dimension count and finite numbers, the mode against what is declared, paging. `embeds`: a
 * query embedder is at hand and the CrudApi declares `vector.embed`, so text alone may stand for the vector.
 * Every error at once, as field errors.
 *
 * @example
 * ```ts
 * const checked = checkSearchBody({ text: 'login bug' }, entity.search, false);
 * if (!checked.ok) return problemResponse('invalid-search', '…', { errors: checked.errors });
 * ```
 */
export function checkSearchBody(
  body: Readonly<Record<string, unknown>>,
  search: RuntimeSearch,
  embeds: boolean,
): { ok: true; value: SearchRequest } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  for (const k of Object.keys(body))
    if (!(SEARCH_FIELDS as readonly string[]).includes(k))
      errors.push(err(k, 'unknown', `A search body holds only ${SEARCH_FIELDS.join(', ')}.`));
  const terms = checkText(body.text, errors);
  const vector = checkVector(body.vector, search, errors);
  const paging = checkPaging(body, errors);
  const select = checkSelect(body.select, errors);
  const given = {
    text: body.text !== undefined,
    vector: body.vector !== undefined,
    embeds: embeds && search.vector?.embed !== undefined,
  };
  const mode = checkMode(body, search, given, errors);
  if (errors.length > 0 || mode === undefined) return { ok: false, errors };
  return {
    ok: true,
    value: {
      mode,
      ...(terms ? { terms, text: body.text as string } : {}),
      ...(vector ? { vector } : {}),
      ...paging,
      ...(select ? { select } : {}),
    },
  };
}
