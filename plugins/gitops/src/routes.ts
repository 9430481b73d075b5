import { createRouteRef } from '@backstage/core-plugin-api';

/** @public The page listing every application. */
export const rootRouteRef = createRouteRef({ id: 'gitops' });
