/**
 * @module http/route
 * A route module as the app registers it: a Fastify plugin bound to its options. `route()` checks
 * the options against the plugin's own type where the module is listed, so the server's list of
 * routes needs no cast.
 */
import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyPluginOptions,
  FastifyTypeProvider,
  RawServerDefault,
} from 'fastify';

export interface Route {
  register(app: FastifyInstance): Promise<void>;
}

export function route<Options extends FastifyPluginOptions, Provider extends FastifyTypeProvider>(
  plugin: FastifyPluginAsync<Options, RawServerDefault, Provider>,
  options: Options,
): Route {
  return {
    async register(app) {
      await app.register(plugin, options);
    },
  };
}
