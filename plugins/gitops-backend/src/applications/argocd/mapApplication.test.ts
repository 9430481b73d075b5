import { parse } from 'yaml';
import { applicationFromArgo, ArgoMapContext } from './mapApplication';

const context: ArgoMapContext = {
  clusters: [
    { name: 'in-cluster', server: 'https://127.0.0.1:6443' },
    { name: 'prod', server: 'https://prod.example.com:6443' },
  ],
  allowHttp: false,
  inClusterName: 'in-cluster',
};

function app(spec: string, annotations = '') {
  return parse(`
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: guestbook
  namespace: argocd
${annotations ? `  annotations:\n${annotations}` : ''}
spec:
${spec}`);
}

const plainSpec = `
  project: shop
  source:
    repoURL: https://git.example.com/apps.git
    path: ./guestbook/
    targetRevision: main
  destination:
    server: https://kubernetes.default.svc
    namespace: guestbook
`;

describe('applicationFromArgo', () => {
  it('maps source, destination, project, syncPolicy and ignoreDifferences as written', () => {
    const result = applicationFromArgo(
      app(`${plainSpec}
  syncPolicy:
    automated: { prune: true, selfHeal: true }
    syncOptions: [CreateNamespace=true, ServerSideApply=true]
    retry:
      limit: 5
      backoff: { duration: 5s, factor: 2, maxDuration: 3m }
  ignoreDifferences:
    - group: apps
      kind: Deployment
      jsonPointers: [/spec/replicas]
`),
      context,
    );
    expect(result.problems).toEqual([]);
    expect(result.application).toEqual({
      name: 'guestbook',
      origin: 'argocd',
      entityRefs: [],
      project: 'shop',
      source: {
        repoURL: 'https://git.example.com/apps.git',
        path: 'guestbook',
        targetRevision: 'main',
      },
      destination: { cluster: 'in-cluster', namespace: 'guestbook' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true, allowEmpty: false },
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
        retry: {
          limit: 5,
          backoff: { duration: '5s', factor: 2, maxDuration: '3m' },
        },
      },
      ignoreDifferences: [
        { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
      ],
    });
  });

  it('finds a destination by name or by the API server of a declared cluster', () => {
    const byName = applicationFromArgo(
      app(
        plainSpec.replace(
          'server: https://kubernetes.default.svc',
          'name: prod',
        ),
      ),
      context,
    );
    expect(byName.application?.destination.cluster).toBe('prod');
    const byServer = applicationFromArgo(
      app(
        plainSpec.replace(
          'https://kubernetes.default.svc',
          'https://prod.example.com:6443/',
        ),
      ),
      context,
    );
    expect(byServer.application?.destination.cluster).toBe('prod');
  });

  it('refuses an unknown destination in words, naming the declared clusters', () => {
    const result = applicationFromArgo(
      app(
        plainSpec.replace(
          'server: https://kubernetes.default.svc',
          'name: staging',
        ),
      ),
      context,
    );
    expect(result.application).toBeUndefined();
    expect(result.problems).toEqual([
      'destination cluster "staging" is not declared in gitops.clusters (declared: in-cluster, prod)',
    ]);
    const byServer = applicationFromArgo(
      app(
        plainSpec.replace('https://kubernetes.default.svc', 'https://10.0.0.1'),
      ),
      context,
    );
    expect(byServer.problems[0]).toMatch(
      /destination server https:\/\/10.0.0.1 is not the API server of any cluster/,
    );
  });

  it('refuses tool options and charts it cannot honour rather than ignoring them', () => {
    const result = applicationFromArgo(
      app(
        `${plainSpec}
    helm:
      valueFiles: [values-prod.yaml]
`.replace('  destination:', '    chart: nginx\n  destination:'),
      ),
      context,
    );
    expect(result.application).toBeUndefined();
    expect(result.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'spec.source.chart (a chart from a Helm repository) is not supported',
        ),
      ]),
    );
  });

  it('maps Helm, Kustomize and directory options, and refuses the ones the renderer lacks', () => {
    const result = applicationFromArgo(
      app(`
  source:
    repoURL: https://git.example.com/apps.git
    path: chart
    helm:
      valueFiles: [values-prod.yaml]
      parameters: [{ name: replicas, value: 3 }, { name: tag, value: "1.0", forceString: true }]
      valuesObject: { ingress: { enabled: true } }
      releaseName: shop
    kustomize:
      namePrefix: prod-
      images: [nginx=nginx:1.27]
      commonLabels: { team: shop }
    directory: { recurse: true, exclude: '*.md', jsonnet: { tlas: [{ name: env, value: prod }] } }
  destination: { name: prod }
`),
      context,
    );
    expect(result.problems).toEqual([]);
    expect(result.application?.source).toEqual({
      repoURL: 'https://git.example.com/apps.git',
      path: 'chart',
      targetRevision: 'HEAD',
      helm: {
        valueFiles: ['values-prod.yaml'],
        parameters: [
          { name: 'replicas', value: '3' },
          { name: 'tag', value: '1.0', forceString: true },
        ],
        valuesObject: { ingress: { enabled: true } },
        releaseName: 'shop',
      },
      kustomize: {
        namePrefix: 'prod-',
        images: ['nginx=nginx:1.27'],
        commonLabels: { team: 'shop' },
      },
      directory: {
        recurse: true,
        exclude: '*.md',
        jsonnet: { tlas: [{ name: 'env', value: 'prod' }] },
      },
    });
    const refused = applicationFromArgo(
      app(`
  source:
    repoURL: https://git.example.com/apps.git
    helm: { fileParameters: [{ name: cert, path: cert.pem }] }
    kustomize: { patches: [] }
    plugin: { name: cmp }
  destination: { name: prod }
`),
      context,
    );
    expect(refused.application).toBeUndefined();
    expect(refused.problems).toEqual([
      'spec.source.plugin is not supported yet for Argo CD Applications',
      'spec.source.helm.fileParameters is not supported',
      'spec.source.kustomize.patches is not supported',
    ]);
  });

  it('takes a single entry of spec.sources, and refuses several', () => {
    const one = applicationFromArgo(
      app(`
  sources:
    - repoURL: https://git.example.com/apps.git
      path: guestbook
  destination: { name: prod, namespace: web }
`),
      context,
    );
    expect(one.application?.source).toEqual({
      repoURL: 'https://git.example.com/apps.git',
      path: 'guestbook',
      targetRevision: 'HEAD',
    });
    expect(one.application?.project).toBe('default');
    const two = applicationFromArgo(
      app(`
  sources:
    - repoURL: https://git.example.com/apps.git
      path: guestbook
    - repoURL: https://git.example.com/values.git
      ref: values
  destination: { name: prod }
`),
      context,
    );
    expect(two.application).toBeUndefined();
    expect(two.problems).toEqual([
      'spec.sources with 2 sources is not supported yet; use one source',
    ]);
  });

  it('reads managedNamespaceMetadata for CreateNamespace, and refuses sync options the engine does not know', () => {
    const result = applicationFromArgo(
      app(`${plainSpec}
  syncPolicy:
    syncOptions: [CreateNamespace=true]
    managedNamespaceMetadata:
      labels: { team: shop }
      annotations: { example.com/owner: shop }
`),
      context,
    );
    expect(result.problems).toEqual([]);
    expect(result.application?.syncPolicy).toEqual({
      syncOptions: ['CreateNamespace=true'],
      managedNamespaceMetadata: {
        labels: { team: 'shop' },
        annotations: { 'example.com/owner': 'shop' },
      },
    });

    const bad = applicationFromArgo(
      app(`${plainSpec}
  syncPolicy:
    syncOptions: [CreateNamespaces=true]
    managedNamespaceMetadata: { finalizers: [x] }
`),
      context,
    );
    expect(bad.application).toBeUndefined();
    expect(bad.problems).toEqual([
      'spec.syncPolicy.managedNamespaceMetadata.finalizers is not supported',
    ]);
    const unknown = applicationFromArgo(
      app(`${plainSpec}
  syncPolicy: { syncOptions: [CreateNamespaces=true] }
`),
      context,
    );
    expect(unknown.problems).toEqual([
      'unknown sync option(s): CreateNamespaces=true',
    ]);
  });

  it('reports wrong types and unsafe URLs, never a guessed application', () => {
    const result = applicationFromArgo(
      app(`
  source: { repoURL: "ext::sh -c evil", path: x }
  destination: { name: prod }
  syncPolicy: { automated: { prune: "yes" } }
`),
      context,
    );
    expect(result.application).toBeUndefined();
    expect(result.problems).toEqual([
      'spec.syncPolicy.automated.prune must be true or false',
    ]);
    const url = applicationFromArgo(
      app(`
  source: { repoURL: "ext::sh -c evil", path: x }
  destination: { name: prod }
`),
      context,
    );
    expect(url.problems[0]).toMatch(/remote helper/);
  });

  it('keeps automation off when automated.enabled is false', () => {
    const result = applicationFromArgo(
      app(`${plainSpec}
  syncPolicy:
    automated: { enabled: false, prune: true }
`),
      context,
    );
    expect(result.application?.syncPolicy).toBeUndefined();
  });

  it('notes accepted but unused fields instead of dropping them silently', () => {
    const result = applicationFromArgo(
      app(`${plainSpec}
  revisionHistoryLimit: 3
  somethingNew: true
`),
      context,
    );
    expect(result.application).toBeDefined();
    expect(result.problems).toEqual([
      'spec.somethingNew is not supported and is ignored',
      'spec.revisionHistoryLimit is ignored: history is kept by gitops.history',
    ]);
  });

  it('links entities named on the Application and reads manifest-generate-paths', () => {
    const result = applicationFromArgo(
      app(
        plainSpec,
        `    gitops.backstage.io/entity-refs: "cart, system:shop/store, component:"
    argocd.argoproj.io/manifest-generate-paths: ".;../shared;/charts/common"
`,
      ),
      context,
    );
    expect(result.application?.entityRefs).toEqual([
      'component:default/cart',
      'system:shop/store',
    ]);
    expect(result.application?.manifestGeneratePaths).toEqual([
      'guestbook',
      'shared',
      'charts/common',
    ]);
    expect(result.problems).toEqual([
      'annotation gitops.backstage.io/entity-refs: "component:" is not an entity ref and is ignored',
    ]);
  });
});
