import { DirectoryOptions } from './selectFiles';

/** @public One `--set` of Argo CD's `helm.parameters`. */
export interface HelmParameter {
  name: string;
  value: string;
  /** `--set-string` instead of `--set`: `true` stays the string "true". */
  forceString?: boolean;
}

/** @public Argo CD's `spec.source.helm`, the parts we support. */
export interface HelmOptions {
  /**
   * Relative to the chart's folder, inside the repository; `$<ref>/<path>`
   * reads from the repository root of the source with that `ref`.
   */
  valueFiles?: string[];
  /** Skip value files that do not exist instead of failing. */
  ignoreMissingValueFiles?: boolean;
  /** A YAML document of values, after the value files. */
  values?: string;
  /** Values as an object; wins over `values` when both are set. */
  valuesObject?: Record<string, unknown>;
  parameters?: HelmParameter[];
  /** Default: the application's name. */
  releaseName?: string;
  /** Leave out the chart's `crds/` folder. */
  skipCrds?: boolean;
}

/** @public Argo CD's `spec.source.kustomize`, the parts we support. */
export interface KustomizeOptions {
  namePrefix?: string;
  nameSuffix?: string;
  /** `name=newName:tag`, `name:tag`, `name@digest`, `name=newName`. */
  images?: string[];
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  namespace?: string;
}

/** @public An external variable or top-level argument of Jsonnet. */
export interface JsonnetVariable {
  name: string;
  value: string;
  /** The value is Jsonnet code (`--ext-code`) rather than a string. */
  code?: boolean;
}

/** @public Argo CD's `spec.source.directory.jsonnet`. */
export interface JsonnetOptions {
  extVars?: JsonnetVariable[];
  tlas?: JsonnetVariable[];
  /** Library folders (`-J`), relative to the repository root. */
  libs?: string[];
}

/** @public Argo CD's `spec.source.directory`, with its Jsonnet options. */
export type DirectorySourceOptions = DirectoryOptions & {
  jsonnet?: JsonnetOptions;
};
