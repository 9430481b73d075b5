export function startPostgres(): Promise<{
  connectionString: string;
  /** Major version, as in BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING. */
  major: string;
  stop(): Promise<void>;
}>;
