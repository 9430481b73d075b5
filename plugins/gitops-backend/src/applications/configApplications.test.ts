import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readConfigApplications } from './configApplications';

const entry = (extra: JsonObject): JsonObject => ({
  name: 'shop',
  source: { repoURL: 'https://git.example.com/shop.git', path: 'deploy' },
  destination: { namespace: 'shop' },
  ...extra,
});

const read = (...entries: JsonObject[]) =>
  readConfigApplications(
    new ConfigReader({ gitops: { applications: entries } }),
  );

describe('readConfigApplications: sync settings', () => {
  it('reads syncOptions, retry and ignoreDifferences as an Argo CD Application writes them', () => {
    const { applications, problems } = read(
      entry({
        syncPolicy: {
          automated: { selfHeal: true },
          syncOptions: [
            'CreateNamespace=true',
            'RespectIgnoreDifferences=true',
          ],
          retry: { limit: 4, backoff: { duration: '1s', factor: 3 } },
          managedNamespaceMetadata: { labels: { team: 'shop' } },
        },
        ignoreDifferences: [
          {
            group: 'apps',
            kind: 'Deployment',
            jsonPointers: ['/spec/replicas'],
          },
        ],
      }),
    );
    expect(problems).toEqual([]);
    expect(applications[0].syncPolicy).toEqual({
      automated: { prune: false, selfHeal: true, allowEmpty: false },
      syncOptions: ['CreateNamespace=true', 'RespectIgnoreDifferences=true'],
      retry: { limit: 4, backoff: { duration: '1s', factor: 3 } },
      managedNamespaceMetadata: { labels: { team: 'shop' } },
    });
    expect(applications[0].ignoreDifferences).toEqual([
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
    ]);
  });

  it.each([
    [
      { syncPolicy: { syncOptions: ['CreateNamespaces=true'] } },
      'unknown sync option(s): CreateNamespaces=true',
    ],
    [
      { syncPolicy: { syncOptions: ['PruneLast=True'] } },
      'sync option(s) with a value they do not take: PruneLast=True',
    ],
    [
      { syncPolicy: { retry: { backoff: { duration: '5s' } } } },
      expect.stringContaining(
        "Missing required config value at 'gitops.applications[0].syncPolicy.retry.limit'",
      ),
    ],
    [
      { syncPolicy: { retry: { limit: 2, backoff: { maxDuration: 'soon' } } } },
      'retry: maxDuration "soon" is not a duration such as 5s or 3m',
    ],
    [
      {
        ignoreDifferences: [
          { kind: 'Deployment', jsonPointers: ['spec/replicas'] },
        ],
      },
      'ignoreDifferences[0]: jsonPointer "spec/replicas": a JSON pointer must start with "/"',
    ],
    [
      { ignoreDifferences: { kind: 'Deployment' } },
      'ignoreDifferences must be a list of {group, kind, jsonPointers, …}',
    ],
  ])(
    'refuses %j with a problem naming the entry, and keeps the others',
    (extra, message) => {
      const { applications, problems } = read(entry(extra), {
        ...entry({}),
        name: 'other',
      });
      expect(problems).toEqual([
        { origin: 'app-config gitops.applications[0]', message },
      ]);
      expect(applications.map(a => a.name)).toEqual(['other']);
    },
  );
});
