import { detectTool } from './detectTool';

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
