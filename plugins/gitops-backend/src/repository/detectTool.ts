import { RepositoryError } from './errors';

/** @public How the files at an application's path become manifests. */
export type SourceTool = 'helm' | 'kustomize' | 'jsonnet' | 'directory';

export const KUSTOMIZATION_FILES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

/**
 * Argo CD's tool detection, from the names of the files directly in the
 * application's folder: a chart, then a kustomization, then Jsonnet, else a
 * plain directory of manifests.
 */
export function detectTool(topLevelFiles: readonly string[]): SourceTool {
  const names = new Set(topLevelFiles);
  if (names.has('Chart.yaml')) return 'helm';
  if (KUSTOMIZATION_FILES.some(name => names.has(name))) return 'kustomize';
  if (topLevelFiles.some(name => name.endsWith('.jsonnet'))) return 'jsonnet';
  return 'directory';
}

/**
 * The tool for a source: Helm or Kustomize when the application's options
 * name one, as Argo CD's explicit source type does, else detected.
 */
export function chooseTool(
  options: { helm?: unknown; kustomize?: unknown },
  topLevelFiles: readonly string[],
): SourceTool {
  if (options.helm && options.kustomize) {
    throw new RepositoryError(
      'InvalidSource',
      'a source has options for both Helm and Kustomize; keep the one its folder uses',
    );
  }
  if (options.helm) return 'helm';
  if (options.kustomize) return 'kustomize';
  return detectTool(topLevelFiles);
}
