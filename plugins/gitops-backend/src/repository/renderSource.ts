import { readdir } from 'node:fs/promises';
import { chooseTool, SourceTool } from './detectTool';
import { ParseLimits } from './parseManifests';
import { RenderedManifest, renderDirectory } from './renderDirectory';
import { renderHelm } from './renderHelm';
import { createJsonnetRenderer } from './renderJsonnet';
import { renderKustomize } from './renderKustomize';
import { ToolRunner } from './runTool';
import {
  DirectorySourceOptions,
  HelmOptions,
  KustomizeOptions,
} from './sourceOptions';
import { Workspace } from './workspace';

export interface RenderSourceRequest {
  appName: string;
  namespace?: string;
  /** The source's path, normalised. */
  path: string;
  options: {
    directory?: DirectorySourceOptions;
    helm?: HelmOptions;
    kustomize?: KustomizeOptions;
  };
  workspace: Workspace;
  refs: ReadonlyMap<string, Workspace>;
  runner: ToolRunner;
  kubeVersion: string;
  limits: ParseLimits;
}

/**
 * Reads one source's folder into its workspace and renders it with the
 * tool its files (or options) call for.
 */
export async function renderSource(
  request: RenderSourceRequest,
): Promise<{ tool: SourceTool; manifests: RenderedManifest[] }> {
  const { workspace, path, options, runner, limits } = request;
  await workspace.addTree(path);
  const topLevel = (await readdir(workspace.abs(path), { withFileTypes: true }))
    .filter(entry => entry.isFile())
    .map(entry => entry.name);
  const tool = chooseTool(options, topLevel);
  switch (tool) {
    case 'helm':
      return {
        tool,
        manifests: await renderHelm({
          workspace,
          appPath: path,
          appName: request.appName,
          namespace: request.namespace,
          options: options.helm,
          refs: request.refs,
          runner,
          kubeVersion: request.kubeVersion,
          limits,
        }),
      };
    case 'kustomize':
      return {
        tool,
        manifests: await renderKustomize({
          workspace,
          appPath: path,
          options: options.kustomize,
          runner,
          limits,
        }),
      };
    default:
      // Argo CD renders Jsonnet as part of a directory source.
      return {
        tool,
        manifests: await renderDirectory({
          rootDir: workspace.dir,
          appPath: path,
          directory: options.directory,
          limits,
          jsonnet: createJsonnetRenderer({
            workspace,
            options: options.directory?.jsonnet,
            runner,
            limits,
          }),
        }),
      };
  }
}
