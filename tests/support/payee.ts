import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../../src/lib/server/db';
import { agents, agentTools, tools } from '../../src/lib/server/db/schema';

/** A recording HTTP server standing for a payee: every payment sent to it is kept. */
export interface Payee {
	/** Where it listens, `http://127.0.0.1:<port>`. */
	url: string;
	/** The payments it received, as the query each came with (clear it with `payments.length = 0`). */
	payments: Record<string, string>[];
	stop(): Promise<void>;
}

/** Starts a payee on a free loopback port. */
export async function startPayee(): Promise<Payee> {
	const payments: Record<string, string>[] = [];
	const server = createServer((request, response) => {
		payments.push(Object.fromEntries(new URL(request.url ?? '/', 'http://payee').searchParams));
		response.writeHead(200, { 'content-type': 'application/json' }).end('{"paid":true}');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		payments,
		async stop() {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
	};
}

/**
 * Adds a server tool with a side effect, gated by approval — `send_payment`, an HTTP tool paying
 * up to 100 to alice or bob at `payeeUrl` — and an agent `payer` (offline model) that has it.
 */
export async function addPayerAgent(db: Db, payeeUrl: string): Promise<void> {
	const [payTool] = await db
		.insert(tools)
		.values({
			name: 'send_payment',
			kind: 'http',
			description: 'Sends money to a payee.',
			requiresApproval: true,
			inputSchema: {
				type: 'object',
				properties: { to: { type: 'string', enum: ['alice', 'bob'] }, amount: { type: 'integer', minimum: 1, maximum: 100 } },
				required: ['to', 'amount'],
				additionalProperties: false
			},
			config: { url: `${payeeUrl}/pay`, method: 'GET', allowed_hosts: ['127.0.0.1'] }
		})
		.returning();
	const [payer] = await db.insert(agents).values({ slug: 'payer', name: 'Payer', model: 'mock:offline' }).returning();
	await db.insert(agentTools).values({ agentId: payer.id, toolId: payTool.id, position: 0 });
}
