import {
  HttpAuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

const SERVICE_TOKEN_PREFIX = 'mock-service-token:';

/**
 * The test backend's mock request authentication, except that a token a
 * plugin sends on behalf of a user keeps that plugin as the credentials'
 * `actor`, as the real auth service's on-behalf-of tokens do. The permission
 * backend answers a conditional query (no resourceRef) only through such a
 * plugin, never to a user directly; the mock drops the actor.
 */
export const oboActorHttpAuthFactory = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): HttpAuthService {
    const httpAuth = mockServices.httpAuth({ pluginId: plugin.getId() });
    const credentials = async (
      req: Parameters<HttpAuthService['credentials']>[0],
      options?: Parameters<HttpAuthService['credentials']>[1],
    ) => {
      const found = await httpAuth.credentials(req, options);
      const token = req.headers.authorization?.match(/^Bearer[ ]+(\S+)$/i)?.[1];
      if (!token?.startsWith(SERVICE_TOKEN_PREFIX)) return found;
      const { obo } = JSON.parse(token.slice(SERVICE_TOKEN_PREFIX.length));
      return obo
        ? mockCredentials.user(obo, { actor: { subject: 'plugin:caller' } })
        : found;
    };
    return {
      credentials: credentials as HttpAuthService['credentials'],
      issueUserCookie: (res, options) => httpAuth.issueUserCookie(res, options),
    };
  },
});
