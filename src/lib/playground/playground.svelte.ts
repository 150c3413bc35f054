/**
 * The playground's state: the agent and protocol chosen, one session and one transcript per
 * protocol, the request in flight and the composer's text, with the actions that send, answer a
 * pending call, stop and start over. The page (routes/playground) composes the components that
 * show it; it hands in where the composer's focus goes and how a choice is remembered.
 */
import { accepted, finishExchange, newExchange, withEvents, withHead, type Exchange, type ExchangeInput } from './exchange';
import { answerPendingCall } from './answer-state';
import { newSessions, protocolOf, PROTOCOLS } from './protocols';
import { toFetchInit } from './request';
import { runExchange } from './run-exchange';
import type { AgentRef, PendingCall, PlaygroundSession, PreparedRequest, ProtocolId, RawEvent } from './types';

/** What the page's load gives the playground. */
export interface PlaygroundData<Agent extends AgentRef = AgentRef> {
	agents: Agent[];
	/** The agent and protocol named in the address, if any. */
	selectedSlug: string | null;
	selectedProtocol: ProtocolId | null;
}

/** What the state asks of the page around it. */
export interface PlaygroundView {
	/** Puts the focus in the composer. */
	focusComposer(): void;
	/** Keeps the address in step with the choices, so that a reload or a shared link opens the same setup. */
	remember(slug: string | undefined, protocol: ProtocolId): void;
}

/** The request in flight; `stopping` once the person asked it to stop. */
interface Running {
	controller: AbortController;
	protocol: ProtocolId;
	session: PlaygroundSession;
	stopping: boolean;
}

function emptyTranscripts(): Record<ProtocolId, Exchange[]> {
	return Object.fromEntries(PROTOCOLS.map((item) => [item.info.id, []])) as unknown as Record<ProtocolId, Exchange[]>;
}

export class Playground<Agent extends AgentRef = AgentRef> {
	#data: () => PlaygroundData<Agent>;
	#view: PlaygroundView;
	#nextId = 1;

	chosenSlug = $state<string | null>(null);
	protocolId = $state<ProtocolId>('ui-stream');
	/** One session and one transcript per protocol, so that switching back continues where it was. */
	sessions = $state.raw<Record<ProtocolId, PlaygroundSession>>(newSessions());
	transcripts = $state.raw<Record<ProtocolId, Exchange[]>>(emptyTranscripts());
	running = $state.raw<Running | null>(null);
	/** The composer's text. */
	input = $state('');

	readonly slug = $derived.by(() => {
		const data = this.#data();
		return this.chosenSlug ?? data.selectedSlug ?? data.agents.find((agent) => agent.slug === 'assistant')?.slug ?? data.agents[0]?.slug;
	});
	readonly agent = $derived.by(() => this.#data().agents.find((candidate) => candidate.slug === this.slug));
	readonly protocol = $derived(protocolOf(this.protocolId));
	readonly exchanges = $derived(this.transcripts[this.protocolId]);
	readonly lastExchange = $derived(this.exchanges.at(-1));
	/** The task the current protocol's session continues, once a request of it was accepted. */
	readonly sessionTaskId = $derived(this.exchanges.some(accepted) ? this.sessions[this.protocolId].taskId : null);
	readonly busy = $derived(this.running !== null);

	constructor(data: () => PlaygroundData<Agent>, view: PlaygroundView) {
		this.#data = data;
		this.#view = view;
		this.protocolId = data().selectedProtocol ?? 'ui-stream';
	}

	chooseAgent(value: string) {
		this.chosenSlug = value;
		// A task belongs to one agent: another agent starts new sessions everywhere.
		this.sessions = newSessions();
		this.transcripts = emptyTranscripts();
		this.#view.remember(this.slug, this.protocolId);
	}

	chooseProtocol(value: ProtocolId) {
		this.protocolId = value;
		this.#view.remember(this.slug, this.protocolId);
	}

	newSession() {
		this.sessions = { ...this.sessions, [this.protocolId]: this.protocol.newSession() };
		this.transcripts = { ...this.transcripts, [this.protocolId]: [] };
		this.#view.focusComposer();
	}

	#update(id: ProtocolId, exchangeId: number, change: (exchange: Exchange) => Exchange) {
		this.transcripts = {
			...this.transcripts,
			[id]: this.transcripts[id].map((exchange) => (exchange.id === exchangeId ? change(exchange) : exchange))
		};
	}

