import { annotate, newJob } from './__testing__/builders';
import {
  DEFAULT_SYNC_OPTIONS,
  compareOptions,
  syncOptions,
} from './syncOptions';

const withOptions = (value: string) =>
  annotate(newJob(), 'argocd.argoproj.io/sync-options', value);

describe('syncOptions', () => {
  it("has Argo CD's defaults when nothing is set", () => {
    expect(syncOptions(newJob(), [])).toEqual({
      ...DEFAULT_SYNC_OPTIONS,
      unknown: [],
      invalid: [],
    });
    expect(DEFAULT_SYNC_OPTIONS.prune).toBe(true);
    expect(DEFAULT_SYNC_OPTIONS.validate).toBe(true);
    expect(DEFAULT_SYNC_OPTIONS.prunePropagationPolicy).toBe('foreground');
  });

  it('reads the annotation', () => {
    const options = syncOptions(
      withOptions(
        'Prune=false, PruneLast=true,ServerSideApply=true,PrunePropagationPolicy=orphan',
      ),
      [],
    );
    expect(options).toMatchObject({
      prune: false,
      pruneLast: true,
      serverSideApply: true,
      prunePropagationPolicy: 'orphan',
      replace: false,
    });
  });

  it('keeps Prune=confirm and Delete=confirm as confirm', () => {
    const options = syncOptions(
      withOptions('Prune=confirm,Delete=confirm'),
      [],
    );
    expect(options.prune).toBe('confirm');
    expect(options.delete).toBe('confirm');
  });

  it('reads the app-wide list, and the resource wins per key', () => {
    const appWide = [
      'CreateNamespace=true',
      'ServerSideApply=true',
      'Validate=false',
    ];
    expect(syncOptions(undefined, appWide)).toMatchObject({
      createNamespace: true,
      serverSideApply: true,
      validate: false,
    });
    expect(
      syncOptions(withOptions('ServerSideApply=false'), appWide),
    ).toMatchObject({
      createNamespace: true,
      serverSideApply: false,
      validate: false,
    });
  });

  it('reports unknown keys and invalid values instead of dropping them', () => {
    const options = syncOptions(
      withOptions(
        'PruneLast=yes,Foo=bar,PrunePropagationPolicy=cascade,Replace',
      ),
      ['prune=false'],
    );
    expect(options.unknown).toEqual(['prune=false', 'Foo=bar']);
    expect(options.invalid).toEqual([
      'PruneLast=yes',
      'PrunePropagationPolicy=cascade',
      'Replace',
    ]);
    expect(options.pruneLast).toBe(false);
    expect(options.prune).toBe(true);
  });

  it('does not let an invalid resource value undo an app-wide one', () => {
    const options = syncOptions(withOptions('PruneLast=maybe'), [
      'PruneLast=true',
    ]);
    expect(options.pruneLast).toBe(true);
    expect(options.invalid).toEqual(['PruneLast=maybe']);
  });
});

describe('compareOptions', () => {
  const withCompare = (value: string) =>
    annotate(newJob(), 'argocd.argoproj.io/compare-options', value);

  it('defaults to nothing set', () => {
    expect(compareOptions(newJob())).toEqual({
      ignoreExtraneous: false,
      unknown: [],
      invalid: [],
    });
  });

  it('reads IgnoreExtraneous and ServerSideDiff', () => {
    expect(
      compareOptions(
        withCompare(
          'IgnoreExtraneous, ServerSideDiff=false,IncludeMutationWebhook=true',
        ),
      ),
    ).toEqual({
      ignoreExtraneous: true,
      serverSideDiff: false,
      includeMutationWebhook: true,
      unknown: [],
      invalid: [],
    });
  });

  it('reports what it cannot use', () => {
    expect(
      compareOptions(
        withCompare('IgnoreExtraneous=true,ServerSideDiff=on,Foo'),
      ),
    ).toEqual({
      ignoreExtraneous: false,
      unknown: ['Foo'],
      invalid: ['IgnoreExtraneous=true', 'ServerSideDiff=on'],
    });
  });
});
