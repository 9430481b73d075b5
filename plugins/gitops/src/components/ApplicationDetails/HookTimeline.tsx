import { EmptyState } from '@backstage/core-components';
import {
  OperationDetail,
  OperationTask,
} from '@backstage-gitops/plugin-gitops-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import { useEffect, useMemo, useState } from 'react';
import { formatDuration, formatTime } from '../format';
import { layoutTimeline } from './timelineLayout';

const useStyles = makeStyles(theme => ({
  row: { display: 'flex', alignItems: 'center', height: 26 },
  label: {
    width: 260,
    flexShrink: 0,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    fontSize: '0.8rem',
    paddingRight: 8,
  },
  track: {
    position: 'relative',
    flexGrow: 1,
    height: 18,
    backgroundColor: theme.palette.action.hover,
  },
  bar: {
    position: 'absolute',
    top: 2,
    height: 14,
    border: 'none',
    borderRadius: 3,
    padding: 0,
    cursor: 'pointer',
    minWidth: 4,
  },
  band: {
    position: 'absolute',
    top: 0,
    height: 22,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    fontSize: '0.7rem',
    padding: '2px 4px',
    borderLeft: `2px solid ${theme.palette.divider}`,
    backgroundColor: theme.palette.background.default,
  },
}));

function useColours() {
  const theme = useTheme();
  return (task: OperationTask) => {
    if (
      task.status === 'SyncFailed' ||
      task.hookPhase === 'Failed' ||
      task.hookPhase === 'Error'
    ) {
      return theme.palette.error.main;
    }
    if (task.status === 'Running' || task.hookPhase === 'Running') {
      return theme.palette.info.main;
    }
    if (task.status === 'Pending') return theme.palette.grey[500];
    if (task.status === 'Pruned' || task.status === 'PruneSkipped') {
      return theme.palette.warning.main;
    }
    return theme.palette.success.main;
  };
}

function result(task: OperationTask): string {
  return task.hookPhase
    ? `${task.status} (hook ${task.hookPhase})`
    : task.status;
}

/**
 * One sync on a time axis: phases and waves as bands, each hook and resource
 * as a bar from its start to its end, coloured by result, failures first.
 * Click a bar for its message. While the operation runs, the axis grows.
 */
export function HookTimeline(props: { operation: OperationDetail }) {
  const { operation } = props;
  const classes = useStyles();
  const colour = useColours();
  const running = !operation.finishedAt;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  const layout = useMemo(
    () =>
      layoutTimeline(
        operation.tasks,
        operation.startedAt,
        operation.finishedAt,
        now,
      ),
    [operation, now],
  );
  const [selected, setSelected] = useState<string | undefined>();
  const chosen = layout.bars.find(b => b.task.key === selected)?.task;

  if (operation.tasks.length === 0) {
    return (
      <EmptyState
        missing="content"
        title={running ? 'Starting…' : 'Nothing was synced'}
        description={
          operation.message ?? 'This operation has no resources or hooks.'
        }
      />
    );
  }
  return (
    <Box>
      <Box className={classes.row}>
        <Typography className={classes.label} component="div">
          {`${formatTime(operation.startedAt)} · ${formatDuration(
            layout.spanMs,
          )}`}
        </Typography>
        <Box
          className={classes.track}
          style={{ height: 22 }}
          aria-label="Phases and waves"
        >
          {layout.bands.map(band => (
            <div
              key={band.label}
              className={classes.band}
              style={{ left: `${band.left}%`, width: `${band.width}%` }}
              title={band.label}
            >
              {band.label}
            </div>
          ))}
        </Box>
      </Box>
      {layout.bars.map(bar => {
        const t = bar.task;
        const name = `${t.kind}/${t.name}`;
        return (
          <Box className={classes.row} key={t.key}>
            <Typography className={classes.label} component="div" title={name}>
              {`${t.isHook ? `${t.hookType ?? 'Hook'} hook · ` : ''}${name}`}
            </Typography>
            <Box className={classes.track}>
              <button
                type="button"
                className={classes.bar}
                aria-label={`${name}: ${result(t)}`}
                title={`${name}: ${result(t)}`}
                onClick={() =>
                  setSelected(t.key === selected ? undefined : t.key)
                }
                style={{
                  left: `${bar.left}%`,
                  width: `${bar.width}%`,
                  backgroundColor: colour(t),
                }}
              />
            </Box>
          </Box>
        );
      })}
      {chosen && (
        <Box mt={1} role="note" aria-label="Task details">
          <Typography variant="subtitle2">
            {`${chosen.kind}/${chosen.namespace ? `${chosen.namespace}/` : ''}${
              chosen.name
            } — ${result(chosen)}`}
          </Typography>
          <Typography variant="body2">
            {`${chosen.syncPhase}, wave ${chosen.wave}, ${chosen.action}; ${
              chosen.startedAt ? formatTime(chosen.startedAt) : 'not started'
            }${
              chosen.startedAt && chosen.finishedAt
                ? `, took ${formatDuration(
                    Date.parse(chosen.finishedAt) -
                      Date.parse(chosen.startedAt),
                  )}`
                : ''
            }`}
          </Typography>
          <Typography variant="body2">
            {chosen.message || 'No message.'}
          </Typography>
        </Box>
      )}
    </Box>
  );
}
