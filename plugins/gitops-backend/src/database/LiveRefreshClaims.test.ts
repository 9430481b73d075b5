import { mockServices } from '@backstage/backend-test-utils';
import { LiveRefreshClaims } from './LiveRefreshClaims';
import { migrateDownAll } from './migrations';
import { createTestDatabases } from './__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'LiveRefreshClaims on %s',
  databaseId => {
    async function createClaims() {
      const knex = await databases.init(databaseId);
      const claims = await LiveRefreshClaims.create({
        database: mockServices.database({ knex }),
      });
      return { knex, claims };
    }
    const at = (seconds: number) =>
      new Date(Date.parse('2026-12-02T12:00:00Z') + seconds * 1000);

    it('gives an application to one replica of two asking at once', async () => {
      const { claims } = await createClaims();
      const answers = await Promise.all([
        claims.tryClaim('shop', 'replica-a', 30_000),
        claims.tryClaim('shop', 'replica-b', 30_000),
      ]);
      expect(answers.filter(Boolean)).toHaveLength(1);
    });

    it('keeps it with its holder, which renews it, until it expires unrenewed', async () => {
      const { claims } = await createClaims();
      expect(await claims.tryClaim('shop', 'a', 30_000, at(0))).toBe(true);
      expect(await claims.tryClaim('shop', 'b', 30_000, at(10))).toBe(false);
      expect(await claims.tryClaim('shop', 'a', 30_000, at(20))).toBe(true);
      // Renewed at 20 s: still a's at 40 s.
      expect(await claims.tryClaim('shop', 'b', 30_000, at(40))).toBe(false);
      // a died: b takes it once a's claim ran out.
      expect(await claims.tryClaim('shop', 'b', 30_000, at(51))).toBe(true);
      expect(await claims.tryClaim('shop', 'a', 30_000, at(52))).toBe(false);
      // Other applications are claimed on their own.
      expect(await claims.tryClaim('cart', 'a', 30_000, at(52))).toBe(true);
    });

    it('lets a stopping replica hand its claims over at once', async () => {
      const { claims } = await createClaims();
      await claims.tryClaim('shop', 'a', 30_000);
      await claims.releaseAll('a');
      expect(await claims.tryClaim('shop', 'b', 30_000)).toBe(true);
    });

    it('migrates down again', async () => {
      const { knex } = await createClaims();
      await migrateDownAll(knex);
      expect(await knex.schema.hasTable('live_refresh_claims')).toBe(false);
    });
  },
);
