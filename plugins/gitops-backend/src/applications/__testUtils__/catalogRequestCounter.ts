import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';

/**
 * A catalog module that counts the entity requests the catalog serves
 * (`/entities…`: queries, by-refs, by-name). Its handler is added before the
 * catalog's own routes, since a plugin's modules start before the plugin.
 */
export function catalogRequestCounter() {
  let count = 0;
  const module = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'entity-request-counter',
    register(reg) {
      reg.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          httpRouter.use((req, _res, next) => {
            if (req.path.startsWith('/entities')) count++;
            next();
          });
        },
      });
    },
  });
  return { module, entityReads: () => count };
}
