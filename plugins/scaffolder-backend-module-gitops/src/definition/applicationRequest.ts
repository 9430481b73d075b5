import {
  ApplicationRetryPolicy,
  isApplicationName,
  isDns1123Label,
} from '@backstage-gitops/plugin-gitops-common';
import { z as zod } from 'zod/v3';

type Z = typeof zod;

/**
 * The fields that describe an application, shared by the scaffolder action
 * and the actions registry so both accept exactly the same input. Each field
 * is a factory of the caller's zod, as both APIs expect.
 */
export const applicationFields = {
  name: (z: Z) =>
    z
      .string()
      .refine(
        isApplicationName,
        'must be a Kubernetes name: lowercase letters, digits, "-" and ".", at most 253 characters',
      )
      .describe('Application name, unique across the reconciler'),
  repoUrl: (z: Z) =>
    z.string().min(1).describe('https or ssh URL of the Git repository'),
  path: (z: Z) =>
    z
      .string()
      .default('')
      .describe('Folder of the manifests inside the repository'),
  revision: (z: Z) =>
    z.string().min(1).default('HEAD').describe('Branch, tag or commit'),
  destination: (z: Z) =>
    z
      .object({
        cluster: z
          .string()
          .min(1)
          .default('in-cluster')
          .describe('Name of a cluster declared in the gitops config'),
        namespace: z
          .string()
          .refine(isDns1123Label, 'must be a Kubernetes namespace name')
          .describe('Namespace for manifests that do not name one'),
      })
      .describe('Where the application is deployed'),
  project: (z: Z) =>
    z
      .string()
      .refine(isApplicationName, 'must be a Kubernetes name')
      .default('default')
      .describe('The project (Argo CD AppProject) the application belongs to'),
  syncPolicy: (z: Z) =>
    z
      .object({
        automated: z
          .object({
            prune: z.boolean().default(false),
            selfHeal: z.boolean().default(false),
            allowEmpty: z.boolean().default(false),
          })
          .optional()
          .describe('Sync automatically when Git changes; absent: manual'),
        syncOptions: z
          .array(z.string().regex(/^[A-Za-z]+=[^,\s]+$/, 'must be Name=value'))
          .optional()
          .describe('Argo CD sync options such as CreateNamespace=true'),
        retry: z
          .object({
            limit: z.number().int().describe('Retries; negative: no limit'),
            backoff: z
              .object({
                duration: z.string().optional().describe('Such as 5s'),
                // An integer in Argo CD's CRD (int64), so 1.5 would be refused there.
                factor: z.number().int().positive().optional(),
                maxDuration: z.string().optional().describe('Such as 3m'),
              })
              .optional(),
          })
          .optional()
          .describe('How a failed sync is tried again'),
      })
      .default({})
      .describe("Argo CD's syncPolicy"),
};

/** An application as the create action receives it, defaults applied. */
export type ApplicationRequest = {
  name: string;
  repoUrl: string;
  path: string;
  revision: string;
  destination: { cluster: string; namespace: string };
  project: string;
  syncPolicy: {
    automated?: { prune: boolean; selfHeal: boolean; allowEmpty: boolean };
    syncOptions?: string[];
    retry?: ApplicationRetryPolicy;
  };
};
