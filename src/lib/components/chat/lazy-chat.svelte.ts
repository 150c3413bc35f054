import type { Chat } from '@ai-sdk/svelte';
import type { ChatStatus, UIMessage } from 'ai';
import { notify } from '$lib/components/ui/toast.svelte';

type SdkChat = Chat<UIMessage>;
type SendMessage = SdkChat['sendMessage'];
type Regenerate = SdkChat['regenerate'];
type AddToolOutput = SdkChat['addToolOutput'];
type AddToolApprovalResponse = SdkChat['addToolApprovalResponse'];

/**
 * A chat whose AI SDK code (the SDK's chat and stream parsing, and the schema library that
 * validates the stream) is fetched on demand: it is most of the chat page's JavaScript and
 * nothing the first paint needs. Until the code is there, the chat shows its messages and takes
 * new ones (live events) as the SDK's chat would; the first request (send, regenerate, resume…)
 * fetches it, and the chat counts as `submitted` meanwhile. `load()` fetches it ahead, as the
 * chat view does at the first sign of interaction.
 */
export class LazyChat {
	#chat = $state.raw<SdkChat | undefined>();
	#messages = $state<UIMessage[]>([]);
	/** Requests waiting for the code. */
	#waiting = $state(0);
	/**
	 * Whether a resume is under way. The SDK's chat stays `ready` until the server has answered
	 * the resume request, which would show Send between the page's Stop and the resumed stream.
	 */
	#resuming = $state(false);
	/** Bumped by `stop()`: requests waiting for the code from before it are dropped. */
	#generation = 0;
	#loading: Promise<SdkChat> | undefined;
	readonly #create: (messages: UIMessage[]) => Promise<SdkChat>;

	/** `create` makes the SDK's chat, starting from the messages shown at that moment. */
	constructor(messages: UIMessage[], create: (messages: UIMessage[]) => Promise<SdkChat>) {
		this.#messages = messages;
		this.#create = create;
	}

	get messages(): UIMessage[] {
		return this.#chat ? this.#chat.messages : this.#messages;
	}

	set messages(messages: UIMessage[]) {
		if (this.#chat) this.#chat.messages = messages;
		else this.#messages = messages;
	}

	get status(): ChatStatus {
		const status = this.#chat?.status ?? 'ready';
		return (this.#waiting > 0 || this.#resuming) && status === 'ready' ? 'submitted' : status;
	}

	get error(): Error | undefined {
		return this.#chat?.error;
	}

	/** Whether the SDK's chat is there. */
	get loaded(): boolean {
		return this.#chat !== undefined;
	}

	/** Fetches the SDK's code and makes its chat, once; a failed fetch is tried again next time. */
	load(): Promise<SdkChat> {
		this.#loading ??= this.#create(this.#messages).then(
			(chat) => (this.#chat = chat),
			(error: unknown) => {
				this.#loading = undefined;
				throw error;
			}
		);
		return this.#loading;
	}

	/** Runs `action` on the SDK's chat, fetching it first if need be. */
	async #with(action: (chat: SdkChat) => unknown): Promise<void> {
		if (this.#chat) {
			await action(this.#chat);
			return;
		}
		const generation = this.#generation;
		this.#waiting++;
		let chat: SdkChat;
		try {
			chat = await this.load();
		} catch {
			void notify('error', 'Could not load the chat. Check your connection and try again.');
			return;
		} finally {
			this.#waiting--;
		}
		if (generation === this.#generation) await action(chat);
	}

	sendMessage(...args: Parameters<SendMessage>): Promise<void> {
		return this.#with((chat) => chat.sendMessage(...args));
	}

	regenerate(...args: Parameters<Regenerate>): Promise<void> {
		return this.#with((chat) => chat.regenerate(...args));
	}

	/** Reconnects to the answer in progress; the chat counts as `submitted` until the server answers. */
	async resumeStream(): Promise<void> {
		this.#resuming = true;
		try {
			await this.#with((chat) => chat.resumeStream());
		} finally {
			this.#resuming = false;
		}
	}

	addToolOutput(...args: Parameters<AddToolOutput>): Promise<void> {
		return this.#with((chat) => chat.addToolOutput(...args));
	}

	addToolApprovalResponse(...args: Parameters<AddToolApprovalResponse>): Promise<void> {
		return this.#with((chat) => chat.addToolApprovalResponse(...args));
	}

	clearError(): void {
		this.#chat?.clearError();
	}

	/** Stops the answer streaming here; requests still waiting for the code are dropped. */
	async stop(): Promise<void> {
		this.#generation++;
		await this.#chat?.stop();
	}
}
