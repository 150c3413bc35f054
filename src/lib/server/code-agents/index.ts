/** What agent modules in `src/agents/` import. */
export {
	defineAgent,
	widgetTool,
	withContext,
	type AnswerWriter,
	type CallModelOptions,
	type CodeAgentDefinition,
	type ContextOptions,
	type ContextRequest,
	type RespondContext,
	type TaskFile
} from './define';
export type {
	AppointmentPickerWidgetData,
	ChoiceWidgetData,
	FormWidgetData,
	ProductCarouselWidgetData,
	WidgetSubmission
} from '$lib/widgets/contract';
