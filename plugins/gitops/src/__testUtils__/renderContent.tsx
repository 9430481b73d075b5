import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import {
  ApplicationDetail,
  ListApplicationsResponse,
  OperationDetail,
} from '@backstage-gitops/plugin-gitops-common';
import { ReactElement } from 'react';
import { GitopsApi, gitopsApiRef } from '../api';
import { GitopsEntityContent } from '../components/GitopsEntityContent';
import { componentEntity } from '../__fixtures__/entities';

const FINISHED = ['Succeeded', 'Failed', 'Error'];

function mockOf<K extends keyof GitopsApi>(
  implementation: GitopsApi[K],
): jest.Mock<ReturnType<GitopsApi[K]>, Parameters<GitopsApi[K]>> {
  return jest.fn(implementation as any) as any;
}

/**
 * A GitopsApi answering from recorded responses: the list given, each
 * application's detail from the list (no resources) unless `details` has
 * one, and empty diffs and histories unless a test says otherwise.
 * `followOperation` polls `getOperation` until the operation ends, as the
 * real client does where no stream is available.
 */
export function apiReturning(
  response: ListApplicationsResponse | Error,
  details: Record<string, ApplicationDetail> = {},
) {
  const unused = () => Promise.reject(new Error('not called in this test'));
  const api = {
    listApplications: mockOf<'listApplications'>(async () => {
      if (response instanceof Error) throw response;
      return response;
    }),
    getApplication: mockOf<'getApplication'>(async name => {
      if (details[name]) return details[name];
      if (response instanceof Error) throw response;
      const app = response.items.find(a => a.name === name);
      if (!app) throw new Error(`No application named "${name}"`);
      return { ...app, resources: [] };
    }),
    getDiff: mockOf<'getDiff'>(async () => ({ items: [] })),
    refreshApplication: mockOf<'refreshApplication'>(unused),
    syncApplication: mockOf<'syncApplication'>(unused),
    rollbackApplication: mockOf<'rollbackApplication'>(unused),
    listOperations: mockOf<'listOperations'>(async () => ({
      items: [],
      totalItems: 0,
    })),
    getOperation: mockOf<'getOperation'>(unused),
    getOperationDiff: mockOf<'getOperationDiff'>(async () => ({ items: [] })),
    terminateOperation: mockOf<'terminateOperation'>(unused),
    followOperation: mockOf<'followOperation'>((name, id, onChange, onEnd) => {
      let stopped = false;
      (async () => {
        let current: OperationDetail | undefined;
        while (!stopped && !(current && FINISHED.includes(current.phase))) {
          if (current) await new Promise(resolve => setTimeout(resolve, 50));
          current = await api.getOperation(name, id);
          if (!stopped) onChange(current);
        }
      })().then(
        () => !stopped && onEnd?.(),
        error => !stopped && onEnd?.(error),
      );
      return () => {
        stopped = true;
      };
    }),
  } satisfies GitopsApi;
  return api;
}

export async function renderWithApi(
  api: GitopsApi,
  element: ReactElement,
  permission = mockApis.permission(),
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [gitopsApiRef, api],
        [permissionApiRef, permission],
      ]}
    >
      {element}
    </TestApiProvider>,
  );
}

export async function renderContent(
  api: GitopsApi,
  entity = componentEntity(),
  permission = mockApis.permission(),
) {
  return renderWithApi(
    api,
    <EntityProvider entity={entity}>
      <GitopsEntityContent />
    </EntityProvider>,
    permission,
  );
}
