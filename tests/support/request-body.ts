/** A POST to `http://localhost/x` carrying `body`, which may be a stream (sent without a `content-length`). */
export function postRequest(body: BodyInit, headers: Record<string, string> = {}): Request {
	return new Request('http://localhost/x', { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
}

/** What a promise rejects with; fails when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('Expected a rejection');
}
