import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import { safeDownload } from './safe-download';

let server: Server;
let port: number;
let hits = 0;

beforeAll(async () => {
	server = createServer((request, response) => {
		hits++;
		if (request.url === '/missing') {
			response.writeHead(404).end();
			return;
		}
		response.writeHead(200, { 'content-type': 'image/png; charset=binary' });
		response.end(Buffer.from([1, 2, 3]));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

/** A name that resolves to this machine, as a hostile public name could. */
const toLoopback = async () => [{ address: '127.0.0.1', family: 4 }];

describe('safeDownload', () => {
	it('refuses a name that resolves to a private address, without reaching it', async () => {
		const download = safeDownload(parseConfig({}), { lookup: toLoopback });
		const before = hits;
		await expect(download([{ url: new URL(`http://files.example:${port}/a.png`), isUrlSupportedByModel: false }])).rejects.toThrow();
		expect(hits).toBe(before);
	});

	it('fetches from a host an admin allowed, with the media type, and leaves URLs the model reads to it', async () => {
		const download = safeDownload(parseConfig({ HTTP_TOOL_ALLOWED_HOSTS: 'files.example' }), { lookup: toLoopback });
		const before = hits;
		const [fetched, skipped] = await download([
			{ url: new URL(`http://files.example:${port}/a.png`), isUrlSupportedByModel: false },
			{ url: new URL(`http://files.example:${port}/b.png`), isUrlSupportedByModel: true }
		]);
		expect(fetched?.mediaType).toBe('image/png');
		expect([...(fetched?.data ?? [])]).toEqual([1, 2, 3]);
		expect(skipped).toBeNull();
		expect(hits).toBe(before + 1);
	});

	it('fails on an error status and on a file over FILE_SIZE_LIMIT', async () => {
		const config = parseConfig({ HTTP_TOOL_ALLOWED_HOSTS: 'files.example', FILE_SIZE_LIMIT: '2' });
		const download = safeDownload(config, { lookup: toLoopback });
		await expect(download([{ url: new URL(`http://files.example:${port}/missing`), isUrlSupportedByModel: false }])).rejects.toThrow(
			'HTTP 404'
		);
		await expect(download([{ url: new URL(`http://files.example:${port}/big`), isUrlSupportedByModel: false }])).rejects.toThrow();
	});
});
