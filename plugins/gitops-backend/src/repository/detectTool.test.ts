import { chooseTool, detectTool } from './detectTool';

describe('detectTool', () => {
  it.each([
    [['Chart.yaml', 'values.yaml'], 'helm'],
    [['kustomization.yaml'], 'kustomize'],
    [['kustomization.yml'], 'kustomize'],
    [['Kustomization'], 'kustomize'],
    [['main.jsonnet', 'lib.libsonnet'], 'jsonnet'],
    [['deploy.yaml', 'chart.yaml'], 'directory'],
    [[], 'directory'],
  ])('%j → %s', (files, tool) => {
    expect(detectTool(files)).toBe(tool);
  });

  it('prefers Helm when a chart also has a kustomization', () => {
    expect(detectTool(['kustomization.yaml', 'Chart.yaml'])).toBe('helm');
  });
});

describe('chooseTool', () => {
  it('follows the options that name a tool, as an explicit source type', () => {
    expect(chooseTool({ helm: {} }, ['kustomization.yaml'])).toBe('helm');
    expect(chooseTool({ kustomize: {} }, ['Chart.yaml'])).toBe('kustomize');
  });

  it('detects the tool when no options name one', () => {
    expect(chooseTool({}, ['Chart.yaml'])).toBe('helm');
    expect(chooseTool({}, ['a.yaml'])).toBe('directory');
  });

  it('refuses options for both Helm and Kustomize', () => {
    expect(() => chooseTool({ helm: {}, kustomize: {} }, [])).toThrow(
      expect.objectContaining({ code: 'InvalidSource' }),
    );
  });
});