	/** Sends a prepared request, streams its events into a new exchange, and keeps the session if it was accepted. */
	async #run(prepared: PreparedRequest, exchangeInput: ExchangeInput): Promise<Exchange | undefined> {
		const id = this.protocolId;
		const speaker = this.protocol;
		const exchange = newExchange(this.#nextId++, id, exchangeInput, prepared.request);
		this.transcripts = { ...this.transcripts, [id]: [...this.transcripts[id], exchange] };
		const controller = new AbortController();
		const handle: Running = { controller, protocol: id, session: prepared.session, stopping: false };
		this.running = handle;
		const started = performance.now();
		// Events are timed as they arrive but drawn once a frame: a fast stream stays readable and cheap.
		let buffered: RawEvent[] = [];
		let frame = 0;
		const flush = () => {
			frame = 0;
			if (buffered.length === 0) return;
			const batch = buffered;
			buffered = [];
			this.#update(id, exchange.id, (current) => withEvents(current, speaker, batch));
		};
		const outcome = await runExchange({
			request: prepared.request,
			parser: speaker.createParser(),
			fetch,
			signal: controller.signal,
			now: () => performance.now(),
			onResponse: (head) => this.#update(id, exchange.id, (current) => withHead(current, head)),
			onEvents: (events) => {
				buffered.push(...events);
				if (frame === 0) frame = requestAnimationFrame(flush);
			}
		});
		cancelAnimationFrame(frame);
		flush();
		let finished: Exchange | undefined;
		this.#update(id, exchange.id, (current) => {
			finished = finishExchange(current, outcome, Math.round(performance.now() - started));
			// Stopped by the person, even when the server's own stop ended the stream first.
			if (handle.stopping) finished = { ...finished, stopped: true };
			return finished;
		});
		if (finished && accepted(finished)) {
			this.sessions = {
				...this.sessions,
				[id]: speaker.afterResponse(prepared.session, { answer: finished.answer, headers: finished.head?.headers ?? {} })
			};
		}
		this.running = null;
		return finished;
	}

	/** Sends what the composer holds. */
	async send() {
		const text = this.input.trim();
		const agent = this.agent;
		if (!text || this.busy || !agent) return;
		this.input = '';
		await this.#run(this.protocol.buildRequest({ agent, text, session: this.sessions[this.protocolId] }), { kind: 'message', text });
		this.#view.focusComposer();
	}

	/** Posts a pending call's output with the protocol's own continuation request. */
	async answer(call: PendingCall, output: unknown) {
		const last = this.lastExchange;
		const agent = this.agent;
		if (this.busy || !agent || !last) return;
		const prepared = this.protocol.continuation({ agent, session: this.sessions[this.protocolId], call, output });
		if (!prepared) return;
		const before = last.answer;
		this.#update(this.protocolId, last.id, (current) => ({ ...current, answer: answerPendingCall(current.answer, call, output) }));
		const result = await this.#run(prepared, { kind: 'tool-output', toolName: call.toolName, toolCallId: call.toolCallId, output });
		// A refused output leaves the call waiting, so that it can be sent again.
		if (result && !accepted(result)) this.#update(result.protocol, last.id, (current) => ({ ...current, answer: before }));
	}

	/** Stops the request in flight. */
	async stop() {
		const current = this.running;
		if (!current || current.stopping) return;
		current.stopping = true;
		// The app's own chat stream keeps running on the server when the reader goes: ask it to stop.
		const stopRequest = protocolOf(current.protocol).stopRequest?.(current.session);
		if (stopRequest) await fetch(stopRequest.url, toFetchInit(stopRequest)).catch(() => undefined);
		current.controller.abort();
	}
}
