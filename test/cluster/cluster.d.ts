// Types of cluster.js for TypeScript callers; cluster.js itself is checked
// with its JSDoc (`tsc --checkJs`). Keep the two in step.

export type Cluster = {
  /** https://127.0.0.1:<port> */
  server: string;
  /** Admin bearer token (group system:masters); never log it. */
  token: string;
  /** PEM file that verifies the apiserver's certificate. */
  caFile: string;
  /** Admin kubeconfig (token + CA). */
  kubeconfigPath: string;
  /** Directory with etcd, kubectl, helm, kustomize, ... */
  binDir: string;
  /** Temporary cluster directory (logs, data); removed by stop(). */
  dir: string;
  /** The kwok-managed Node. */
  nodeName: string;
  processes: { name: string; pid: number }[];
  logTail(name: string, lines?: number): string;
  stop(): Promise<void>;
};

export function startCluster(opts?: {
  baseDir?: string;
  log?: (message: string) => void;
  timeoutMs?: number;
  build?: boolean;
  keepDir?: boolean;
}): Promise<Cluster>;
export function binDir(): string;
export function build(opts?: { quiet?: boolean }): Promise<string>;
export function missingBinaries(dir?: string): string[];
export const BINARIES: string[];
/** Label that makes kwok fail a Pod's containers. */
export const FAIL_POD_LABEL: string;
export const NODE_NAME: string;
