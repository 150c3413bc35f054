import { describe, expect, it } from 'vitest';
import { useServerWithUser } from '../support/api-user';
import { inflatingDocx } from '../support/minimal-docx';
import { textPdf } from '../support/minimal-pdf';

const app = useServerWithUser({
	email: 'alice@example.com',
	keyName: 'extraction limit tests',
	env: { PDF_PAGE_LIMIT: '3', EXTRACTION_MEMORY_LIMIT_MB: '64' }
});

/**
 * A legal 20 MB JSON file: parsed and pretty-printed, it needs several times 64 MB. Made before the
 * server starts: on a busy machine making it blocks this process for seconds, and a request sent
 * right after could pick a kept-alive connection the server is just closing ("fetch failed").
 */
const BIG_JSON = `[${Array(10_000_000).fill('0').join(',')}]`;

async function upload(file: File): Promise<{ id: string }> {
	const form = new FormData();
	form.append('file', file);
	const response = await app.user.api('/api/files', { method: 'POST', body: form });
	expect(response.status).toBe(201);
	return (await response.json()).files[0];
}

interface FileMeta {
	extraction_status: string;
	extraction_error: string | null;
	text_length: number;
}

/** The file's meta once its text extraction has ended (polled a bounded number of times). */
async function settledMeta(id: string): Promise<FileMeta> {
	for (let attempt = 0; attempt < 600; attempt++) {
		const meta = (await (await app.user.api(`/api/files/${id}/meta`)).json()) as FileMeta;
		if (meta.extraction_status !== 'pending' && meta.extraction_status !== 'extracting') return meta;
		await new Promise((wake) => setTimeout(wake, 50));
	}
	throw new Error(`The text of file ${id} was not read within 600 attempts.`);
}

describe('extraction limits (built server)', () => {
	it('marks a Word document that unpacks to more than DOCX_INFLATED_LIMIT failed, with the reason', async () => {
		const bomb = await inflatingDocx(60 * 1024 * 1024);
		const { id } = await upload(new File([bomb], 'bomb.docx'));
		expect(await settledMeta(id)).toMatchObject({
			extraction_status: 'failed',
			extraction_error: 'This Word document unpacks to more than 50 MB, more than this server reads.'
		});
	});

	it('marks a PDF of more pages than PDF_PAGE_LIMIT failed, with the reason', async () => {
		const { id } = await upload(new File([textPdf([['One.'], ['Two.'], ['Three.'], ['Four.']])], 'long.pdf'));
		expect(await settledMeta(id)).toMatchObject({
			extraction_status: 'failed',
			extraction_error: 'This PDF has 4 pages, more than the 3 this server reads.'
		});
	});

	it('fails a file whose reading needs more than EXTRACTION_MEMORY_LIMIT_MB; the server answers and reads the next file', async () => {
		const big = new File([BIG_JSON], 'big.json');
		const { id } = await upload(big);
		const next = await upload(new File(['{"still":"reading"}'], 'next.json'));
		expect(await settledMeta(id)).toMatchObject({
			extraction_status: 'failed',
			extraction_error: 'This file needs more memory to read than this server allows (64 MB).'
		});
		expect((await fetch(`${app.server.baseURL}/health`)).status).toBe(200);
		expect(await settledMeta(next.id)).toMatchObject({ extraction_status: 'ready', extraction_error: null });
		expect(app.server.output()).toContain('ExtractionMemoryError');
	});
});
