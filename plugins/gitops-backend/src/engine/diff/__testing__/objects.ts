import { Manifest } from '../../manifest';

export const base64 = (text: string) => Buffer.from(text).toString('base64');

// Objects the way the API server returns them (or a server-side dry-run
// apply does): defaults filled in, server metadata present. Each call returns
// a fresh copy, so tests may change them freely.

export function deployment(): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'cart',
      namespace: 'shop',
      uid: '6a1f0f6e-3c1b-4c51-9b1e-7a3d5c2e9f10',
      resourceVersion: '48213',
      generation: 3,
      creationTimestamp: '2025-01-10T09:00:00Z',
      labels: { 'app.kubernetes.io/name': 'cart' },
      annotations: {
        'argocd.argoproj.io/tracking-id': 'shop:apps/Deployment:shop/cart',
        'deployment.kubernetes.io/revision': '3',
      },
      managedFields: [
        {
          manager: 'argocd-controller',
          operation: 'Apply',
          apiVersion: 'apps/v1',
          time: '2025-01-10T09:00:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:spec': { 'f:template': {} } },
        },
      ],
    },
    spec: {
      replicas: 2,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'cart' } },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'cart' } },
        spec: {
          containers: [
            {
              name: 'cart',
              image: 'registry.example.com/cart:1.4.2',
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              env: [
                { name: 'LOG_LEVEL', value: 'info' },
                { name: 'CACHE_URL', value: 'redis://cache:6379' },
              ],
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
            {
              name: 'metrics',
              image: 'registry.example.com/exporter:0.9',
              imagePullPolicy: 'IfNotPresent',
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          securityContext: {},
          terminationGracePeriodSeconds: 30,
        },
      },
    },
    status: {
      observedGeneration: 3,
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      updatedReplicas: 2,
    },
  };
}

export function service(): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'cart',
      namespace: 'shop',
      uid: '0b7c1d52-8d7e-4f3a-a0a4-1f2e3d4c5b6a',
      resourceVersion: '48190',
      creationTimestamp: '2025-01-10T09:00:00Z',
      labels: {},
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.14.7',
      clusterIPs: ['10.96.14.7'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
      selector: { 'app.kubernetes.io/name': 'cart' },
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
    },
    status: { loadBalancer: {} },
  };
}

/** The clear values in {@link secret}; tests prove they never come out. */
export const SECRET_VALUES = { password: 'hunter2-db', user: 'db-user-7f' };

export function secret(): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'cart-db',
      namespace: 'shop',
      uid: '9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a',
      resourceVersion: '48100',
      creationTimestamp: '2025-01-10T09:00:00Z',
    },
    type: 'Opaque',
    data: {
      password: base64(SECRET_VALUES.password),
      user: base64(SECRET_VALUES.user),
    },
  };
}

/** An HPA in `shop` scaling Deployment `cart`, unless `ref` says otherwise. */
export function hpa(
  name = 'cart',
  ref: Record<string, unknown> = {},
  namespace = 'shop',
): Manifest {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace },
    spec: {
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'cart',
        ...ref,
      },
      minReplicas: 2,
      maxReplicas: 10,
    },
  };
}
