import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { Manifest, isManifest } from '../../manifest';

const FIXTURES = resolvePackagePath(
  '@backstage-gitops/plugin-gitops-backend',
  'src/engine/health/__fixtures__',
);

/** Reads `<kind>-<state>.yaml` from this folder as the API server returned it. */
export function loadFixture(name: string): Manifest {
  const value: unknown = parse(
    readFileSync(join(FIXTURES, `${name}.yaml`), 'utf8'),
  );
  if (!isManifest(value)) {
    throw new Error(`fixture ${name} is not a Kubernetes object`);
  }
  return value;
}
