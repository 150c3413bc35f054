// The public protocol faces of one Parley server (figure 5): how to send each one a prompt, and a
// timed reader for its stream that recognises that protocol's text, end and error events by
// prefix (no JSON parsing per delta, as in client.mjs). All faces authenticate with one API key.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { chatBody, taskId } from './client.mjs';
import { ROOT } from './util.mjs';

const json = (value) => ({ contentType: 'application/json', body: Buffer.from(JSON.stringify(value)) });

/** `multipart/form-data` with plain text fields only. */
function multipart(fields) {
	const boundary = `----parley-bench-${randomBytes(8).toString('hex')}`;
	let text = '';
	for (const [name, value] of Object.entries(fields)) {
		text += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
	}
	text += `--${boundary}--\r\n`;
	return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.from(text) };
}

/** A chunk of `/v1/chat/completions` carries text when its `content` is a non-empty string. */
function openAIText(block) {
	const at = block.indexOf('"content":"');
	return at !== -1 && block.charCodeAt(at + 11) !== 34; // not `"content":""` (the role chunk)
}

/**
 * Each face: `request(text, index)` → {path, contentType, body, accept}; `framing` is how events
 * are separated ('\n\n' for SSE, '\n' for data-stream lines); `classify(block)` → 'text', 'done',
 * 'error' or undefined. 'done' means the stream ended as that protocol says a good run ends.
 */
export const FACES = [
	{
		id: 'ui',
		label: 'app UI stream  POST /api/chat',
		framing: '\n\n',
		request: (text, index) => ({
			path: '/api/chat',
			accept: 'text/event-stream',
			contentType: 'application/json',
			body: Buffer.from(chatBody(taskId('f5', index), text))
		}),
		classify(block) {
			if (block.startsWith('data: {"type":"text-delta"')) return 'text';
			if (block === 'data: [DONE]') return 'done';
			if (block.startsWith('data: {"type":"error"')) return 'error';
			return undefined;
		}
	},
	{
		id: 'agent',
		label: 'agent API  POST /api/agent/stream/',
		framing: '\n\n',
		request: (text) => ({ path: '/api/agent/stream/', accept: 'text/event-stream', ...json({ message: text, agent_id: 'assistant' }) }),
		classify(block) {
			if (block.startsWith('event: text_delta\n')) return 'text';
			if (block.startsWith('event: done\n')) return block.includes('"status":"completed"') ? 'done' : 'error';
			if (block.startsWith('event: error\n')) return 'error';
			return undefined;
		}
	},
	{
		id: 'assistant',
		label: 'assistant transport  POST /assistant',
		framing: '\n',
		request: (text) => ({
			path: '/assistant?agent=assistant',
			accept: '*/*', // text/event-stream would switch it to the SSE format
			...json({ commands: [{ type: 'add-message', message: { role: 'user', parts: [{ type: 'text', text }] } }], state: {} })
		}),
		classify(block) {
			if (block.startsWith('0:')) return 'text';
			if (block.startsWith('d:')) return 'done';
			if (block.startsWith('3:')) return 'error';
			return undefined;
		}
	},
	{
		id: 'teams',
		label: 'team-agent API  POST /api/teams/messages',
		framing: '\n\n',
		request: (text) => ({
			path: '/api/teams/messages',
			accept: 'text/event-stream',
			...multipart({ id_team_agent: 'assistant', id_team: 'bench', text })
		}),
		classify(block) {
			if (block.startsWith('data: {"event":"text-chunk"')) return 'text';
			if (block === 'data: [DONE]') return 'done';
			if (block.startsWith('data: {"event":"error"') || block.startsWith('data: {"event":"interrupted"')) return 'error';
			return undefined;
		}
	},
	{
		id: 'openai',
		label: 'OpenAI  POST /v1/chat/completions',
		framing: '\n\n',
		request: (text) => ({
			path: '/v1/chat/completions',
			accept: 'text/event-stream',
			...json({ model: 'assistant', messages: [{ role: 'user', content: text }], stream: true })
		}),
		classify(block) {
			if (block === 'data: [DONE]') return 'done';
			if (block.startsWith('data: {"error"')) return 'error';
			if (openAIText(block)) return 'text';
			return undefined;
		}
	},
	{
		id: 'responses',
		label: 'OpenAI Responses  POST /v1/responses',
		framing: '\n\n',
		request: (text) => ({ path: '/v1/responses', accept: 'text/event-stream', ...json({ model: 'assistant', input: text, stream: true }) }),
		classify(block) {
			if (block.startsWith('event: response.output_text.delta\n')) return 'text';
			if (block.startsWith('event: response.completed\n')) return 'done';
			if (
				block.startsWith('event: response.failed\n') ||
				block.startsWith('event: response.incomplete\n') ||
				block.startsWith('event: error\n')
			) {
				return 'error';
			}
			return undefined;
		}
	},
	{
		id: 'ag-ui',
		label: 'AG-UI  POST /ag-ui/{agent}',
		framing: '\n\n',
		request: (text, index) => ({
			path: '/ag-ui/assistant',
			accept: 'text/event-stream',
			...json({
				threadId: taskId('f5ag', index),
				runId: `run-${randomBytes(8).toString('hex')}`,
				messages: [{ id: `msg-${index}`, role: 'user', content: text }]
			})
		}),
		classify(block) {
			// Every event is `id: <n>` then `data: <event>`, whose first key is its type.
			const data = block.slice(block.indexOf('\ndata: ') + 7);
			if (data.startsWith('{"type":"TEXT_MESSAGE_CONTENT"')) return 'text';
			if (data.startsWith('{"type":"RUN_FINISHED"')) return data.includes('"outcome":{"type":"success"') ? 'done' : 'error';
			if (data.startsWith('{"type":"RUN_ERROR"')) return 'error';
			return undefined;
		}
	},
	{
		id: 'a2a',
		label: 'A2A  POST /a2a/{agent}',
		framing: '\n\n',
		request: (text, index) => ({
			path: '/a2a/assistant',
			accept: 'text/event-stream',
			...json({
				jsonrpc: '2.0',
				id: 1,
				method: 'SendStreamingMessage',
				params: { message: { messageId: `msg-${index}-${randomBytes(4).toString('hex')}`, role: 'ROLE_USER', parts: [{ text }] } }
			})
		}),
		classify(block) {
			// Every event is one JSON-RPC response whose result names what it holds first.
			if (block.startsWith('data: {"jsonrpc":"2.0","id":1,"result":{"artifactUpdate"')) return 'text';
			if (block.startsWith('data: {"jsonrpc":"2.0","id":1,"result":{"statusUpdate"')) {
				if (block.includes('"state":"TASK_STATE_COMPLETED"')) return 'done';
				if (block.includes('"state":"TASK_STATE_WORKING"')) return undefined;
				return 'error';
			}
			if (block.startsWith('data: {"jsonrpc":"2.0","id":1,"error"')) return 'error';
			return undefined;
		}
	}
];

