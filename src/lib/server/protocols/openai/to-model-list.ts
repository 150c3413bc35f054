/** One model of `GET /v1/models`: an agent the caller may use. */
export interface OpenAIModel {
	id: string;
	object: 'model';
	/** Unix seconds. */
	created: number;
	owned_by: 'parley';
}

/** The body of `GET /v1/models`. */
export interface OpenAIModelList {
	object: 'list';
	data: OpenAIModel[];
}

/** An agent as an OpenAI model, `id` being its slug. */
export function toModel(agent: { slug: string; createdAt: Date }): OpenAIModel {
	return { id: agent.slug, object: 'model', created: Math.floor(agent.createdAt.getTime() / 1000), owned_by: 'parley' };
}

/** The agents a caller may use as OpenAI models. */
export function toModelList(agents: readonly { slug: string; createdAt: Date }[]): OpenAIModelList {
	return { object: 'list', data: agents.map(toModel) };
}
