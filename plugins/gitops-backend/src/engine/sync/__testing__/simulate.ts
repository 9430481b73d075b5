import { ResourceHealth } from '../../health';
import { Manifest, resourceKey } from '../../manifest';
import { annotate, newObject } from '../../__testing__/builders';
import { trackingIdFor } from '../../tracking';
import { PlanInput, planSync } from '../plan';
import { sharedWith } from '../sharedResource';
import { isFinished, nextStep } from '../step';
import {
  ActionResult,
  SyncOperationOptions,
  Observation,
  SyncAction,
  SyncOperationState,
} from '../types';

export { annotate, newJob as job } from '../../__testing__/builders';

export const HOOK = 'argocd.argoproj.io/hook';
export const WAVE = 'argocd.argoproj.io/sync-wave';
export const DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';
export const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
export const START = new Date('2025-01-01T00:00:00.000Z');

export const deployment = (name: string) =>
  newObject('apps/v1', 'Deployment', name, 'shop');
export const configMap = (name: string) =>
  newObject('v1', 'ConfigMap', name, 'shop');
export const service = (name: string) =>
  newObject('v1', 'Service', name, 'shop');
export const namespace = (name: string) => newObject('v1', 'Namespace', name);
export const wave = (obj: Manifest, n: number) => annotate(obj, WAVE, `${n}`);
export const hook = (obj: Manifest, types: string) =>
  annotate(obj, HOOK, types);
/** A live object as this application left it: carrying its tracking id. */
export const tracked = (obj: Manifest, app = 'shop') =>
  annotate(obj, 'argocd.argoproj.io/tracking-id', trackingIdFor(app, obj));

/** `Kind/name` of a key `group/Kind/namespace/name`. */
const short = (key: string) => {
  const [, kind, , name] = key.split('/');
  return `${kind}/${name}`;
};

export type Scenario = {
  /** Objects already in the cluster, with the health they report. */
  existing?: Manifest[];
  /** A failure message for an action, or undefined to let it succeed. */
  fail?: (action: SyncAction) => string | undefined;
  /**
   * The health of an object `age` ticks after it was applied (0 = the step
   * right after). Default: Healthy for everything with health, which here
   * means Deployments and Jobs; ConfigMaps, Services, Namespaces have none.
   */
  health?: (key: string, age: number) => ResourceHealth | undefined;
  /** Deleted objects stay visible this many steps (finalizers at work). */
  deletionLag?: number;
  /** Drop the results of the actions of step n, as if the backend restarted. */
  loseResultsOf?: number;
  /** Serialise the state between steps, as a store would. */
  roundTrip?: boolean;
  /** Called before step n; may change the state (a user's request). */
  before?: (step: number, state: SyncOperationState) => SyncOperationState;
  maxSteps?: number;
};

const defaultHealth = (key: string): ResourceHealth | undefined =>
  /\/(Deployment|Job|Pod)\//.test(key) ? { status: 'Healthy' } : undefined;

/**
 * A tiny cluster and the caller's loop: execute the actions, observe the
 * objects of the tasks, step again. Returns every action as `verb Kind/name`
 * in the order executed (also per step), each step's state, and the waits.
 */
export function simulate(initial: SyncOperationState, scenario: Scenario = {}) {
  const live = new Map<string, number>(
    (scenario.existing ?? []).map(obj => [resourceKey(obj), -1000]),
  );
  // Existing objects another application's tracking id names, until ours
  // replace them.
  const owners = new Map<string, string>(
    (scenario.existing ?? []).flatMap(obj => {
      const owner = sharedWith(obj, initial.appName);
      return owner ? [[resourceKey(obj), owner] as const] : [];
    }),
  );
  const health = scenario.health ?? defaultHealth;
  const log: string[] = [];
  const steps: string[][] = [];
  const leaving = new Map<string, number>();
  const states: SyncOperationState[] = [];
  const waits: SyncAction[] = [];
  let state = initial;
  let results: ActionResult[] = [];
  let now = START;
  for (let tick = 0; tick < (scenario.maxSteps ?? 60); tick += 1) {
    state = scenario.before?.(tick, state) ?? state;
    for (const [key, goneAt] of leaving) {
      if (goneAt <= tick) {
        live.delete(key);
        leaving.delete(key);
      }
    }
    const resources: Record<string, Observation> = {};
    for (const { key } of state.tasks) {
      const appliedAt = live.get(key);
      const owner = owners.get(key);
      resources[key] =
        appliedAt === undefined
          ? { present: false }
          : {
              present: true,
              health: health(key, tick - appliedAt - 1),
              ...(owner ? { sharedWith: owner } : {}),
            };
    }
    const step = nextStep(state, { results, resources }, now);
    state = scenario.roundTrip
      ? JSON.parse(JSON.stringify(step.state))
      : step.state;
    states.push(state);
    results = [];
    steps.push([]);
    for (const action of step.actions) {
      if (action.type === 'wait') {
        waits.push(action);
        continue;
      }
      const failure = scenario.fail?.(action);
      const verbs = {
        apply: action.type === 'apply' && action.dryRun ? 'dry-run' : 'apply',
        delete: 'delete',
        'delete-hook': `delete-hook(${
          action.type === 'delete-hook' ? action.reason : ''
        })`,
      };
      const verb = verbs[action.type];
      const entry = `${verb} ${short(action.key)}${failure ? ' FAILED' : ''}`;
      log.push(entry);
      steps[steps.length - 1].push(entry);
      results.push({
        taskId: action.taskId,
        type: action.type,
        ok: !failure,
        message: failure,
      });
      if (failure || (action.type === 'apply' && action.dryRun)) {
        continue;
      }
      if (action.type === 'apply') {
        live.set(action.key, tick);
        owners.delete(action.key);
      } else if (live.has(action.key)) {
        leaving.set(action.key, tick + 1 + (scenario.deletionLag ?? 0));
      }
    }
    if (tick === scenario.loseResultsOf) {
      results = [];
    }
    if (isFinished(state) && step.actions.length === 0) {
      break;
    }
    const until = step.actions.find(a => a.type === 'wait' && a.until);
    now =
      until?.type === 'wait' && until.until
        ? new Date(until.until)
        : new Date(now.getTime() + 1000);
  }
  return { state, log, steps, states, waits };
}

/** `status/hookPhase` of each task by id, for compact assertions. */
export function outcomes(state: SyncOperationState): Record<string, string> {
  return Object.fromEntries(
    state.tasks.map(task => [
      `${task.syncPhase}:${task.kind}/${task.name}`,
      task.hookPhase ? `${task.status}/${task.hookPhase}` : task.status,
    ]),
  );
}

export function plan(
  desired: Manifest[],
  extra: Partial<Omit<PlanInput, 'options'>> & {
    options?: Partial<SyncOperationOptions>;
  } = {},
): SyncOperationState {
  return planSync({
    appName: 'shop',
    revision: '0123456789abcdef',
    live: [],
    comparison: {},
    now: START,
    ...extra,
    desired,
    options: { prune: false, dryRun: false, syncOptions: [], ...extra.options },
  });
}
