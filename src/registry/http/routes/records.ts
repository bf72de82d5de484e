import type { FastifyInstance } from 'fastify';

export async function registerRecordRoutes(api: FastifyInstance): Promise<void> {
  void api;
}
