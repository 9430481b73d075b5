import {
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { GitopsApplicationSource } from '@backstage-gitops/plugin-gitops-node';
import { readGitopsConfig } from '../readGitopsConfig';
import { ArgoDefinitions, ArgoSource } from './argocd/ArgoSource';
import {
  CatalogEntry,
  catalogBatch,
  linkArgoApplications,
  readCatalogEntries,
  readVisibleEntityRefs,
} from './catalogEntries';
import { readConfigApplications } from './configApplications';
import { readExtraSources } from './extraSources';
import { mergeDefinitions } from './mergeDefinitions';
import { DefinitionBatch } from './types';

/** How often the catalog is read when `gitops.definitions` does not say. */
export const DEFAULT_CATALOG_REFRESH_MS = 30_000;

/** Watch events that come together are looked at together. */
const ARGO_CHANGE_DEBOUNCE_MS = 100;

/** Misses of an unknown name re-read the sources at most this often. */
const RELOAD_MIN_GAP_MS = 1_000;

/**
 * The application definitions of every source, read once and kept fresh,
 * so that routes, webhooks and the loop read memory instead of the catalog:
 * the catalog is read every `refreshMs` (mapping only entities whose etag
 * changed), Argo CD locations by their source (Git by commit, cluster
 * namespaces by a watch), config once.
 */
export interface DefinitionsIndex {
  /**
   * Every valid definition the credentials may see, with the broken ones.
   * Catalog entities the caller may not read in the catalog are left out,
   * as when every read was made with the caller's credentials.
   */
  read(credentials: BackstageCredentials): Promise<DefinitionBatch>;
  /** Reads the catalog and Argo CD Git locations again now. */
  reload(): Promise<void>;
  /** Called with the names of definitions that appeared or changed. */
  onChange(listener: (names: string[]) => void): void;
  /** Stops the periodic catalog read. */
  stop(): void;
}

export function createDefinitionsIndex(deps: {
  catalog: CatalogService;
  config: Config;
  auth: AuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  argo?: ArgoSource;
  /** Sources that backend modules add; read per call, with its credentials. */
  extraSources?: GitopsApplicationSource[];
  refreshMs?: number;
}): DefinitionsIndex {
  const { catalog, auth, permissions, logger, argo } = deps;
  const { allowHttpRepositories: allowHttp } = readGitopsConfig(deps.config);
  const configured = deps.config.getOptionalNumber(
    'gitops.definitions.catalogRefreshSeconds',
  );
  const refreshMs =
    deps.refreshMs ??
    (configured === undefined ? DEFAULT_CATALOG_REFRESH_MS : configured * 1000);
  const fromConfig = readConfigApplications(deps.config);
  const listeners: ((names: string[]) => void)[] = [];

  let entries: Map<string, CatalogEntry> | undefined;
  let catalogRead: Promise<Map<string, CatalogEntry>> | undefined;
  let lastArgo: ArgoDefinitions | undefined;
  let lastReload: { at: number; done: Promise<void> } | undefined;
  let known: Map<string, string> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  function readCatalog(): Promise<Map<string, CatalogEntry>> {
    // Concurrent callers share one read.
    catalogRead ??= (async () => {
      try {
        const credentials = await auth.getOwnServiceCredentials();
        entries = await readCatalogEntries({
          catalog,
          credentials,
          allowHttp,
          previous: entries,
        });
        noticeChanges();
        return entries;
      } finally {
        catalogRead = undefined;
      }
    })();
    return catalogRead;
  }

  function schedule() {
    if (timer || stopped) return;
    timer = setInterval(() => {
      // A failed read keeps the last one: the catalog being down for a
      // moment must not make every application disappear.
      readCatalog().catch(error =>
        logger.warn(
          'gitops: reading the catalog for definitions failed',
          error,
        ),
      );
      // Git folders that are due are read, so that a new commit of
      // definitions is noticed without anyone asking.
      readArgo().catch(error =>
        logger.warn('gitops: reading Argo CD definitions failed', error),
      );
    }, refreshMs);
    timer.unref?.();
  }

  async function currentEntries(): Promise<Map<string, CatalogEntry>> {
    schedule();
    return entries ?? readCatalog();
  }

  async function readArgo(): Promise<ArgoDefinitions | undefined> {
    if (!argo) return undefined;
    const read = await argo.read();
    if (read !== lastArgo) {
      lastArgo = read;
      noticeChanges();
    }
    return read;
  }

  function compose(
    seen: CatalogEntry[],
    fromArgo: ArgoDefinitions | undefined,
    fromModules: DefinitionBatch[],
  ): DefinitionBatch {
    const batches = [catalogBatch(seen), fromConfig];
    if (fromArgo) {
      batches.push({
        applications: linkArgoApplications(fromArgo.applications, seen),
        problems: fromArgo.problems,
      });
    }
    return mergeDefinitions([...batches, ...fromModules]);
  }

  // What the service sees, without module sources (read per call): a
  // definition that differs from the last one seen is a change.
  function noticeChanges() {
    if (!entries || (argo && !lastArgo)) return;
    const view = compose([...entries.values()], lastArgo, []);
    const next = new Map(
      view.applications.map(app => [app.name, JSON.stringify(app)]),
    );
    const before = known;
    known = next;
    if (!before) return;
    const changed = [...next]
      .filter(([name, json]) => before.get(name) !== json)
      .map(([name]) => name);
    if (!changed.length) return;
    for (const listener of listeners) {
      try {
        listener(changed);
      } catch (error) {
        logger.warn('gitops: a definitions listener failed', error as Error);
      }
    }
  }

  /**
   * The entries these credentials may see. The catalog filters each read by
   * its own `catalog.entity.read` decision; asking the same question here
   * spares the catalog a request unless the answer depends on the entity.
   */
  async function visibleTo(
    credentials: BackstageCredentials,
    all: Map<string, CatalogEntry>,
  ): Promise<CatalogEntry[]> {
    const [decision] = await permissions.authorizeConditional(
      [{ permission: catalogEntityReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return [...all.values()];
    if (decision.result === AuthorizeResult.DENY) return [];
    const visible = await readVisibleEntityRefs({ catalog, credentials });
    return [...all.values()].filter(entry => visible.has(entry.ref));
  }

  return {
    async read(credentials) {
      const [all, fromArgo] = await Promise.all([currentEntries(), readArgo()]);
      const [seen, fromModules] = await Promise.all([
        visibleTo(credentials, all),
        readExtraSources(deps.extraSources ?? [], credentials, allowHttp),
      ]);
      return compose(seen, fromArgo, fromModules);
    },
    reload() {
      // A burst of misses (a client polling for a new name) reads once.
      if (lastReload && Date.now() - lastReload.at < RELOAD_MIN_GAP_MS) {
        return lastReload.done;
      }
      argo?.invalidate();
      const done = Promise.all([readCatalog(), readArgo()]).then(() => {});
      lastReload = { at: Date.now(), done };
      done.catch(() => {
        if (lastReload?.done === done) lastReload = undefined;
      });
      return done;
    },
    onChange(listener) {
      listeners.push(listener);
      // Argo CD locations tell when they change (a watch event). A burst
      // (a parent syncing its children) is looked at once.
      if (argo && listeners.length === 1) {
        let pending: NodeJS.Timeout | undefined;
        argo.onChange(() => {
          if (pending) return;
          pending = setTimeout(() => {
            pending = undefined;
            readArgo().catch(error =>
              logger.warn('gitops: reading Argo CD definitions failed', error),
            );
          }, ARGO_CHANGE_DEBOUNCE_MS);
          pending.unref?.();
        });
      }
    },
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
