// The per-file setup the Marketplace runtime tests share: the local Cosmos DB server started and the Marketplace
// routes (startMarketplaceApp) registered over it once per file, both closed after. The app it returns is the file's
// for every test: its members reach the app the hook made, so helpers at the top of a file may close over it.
import { afterAll, beforeAll } from 'vitest';
import { forwarded } from './forwarded.js';
import { type LocalCosmos, startLocalCosmos } from './local-cosmos.js';
import { type MarketplaceApp, startMarketplaceApp } from './marketplace-app.js';

/**
 * Register the hooks of a Marketplace runtime test file (call it at the top level) and return its app; `options`
 * as startMarketplaceApp takes them.
 *
 * @example
 * ```ts
 * const app = marketplaceSuite();
 * it('lands', async () => expect((await app.land(undefined)).status).toBe(302));
 * ```
 */
export function marketplaceSuite(
  options?: Parameters<typeof startMarketplaceApp>[1],
): MarketplaceApp {
  let cosmos: LocalCosmos | undefined;
  let app: MarketplaceApp | undefined;
  const live = (): MarketplaceApp => {
    if (!app) throw new Error('marketplaceSuite: the app is used before its beforeAll ran');
    return app;
  };
  beforeAll(async () => {
    cosmos = await startLocalCosmos();
    app = await startMarketplaceApp(cosmos, options);
  });
  afterAll(async () => {
    await app?.close();
    await cosmos?.stop();
  });
  return forwarded(live);
}
