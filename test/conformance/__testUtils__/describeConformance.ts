import crypto from 'crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { testKubeConfig } from '../../src/cluster/testNamespace';
import {
  GitRepoServer,
  startGitRepoServer,
} from '../../src/e2e/lib/gitRepoServer';
import { gitopsApi } from './api';
import { applicationYaml, startConformanceBackend } from './conformanceBackend';
import { loadFixture, SyncMode, withNames } from './fixtures';
import { createNamespace, deleteNamespace } from './liveObjects';
import {
  FixtureCase,
  RunContext,
  revisionFiles,
  runFixture,
} from './runFixture';

/** Runs fixtures marked known-failing too, e.g. once their finding is fixed. */
const RUN_KNOWN_FAILING = process.env.CONFORMANCE_RUN_KNOWN_FAILING === 'true';

const AUTOMATED = { automated: { prune: true, selfHeal: true } };

/**
 * One Jest test per fixture and mode, against one backend reading every
 * case's Argo CD Application from one repository made for the run. Names
 * carry a run id: tracking ids are cluster-wide by application name.
 */
export function describeConformance(title: string, names: string[]) {
  const run = crypto.randomBytes(3).toString('hex');
  const cases: FixtureCase[] = names.flatMap(name => {
    const fixture = loadFixture(name);
    const modes: SyncMode[] = fixture.modes ?? ['manual', 'automated'];
    return modes.map(mode => {
      const app = `${fixture.appNamePrefix ?? ''}${name}-${
        mode === 'manual' ? 'm' : 'a'
      }-${run}`;
      // Namespaces are DNS labels: no dots.
      const namespace = app.replace(/\./g, '-');
      return {
        fixture: withNames(fixture, app, namespace),
        mode,
        app,
        namespace,
        path: `manifests/${app}`,
      };
    });
  });

  describe(title, () => {
    let repo: GitRepoServer;
    let kc: KubeConfig;
    let ctx: RunContext;
    let stop = async () => {};

    beforeAll(async () => {
      kc = testKubeConfig();
      repo = await startGitRepoServer();
      const files: Record<string, string> = {};
      for (const c of cases) {
        const syncPolicy = {
          ...c.fixture.syncPolicy,
          ...(c.mode === 'automated' ? AUTOMATED : {}),
        };
        files[`apps/${c.app}.yaml`] = applicationYaml(
          {
            name: c.app,
            namespace: c.namespace,
            path: c.path,
            syncPolicy,
            source: c.fixture.source,
          },
          repo.url,
        );
        Object.assign(files, revisionFiles(c, 0));
        if (!c.fixture.createsNamespace) await createNamespace(kc, c.namespace);
      }
      await repo.commit(files, 'conformance fixtures');
      const backend = await startConformanceBackend(repo);
      stop = backend.stop;
      ctx = { api: gitopsApi(backend.server), kc, repo };
    });

    afterAll(async () => {
      await stop();
      await repo?.stop();
      for (const c of cases) await deleteNamespace(kc, c.namespace);
    });

    for (const c of cases) {
      const name = `${c.fixture.name} (${c.mode}): ${c.fixture.behaviour}`;
      if (c.fixture.knownFailingUntil && !RUN_KNOWN_FAILING) {
        it.skip(`${name} [KNOWN FAILING until ${c.fixture.knownFailingUntil}]`, () => {});
      } else {
        it(name, () => runFixture(ctx, c));
      }
    }
  });
}
