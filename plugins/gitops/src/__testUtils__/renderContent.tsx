import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { ListApplicationsResponse } from '@internal/backstage-plugin-gitops-common';
import { GitopsApi, gitopsApiRef } from '../api';
import { GitopsEntityContent } from '../components/GitopsEntityContent';
import { componentEntity } from '../__fixtures__/entities';

export function apiReturning(response: ListApplicationsResponse | Error) {
  const unused = () => Promise.reject(new Error('not called in this test'));
  return {
    listApplications: jest.fn(async (_request: { entityRef?: string }) => {
      if (response instanceof Error) throw response;
      return response;
    }),
    refreshApplication: jest.fn<
      ReturnType<GitopsApi['refreshApplication']>,
      Parameters<GitopsApi['refreshApplication']>
    >(unused),
    syncApplication: jest.fn<
      ReturnType<GitopsApi['syncApplication']>,
      Parameters<GitopsApi['syncApplication']>
    >(unused),
    getOperation: jest.fn<
      ReturnType<GitopsApi['getOperation']>,
      Parameters<GitopsApi['getOperation']>
    >(unused),
  } satisfies GitopsApi;
}

export async function renderContent(
  api: GitopsApi,
  entity = componentEntity(),
  permission = mockApis.permission(),
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [gitopsApiRef, api],
        [permissionApiRef, permission],
      ]}
    >
      <EntityProvider entity={entity}>
        <GitopsEntityContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}
