import { z } from 'zod';
import { defineAgent, widgetTool, withContext, type ChoiceWidgetData, type FormWidgetData } from '$lib/server/code-agents';

/** Who the conversation is with: filled in once per task, never by the model. */
const Context = z.object({
	userId: z.string().min(1).describe('The account the conversation is about.'),
	tier: z.enum(['free', 'pro', 'enterprise']).describe('The support plan of that account.')
});

type Tier = z.infer<typeof Context>['tier'];

/** What each support plan includes. */
const plans: Record<Tier, { responseTime: string; channels: string[]; ticketPriority: 'normal' | 'high' | 'urgent' }> = {
	free: { responseTime: '2 business days', channels: ['email'], ticketPriority: 'normal' },
	pro: { responseTime: '4 business hours', channels: ['email', 'chat'], ticketPriority: 'high' },
	enterprise: { responseTime: '1 hour, around the clock', channels: ['email', 'chat', 'phone'], ticketPriority: 'urgent' }
};

/** The topics offered when a conversation starts. */
const topics: ChoiceWidgetData = {
	question: 'What can we help you with?',
	options: [
		{ value: 'plan', label: 'My support plan', description: 'What your plan includes and how fast we answer' },
		{ value: 'ticket', label: 'Open a ticket', description: 'Tell us what went wrong' },
		{ value: 'other', label: 'Something else' }
	]
};

/** A short, stable reference for a ticket. */
function ticketReference(userId: string, subject: string): string {
	let hash = 0;
	for (const character of `${userId}\n${subject}`) hash = (hash * 31 + character.codePointAt(0)!) >>> 0;
	return `SUP-${hash.toString(36).toUpperCase().padStart(6, '0').slice(0, 6)}`;
}

/**
 * A support desk that knows who it is talking to: the task's context holds the account and its
 * plan (made once from the signed-in user; a caller may give the plan in `context.tier`), and its
 * tools receive both without the model ever seeing or choosing them.
 */
export default defineAgent({
	name: 'Support',
	description: 'Customer support that knows your account: ask about your support plan or open a ticket.',
	visibility: 'public',
	systemPrompt:
		'You are the support desk. Use support_plan to answer questions about what the customer’s plan includes, open_ticket when they report a problem, and contact_form when they want to be called back. Be brief and friendly.',
	Context,
	createContext(request, { given }) {
		const tier = Context.shape.tier.safeParse(given?.tier);
		return {
			userId: request.user?.id ?? request.anonymousId ?? `guest-${request.taskId}`,
			tier: tier.success ? tier.data : request.user?.role === 'admin' ? 'enterprise' : request.user ? 'pro' : 'free'
		};
	},
	tools: {
		support_plan: withContext({
			description: 'Looks up the customer’s support plan: how fast support answers and through which channels.',
			inputSchema: z.object({
				userId: z.string(),
				tier: Context.shape.tier,
				topic: z.string().optional().describe('What the customer wants to know, if they said.')
			}),
			execute: ({ userId, tier, topic }) => ({ userId, tier, ...plans[tier], ...(topic ? { topic } : {}) })
		}),
		contact_form: widgetTool({
			description: 'Asks the customer for their name and email (and a phone number if they like) with a form, to call them back.',
			inputSchema: z.object({ reason: z.string().optional().describe('Why we want to reach them, shown above the form.') }),
			widget: 'form',
			data: ({ reason }): FormWidgetData => ({
				title: reason ? `How can we reach you? (${reason})` : 'How can we reach you?',
				schema: {
					type: 'object',
					required: ['name', 'email'],
					properties: {
						name: { type: 'string', title: 'Name', minLength: 1, maxLength: 100 },
						email: { type: 'string', title: 'Email', format: 'email' },
						phone: { type: 'string', title: 'Phone', maxLength: 30 }
					}
				},
				submitLabel: 'Send details'
			})
		}),
		open_ticket: withContext({
			description: 'Opens a support ticket for the customer; returns its reference and priority.',
			inputSchema: z.object({
				userId: z.string(),
				tier: Context.shape.tier,
				subject: z.string().min(3).describe('What went wrong, in a sentence.')
			}),
			execute: ({ userId, tier, subject }) => ({
				ticket: ticketReference(userId, subject),
				priority: plans[tier].ticketPriority,
				userId,
				subject
			})
		})
	},
	async respond({ messages, input, submission, stream, displayWidget, callModel }) {
		if (submission?.type === 'choice') {
			const choice = String(submission.value);
			if (choice === 'plan') return callModel({ instructions: 'The customer asked what their plan includes: use support_plan.' });
			if (choice === 'ticket') {
				stream.write('Tell me what went wrong in a sentence, and I will open a ticket for you.');
				return;
			}
			stream.write('Of course: what would you like to know?');
			return;
		}
		const questions = messages.filter((message) => message.role === 'user');
		if (questions.length === 1 && /^\s*(hi|hello|hey|help|bonjour|hallo)\b/i.test(input)) {
			stream.write('Hello! I can look up your support plan or open a ticket.');
			displayWidget('choice', topics);
			return;
		}
		return callModel();
	}
});
