import { annotate, newJob, newObject } from './__testing__/builders';
import {
  AnnotationError,
  deletePolicies,
  hookTypes,
  ignoreHealthcheck,
  isHook,
  isSkipped,
  splitList,
  syncWave,
} from './annotations';

describe('syncWave', () => {
  it('is 0 without annotations', () => {
    expect(syncWave(newJob())).toBe(0);
  });

  it.each([
    ['5', 5],
    ['-3', -3],
    ['+2', 2],
    [' 7 ', 7],
  ])('reads "%s" as %d', (text, wave) => {
    expect(
      syncWave(annotate(newJob(), 'argocd.argoproj.io/sync-wave', text)),
    ).toBe(wave);
  });

  it.each(['1.5', 'two', '', '99999999999999999999'])(
    'reports "%s" as an error naming the object',
    text => {
      const result = syncWave(
        annotate(newJob(), 'argocd.argoproj.io/sync-wave', text),
      );
      expect(result).toBeInstanceOf(AnnotationError);
      expect((result as AnnotationError).message).toBe(
        `Job/shop/migrate: annotation argocd.argoproj.io/sync-wave: "${text}" is not an integer`,
      );
    },
  );

  it("falls back to Helm's hook weight, and Argo CD's wave wins", () => {
    const helm = annotate(newJob(), 'helm.sh/hook-weight', '-5');
    expect(syncWave(helm)).toBe(-5);
    expect(syncWave(annotate(helm, 'argocd.argoproj.io/sync-wave', '2'))).toBe(
      2,
    );
  });

  it('reports a bad Helm hook weight', () => {
    const result = syncWave(annotate(newJob(), 'helm.sh/hook-weight', 'x'));
    expect(result).toBeInstanceOf(AnnotationError);
    expect((result as AnnotationError).annotation).toBe('helm.sh/hook-weight');
  });
});

describe('hookTypes', () => {
  const hook = (value: string) =>
    hookTypes(annotate(newJob(), 'argocd.argoproj.io/hook', value));
  const helm = (value: string) =>
    hookTypes(annotate(newJob(), 'helm.sh/hook', value));

  it('is empty for an ordinary resource', () => {
    expect(hookTypes(newJob())).toEqual([]);
  });

  it('reads comma lists, trimmed, without repeats', () => {
    expect(hook('PreSync, PostSync ,PreSync')).toEqual(['PreSync', 'PostSync']);
    expect(hook('SyncFail')).toEqual(['SyncFail']);
    expect(hook('PostDelete')).toEqual(['PostDelete']);
  });

  it('reports unknown and empty hook types', () => {
    expect(hook('PreSync,Postsync')).toBeInstanceOf(AnnotationError);
    expect((hook('Postsync') as AnnotationError).message).toBe(
      'Job/shop/migrate: annotation argocd.argoproj.io/hook: "Postsync" names an unknown hook type "Postsync"',
    );
    expect(hook(' , ')).toBeInstanceOf(AnnotationError);
  });

  it.each([
    ['pre-install', ['PreSync']],
    ['pre-upgrade', ['PreSync']],
    ['pre-install,pre-upgrade', ['PreSync']],
    ['post-install,post-upgrade', ['PostSync']],
    ['pre-install,post-install', ['PreSync', 'PostSync']],
    ['post-delete', ['PostDelete']],
    ['Pre-Install', ['PreSync']],
    ['pre-delete,post-install', ['PostSync']],
    ['crd-install', []],
    ['test', ['Skip']],
    ['test-success', ['Skip']],
    ['pre-delete', ['Skip']],
  ])('maps helm.sh/hook "%s" to %j', (value, expected) => {
    expect(helm(value)).toEqual(expected);
  });

  it('reports unknown Helm hooks', () => {
    expect(helm('pre-instal')).toBeInstanceOf(AnnotationError);
  });

  it("lets Argo CD's annotation win over Helm's", () => {
    const both = annotate(
      annotate(newJob(), 'helm.sh/hook', 'post-install'),
      'argocd.argoproj.io/hook',
      'Sync',
    );
    expect(hookTypes(both)).toEqual(['Sync']);
  });

  // Found by annotations.fuzz.test.ts: a table lookup found Object's own
  // members and returned a function as a hook type.
  it.each(['constructor', '__proto__', 'toString'])(
    'reports the Helm hook "%s" as unknown',
    value => {
      expect(
        hookTypes(annotate(newJob(), 'helm.sh/hook', value)),
      ).toBeInstanceOf(AnnotationError);
    },
  );
});

describe('isSkipped and isHook', () => {
  it('skips only when Skip is the sole type', () => {
    expect(isSkipped(['Skip'])).toBe(true);
    expect(isSkipped(['Skip', 'PreSync'])).toBe(false);
    expect(isHook(['Skip', 'PreSync'])).toBe(true);
    expect(isHook(['Skip'])).toBe(false);
    expect(isHook([])).toBe(false);
  });
});

describe('deletePolicies', () => {
  it('defaults to BeforeHookCreation', () => {
    expect(deletePolicies(newJob())).toEqual(['BeforeHookCreation']);
  });

  it("combines Argo CD's and Helm's policies", () => {
    const obj = annotate(
      annotate(
        newJob(),
        'argocd.argoproj.io/hook-delete-policy',
        'HookSucceeded, HookFailed',
      ),
      'helm.sh/hook-delete-policy',
      'before-hook-creation,hook-succeeded',
    );
    expect(deletePolicies(obj)).toEqual([
      'HookSucceeded',
      'HookFailed',
      'BeforeHookCreation',
    ]);
  });

  it('maps Helm policies alone', () => {
    const obj = annotate(newJob(), 'helm.sh/hook-delete-policy', 'hook-failed');
    expect(deletePolicies(obj)).toEqual(['HookFailed']);
  });

  it('reports unknown policies', () => {
    const argo = annotate(
      newJob(),
      'argocd.argoproj.io/hook-delete-policy',
      'HookSucceded',
    );
    expect((deletePolicies(argo) as AnnotationError).message).toBe(
      'Job/shop/migrate: annotation argocd.argoproj.io/hook-delete-policy: "HookSucceded" names an unknown delete policy "HookSucceded"',
    );
    const helm = annotate(newJob(), 'helm.sh/hook-delete-policy', 'always');
    expect(deletePolicies(helm)).toBeInstanceOf(AnnotationError);
  });

  // Found by annotations.fuzz.test.ts (`hasOwnProperty` came back as a policy).
  it.each(['hasOwnProperty', 'constructor', '__proto__'])(
    'reports the Helm delete policy "%s" as unknown',
    value => {
      expect(
        deletePolicies(annotate(newJob(), 'helm.sh/hook-delete-policy', value)),
      ).toBeInstanceOf(AnnotationError);
    },
  );
});

describe('ignoreHealthcheck', () => {
  const key = 'argocd.argoproj.io/ignore-healthcheck';
  it('reads true and false, and reports anything else', () => {
    expect(ignoreHealthcheck(newObject('v1', 'Service', 'web', 'shop'))).toBe(
      false,
    );
    expect(ignoreHealthcheck(annotate(newJob(), key, 'true'))).toBe(true);
    expect(ignoreHealthcheck(annotate(newJob(), key, 'false'))).toBe(false);
    expect(ignoreHealthcheck(annotate(newJob(), key, 'True'))).toBeInstanceOf(
      AnnotationError,
    );
  });
});

describe('splitList', () => {
  it('trims, drops empties and repeats', () => {
    expect(splitList(' a, b,,a , ')).toEqual(['a', 'b']);
  });
});
