import type { LanguageModelV3ToolResultOutput, LanguageModelV3ToolResultPart } from '@ai-sdk/provider';
import { limitWords, sentence } from './text';

/** How the offline model quotes tool results. */

const TOOL_RESULT_WORDS = 100;

/** One sentence quoting a tool result. */
export function describeToolResult(result: LanguageModelV3ToolResultPart): string {
	const tool = `The ${result.toolName} tool`;
	const output = result.output;
	switch (output.type) {
		case 'text':
		case 'json':
		case 'content':
			return sentence(`${tool} returned: ${limitWords(outputText(output), TOOL_RESULT_WORDS)}`);
		case 'error-text':
		case 'error-json':
			return sentence(`${tool} failed: ${limitWords(outputText(output), TOOL_RESULT_WORDS)}`);
		case 'execution-denied':
			return output.reason ? `${tool} was not run: the call was denied (${output.reason}).` : `${tool} was not run: the call was denied.`;
	}
}

/** The text of a tool output: text as is, JSON stringified, content parts joined. */
export function outputText(output: LanguageModelV3ToolResultOutput): string {
	switch (output.type) {
		case 'text':
		case 'error-text':
			return output.value;
		case 'json':
		case 'error-json':
			return typeof output.value === 'string' ? output.value : JSON.stringify(output.value);
		case 'execution-denied':
			return output.reason ?? 'denied';
		case 'content':
			return output.value.map((item) => (item.type === 'text' ? item.text : `[${item.type}]`)).join(' ');
	}
}
