/**
 * The console's page and its assets (every page's assets live there: emulator/http/ui), in the
 * control API's scope: `/__emulator/ui` and `/__emulator/ui/assets/<name>`. Marked as pages,
 * which the guard lets through without the control token: they hold no data.
 */
import type { FastifyPluginAsync } from 'fastify';
import { page } from '../ui/routes.js';
import { CONSOLE_PAGE } from './guard.js';

export const consoleRoutes: FastifyPluginAsync = async (scope) => {
  scope.get('/ui', { config: CONSOLE_PAGE }, page('console.html'));
  scope.get<{ Params: { name: string } }>('/ui/assets/:name', { config: CONSOLE_PAGE }, (request, reply) =>
    page(request.params.name)(request, reply),
  );
};
