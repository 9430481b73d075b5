// What an Argo CD installation puts in the cluster besides its workloads:
// the CRDs of the built module version, the settings the controller reads
// (argocd-cm, argocd-secret), the `default` AppProject (argocd-server creates
// it at start-up; we run no argocd-server), and the Applications.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiServer } from '../../lib/apiServer';
import { until } from '../../lib/fleet';
import { ARGOCD_NAMESPACE } from './processes';

const PART_OF = { 'app.kubernetes.io/part-of': 'argocd' };

/** Server-side apply of JSON objects (a JSON list is valid kubectl input). */
export function kubectlApply(
  binDir: string,
  kubeconfigPath: string,
  objects: object[],
) {
  execFileSync(
    join(binDir, 'kubectl'),
    [
      `--kubeconfig=${kubeconfigPath}`,
      'apply',
      '--server-side',
      '--field-manager=bench',
      '-f',
      '-',
    ],
    {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
      stdio: ['pipe', 'ignore', 'inherit'],
      maxBuffer: 1 << 30,
    },
  );
}

export async function installArgoCd(options: {
  api: ApiServer;
  kubectlDir: string;
  argoCdBinDir: string;
  kubeconfigPath: string;
  destinationNamespace: string;
}) {
  const {
    api,
    kubectlDir,
    argoCdBinDir,
    kubeconfigPath,
    destinationNamespace,
  } = options;
  execFileSync(
    join(kubectlDir, 'kubectl'),
    [
      `--kubeconfig=${kubeconfigPath}`,
      'apply',
      '--server-side',
      '--field-manager=bench',
      // The files, not the folder: it also holds a kustomization.yaml.
      ...readdirSync(join(argoCdBinDir, 'crds'))
        .filter(file => file.endsWith('-crd.yaml'))
        .flatMap(file => ['-f', join(argoCdBinDir, 'crds', file)]),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  for (const crd of ['applications.argoproj.io', 'appprojects.argoproj.io']) {
    await until(
      `CRD ${crd} established`,
      async () => {
        const { status } = await api.json(
          'GET',
          `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd}`,
        );
        return (status?.conditions ?? []).some(
          (c: any) => c.type === 'Established' && c.status === 'True',
        );
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  }
  kubectlApply(kubectlDir, kubeconfigPath, [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ARGOCD_NAMESPACE },
    },
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: destinationNamespace },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'argocd-cm',
        namespace: ARGOCD_NAMESPACE,
        labels: PART_OF,
      },
      data: {},
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'argocd-secret',
        namespace: ARGOCD_NAMESPACE,
        labels: PART_OF,
      },
      type: 'Opaque',
      data: { 'server.secretkey': randomBytes(32).toString('base64') },
    },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'default', namespace: ARGOCD_NAMESPACE },
      spec: {
        sourceRepos: ['*'],
        destinations: [{ server: '*', namespace: '*' }],
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      },
    },
  ]);
}

/** The Application of the shared workload, as a user would write it. */
export function application(options: {
  name: string;
  repoURL: string;
  path: string;
  namespace: string;
}) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: options.name, namespace: ARGOCD_NAMESPACE },
    spec: {
      project: 'default',
      source: {
        repoURL: options.repoURL,
        path: options.path,
        targetRevision: 'HEAD',
      },
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: options.namespace,
      },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  };
}
