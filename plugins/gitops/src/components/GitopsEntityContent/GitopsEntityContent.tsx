import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  GITOPS_REPO_URL_ANNOTATION,
  linkedArgoApplicationNames,
} from '@backstage-gitops/plugin-gitops-common';
import Grid from '@material-ui/core/Grid';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { gitopsApiRef } from '../../api';
import { ApplicationSection } from '../ApplicationDetails/ApplicationSection';

/** The GitOps tab of an entity: one section per linked application. */
export function GitopsEntityContent() {
  const { entity } = useEntity();
  const api = useApi(gitopsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listApplications({ entityRef }),
    [api, entityRef],
  );

  // Only the first load shows a spinner; reloads after an action keep the page.
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;

  const items = value?.items ?? [];
  const known = new Set(items.map(app => app.name));
  const unknownArgoApps = linkedArgoApplicationNames(entity).filter(
    name => !known.has(name),
  );
  // Problems of other entities are not this page's business.
  const problems = (value?.problems ?? []).filter(p => p.origin === entityRef);

  return (
    <Grid container spacing={3} direction="column">
      {problems.map(problem => (
        <Grid item key={problem.message}>
          <WarningPanel
            severity="error"
            title="This entity's GitOps annotations cannot be used"
            message={problem.message}
          />
        </Grid>
      ))}
      {unknownArgoApps.length > 0 && (
        <Grid item>
          <WarningPanel
            severity="warning"
            title="Linked Argo CD applications are not known to this Backstage"
            message={`The entity names ${unknownArgoApps.join(
              ', ',
            )} in its argocd/app-name annotation, but no such application is defined in the catalog or the app-config.`}
          />
        </Grid>
      )}
      {items.map(app => (
        <Grid item key={app.name}>
          <ApplicationSection app={app} onChanged={retry} />
        </Grid>
      ))}
      {items.length === 0 &&
        problems.length === 0 &&
        unknownArgoApps.length === 0 && (
          <Grid item>
            <EmptyState
              missing="info"
              title="No GitOps application"
              description={`Annotate this entity with ${GITOPS_REPO_URL_ANNOTATION} to deploy it from Git.`}
            />
          </Grid>
        )}
    </Grid>
  );
}
