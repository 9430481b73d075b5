import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

const POSTGRES_VARIABLE =
  /^BACKSTAGE_TEST_DATABASE_POSTGRES(\d+)_CONNECTION_STRING$/;

/**
 * The databases every database test runs on: SQLite and PostgreSQL. Without a
 * PostgreSQL server the tests fail rather than quietly run on SQLite alone;
 * Jest's global setup (test/services/jest-global-setup.js) starts one.
 */
export function createTestDatabases(): TestDatabases {
  const majors = Object.keys(process.env)
    .map(key => POSTGRES_VARIABLE.exec(key)?.[1])
    .filter((major): major is string => Boolean(major));
  if (majors.length === 0) {
    throw new Error(
      'No PostgreSQL for the database tests: set BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING, or run them through Jest with test/services/jest-global-setup.js',
    );
  }
  const ids = [`POSTGRES_${majors[0]}`, 'SQLITE_3'] as TestDatabaseId[];
  return TestDatabases.create({ ids, disableDocker: true });
}

/**
 * The connection string of the test PostgreSQL server, for a backend
 * started in a process of its own (its config names the server itself).
 */
export function testPostgresConnectionString(): string {
  const key = Object.keys(process.env).find(name =>
    POSTGRES_VARIABLE.test(name),
  );
  if (!key) {
    throw new Error(
      'No PostgreSQL: run the test through Jest with test/services/jest-global-setup.js',
    );
  }
  return process.env[key]!;
}
