/** An agent as the chat header's agent menu lists it. */
export interface AgentOption {
	id: number;
	slug: string;
	name: string;
	description: string;
	modelLabel: string;
	offline: boolean;
}
