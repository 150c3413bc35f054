/** What the server stored about a message beside its parts. */
export interface StoredMessageInfo {
	status?: 'complete' | 'streaming' | 'interrupted' | 'error';
	error?: string | null;
	model?: string | null;
}
