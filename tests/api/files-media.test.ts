import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { users } from '../../src/lib/server/db/schema';
import { startServer, type TestServer } from '../support/server';
import { signUp } from '../support/session';

let server: TestServer;
let db: Db;
let key: string;

/** The start of an MP3 file: an ID3 tag, then MPEG audio frame headers, padded to 1,200 bytes. */
const MP3 = new Uint8Array(1200);
MP3.set([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 0xff, 0xfb, 0x90, 0x64]);
/** The start of an MP4 video: an `ftyp` box. */
const MP4 = new Uint8Array([
	0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0, 0x69, 0x73, 0x6f, 0x6d, 0x6d, 0x70, 0x34, 0x31
]);

beforeAll(async () => {
	server = await startServer();
	await signUp(server.baseURL, 'alice@example.com');
	db = await openDatabase({ url: server.databaseUrl });
	const [user] = await db.select().from(users).where(eq(users.email, 'alice@example.com'));
	key = (await createApiKey(db, user.id, 'media tests')).key;
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

/** The answer text of a team-agent message (`text-chunk` events). */
async function askTeam(fields: Record<string, string | File>): Promise<string> {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.append(name, value);
	const response = await fetch(`${server.baseURL}/api/teams/messages`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
		body: form
	});
	expect(response.status).toBe(200);
	return (await response.text())
		.split('\n\n')
		.filter((block) => block.startsWith('data: {'))
		.map((block) => JSON.parse(block.slice('data: '.length)) as { event: string; content?: string })
		.flatMap((event) => (event.event === 'text-chunk' ? [event.content ?? ''] : []))
		.join('');
}

/** The answer text of an agent API message (SSE `text_delta` events). */
async function askAgent(body: unknown): Promise<string> {
	const response = await fetch(`${server.baseURL}/api/agent/stream/`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	expect(response.status).toBe(200);
	return (await response.text())
		.split('\n\n')
		.filter((block) => block.startsWith('event: text_delta'))
		.map((block) => JSON.parse(block.slice(block.indexOf('data: ') + 'data: '.length)).delta as string)
		.join('');
}

describe('audio and video reaching a model that cannot take them (built server)', () => {
	it('describes the team-agent API’s audios and videos to the offline model by name, type and size', async () => {
		const text = await askTeam({
			id_team_agent: 'assistant',
			id_team: 'media',
			text: 'Listen to this',
			audios: new File([MP3], 'memo.mp3'),
			videos: new File([MP4], 'clip.mp4')
		});
		// The team-agent API attaches videos before audios.
		expect(text).toContain('I received 2 attachments: clip.mp4 (video), memo.mp3 (audio).');
		expect(text).toContain('I received an audio file named memo.mp3 (audio/mpeg, 1 KB), but I cannot listen to audio.');
		expect(text).toContain('I received a video file named clip.mp4 (video/mp4, 1 KB), but I cannot watch video.');
	});

	it('does the same for the agent API’s uploaded and inline files', async () => {
		const form = new FormData();
		form.append('file', new File([MP3], 'upload.mp3'));
		const upload = await fetch(`${server.baseURL}/api/files`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
		expect(upload.status).toBe(201);
		const [stored] = (await upload.json()).files;
		const text = await askAgent({
			message: 'Listen',
			agent_id: 'assistant',
			files: [stored.id, { name: 'inline.mp3', mime_type: 'audio/mpeg', base64: Buffer.from(MP3).toString('base64') }]
		});
		expect(text).toContain('I received an audio file named upload.mp3 (audio/mpeg, 1 KB), but I cannot listen to audio.');
		expect(text).toContain('I received an audio file named inline.mp3 (audio/mpeg, 1 KB), but I cannot listen to audio.');
	});
});
