import { sql } from 'drizzle-orm';
import { version } from '$lib/version';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** Liveness and database check: 200 when the database answers, else 503. */
export const GET: RequestHandler = async () => {
	const body = { status: 'healthy', service: 'parley', version, database: 'ok' };
	try {
		const db = await getDb();
		await db.run(sql`SELECT 1`);
		return Response.json(body, { headers: { 'cache-control': 'no-store' } });
	} catch (error) {
		console.error('[parley] health check: the database cannot be read', error);
		return Response.json(
			{ ...body, status: 'unhealthy', database: 'unavailable' },
			{ status: 503, headers: { 'cache-control': 'no-store' } }
		);
	}
};
