import crypto from 'crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { testKubeConfig } from '../../src/cluster/testNamespace';
import {
  GitRepoServer,
  startGitRepoServer,
} from '../../src/e2e/lib/gitRepoServer';
import { gitopsApi } from './api';
import {
  BackendOptions,
  applicationYaml,
  startConformanceBackend,
} from './conformanceBackend';
import { loadFixture, SyncMode, withNames } from './fixtures';
import { createNamespace, deleteNamespace } from './liveObjects';
import {
  FixtureCase,
  RunContext,
  caseApplicationYaml,
  revisionFiles,
  runFixture,
} from './runFixture';

/** Runs fixtures marked known-failing too, e.g. once their finding is fixed. */
const RUN_KNOWN_FAILING = process.env.CONFORMANCE_RUN_KNOWN_FAILING === 'true';

const AUTOMATED = { automated: { prune: true, selfHeal: true } };

/** A case with its test title; known-failing ones say why in it. */
export type TitledCase = FixtureCase & { title: string };

/**
 * The cases of these fixtures, one per fixture and mode, against one backend
 * that reads every case's Argo CD Application from one repository made for
 * the run. Names carry a run id: tracking ids are cluster-wide by
 * application name. `setup()` goes inside the test file's `describe`.
 */
export function conformanceSuite(
  names: string[],
  options: BackendOptions = {},
) {
  const run = crypto.randomBytes(3).toString('hex');
  const cases: TitledCase[] = names.flatMap(name => {
    const fixture = loadFixture(name);
    const modes: SyncMode[] = fixture.modes ?? ['manual', 'automated'];
    return modes.map(mode => {
      const app = `${fixture.appNamePrefix ?? ''}${name}-${
        mode === 'manual' ? 'm' : 'a'
      }-${run}`;
      // Namespaces are DNS labels: no dots.
      const namespace = app.replace(/\./g, '-');
      const known = fixture.knownFailingUntil;
      return {
        fixture: withNames(fixture, app, namespace),
        mode,
        app,
        namespace,
        path: `manifests/${app}`,
        title: `${name} (${mode}): ${fixture.behaviour}${
          known ? ` [KNOWN FAILING until ${known}]` : ''
        }`,
      };
    });
  });
  const skipped = (c: TitledCase) =>
    Boolean(c.fixture.knownFailingUntil) && !RUN_KNOWN_FAILING;
  const state: { ctx?: RunContext; kc?: KubeConfig; repo?: GitRepoServer } = {};
  let stop = async () => {};

  return {
    running: cases.filter(c => !skipped(c)),
    /** Reported as skipped, with the finding that makes them fail today. */
    knownFailing: cases.filter(skipped),
    setup() {
      beforeAll(async () => {
        const kc = testKubeConfig();
        const repo = await startGitRepoServer();
        state.kc = kc;
        state.repo = repo;
        const files: Record<string, string> = {};
        for (const c of cases) {
          const own = c.fixture.syncPolicy ?? {};
          // A fixture may add to automated (allowEmpty), never drop it.
          const syncPolicy =
            c.mode === 'automated'
              ? {
                  ...own,
                  automated: {
                    ...AUTOMATED.automated,
                    ...(own.automated as object | undefined),
                  },
                }
              : own;
          files[`apps/${c.app}.yaml`] = caseApplicationYaml(
            c,
            syncPolicy,
            repo.url,
          );
          if (c.fixture.companion) {
            files[`apps/${c.app}-first.yaml`] = applicationYaml(
              {
                name: `${c.app}-first`,
                namespace: c.namespace,
                path: c.path,
                syncPolicy: {},
                source: c.fixture.source,
              },
              repo.url,
            );
          }
          Object.assign(files, revisionFiles(c, 0));
          if (!c.fixture.createsNamespace) {
            await createNamespace(kc, c.namespace);
          }
        }
        await repo.commit(files, 'conformance fixtures');
        const backend = await startConformanceBackend(repo, options);
        stop = backend.stop;
        state.ctx = { api: gitopsApi(backend.server), kc, repo };
      });
      afterAll(async () => {
        await stop();
        await state.repo?.stop();
        if (state.kc) {
          for (const c of cases) await deleteNamespace(state.kc, c.namespace);
        }
      });
    },
    /** Runs the case and checks all it expects (its expect calls are inside). */
    expectConformance: (c: FixtureCase) => runFixture(state.ctx!, c),
  };
}
