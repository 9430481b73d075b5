import { KubeConfig } from '@kubernetes/client-node';
import { Discovery, UnknownKindError, createDiscovery } from './discovery';
import {
  KubeApiError,
  KubeRequester,
  createKubeRequester,
} from './kubeRequest';

/** The field manager our server-side applies are recorded under. */
export const FIELD_MANAGER = 'backstage-gitops';

/** A Kubernetes object as plain JSON, exactly as a manifest wrote it. */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    namespace?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

export type ObjectRef = {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
};

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export type WriteOptions = {
  /** Server-side dry run: what would be stored, nothing stored. */
  dryRun?: boolean;
  /**
   * How the server treats unknown or duplicate fields; `Ignore` is Argo
   * CD's `Validate=false`. Unset: the server's default.
   */
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
};

function writeQuery(options: WriteOptions): Record<string, string | undefined> {
  return {
    fieldManager: FIELD_MANAGER,
    dryRun: options.dryRun ? 'All' : undefined,
    fieldValidation: options.fieldValidation,
  };
}

/**
 * The verbs the reconciler needs from one cluster, over raw JSON so manifests
 * reach the server untouched. Objects without a namespace in a namespaced
 * kind must be given one by the caller (the destination namespace).
 */
export class ClusterClient {
  static fromKubeConfig(kc: KubeConfig): ClusterClient {
    const request = createKubeRequester(kc);
    return new ClusterClient(request, createDiscovery(request));
  }

  constructor(
    private readonly request: KubeRequester,
    readonly discovery: Discovery,
  ) {}

  /**
   * Server-side apply. With `dryRun` the server computes the object it would
   * store (defaults, webhooks and all) without storing it: that result is
   * what desired state is compared against.
   */
  async apply(
    object: KubeObject,
    options: WriteOptions & { force?: boolean } = {},
  ): Promise<KubeObject> {
    const name = object.metadata.name;
    if (!name) throw new Error(`${object.kind} without metadata.name`);
    const { managedFields, resourceVersion, ...metadata } = object.metadata;
    return this.request<KubeObject>({
      method: 'PATCH',
      path: await this.objectPath(object, name),
      query: {
        ...writeQuery(options),
        force: options.force === false ? 'false' : 'true',
      },
      contentType: 'application/apply-patch+yaml',
      body: { ...object, metadata },
    });
  }

  /**
   * Replaces the whole object (`kubectl replace`), or creates it when it
   * does not exist: fields set by others are dropped, not merged.
   */
  async replace(
    object: KubeObject,
    options: WriteOptions = {},
  ): Promise<KubeObject> {
    return this.writeOrCreate(object, options, { method: 'PUT' });
  }

