import { describe, expect, it } from 'vitest';
import { modelFileInputs, seesImage, takesMedia } from './capabilities';

const MB = 1024 * 1024;

describe('modelFileInputs', () => {
	it('knows which providers and models take PDFs', () => {
		const pdf = (id: string) => modelFileInputs(id).pdf;
		for (const id of [
			'anthropic:claude-sonnet-4-5',
			'anthropic:claude-3-5-sonnet-latest',
			'google:gemini-2.5-flash',
			'openai:gpt-4.1-mini',
			'openai:gpt-4o',
			'openai:o3'
		]) {
			expect(pdf(id), id).toBe(true);
		}
		for (const id of [
			'mock:offline',
			'compatible:llama3.1',
			'openai:gpt-3.5-turbo',
			'openai:gpt-4o-audio-preview',
			'openai:o3-mini',
			'anthropic:claude-3-haiku-20240307',
			'google:gemma-3-27b-it'
		]) {
			expect(pdf(id), id).toBe(false);
		}
		expect(modelFileInputs('anthropic:claude-haiku-4-5').maxPdfPages).toBe(100);
		expect(modelFileInputs('google:gemini-2.5-pro').maxPdfPages).toBe(1000);
	});

	it('gives audio and video to Gemini only, within its inline size', () => {
		const gemini = modelFileInputs('google:gemini-2.5-flash');
		expect(takesMedia(gemini, 'audio/mpeg', MB)).toBe(true);
		expect(takesMedia(gemini, 'video/mp4', MB)).toBe(true);
		expect(takesMedia(gemini, 'video/mp4', 16 * MB)).toBe(false);
		expect(takesMedia(gemini, 'audio/x-made-up', MB)).toBe(false);
		for (const id of [
			'mock:offline',
			'openai:gpt-4o',
			'openai:gpt-4o-audio-preview',
			'anthropic:claude-sonnet-4-5',
			'compatible:whisper'
		]) {
			expect(takesMedia(modelFileInputs(id), 'audio/mpeg', 1000), id).toBe(false);
		}
	});

	it('shows the common image formats to every model, and any image to the offline model', () => {
		expect(seesImage(modelFileInputs('openai:gpt-4.1'), 'image/png')).toBe(true);
		expect(seesImage(modelFileInputs('openai:gpt-4.1'), 'image/tiff')).toBe(false);
		expect(seesImage(modelFileInputs('google:gemini-2.5-flash'), 'image/heic')).toBe(true);
		expect(seesImage(modelFileInputs('mock:offline'), 'image/tiff')).toBe(true);
		expect(seesImage(modelFileInputs(''), 'image/jpeg')).toBe(true);
	});
});
