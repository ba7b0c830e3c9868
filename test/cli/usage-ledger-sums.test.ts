/**
 * The ledger's sums per tenant (pure): an `hour` item counts from the window's first hour on, every instance's item
 * adds, `stored` items are running totals, a `connection` item one live connection, `minute` items and anything
 * without a tenant nothing; a counter that is not a number counts 0; CSV fields quoted and formula-escaped.
 */
import { describe, expect, it } from 'vitest';
import { csvDocument, csvField } from '../../src/cli/logs/usage-csv.js';
import { addLedgerItem, hourStart, type LedgerSums } from '../../src/cli/logs/usage-ledger-sums.js';

const FROM = '2026-11-25T10:00:00.000Z';

describe('addLedgerItem', () => {
  it('counts the window’s first hour whole and nothing before it', () => {
    const sums = new Map<string, LedgerSums>();
    addLedgerItem(sums, { tenant: 't', kind: 'hour', hour: FROM, requests: 2, ru: 0.1 }, FROM);
    addLedgerItem(
      sums,
      { tenant: 't', kind: 'hour', hour: '2026-11-25T09:00:00.000Z', requests: 50 },
      FROM,
    );
    addLedgerItem(
      sums,
      { tenant: 't', kind: 'hour', hour: '2026-11-25T11:00:00.000Z', requests: 3, ru: 0.2 },
      FROM,
    );
    expect(sums.get('t')).toMatchObject({ requests: 5 });
    expect(Math.round((sums.get('t')?.requestUnits ?? 0) * 100)).toBe(30);
  });

  it('adds stored running totals and live connections; minute items, tenantless items and NaN add nothing', () => {
    const sums = new Map<string, LedgerSums>();
    addLedgerItem(sums, { tenant: 't', kind: 'stored', itemBytes: 10, fileBytes: -4 }, FROM);
    addLedgerItem(sums, { tenant: 't', kind: 'stored', itemBytes: 'x', fileBytes: 6 }, FROM);
    addLedgerItem(sums, { tenant: 't', kind: 'connection' }, FROM);
    addLedgerItem(
      sums,
      { tenant: 't', kind: 'minute', minute: '2026-11-25T10:01', requests: 99 },
      FROM,
    );
    addLedgerItem(sums, { kind: 'hour', hour: FROM, requests: 7 }, FROM);
    addLedgerItem(
      sums,
      { tenant: 't', kind: 'hour', hour: FROM, requests: Number.NaN, refused: 1 },
      FROM,
    );
    expect(sums.get('t')).toMatchObject({
      requests: 0,
      refused: 1,
      storedItemBytes: 10,
      storedFileBytes: 2,
      connections: 1,
    });
    expect([...sums.keys()]).toEqual(['t']);
  });

  it('hourStart is the UTC hour holding a time', () => {
    expect(hourStart(Date.parse('2026-11-25T10:59:59.999Z'))).toBe(FROM);
  });
});

describe('CSV', () => {
  it('quotes per RFC 4180 and escapes formula-leading text, not the CLI’s numbers', () => {
    expect(
      ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', 'a,b', 'say "hi"', 'line\nbreak', 'plain'].map(
        csvField,
      ),
    ).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      '"a,b"',
      '"say ""hi"""',
      '"line\nbreak"',
      'plain',
    ]);
    expect(csvField(-12)).toBe('-12');
    expect(
      csvDocument([
        ['a', 1],
        [undefined, 'b'],
      ]),
    ).toBe('a,1\r\n,b\r\n');
  });
});
