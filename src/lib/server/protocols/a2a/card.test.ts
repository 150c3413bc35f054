import { AgentCard } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import { agentCardOf, directoryCardOf } from './card';

const agent = { slug: 'tool-demo', name: 'Tool demo', description: 'Shows tools.', tools: [{ name: 'calculator', description: 'Adds.' }] };

describe('agentCardOf', () => {
	it('names the JSON-RPC URL in A2A 1.0 and 0.3, streaming, bearer keys and a skill per tool', () => {
		const card = AgentCard.toJSON(agentCardOf(agent, 'https://p.example', '1.2.3', false)) as Record<string, unknown>;
		expect(card).toMatchObject({
			name: 'Tool demo',
			version: '1.2.3',
			capabilities: { streaming: true },
			supportedInterfaces: [
				{ url: 'https://p.example/a2a/tool-demo', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
				{ url: 'https://p.example/a2a/tool-demo', protocolBinding: 'JSONRPC', protocolVersion: '0.3' }
			],
			securityRequirements: [{ schemes: { bearer: {} } }]
		});
		expect(card.skills).toEqual([
			expect.objectContaining({ id: 'tool-demo', description: 'Shows tools.' }),
			expect.objectContaining({ id: 'tool:calculator', description: 'Adds.' })
		]);
	});

	it('asks for no key for a public agent', () => {
		expect(agentCardOf(agent, 'https://p.example', '1', true).securityRequirements).toEqual([]);
	});
});

describe('directoryCardOf', () => {
	it('lists the public agents only, with their cards', () => {
		const { card, agents } = directoryCardOf(
			[
				{ slug: 'open', name: 'Open', description: '', visibility: 'public' },
				{ slug: 'inner', name: 'Inner', description: '', visibility: 'users' }
			],
			'https://p.example',
			'1'
		);
		expect(agents).toEqual([
			{
				slug: 'open',
				name: 'Open',
				description: '',
				url: 'https://p.example/a2a/open',
				cardUrl: 'https://p.example/a2a/open/.well-known/agent-card.json'
			}
		]);
		expect(card.skills.map((skill) => skill.id)).toEqual(['open']);
	});
});
