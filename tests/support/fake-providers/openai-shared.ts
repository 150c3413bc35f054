/**
 * What the two OpenAI wire formats share: bearer authentication, the pretty-printed error body,
 * the response headers and the model list.
 */
import { randomAlphanumeric, randomHex, type RecordedRequest, type Reply } from './core';

const ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
	400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
	401: {
		type: 'invalid_request_error',
		code: 'invalid_api_key',
		message: 'Incorrect API key provided: sk-fake. You can find your API key at https://platform.openai.com/account/api-keys.'
	},
	403: {
		type: 'invalid_request_error',
		code: 'unsupported_country_region_territory',
		message: 'Country, region, or territory not supported'
	},
	404: {
		type: 'invalid_request_error',
		code: 'model_not_found',
		message: 'The model `{model}` does not exist or you do not have access to it.'
	},
	429: {
		type: 'requests',
		code: 'rate_limit_exceeded',
		message:
			'Rate limit reached for {model} in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to learn more.'
	},
	500: {
		type: 'server_error',
		code: null,
		message:
			'The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if the error persists.'
	},
	503: {
		type: 'server_error',
		code: null,
		message: 'The engine is currently overloaded, please try again later'
	}
};

/** Headers every OpenAI answer carries. */
export function openaiHeaders(): Record<string, string> {
	return {
		'x-request-id': `req_${randomHex(32)}`,
		'openai-processing-ms': '120',
		'openai-version': '2020-10-01'
	};
}

/** OpenAI's error reply: `{ error: { message, type, param, code } }`, indented by four spaces. */
export function openaiError(status: number, message?: string, retryAfter?: number, model = 'gpt-5-mini'): Reply {
	const known = ERRORS[status] ?? ERRORS[status >= 500 ? 500 : 400];
	const headers: Record<string, string> = openaiHeaders();
	if (status === 429) {
		headers['x-ratelimit-limit-requests'] = '3';
		headers['x-ratelimit-remaining-requests'] = '0';
		headers['x-ratelimit-reset-requests'] = `${retryAfter ?? 20}s`;
	}
	if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
	const body = {
		error: {
			message: message ?? known.message.replace('{model}', model),
			type: known.type,
			param: null,
			code: known.code
		}
	};
	return { status, headers, body: JSON.stringify(body, null, 4) + '\n' };
}

/** OpenAI's refusal of a request it cannot take: `invalid_request_error` naming the parameter. */
export function openaiInvalid(message: string, param: string | null, options: { status?: number; code?: string | null } = {}): Reply {
	const body = {
		error: { message, type: 'invalid_request_error', param, code: options.code ?? null }
	};
	return {
		status: options.status ?? 400,
		headers: openaiHeaders(),
		body: JSON.stringify(body, null, 4) + '\n'
	};
}

/** Checks `Authorization: Bearer …` as OpenAI does. */
export function openaiAuth(request: RecordedRequest, apiKey: string | undefined): Reply | null {
	if (apiKey === undefined) return null;
	const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
	if (!given) {
		return openaiError(
			401,
			"You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (i.e. Authorization: Basic :YOUR_KEY), or as the username field (i.e. Authorization: Basic YOUR_KEY:). You can obtain an API key from https://platform.openai.com/account/api-keys."
		);
	}
	if (given === apiKey) return null;
	const shown = given.length > 8 ? `${given.slice(0, 3)}*****${given.slice(-4)}` : given;
	return openaiError(
		401,
		`Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`
	);
}

/** OpenAI's answer to an unknown path. */
export function openaiNotFound(request: RecordedRequest): Reply {
	const pathname = request.path.split('?')[0];
	const body = {
		error: {
			message: `Invalid URL (${request.method} ${pathname})`,
			type: 'invalid_request_error',
			param: null,
			code: null
		}
	};
	return { status: 404, headers: openaiHeaders(), body: JSON.stringify(body, null, 4) + '\n' };
}

/** GET /v1/models. */
export function openaiModelList(models: string[]) {
	return {
		object: 'list',
		data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'system' }))
	};
}

/** `call_…` ids as OpenAI gives tool calls. */
export function callId(): string {
	return `call_${randomAlphanumeric(24)}`;
}

/** The `obfuscation` padding OpenAI adds to stream deltas. */
export function obfuscation(): string {
	return randomAlphanumeric(4 + Math.floor(Math.random() * 10));
}
