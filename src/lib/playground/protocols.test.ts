import { describe, expect, it } from 'vitest';
import { isProtocolId, newSessions, protocolOf, PROTOCOLS } from './protocols';

describe('protocols', () => {
	it('lists every protocol once, in the picker’s order', () => {
		expect(PROTOCOLS.map((protocol) => protocol.info.id)).toEqual([
			'ui-stream',
			'agent-api',
			'assistant-data-stream',
			'assistant-transport',
			'team-tasks',
			'openai',
			'openai-responses',
			'ag-ui',
			'a2a'
		]);
		expect(protocolOf('openai').info.endpoint).toBe('POST /v1/chat/completions');
		expect(isProtocolId('agent-api')).toBe(true);
		expect(isProtocolId('websocket')).toBe(false);
	});

	it('makes a fresh session of the right kind for each', () => {
		expect(newSessions(() => 'proposed_id')).toEqual({
			'ui-stream': { kind: 'ui-stream', taskId: 'proposed_id', messages: [] },
			'agent-api': { kind: 'task', taskId: null },
			'assistant-data-stream': { kind: 'task', taskId: null },
			'assistant-transport': { kind: 'task', taskId: null },
			'team-tasks': { kind: 'task', taskId: null },
			openai: { kind: 'openai', taskId: null, messages: [] },
			'openai-responses': { kind: 'responses', taskId: null, previousResponseId: null },
			'ag-ui': { kind: 'ag-ui', taskId: 'proposed_id', agent: null, runId: null },
			a2a: { kind: 'a2a', taskId: 'proposed_id', agent: null }
		});
	});
});
