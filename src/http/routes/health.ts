import { defineRoute, json, type Route } from './route.js';

/** GET /health: answers while the process serves requests (load balancers, container checks). */
export const healthRoute: Route = defineRoute({
  name: 'health',
  methods: ['GET'],
  path: '/health',
  body: { kind: 'none' },
  cors: true,
  handle: () => json({ status: 'ok' }),
});