/**
 * Sends one prompt to one face and reads the stream to its end. Times (ms, performance.now) are
 * taken when a chunk of bytes arrives; every event in that chunk shares its time. The request body
 * is built before the clock starts. `onFirstByte(result)` is called as the first chunk arrives.
 */
export function streamFace({ face, baseURL, key, text, index = 0, agent, timeoutMs = 60_000, onFirstByte }) {
	const { path, accept, contentType, body } = face.request(text, index);
	return new Promise((resolveResult) => {
		const result = {
			face: face.id,
			status: 0,
			tStart: performance.now(),
			tHeaders: NaN,
			tFirstByte: NaN,
			tFirstText: NaN,
			tLastText: NaN,
			tEnd: NaN,
			textDeltas: 0,
			events: 0,
			bytes: 0,
			/** Bytes and text deltas in the first chunk of bytes that arrived. */
			firstChunkBytes: 0,
			firstChunkTextDeltas: 0,
			done: false,
			errorEvent: undefined,
			error: undefined
		};
		let settled = false;
		const finish = (error) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			result.tEnd = performance.now();
			if (error && !result.error) result.error = error;
			resolveResult(result);
		};
		const request = http.request(`${baseURL}${path}`, {
			method: 'POST',
			agent,
			headers: {
				authorization: `Bearer ${key}`,
				'content-type': contentType,
				accept,
				'content-length': body.length
			}
		});
		const timer = setTimeout(() => request.destroy(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);
		request.on('error', (error) => finish(error.message));
		request.on('response', (response) => {
			result.status = response.statusCode;
			result.tHeaders = performance.now();
			response.setEncoding('utf8');
			if (response.statusCode !== 200) {
				let errorText = '';
				response.on('data', (chunk) => (errorText += chunk));
				response.on('end', () => finish(`HTTP ${response.statusCode}: ${errorText.slice(0, 200)}`));
				response.on('error', (error) => finish(error.message));
				return;
			}
			const separator = face.framing;
			let pending = '';
			response.on('data', (chunk) => {
				const now = performance.now();
				const first = result.bytes === 0;
				if (first) {
					result.tFirstByte = now;
					result.firstChunkBytes = chunk.length;
					onFirstByte?.(result);
				}
				result.bytes += chunk.length;
				pending += chunk;
				let end;
				while ((end = pending.indexOf(separator)) !== -1) {
					const block = pending.slice(0, end);
					pending = pending.slice(end + separator.length);
					if (block === '') continue;
					result.events++;
					const kind = face.classify(block);
					if (kind === 'text') {
						if (result.textDeltas === 0) result.tFirstText = now;
						if (first) result.firstChunkTextDeltas++;
						result.textDeltas++;
						result.tLastText = now;
					} else if (kind === 'done') {
						result.done = true;
					} else if (kind === 'error') {
						result.errorEvent = block.slice(0, 200);
					}
				}
			});
			response.on('end', () =>
				finish(result.errorEvent ? `error event: ${result.errorEvent}` : result.done ? undefined : 'stream ended without its end event')
			);
			response.on('error', (error) => finish(error.message));
			response.on('aborted', () => finish('response aborted'));
		});
		request.end(body);
	});
}

/**
 * Creates an API key for an existing account with the operator CLI
 * (`npm run cli -- create-key --email E --name N`, which prints the key alone on the last line),
 * against the server's own database.
 */
export function createKey({ databaseURL, email, name = 'bench' }) {
	return new Promise((resolveKey, reject) => {
		execFile(
			'npm',
			['run', '--silent', 'cli', '--', 'create-key', '--email', email, '--name', name],
			{
				cwd: ROOT,
				env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseURL },
				timeout: 60_000,
				encoding: 'utf8'
			},
			(error, stdout, stderr) => {
				const key = stdout.trim().split('\n').at(-1)?.trim() ?? '';
				if (error || !key.startsWith('pk_')) {
					reject(new Error(`npm run cli -- create-key failed${error ? ` (${error.message.split('\n')[0]})` : ''}:\n${stdout}${stderr}`));
				} else {
					resolveKey(key);
				}
			}
		);
	});
}
