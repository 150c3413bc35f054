import type {
	LanguageModelV3,
	LanguageModelV3CallOptions,
	LanguageModelV3GenerateResult,
	LanguageModelV3StreamResult
} from '@ai-sdk/provider';
import { loadOnce } from '../modules/lazy-module';

/**
 * A language model made by `create` when it is first called, so that resolving a model (to check
 * an agent, or a turn before anything is stored) stays synchronous while its provider's package
 * loads only once a request needs it. Its first call, and every call made meanwhile, share one
 * `create`; a failed one (the package could not be loaded) fails that call with its error, like any
 * provider error, and the next call tries again. `provider` is what the made model reports.
 */
export class LazyLanguageModel implements LanguageModelV3 {
	readonly specificationVersion = 'v3';
	/** The model, made on the first use. */
	readonly model: () => Promise<LanguageModelV3>;

	constructor(
		readonly provider: string,
		readonly modelId: string,
		create: () => Promise<LanguageModelV3>
	) {
		this.model = loadOnce(create);
	}

	get supportedUrls(): LanguageModelV3['supportedUrls'] {
		return this.model().then((model) => model.supportedUrls);
	}

	async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
		return (await this.model()).doGenerate(options);
	}

	async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
		return (await this.model()).doStream(options);
	}
}
