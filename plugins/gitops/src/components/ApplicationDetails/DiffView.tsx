import { EmptyState } from '@backstage/core-components';
import { ResourceDiff } from '@backstage-gitops/plugin-gitops-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useMemo, useState } from 'react';
import { DiffLine, sideBySideRows, unifiedLines } from './diffLines';

const useStyles = makeStyles(theme => ({
  code: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    margin: 0,
    width: '100%',
    overflowX: 'auto',
    borderCollapse: 'collapse',
  },
  cell: { whiteSpace: 'pre', padding: '0 8px', verticalAlign: 'top' },
  added: {
    backgroundColor:
      theme.palette.type === 'dark' ? 'rgba(46,160,67,0.3)' : '#e6ffec',
  },
  removed: {
    backgroundColor:
      theme.palette.type === 'dark' ? 'rgba(248,81,73,0.3)' : '#ffebe9',
  },
  same: {},
  ignored: { color: theme.palette.text.secondary },
}));

function Unified({ lines }: { lines: DiffLine[] }) {
  const classes = useStyles();
  const sign = { added: '+', removed: '-', same: ' ' };
  return (
    <table className={classes.code} aria-label="Unified diff">
      <tbody>
        {lines.map((line, i) => (
          <tr key={i} className={classes[line.kind]} data-kind={line.kind}>
            <td className={classes.cell}>{`${sign[line.kind]} ${
              line.text
            }`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SideBySide({ lines }: { lines: DiffLine[] }) {
  const classes = useStyles();
  const rows = useMemo(() => sideBySideRows(lines), [lines]);
  return (
    <table className={classes.code} aria-label="Side-by-side diff">
      <thead>
        <tr>
          <th className={classes.cell}>Live</th>
          <th className={classes.cell}>Desired (Git)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            <td
              className={`${classes.cell} ${
                row.live ? classes[row.live.kind] : ''
              }`}
            >
              {row.live?.text ?? ''}
            </td>
            <td
              className={`${classes.cell} ${
                row.desired ? classes[row.desired.kind] : ''
              }`}
            >
              {row.desired?.text ?? ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function changeLabel(d: ResourceDiff) {
  if (d.requiresPruning) return 'Requires pruning';
  return `${d.changes.length} change${d.changes.length === 1 ? '' : 's'}`;
}

function title(d: ResourceDiff) {
  return `${d.kind}/${d.namespace ? `${d.namespace}/` : ''}${d.name}`;
}

/** One resource: its change, then what was left out and why. */
function ResourceDiffBody(props: { diff: ResourceDiff; split: boolean }) {
  const { diff, split } = props;
  const classes = useStyles();
  const lines = useMemo(
    () => unifiedLines(diff.liveText, diff.desiredText),
    [diff.liveText, diff.desiredText],
  );
  return (
    <Box width="100%">
      {diff.changes.length === 0 && (
        <Typography variant="body2">
          No change: live matches Git (apart from what is ignored below).
        </Typography>
      )}
      {diff.changes.length > 0 && split && <SideBySide lines={lines} />}
      {diff.changes.length > 0 && !split && <Unified lines={lines} />}
      {diff.ignored.length > 0 && (
        <Box mt={1} className={classes.ignored}>
          <Typography variant="subtitle2">Ignored fields</Typography>
          {diff.ignored.map(path => (
            <Typography variant="body2" key={`${path.path}:${path.reason}`}>
              {`${path.path || '(whole object)'} — ${path.reason}${
                path.differs ? ' (differs, not counted)' : ''
              }`}
            </Typography>
          ))}
        </Box>
      )}
      {diff.notes.map(note => (
        <Typography variant="body2" color="error" key={note}>
          {note}
        </Typography>
      ))}
    </Box>
  );
}

/**
 * Desired against live for each resource that differs or has ignored
 * fields, collapsible, in unified or side-by-side form. Secret values arrive
 * masked from the backend; nothing here could unmask them.
 */
export function DiffView(props: { items: ResourceDiff[]; emptyText?: string }) {
  const { items } = props;
  const [split, setSplit] = useState(false);
  const [open, setOpen] = useState<Set<string>>(
    () =>
      new Set(
        items
          .filter(d => d.sync === 'OutOfSync')
          .slice(0, 5)
          .map(d => d.key),
      ),
  );
  // Changes first; an empty diff is never listed as one.
  const sorted = useMemo(
    () =>
      [...items].sort(
        (a, b) => Number(b.changes.length > 0) - Number(a.changes.length > 0),
      ),
    [items],
  );
  if (items.length === 0) {
    return (
      <EmptyState
        missing="content"
        title="No differences"
        description={
          props.emptyText ?? 'Every resource in the cluster matches Git.'
        }
      />
    );
  }
  const toggle = (key: string) =>
    setOpen(current => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  return (
    <Box>
      <Box display="flex" style={{ gap: 8 }} mb={1}>
        <ButtonGroup size="small" aria-label="Diff layout">
          <Button
            variant={split ? 'outlined' : 'contained'}
            onClick={() => setSplit(false)}
          >
            Unified
          </Button>
          <Button
            variant={split ? 'contained' : 'outlined'}
            onClick={() => setSplit(true)}
          >
            Side by side
          </Button>
        </ButtonGroup>
        <Button
          size="small"
          onClick={() => setOpen(new Set(items.map(d => d.key)))}
        >
          Expand all
        </Button>
        <Button size="small" onClick={() => setOpen(new Set())}>
          Collapse all
        </Button>
      </Box>
      {sorted.map(diff => (
        <Accordion
          key={diff.key}
          expanded={open.has(diff.key)}
          onChange={() => toggle(diff.key)}
          TransitionProps={{ unmountOnExit: true }}
        >
          <AccordionSummary expandIcon={<span aria-hidden>▾</span>}>
            <Box display="flex" alignItems="center" style={{ gap: 8 }}>
              <Typography variant="subtitle2">{title(diff)}</Typography>
              {diff.changes.length > 0 ? (
                <Chip
                  size="small"
                  color="secondary"
                  label={changeLabel(diff)}
                />
              ) : (
                <Chip size="small" label="No change" />
              )}
              {diff.ignored.length > 0 && (
                <Chip
                  size="small"
                  variant="outlined"
                  label={`${diff.ignored.length} ignored`}
                />
              )}
            </Box>
          </AccordionSummary>
          <AccordionDetails>
            <ResourceDiffBody diff={diff} split={split} />
          </AccordionDetails>
        </Accordion>
      ))}
    </Box>
  );
}
