/**
 * dev's emulated change feed trigger starts "from now" (change-feed-triggers.ts): what is in a container at its first
 * read counts as read. So the worker may say it is ready only after that read — a write between the two was
 * swallowed, and a first `POST` right after `atakora dev` printed its URL never reached its tenant-events function
 * (test/cli/dev-tenant-events.test.ts failed so when the first read came late).
 */
import { describe, expect, it, vi } from 'vitest';
import {
  type ChangeFeedFunction,
  startChangeFeedTriggers,
} from '../../src/cli/dev/host/change-feed-triggers.js';
import type { LocalFeedReader } from '../../src/cli/azure/local-change-feed.js';
import { EVENTUALLY } from '../support/patience.js';

/** One container as the reader sees it, and a first read that waits until `openFirstRead` is called. */
function container() {
  const docs: Record<string, unknown>[] = [];
  let openFirstRead!: () => void;
  const firstRead = new Promise<void>((r) => {
    openFirstRead = r;
  });
  let reads = 0;
  const write = (id: string) => {
    docs.push({
      id,
      _rid: id,
      _etag: `"${id}"`,
      _ts: Math.floor(Date.now() / 1000),
      _lsn: docs.length,
    });
  };
  const open = async (): Promise<LocalFeedReader> => ({
    async since(ts) {
      if (reads++ === 0) await firstRead;
      return docs.filter((d) => Number(d['_ts']) >= ts);
    },
    dispose() {},
  });
  return { write, open, openFirstRead, reads: () => reads };
}

describe("dev's change feed trigger at start", () => {
  it('is ready only after its first read, and every write after ready reaches the function', async () => {
    const c = container();
    const batches: string[][] = [];
    const f: ChangeFeedFunction = {
      name: 'Events-record',
      connection: 'COSMOS',
      database: 'app',
      container: 'audit',
      invoke: async (documents) => {
        batches.push(documents.map((d) => String((d as { id: string }).id)));
      },
    };
    c.write('before');
    const feeds = startChangeFeedTriggers(
      [f],
      { COSMOS__accountEndpoint: 'https://127.0.0.1:1/' },
      () => undefined,
      c.open,
    );
    try {
      let ready = false;
      void feeds.ready.then(() => {
        ready = true;
      });
      // The first read has begun and not ended: not ready, however long that takes.
      await vi.waitFor(() => {
        expect(c.reads()).toBe(1);
      }, EVENTUALLY);
      await new Promise((r) => setTimeout(r, 300)); // longer than a poll: a loop running early would read again
      expect(c.reads()).toBe(1);
      expect(ready).toBe(false);
      c.openFirstRead();
      await feeds.ready;
      c.write('after');
      await vi.waitFor(() => {
        expect(batches.flat()).toContain('after');
      }, EVENTUALLY);
      expect(batches.flat()).not.toContain('before');
    } finally {
      await feeds.stop();
    }
  });

  it('is ready at once with no container to read (a trigger without its endpoint setting)', async () => {
    const lines: string[] = [];
    const feeds = startChangeFeedTriggers(
      [
        {
          name: 'f',
          connection: 'MISSING',
          database: 'd',
          container: 'c',
          invoke: async () => undefined,
        },
      ],
      {},
      (l) => lines.push(l),
    );
    await feeds.ready;
    await feeds.stop();
    expect(lines).toEqual(['atakora dev: f has no MISSING__accountEndpoint: no change feed.']);
  });
});
