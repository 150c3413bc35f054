import { STANDALONE_PAGE_CSP } from '$lib/server/http/security-headers';
import type { RequestHandler } from './$types';

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Parley API · ReDoc</title>
<style>body { margin: 0; }</style>
</head>
<body>
<redoc spec-url="/openapi.json"></redoc>
<script src="/docs-assets/redoc.standalone.js"></script>
</body>
</html>`;

/** ReDoc over `/openapi.json`. */
export const GET: RequestHandler = () =>
	new Response(page, {
		headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STANDALONE_PAGE_CSP }
	});
