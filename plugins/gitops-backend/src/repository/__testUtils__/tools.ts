import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ToolName } from '../runTool';

const BUILD_SCRIPT = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  '..',
  'test',
  'cluster',
  'build.sh',
);

/**
 * The real helm, kustomize and jsonnet built by test/cluster/build.sh: from
 * GITOPS_TEST_BIN_DIR (set by the Jest global setup) or the script itself.
 */
export function testToolPaths(): Record<ToolName, string> {
  const dir =
    process.env.GITOPS_TEST_BIN_DIR ||
    execFileSync('bash', [BUILD_SCRIPT, '--print-bin-dir'], {
      encoding: 'utf8',
    }).trim();
  const paths = {
    helm: join(dir, 'helm'),
    kustomize: join(dir, 'kustomize'),
    jsonnet: join(dir, 'jsonnet'),
  };
  for (const path of Object.values(paths)) {
    if (!existsSync(path)) {
      throw new Error(`${path} is missing: run bash test/cluster/build.sh`);
    }
  }
  return paths;
}