  /**
   * A JSON merge patch of the object, or its creation when it does not
   * exist. Unlike server-side apply (which refuses every field its schema
   * lacks, whatever `fieldValidation` says), this honours `Ignore`.
   */
  async mergePatch(
    object: KubeObject,
    options: WriteOptions = {},
  ): Promise<KubeObject> {
    return this.writeOrCreate(object, options, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
    });
  }

  /**
   * Sets an object's finalizers, only if it is unchanged since
   * `resourceVersion` was read (else a 409): a finalizer someone added
   * meanwhile is never lost. False when the object is gone; never creates.
   */
  async setFinalizers(
    ref: ObjectRef,
    finalizers: string[],
    resourceVersion: string,
  ): Promise<boolean> {
    try {
      await this.request({
        method: 'PATCH',
        contentType: 'application/merge-patch+json',
        path: await this.objectPath(ref, ref.name),
        query: { fieldManager: FIELD_MANAGER },
        body: { metadata: { resourceVersion, finalizers } },
      });
      return true;
    } catch (error) {
      if (error instanceof KubeApiError && error.statusCode === 404) {
        return false;
      }
      throw error;
    }
  }

  /** Writes the whole object by name, or creates it when it does not exist. */
  private async writeOrCreate(
    object: KubeObject,
    options: WriteOptions,
    write: { method: 'PUT' | 'PATCH'; contentType?: string },
  ): Promise<KubeObject> {
    const name = object.metadata.name;
    if (!name) throw new Error(`${object.kind} without metadata.name`);
    const { managedFields, resourceVersion, ...metadata } = object.metadata;
    try {
      return await this.request<KubeObject>({
        ...write,
        path: await this.objectPath(object, name),
        query: writeQuery(options),
        body: { ...object, metadata },
      });
    } catch (error) {
      if (!(error instanceof KubeApiError && error.statusCode === 404)) {
        throw error;
      }
      return this.create(object, options);
    }
  }

  /** Creates the object; fails when it exists. */
  async create(
    object: KubeObject,
    options: WriteOptions = {},
  ): Promise<KubeObject> {
    const resource = await this.discovery.resourceFor(
      object.apiVersion,
      object.kind,
    );
    const { managedFields, resourceVersion, ...metadata } = object.metadata;
    return this.request<KubeObject>({
      method: 'POST',
      path: collectionPath(
        object.apiVersion,
        resource.name,
        resource.namespaced ? object.metadata.namespace : undefined,
      ),
      query: writeQuery(options),
      body: { ...object, metadata },
    });
  }

  /** How the cluster scopes a kind; undefined when it does not serve it. */
  async scopeOf(
    apiVersion: string,
    kind: string,
  ): Promise<'Namespaced' | 'Cluster' | undefined> {
    try {
      const resource = await this.discovery.resourceFor(apiVersion, kind);
      return resource.namespaced ? 'Namespaced' : 'Cluster';
    } catch (error) {
      if (error instanceof UnknownKindError) return undefined;
      throw error;
    }
  }

  /**
   * The live object, or undefined when it does not exist, including when its
   * kind is not served (yet): a custom resource whose CRD a sync will create.
   */
  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return await this.request<KubeObject>({
        method: 'GET',
        path: await this.objectPath(ref, ref.name),
      });
    } catch (error) {
      if (error instanceof KubeApiError && error.statusCode === 404) {
        return undefined;
      }
      if (error instanceof UnknownKindError) return undefined;
      throw error;
    }
  }

  /** Deletes the object; true when it existed. */
  async delete(
    ref: ObjectRef,
    options: { propagationPolicy?: PropagationPolicy; dryRun?: boolean } = {},
  ): Promise<boolean> {
    try {
      await this.request({
        method: 'DELETE',
        path: await this.objectPath(ref, ref.name),
        // As query parameters: the test cluster's API server ignored them
        // in a DeleteOptions body sent by this client (Orphan deleted the
        // ReplicaSets; proven in sync/syncOptions.test.ts).
        query: {
          propagationPolicy: options.propagationPolicy ?? 'Foreground',
          dryRun: options.dryRun ? 'All' : undefined,
        },
      });
      return true;
    } catch (error) {
      if (error instanceof KubeApiError && error.statusCode === 404) {
        return false;
      }
      throw error;
    }
  }

  /** Every object of a kind, across namespaces unless one is given. */
  async list(
    apiVersion: string,
    kind: string,
    options: { namespace?: string; labelSelector?: string } = {},
  ): Promise<KubeObject[]> {
    const resource = await this.discovery.resourceFor(apiVersion, kind);
    const items: KubeObject[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.request<{
        items: KubeObject[];
        metadata?: { continue?: string };
      }>({
        method: 'GET',
        path: collectionPath(apiVersion, resource.name, options.namespace),
        query: {
          labelSelector: options.labelSelector,
          limit: '500',
          continue: continueToken,
        },
      });
      // List items omit apiVersion/kind; callers need them to act on items.
      for (const item of page.items) items.push({ ...item, apiVersion, kind });
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return items;
  }

  private async objectPath(
    ref: {
      apiVersion: string;
      kind: string;
      metadata?: { namespace?: string };
      namespace?: string;
    },
    name: string,
  ): Promise<string> {
    const resource = await this.discovery.resourceFor(ref.apiVersion, ref.kind);
    const namespace = ref.namespace ?? ref.metadata?.namespace;
    if (resource.namespaced && !namespace) {
      throw new Error(`${ref.kind}/${name} is namespaced but has no namespace`);
    }
    const base = collectionPath(
      ref.apiVersion,
      resource.name,
      resource.namespaced ? namespace : undefined,
    );
    return `${base}/${encodeURIComponent(name)}`;
  }
}

function collectionPath(
  apiVersion: string,
  resource: string,
  namespace?: string,
): string {
  const root = apiVersion.includes('/')
    ? `/apis/${apiVersion}`
    : `/api/${apiVersion}`;
  return namespace
    ? `${root}/namespaces/${encodeURIComponent(namespace)}/${resource}`
    : `${root}/${resource}`;
}
