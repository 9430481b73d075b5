import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { gitopsApiRef } from '../../api';
import { shortSha, subject } from '../format';
import { StatusLabel } from '../GitopsEntityContent/StatusLabel';

/**
 * A small card for the entity's Overview tab: each linked application's
 * sync and health, its revision, and the first condition if any.
 */
export function GitopsOverviewCard() {
  const { entity } = useEntity();
  const api = useApi(gitopsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(
    () => api.listApplications({ entityRef }),
    [api, entityRef],
  );
  return (
    <InfoCard title="GitOps">
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && value.items.length === 0 && (
        <EmptyState
          missing="info"
          title="No GitOps application"
          description="No application deploys this entity from Git."
        />
      )}
      {value?.items.map(app => (
        <Box key={app.name} mb={1} aria-label={`Application ${app.name}`}>
          <Typography variant="subtitle1">{app.name}</Typography>
          {app.status ? (
            <Box display="flex" style={{ gap: 16 }}>
              <StatusLabel kind="sync" value={app.status.sync} />
              <StatusLabel kind="health" value={app.status.health} />
              <Typography variant="body2" component="span">
                {`${shortSha(app.status.revision)} ${subject(
                  app.status.revisionInfo?.message,
                )}`}
              </Typography>
            </Box>
          ) : (
            <Typography variant="body2">Not reconciled yet</Typography>
          )}
          {app.status?.conditions?.[0] && (
            <Typography variant="body2" color="error">
              {app.status.conditions[0].message}
            </Typography>
          )}
        </Box>
      ))}
    </InfoCard>
  );
}
