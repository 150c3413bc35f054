import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import type { SessionUser } from '../auth/session';
import type { Config } from '../config';
import type { Db } from '../db';
import { AppError, toAppError, type AppErrorCode } from '../errors';
import type { Viewer } from '../services/viewer';

/** What every procedure receives. */
export interface Context {
	db: Db;
	config: Config;
	user: SessionUser | null;
	/** The anonymous caller's id (`X-Anonymous-Id`, or `anonymousId` in a subscription's connection params), unchecked. */
	anonymousId?: string | null;
}

/** tRPC's code for each of Parley's error codes. */
const trpcCodes: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
	invalid_input: 'BAD_REQUEST',
	unprocessable: 'UNPROCESSABLE_CONTENT',
	unauthorized: 'UNAUTHORIZED',
	forbidden: 'FORBIDDEN',
	not_found: 'NOT_FOUND',
	method_not_allowed: 'METHOD_NOT_SUPPORTED',
	not_acceptable: 'BAD_REQUEST',
	conflict: 'CONFLICT',
	payload_too_large: 'PAYLOAD_TOO_LARGE',
	unsupported_media_type: 'UNSUPPORTED_MEDIA_TYPE',
	rate_limited: 'TOO_MANY_REQUESTS',
	upstream: 'BAD_GATEWAY',
	internal: 'INTERNAL_SERVER_ERROR'
};

const t = initTRPC.context<Context>().create({
	sse: {
		// Subscriptions stay open for as long as a page is: a ping every 15 s keeps proxies from
		// closing them, and a client that hears nothing for 40 s reconnects (from its last event).
		ping: { enabled: true, intervalMs: 15_000 },
		client: { reconnectAfterInactivityMs: 40_000 }
	},
	errorFormatter({ shape, error }) {
		const cause = error.cause;
		const field = cause instanceof AppError ? cause.field : cause instanceof ZodError ? cause.issues[0]?.path.join('.') : undefined;
		return {
			...shape,
			// Never leak internal messages or stacks.
			message: error.code === 'INTERNAL_SERVER_ERROR' ? 'Something went wrong on our side.' : shape.message,
			data: { code: shape.data.code, httpStatus: shape.data.httpStatus, field }
		};
	}
});

/** The tRPC error of an AppError (anything else is an internal error), keeping it as the cause. */
export function toTRPCError(thrown: unknown): TRPCError {
	const appError = toAppError(thrown);
	return new TRPCError({ code: trpcCodes[appError.code], message: appError.message, cause: appError });
}

/** Turns AppErrors thrown by services into tRPC errors with the matching code. */
const mapErrors = t.middleware(async ({ next }) => {
	const result = await next();
	if (!result.ok && !(result.error.cause instanceof ZodError)) {
		const cause = result.error.cause ?? result.error;
		if (cause instanceof AppError || !(cause instanceof TRPCError)) {
			const error = toTRPCError(cause);
			if (error.code === 'INTERNAL_SERVER_ERROR') console.error('[parley] procedure failed', cause);
			throw error;
		}
	}
	return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Open to anyone. */
export const publicProcedure = t.procedure.use(mapErrors);

/** Needs a signed-in user; `ctx.viewer` is that user. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
	if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Log in to continue.' });
	const viewer: Viewer = { kind: 'user', id: ctx.user.id, role: ctx.user.role };
	return next({ ctx: { ...ctx, user: ctx.user, viewer } });
});

/** Needs an admin. */
export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
	if (ctx.user.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'Only admins may do this.' });
	return next();
});
