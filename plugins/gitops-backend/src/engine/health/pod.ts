import { Manifest } from '../manifest';
import { arrayAt, findCondition, numberAt, stringAt, fieldAt } from './fields';
import { ResourceHealth } from './types';

// Waiting reasons that mean the kubelet gave up for now rather than that the
// container is still starting: CrashLoopBackOff, ImagePullBackOff, ErrImagePull,
// CreateContainerConfigError, InvalidImageName...
function isErrorReason(reason: string): boolean {
  return (
    reason.startsWith('Err') ||
    reason.endsWith('Error') ||
    reason.endsWith('BackOff') ||
    reason === 'InvalidImageName'
  );
}

function failMessage(status: unknown): string | undefined {
  const terminated = fieldAt(status, ['state', 'terminated']);
  if (terminated === undefined) {
    return undefined;
  }
  const message = stringAt(terminated, 'message');
  if (message) {
    return message;
  }
  if (stringAt(terminated, 'reason') === 'OOMKilled') {
    return 'OOMKilled';
  }
  const exitCode = numberAt(terminated, 'exitCode') ?? 0;
  return exitCode !== 0
    ? `container "${stringAt(
        status,
        'name',
      )}" failed with exit code ${exitCode}`
    : undefined;
}

/**
 * Argo CD's pod rules. Waiting errors only degrade pods that restart forever:
 * a hook pod (restartPolicy Never or OnFailure) marked Degraded during an image
 * pull back-off would fail its phase, then run anyway once the image arrives.
 * Unlike Argo CD we also look at init containers, whose crash loop otherwise
 * shows as an endless Progressing.
 */
export function podHealth(obj: Manifest): ResourceHealth {
  const restartPolicy = stringAt(obj, 'spec', 'restartPolicy') ?? 'Always';
  const containers = arrayAt(obj, 'status', 'containerStatuses');
  const initContainers = arrayAt(obj, 'status', 'initContainerStatuses');
  const podMessage = stringAt(obj, 'status', 'message');

  if (restartPolicy === 'Always') {
    const messages = [...initContainers, ...containers].flatMap(status => {
      const reason = stringAt(status, 'state', 'waiting', 'reason');
      if (reason === undefined || !isErrorReason(reason)) {
        return [];
      }
      return [stringAt(status, 'state', 'waiting', 'message') ?? reason];
    });
    if (messages.length > 0) {
      return { status: 'Degraded', message: messages.join(', ') };
    }
  }

  switch (stringAt(obj, 'status', 'phase')) {
    case 'Pending':
      return { status: 'Progressing', message: podMessage };
    case 'Succeeded':
      return { status: 'Healthy', message: podMessage };
    case 'Failed': {
      const message =
        podMessage ||
        [...initContainers, ...containers]
          .map(failMessage)
          .find(m => m !== undefined);
      return { status: 'Degraded', message };
    }
    case 'Running':
      if (restartPolicy !== 'Always') {
        // A pod that runs to completion is a task (often a hook): it is not
        // done, so not healthy, until it has succeeded.
        return { status: 'Progressing', message: podMessage };
      }
      if (findCondition(obj, 'Ready')?.status === 'True') {
        return { status: 'Healthy', message: podMessage };
      }
      if (
        containers.some(
          status => fieldAt(status, ['lastState', 'terminated']) !== undefined,
        )
      ) {
        return { status: 'Degraded', message: podMessage };
      }
      return { status: 'Progressing', message: podMessage };
    default:
      return { status: 'Unknown', message: podMessage };
  }
}
