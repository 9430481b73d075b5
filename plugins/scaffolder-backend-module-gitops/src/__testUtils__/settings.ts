import { ConfigReader } from '@backstage/config';
import { readActionSettings } from '../actions/settings';

/** Action settings from a config like app-config.yaml's, plus `gitops`. */
export function testSettings(gitops: Record<string, unknown> = {}) {
  return readActionSettings(
    new ConfigReader({
      app: { baseUrl: 'http://localhost:3000' },
      gitops: { allowHttpRepositories: true, ...gitops },
    }),
  );
}
