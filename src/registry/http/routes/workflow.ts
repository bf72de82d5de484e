import type { FastifyInstance } from 'fastify';

export async function registerWorkflowRoutes(api: FastifyInstance): Promise<void> {
  void api;
}
