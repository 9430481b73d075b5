// The entry point of a backend started by childBackend.ts in a process of
// its own: Backstage's default services (the scheduler with its janitor, the
// database from config, the lifecycle that drains on SIGTERM), the catalog
// and this plugin. Run with the Backstage CLI's node transform.
import { createBackend } from '@backstage/backend-defaults';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { gitopsPlugin } from '../plugin';

const backend = createBackend();
backend.add(catalogPlugin);
backend.add(gitopsPlugin);
backend.start();
